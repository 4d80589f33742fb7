/*
 * Code the book's pages and its build (and tests) share, so that both sides agree: the search tokenizer and
 * query rules, and the flash cards' seeded order. Plain JavaScript, loaded by a <script> tag in the browser
 * (as window.BookShared) and by require() in Node.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.BookShared = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // An item id stays one token; runs of Chinese characters become overlapping pairs (梯度消失 → 梯度 度消 消失),
  // so that a Chinese phrase matches without a dictionary; everything else splits into words.
  var TOKEN = /S[0-4]-[QC]\d+|\p{Script=Han}+|[\p{L}\p{N}]+/giu;
  var HAN = /^\p{Script=Han}/u;

  function tokenize(text) {
    var tokens = [];
    var matches = String(text).match(TOKEN) || [];
    for (var i = 0; i < matches.length; i++) {
      var word = matches[i];
      if (HAN.test(word) && word.length > 1) {
        for (var j = 0; j + 1 < word.length; j++) tokens.push(word.slice(j, j + 2));
      } else tokens.push(word);
    }
    return tokens;
  }

  function processTerm(term) {
    return term.toLowerCase();
  }

  var ITEM_TERM = /^s[0-4]-[qc]\d+$/;

  /** The index's fields and options; the build and the page must use the same. */
  var indexOptions = {
    idField: "key",
    fields: ["ids", "title", "original", "text"],
    storeFields: ["href", "title", "original", "where", "snippet", "kind"],
    tokenize: tokenize,
    processTerm: processTerm,
    searchOptions: {
      boost: { ids: 6, title: 3, original: 2 },
      // Word prefixes ("gradient" finds "gradients"), not for ids (S0-Q1 must not find S0-Q12) or Chinese pairs.
      prefix: function (term) {
        return term.length >= 3 && /^[a-z]/.test(term) && !ITEM_TERM.test(term);
      },
      fuzzy: function (term) {
        return /^[a-z]{6,}$/.test(term) ? 0.15 : false;
      },
      combineWith: "AND",
    },
  };

  /**
   * The query as typed, and once more with each glossary term in it (Chinese or English) replaced by its
   * translation: the notebooks' prose is English, their questions are in both languages.
   */
  function expandQuery(query, glossary) {
    var queries = [query];
    var lower = query.toLowerCase();
    var translated = lower;
    for (var i = 0; i < (glossary || []).length; i++) {
      var entry = glossary[i];
      if (translated.indexOf(entry.zh) >= 0) translated = translated.split(entry.zh).join(" " + entry.en + " ");
      else if (entry.en.length > 3 && (" " + translated + " ").indexOf(" " + entry.en.toLowerCase() + " ") >= 0) {
        queries.push(lower.split(entry.en.toLowerCase()).join(" " + entry.zh + " "));
      }
    }
    if (translated !== lower) queries.push(translated);
    return queries;
  }

  /** Results for a query, best first: each is { key, href, title, where, snippet, kind, score }. */
  function search(miniSearch, query, glossary) {
    if (!String(query).trim()) return [];
    var queries = expandQuery(String(query).trim(), glossary).map(function (q) {
      return { combineWith: "AND", queries: [q] };
    });
    return miniSearch.search({ combineWith: "OR", queries: queries });
  }

  /** A pseudo-random generator from a 32-bit seed (mulberry32): the same seed gives the same numbers everywhere. */
  function mulberry32(seed) {
    var state = seed >>> 0;
    return function () {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** The items in a random order fixed by the seed (Fisher–Yates); the input is not changed. */
  function seededOrder(items, seed) {
    var random = mulberry32(seed);
    var order = items.slice();
    for (var i = order.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  return { tokenize: tokenize, processTerm: processTerm, indexOptions: indexOptions, expandQuery: expandQuery, search: search, seededOrder: seededOrder };
});
