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

  // The sentence under the chosen kind's fields follows what is typed (the server builds it:
  // the same words as after saving).
  var pending = null;
  function describe(form) {
    var url = form.getAttribute("data-describe");
    var select = form.querySelector("select[name=kind]");
    if (!url || !select || !select.value) return;
    var set = form.querySelector('fieldset.ed-kind-params[data-kind="' + select.value + '"]');
    var target = set && set.querySelector(".ed-sentence");
    if (!target) return;
    var query = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name === "kind" || name === "max_points" || name.indexOf("p-" + select.value + "-") === 0) {
        query.append(name, value);
      }
    });
    fetch(url + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) target.textContent = data.sentence; })
      .catch(function () { /* the sentence is brought up to date on save */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-describe]");
    if (form) {
      form.addEventListener("input", function () {
        clearTimeout(pending);
        pending = setTimeout(function () { describe(form); }, 300);
      });
      form.addEventListener("change", function () { describe(form); });
    }
    var select = document.querySelector("select[name=kind]");
    if (select) {
      select.addEventListener("change", function () { showKind(select); });
    }
    document.querySelectorAll("button.ed-add-row").forEach(function (button) {
      button.addEventListener("click", function () { addRow(button); });
    });
  });
})();
