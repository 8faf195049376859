// Dashboard activity column: documents being read (with live progress) and recent notifications.
(function () {
  "use strict";
  const root = document.querySelector("[data-activity]");
  if (!root || !window.taxdesk) return;
  const docList = root.querySelector("[data-activity-documents]");
  const docEmpty = root.querySelector("[data-activity-documents-empty]");
  const noteList = root.querySelector("[data-activity-notes]");
  const noteEmpty = root.querySelector("[data-activity-notes-empty]");
  const RECENT = 5;
  const byJob = new Map(); // job id -> {item, bar, documentId}

  function when(iso) {
    const t = document.createElement("time");
    t.dateTime = iso;
    t.className = "muted";
    t.textContent = iso.slice(0, 16).replace("T", " ") + " UTC";
    return t;
  }

  function link(href, text) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function showDocument(doc) {
    const item = document.createElement("li");
    item.dataset.document = doc.id;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = doc.progress || 0;
    bar.setAttribute("aria-label", "Reading " + doc.original_name);
    item.append(link("/documents/" + doc.id, doc.original_name), bar);
    docList.append(item);
    docEmpty.hidden = true;
    if (doc.job_id) {
      byJob.set(doc.job_id, { item: item, bar: bar, documentId: doc.id });
      if (typeof taxdesk.watchJob === "function") taxdesk.watchJob(doc.job_id);
    }
  }

  function onJob(job) {
    const entry = job && byJob.get(job.job_id);
    if (!entry) return;
    if (typeof job.progress === "number") entry.bar.value = job.progress;
    if (job.status !== "finished" && job.status !== "failed") return;
    byJob.delete(job.job_id);
    const done = document.createElement("span");
    done.className = "status " + job.status;
    done.textContent = job.status === "finished" ? "read: review it" : "could not be read";
    entry.bar.replaceWith(done);
  }

  function showNote(note, first) {
    const item = document.createElement("li");
    item.dataset.note = note.id;
    if (!note.read) item.className = "unread";
    item.append(note.link ? link(note.link, note.title) : document.createTextNode(note.title), when(note.created_at));
    if (first) noteList.prepend(item); else noteList.append(item);
    while (noteList.children.length > RECENT) noteList.lastElementChild.remove();
    noteEmpty.hidden = true;
  }

  async function load() {
    const [docs, notes] = await Promise.all([
      taxdesk.api("GET", "/api/v1/documents?limit=20"),
      taxdesk.api("GET", "/api/v1/notifications?limit=" + RECENT),
    ]);
    if (docs.ok) docs.data.documents.filter(function (d) { return d.status === "queued" || d.status === "processing"; })
      .forEach(showDocument);
    if (notes.ok) notes.data.items.forEach(function (n) { showNote(n, false); });
  }

  document.addEventListener("taxdesk:job", function (e) { onJob(e.detail); });
  document.addEventListener("taxdesk:notification", function (e) {
    if (!noteList.querySelector('[data-note="' + e.detail.id + '"]')) showNote(e.detail, true);
  });
  load().catch(function () { /* the panels keep their empty messages */ });
})();
