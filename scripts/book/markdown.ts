/**
 * Markdown for the book: markdown-it with KaTeX math typeset at build time (`$…$`, `$$…$$`, as Jupyter and VS
 * Code read them), highlight.js for code, and an id on every heading. Heading ids are made here only, so that the
 * table of contents, the question index and search all link to the same anchors.
 */
import MarkdownIt from "markdown-it";
import markdownKatex from "@vscode/markdown-it-katex";
import katex, { type KatexOptions } from "katex";
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import javascript from "highlight.js/lib/languages/javascript";
import python from "highlight.js/lib/languages/python";
import bash from "highlight.js/lib/languages/bash";
import json from "highlight.js/lib/languages/json";
import { escapeHtml } from "../../lib/display/table";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("python", python);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("json", json);

export interface Heading {
  level: number;
  /** Plain text, as a reader sees it. */
  text: string;
  id: string;
}

/** Unique, stable anchors for one page, GitHub style (`## 3. Vanishing gradients` → `3-vanishing-gradients`). */
export class Slugger {
  private readonly used = new Map<string, number>();
  slug(text: string): string {
    const base =
      text
        .toLowerCase()
        .normalize("NFKC")
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .trim()
        .replace(/\s+/g, "-") || "section";
    const count = this.used.get(base) ?? 0;
    this.used.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  }
}

/** What one page's markdown rendering needs: its slugger, and the headings found so far. */
export interface MarkdownEnv extends MarkdownIt.Env {
  slugger: Slugger;
  headings: Heading[];
}

/** The anchor of a notebook page's top (its question table); no heading gets it. */
export const TOP_ANCHOR = "questions";

export function newMarkdownEnv(): MarkdownEnv {
  const slugger = new Slugger();
  slugger.slug(TOP_ANCHOR);
  return { slugger, headings: [] };
}

/** Highlighted HTML for code (TypeScript unless told); unknown languages are escaped, not guessed. */
export function highlightCode(code: string, language = "typescript"): string {
  const known = hljs.getLanguage(language) ? language : undefined;
  return known ? hljs.highlight(code, { language: known, ignoreIllegals: true }).value : escapeHtml(code);
}

// One HTML escaper for the project (lib/display/table.ts), re-exported for the book's modules.
export { escapeHtml };

function createMarkdown(): MarkdownIt.MarkdownIt {
  const md = new MarkdownIt({
    html: true, // the notebooks are this project's own; Jupyter renders their HTML too
    highlight: (code, language) => highlightCode(code, language || "typescript"),
  });
  // KaTeX throws on any formula it cannot typeset (also an unknown macro, which it would otherwise print in red);
  // the plugin catches that and writes a katex-error element instead, which renderMarkdown turns into an error.
  const strictKatex = { ...katex, renderToString: (tex: string, options?: KatexOptions) => katex.renderToString(tex, { ...options, throwOnError: true }) };
  md.use(markdownKatex, { throwOnError: false, katex: strictKatex });
  md.core.ruler.push("heading_ids", (state) => {
    const env = state.env as Partial<MarkdownEnv>;
    if (!env.slugger || !env.headings) throw new Error("render markdown with newMarkdownEnv()");
    state.tokens.forEach((token, index) => {
      if (token.type !== "heading_open") return;
      const inline = state.tokens[index + 1];
      const text = plainText(inline?.children ?? []);
      const id = env.slugger!.slug(text);
      token.attrSet("id", id);
      env.headings!.push({ level: Number(token.tag.slice(1)), text, id });
    });
  });
  return md;
}

type InlineToken = { type: string; content: string; children: InlineToken[] | null };

function plainText(tokens: InlineToken[]): string {
  return tokens
    .map((token) => (token.type === "text" || token.type === "code_inline" || token.type.startsWith("math") ? token.content : plainText(token.children ?? [])))
    .join("")
    .trim();
}

const markdown = createMarkdown();

/** HTML of one markdown cell; its headings are added to `env`. A formula KaTeX cannot typeset throws, naming it. */
export function renderMarkdown(source: string, env: MarkdownEnv): string {
  const html = markdown.render(source, env);
  // The plugin's error element: the formula in its title, KaTeX's message as its text.
  const error = /class="(?:katex-block )?katex-error" title="([^"]*)">([^<]*)</.exec(html);
  if (error) throw new Error(`cannot typeset the formula ${decodeEntities(error[1]!)}: ${decodeEntities(error[2]!)}`);
  return html;
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The headings of a markdown text with the ids `renderMarkdown` gives them (with the same env). */
export function markdownHeadings(source: string, env: MarkdownEnv): Heading[] {
  const before = env.headings.length;
  markdown.parse(source, env);
  return env.headings.slice(before);
}

/** Text without markup, for the search index and short summaries. */
export function markdownToText(source: string): string {
  return source
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/\$\$[\s\S]*?\$\$/g, " ") // display formulas: TeX is noise in a snippet
    .replace(/\$([^$\n]+)\$/g, (_, tex: string) => tex.replace(/\\[a-zA-Z]+|[{}\\]/g, "").replace(/\s+/g, " "))
    .replace(/<[^>]+>/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*`#>|]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
