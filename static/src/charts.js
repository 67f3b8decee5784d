// Draws every chart on the page from its JSON (scorecard/charts.py), once plotly.js has loaded.
// Loaded deferred by templates/base.html on every page, so it runs after plotly.min.js at the end of the body;
// no inline script is needed. On a phone a chart keeps the lines that matter (the council the page is about,
// the region, England and neighbours) and puts its legend underneath; the table below it has every figure.
(function () {
  "use strict";
  if (window.appChartsStarted) {
    return;
  }
  window.appChartsStarted = true;

  var NARROW = "(max-width: 640px)";

  function narrowLayout(spec) {
    var hidden = 0;
    spec.data.forEach(function (trace) {
      if (trace.meta === "secondary") {
        trace.visible = false;
        hidden += 1;
      }
    });
    if (spec.layout.showlegend) {
      spec.layout.legend = { orientation: "h", x: 0, y: -0.25, yanchor: "top", font: { size: 12 } };
      spec.layout.margin = Object.assign({}, spec.layout.margin, { r: 10, b: 40 });
      spec.layout.height = (spec.layout.height || 460) + 80;
    }
    return hidden;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-app-chart"));
    if (!source || !window.Plotly) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    if (window.matchMedia && window.matchMedia(NARROW).matches) {
      if (narrowLayout(spec) > 0) {
        var note = document.createElement("p");
        note.className = "govuk-body-s app-chart__phone-note";
        note.textContent = "On a small screen this chart shows the highlighted council and its comparators. " +
          "The table has every council.";
        canvas.parentNode.insertBefore(note, canvas);
      }
    }
    window.Plotly.newPlot(canvas, spec.data, spec.layout, spec.config);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-app-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
