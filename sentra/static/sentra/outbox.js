/* Sentra's offline outbox: a form that must not be lost on a poor connection (a check-in at the door,
 * a sale at the till, a weekly report from the field) is sent through here.
 *
 * Mark the form `data-outbox` (optionally `data-outbox-target="#selector"` for where the answer goes,
 * and `data-outbox-label` for how the waiting list names it). It must hold an
 * `<input type="hidden" name="client_key">`: the outbox fills it with a fresh UUID once per attempt
 * to record something, and the server treats a repeated key as the same request (recording nothing
 * new), so sending again is always safe. When the network fails the request is kept in localStorage
 * and sent again, with the same key, when the browser is back online, on the next page load, and every
 * 20 seconds. An element `[data-outbox-status]` shows how many wait.
 *
 * Every request carries `X-Outbox: 1` and `X-Outbox-At` (when the form was submitted, ISO 8601 UTC),
 * so the server can answer with a fragment and keep the time a queued request was really made.
 *
 * Events on the form (or on document, for a request sent again later): `outbox:sent` (detail: html,
 * status, entry), `outbox:queued` (detail: entry). Forms with files are not kept (too large to store).
 */
(function () {
  "use strict";
  var STORE = "sentra-outbox";
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function save(entries) { localStorage.setItem(STORE, JSON.stringify(entries)); showStatus(); }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function showStatus() {
    var count = load().length;
    document.querySelectorAll("[data-outbox-status]").forEach(function (el) {
      var template = count ? el.getAttribute("data-outbox-waiting") : el.getAttribute("data-outbox-empty");
      el.textContent = (template || "").replace("%s", count);
      el.hidden = !template;
    });
  }

  // Sends one entry; resolves to the response, or null when the network failed (kept for later).
  function post(entry) {
    var body = new URLSearchParams(entry.body);
    var token = csrf();
    if (token) body.set("csrfmiddlewaretoken", token);
    return fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Outbox": "1", "X-Outbox-At": entry.at },
    }).then(function (response) {
      // A server error may be passing: keep the entry and try again. Anything else is an answer.
      if (response.status >= 500) return null;
      return response.text().then(function (html) { return { status: response.status, html: html }; });
    }, function () { return null; });
  }

  function deliver(target, answer, entry, form) {
    if (target) target.innerHTML = answer.html;
    (form || document).dispatchEvent(new CustomEvent("outbox:sent", {
      bubbles: true, detail: { html: answer.html, status: answer.status, entry: entry },
    }));
  }

  function flush() {
    if (sending) return Promise.resolve();
    var entries = load();
    if (!entries.length) return Promise.resolve();
    sending = true;
    return entries.reduce(function (chain, entry) {
      return chain.then(function () {
        return post(entry).then(function (answer) {
          if (answer === null) return;
          save(load().filter(function (e) { return e.key !== entry.key; }));
          deliver(entry.target ? document.querySelector(entry.target) : null, answer, entry, null);
        });
      });
    }, Promise.resolve()).then(function () { sending = false; }, function () { sending = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-outbox]");
    if (!form || form.querySelector("input[type=file]")) return;
    event.preventDefault();
    var keyInput = form.querySelector("input[name=client_key]");
    if (keyInput && !keyInput.value) keyInput.value = newKey();
    var entry = {
      key: keyInput ? keyInput.value : newKey(),
      url: form.action || window.location.href,
      body: Array.from(new FormData(form).entries()),
      target: form.getAttribute("data-outbox-target") || "",
      label: form.getAttribute("data-outbox-label") || "",
      at: new Date().toISOString(),
    };
    var buttons = form.querySelectorAll("button, input[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    post(entry).then(function (answer) {
      buttons.forEach(function (b) { b.disabled = false; });
      if (keyInput) keyInput.value = "";  // the next submission is a new request
      if (answer === null) {
        save(load().concat([entry]));
        form.dispatchEvent(new CustomEvent("outbox:queued", { bubbles: true, detail: { entry: entry } }));
        return;
      }
      deliver(entry.target ? document.querySelector(entry.target) : null, answer, entry, form);
    });
  });

  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () { showStatus(); flush(); });
  setInterval(flush, 20000);
  window.SentraOutbox = { flush: flush, waiting: function () { return load(); } };
})();
