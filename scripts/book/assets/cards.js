/*
 * Flash cards: the chosen topic's questions in the order the seed fixes (shared.js), the short answer shown on
 * request, a link to the full answer. Cards marked as known are kept in this browser's local storage only.
 */
(function () {
  "use strict";
  var cards = window.BOOK_CARDS;
  var form = document.querySelector(".card-options");
  var meta = document.querySelector(".card-meta");
  var question = document.querySelector(".card-question");
  var reveal = document.querySelector(".reveal");
  var answer = document.querySelector(".card-answer");
  var count = document.querySelector(".card-count");
  var known = document.querySelector(".known");
  var STORE = "ml-interview-notebooks.known-cards";
  var deck = [];
  var position = 0;

  function loadKnown() {
    try {
      return JSON.parse(window.localStorage.getItem(STORE) || "{}");
    } catch (error) {
      return {};
    }
  }
  function saveKnown(value) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(value));
    } catch (error) {
      /* storage may be off (private window, file://); the cards still work */
    }
  }

  function settings() {
    var params = new URLSearchParams(window.location.search);
    return {
      topic: params.get("topic") || form.topic.value,
      lang: params.get("lang") || form.lang.value,
      seed: Number(params.get("seed") || form.seed.value) >>> 0,
    };
  }

  function shuffle() {
    var chosen = settings();
    form.topic.value = chosen.topic;
    form.lang.value = chosen.lang;
    form.seed.value = chosen.seed;
    var pool = cards.filter(function (card) {
      return !chosen.topic || card.topic === chosen.topic;
    });
    deck = window.BookShared.seededOrder(pool, chosen.seed);
    position = 0;
    show();
  }

  function show() {
    var card = deck[position];
    if (!card) return;
    var zh = form.lang.value === "zh";
    meta.textContent = card.id + " · " + card.notebook;
    question.textContent = zh ? card.original : card.english;
    question.lang = zh ? "zh" : "en";
    answer.innerHTML = card.answer + '<p><a href="' + card.href + '">Full answer →</a></p>';
    answer.hidden = true;
    reveal.hidden = false;
    count.textContent = position + 1 + " / " + deck.length;
    known.checked = Boolean(loadKnown()[card.id]);
  }

  reveal.addEventListener("click", function () {
    answer.hidden = false;
    reveal.hidden = true;
  });
  document.querySelector(".next").addEventListener("click", function () {
    position = (position + 1) % deck.length;
    show();
  });
  document.querySelector(".previous").addEventListener("click", function () {
    position = (position - 1 + deck.length) % deck.length;
    show();
  });
  known.addEventListener("change", function () {
    var value = loadKnown();
    if (known.checked) value[deck[position].id] = true;
    else delete value[deck[position].id];
    saveKnown(value);
  });
  form.addEventListener("change", function () {
    var url = new URL(window.location.href);
    url.search = "";
    window.history.replaceState(null, "", url.pathname);
    shuffle();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  shuffle();
})();
