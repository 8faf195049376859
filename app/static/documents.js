// Documents: drag-and-drop upload with progress, live reading progress, review accept/reject.
(function () {
  "use strict";
  const POLL_MS = 1500;
  const TYPE_NAMES = { form16: "Form 16", form16a: "Form 16A", interest_certificate: "Interest certificate",
                       rent_receipt: "Rent receipt", unknown: "Unrecognised document" };
  const watched = new Map(); // job id -> {row, documentId, timer}

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // ---- upload --------------------------------------------------------------------------------
  function setupUpload(form) {
    const input = form.querySelector('input[type="file"]');
    const zone = form.querySelector("[data-dropzone]");
    const bar = form.querySelector("[data-upload-progress]");
    const status = form.querySelector("[data-upload-status]");
    const maxBytes = Number(form.dataset.maxBytes || 0);

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      send();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); send(); });

    function fieldError(name, message) {
      const field = form.querySelector('[name="' + name + '"]');
      if (!field) return;
      let p = document.getElementById(name + "-error");
      if (!p) {
        p = document.createElement("p");
        p.className = "field-error";
        p.id = name + "-error";
        field.insertAdjacentElement("afterend", p);
      }
      p.textContent = message;
      field.setAttribute("aria-invalid", "true");
      const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(p.id) < 0) described.push(p.id);
      field.setAttribute("aria-describedby", described.join(" "));
    }

    function clearErrors() {
      form.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
      form.querySelectorAll('[aria-invalid="true"]').forEach(function (f) { f.removeAttribute("aria-invalid"); });
      const top = document.getElementById("upload-error");
      if (top) top.remove();
    }

    function say(message, isError) {
      status.textContent = message;
      status.className = isError ? "error" : "muted";
      status.setAttribute("role", isError ? "alert" : "status");
    }

    function send() {
      clearErrors();
      const file = input.files && input.files[0];
      if (!file) { fieldError("file", "Choose a file to upload."); input.focus(); return; }
      if (maxBytes && file.size > maxBytes) {
        fieldError("file", "This file is larger than " + form.dataset.maxMb + " MB. Upload a smaller file.");
        input.focus();
        return;
      }
      const data = new FormData(form);
      data.delete("csrf_token");
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/documents");
      xhr.setRequestHeader("X-CSRFToken", csrf());
      xhr.setRequestHeader("Accept", "application/json");
      bar.hidden = false;
      bar.value = 0;
      say("Uploading " + file.name + "…", false);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      };
      xhr.onerror = function () { bar.hidden = true; say("The upload failed: check your connection and try again.", true); };
      xhr.onload = function () {
        bar.hidden = true;
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (xhr.status === 200 || xhr.status === 202) {
          form.reset();
          say(body.duplicate ? "You uploaded this file before; it is in the list below." : "Uploaded. Reading " + file.name + "…", false);
          addRow(body.document_id, body.job_id, file.name);
          return;
        }
        const error = (body && body.error) || { message: "The upload failed (" + xhr.status + ")." , fields: {} };
        Object.keys(error.fields || {}).forEach(function (name) { fieldError(name, error.fields[name]); });
        say(error.message, true);
        const first = Object.keys(error.fields || {})[0];
        const field = first && form.querySelector('[name="' + first + '"]');
        if (field) field.focus();
      };
      xhr.send(data);
    }
  }

  function addRow(documentId, jobId, name) {
    const table = document.querySelector("[data-documents] tbody");
    if (!table) return;
    const empty = table.querySelector("[data-empty]");
    if (empty) empty.remove();
    let row = table.querySelector('[data-document="' + documentId + '"]');
    if (!row) {
      row = document.createElement("tr");
      row.dataset.document = documentId;
      const link = document.createElement("a");
      link.href = "/documents/" + documentId;
      link.textContent = name;
      const cells = [document.createElement("td"), document.createElement("td"), document.createElement("td"), document.createElement("td")];
      cells[0].appendChild(link);
      cells[1].textContent = "—";
      cells[1].dataset.type = "";
      const label = document.createElement("span");
      label.className = "status queued";
      label.dataset.statusLabel = "";
      label.textContent = "queued";
      const progress = document.createElement("progress");
      progress.max = 100;
      progress.value = 0;
      progress.dataset.jobProgress = "";
      progress.setAttribute("aria-label", "Reading " + name);
      cells[2].append(label, progress);
      cells[3].textContent = new Date().toISOString().slice(0, 10);
      cells.forEach(function (c) { row.appendChild(c); });
      table.prepend(row);
    }
    refreshDocument(row, documentId, jobId);
  }

  // ---- reading progress ----------------------------------------------------------------------
  function watch(row, documentId, jobId) {
    if (!jobId || watched.has(jobId)) return;
    const entry = { row: row, documentId: documentId, timer: null };
    watched.set(jobId, entry);
    // realtime.js sends taxdesk:job events (socket, or its own polling while the socket is down).
    if (typeof taxdesk.watchJob === "function") { taxdesk.watchJob(jobId); return; }
    const poll = async function () {
      const r = await taxdesk.api("GET", "/api/v1/jobs/" + encodeURIComponent(jobId));
      if (r.ok && r.data) onJob(Object.assign({ job_id: jobId }, r.data));
      else if (r.status === 404) refreshDocument(row, documentId, null);
      if (watched.has(jobId)) entry.timer = setTimeout(poll, POLL_MS);
    };
    entry.timer = setTimeout(poll, 300);
  }

  function onJob(detail) {
    const entry = detail && watched.get(detail.job_id);
    if (!entry) return;
    const bar = entry.row.querySelector("[data-job-progress]");
    if (bar && typeof detail.progress === "number") bar.value = detail.progress;
    const message = entry.row.querySelector("[data-job-message]");
    if (message && detail.message) message.textContent = detail.message;
    if (detail.status === "finished" || detail.status === "failed") {
      clearTimeout(entry.timer);
      watched.delete(detail.job_id);
      refreshDocument(entry.row, entry.documentId, null);
    }
  }

  async function refreshDocument(row, documentId, jobId) {
    const r = await taxdesk.api("GET", "/api/v1/documents/" + documentId);
    if (!r.ok || !r.data) return;
    const doc = r.data;
    if (row.hasAttribute("data-watch")) {
      if (doc.status !== "queued" && doc.status !== "processing") window.location.reload();
      else watch(row, documentId, jobId || doc.job_id);
      return;
    }
    const typeCell = row.querySelector("[data-type]");
    if (typeCell && doc.document_type) typeCell.textContent = TYPE_NAMES[doc.document_type] || doc.document_type;
    const label = row.querySelector("[data-status-label]");
    if (label) { label.textContent = doc.status; label.className = "status " + doc.status; }
    if (doc.status === "queued" || doc.status === "processing") {
      watch(row, documentId, jobId || doc.job_id);
      return;
    }
    const bar = row.querySelector("[data-job-progress]");
    if (bar) bar.remove();
    if (doc.error && !row.querySelector(".field-error")) {
      const p = document.createElement("p");
      p.className = "field-error";
      p.textContent = doc.error;
      label.insertAdjacentElement("afterend", p);
    }
  }

  // ---- review --------------------------------------------------------------------------------
  function setupReview(form) {
    form.querySelectorAll("[data-suggestion]").forEach(function (set) {
      const value = set.querySelector("[data-value]");
      set.querySelectorAll('input[type="radio"]').forEach(function (radio) {
        radio.addEventListener("change", function () {
          const rejected = radio.value === "reject" && radio.checked;
          set.classList.toggle("rejected", rejected);
          value.disabled = rejected;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-upload]").forEach(setupUpload);
    document.querySelectorAll("[data-review]").forEach(setupReview);
    document.querySelectorAll("[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
    });
    document.querySelectorAll("[data-document][data-job]").forEach(function (row) {
      const status = row.dataset.status;
      if (row.hasAttribute("data-watch") || status === "queued" || status === "processing") {
        watch(row, row.dataset.document, row.dataset.job);
      }
    });
    document.addEventListener("taxdesk:job", function (e) { onJob(e.detail); });
  });
})();
