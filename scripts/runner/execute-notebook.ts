/**
 * One notebook, start to finish: prepare (build from the `.ts`, check sync) → fresh kernel in the notebook's
 * folder → each code cell under the cell policy → late output check → shutdown → compare (--check) or write
 * (--update). Every failure names its cell; the first failing cell stops the notebook, like nbclient (in
 * "exercises" mode, for `npm run check-work`, every cell runs so that each exercise gets its verdict).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { FileWriteError } from "./files";
import { OriginTracker, takeOriginLines, type AttributedOrphan } from "./cell-origin";
import { compareOutputs } from "./compare-outputs";
import { buildNotebook, NotebookFormatError, parseNotebook, serializeNotebook, sourcesInSync, writeFileAtomic, type CodeCell, type Notebook, type Output } from "./ipynb";
import { TslabKernel, type CellResult, type Orphan } from "./kernel";
import { TSLAB_KERNEL_NAMES } from "./kernelspec";
import { validateNotebook } from "./nbformat-schema";
import { parseNotebookSource, SourceFormatError } from "./notebook-source";
import { cellSettings, notebookSettings, SettingsError, TAGS, type CellSettings, type NotebookSettings } from "./notebook-settings";

export interface NotebookJob {
  /** The `.ts` source, or null for an `.ipynb` that runs as it is. */
  sourcePath: string | null;
  notebookPath: string;
}

/** update: store outputs; check: verify them; exercises: a learner's copy, every cell run and judged, nothing written or compared. */
export type Mode = "update" | "check" | "exercises";

export interface RunOptions {
  mode: Mode;
  /** Per-cell timeout unless the notebook or cell sets one. */
  timeoutSeconds: number;
  /** Called before each executed cell, for progress display. */
  onCell?: (cellIndex: number, executedSoFar: number, toExecute: number) => void;
  /** Pause after an expected error before the next cell (default 250 ms); tests set 0 to provoke tslab's abort. */
  afterErrorPauseMs?: number;
  /**
   * How often a cell that tslab aborted right after an expected error is sent again (default 4). The abort
   * window closes on a kernel timer, which a loaded machine can delay past any fixed pause; an aborted cell
   * never ran, so sending it again is exact. Tests set 0 to see the abort itself.
   */
  abortRetries?: number;
  /** Starts the notebook's fresh kernel in `cwd` (default TslabKernel.start); the CLI passes kernels started ahead. */
  startKernel?: (cwd: string) => Promise<TslabKernel>;
  /** How long to wait after the last cell for pending timers and I/O (default: settleCeilingMs of the run time). */
  settleCeilingMs?: number;
  /**
   * --check compares fresh outputs with the stored ones (default true). False for runs on another TensorFlow.js
   * backend (--backend): its numbers and banner differ from the stored run, so only the cells and their checks count.
   */
  compareOutputs?: boolean;
}

export type FailureKind =
  | "format" // unreadable source or notebook, bad settings, invalid nbformat
  | "missing" // --check: no .ipynb beside the .ts
  | "out-of-sync" // --check: the .ipynb's cells differ from the .ts
  | "startup" // the kernel did not start
  | "error" // the cell raised
  | "abort" // tslab aborted the request
  | "timeout"
  | "dead" // the kernel process ended during the cell
  | "no-raise" // tagged raises-exception, ran cleanly
  | "unhandled" // an ok cell reported an unhandled rejection/exception or a type error
  | "late-output" // output after its cell had finished
  | "output-mismatch" // --check: fresh outputs differ from the stored ones
  | "write"; // --update: the executed notebook could not be stored (full disk, read-only, permissions)

export interface Failure {
  kind: FailureKind;
  /** 0-based index into the notebook's cells, null for notebook-level failures. */
  cellIndex: number | null;
  message: string;
}

export interface CellTiming {
  cellIndex: number;
  status: CellResult["status"] | "skipped";
  durationMs: number;
}

export interface NotebookResult {
  job: NotebookJob;
  passed: boolean;
  failures: Failure[];
  timings: CellTiming[];
  durationMs: number;
  /** The executed notebook (fresh outputs), null when it could not be read. */
  notebook: Notebook | null;
  /** 1-based `.ts` line of each cell's marker, when there is a source. */
  cellLines: number[] | null;
  wrote: boolean;
}

/** tslab aborts execute requests arriving within 200 ms of an error (execQueue.reset(200)). */
const AFTER_ERROR_PAUSE_MS = 250;
const ABORT_RETRIES = 4;

/**
 * The late-output window after the last cell: while the kernel reports pending timers or I/O, the runner
 * waits (pauses growing from 20 ms to 500 ms) up to 1 s plus a quarter of the notebook's run time, at most
 * 10 s. Longer-lived timers are outside the window (scripts/runner/README.md, "What fails a notebook").
 */
export function settleCeilingMs(runMs: number): number {
  return Math.min(10_000, 1000 + 0.25 * runMs);
}

interface Prepared {
  notebook: Notebook;
  stored: Notebook | null;
  storedText: string | null;
  cellLines: number[] | null;
  settings: NotebookSettings;
  /** Whether stored outputs line up cell for cell with the notebook to run (needed to compare them). */
  comparable: boolean;
  failures: Failure[];
}

export async function runNotebook(job: NotebookJob, options: RunOptions): Promise<NotebookResult> {
  const started = performance.now();
  const result: NotebookResult = { job, passed: false, failures: [], timings: [], durationMs: 0, notebook: null, cellLines: null, wrote: false };
  const finish = (): NotebookResult => {
    result.passed = result.failures.length === 0;
    result.durationMs = performance.now() - started;
    return result;
  };

  let prepared: Prepared;
  try {
    prepared = prepare(job, options);
  } catch (error) {
    if (!(error instanceof SourceFormatError || error instanceof NotebookFormatError || error instanceof SettingsError)) throw error;
    result.failures.push({ kind: "format", cellIndex: null, message: error.message });
    return finish();
  }
  result.notebook = prepared.notebook;
  result.cellLines = prepared.cellLines;
  result.failures.push(...prepared.failures);

  const executionFailures = await execute(prepared, job, options, result.timings);
  result.failures.push(...executionFailures);
  if (executionFailures.length > 0) return finish();

  const problems = validateNotebook(JSON.parse(serializeNotebook(prepared.notebook)), prepared.notebook.nbformat_minor >= 5 ? 5 : 4);
  if (problems.length > 0) result.failures.push({ kind: "format", cellIndex: null, message: `the executed notebook is not valid nbformat: ${problems.slice(0, 3).join("; ")}` });
  if (options.mode === "check" && options.compareOutputs !== false && prepared.stored !== null && prepared.comparable) result.failures.push(...compareWithStored(prepared));
  if (options.mode === "update" && result.failures.length === 0) {
    try {
      result.wrote = writeIfChanged(job.notebookPath, prepared);
    } catch (error) {
      if (!(error instanceof FileWriteError)) throw error;
      result.failures.push({ kind: "write", cellIndex: null, message: `${error.message}; ${prepared.storedText === null ? "nothing was written" : "the stored notebook is unchanged"}` });
    }
  }
  return finish();
}

function prepare(job: NotebookJob, options: RunOptions): Prepared {
  const storedText = existsSync(job.notebookPath) ? readFileSync(job.notebookPath, "utf8") : null;
  const failures: Failure[] = [];
  if (job.sourcePath === null) {
    if (storedText === null) throw new NotebookFormatError(job.notebookPath, "no such file");
    const stored = parseNotebook(storedText, job.notebookPath);
    refuseOtherKernels(stored.metadata, job.notebookPath);
    const notebook = structuredClone(stored);
    return { notebook, stored, storedText, cellLines: null, settings: notebookSettings(notebook.metadata, options.timeoutSeconds), comparable: true, failures };
  }

  const source = parseNotebookSource(readFileSync(job.sourcePath, "utf8"), job.sourcePath);
  refuseOtherKernels(source.metadata, job.sourcePath);
  let stored: Notebook | null = null;
  try {
    stored = storedText === null ? null : parseNotebook(storedText, job.notebookPath);
  } catch (error) {
    // --update rebuilds a broken .ipynb from its source; --check reports it.
    if (options.mode === "check" || !(error instanceof NotebookFormatError)) throw error;
  }
  let comparable = stored !== null;
  if (options.mode === "check") {
    if (stored === null) {
      failures.push({ kind: "missing", cellIndex: null, message: `${job.notebookPath} does not exist; build it with \`npm run notebooks -- ${job.sourcePath}\`` });
    } else {
      const sync = sourcesInSync(source, stored);
      if (!sync.inSync) {
        comparable = false;
        failures.push({ kind: "out-of-sync", cellIndex: sync.cellIndex, message: `${job.notebookPath} is out of sync with ${job.sourcePath}: ${sync.message}; rebuild with \`npm run notebooks -- ${job.sourcePath}\` (or pull edits made in Jupyter with \`npm run pull -- ${job.notebookPath}\`)` });
      }
    }
  }
  const notebook = buildNotebook(source, stored ?? undefined);
  return { notebook, stored, storedText, cellLines: source.cellLines, settings: notebookSettings(notebook.metadata, options.timeoutSeconds), comparable, failures };
}

/**
 * The runner runs tslab's TypeScript kernel only. A notebook of tslab's JavaScript kernel (jslab) would compile
 * differently here, and any other kernel is another language: each is refused with the kernel it needs.
 */
function refuseOtherKernels(metadata: Notebook["metadata"], path: string): void {
  const kernel = (metadata["kernelspec"] as { name?: unknown } | undefined)?.name;
  if (kernel === undefined || TSLAB_KERNEL_NAMES.includes(String(kernel))) return;
  const advice = kernel === "jslab" ? "it is a JavaScript notebook of tslab's jslab kernel: run it with that kernel (in Jupyter, pick the JavaScript kernel that `npx tslab install` registers)" : `its kernel is ${JSON.stringify(kernel)}: run it with that kernel`;
  throw new NotebookFormatError(path, `${advice}; this runner runs tslab (TypeScript) notebooks only`);
}

/** Runs the code cells in a fresh kernel, storing fresh outputs into `prepared.notebook`; returns the failures. */
async function execute(prepared: Prepared, job: NotebookJob, options: RunOptions, timings: CellTiming[]): Promise<Failure[]> {
  const { notebook, settings } = prepared;
  const codeCells = notebook.cells
    .map((cell, index) => ({ cell, index, settings: cellSettings(cell.metadata, settings, index + 1) }))
    .filter((plan): plan is { cell: CodeCell; index: number; settings: CellSettings } => plan.cell.cell_type === "code");
  const toExecute = codeCells.filter((plan) => !plan.settings.tags.has(TAGS.skip));
  for (const { index, settings: s } of codeCells) if (s.tags.has(TAGS.skip)) timings.push({ cellIndex: index, status: "skipped", durationMs: 0 });
  if (toExecute.length === 0) return [];

  let kernel: TslabKernel;
  try {
    kernel = await (options.startKernel ?? ((cwd) => TslabKernel.start({ cwd })))(dirname(job.notebookPath));
  } catch (error) {
    return [{ kind: "startup", cellIndex: null, message: `the tslab kernel did not start: ${(error as Error).message}` }];
  }
  const failures: Failure[] = [];
  const cellOfExecute: number[] = [];
  const origins = new OriginTracker();
  let lastErrorAt = -Infinity;
  const pauseAfterError = async (): Promise<void> => sleep(Math.max(0, lastErrorAt + (options.afterErrorPauseMs ?? AFTER_ERROR_PAUSE_MS) - performance.now()));
  try {
    let runMs = 0;
    for (const [n, { cell, index, settings: s }] of toExecute.entries()) {
      options.onCell?.(index, n, toExecute.length);
      await pauseAfterError();
      cellOfExecute.push(index);
      let raw = await kernel.execute(cell.source, { timeoutMs: s.timeoutSeconds * 1000 });
      // tslab aborts only inside its window after an error; the cell never ran, so it is sent again, later.
      for (let retry = 1; raw.status === "abort" && lastErrorAt > -Infinity && retry <= (options.abortRetries ?? ABORT_RETRIES); retry++) {
        await sleep(retry * AFTER_ERROR_PAUSE_MS);
        cellOfExecute.push(index);
        raw = await kernel.execute(cell.source, { timeoutMs: s.timeoutSeconds * 1000 });
      }
      // Errors of callbacks that earlier cells scheduled may arrive while this cell runs: they are theirs.
      const marked = origins.fromCell(raw.outputs);
      const run: CellResult = { ...raw, outputs: marked.outputs, stderrText: takeOriginLines(raw.stderrText).text };
      cell.outputs = run.outputs;
      cell.execution_count = n + 1;
      timings.push({ cellIndex: index, status: run.status, durationMs: run.durationMs });
      runMs += run.durationMs;
      if (run.status === "error") lastErrorAt = performance.now();
      // An error that belongs to an earlier cell is that cell's failure, not this one's; in exercises mode
      // failures of earlier exercises accumulate, so each cell is judged on its own result.
      const earlierCells = errorsOfEarlierCells(marked.origins, run, cellOfExecute);
      failures.push(...earlierCells);
      const failure = earlierCells.length > 0 ? null : judgeCell(run, s.tags.has(TAGS.raises), s.timeoutSeconds, kernel);
      if (failure !== null) failures.push({ ...failure, cellIndex: index });
      failures.push(...lateOutput(origins.fromOrphans(kernel.takeOrphans()), cellOfExecute));
      if (failures.length > 0 && options.mode !== "exercises") break;
    }
    if (failures.length === 0) {
      const last = toExecute.at(-1) as (typeof toExecute)[number];
      await pauseAfterError();
      failures.push(...(await settle(kernel, last.index, last.settings.timeoutSeconds, options.settleCeilingMs ?? settleCeilingMs(runMs), cellOfExecute, origins)));
    }
  } finally {
    await kernel.shutdown();
  }
  return failures;
}

/**
 * After the last cell, timers and I/O the notebook left pending may still print or throw. The kernel is
 * asked what is pending (a probe cell), and while something is, the runner waits and asks again, up to
 * `ceilingMs`; whatever arrives meanwhile fails the notebook as late output of the last cell.
 */
async function settle(kernel: TslabKernel, lastCell: number, timeoutSeconds: number, ceilingMs: number, cellOfExecute: number[], origins: OriginTracker): Promise<Failure[]> {
  const started = performance.now();
  let pause = 20;
  for (;;) {
    cellOfExecute.push(lastCell); // the probe's execute() index: late output after it belongs to the last cell
    const probe = await kernel.probePendingWork(timeoutSeconds * 1000);
    const failures = [...lateOutput(origins.fromOrphans(probe.lateOutputs.map((output) => ({ msgType: output.output_type, output, afterExecute: probe.run.executeIndex }))), cellOfExecute), ...lateOutput(origins.fromOrphans(kernel.takeOrphans()), cellOfExecute)];
    if (probe.run.status === "dead") {
      failures.push({ kind: "dead", cellIndex: lastCell, message: `the kernel died after the last cell had finished (${kernel.exitReason ?? "unknown reason"}), e.g. process.exit() in a timer` });
    } else if (probe.run.status === "timeout") {
      failures.push({ kind: "timeout", cellIndex: lastCell, message: `the kernel stayed busy for over ${timeoutSeconds} s after the last cell had finished (a timer or callback that never returns)` });
    }
    if (failures.length > 0 || probe.pending === null || probe.pending === 0) return failures;
    const left = ceilingMs - (performance.now() - started);
    if (left <= 0) return [];
    await sleep(Math.min(pause, left));
    pause = Math.min(2 * pause, 500);
  }
}

/** The cell policy: which outcomes fail the notebook. */
function judgeCell(run: CellResult, mustRaise: boolean, timeoutSeconds: number, kernel: TslabKernel): Omit<Failure, "cellIndex"> | null {
  switch (run.status) {
    case "ok": {
      if (mustRaise) return { kind: "no-raise", message: `the cell is tagged ${TAGS.raises} but ran without an error` };
      const unhandled = run.stderrText.split("\n").find((line) => /^(UnhandledPromiseRejection|UncaughtException): |^(\S+ )?\d+:\d+ - /.test(line));
      return unhandled === undefined ? null : { kind: "unhandled", message: `the cell finished but reported an error on stderr:\n${run.stderrText.trimEnd()}` };
    }
    case "error": {
      const error = run.outputs.at(-1);
      const text = error?.output_type === "error" ? error.traceback.join("\n").trimEnd() : "";
      return mustRaise ? null : { kind: "error", message: text || "the kernel reported an error without any error text" };
    }
    case "abort":
      return { kind: "abort", message: "tslab aborted the cell (it arrived within 200 ms of an earlier error), so it never ran" };
    case "timeout":
      return { kind: "timeout", message: `the cell ran longer than its ${timeoutSeconds} s timeout and was ${kernel.exitReason === null ? "interrupted" : "killed"}. If it only needs longer on this machine, raise the timeout: \`--timeout SECONDS\` for the run, \`// %% runner={"timeout": SECONDS}\` on the cell, or \`// notebook-metadata: {"execution": {"timeout": SECONDS}}\` for the notebook` };
    case "dead":
      return { kind: "dead", message: `the kernel died during the cell (${kernel.exitReason ?? "unknown reason"}), e.g. process.exit() or a native crash${kernel.processOutputTail.trim() ? `:\n${kernel.processOutputTail.trim()}` : ""}` };
  }
}

/**
 * Late output: blamed on the cell that scheduled the callback when the kernel said which (kernel-cell-origin.cjs
 * does for uncaught errors), else on the cell after which it arrived, saying so.
 */
function lateOutput(orphans: AttributedOrphan[], cellOfExecute: number[]): Failure[] {
  return orphans.map(({ msgType, output, afterExecute, origin }) => {
    const after = cellOfExecute[afterExecute];
    const scheduler = origin === null ? undefined : cellOfExecute[origin];
    const why =
      scheduler !== undefined ? `raised by a timer or callback that this cell scheduled, after the cell had finished${after !== undefined && after !== scheduler ? ` (it arrived after cell ${after + 1})` : ""}`
      : `output arrived after cell ${after === undefined ? "?" : after + 1} had finished; which cell scheduled it is not known`;
    return {
      kind: "late-output" as const,
      cellIndex: scheduler ?? after ?? null,
      message: `${why} (a timer or an un-awaited promise outlived its cell):\n[${msgType}] ${describeOutput(output)}`,
    };
  });
}

/** Uncaught errors that arrived while a later cell ran, from callbacks that earlier cells had scheduled. */
function errorsOfEarlierCells(origins: number[], run: CellResult, cellOfExecute: number[]): Failure[] {
  const current = cellOfExecute[run.executeIndex];
  return [...new Set(origins)]
    .filter((origin) => origin !== run.executeIndex && cellOfExecute[origin] !== undefined)
    .map((origin) => ({
      kind: "late-output" as const,
      cellIndex: cellOfExecute[origin] ?? null,
      message: `raised by a timer or callback that this cell scheduled, after the cell had finished (it arrived while cell ${(current ?? -1) + 1} ran; a timer or an un-awaited promise outlived its cell):\n${run.stderrText.trimEnd()}`,
    }));
}

function describeOutput(output: Output): string {
  switch (output.output_type) {
    case "stream":
      return output.text.trimEnd();
    case "error":
      return `${output.ename}: ${output.evalue}`;
    default: {
      const text = output.data["text/plain"];
      return typeof text === "string" ? text.trimEnd() : Object.keys(output.data).join(", ");
    }
  }
}

function compareWithStored(prepared: Prepared): Failure[] {
  const stored = prepared.stored?.cells ?? [];
  const failures: Failure[] = [];
  prepared.notebook.cells.forEach((cell, index) => {
    const before = stored[index];
    if (cell.cell_type !== "code" || before?.cell_type !== "code") return;
    const s = cellSettings(cell.metadata, prepared.settings, index + 1);
    if (s.tags.has(TAGS.skip)) return;
    const difference = compareOutputs(before.outputs, cell.outputs, { ...s, kindsOnly: s.tags.has(TAGS.volatile) });
    if (difference !== null) failures.push({ kind: "output-mismatch", cellIndex: index, message: `the fresh run does not reproduce the stored output: ${difference}` });
  });
  return failures;
}

/**
 * A re-run stores nothing new where nothing changed: a cell whose fresh outputs match its stored ones by the
 * --check comparison (durations, rates and timestamps sanitised, numbers within tolerance, images by presence)
 * keeps the stored outputs. So `npm run notebooks` on another machine, or on another day, leaves `git status`
 * clean instead of rewriting "15/15 steps in 1.8 s" as "… in 2.3 s".
 */
function keepEquivalentOutputs(prepared: Prepared): void {
  const storedById = new Map((prepared.stored?.cells ?? []).flatMap((cell) => (cell.cell_type === "code" && cell.id !== undefined ? [[cell.id, cell] as const] : [])));
  prepared.notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code" || cell.id === undefined) return;
    const before = storedById.get(cell.id);
    if (before === undefined || before.source !== cell.source) return;
    const s = cellSettings(cell.metadata, prepared.settings, index + 1);
    if (compareOutputs(before.outputs, cell.outputs, { ...s, kindsOnly: s.tags.has(TAGS.volatile) }) === null) cell.outputs = structuredClone(before.outputs);
  });
}

function writeIfChanged(path: string, prepared: Prepared): boolean {
  keepEquivalentOutputs(prepared);
  const text = serializeNotebook(prepared.notebook);
  if (text === prepared.storedText) return false;
  writeFileAtomic(path, text);
  return true;
}
