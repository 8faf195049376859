// Ticket page: when a notification about this ticket arrives, redraw the conversation from the API.
(function () {
  "use strict";
  const thread = document.getElementById("ticket-thread");
  if (!thread) return;
  const id = thread.dataset.ticket;
  const path = "/tickets/" + id;

  function item(m, last) {
    const li = document.createElement("li");
    li.className = "message" + (m.staff ? " staff" : "");
    if (last) li.id = "latest";
    const meta = document.createElement("p");
    meta.className = "muted";
    const who = document.createElement("strong");
    who.textContent = (m.author && m.author.name) || "";
    const time = document.createElement("time");
    time.dateTime = m.created_at;
    time.textContent = m.created_at.slice(0, 16).replace("T", " ") + " UTC";
    meta.append(who, (m.staff ? " (TaxDesk)" : "") + " · ", time);
    const body = document.createElement("p");
    body.className = "message-body";
    body.textContent = m.body;
    li.append(meta, body);
    return li;
  }

  async function refresh() {
    const r = await taxdesk.api("GET", "/api/v1/tickets/" + encodeURIComponent(id));
    if (!r.ok || !r.data) return;
    const t = r.data;
    thread.replaceChildren.apply(thread, t.messages.map(function (m, i) { return item(m, i === t.messages.length - 1); }));
    const status = document.getElementById("ticket-status");
    if (status && status.textContent !== t.status) window.location.reload();
    const assignee = document.getElementById("ticket-assignee");
    if (assignee) assignee.textContent = t.assignee ? t.assignee.name : "nobody yet";
  }

  document.addEventListener("taxdesk:notification", function (e) {
    if (e.detail && e.detail.link === path) refresh().catch(function () { /* next notification retries */ });
  });
})();
