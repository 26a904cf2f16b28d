// The item form of the rubric editor: show the parameter fields of the chosen rule kind,
// and add a row to a table of rows (levels, brackets, deductions) by copying its last row.
(function () {
  "use strict";

  function showKind(select) {
    var chosen = select.value;
    document.querySelectorAll("fieldset.ed-kind-params").forEach(function (set) {
      set.hidden = set.getAttribute("data-kind") !== chosen;
    });
  }

  function addRow(button) {
    var table = document.querySelector('table.ed-rows[data-param="' + button.getAttribute("data-rows") + '"]');
    if (!table) return;
    var body = table.tBodies[0];
    var last = body.rows[body.rows.length - 1];
    if (!last) return;
    var next = body.rows.length;
    body.querySelectorAll("input, select").forEach(function (field) {
      var m = field.name.match(/-(\d+)-[^-]+$/);
      if (m && Number(m[1]) >= next) next = Number(m[1]) + 1;
    });
    var row = last.cloneNode(true);
    row.querySelectorAll("input, select").forEach(function (field) {
      field.name = field.name.replace(/-(\d+)-([^-]+)$/, "-" + next + "-$2");
      if (field.type === "checkbox") field.checked = false;
      else field.value = "";
    });
    body.appendChild(row);
    var first = row.querySelector("input, select");
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[name=kind]");
    if (select) {
      select.addEventListener("change", function () { showKind(select); });
    }
    document.querySelectorAll("button.ed-add-row").forEach(function (button) {
      button.addEventListener("click", function () { addRow(button); });
    });
  });
})();
