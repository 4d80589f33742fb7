/**
 * One notebook as a page: its markdown (math typeset now), its TypeScript highlighted, its stored outputs (text,
 * tables, check lines as printed, and every plotly chart with its PNG as the fallback), a table of contents and
 * a previous / next bar. Nothing is executed.
 */
import type { Output } from "../runner/ipynb";
import { escapeHtml, highlightCode, markdownToText, newMarkdownEnv, renderMarkdown, TOP_ANCHOR, type Heading } from "./markdown";
import { renderPage, scriptJson } from "./layout";
import { withoutFencedCode, type ParsedNotebook } from "./notebooks";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

export interface PageLink {
  href: string;
  label: string;
}

/** A section of prose for the search index: the text under one heading. */
export interface SearchSection {
  anchor: string;
  heading: string;
  items: string[];
  text: string;
}

export interface NotebookPage {
  html: string;
  /** Chart PNGs, site-relative path → bytes. */
  images: Map<string, Buffer>;
  sections: SearchSection[];
  plots: number;
}

/** The page file name of a notebook. */
export const pageName = (slug: string) => `${slug}.html`;

export function renderNotebookPage(parsed: ParsedNotebook, neighbours: { previous?: PageLink; next?: PageLink }): NotebookPage {
  const env = newMarkdownEnv();
  const images = new Map<string, Buffer>();
  const sections: SearchSection[] = [{ anchor: TOP_ANCHOR, heading: parsed.title, items: [], text: "" }];
  const cells: string[] = [];
  let plots = 0;
  const context = (index: number) => `notebooks/${parsed.slug}.ipynb, cell ${index + 1}`;

  parsed.notebook.cells.forEach((cell, index) => {
    if (cell.cell_type === "markdown") {
      const before = env.headings.length;
      let html: string;
      try {
        html = renderMarkdown(cell.source, env);
      } catch (error) {
        throw new Error(`${context(index)}: cannot render its markdown: ${(error as Error).message}`);
      }
      addProse(sections, cell.source, env.headings.slice(before), parsed);
      const top = index === 0 ? ` id="${TOP_ANCHOR}"` : "";
      cells.push(`<section class="cell markdown"${top}>\n${index === 0 ? linkQuestionTable(html, parsed) : html}</section>`);
    } else if (cell.cell_type === "code") {
      const outputs = cell.outputs.map((output) => {
        if ("data" in output && output.data[PLOTLY_MIME] !== undefined) plots += 1;
        return renderOutput(output, () => `img/${parsed.slug}/figure-${images.size + 1}.png`, images);
      });
      cells.push(
        `<section class="cell code"><pre class="source"><code class="hljs language-typescript">${highlightCode(cell.source)}</code></pre>` +
          (outputs.length > 0 ? `\n<div class="outputs">\n${outputs.join("\n")}\n</div>` : "") +
          `</section>`,
      );
    }
    // raw cells are not shown, as Jupyter does not show them
  });

  const body = `<div class="layout">
${tableOfContents(env.headings)}
<main class="notebook">
${cells.join("\n")}
</main>
</div>
${prevNext(neighbours)}`;
  const html = renderPage({
    title: `${parsed.number} · ${parsed.title} — ML interview notebooks`,
    kind: "notebook-page",
    scripts: plots > 0 ? ["plots.js"] : [], // plots.js loads vendor/plotly.min.js when a chart is near
    body,
  });
  return { html, images, sections: sections.filter((section) => section.text !== "" || section.anchor !== TOP_ANCHOR), plots };
}

function addProse(sections: SearchSection[], source: string, headings: Heading[], parsed: ParsedNotebook): void {
  // Split the cell's text at its heading lines; the text before the first heading continues the open section.
  const parts = withoutFencedCode(source).split(/^#{1,6}\s.*$/m);
  sections[sections.length - 1]!.text += " " + markdownToText(parts[0] ?? "");
  headings.forEach((heading, k) => {
    const items = parsed.headings.find((h) => h.id === heading.id)?.items ?? [];
    if (heading.level === 1) {
      sections[sections.length - 1]!.text += " " + markdownToText(parts[k + 1] ?? "");
      return;
    }
    sections.push({ anchor: heading.id, heading: heading.text, items, text: markdownToText(parts[k + 1] ?? "") });
  });
}

/** In the first cell's question table, each id links to the section that answers it (when a heading names it). */
function linkQuestionTable(html: string, parsed: ParsedNotebook): string {
  return html.replace(/<td>(S[0-4]-[QC]\d+)<\/td>/g, (cell, id: string) => {
    const heading = parsed.headings.find((candidate) => candidate.items.includes(id));
    return heading ? `<td><a href="#${heading.id}">${id}</a></td>` : cell;
  });
}

function tableOfContents(headings: Heading[]): string {
  const entries = headings
    .filter((heading) => heading.level === 2 || heading.level === 3)
    .map((heading) => `<li class="toc-${heading.level}"><a href="#${heading.id}">${escapeHtml(heading.text)}</a></li>`);
  return `<details class="toc"><summary>Contents</summary>\n<ol>\n<li class="toc-top"><a href="#${TOP_ANCHOR}">Questions and short answer</a></li>\n${entries.join("\n")}\n</ol>\n</details>`;
}

function prevNext({ previous, next }: { previous?: PageLink; next?: PageLink }): string {
  const link = (page: PageLink | undefined, rel: string, arrow: string) =>
    page ? `<a rel="${rel}" href="${page.href}">${rel === "prev" ? arrow + " " : ""}${escapeHtml(page.label)}${rel === "next" ? " " + arrow : ""}</a>` : "<span></span>";
  return `<nav class="prevnext">${link(previous, "prev", "←")}${link(next, "next", "→")}</nav>`;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const text = (value: unknown) => (Array.isArray(value) ? value.join("") : String(value ?? "")).replace(ANSI, "");

/** Check lines as the notebook prints them, with ✓ and ✗ lines marked for colour. */
function renderStream(content: string, name: string): string {
  const lines = escapeHtml(content.replace(/\n$/, ""))
    .split("\n")
    .map((line) => (line.startsWith("✓") ? `<span class="pass">${line}</span>` : line.startsWith("✗") ? `<span class="fail">${line}</span>` : line));
  return `<pre class="output stream ${name === "stderr" ? "stderr" : "stdout"}">${lines.join("\n")}</pre>`;
}

function renderOutput(output: Output, nextImagePath: () => string, images: Map<string, Buffer>): string {
  switch (output.output_type) {
    case "stream":
      return renderStream(text(output.text), output.name);
    case "error":
      return `<pre class="output error">${escapeHtml(`${output.ename}: ${output.evalue}\n${text(output.traceback.join("\n"))}`)}</pre>`;
    case "display_data":
    case "execute_result": {
      const data = output.data;
      const plain = data["text/plain"] === undefined ? "" : text(data["text/plain"]);
      if (data[PLOTLY_MIME] !== undefined) {
        const png = data["image/png"];
        let fallback = `<p class="plot-text">${escapeHtml(plain)}</p>`;
        if (png !== undefined) {
          const path = nextImagePath();
          images.set(path, Buffer.from(text(png).replace(/\s/g, ""), "base64"));
          fallback = `<img src="${path}" alt="${escapeHtml(plain)}" loading="lazy">`;
        }
        return `<figure class="output plot">${fallback}<script type="application/json" class="plot-data">${scriptJson(data[PLOTLY_MIME])}</script></figure>`;
      }
      if (data["text/html"] !== undefined) return `<div class="output html">${text(data["text/html"])}</div>`;
      if (data["image/png"] !== undefined) {
        const path = nextImagePath();
        images.set(path, Buffer.from(text(data["image/png"]).replace(/\s/g, ""), "base64"));
        return `<figure class="output image"><img src="${path}" alt="${escapeHtml(plain)}" loading="lazy"></figure>`;
      }
      if (data["image/svg+xml"] !== undefined) return `<figure class="output image">${text(data["image/svg+xml"])}</figure>`;
      return `<pre class="output text">${escapeHtml(plain)}</pre>`;
    }
  }
}
