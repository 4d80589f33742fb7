/*
 * Charts: each figure holds the notebook's stored plotly JSON and its PNG. When the figure comes into view and
 * plotly.js has loaded, the PNG is replaced by the interactive chart; if anything fails, the PNG stays.
 */
(function () {
  "use strict";
  function draw(figure) {
    if (figure.classList.contains("interactive") || !window.Plotly) return;
    var data = figure.querySelector("script.plot-data");
    if (!data) return;
    var spec = JSON.parse(data.textContent);
    var layout = Object.assign({}, spec.layout || {});
    // Fit the column (a phone too): keep the notebook's height, let the width follow the page.
    delete layout.width;
    layout.autosize = true;
    var target = document.createElement("div");
    target.className = "plot-area";
    var fallback = figure.querySelector("img");
    figure.insertBefore(target, fallback || figure.firstChild);
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
  var figures = document.querySelectorAll("figure.plot");
  if (!("IntersectionObserver" in window)) {
    figures.forEach(draw);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    },
    { rootMargin: "400px 0px" },
  );
  figures.forEach(function (figure) {
    observer.observe(figure);
  });
})();
