/* jiceng cases: a suggested category button fills in the intake form's category. */
(function () {
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest(".pick-category") : null;
    if (!button) { return; }
    var select = document.getElementById("id_category_code");
    if (!select) { return; }
    var code = button.dataset.code;
    if (!Array.prototype.some.call(select.options, function (o) { return o.value === code; })) {
      select.add(new Option(button.dataset.name, code));  // e.g. a category not in this page's list
    }
    select.value = code;
    document.querySelectorAll("input[type=radio][name=category_code]").forEach(function (r) { r.checked = false; });
    document.querySelectorAll(".pick-category").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
  });
})();
