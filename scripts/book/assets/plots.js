/*
 * Charts: each figure holds the notebook's stored plotly JSON and its PNG. plotly.js (4.8 MB) is loaded only
 * when a chart comes near the screen; then the PNG is replaced by the interactive chart. If anything fails,
 * the PNG stays.
 */
(function () {
  "use strict";
  var plotlyUrl = new URL("vendor/plotly.min.js", document.currentScript.src).href;
  var waiting = [];
  var loading = false;

  function withPlotly(callback) {
    if (window.Plotly) return callback();
    waiting.push(callback);
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = plotlyUrl;
    script.onload = function () {
      waiting.splice(0).forEach(function (queued) {
        queued();
      });
    };
    document.head.appendChild(script);
  }

  function draw(figure) {
    if (figure.classList.contains("interactive") || !window.Plotly) return;
    var data = figure.querySelector("script.plot-data");
    if (!data) return;
    var spec = JSON.parse(data.textContent);
    var layout = Object.assign({}, spec.layout || {});
    // Fit the column (a phone too): keep the notebook's height, let the width follow the page.
    delete layout.width;
    layout.autosize = true;
    // On a narrow screen a legend at the side would squeeze the plot: put it below.
    if (figure.clientWidth < 560 && layout.showlegend !== false) {
      layout.legend = Object.assign({}, layout.legend, { orientation: "h", x: 0, xanchor: "left", y: -0.25, yanchor: "top" });
    }
    var target = document.createElement("div");
    target.className = "plot-area";
    figure.insertBefore(target, figure.firstChild);
    var config = Object.assign({ responsive: true, displaylogo: false }, spec.config || {});
    window.Plotly.newPlot(target, spec.data || [], layout, config).then(
      function () {
        figure.classList.add("interactive");
      },
      function () {
        target.remove();
      },
    );
  }

  function show(figure) {
    withPlotly(function () {
      draw(figure);
    });
  }

  var figures = document.querySelectorAll("figure.plot");
  if (!("IntersectionObserver" in window)) {
    figures.forEach(show);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          show(entry.target);
        }
      });
    },
    { rootMargin: "600px 0px" },
  );
  figures.forEach(function (figure) {
    observer.observe(figure);
  });
})();
