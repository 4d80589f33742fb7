// The built book, checked against the notebooks it comes from: pages, links, charts, math, search, flash cards,
// identical output on a second build, and a build that refuses to break the question index's rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import MiniSearch from "minisearch";
import { BookRuleError, buildBook, loadGlossary } from "../../scripts/book/build";
import { indexOptions, search, seededOrder } from "../../scripts/book/assets/shared";
import { notebookFiles } from "../../scripts/book/notebooks";
import { readNotebookFile, type Output } from "../../scripts/runner/ipynb";
import { escapeHtml } from "../../lib/display/table";

const started = performance.now();
const startedCpu = process.cpuUsage();
const book = buildBook();
const buildSeconds = (performance.now() - started) / 1000;
// CPU time: what the (single-threaded) build costs on a core of its own, whatever else the machine runs meanwhile.
const buildCpuSeconds = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(startedCpu));
const page = (file: string) => {
  const contents = book.files.get(file);
  assert.ok(contents !== undefined, `the site has ${file}`);
  return contents.toString();
};
const NB16 = "16-rnn-lstm-time-series";
const htmlPages = [...book.files.keys()].filter((file) => file.endsWith(".html"));

test("one page per notebook, plus index, questions, search and cards", () => {
  const expected = notebookFiles().map((file) => file.replace(/^.*\//, "").replace(/\.ipynb$/, ".html"));
  assert.deepEqual(htmlPages.filter((file) => /^\d\d-/.test(file)).sort(), expected);
  for (const file of ["index.html", "questions.html", "search.html", "cards.html"]) assert.ok(book.files.has(file), file);
});

test("a notebook page has a table of contents for its sections and a previous / next bar", () => {
  const html = page(`${NB16}.html`);
  const toc = /<details class="toc">([\s\S]*?)<\/details>/.exec(html)![1]!;
  const sectionIds = [...html.matchAll(/<h[23] id="([^"]+)"/g)].map((match) => match[1]!);
  assert.ok(sectionIds.length >= 10);
  for (const id of sectionIds) assert.ok(toc.includes(`href="#${id}"`), `the contents link to #${id}`);
  assert.match(html, /<nav class="prevnext"><a rel="prev" href="15-transfer-learning\.html">[^<]*<\/a><a rel="next" href="17-word-embeddings-and-text-similarity\.html">/);
  const pages = htmlPages.filter((file) => /^\d\d-/.test(file)).sort();
  assert.doesNotMatch(page(pages[0]!), /rel="prev"/);
  assert.doesNotMatch(page(pages.at(-1)!), /rel="next"/);
});

test("every relative link of every page reaches a file of the site, and every #anchor an id on its page", () => {
  const ids = new Map(htmlPages.map((file) => [file, new Set([...page(file).matchAll(/ id="([^"]+)"/g)].map((match) => match[1]!))]));
  const cards = JSON.parse(page("assets/cards-data.js").replace(/^window\.BOOK_CARDS = /, "").replace(/;\n$/, "")) as { href: string }[];
  const searchData = loadSearchData();
  const links: [string, string][] = [
    ...htmlPages.flatMap((file) => [...page(file).matchAll(/(?:href|src)="([^"]+)"/g)].map((match): [string, string] => [file, match[1]!])),
    ...cards.map((card): [string, string] => ["cards-data.js", card.href]),
    ...Object.values((searchData.index as { storedFields: Record<string, { href: string }> }).storedFields).map((fields): [string, string] => ["search-index.js", fields.href]),
  ];
  let checked = 0;
  for (const [from, link] of links) {
    assert.doesNotMatch(link, /^(\/|[a-z]+:)/i, `${from} links to ${link}: only relative links work from file:// and a subfolder`);
    const [path, anchor] = link.split("#") as [string, string | undefined];
    const target = path === "" ? from : path.replace(/\?.*$/, "");
    if (target.endsWith("cards-data.js") || target.endsWith("search-index.js")) continue;
    assert.ok(book.files.has(target), `${from} links to ${link}, which the site does not have`);
    if (anchor) assert.ok(ids.get(target)?.has(anchor), `${from} links to ${link}: no id "${anchor}" on ${target}`);
    checked += 1;
  }
  assert.ok(checked > 1000, `${checked} links checked`);
});

test("every chart is the notebook's own plotly JSON, drawn by the page, with its PNG as the fallback", () => {
  for (const file of notebookFiles().filter((file) => /\/(04|16)-/.test(file))) {
    const notebook = readNotebookFile(file);
    const bundles = notebook.cells.flatMap((cell) => (cell.cell_type === "code" ? cell.outputs : [])).filter((output: Output) => "data" in output && output.data["application/vnd.plotly.v1+json"] !== undefined) as { data: Record<string, unknown> }[];
    const html = page(file.replace(/^.*\//, "").replace(/\.ipynb$/, ".html"));
    const figures = [...html.matchAll(/<figure class="output plot"><img src="([^"]+)"[^>]*><script type="application\/json" class="plot-data">([\s\S]*?)<\/script><\/figure>/g)];
    assert.ok(bundles.length > 0);
    assert.equal(figures.length, bundles.length, `${file}: one interactive figure per plotly output`);
    figures.forEach((figure, index) => {
      assert.deepEqual(JSON.parse(figure[2]!), bundles[index]!.data["application/vnd.plotly.v1+json"]);
      assert.ok(Buffer.from(book.files.get(figure[1]!) as Buffer).equals(Buffer.from(String(bundles[index]!.data["image/png"]).replace(/\s/g, ""), "base64")));
    });
    assert.match(html, /<script src="assets\/plots\.js"><\/script>/);
  }
  assert.ok(Buffer.from(book.files.get("assets/vendor/plotly.min.js")!).length > 1e6);
});

test("math is typeset at build time, code is highlighted, checks are shown as printed", () => {
  const html = page("04-optimizers-and-lr-schedules.html");
  assert.ok((html.match(/<span class="katex">/g) ?? []).length > 40);
  const prose = html.replace(/<pre[\s\S]*?<\/pre>|<code[\s\S]*?<\/code>|<annotation[\s\S]*?<\/annotation>|<script[\s\S]*?<\/script>/g, "");
  assert.doesNotMatch(prose, /\$\\|\\frac|\\theta/, "no LaTeX left untypeset outside code");
  const nb16 = page(`${NB16}.html`);
  assert.match(nb16, /<code class="hljs language-typescript"><span class="hljs-keyword">import<\/span>/);
  const notebook = readNotebookFile(notebookFiles().find((file) => file.includes(NB16))!);
  const passLines = notebook.cells.flatMap((cell) => (cell.cell_type === "code" ? cell.outputs : [])).flatMap((output) => (output.output_type === "stream" ? output.text.split("\n") : [])).filter((line) => line.startsWith("✓"));
  assert.ok(passLines.length > 10);
  for (const line of passLines) assert.ok(nb16.includes(`<span class="pass">${escapeHtml(line)}</span>`), line);
});

function loadSearchData(): { index: unknown; glossary: { zh: string; en: string }[] } {
  const window: { BOOK_SEARCH?: { index: unknown; glossary: { zh: string; en: string }[] } } = {};
  runInNewContext(page("assets/search-index.js"), { window });
  return window.BOOK_SEARCH!;
}

test("search, as the page runs it: 梯度消失, vanishing gradient and S0-Q12 all find notebook 16's answer first", () => {
  const data = loadSearchData();
  const index = MiniSearch.loadJS(data.index as never, indexOptions as never);
  const first = (query: string) => search(index as never, query, data.glossary)[0] as unknown as { href: string } | undefined;
  assert.match(first("梯度消失")?.href ?? "", /^16-rnn-lstm-time-series\.html#\d+-vanishing-gradients/);
  assert.match(first("vanishing gradient")?.href ?? "", /^16-rnn-lstm-time-series\.html#\d+-vanishing-gradients/);
  assert.match(first("S0-Q12")?.href ?? "", /^16-rnn-lstm-time-series\.html#1-s0-q12-/);
  assert.match(first("s0-q12")?.href ?? "", /^16-rnn-lstm-time-series\.html#1-s0-q12-/);
  // An 原题 finds its item; a prefix of an id does not find a longer id.
  assert.match(first("循环神经网络 区别")?.href ?? "", /^16-rnn-lstm-time-series\.html/);
  assert.ok(!search(index as never, "S0-Q1", data.glossary).some((result) => (result as unknown as { key: string }).key === "S0-Q12"));
  // Without the glossary, Chinese prose queries find only 原题 (the prose is English): the glossary is what links them.
  assert.equal(search(index as never, "梯度消失", []).length, 0);
  assert.deepEqual(JSON.parse(JSON.stringify(data.glossary)), loadGlossary()); // made in the vm's realm
});

test("flash cards: one per answered item, with its short answer; the seeded order is a fixed, unbiased permutation", () => {
  const cards = JSON.parse(page("assets/cards-data.js").replace(/^window\.BOOK_CARDS = /, "").replace(/;\n$/, "")) as { id: string; answer: string }[];
  assert.equal(cards.length, book.coverage.answered);
  for (const card of cards) assert.ok(card.answer.replace(/<[^>]+>/g, "").trim().length > 40, `${card.id} has a short answer`);
  const ids = cards.map((card) => card.id);
  assert.deepEqual(seededOrder(ids, 7), seededOrder(ids, 7));
  assert.deepEqual([...seededOrder(ids, 7)].sort(), [...ids].sort());
  assert.notDeepEqual(seededOrder(ids, 7), seededOrder(ids, 8));
  assert.deepEqual(ids, cards.map((card) => card.id), "the input is not reordered");
  // Each of 4 items lands in each position with probability 1/4: over 4000 seeds, counts within 5 sigma of 1000.
  const counts = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  for (let seed = 0; seed < 4000; seed++) seededOrder([0, 1, 2, 3], seed).forEach((item, position) => counts[item]![position]! += 1);
  const sigma = Math.sqrt(4000 * 0.25 * 0.75);
  for (const row of counts) for (const count of row) assert.ok(Math.abs(count - 1000) < 5 * sigma, `position counts ${JSON.stringify(counts)}`);
});

test("building twice gives identical output", () => {
  const again = buildBook();
  assert.deepEqual([...again.files.keys()], [...book.files.keys()]);
  for (const [file, contents] of again.files) assert.ok(Buffer.from(contents).equals(Buffer.from(book.files.get(file)!)), `${file} differs between two builds`);
});

test("the build fails, naming the item and both notebooks, when an item is answered twice", () => {
  const dir = mkdtempSync(join(tmpdir(), "book-rules-"));
  try {
    const nb16 = notebookFiles().find((file) => file.includes(NB16))!;
    copyFileSync(nb16, join(dir, `${NB16}.ipynb`));
    copyFileSync(nb16, join(dir, "17-word-embeddings-and-text-similarity.ipynb"));
    assert.throws(() => buildBook({ notebooksDir: dir }), (error: unknown) => {
      assert.ok(error instanceof BookRuleError);
      assert.match(error.message, /S0-Q12 is answered twice: in notebooks\/16-rnn-lstm-time-series\.ipynb and in notebooks\/17-word-embeddings-and-text-similarity\.ipynb/);
      assert.equal(error.problems.length, 5, error.message); // the five items of notebook 16's table
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the build stays inside its budget for 34 notebooks: under 30 s and 30 MB on 2 cores", () => {
  const bytes = (files: string[]) => files.reduce((sum, file) => sum + Buffer.byteLength(book.files.get(file)!), 0);
  const all = [...book.files.keys()];
  const perNotebook = all.filter((file) => /^(\d\d-|img\/)/.test(file));
  const written = book.coverage.written;
  const scale = book.coverage.topics / written;
  // Pages and figures grow with the notebooks; the search index and cards with the prose; the libraries stay.
  const projectedBytes = (bytes(perNotebook) + bytes(["assets/search-index.js", "assets/cards-data.js"])) * scale + bytes(all.filter((file) => file.startsWith("assets/vendor/")));
  const projectedSeconds = buildCpuSeconds * scale;
  console.log(
    `book: ${written} notebooks built in ${buildSeconds.toFixed(1)} s wall, ${buildCpuSeconds.toFixed(1)} s CPU (in memory), ${(bytes(all) / 1e6).toFixed(1)} MB; ` +
      `projected to ${book.coverage.topics} notebooks: ${projectedSeconds.toFixed(1)} s CPU, ${(projectedBytes / 1e6).toFixed(1)} MB`,
  );
  assert.ok(projectedBytes < 30e6, `${(projectedBytes / 1e6).toFixed(1)} MB projected`);
  assert.ok(projectedSeconds < 30, `${projectedSeconds.toFixed(1)} s of CPU projected`);
});
