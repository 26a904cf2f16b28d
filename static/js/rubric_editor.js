// The item form of the rubric editor: show the parameter fields of the chosen rule kind
// (and, for a composite, of each part's chosen kind under the part's row), and add a row to
// a table of rows (levels, brackets, deductions, parts) by copying its last row.
(function () {
  "use strict";

  function showKind(select) {
    var chosen = select.value;
    document.querySelectorAll("fieldset.ed-kind-params").forEach(function (set) {
      set.hidden = set.getAttribute("data-kind") !== chosen;
    });
  }

  // A part's kind select sits in the first row of its tbody; the part's fields follow.
  function showPartKind(select) {
    var part = select.closest("tbody.ed-part");
    if (!part) return;
    var prefix = part.getAttribute("data-part");
    part.querySelectorAll("fieldset.ed-part-params").forEach(function (set) {
      if (set.getAttribute("data-part") === prefix) {
        set.hidden = set.getAttribute("data-kind") !== select.value;
      }
    });
  }

  // The index of a row's fields: <param>-<index>-…; a copied row takes the next free one
  // and every name inside it (a part's own fields too) follows.
  function renumber(node, start, index) {
    var from = new RegExp("^" + start.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\d+-");
    var to = start + index + "-";
    var attrs = ["name", "id", "for", "data-param", "data-rows", "data-part"];
    [node].concat(Array.prototype.slice.call(node.querySelectorAll("*"))).forEach(function (el) {
      attrs.forEach(function (attr) {
        var value = el.getAttribute && el.getAttribute(attr);
        if (value && from.test(value)) el.setAttribute(attr, value.replace(from, to));
      });
    });
  }

  function reset(field, own) {
    // A row's own cells start empty; a new part's parameter fields keep the examples
    // they were drawn with.
    if (field.type === "checkbox") field.checked = own ? false : field.defaultChecked;
    else if (field.tagName === "SELECT") {
      if (own) field.value = "";
      else Array.prototype.forEach.call(field.options, function (o) { o.selected = o.defaultSelected; });
    } else field.value = own ? "" : field.defaultValue;
  }

  function addRow(button) {
    var param = button.getAttribute("data-rows");
    var table = document.querySelector('table.ed-rows[data-param="' + param + '"]');
    if (!table) return;
    var start = param + "-";
    var parts = table.classList.contains("ed-parts");
    var last = parts ? table.tBodies[table.tBodies.length - 1] : table.tBodies[0].rows[table.tBodies[0].rows.length - 1];
    if (!last) return;
    var next = parts ? table.tBodies.length : table.tBodies[0].rows.length;
    table.querySelectorAll("input, select").forEach(function (field) {
      if (field.name.indexOf(start) !== 0) return;
      var m = field.name.slice(start.length).match(/^(\d+)-/);
      if (m && Number(m[1]) >= next) next = Number(m[1]) + 1;
    });
    var row = last.cloneNode(true);
    var ownRow = parts ? row.rows[0] : row;
    row.querySelectorAll("input, select").forEach(function (field) {
      reset(field, ownRow.contains(field));
    });
    renumber(row, start, next);
    if (parts) {
      row.querySelectorAll("fieldset.ed-part-params").forEach(function (set) { set.hidden = true; });
      table.appendChild(row);
    } else {
      table.tBodies[0].appendChild(row);
    }
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  }

  // The sentences under the chosen kind's fields (and under each part) follow what is typed
  // (the server builds them: the same words as after saving).
  var pending = null;
  function describe(form) {
    var url = form.getAttribute("data-describe");
    var select = form.querySelector("select[name=kind]");
    if (!url || !select || !select.value) return;
    var set = form.querySelector('fieldset.ed-kind-params[data-kind="' + select.value + '"]');
    var target = set && set.querySelector(":scope > .ed-does .ed-sentence");
    if (!target) return;
    var query = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name === "kind" || name === "max_points" || name.indexOf("p-" + select.value + "-") === 0) {
        query.append(name, value);
      }
    });
    fetch(url + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        target.textContent = data.sentence;
        (data.parts || []).forEach(function (part) {
          var own = set.querySelector('fieldset.ed-part-params[data-part="' + part.part + '"][data-kind="' + part.kind + '"] .ed-sentence');
          if (own) own.textContent = part.sentence;
        });
      })
      .catch(function () { /* the sentences are brought up to date on save */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-describe]");
    if (form) {
      form.classList.add("js");
      form.addEventListener("input", function () {
        clearTimeout(pending);
        pending = setTimeout(function () { describe(form); }, 300);
      });
      form.addEventListener("change", function (event) {
        if (event.target.matches && event.target.matches("select.ed-part-kind")) showPartKind(event.target);
        describe(form);
      });
      form.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest("button.ed-add-row");
        if (button) addRow(button);
      });
    }
    var select = document.querySelector("select[name=kind]");
    if (select) {
      select.addEventListener("change", function () { showKind(select); });
    }
  });
})();
