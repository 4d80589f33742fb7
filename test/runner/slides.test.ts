// `npm run slides` (issue 13.9): one slide per heading, reveal.js from this clone's node_modules (offline), decks
// outside notebooks/. Needs `jupyter nbconvert` (Debian's jupyter-nbconvert, installed by .ci/run); skipped
// without it, except in CI.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../../lib/display/chromium";
import { parseNotebookSource } from "../../scripts/runner/notebook-source";
import { exportSlides, REVEAL_DIR, selectNotebooks, withSlideBreaks } from "../../scripts/runner/slides";
import { buildNotebook, readNotebookFile, slideType } from "../../scripts/runner/ipynb";

const ROOT = join(__dirname, "..", "..");
const installed = spawnSync("jupyter", ["nbconvert", "--version"], { stdio: "ignore" }).status === 0;
const skip = installed || process.env["CI"] === "true" ? false : "needs jupyter nbconvert (apt-get install jupyter-nbconvert)";
const work = mkdtempSync(join(tmpdir(), "slides-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("slide rule: the first cell and # / ## headings start a slide, ### a sub-slide, everything else continues", () => {
  const source = parseNotebookSource(
    ["// %%", "const a = 1;", "", "// %% [markdown]", "// # Title", "", "// %% [markdown]", "// ## Section", "//", "// text", "", "// %% [markdown]", "// ### Part", "", "// %% [markdown]", "// Some text with ## inside", "", "// %%", "// ## not markdown", "const b = 2;", ""].join("\n"),
    "rule.ts",
  );
  const types = buildNotebook(source).cells.map((cell) => (cell.metadata["slideshow"] as { slide_type: string }).slide_type);
  assert.deepEqual(types, ["slide", "slide", "slide", "subslide", "-", "-"]);
  assert.equal(slideType({ type: "markdown", source: "#### Deep" }, 3), "-");
  assert.equal(slideType({ type: "markdown", source: "\n## After a blank line" }, 3), "slide");
});

test("selectNotebooks: a number, a source or notebook path; a bad one is named", () => {
  const [byNumber] = selectNotebooks(["3"]);
  assert.match(byNumber ?? "", /notebooks[\\/]03-[^/\\]+\.ipynb$/);
  assert.deepEqual(selectNotebooks([join("notebooks", "03-loss-functions.ts")]), [resolve("notebooks", "03-loss-functions.ipynb")]);
  assert.throws(() => selectNotebooks(["99"]), /no notebook number 99/);
  assert.throws(() => selectNotebooks(["nope.ipynb"]), /no notebook nope\.ipynb/);
});

test("a deck has a slide per section and runs reveal.js from node_modules in a browser, offline", { skip }, async () => {
  const before = readdirSync(join(ROOT, "notebooks")).sort();
  const deck = exportSlides(join(ROOT, "notebooks", "03-loss-functions.ipynb"), work);
  assert.deepEqual(readdirSync(join(ROOT, "notebooks")).sort(), before, "nothing written into notebooks/");
  const html = readFileSync(deck, "utf8");
  assert.ok(!/unpkg\.com|cdn\.jsdelivr/.test(html), "no reveal.js from a CDN");
  const references = [...html.matchAll(/"([^"]*reveal\.js\/dist\/reveal\.(?:js|css))"/g)].map((m) => m[1] as string);
  assert.ok(references.length >= 2, "reveal.js and its CSS are referenced");
  for (const reference of references) assert.equal(resolve(dirname(deck), reference), join(REVEAL_DIR, reference.slice(reference.indexOf("dist/"))));
  assert.ok(existsSync(join(REVEAL_DIR, "dist", "reveal.js")));

  const headings = withSlideBreaks(readNotebookFile(join(ROOT, "notebooks", "03-loss-functions.ipynb")))
    .cells.filter((cell) => (cell.metadata["slideshow"] as { slide_type: string }).slide_type === "slide").length;
  assert.ok(headings > 1);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const remote: string[] = [];
    page.on("request", (request) => void (request.url().startsWith("http") && remote.push(request.url())));
    await page.goto(pathToFileURL(deck).href);
    await page.waitForSelector(".reveal.ready", { timeout: 60_000 });
    const slides = await page.evaluate(() => (globalThis as any).document.querySelectorAll(".reveal .slides > section").length as number);
    assert.equal(slides, headings, "one reveal.js slide per slide break");
    assert.deepEqual(remote.filter((url) => /reveal/.test(url)), [], "reveal.js never came from the network");
  } finally {
    await browser.close();
  }
});
