// TaxDesk live updates: Socket.IO when it is up, polling the jobs API when it is not.
//
// Pages listen for DOM events on `document` instead of talking to the socket:
//   taxdesk:job           detail = job JSON {job_id, kind, status, progress, result, error, ...}
//   taxdesk:notification  detail = notification JSON {id, title, body, link, read, platform, ...}
//   taxdesk:filing        detail = {filing_id, ...}
// and call `taxdesk.watchJob(jobId)` for a job they wait on, so it is polled while the socket is down.
// On every (re)connect the client asks for what it missed since the last event it saw; the server
// answers from the database, so an event lost in transit costs nothing.
(function () {
  "use strict";
  const userId = document.body.dataset.user;
  if (!userId || typeof window.io !== "function") return;

  const taxdesk = (window.taxdesk = window.taxdesk || {});
  const storeKey = "taxdesk:last-seen:" + userId;
  const POLL_MS = 3000;
  const watched = new Map(); // job id -> last status dispatched
  let pollTimer = null;

  function lastSeen() {
    try { return localStorage.getItem(storeKey); } catch (e) { return null; }
  }
  function saw(iso) {
    if (!iso) return;
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return;
    const prev = Date.parse(lastSeen() || "");
    if (Number.isNaN(prev) || t > prev) {
      try { localStorage.setItem(storeKey, new Date(t).toISOString()); } catch (e) { /* private mode */ }
    }
  }

  function setUnread(n) {
    const badge = document.getElementById("unread-badge");
    const count = document.getElementById("unread-count");
    if (!badge || !count) return;
    const value = Math.max(0, n | 0);
    count.textContent = String(value);
    badge.hidden = value === 0;
  }
  function unread() {
    const count = document.getElementById("unread-count");
    return count ? parseInt(count.textContent, 10) || 0 : 0;
  }
  taxdesk.setUnread = setUnread;

  function dispatch(name, detail) {
    document.dispatchEvent(new CustomEvent("taxdesk:" + name, { detail }));
  }

  function onJob(job) {
    if (!job || !job.job_id) return;
    const done = job.status === "finished" || job.status === "failed";
    if (done) watched.delete(job.job_id);
    else watched.set(job.job_id, job.status);
    saw(job.updated_at);
    dispatch("job", job);
  }

  const seenNotes = new Set();
  function onNotification(note, fromCatchUp) {
    if (!note || seenNotes.has(note.id)) return;
    seenNotes.add(note.id);
    saw(note.created_at);
    if (!fromCatchUp && !note.read) setUnread(unread() + 1);
    dispatch("notification", note);
  }

  // Polling fallback: only while the socket is down, only for jobs someone waits on.
  async function pollOnce() {
    for (const id of Array.from(watched.keys())) {
      const r = await taxdesk.api("GET", "/api/v1/jobs/" + encodeURIComponent(id));
      if (r.ok && r.data) {
        if (r.data.status !== watched.get(id) || r.data.status === "started") onJob(r.data);
      } else if (r.status === 404) {
        watched.delete(id);
      }
    }
  }
  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(function () {
      if (watched.size) pollOnce().catch(function () { /* network down: next tick */ });
    }, POLL_MS);
  }
  function stopPolling() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }
  taxdesk.watchJob = function (jobId) {
    if (!watched.has(jobId)) watched.set(jobId, null);
    if (!socket.connected) pollOnce().catch(function () {});
  };

  const socket = window.io({ withCredentials: true, reconnectionDelayMax: 10000 });
  taxdesk.socket = socket;

  function catchUp() {
    socket.timeout(10000).emit("catch_up", { since: lastSeen() }, function (err, reply) {
      if (err || !reply || reply.error) return;
      (reply.jobs || []).slice().reverse().forEach(onJob);
      (reply.notifications || []).slice().reverse().forEach(function (n) { onNotification(n, true); });
      setUnread(reply.unread);
      saw(reply.now);
    });
  }

  socket.on("connect", function () {
    stopPolling();
    document.documentElement.dataset.live = "socket";
    catchUp();
  });
  socket.on("disconnect", function () {
    document.documentElement.dataset.live = "polling";
    startPolling();
  });
  socket.on("connect_error", function () {
    document.documentElement.dataset.live = "polling";
    startPolling();
    // A refusal by the server (signed out, session ended) is not retried by the client itself.
    if (!socket.active) setTimeout(function () { socket.connect(); }, 30000);
  });

  socket.on("job.progress", onJob);
  socket.on("job.completed", onJob);
  socket.on("job.failed", onJob);
  socket.on("notification.created", function (n) { onNotification(n, false); });
  socket.on("notification.read", function (d) { if (d) setUnread(d.unread); });
  socket.on("filing.updated", function (d) { dispatch("filing", d); });
})();
