/**
 * The book's own pages: the contents (every notebook, written or planned), the question index (every item with
 * its status; the project's coverage report), search, and flash cards, with the data the last two load.
 */
import type { AnswerIndex, ItemStatus } from "./answers";
import { escapeHtml, renderMarkdown, newMarkdownEnv } from "./markdown";
import { renderPage, scriptJson } from "./layout";
import type { ParsedNotebook } from "./notebooks";
import { shortAnswer } from "./notebooks";
import { pageName } from "./notebook-page";
import { KIND_NAMES, topicsOf, type Item, type QuestionData } from "./questions";
import type { GlossaryEntry } from "./assets/shared";

export interface Coverage {
  items: number;
  answered: number;
  missing: number;
  planned: number;
  written: number;
  topics: number;
}

export function coverageOf(data: QuestionData, index: AnswerIndex, notebooks: ParsedNotebook[]): Coverage {
  const count = (status: ItemStatus) => [...index.status.values()].filter((value) => value === status).length;
  return { items: data.items.length, answered: count("answered"), missing: count("missing"), planned: count("planned"), written: notebooks.length, topics: topicsOf(data).length };
}

const topicNumber = (topic: string) => topic.slice(0, 2);
const topicName = (topic: string) => topic.slice(3).replace(/-/g, " ");

export function answerHref(index: AnswerIndex, item: Item): string {
  const answer = index.answers.get(item.id);
  return answer ? `${pageName(answer.notebook.slug)}#${answer.anchor}` : `questions.html#${item.id}`;
}

export function renderHomePage(data: QuestionData, index: AnswerIndex, notebooks: ParsedNotebook[]): string {
  const bySlug = new Map(notebooks.map((notebook) => [notebook.slug, notebook]));
  const coverage = coverageOf(data, index, notebooks);
  const rows = topicsOf(data).map((topic) => {
    const items = data.items.filter((item) => item.topic === topic);
    const notebook = bySlug.get(topic);
    const title = notebook ? `<a href="${pageName(topic)}">${escapeHtml(notebook.title)}</a>` : `<span class="planned">${escapeHtml(topicName(topic))}</span>`;
    const ids = items.map((item) => `<a href="${answerHref(index, item)}">${item.id}</a>`).join(", ");
    return `<tr><td>${topicNumber(topic)}</td><td>${title}</td><td>${ids}</td><td>${notebook ? "written" : "planned"}</td></tr>`;
  });
  // Notebooks outside the topic list (none today) still get a row and a page.
  for (const notebook of notebooks.filter((notebook) => !topicsOf(data).includes(notebook.slug))) {
    rows.push(`<tr><td>${notebook.number}</td><td><a href="${pageName(notebook.slug)}">${escapeHtml(notebook.title)}</a></td><td></td><td>written</td></tr>`);
  }
  const body = `<main class="wide">
<h1>${"ML interview notebooks"}</h1>
<p>Machine-learning and LLM interview questions answered in TypeScript notebooks: the short answer an interviewer
wants, the long answer with code, charts you can explore, and checks that prove each claim. This book is built
from the notebooks' stored outputs; every chart is interactive.</p>
<p class="coverage"><strong>${coverage.answered}</strong> of ${coverage.items} questions answered in ${coverage.written} notebooks;
${coverage.planned} planned${coverage.missing > 0 ? `; <strong>${coverage.missing} missing</strong>` : ""}.
Browse the <a href="questions.html">question index</a>, <a href="search.html">search</a> in English or Chinese, or drill with
<a href="cards.html">flash cards</a>.</p>
<div class="table-scroll"><table class="contents">
<thead><tr><th>#</th><th>notebook</th><th>questions</th><th>status</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table></div>
</main>`;
  return renderPage({ title: "ML interview notebooks", kind: "home-page", body });
}

export function renderQuestionsPage(data: QuestionData, index: AnswerIndex, notebooks: ParsedNotebook[]): string {
  const banks = new Map(data.banks.map((bank) => [bank.id, bank]));
  const coverage = coverageOf(data, index, notebooks);
  const bySlug = new Map(notebooks.map((notebook) => [notebook.slug, notebook]));
  const groups = topicsOf(data).map((topic) => {
    const notebook = bySlug.get(topic);
    const heading = notebook
      ? `<a href="${pageName(topic)}">${topicNumber(topic)} · ${escapeHtml(notebook.title)}</a>`
      : `${topicNumber(topic)} · ${escapeHtml(topicName(topic))} <span class="badge planned">planned</span>`;
    const rows = data.items
      .filter((item) => item.topic === topic)
      .map((item) => {
        const status = index.status.get(item.id)!;
        const answer = index.answers.get(item.id);
        const where = answer
          ? `<a href="${answerHref(index, item)}">${escapeHtml(answer.heading?.text ?? `${answer.notebook.number} · questions and short answer`)}</a>` +
            answer.alsoAt.map((heading) => `<div class="also">also <a href="${pageName(answer.notebook.slug)}#${heading.id}">${escapeHtml(heading.text)}</a></div>`).join("")
          : `<span class="badge ${status}">${status}</span>`;
        const bank = banks.get(item.bank)!;
        return `<tr id="${item.id}" class="${status}"><td class="id">${item.id}</td><td>${escapeHtml(item.english)}<div class="original" lang="zh">${escapeHtml(item.original)}</div></td><td class="bank" title="${escapeHtml(bank.english)}">${item.bank}</td><td class="kind">${KIND_NAMES[item.kind]}</td><td>${where}</td></tr>`;
      });
    return `<h2 id="topic-${topicNumber(topic)}">${heading}</h2>
<div class="table-scroll"><table class="questions"><thead><tr><th>id</th><th>question · 原题</th><th class="bank">bank</th><th class="kind">kind</th><th>answer</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table></div>`;
  });
  const bankList = data.banks.map((bank) => `<li><strong>${bank.id}</strong> ${escapeHtml(bank.english)} <span lang="zh">(${escapeHtml(bank.original)})</span></li>`).join("\n");
  const body = `<main class="wide">
<h1>All ${coverage.items} questions</h1>
<p class="coverage" id="coverage">Coverage: <strong>${coverage.answered}</strong> answered, ${coverage.missing} missing (a written
notebook that does not answer an item of its topic), ${coverage.planned} planned (their notebook is not written yet);
${coverage.written} of ${coverage.topics} notebooks written. Each link goes to the place in the notebook that answers the question.</p>
<details><summary>The five question banks</summary><ul>
${bankList}
</ul></details>
${groups.join("\n")}
</main>`;
  return renderPage({ title: "Question index — ML interview notebooks", kind: "questions-page", body });
}

export interface FlashCard {
  id: string;
  topic: string;
  notebook: string;
  english: string;
  original: string;
  answer: string;
  href: string;
}

/** One card per answered item: the question in both languages and its short answer as HTML. */
export function flashCards(data: QuestionData, index: AnswerIndex): FlashCard[] {
  return data.items.flatMap((item) => {
    const answer = index.answers.get(item.id);
    if (!answer) return [];
    const markdown = shortAnswer(answer.notebook, answer.heading) ?? "See the full answer.";
    return [{ id: item.id, topic: item.topic, notebook: `${answer.notebook.number} · ${answer.notebook.title}`, english: item.english, original: item.original, answer: renderMarkdown(markdown, newMarkdownEnv()), href: answerHref(index, item) }];
  });
}

export function renderCardsPage(cards: FlashCard[]): string {
  const topics = [...new Map(cards.map((card) => [card.topic, card.notebook])).entries()];
  const body = `<main class="cards">
<h1>Flash cards</h1>
<form class="card-options">
<label>Topic <select name="topic"><option value="">all topics (${cards.length} cards)</option>
${topics.map(([topic, label]) => `<option value="${topic}">${escapeHtml(label)}</option>`).join("\n")}
</select></label>
<label>Question in <select name="lang"><option value="en">English</option><option value="zh">原题 (Chinese)</option></select></label>
<label>Seed <input name="seed" type="number" value="1" min="0" step="1"></label>
</form>
<article class="card" aria-live="polite">
<p class="card-meta"></p>
<h2 class="card-question"></h2>
<button type="button" class="reveal">Show answer</button>
<div class="card-answer" hidden></div>
</article>
<nav class="card-nav"><button type="button" class="previous">← Previous</button><span class="card-count"></span><button type="button" class="next">Next →</button></nav>
<p class="note">The order is random but fixed by the seed: the same seed gives the same order on every device. Nothing leaves
your browser; the cards you mark as known are kept in its local storage.</p>
<label class="known-toggle"><input type="checkbox" class="known"> I know this one</label>
</main>`;
  return renderPage({ title: "Flash cards — ML interview notebooks", kind: "cards-page", scripts: ["cards-data.js", "cards.js"], body });
}

export function cardsDataScript(cards: FlashCard[]): string {
  return `window.BOOK_CARDS = ${scriptJson(cards)};\n`;
}

export function renderSearchPage(): string {
  const body = `<main class="wide search">
<h1>Search</h1>
<form class="search-form" action="search.html" role="search"><input name="q" type="search" autofocus placeholder="vanishing gradient, 梯度消失, S0-Q12 …" aria-label="Search the book"></form>
<p class="search-status"></p>
<ol class="results"></ol>
</main>`;
  return renderPage({ title: "Search — ML interview notebooks", kind: "search-page", scripts: ["vendor/minisearch.js", "search-index.js", "search.js"], body });
}

export function searchIndexScript(index: unknown, glossary: GlossaryEntry[]): string {
  return `window.BOOK_SEARCH = ${scriptJson({ index, glossary })};\n`;
}
