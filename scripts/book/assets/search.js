/* The search page: the prebuilt index (search-index.js), queried with the rules in shared.js. */
(function () {
  "use strict";
  var data = window.BOOK_SEARCH;
  var index = window.MiniSearch.loadJS(data.index, window.BookShared.indexOptions);
  var input = document.querySelector(".search-form input");
  var status = document.querySelector(".search-status");
  var list = document.querySelector("ol.results");

  function escape(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function run(query) {
    var results = window.BookShared.search(index, query, data.glossary).slice(0, 50);
    list.innerHTML = results
      .map(function (result) {
        return (
          '<li class="result ' + result.kind + '"><a href="' + escape(result.href) + '">' + escape(result.title) + "</a>" +
          '<div class="where">' + escape(result.where) + "</div>" +
          (result.snippet ? '<div class="snippet">' + escape(result.snippet) + "</div>" : "") + "</li>"
        );
      })
      .join("");
    status.textContent = query.trim() ? results.length + (results.length === 1 ? " result" : " results") + " for “" + query + "”" : "";
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  run(query);
  input.addEventListener("input", function () {
    run(input.value);
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url.search ? url.pathname + url.search : url.pathname);
  });
})();
