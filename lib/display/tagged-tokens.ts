/**
 * A sentence with one or more rows of BIO tags (the truth, a model's guesses) as a table whose cells are
 * coloured by entity type, so a reader sees at a glance where a tagger starts, extends or misses an entity.
 * Cells of a row that disagree with the first row are outlined in red and marked `*` in the text version.
 *
 *   displayBundle(taggedTokensBundle(["anna", "lives", "in", "new", "york"],
 *     [{ name: "true", tags: ["B-PER", "O", "O", "B-LOC", "I-LOC"] }, { name: "BiLSTM", tags: predicted }]));
 */
import { escapeHtml } from "./table";

export interface TagRow {
  name: string;
  /** [tokens] one BIO tag per token */
  tags: readonly string[];
}

/** Background colours of the entity types the notebooks use; any other type gets a grey. */
export const ENTITY_COLOURS: Record<string, string> = { PER: "#fdd0a2", LOC: "#c7e9c0", ORG: "#c6dbef" };
const OTHER_TYPE_COLOUR = "#d9d9d9";

function colourOf(tag: string): string {
  if (tag === "O") return "#ffffff";
  return ENTITY_COLOURS[tag.replace(/^[BI]-/, "")] ?? OTHER_TYPE_COLOUR;
}

/** HTML (coloured) and plain-text (aligned, `*` on disagreements) versions of the tagged sentence. */
export function taggedTokensBundle(tokens: readonly string[], rows: readonly TagRow[], options: { caption?: string } = {}): Record<"text/html" | "text/plain", string> {
  if (!Array.isArray(tokens as unknown) || tokens.length === 0) throw new RangeError("taggedTokensBundle: tokens must be a non-empty array of strings");
  if (!Array.isArray(rows as unknown) || rows.length === 0) throw new RangeError("taggedTokensBundle: rows must hold at least one { name, tags } row");
  rows.forEach((row, r) => {
    if (!Array.isArray(row.tags as unknown) || row.tags.length !== tokens.length) {
      throw new RangeError(`taggedTokensBundle: rows[${r}] ("${row.name}") has ${Array.isArray(row.tags as unknown) ? row.tags.length : typeof row.tags} tags for ${tokens.length} tokens`);
    }
  });
  const reference = rows[0]!.tags;
  const differs = (row: TagRow, t: number) => row !== rows[0] && row.tags[t] !== reference[t];
  const cell = (tag: string, wrong: boolean) =>
    `<td style="background:${colourOf(tag)};${wrong ? "outline:2px solid #d62728;" : ""}text-align:center">${escapeHtml(tag)}</td>`;
  const html = [
    `<table style="border-collapse:collapse;font-family:monospace">`,
    options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "",
    `<tr><th></th>${tokens.map((token) => `<th style="padding:2px 6px">${escapeHtml(token)}</th>`).join("")}</tr>`,
    ...rows.map((row) => `<tr><th style="text-align:right;padding-right:6px">${escapeHtml(row.name)}</th>${row.tags.map((tag, t) => cell(tag, differs(row, t))).join("")}</tr>`),
    `</table>`,
  ].join("");
  const labelWidth = Math.max(0, ...rows.map((row) => row.name.length));
  const widths = tokens.map((token, t) => Math.max(token.length, ...rows.map((row) => row.tags[t]!.length + 1)));
  const line = (label: string, cells: string[]) => [label.padStart(labelWidth), ...cells.map((c, t) => c.padEnd(widths[t]!))].join("  ").trimEnd();
  const text = [
    ...(options.caption ? [options.caption] : []),
    line("", [...tokens]),
    ...rows.map((row) => line(row.name, row.tags.map((tag, t) => (differs(row, t) ? `${tag}*` : tag)))),
  ].join("\n");
  return { "text/html": html, "text/plain": text };
}
