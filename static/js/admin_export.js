// The export page's 「全选」 box (templates/admin/import_export/export.html): the library
// wires it with an inline onchange, which the Content-Security-Policy does not run.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (!event.target.matches(".select-toggle")) return;
    document
      .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
      .forEach(function (box) { box.checked = event.target.checked; });
  });
})();
