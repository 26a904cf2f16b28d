// Live checks of a rubric: reads checks.json and puts each problem beside its row.
// The contract (rows with data-row="section:<key>" / "item:<key>", the events that ask for
// a new reading) is stated in templates/rubrics/_checks_panel.html.
(function () {
  "use strict";
  var panel = document.getElementById("rubric-checks");
  if (!panel) return;
  var url = panel.getAttribute("data-checks-url");
  var levels = {};
  var tpl = document.getElementById("rubric-check-levels");
  if (tpl) {
    tpl.content.querySelectorAll("[data-level]").forEach(function (el) {
      levels[el.getAttribute("data-level")] = el.textContent;
    });
  }
  var timer = null;
  var seq = 0;

  function clearRows() {
    document.querySelectorAll(".row-check").forEach(function (el) { el.remove(); });
    document.querySelectorAll("[data-row].has-error, [data-row].has-warning").forEach(function (el) {
      el.classList.remove("has-error", "has-warning");
    });
  }

  function besideRow(problem) {
    if (problem.row === "rubric") return;
    var rows = document.querySelectorAll('[data-row="' + CSS.escape(problem.row) + '"]');
    rows.forEach(function (row) {
      var note = document.createElement("p");
      note.className = "row-check " + problem.level;
      note.textContent = problem.message;
      var host = row.tagName === "TR" && row.lastElementChild ? row.lastElementChild : row;
      host.appendChild(note);
      if (problem.level === "error") {
        row.classList.remove("has-warning");
        row.classList.add("has-error");
      } else if (!row.classList.contains("has-error")) {
        row.classList.add("has-warning");
      }
    });
  }

  function show(data) {
    panel.querySelector(".checks-summary").textContent = data.summary;
    var list = panel.querySelector(".checks-list");
    list.replaceChildren();
    data.problems.forEach(function (problem) {
      var li = document.createElement("li");
      li.className = problem.level;
      li.setAttribute("data-for", problem.row);
      var tag = document.createElement("span");
      tag.className = "level";
      tag.textContent = levels[problem.level] || "";
      li.appendChild(tag);
      li.appendChild(document.createTextNode(" " + problem.message));
      list.appendChild(li);
    });
    clearRows();
    data.problems.forEach(besideRow);
    panel.setAttribute("data-checked", String(data.problems.length));
  }

  function refresh() {
    var mine = ++seq;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { if (mine === seq) show(data); })
      .catch(function () {
        if (mine === seq) panel.querySelector(".checks-summary").textContent = panel.getAttribute("data-failed");
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  }

  document.addEventListener("rubric:saved", refresh);
  document.addEventListener("rubric:changed", later);
  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest("form[data-rubric-form]")) later();
  });
  refresh();
})();
