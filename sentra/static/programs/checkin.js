/* The attendance page: check-ins go through the offline outbox (sentra/outbox.js); this shows what
 * each one came to, marks names present, and scans QR codes with the browser's BarcodeDetector where
 * the browser has one (otherwise the short code is typed). */
(function () {
  "use strict";
  var log = document.getElementById("checkin-log");
  var codeForm = document.getElementById("code-form");
  var codeInput = document.getElementById("code");
  var method = codeForm.querySelector("input[name=method]");
  var count = document.getElementById("present-count");

  function markPresent(uuid) {
    var row = document.querySelector('[data-sme="' + uuid + '"]');
    var form = row && row.querySelector("form");
    if (form) form.replaceWith(document.getElementById("present-badge").content.cloneNode(true));
  }

  function show(html, key) {
    var holder = document.createElement("ol");
    holder.innerHTML = html;
    var item = holder.querySelector("li");
    if (!item) return;
    var queued = key && log.querySelector('[data-key="' + key + '"]');
    if (queued) queued.remove();
    log.prepend(item);
    if (item.dataset.checkedSme) markPresent(item.dataset.checkedSme);
    if (item.dataset.recorded && count) count.textContent = String(Number(count.textContent) + 1);
  }

  document.addEventListener("outbox:sent", function (event) {
    if (event.detail.entry.url.indexOf("/check-in/") === -1) return;
    show(event.detail.html, event.detail.entry.key);
  });
  document.addEventListener("outbox:queued", function (event) {
    var entry = event.detail.entry;
    if (entry.url.indexOf("/check-in/") === -1) return;
    var item = document.createElement("li");
    item.className = "list-group-item small list-group-item-warning";
    item.dataset.key = entry.key;
    item.textContent = (entry.label || "") + " — " + log.dataset.queuedText;
    log.prepend(item);
    var sme = entry.body.filter(function (pair) { return pair[0] === "sme"; })[0];
    if (sme) markPresent(sme[1]);
  });

  // The outbox takes the form's label when it queues it: the code typed names it.
  codeForm.addEventListener("submit", function () {
    codeForm.setAttribute("data-outbox-label", codeInput.value.trim().toUpperCase());
    setTimeout(function () { codeInput.value = ""; method.value = "code"; codeInput.focus(); }, 0);
  });

  if (!("BarcodeDetector" in window)) return;
  var scanner = document.getElementById("scanner");
  var video = document.getElementById("scan-video");
  var start = document.getElementById("scan-start");
  scanner.hidden = false;
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  var last = "";
  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      video.play();
      setInterval(function () {
        detector.detect(video).then(function (codes) {
          if (!codes.length || codes[0].rawValue === last) return;
          last = codes[0].rawValue;
          codeInput.value = last;
          method.value = "qr";
          codeForm.requestSubmit();
          setTimeout(function () { last = ""; }, 3000);
        }, function () {});
      }, 400);
    }, function () { start.disabled = true; });
  });
})();
