// Return editor: autosave (debounced PATCH, "Saved" state, inline errors) and the Compute button
// (POST compute, poll the job, then reload the computation fragment). Forms still post without JS.
(function () {
  "use strict";
  const editor = document.getElementById("filing-editor");
  if (!editor || !window.taxdesk) return;
  const filingId = editor.dataset.filingId;
  const apiUrl = "/api/v1/filings/" + filingId;

  function setPath(target, path, value) {
    const parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    let node = target;
    parts.forEach(function (part, i) {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]);
      if (last) { node[part] = value; return; }
      if (node[part] === undefined) node[part] = nextIsIndex ? [] : {};
      node = node[part];
    });
  }

  function amount(text) {
    const cleaned = String(text || "").replace(/[,₹\s]/g, "");
    if (cleaned === "") return 0;
    return /^\d+$/.test(cleaned) ? parseInt(cleaned, 10) : null;
  }

  function showErrors(form, fields) {
    form.querySelectorAll("[data-error-for]").forEach(function (slot) {
      const message = fields[slot.dataset.errorFor];
      slot.textContent = message || "";
      slot.hidden = !message;
      const input = form.querySelector('[data-path="' + slot.dataset.errorFor + '"]');
      if (input) {
        if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      }
    });
  }

  // Builds the same JSON the form's POST handler builds: personal.* to "personal", the rest to "input".
  function body(form) {
    const out = {};
    const local = {};
    const listName = form.dataset.list;
    form.querySelectorAll("[data-path]").forEach(function (el) {
      const path = el.dataset.path;
      let value;
      if (el.dataset.type === "bool") value = el.checked;
      else if (el.dataset.type === "amount") {
        value = amount(el.value);
        if (value === null) { local[path] = "Enter an amount in whole rupees (digits only)."; value = 0; }
      } else value = el.value;
      if (listName && path.indexOf(listName + "[") === 0) return;
      setPath(path.indexOf("personal.") === 0 ? out : (out.input = out.input || {}), path, value);
    });
    if (listName) {
      const rows = [];
      form.querySelectorAll("[data-row]").forEach(function (row) {
        const remove = row.querySelector("[data-remove]");
        const kind = row.querySelector('[data-path$=".kind"]');
        if (!kind || !kind.value || (remove && remove.checked)) return;
        const item = { kind: kind.value };
        row.querySelectorAll('[data-type="amount"]').forEach(function (el) {
          const key = el.dataset.path.split(".").pop();
          const value = amount(el.value);
          if (value === null) local[el.dataset.path] = "Enter an amount in whole rupees (digits only).";
          item[key] = value || 0;
        });
        rows.push(item);
      });
      out.input = out.input || {};
      out.input[listName] = rows;
    }
    return { json: out, local: local };
  }

  function autosave(form) {
    const state = form.querySelector("[data-save-state]");
    let timer = null;
    let inflight = false;
    let again = false;

    async function save() {
      if (inflight) { again = true; return; }
      const built = body(form);
      if (Object.keys(built.local).length) {
        showErrors(form, built.local);
        state.textContent = "Not saved: check the highlighted fields.";
        state.className = "saved failed";
        return;
      }
      inflight = true;
      state.textContent = "Saving…";
      state.className = "saved saving";
      try {
        const resp = await taxdesk.api("PATCH", apiUrl, built.json);
        if (resp.ok) {
          showErrors(form, {});
          state.textContent = "Saved";
          state.className = "saved";
          const status = document.getElementById("filing-status");
          if (status && resp.data) { status.textContent = resp.data.status.charAt(0).toUpperCase() + resp.data.status.slice(1); status.className = "status " + resp.data.status; }
        } else {
          const fields = (resp.data && resp.data.error && resp.data.error.fields) || {};
          showErrors(form, fields);
          state.textContent = "Not saved: " + ((resp.data && resp.data.error && resp.data.error.message) || "please try again.");
          state.className = "saved failed";
        }
      } catch (e) {
        state.textContent = "Not saved: you seem to be offline. Your changes are still on this page.";
        state.className = "saved failed";
      } finally {
        inflight = false;
        if (again) { again = false; save(); }
      }
    }

    function schedule() {
      clearTimeout(timer);
      state.textContent = "Unsaved changes";
      state.className = "saved saving";
      timer = setTimeout(save, 800);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  document.querySelectorAll("form[data-autosave]").forEach(autosave);

  // --- computing -------------------------------------------------------------------------------
  const computeForm = document.querySelector("form[data-compute]");
  const target = document.getElementById("computation");
  const jobState = document.querySelector("[data-job-state]");
  const jobError = document.querySelector("[data-job-error]");

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  async function refresh() {
    const resp = await fetch(target.dataset.partialUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    if (resp.ok) target.innerHTML = await resp.text();
  }

  async function follow(jobId) {
    const bar = jobState.querySelector("progress");
    jobState.hidden = false;
    jobError.hidden = true;
    for (let delay = 300; ; delay = Math.min(delay * 1.5, 2000)) {
      const resp = await taxdesk.api("GET", "/api/v1/jobs/" + jobId);
      if (resp.status === 404) {
        // Someone else (the owner or their preparer) queued this computation: watch the filing instead.
        const filing = await taxdesk.api("GET", apiUrl);
        if (filing.ok && filing.data.computation && !filing.data.computation_stale) break;
      } else if (resp.ok) {
        bar.value = resp.data.progress || 0;
        if (resp.data.status === "finished") break;
        if (resp.data.status === "failed") {
          jobState.hidden = true;
          jobError.textContent = resp.data.error || "The computation failed. Please try again.";
          jobError.hidden = false;
          return;
        }
      }
      await wait(delay);
    }
    bar.value = 100;
    await refresh();
    jobState.hidden = true;
  }

  if (computeForm && target) {
    computeForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      const button = computeForm.querySelector("button");
      button.disabled = true;
      try {
        const resp = await taxdesk.api("POST", apiUrl + "/compute");
        if (resp.status === 202) await follow(resp.data.job_id);
        else {
          jobError.textContent = (resp.data && resp.data.error && resp.data.error.message) || "Could not start the computation.";
          jobError.hidden = false;
        }
      } catch (e) {
        jobError.textContent = "Could not reach TaxDesk. Check your connection and try again.";
        jobError.hidden = false;
      } finally {
        button.disabled = false;
      }
    });
    if (target.dataset.pendingJob) follow(target.dataset.pendingJob);
  }
})();
