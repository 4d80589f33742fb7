/**
 * Live progress for long loops: one display updated in place (at most 5 times a second), replaced by a
 * one-line summary when the loop ends, so the saved notebook holds one output rather than thousands of lines.
 *
 *   const bar = progress({ total: epochs, label: "MLP training" });
 *   for (let epoch = 1; epoch <= epochs; epoch++) { …; bar.update(epoch, { loss }); }
 *   bar.done();   // "MLP training: 15/15 steps in 6.1 s · loss 0.0312"
 *
 * Outside a kernel with no display sink (plain Node scripts) it prints a plain line every few seconds instead.
 */
import { canDisplay, updatableDisplay } from "./display";
import { formatNumber } from "./table";

export interface ProgressOptions {
  /** Number of steps in the whole run (epochs, batches, iterations). */
  total: number;
  label: string;
  /** Minimum time between two display updates (default 200 ms, i.e. ≤ 5 per second). */
  minIntervalMs?: number;
}

/** What a finished run reports. */
export interface ProgressSummary {
  label: string;
  steps: number;
  total: number;
  elapsedMs: number;
  metrics: Record<string, number>;
}

export interface Progress {
  /** Records that `step` of `total` steps are done; the display shows the latest metrics. */
  update(step: number, metrics?: Record<string, number>): void;
  /** Ends the run and leaves the summary line as the output. Idempotent. Returns nothing, so that tslab,
   *  which prints a cell's last expression, prints nothing more when `bar.done()` ends a cell. */
  done(): void;
}

/** Plain-text mode prints at most one line per this interval. */
const LOG_INTERVAL_MS = 2000;

export function progress(options: ProgressOptions): Progress {
  const { total, label } = options;
  if (!(Number.isFinite(total) && total > 0)) throw new RangeError(`progress("${label}"): total must be a positive number, got ${total}`);
  const minIntervalMs = options.minIntervalMs ?? 200;
  const show = canDisplay() ? displayWriter() : logWriter();
  const start = Date.now();
  let step = 0;
  let metrics: Record<string, number> = {};
  let lastShown = -Infinity;
  let pending: ReturnType<typeof setTimeout> | null = null;
  let finished = false;

  const flush = () => {
    // A flush made directly (not by the timer) must cancel the timer, or it would fire after done().
    if (pending) clearTimeout(pending);
    pending = null;
    lastShown = Date.now();
    show(progressLine(label, step, total, metrics, lastShown - start), false);
  };

  return {
    update(nextStep, nextMetrics = {}) {
      if (finished) throw new Error(`progress("${label}"): update() after done()`);
      step = nextStep;
      metrics = { ...nextMetrics };
      const wait = lastShown + minIntervalMs - Date.now();
      if (wait <= 0) flush();
      // Throttled updates are not lost: a timer shows the latest state once the interval has passed.
      // (unref: the timer must not keep a finished script alive.)
      else pending ??= setTimeout(flush, wait).unref();
    },
    done() {
      if (finished) return;
      finished = true;
      if (pending) clearTimeout(pending);
      pending = null;
      show(summaryLine({ label, steps: step, total, elapsedMs: Date.now() - start, metrics }), true);
    },
  };
}

/** `label: 7/15 [█████████░░░░░░░░░░░]  47% · 3.2 s · loss 0.1234` */
export function progressLine(label: string, step: number, total: number, metrics: Record<string, number>, elapsedMs: number): string {
  const fraction = Math.min(1, Math.max(0, step / total));
  const filled = Math.round(fraction * 20);
  const bar = `[${"█".repeat(filled)}${"░".repeat(20 - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return [`${label}: ${step}/${total} ${bar} ${percent}`, seconds(elapsedMs), ...metricTexts(metrics)].join(" · ");
}

/** `label: 15/15 steps in 6.1 s · loss 0.0312`, or `label: stopped at 7/15 steps after 3.2 s · …` */
export function summaryLine({ label, steps, total, elapsedMs, metrics }: ProgressSummary): string {
  const head = steps >= total ? `${steps}/${total} steps in ${seconds(elapsedMs)}` : `stopped at ${steps}/${total} steps after ${seconds(elapsedMs)}`;
  return [`${label}: ${head}`, ...metricTexts(metrics)].join(" · ");
}

function metricTexts(metrics: Record<string, number>): string[] {
  return Object.entries(metrics).map(([name, value]) => `${name} ${formatNumber(value, 4)}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

type Writer = (line: string, final: boolean) => void;

function displayWriter(): Writer {
  const display = updatableDisplay();
  return (line) => display.update({ "text/plain": line });
}

function logWriter(): Writer {
  let lastLogged = Date.now();
  return (line, final) => {
    if (!final && Date.now() - lastLogged < LOG_INTERVAL_MS) return;
    lastLogged = Date.now();
    console.log(line);
  };
}
