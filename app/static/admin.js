// Admin announcements: post the form to the JSON API and show its per-field messages.
(function () {
  "use strict";
  const form = document.getElementById("announcement-form");
  if (!form) return;
  const fields = ["title", "body", "link"];
  const status = document.getElementById("announcement-status");
  const banner = document.getElementById("announcement-error");

  function showErrors(errors) {
    fields.forEach(function (name) {
      const input = form.elements[name];
      const note = document.getElementById(name + "-error");
      const message = errors[name];
      note.textContent = message || "";
      note.hidden = !message;
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = "Sending…";
    banner.hidden = true;
    const payload = { title: form.elements.title.value, body: form.elements.body.value };
    if (form.elements.link.value.trim()) payload.link = form.elements.link.value.trim();
    try {
      const r = await taxdesk.api("POST", form.dataset.endpoint, payload);
      if (r.ok) {
        showErrors({});
        form.reset();
        status.textContent = "Sent to everyone.";
      } else {
        const err = (r.data && r.data.error) || {};
        showErrors(err.fields || {});
        banner.textContent = err.message || "The announcement was not sent.";
        banner.hidden = false;
        status.textContent = "";
        const first = fields.find(function (n) { return (err.fields || {})[n]; });
        if (first) form.elements[first].focus();
      }
    } catch (e) {
      banner.textContent = "The network is down; the announcement was not sent.";
      banner.hidden = false;
      status.textContent = "";
    } finally {
      button.disabled = false;
    }
  });
})();
