// The book's markdown: heading anchors (unique, never the page-top anchor), math typeset or a clear error.
import { test } from "node:test";
import assert from "node:assert/strict";
import katex from "katex";
import type { Notebook } from "../../scripts/runner/ipynb";
import { highlightCode, newMarkdownEnv, renderMarkdown, TOP_ANCHOR } from "../../scripts/book/markdown";
import { renderNotebookPage } from "../../scripts/book/notebook-page";
import { parseNotebookForBook } from "../../scripts/book/notebooks";

test("headings get unique ids; none takes the page top's anchor", () => {
  const env = newMarkdownEnv();
  const html = renderMarkdown("## Questions\n\n## Recap\n\n## Recap\n\n### 3. Vanishing gradients: `‖∂h‖`\n", env);
  assert.deepEqual(env.headings.map((heading) => heading.id), ["questions-1", "recap", "recap-1", "3-vanishing-gradients-h"]);
  assert.ok(!env.headings.some((heading) => heading.id === TOP_ANCHOR));
  assert.match(html, /<h2 id="recap-1">Recap<\/h2>/);
});

test("math is KaTeX's own rendering of the formula, inline and display; code in backticks is left alone", () => {
  const html = renderMarkdown("Cost $\\frac{a}{b}$ and `${x}`.\n\n$$\\sum_i x_i$$\n", newMarkdownEnv());
  assert.ok(html.includes(katex.renderToString("\\frac{a}{b}")), "inline formula");
  assert.match(html, /<span class="katex-display"><span class="katex">.*<annotation encoding="application\/x-tex">\\sum_i x_i/s, "display formula");
  assert.match(html, /<code>\$\{x\}<\/code>/);
  assert.equal(highlightCode("<b>", "no-such-language"), "&lt;b&gt;");
});

test("a formula KaTeX cannot typeset fails the page, naming notebook and cell", () => {
  const notebook: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: "# 99 · Title" },
      { cell_type: "markdown", metadata: {}, source: "Broken: $\\frac{a}{$" },
    ],
  };
  const parsed = parseNotebookForBook("/x/99-broken.ipynb", notebook);
  assert.throws(() => renderNotebookPage(parsed, {}), /notebooks\/99-broken\.ipynb, cell 2: cannot render its markdown: cannot typeset the formula \\frac\{a\}\{: ParseError: KaTeX parse error/);
  // A macro KaTeX does not know is an error too, not red text on the page.
  assert.throws(() => renderMarkdown("$\\nosuchmacro{x}$", newMarkdownEnv()), /cannot typeset the formula \\nosuchmacro\{x\}: ParseError/);
});
