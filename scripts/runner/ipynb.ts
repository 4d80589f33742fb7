/**
 * nbformat 4 notebooks: the in-memory model, reading (with clear errors), writing byte-for-byte like Jupyter,
 * building a notebook from its percent-format source, and pulling a notebook back into a source.
 *
 * In memory, multi-line strings are joined (as nbformat does after reading); on disk they are lists of lines.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CellType, JsonObject, JsonValue, NotebookSource, SourceCell } from "./notebook-source";
import { validateNotebook } from "./nbformat-schema";
import { writeFileAtomic } from "./files";
import { notebookKernelspec } from "./kernelspec";

export type MimeBundle = { [mime: string]: JsonValue };

export interface StreamOutput {
  output_type: "stream";
  name: string;
  text: string;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: JsonObject;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  data: MimeBundle;
  metadata: JsonObject;
  execution_count: number | null;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

interface CellBase {
  /** Required from nbformat 4.5 on; older notebooks run as they are have none. */
  id?: string;
  metadata: JsonObject;
  source: string;
  attachments?: JsonObject;
}
export interface CodeCell extends CellBase {
  cell_type: "code";
  outputs: Output[];
  execution_count: number | null;
}
export interface MarkdownCell extends CellBase {
  cell_type: "markdown";
}
export interface RawCell extends CellBase {
  cell_type: "raw";
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: Cell[];
}

/**
 * The kernel the notebooks open on: in this collection the one `npm run kernel` registers (kernelspec.ts), in
 * any other project tslab's own; Jupyter finds it by name.
 */
export const KERNELSPEC: JsonObject = { ...notebookKernelspec() };
/** tslab 1.0.22's kernel_info_reply language_info, verbatim (Jupyter copies it into the notebook on save). */
export const LANGUAGE_INFO: JsonObject = {
  codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
  file_extension: ".ts",
  mimetype: "text/typescript",
  name: "typescript",
  version: "3.7.2",
};

/** Front-end state that Jupyter UIs add; never part of the authored source, ignored when comparing. */
const FRONTEND_CELL_METADATA = new Set(["collapsed", "scrolled", "jupyter", "execution", "ExecuteTime", "trusted", "vscode"]);
/** Cell metadata the builder derives from the source (slide breaks); never authored, ignored when comparing. */
const BUILDER_CELL_METADATA = new Set(["slideshow"]);
const BUILDER_NOTEBOOK_METADATA = new Set(["kernelspec", "language_info", "vscode", "widgets"]);

export class NotebookFormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "NotebookFormatError";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export function readNotebookFile(file: string): Notebook {
  return parseNotebook(readFileSync(file, "utf8"), file);
}

/** Parses and validates an `.ipynb` text; errors name the file and, for bad JSON, the line and column. */
export function parseNotebook(text: string, file = "<notebook>"): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const { line, column } = jsonErrorPosition(text, (error as Error).message);
    throw new NotebookFormatError(file, `line ${line}, column ${column}: invalid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new NotebookFormatError(file, "not a notebook: the JSON is not an object");
  const { nbformat, nbformat_minor } = json as { nbformat?: unknown; nbformat_minor?: unknown };
  if (nbformat !== 4) {
    throw new NotebookFormatError(file, `nbformat ${JSON.stringify(nbformat)} is not supported; this runner reads nbformat 4 (convert with \`jupyter nbconvert --to notebook\`)`);
  }
  const problems = validateNotebook(json, nbformat_minor === 5 ? 5 : 4);
  if (problems.length > 0) throw new NotebookFormatError(file, `not a valid nbformat 4.${String(nbformat_minor)} notebook:\n  ${problems.slice(0, 5).join("\n  ")}`);
  return rejoinLines(json as Notebook);
}

/** V8 reports a character offset ("at position 12"); newer Nodes add "(line 2 column 5)". */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : text.length;
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

function joinIfLines(value: unknown): unknown {
  return Array.isArray(value) && value.every((line) => typeof line === "string") ? value.join("") : value;
}

function rejoinBundle(bundle: MimeBundle): void {
  for (const [mime, value] of Object.entries(bundle)) if (!isJsonMime(mime)) bundle[mime] = joinIfLines(value) as JsonValue;
}

function rejoinLines(notebook: Notebook): Notebook {
  delete notebook.metadata["orig_nbformat"];
  delete notebook.metadata["orig_nbformat_minor"];
  delete notebook.metadata["signature"];
  for (const cell of notebook.cells) {
    cell.source = joinIfLines(cell.source) as string;
    delete cell.metadata["trusted"];
    for (const attachment of Object.values(cell.attachments ?? {})) rejoinBundle(attachment as MimeBundle);
    if (cell.cell_type !== "code") continue;
    for (const output of cell.outputs) {
      if (output.output_type === "stream") output.text = joinIfLines(output.text) as string;
      else if (output.output_type === "display_data" || output.output_type === "execute_result") rejoinBundle(output.data);
    }
  }
  return notebook;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing: what nbformat.write produces (indent 1, sorted keys, ensure_ascii=False, lines split, final newline)

export function serializeNotebook(notebook: Notebook): string {
  return pythonJson(splitLines(notebook), "") + "\n";
}

// One home for atomic writes (scripts/runner/files.ts); re-exported for the runner's modules.
export { writeFileAtomic };

export function writeNotebookFile(file: string, notebook: Notebook): void {
  writeFileAtomic(file, serializeNotebook(notebook));
}

/** Python's str.splitlines(keepends=True): these are all the line boundaries Python knows. */
const PYTHON_LINE = /[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])|[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+$/g;

export function pythonSplitLines(text: string): string[] {
  return text.match(PYTHON_LINE) ?? [];
}

function splitBundle(bundle: MimeBundle): MimeBundle {
  const split: MimeBundle = {};
  for (const [mime, value] of Object.entries(bundle)) {
    const multiline = mime.startsWith("text/") || mime === "application/javascript" || mime === "image/svg+xml";
    split[mime] = typeof value === "string" && multiline ? pythonSplitLines(value) : value;
  }
  return split;
}

function splitLines(notebook: Notebook): unknown {
  const splitAttachments = (attachments: JsonObject | undefined): JsonObject | undefined =>
    attachments && Object.fromEntries(Object.entries(attachments).map(([name, bundle]) => [name, splitBundle(bundle as MimeBundle)]));
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => ({
      ...cell,
      source: pythonSplitLines(cell.source),
      attachments: splitAttachments(cell.attachments),
      ...(cell.cell_type === "code" && {
        outputs: cell.outputs.map((output) => {
          if (output.output_type === "stream") return { ...output, text: pythonSplitLines(output.text) };
          if (output.output_type === "error") return output;
          return { ...output, data: splitBundle(output.data) };
        }),
      }),
    })),
  };
}

/** json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False); `undefined` members are left out. */
function pythonJson(value: unknown, indent: string): string {
  if (value === null) return "null";
  if (typeof value === "number") return pythonFloat(value);
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  const inner = indent + " ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => inner + pythonJson(item, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as object)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => compareCodePoints(a, b));
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pythonJson(item, inner)}`).join(",\n")}\n${indent}}`;
}

/** Python's float repr: exponent form below 1e-4 with a two-digit exponent (1e-05), where JS writes 0.00001. */
export function pythonFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(x) || Math.abs(x) >= 1e-4) return String(x);
  const [mantissa, exponent] = x.toExponential().split("e") as [string, string];
  const power = Number(exponent);
  return `${mantissa}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
}

/** Python sorts str keys by code point; JS's default sort compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** A canonical text of any JSON value, for equality tests that ignore key order. */
function canonicalJson(value: unknown): string {
  return pythonJson(value, "");
}

// ---------------------------------------------------------------------------------------------------------------
// Source ⇄ notebook

/**
 * The notebook for `source`. Cells whose type and text are unchanged from `previous` keep their id, outputs,
 * execution count and attachments; new cells get ids derived from their content, so rebuilding never churns.
 */
export function buildNotebook(source: NotebookSource, previous?: Notebook): Notebook {
  const unclaimed = new Map<string, Array<{ index: number; cell: Cell }>>();
  previous?.cells.forEach((cell, index) => {
    const key = contentKey(cell.cell_type, cell.source);
    unclaimed.set(key, [...(unclaimed.get(key) ?? []), { index, cell }]);
  });
  // Among identical previous cells, the one at the same position is the best guess, else the first.
  const claim = (key: string, index: number): Cell | undefined => {
    const candidates = unclaimed.get(key) ?? [];
    const at = Math.max(0, candidates.findIndex((candidate) => candidate.index === index));
    return candidates.splice(at, 1)[0]?.cell;
  };
  const usedIds = new Set<string>();
  const cells = source.cells.map((cell, index): Cell => {
    const key = contentKey(cell.type, cell.source);
    const match = claim(key, index);
    const id = match?.id !== undefined && !usedIds.has(match.id) ? match.id : freshId(key, usedIds);
    usedIds.add(id);
    const metadata = { ...structuredClone(cell.metadata), slideshow: { slide_type: slideType(cell, index) } };
    const base = { id, metadata, source: cell.source, attachments: match?.attachments };
    if (cell.type !== "code") return { ...base, cell_type: cell.type };
    const stored = match?.cell_type === "code" ? match : undefined;
    return { ...base, cell_type: "code", outputs: stored?.outputs ?? [], execution_count: stored?.execution_count ?? null };
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { ...structuredClone(source.metadata), kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO },
    cells,
  };
}

/**
 * Slide breaks for `jupyter nbconvert --to slides` and Jupyter's slideshow view: the first cell and every markdown
 * cell that opens with a `#` or `##` heading start a slide, one that opens with `###` a sub-slide (reveal.js: a
 * slide below); every other cell continues the slide before it ("-"). No fragments.
 */
export function slideType(cell: { type: CellType; source: string }, index: number): "slide" | "subslide" | "-" {
  if (index === 0) return "slide";
  if (cell.type !== "markdown") return "-";
  const firstLine = cell.source.trimStart().split("\n", 1)[0] ?? "";
  if (/^#{1,2}\s/.test(firstLine)) return "slide";
  if (/^###\s/.test(firstLine)) return "subslide";
  return "-";
}

function contentKey(type: CellType, text: string): string {
  return `${type}\0${text}`;
}

function freshId(key: string, used: Set<string>): string {
  const base = createHash("sha256").update(key).digest("hex").slice(0, 8);
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The source for `notebook` (pull): authored metadata only; `header` comes from the existing `.ts`, if any. */
export function notebookToSource(notebook: Notebook, header: string[] = []): NotebookSource {
  return {
    header,
    metadata: authoredNotebookMetadata(notebook.metadata),
    cells: notebook.cells.map((cell): SourceCell => ({ type: cell.cell_type, source: cell.source, metadata: authoredCellMetadata(cell.metadata) })),
  };
}

function authoredCellMetadata(metadata: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => !FRONTEND_CELL_METADATA.has(key) && !BUILDER_CELL_METADATA.has(key)));
}

function authoredNotebookMetadata(metadata: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => !BUILDER_NOTEBOOK_METADATA.has(key)));
}

export type SyncResult = { inSync: true } | { inSync: false; cellIndex: number | null; message: string };

/** Whether the `.ipynb`'s cells (type, text, authored metadata such as tags) and notebook metadata match the `.ts`. */
export function sourcesInSync(source: NotebookSource, notebook: Notebook): SyncResult {
  const count = Math.max(source.cells.length, notebook.cells.length);
  for (let i = 0; i < count; i++) {
    const expected = source.cells[i];
    const actual = notebook.cells[i];
    if (expected === undefined || actual === undefined) {
      return { inSync: false, cellIndex: i, message: `the .ts has ${source.cells.length} cells, the .ipynb ${notebook.cells.length}` };
    }
    const where = `cell ${i + 1}`;
    if (expected.type !== actual.cell_type) return { inSync: false, cellIndex: i, message: `${where} is ${expected.type} in the .ts, ${actual.cell_type} in the .ipynb` };
    if (expected.source !== actual.source) return { inSync: false, cellIndex: i, message: `${where}'s text differs: ${firstDifferentLine(expected.source, actual.source)}` };
    const [a, b] = [canonicalJson(expected.metadata), canonicalJson(authoredCellMetadata(actual.metadata))];
    if (a !== b) return { inSync: false, cellIndex: i, message: `${where}'s metadata differs: .ts ${oneLine(a)}, .ipynb ${oneLine(b)}` };
  }
  const [a, b] = [canonicalJson(source.metadata), canonicalJson(authoredNotebookMetadata(notebook.metadata))];
  if (a !== b) return { inSync: false, cellIndex: null, message: `notebook metadata differs: .ts ${oneLine(a)}, .ipynb ${oneLine(b)}` };
  return { inSync: true };
}

function oneLine(json: string): string {
  return json.replace(/\n */g, " ");
}

function firstDifferentLine(expected: string, actual: string): string {
  const x = expected.split("\n");
  const y = actual.split("\n");
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const show = (line: string | undefined): string => (line === undefined ? "(no line)" : JSON.stringify(line));
  return `line ${i + 1}: .ts ${show(x[i])}, .ipynb ${show(y[i])}`;
}
