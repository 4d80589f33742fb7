// The built book in a real browser (playwright-core with the bundled Chromium), opened from file:// as a learner
// would: every page loads without a console error or a failed request; a chart is drawn by plotly and answers
// the mouse; math is typeset with KaTeX's fonts; search and a flash card work; nothing scrolls sideways on a
// phone. Screenshots of three pages at phone and desktop width go to reports/book-screenshots/ for a person.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../../lib/display/chromium";
import { buildBook } from "../../scripts/book/build";
import { writeSite } from "../../scripts/book/output-dir";

const SCREENSHOTS = join(__dirname, "..", "..", "reports", "book-screenshots");
const NB16 = "16-rnn-lstm-time-series.html";

// The bundled Chromium is Linux x64 only; elsewhere CHROMIUM_PATH names a Chrome or Chromium (lib/display/chromium.ts).
const browserAvailable = (process.platform === "linux" && process.arch === "x64") || Boolean(process.env["CHROMIUM_PATH"]);

test("the book in Chromium", { skip: browserAvailable ? false : "no browser: set CHROMIUM_PATH to a Chrome or Chromium" }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "book-site-"));
  const book = buildBook();
  writeSite(dir, book.files);
  const url = (file: string) => new URL(file, pathToFileURL(`${dir}/`)).href;
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  browser = await launchChromium();
  const problems: string[] = [];
  const open = async (width: number, height: number): Promise<Page> => {
    const page = await browser!.newPage({ viewport: { width, height } });
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`script error on ${page.url()}: ${error.message}`));
    // A request the page itself cancels by moving on (a lazy image still loading) ends in net::ERR_ABORTED; a file
    // the site lacks ends in net::ERR_FILE_NOT_FOUND.
    page.on("requestfailed", (request) => {
      const reason = request.failure()?.errorText ?? "";
      if (reason !== "net::ERR_ABORTED") problems.push(`failed request ${request.url()} from ${page.url()}: ${reason}`);
    });
    return page;
  };
  const desktop = await open(1280, 900);
  const phone = await open(390, 844);

  await t.test("every page loads with no console error and no failed request, and fits a phone's width", async () => {
    const pages = [...book.files.keys()].filter((file) => file.endsWith(".html")).sort();
    for (const file of pages) {
      await phone.goto(url(file), { waitUntil: "load" });
      const { scrollWidth, clientWidth } = await phone.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      assert.ok(scrollWidth <= clientWidth, `${file}: ${scrollWidth} px wide in a ${clientWidth} px phone screen`);
    }
    assert.deepEqual(problems, []);
  });

  await t.test("a chart is drawn by plotly (an SVG in the figure) and shows a hover label", async () => {
    await desktop.goto(url(NB16));
    const figure = desktop.locator("figure.plot").first();
    await figure.scrollIntoViewIfNeeded();
    await desktop.locator("figure.plot.interactive svg.main-svg").first().waitFor({ timeout: 15_000 });
    assert.equal(await figure.locator("img").isVisible(), false, "the PNG fallback is hidden once the chart is drawn");
    // Put the mouse on the first trace's middle point, found from plotly's own axes.
    const point = await figure.locator(".plot-area").evaluate((element) => {
      type Axis = { l2p: (value: number) => number; d2l: (value: unknown) => number };
      const plot = element as unknown as { _fullLayout: { xaxis: Axis; yaxis: Axis; _size: { l: number; t: number } }; _fullData: { x: unknown[]; y: unknown[] }[] };
      const { xaxis, yaxis, _size } = plot._fullLayout;
      const trace = plot._fullData[0]!;
      const middle = Math.floor(trace.x.length / 2);
      const rect = element.getBoundingClientRect();
      return { x: rect.left + _size.l + xaxis.l2p(xaxis.d2l(trace.x[middle])), y: rect.top + _size.t + yaxis.l2p(yaxis.d2l(trace.y[middle])) };
    });
    await desktop.mouse.move(point.x - 5, point.y);
    await desktop.mouse.move(point.x, point.y);
    await figure.locator(".hoverlayer .hovertext").first().waitFor({ timeout: 5_000 });
  });

  await t.test("math is typeset, with KaTeX's fonts, and code is highlighted", async () => {
    await desktop.goto(url("04-optimizers-and-lr-schedules.html"));
    assert.ok((await desktop.locator(".katex").count()) > 40);
    // load() resolves to the faces it loaded for the font: none when KaTeX's fonts are not in the site.
    const fonts = await desktop.evaluate(async () => (await document.fonts.load("16px KaTeX_Main")).length > 0);
    assert.ok(fonts, "KaTeX fonts loaded from the site");
    assert.ok((await desktop.locator("pre.source .hljs-keyword").count()) > 10);
  });

  await t.test("search finds notebook 16's answer first for a Chinese phrase, an English phrase and an item id", async () => {
    for (const query of ["梯度消失", "vanishing gradient", "S0-Q12"]) {
      await desktop.goto(`${url("search.html")}?q=${encodeURIComponent(query)}`);
      const first = desktop.locator("ol.results li a").first();
      assert.match((await first.getAttribute("href")) ?? "", /^16-rnn-lstm-time-series\.html#/, query);
    }
    // Typing in the box searches as you type.
    await desktop.locator(".search-form input").fill("S4-C20");
    assert.match((await desktop.locator("ol.results li a").first().getAttribute("href")) ?? "", /^17-word-embeddings/);
  });

  await t.test("a flash card reveals its answer, with a link to the full answer", async () => {
    await desktop.goto(`${url("cards.html")}?topic=16-rnn-lstm-time-series&seed=3`);
    assert.equal(await desktop.locator(".card-answer").isVisible(), false);
    await desktop.locator("button.reveal").click();
    assert.ok(((await desktop.locator(".card-answer").innerText()) ?? "").length > 40);
    const href = (await desktop.locator(".card-answer a", { hasText: "Full answer" }).getAttribute("href")) ?? "";
    assert.match(href, /^16-rnn-lstm-time-series\.html#/);
    assert.match(await desktop.locator(".card-count").innerText(), /^1 \/ 5$/);
  });

  await t.test("on a phone nothing scrolls sideways with search results and charts drawn; screenshots for a person", async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const file of ["search.html?q=vanishing%20gradient", NB16]) {
      await phone.goto(url(file));
      if (file === NB16) {
        await phone.locator("figure.plot").nth(1).scrollIntoViewIfNeeded();
        await phone.locator("figure.plot.interactive svg.main-svg").nth(1).waitFor({ timeout: 15_000 });
      } else await phone.locator("ol.results li").first().waitFor();
      const { scrollWidth, clientWidth } = await phone.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      assert.ok(scrollWidth <= clientWidth, `${file}: ${scrollWidth} px wide in a ${clientWidth} px phone screen`);
    }
    for (const [name, file] of [["notebook-16", NB16], ["questions", "questions.html"], ["cards", "cards.html"]] as const) {
      await phone.goto(url(file));
      await phone.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`) });
      await desktop.goto(url(file));
      await desktop.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`) });
    }
    assert.deepEqual(problems, []);
  });
});
