/* Draws every chart of the page (templates/_chart.html) from the ECharts option in the JSON
   script beside it. No inline script: the page's Content-Security-Policy allows none.
   A point whose data item carries ``url`` opens that page when clicked. */
(function () {
  "use strict";
  var charts = [];

  function draw(figure) {
    var el = figure.querySelector(".chart-canvas");
    var data = document.getElementById(el.id + "-option");
    if (!el || !data || typeof echarts === "undefined") { return; }
    var option = JSON.parse(data.textContent);
    el.style.height = (parseInt(el.getAttribute("data-height"), 10) || 320) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    if (el.getAttribute("data-clickable")) {
      chart.on("click", function (params) {
        var url = params.data && params.data.url;
        if (url && url.charAt(0) === "/") { window.location.href = url; }
      });
    }
    figure.setAttribute("data-drawn", "1");
    charts.push(chart);
  }

  function drawAll() {
    var figures = document.querySelectorAll("figure.chart");
    for (var i = 0; i < figures.length; i++) { draw(figures[i]); }
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      for (var i = 0; i < charts.length; i++) { charts[i].resize(); }
    }, 150);
  });
  // Printing from the browser: fit the charts to the page's width first.
  window.addEventListener("beforeprint", function () {
    for (var i = 0; i < charts.length; i++) { charts[i].resize(); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  window.appCharts = charts;
})();
