// Rows of a Django formset added and removed in the page: <fieldset data-formset="PREFIX"> holds
// the rows ([data-formset-row]), a <template data-formset-template> with the empty form (its
// __prefix__ replaced by the next index) and a button [data-formset-add]. A row added here has a
// [data-formset-remove] button that takes it away again; rows already saved keep their "delete"
// box, so the server decides as before. TOTAL_FORMS only grows: a removed row is a blank form,
// which the server skips. Without JavaScript the form still works with its empty rows.
(function () {
  "use strict";
  function setUp(set) {
    var prefix = set.dataset.formset;
    var total = set.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = set.querySelector("template[data-formset-template]");
    var rows = set.querySelector("[data-formset-rows]");
    var add = set.querySelector("[data-formset-add]");
    if (!total || !template || !rows || !add) return;
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button) return;
      var row = button.closest("[data-formset-row]");
      if (row) row.remove();
      add.focus();
    });
  }
  document.querySelectorAll("[data-formset]").forEach(setUp);
})();
