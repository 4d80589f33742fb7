/* Every page: the table of contents opens by itself on a wide screen and marks the section in view. */
(function () {
  "use strict";
  var toc = document.querySelector("details.toc");
  if (!toc) return;
  var wide = window.matchMedia("(min-width: 70rem)");
  function place() {
    if (wide.matches) toc.setAttribute("open", "");
  }
  place();
  wide.addEventListener("change", place);
  var links = {};
  toc.querySelectorAll("a[href^='#']").forEach(function (a) {
    links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
  });
  if (!("IntersectionObserver" in window)) return;
  var current = null;
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var link = links[entry.target.id];
        if (!link) return;
        if (current) current.classList.remove("current");
        current = link;
        link.classList.add("current");
      });
    },
    { rootMargin: "0px 0px -70% 0px" },
  );
  Object.keys(links).forEach(function (id) {
    var target = document.getElementById(id);
    if (target) observer.observe(target);
  });
})();
