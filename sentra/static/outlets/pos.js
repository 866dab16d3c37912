/* The sale screen: the outlet's stock is in the page (#stock-data), so a scan or a typed code finds its
 * product without a request; the cart is posted once through the outbox (sentra/outbox.js) with its
 * idempotency key. A USB or Bluetooth scanner types the barcode and Enter into the find field; the
 * phone camera reads barcodes where the browser has BarcodeDetector. */
(function () {
  "use strict";
  var items = JSON.parse(document.getElementById("stock-data").textContent);
  var byCode = {};
  items.forEach(function (item) {
    if (item.code) byCode[item.code.toLowerCase()] = item;
    if (item.barcode) byCode[item.barcode.toLowerCase()] = item;
  });
  var cart = [];  // [{item, qty}]
  var find = document.getElementById("find");
  var matches = document.getElementById("matches");
  var message = document.getElementById("find-message");
  var cartList = document.getElementById("cart");
  var form = document.getElementById("sale-form");
  var result = document.getElementById("result");
  var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
  var prefix = lang === "en-US" ? "IDR " : "Rp ";

  function rupiah(n) { return prefix + Number(n).toLocaleString(lang); }
  function whole(text) { var t = (text || "").replace(/[.,\s]/g, ""); return /^\d+$/.test(t) ? parseInt(t, 10) : 0; }
  function inCart(item) { return cart.filter(function (l) { return l.item.id === item.id; })[0]; }

  function add(item) {
    var line = inCart(item);
    var qty = line ? line.qty + 1 : 1;
    if (qty > item.on_hand) { message.textContent = message.dataset.noneLeft + " " + item.name; return; }
    if (line) line.qty = qty; else cart.push({ item: item, qty: 1 });
    message.textContent = "";
    matches.innerHTML = "";
    render();
  }

  function render() {
    cartList.innerHTML = "";
    document.getElementById("cart-empty").hidden = cart.length > 0;
    cart.forEach(function (line, index) {
      var li = document.createElement("li");
      li.className = "list-group-item d-flex align-items-center gap-2 px-0";
      var name = document.createElement("span");
      name.className = "flex-grow-1";
      name.textContent = line.item.name + " · " + rupiah(line.item.price);
      var qty = document.createElement("input");
      qty.type = "number"; qty.min = "1"; qty.max = String(line.item.on_hand); qty.value = String(line.qty);
      qty.className = "form-control form-control-sm"; qty.style.width = "4.5rem";
      qty.setAttribute("aria-label", cartList.dataset.qty + ": " + line.item.name);
      qty.addEventListener("change", function () {
        var n = whole(qty.value);
        line.qty = Math.max(1, Math.min(n || 1, line.item.on_hand));
        render();
      });
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "btn btn-sm btn-outline-danger";
      remove.textContent = "×";
      remove.setAttribute("aria-label", cartList.dataset.remove + ": " + line.item.name);
      remove.addEventListener("click", function () { cart.splice(index, 1); render(); });
      li.append(name, qty, remove);
      cartList.appendChild(li);
    });
    totals();
  }

  function totals() {
    var subtotal = cart.reduce(function (sum, l) { return sum + l.qty * l.item.price; }, 0);
    var total = Math.max(0, subtotal - whole(document.getElementById("discount").value));
    document.getElementById("subtotal").textContent = rupiah(subtotal);
    document.getElementById("total").textContent = rupiah(total);
    var cash = whole(document.getElementById("cash_received").value);
    document.getElementById("change").textContent = rupiah(Math.max(0, cash - total));
    var payment = form.querySelector("input[name=payment]:checked");
    document.getElementById("cash-box").hidden = !payment || payment.value !== "cash";
  }

  function lookup(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) return;
    if (byCode[wanted]) { add(byCode[wanted]); find.value = ""; return; }
    var found = items.filter(function (i) { return i.name.toLowerCase().indexOf(wanted) !== -1; });
    if (found.length === 1) { add(found[0]); find.value = ""; return; }
    showMatches(found);
    if (!found.length) message.textContent = message.dataset.notFound + " " + text;
  }

  function showMatches(found) {
    matches.innerHTML = "";
    found.slice(0, 8).forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-group-item p-0";
      var b = document.createElement("button");
      b.type = "button"; b.className = "btn btn-link w-100 text-start";
      b.textContent = item.name + " · " + rupiah(item.price) + " (" + item.on_hand + ")";
      b.addEventListener("click", function () { add(item); find.value = ""; find.focus(); });
      li.appendChild(b);
      matches.appendChild(li);
    });
  }

  find.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); lookup(find.value); }
  });
  find.addEventListener("input", function () {
    var text = find.value.trim().toLowerCase();
    if (text.length < 2 || /^\d+$/.test(text)) { matches.innerHTML = ""; return; }
    showMatches(items.filter(function (i) { return i.name.toLowerCase().indexOf(text) !== -1; }));
  });
  form.addEventListener("input", totals);
  form.addEventListener("change", totals);

  // Runs before the outbox's listener on document: the cart becomes the form's fields.
  form.addEventListener("submit", function (event) {
    if (!cart.length) { event.preventDefault(); event.stopPropagation(); find.focus(); return; }
    var holder = document.getElementById("cart-inputs");
    holder.innerHTML = "";
    cart.forEach(function (line) {
      [["product", line.item.id], ["qty", line.qty]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = pair[0]; input.value = String(pair[1]);
        holder.appendChild(input);
      });
    });
  });

  function sold() {
    cart.forEach(function (line) { line.item.on_hand -= line.qty; });
    cart = [];
    ["discount", "discount_reason", "cash_received"].forEach(function (id) { document.getElementById(id).value = ""; });
    render();
    find.focus();
  }
  form.addEventListener("outbox:sent", function () { if (result.querySelector("[data-sale-ok]")) sold(); });
  form.addEventListener("outbox:queued", function () { result.textContent = result.dataset.queued; sold(); });

  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    var start = document.getElementById("scan-start");
    var video = document.getElementById("scan-video");
    start.hidden = false;
    start.addEventListener("click", function () {
      var detector = new window.BarcodeDetector();
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        var last = "";
        (function scan() {
          if (video.hidden) return;
          detector.detect(video).then(function (codes) {
            if (codes.length && codes[0].rawValue !== last) { last = codes[0].rawValue; lookup(last); }
            setTimeout(scan, 300);
          }, function () { setTimeout(scan, 500); });
        })();
      }, function () { start.hidden = true; });
    });
  }
  render();
})();
