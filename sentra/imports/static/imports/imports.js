// Import pages: buttons stay disabled while their request runs, and a failed live update says so
// instead of leaving stale figures on screen.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-busy-on-submit")) return;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      var busy = button.getAttribute("data-busy-label");
      if (busy) button.textContent = busy;
    });
  });
  // Coming back with the browser's back button shows the page as it was left: enable the buttons again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  });
  function showLoadError(event) {
    var target = event.detail && event.detail.elt;
    var box = target && target.closest("[data-load-error]");
    if (!box) return;
    var message = document.getElementById(box.getAttribute("data-load-error"));
    if (message) message.hidden = false;
  }
  function hideLoadError(event) {
    var target = event.detail && event.detail.elt;
    var box = target && target.closest("[data-load-error]");
    if (!box) return;
    var message = document.getElementById(box.getAttribute("data-load-error"));
    if (message) message.hidden = true;
  }
  document.body.addEventListener("htmx:responseError", showLoadError);
  document.body.addEventListener("htmx:sendError", showLoadError);
  document.body.addEventListener("htmx:afterSwap", hideLoadError);
})();
