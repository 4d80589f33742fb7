/**
 * Does a fresh run reproduce the stored outputs? Compared cell by cell:
 * - text (streams, text/* mimes, error name and message) after sanitisers, with the numbers inside compared
 *   within a relative tolerance (so 0.30000000000000004 matches 0.3, and 0.31 does not);
 * - JSON mimes (plotly figures) structurally, numbers within the same tolerance;
 * - images only for presence: PNG bytes differ between machines, the figure's JSON carries the data;
 * - error tracebacks not at all (they hold paths and transpiled line numbers);
 * - cells tagged `volatile-output`: only the kinds of their outputs.
 * Consecutive outputs of one stream are one stream: the runner coalesces them, other front ends store a stream
 * in several pieces, and both mean the same text.
 */
import { tmpdir } from "node:os";
import type { MimeBundle, Output } from "./ipynb";
import type { JsonValue } from "./notebook-source";

export interface Sanitizer {
  pattern: RegExp;
  replacement: string;
}

export interface ComparisonOptions {
  rtol: number;
  atol: number;
  sanitizers: Sanitizer[];
  /** Compare only output kinds (the `volatile-output` tag). */
  kindsOnly: boolean;
}

export const DEFAULT_RTOL = 1e-6;
/** Absolute floor so values that should be zero (1e-17 vs -3e-17) compare equal. */
export const DEFAULT_ATOL = 1e-12;

/** The declared list: what legitimately changes from run to run. Notebooks add their own in metadata. */
export const DEFAULT_SANITIZERS: Sanitizer[] = [
  { pattern: /\x1b\[[0-9;]*[A-Za-z]/g, replacement: "" },
  { pattern: /\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, replacement: "<timestamp>" },
  { pattern: /\b\d+(?:\.\d+)? ?(?:ns|µs|us|ms|s|sec|seconds?|min|minutes?)\b/g, replacement: "<duration>" },
  { pattern: /\b\d+(?:\.\d+)? ?(?:it|steps?|samples?|examples?|tokens?)\/s\b/g, replacement: "<rate>" },
  { pattern: /\b0x[0-9a-fA-F]{6,}\b/g, replacement: "<address>" },
  { pattern: new RegExp(`(?:${escapeRegExp(tmpdir())}|/tmp|/var/folders)/[^\\s'",;)\\]]+`, "g"), replacement: "<tmp>" },
];

const IMAGE_MIME = /^image\/(?!svg\+xml)/;
const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

export function sanitize(text: string, sanitizers: Sanitizer[]): string {
  return sanitizers.reduce((result, { pattern, replacement }) => result.replace(pattern, replacement), text);
}

/** The first difference between stored and fresh outputs of one cell, or null when they agree. */
export function compareOutputs(storedOutputs: Output[], freshOutputs: Output[], options: ComparisonOptions): string | null {
  const [stored, fresh] = [mergeStreams(storedOutputs), mergeStreams(freshOutputs)];
  const kinds = (outputs: Output[]): string[] => outputs.map(outputKind);
  const [storedKinds, freshKinds] = [kinds(stored), kinds(fresh)];
  if (storedKinds.join() !== freshKinds.join()) return `output kinds differ: stored [${storedKinds.join(", ")}], fresh [${freshKinds.join(", ")}]`;
  if (options.kindsOnly) return null;
  for (let i = 0; i < stored.length; i++) {
    const difference = compareOutput(stored[i] as Output, fresh[i] as Output, options);
    if (difference !== null) return `output ${i + 1} (${storedKinds[i]}): ${difference}`;
  }
  return null;
}

/** Joins each run of consecutive `stream` outputs of the same name (stdout, stderr) into one. */
export function mergeStreams(outputs: Output[]): Output[] {
  const merged: Output[] = [];
  for (const output of outputs) {
    const last = merged.at(-1);
    if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
      merged[merged.length - 1] = { ...last, text: last.text + output.text };
    } else {
      merged.push(output);
    }
  }
  return merged;
}

function outputKind(output: Output): string {
  switch (output.output_type) {
    case "stream":
      return `stream ${output.name}`;
    case "error":
      return "error";
    default:
      return `${output.output_type} ${Object.keys(output.data).sort().join("+")}`;
  }
}

function compareOutput(stored: Output, fresh: Output, options: ComparisonOptions): string | null {
  if (stored.output_type === "stream" && fresh.output_type === "stream") return compareText(stored.text, fresh.text, options);
  if (stored.output_type === "error" && fresh.output_type === "error") {
    return compareText(`${stored.ename}: ${stored.evalue}`, `${fresh.ename}: ${fresh.evalue}`, options);
  }
  if ("data" in stored && "data" in fresh) return compareBundles(stored.data, fresh.data, options);
  return "output types differ";
}

function compareBundles(stored: MimeBundle, fresh: MimeBundle, options: ComparisonOptions): string | null {
  for (const mime of Object.keys(stored).sort()) {
    if (IMAGE_MIME.test(mime)) continue;
    const [a, b] = [stored[mime], fresh[mime]];
    const difference = typeof a === "string" && typeof b === "string" ? compareText(a, b, options) : compareJson(a ?? null, b ?? null, options, "");
    if (difference !== null) return `${mime}: ${difference}`;
  }
  return null;
}

/** Line by line after sanitising; within a line, the text between numbers must match and the numbers be close. */
export function compareText(stored: string, fresh: string, options: Pick<ComparisonOptions, "rtol" | "atol" | "sanitizers">): string | null {
  const a = sanitize(stored, options.sanitizers).split("\n");
  const b = sanitize(fresh, options.sanitizers).split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (x === undefined || y === undefined || !linesClose(x, y, options)) {
      return `line ${i + 1}: stored ${x === undefined ? "(none)" : JSON.stringify(x)}, fresh ${y === undefined ? "(none)" : JSON.stringify(y)}`;
    }
  }
  return null;
}

function linesClose(stored: string, fresh: string, options: Pick<ComparisonOptions, "rtol" | "atol">): boolean {
  if (stored.replace(NUMBER, "#") !== fresh.replace(NUMBER, "#")) return false;
  const [x, y] = [stored.match(NUMBER) ?? [], fresh.match(NUMBER) ?? []];
  return x.every((number, i) => close(Number(number), Number(y[i]), options));
}

function close(a: number, b: number, { rtol, atol }: Pick<ComparisonOptions, "rtol" | "atol">): boolean {
  return a === b || Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}

function compareJson(stored: JsonValue, fresh: JsonValue, options: ComparisonOptions, path: string): string | null {
  const here = path === "" ? "(root)" : path;
  if (typeof stored === "number" && typeof fresh === "number") return close(stored, fresh, options) ? null : `${here}: stored ${stored}, fresh ${fresh}`;
  if (typeof stored === "string" && typeof fresh === "string") {
    const difference = compareText(stored, fresh, options);
    return difference === null ? null : `${here}: ${difference}`;
  }
  if (Array.isArray(stored) && Array.isArray(fresh)) {
    if (stored.length !== fresh.length) return `${here}: stored ${stored.length} items, fresh ${fresh.length}`;
    for (let i = 0; i < stored.length; i++) {
      const difference = compareJson(stored[i] ?? null, fresh[i] ?? null, options, `${path}[${i}]`);
      if (difference !== null) return difference;
    }
    return null;
  }
  if (isObject(stored) && isObject(fresh)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(fresh)])].sort();
    for (const key of keys) {
      if (!(key in stored) || !(key in fresh)) return `${path}.${key}: only in the ${key in stored ? "stored" : "fresh"} output`;
      const difference = compareJson(stored[key] ?? null, fresh[key] ?? null, options, `${path}.${key}`);
      if (difference !== null) return difference;
    }
    return null;
  }
  return stored === fresh ? null : `${here}: stored ${JSON.stringify(stored)}, fresh ${JSON.stringify(fresh)}`;
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
