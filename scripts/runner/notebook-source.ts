/**
 * The percent-format notebook source (`notebooks/NN-slug.ts`) ⇄ cells.
 *
 * The convention is the one jupytext, VS Code and Spyder use for scripts, with `//` comments:
 *
 *   // Licence or other comment lines: the header, kept verbatim, never a cell.
 *   // notebook-metadata: {"execution": {"timeout": 300}}
 *
 *   // %% [markdown]
 *   // # A title
 *   //
 *   // Markdown lines are `// `-prefixed; a bare `//` is an empty line.
 *
 *   // %%
 *   const x = 1;
 *
 *   // %% tags=["raises-exception"] runner={"timeout": 10}
 *   JSON.parse("{");
 *
 * - `// %%` starts a code cell, `// %% [markdown]` a markdown cell, `// %% [raw]` a raw cell (raw lines are
 *   commented like markdown ones).
 * - Cell metadata follows the marker as `key=JSON` pairs (jupytext's syntax), e.g. `tags=["solution"]`.
 * - Everything before the first marker is the header and must be comments. One header line of the form
 *   `// notebook-metadata: {JSON object}` holds the notebook-level metadata copied into the `.ipynb` (e.g.
 *   `execution.timeout`, `runner.rtol`); the other header lines are kept verbatim and stay out of the notebook.
 * - Blank lines at the end of a cell separate cells and are not part of it.
 *
 * Canonical form (what `renderNotebookSource` writes, and what round-trips byte for byte): header comment lines,
 * the metadata line last, one blank line, then each cell as marker + lines, cells separated by one blank line,
 * LF line endings and one final newline. Markers contain only comments, so the file stays a valid TS module.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type CellType = "code" | "markdown" | "raw";

export interface SourceCell {
  type: CellType;
  /** The cell text without a trailing newline, as Jupyter stores it. */
  source: string;
  metadata: JsonObject;
}

export interface NotebookSource {
  /** Header comment lines other than the metadata line, verbatim. */
  header: string[];
  /** Notebook-level metadata from the `// notebook-metadata:` header line ({} when absent). */
  metadata: JsonObject;
  cells: SourceCell[];
}

export interface ParsedNotebookSource extends NotebookSource {
  /** 1-based line number of each cell's marker, for messages that point into the file. */
  cellLines: number[];
}

export class SourceFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = "SourceFormatError";
  }
}

const MARKER = /^\/\/ %%(?: \[(markdown|md|raw)\])?(?:(?= )(.*))?$/;
const METADATA_LINE = /^\/\/ notebook-metadata: (.*)$/;
const KEY = /^[A-Za-z_][\w.-]*/;

export function isCellMarker(line: string): boolean {
  return MARKER.test(line);
}

export function parseNotebookSource(text: string, file = "<source>"): ParsedNotebookSource {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.at(-1) === "") lines.pop(); // the final newline ends the last line, it does not start another

  const result: ParsedNotebookSource = { header: [], metadata: {}, cells: [], cellLines: [] };
  let body: string[] = [];
  let current: { type: CellType; metadata: JsonObject; line: number } | null = null;

  const finishCell = (): void => {
    if (current === null) return;
    result.cells.push({ type: current.type, source: cellText(current.type, body, current.line + 1, file), metadata: current.metadata });
    result.cellLines.push(current.line);
  };

  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const marker = MARKER.exec(line);
    if (marker) {
      finishCell();
      const type: CellType = marker[1] === undefined ? "code" : marker[1] === "raw" ? "raw" : "markdown";
      current = { type, metadata: parseMarkerMetadata(marker[2] ?? "", file, lineNumber), line: lineNumber };
      body = [];
    } else if (current !== null) {
      body.push(line);
    } else {
      const metadataLine = METADATA_LINE.exec(line);
      if (metadataLine) {
        result.metadata = parseJsonObject(metadataLine[1] ?? "", file, lineNumber, "notebook-metadata");
      } else if (isBlank(line) || line.startsWith("//")) {
        result.header.push(line);
      } else {
        throw new SourceFormatError(file, lineNumber, "code before the first `// %%` marker would not be part of any cell");
      }
    }
  });
  finishCell();
  result.header = trimTrailingBlank(result.header);
  return result;
}

export function renderNotebookSource(notebook: NotebookSource): string {
  const blocks: string[][] = [];
  const header = trimTrailingBlank(notebook.header);
  if (Object.keys(notebook.metadata).length > 0) header.push(`// notebook-metadata: ${inlineJson(notebook.metadata)}`);
  if (header.length > 0) blocks.push(header);
  notebook.cells.forEach((cell, index) => {
    const lines = trimTrailingBlank(cell.source.split("\n"));
    const bad = lines.find(isCellMarker);
    if (bad !== undefined) throw new Error(`cell ${index + 1} contains a line that reads as a cell marker: ${bad}`);
    blocks.push([markerLine(cell), ...(cell.type === "code" ? lines : lines.map(commentLine))]);
  });
  return blocks.length === 0 ? "" : blocks.map((block) => block.join("\n")).join("\n\n") + "\n";
}

/** One-line JSON with `", "` and `": "` separators (jupytext and Python's json.dumps write it so). */
export function inlineJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(", ")}}`;
  }
  return JSON.stringify(value);
}

function markerLine(cell: SourceCell): string {
  const kind = cell.type === "code" ? "" : ` [${cell.type}]`;
  const pairs = Object.entries(cell.metadata).map(([key, value]) => {
    if (KEY.exec(key)?.[0] !== key) throw new Error(`cell metadata key ${JSON.stringify(key)} cannot be written on a marker line`);
    return ` ${key}=${inlineJson(value)}`;
  });
  return `// %%${kind}${pairs.join("")}`;
}

function commentLine(line: string): string {
  return line === "" ? "//" : `// ${line}`;
}

/** A cell's text from its lines; trailing blank lines are dropped in every cell type, as `render` does. */
function cellText(type: CellType, body: string[], firstLine: number, file: string): string {
  const lines = trimTrailingBlank(body);
  if (type === "code") return lines.join("\n");
  const uncommented = lines.map((line, i) => {
    if (line === "//") return "";
    if (line.startsWith("// ")) return line.slice(3);
    throw new SourceFormatError(file, firstLine + i, `a ${type} cell's lines start with "// " (or are a bare "//"), got: ${JSON.stringify(line)}`);
  });
  return trimTrailingBlank(uncommented).join("\n");
}

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

function trimTrailingBlank(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1] ?? "")) end--;
  return lines.slice(0, end);
}

/** Parses ` key=JSON key=JSON …` after a marker. */
function parseMarkerMetadata(text: string, file: string, line: number): JsonObject {
  const metadata: JsonObject = {};
  let rest = text;
  while (rest.trim() !== "") {
    rest = rest.replace(/^ +/, "");
    const key = KEY.exec(rest)?.[0];
    if (key === undefined || rest[key.length] !== "=") {
      throw new SourceFormatError(file, line, `expected key=JSON after the cell marker, got: ${rest}`);
    }
    const valueText = rest.slice(key.length + 1);
    const end = jsonValueEnd(valueText);
    metadata[key] = parseJson(valueText.slice(0, end), file, line, key);
    rest = valueText.slice(end);
    if (rest !== "" && !rest.startsWith(" ")) throw new SourceFormatError(file, line, `expected a space after ${key}=…, got: ${rest}`);
  }
  return metadata;
}

/** Length of the JSON value at the start of `text`: brackets matched outside strings, else up to a space. */
function jsonValueEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === " " && depth === 0) return i;
    if (depth === 0 && !inString && i > 0 && (c === '"' || c === "]" || c === "}")) return i + 1;
  }
  return text.length;
}

function parseJson(text: string, file: string, line: number, what: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new SourceFormatError(file, line, `${what}: invalid JSON ${text} (${(error as Error).message})`);
  }
}

function parseJsonObject(text: string, file: string, line: number, what: string): JsonObject {
  const value = parseJson(text, file, line, what);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SourceFormatError(file, line, `${what} must be a JSON object, got: ${text}`);
  }
  return value;
}
