/**
 * The runner's policy knobs, read from notebook and cell metadata (settable from the `.ts` source):
 *
 *   notebook  `// notebook-metadata: {"execution": {"timeout": 300}, "runner": {"rtol": 1e-4, "atol": 1e-9,
 *                 "sanitizers": [{"pattern": "seed \\d+", "replacement": "seed <n>"}]}}`
 *   cell      `// %% tags=["volatile-output"] runner={"timeout": 600, "rtol": 1e-3}`
 *
 * `execution.timeout` (seconds per cell) is nbmake's name, so other tools honour it too. Precedence:
 * cell > notebook > command line. Unknown keys are ignored; wrong types are configuration errors.
 */
import { DEFAULT_ATOL, DEFAULT_RTOL, DEFAULT_SANITIZERS, type Sanitizer } from "./compare-outputs";
import type { JsonObject, JsonValue } from "./notebook-source";

/** Cell tags the runner acts on (Jupyter's own names where they exist); other tags are ignored. */
export const TAGS = {
  /** Not executed; its stored outputs are kept (nbclient and nbmake use the same tag). */
  skip: "skip-execution",
  /** Must fail with an error (spot-the-bug cells); a cell that runs cleanly fails the notebook. */
  raises: "raises-exception",
  /** Outputs change from run to run: only their kinds are compared. */
  volatile: "volatile-output",
  /** An answer: left out of practice copies (scripts/runner/solutions.ts has the rule). */
  solution: "solution",
  /** A check of an exercise's solution that gives nothing away: kept in practice copies. */
  exerciseCheck: "exercise-check",
} as const;

export interface NotebookSettings {
  timeoutSeconds: number;
  rtol: number;
  atol: number;
  sanitizers: Sanitizer[];
}

export interface CellSettings extends NotebookSettings {
  tags: Set<string>;
}

export class SettingsError extends Error {}

export function notebookSettings(metadata: JsonObject, defaultTimeoutSeconds: number): NotebookSettings {
  const execution = objectAt(metadata, "execution", "notebook metadata");
  const runner = objectAt(metadata, "runner", "notebook metadata");
  const extra = runner["sanitizers"] ?? [];
  if (!Array.isArray(extra)) throw new SettingsError(`notebook metadata runner.sanitizers must be a list, got ${JSON.stringify(extra)}`);
  return {
    timeoutSeconds: positiveNumber(execution["timeout"], "notebook metadata execution.timeout") ?? defaultTimeoutSeconds,
    rtol: positiveNumber(runner["rtol"], "notebook metadata runner.rtol", true) ?? DEFAULT_RTOL,
    atol: positiveNumber(runner["atol"], "notebook metadata runner.atol", true) ?? DEFAULT_ATOL,
    sanitizers: [...DEFAULT_SANITIZERS, ...extra.map(sanitizer)],
  };
}

export function cellSettings(metadata: JsonObject, notebook: NotebookSettings, cellNumber: number): CellSettings {
  const where = `cell ${cellNumber} metadata`;
  const runner = objectAt(metadata, "runner", where);
  const tags = metadata["tags"] ?? [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string")) throw new SettingsError(`${where}: tags must be a list of strings`);
  return {
    timeoutSeconds: positiveNumber(runner["timeout"], `${where} runner.timeout`) ?? notebook.timeoutSeconds,
    rtol: positiveNumber(runner["rtol"], `${where} runner.rtol`, true) ?? notebook.rtol,
    atol: positiveNumber(runner["atol"], `${where} runner.atol`, true) ?? notebook.atol,
    sanitizers: notebook.sanitizers,
    tags: new Set(tags as string[]),
  };
}

function objectAt(metadata: JsonObject, key: string, where: string): JsonObject {
  const value = metadata[key] ?? {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new SettingsError(`${where}: ${key} must be an object, got ${JSON.stringify(value)}`);
  return value;
}

function positiveNumber(value: JsonValue | undefined, what: string, zeroAllowed = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(zeroAllowed ? value >= 0 : value > 0)) throw new SettingsError(`${what} must be a ${zeroAllowed ? "non-negative" : "positive"} number, got ${JSON.stringify(value)}`);
  return value;
}

function sanitizer(value: JsonValue): Sanitizer {
  const { pattern, replacement } = (value ?? {}) as { pattern?: unknown; replacement?: unknown };
  if (typeof pattern !== "string" || typeof replacement !== "string") {
    throw new SettingsError(`notebook metadata runner.sanitizers: each entry is {"pattern": regex, "replacement": text}, got ${JSON.stringify(value)}`);
  }
  try {
    return { pattern: new RegExp(pattern, "g"), replacement };
  } catch (error) {
    throw new SettingsError(`notebook metadata runner.sanitizers: bad pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}
