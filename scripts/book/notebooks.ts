/**
 * The written notebooks as the book sees them: their stored .ipynb (nothing is executed), their headings with
 * the anchors the pages give them, and the items each declares in its "Questions this notebook answers" table.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readNotebookFile, type Notebook } from "../runner/ipynb";
import { markdownHeadings, newMarkdownEnv, type Heading } from "./markdown";

export const NOTEBOOKS_DIR = join(__dirname, "..", "..", "notebooks");

export const ITEM_ID_PATTERN = /\bS[0-4]-[QC]\d+\b/g;

export interface NotebookHeading extends Heading {
  /** Index of the markdown cell that holds it. */
  cell: number;
  /** Item ids the heading names: the section answers them. */
  items: string[];
}

export interface DeclaredItem {
  id: string;
  /** 1-based line in the first cell, for error messages. */
  line: number;
}

export interface ParsedNotebook {
  /** `16-rnn-lstm-time-series` */
  slug: string;
  /** `16` */
  number: string;
  /** The first heading, without its number: "Recurrent networks (RNN, LSTM, GRU) and time-series forecasting". */
  title: string;
  file: string;
  notebook: Notebook;
  headings: NotebookHeading[];
  declared: DeclaredItem[];
}

/** `NN-slug.ipynb` files of a folder, in study order. */
export function notebookFiles(dir = NOTEBOOKS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => /^\d\d-[a-z0-9-]+\.ipynb$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

export function parseNotebookFile(file: string): ParsedNotebook {
  return parseNotebookForBook(file, readNotebookFile(file));
}

export function parseNotebookForBook(file: string, notebook: Notebook): ParsedNotebook {
  const slug = file.replace(/^.*[\\/]/, "").replace(/\.ipynb$/, "");
  const env = newMarkdownEnv();
  const headings: NotebookHeading[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "markdown") return;
    for (const heading of markdownHeadings(cell.source, env)) {
      headings.push({ ...heading, cell: index, items: heading.level === 1 ? [] : [...new Set(heading.text.match(ITEM_ID_PATTERN) ?? [])] });
    }
  });
  const first = headings.find((heading) => heading.level === 1);
  const title = (first?.text ?? slug).replace(/^\d+\s*·\s*/, "");
  return { slug, number: slug.slice(0, 2), title, file, notebook, headings, declared: declaredItems(notebook) };
}

/**
 * The rows of the first cell's question table (`| S0-Q12 | question | 原题 |` after "Questions this notebook
 * answers"): the items this notebook says it answers.
 */
export function declaredItems(notebook: Notebook): DeclaredItem[] {
  const first = notebook.cells[0];
  if (first?.cell_type !== "markdown") return [];
  const lines = first.source.split("\n");
  const start = lines.findIndex((line) => /questions this notebook answers/i.test(line));
  if (start < 0) return [];
  const declared: DeclaredItem[] = [];
  for (let index = start + 1; index < lines.length; index++) {
    const row = /^\|\s*(S[0-4]-[QC]\d+)\s*\|/.exec(lines[index]!);
    if (row) declared.push({ id: row[1]!, line: index + 1 });
    else if (declared.length > 0 && !lines[index]!.startsWith("|")) break; // the table ended
  }
  return declared;
}

/**
 * The "**Short answer.**" paragraph that follows a heading in its cell, or else the notebook's own
 * "**The short answer an interviewer wants.**" paragraph; markdown, without the bold lead-in.
 */
export function shortAnswer(parsed: ParsedNotebook, heading: NotebookHeading | undefined): string | undefined {
  if (heading) {
    const cell = parsed.notebook.cells[heading.cell]!.source;
    const lines = withoutFencedCode(cell).split("\n");
    // The heading is the k-th ATX heading line of its cell.
    const k = parsed.headings.filter((other) => other.cell === heading.cell).indexOf(heading);
    const headingLines = lines.flatMap((line, index) => (/^#{1,6}\s/.test(line) ? [index] : []));
    const section: string[] = [];
    for (const line of lines.slice((headingLines[k] ?? lines.length) + 1)) {
      if (/^#{1,6}\s/.test(line)) break;
      section.push(line);
    }
    const found = leadParagraph(section.join("\n"), /^\*\*Short answer\.?\*\*\s*/);
    if (found) return found;
  }
  const top = parsed.notebook.cells[0];
  return top?.cell_type === "markdown" ? leadParagraph(top.source, /^\*\*The short answer an interviewer wants\.?\*\*\s*/) : undefined;
}

function leadParagraph(text: string, lead: RegExp): string | undefined {
  const paragraph = text.split(/\n\s*\n/).find((block) => lead.test(block.trim()));
  return paragraph?.trim().replace(lead, "");
}

/** The text with fenced code blocks blanked (same line count), so that a `# comment` in code is no heading. */
export function withoutFencedCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ""));
}
