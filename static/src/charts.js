// Draws every plotly chart on the page from its JSON data block.
// scorecard/charts.py emits <div id="X" class="app-chart__canvas" data-chart-data="X-data"> and
// <script id="X-data" type="application/json">: data, never code, so the Content-Security-Policy
// needs no inline script. This file is loaded with `defer`, after plotly.min.js (when a page has one).
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) {
      return;
    }
    var canvases = document.querySelectorAll(".app-chart__canvas[data-chart-data]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart-data"));
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      window.Plotly.newPlot(canvas, spec.data, spec.layout, spec.config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
