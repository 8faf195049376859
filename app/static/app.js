// TaxDesk browser helpers: CSRF header on fetch, Indian number formatting, the phone-width menu.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";

  window.taxdesk = window.taxdesk || {};
  taxdesk.csrf = csrf;
  taxdesk.api = async function (method, url, body) {
    const opts = { method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (method !== "GET") opts.headers["X-CSRFToken"] = csrf;
    if (body instanceof FormData) opts.body = body;
    else if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    const resp = await fetch(url, opts);
    let data = null;
    try { data = await resp.json(); } catch (e) { data = null; }
    return { ok: resp.ok, status: resp.status, data };
  };
  taxdesk.inr = function (n) {
    if (n === null || n === undefined) return "—";
    const v = Math.round(n); const neg = v < 0; let s = String(Math.abs(v));
    if (s.length > 3) {
      let head = s.slice(0, -3); const tail = s.slice(-3); const groups = [];
      while (head.length > 2) { groups.unshift(head.slice(-2)); head = head.slice(0, -2); }
      if (head) groups.unshift(head);
      s = groups.join(",") + "," + tail;
    }
    return (neg ? "-" : "") + "₹" + s;
  };

  // Phone widths: the main navigation folds behind a Menu button (visible without JS otherwise).
  function setupMenu() {
    const button = document.querySelector(".menu-toggle");
    const nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    const header = button.closest(".top");
    button.hidden = false;
    header.classList.add("foldable");
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("open", open);
    }
    button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
    header.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && header.classList.contains("open")) { set(false); button.focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
  });
})();
