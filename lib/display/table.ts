/**
 * Tables for notebook output: danfo DataFrames, nodejs-polars DataFrames and plain rows become an escaped
 * HTML `<table>` (no scripts or styles, so it renders in untrusted notebooks and on GitHub) plus an aligned
 * text table. Long tables show their first and last rows around an ellipsis row. Pure functions; the
 * display call is `showTable` in lib/display/display.ts.
 */

/** A danfo DataFrame, structurally (so this module does not load danfo). */
export interface DanfoFrameLike {
  readonly columns: readonly string[];
  readonly index: readonly unknown[];
  readonly values: readonly unknown[];
}

/** A nodejs-polars DataFrame, structurally. */
export interface PolarsFrameLike {
  readonly columns: readonly string[];
  readonly height: number;
  head(length: number): { rows(): unknown[][] };
  tail(length: number): { rows(): unknown[][] };
}

export type TableInput = DanfoFrameLike | PolarsFrameLike | readonly Record<string, unknown>[] | readonly (readonly unknown[])[];

export interface TableOptions {
  /** A title shown above the table. */
  caption?: string;
  /** Column names for rows given as arrays (default "0", "1", …). */
  columns?: readonly string[];
  /** At most this many data rows are shown: the first and last halves around an ellipsis row (default 20). */
  maxRows?: number;
  /** Significant digits for non-integer numbers (default 6). */
  digits?: number;
  /** Longer cell texts are cut with "…" (default 60). */
  maxCellChars?: number;
}

/** A table reduced to what is shown; `index` holds row labels when they are not simply 0…n−1. */
export interface TableView {
  columns: string[];
  index: unknown[] | null;
  head: unknown[][];
  tail: unknown[][];
  totalRows: number;
}

const DEFAULT_MAX_ROWS = 20;

/** The `text/html` + `text/plain` bundle for `table`. */
export function tableBundle(table: TableInput, options: TableOptions = {}): Record<"text/html" | "text/plain", string> {
  const view = tableView(table, options);
  return { "text/html": tableHtml(view, options), "text/plain": tableText(view, options) };
}

/** Which rows and labels of `table` are shown (first and last rows when it is longer than `maxRows`). */
export function tableView(table: TableInput, options: TableOptions = {}): TableView {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 2) throw new RangeError(`showTable: maxRows must be an integer ≥ 2, got ${maxRows}`);
  if (isPolarsFrame(table)) {
    const total = table.height;
    const [headCount, tailCount] = split(total, maxRows);
    const tail = tailCount > 0 ? table.tail(tailCount).rows() : [];
    return { columns: [...table.columns], index: null, head: table.head(headCount).rows(), tail, totalRows: total };
  }
  if (isDanfoFrame(table)) {
    const rows = table.values.map((row) => (Array.isArray(row) ? row : [row]));
    const isRange = table.index.every((label, i) => label === i);
    return sliceRows([...table.columns], rows, isRange ? null : [...table.index], maxRows);
  }
  if (!Array.isArray(table)) {
    throw new TypeError(`showTable: expected a danfo or polars DataFrame or an array of rows, got ${describe(table)}`);
  }
  return sliceRows(...plainRows(table, options.columns), null, maxRows);
}

function plainRows(rows: readonly unknown[], columns: readonly string[] | undefined): [string[], unknown[][]] {
  if (rows.every((row) => Array.isArray(row))) {
    const arrays = rows as readonly (readonly unknown[])[];
    const width = Math.max(0, ...arrays.map((row) => row.length));
    if (columns && arrays.length > 0 && columns.length !== width) {
      throw new RangeError(`showTable: ${columns.length} column names for rows of up to ${width} values`);
    }
    return [columns ? [...columns] : Array.from({ length: width }, (_, i) => String(i)), arrays.map((row) => [...row])];
  }
  const bad = rows.findIndex((row) => typeof row !== "object" || row === null || Array.isArray(row));
  if (bad >= 0) throw new TypeError(`showTable: row ${bad} is ${describe(rows[bad])}; rows must be all objects or all arrays`);
  const records = rows as readonly Record<string, unknown>[];
  // Columns in order of first appearance, so rows with missing keys still line up.
  const names = columns ? [...columns] : [...new Set(records.flatMap((row) => Object.keys(row)))];
  return [names, records.map((row) => names.map((name) => row[name]))];
}

function sliceRows(columns: string[], rows: unknown[][], index: unknown[] | null, maxRows: number): TableView {
  const [headCount, tailCount] = split(rows.length, maxRows);
  const tailStart = rows.length - tailCount;
  return {
    columns,
    index: index && [...index.slice(0, headCount), ...index.slice(tailStart)],
    head: rows.slice(0, headCount),
    tail: rows.slice(tailStart),
    totalRows: rows.length,
  };
}

/** How many of `total` rows to show from the start and from the end. */
function split(total: number, maxRows: number): [number, number] {
  if (total <= maxRows) return [total, 0];
  const headCount = Math.ceil(maxRows / 2);
  return [headCount, maxRows - headCount];
}

export function tableHtml(view: TableView, options: TableOptions = {}): string {
  const { header, rows, labelled } = layout(view);
  const cell = (value: unknown, i: number) => {
    const tag = labelled && i === 0 ? "th" : "td";
    return `<${tag}>${escapeHtml(formatCell(value, options))}</${tag}>`;
  };
  const lines = [
    "<table>",
    ...(options.caption === undefined ? [] : [`<caption>${escapeHtml(options.caption)}</caption>`]),
    `<thead><tr>${header.map((name) => `<th>${escapeHtml(name)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((values) => `<tr>${(values ?? header.map(() => "…")).map(cell).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ];
  if (view.tail.length > 0) lines.push(`<p>${shapeText(view)}</p>`);
  return lines.join("\n");
}

export function tableText(view: TableView, options: TableOptions = {}): string {
  const { header, rows, labelled } = layout(view);
  const cells = rows.map((values) => (values ?? header.map(() => "…")).map((v) => formatCell(v, options)));
  // Numeric columns are right-aligned, as in every spreadsheet.
  const numeric = header.map(
    (_, c) => !(labelled && c === 0) && rows.every((values) => values === null || isNumeric(values[c])),
  );
  const widths = header.map((name, c) => Math.max(name.length, ...cells.map((row) => (row[c] ?? "").length)));
  const pad = (text: string, c: number) => (numeric[c] ? text.padStart(widths[c] ?? 0) : text.padEnd(widths[c] ?? 0));
  const line = (row: string[]) => row.map(pad).join("  ").trimEnd();
  const lines = [
    ...(options.caption === undefined ? [] : [options.caption]),
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
  ];
  if (view.tail.length > 0) lines.push(shapeText(view));
  return lines.join("\n");
}

/** Header and shown rows, with the row label as the first cell when there is one; null marks the ellipsis row. */
function layout(view: TableView): { header: string[]; rows: (unknown[] | null)[]; labelled: boolean } {
  const labels = view.index;
  const withLabel = (values: unknown[], i: number) => (labels ? [labels[i], ...values] : values);
  return {
    header: labels ? ["", ...view.columns] : view.columns,
    rows: [
      ...view.head.map(withLabel),
      ...(view.tail.length > 0 ? [null] : []),
      ...view.tail.map((values, i) => withLabel(values, view.head.length + i)),
    ],
    labelled: labels !== null,
  };
}

function isNumeric(value: unknown): boolean {
  return typeof value === "number" || typeof value === "bigint" || value === null || value === undefined;
}

function shapeText(view: TableView): string {
  return `${view.totalRows} rows × ${view.columns.length} columns`;
}

/** One cell as text: numbers to `digits` significant digits, null as "null", missing as "", long text cut. */
export function formatCell(value: unknown, options: TableOptions = {}): string {
  const maxChars = options.maxCellChars ?? 60;
  const text = cellText(value, options.digits ?? 6);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function cellText(value: unknown, digits: number): string {
  if (typeof value === "number") return formatNumber(value, digits);
  if (value === null) return "null";
  if (value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/** Integers exactly; others to `digits` significant digits; very small magnitudes in exponent form. */
export function formatNumber(value: number, digits = 6): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 10 ** digits) return String(Math.round(value));
  if (magnitude < 1e-4) return value.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return String(Number(value.toPrecision(digits)));
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function isPolarsFrame(x: unknown): x is PolarsFrameLike {
  const f = x as Partial<PolarsFrameLike> | null;
  return typeof f === "object" && f !== null && typeof f.height === "number" && typeof f.head === "function" && Array.isArray(f.columns);
}

function isDanfoFrame(x: unknown): x is DanfoFrameLike {
  const f = x as Partial<DanfoFrameLike> | null;
  return typeof f === "object" && f !== null && Array.isArray(f.columns) && Array.isArray(f.index) && Array.isArray(f.values);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return `${typeof x} ${String(x)}`;
  return `an object of class ${x.constructor?.name ?? "(none)"}`;
}
