/**
 * What a run tells people: the console text (notebook, cell number, `.ts` line, first lines of the cell, the
 * error), JUnit XML for CI systems, and a self-contained HTML report.
 */
import type { Failure, FailureKind, NotebookJob, NotebookResult } from "./execute-notebook";
import { jobName } from "./notebook-jobs";

const EXCERPT_LINES = 4;
const MESSAGE_LINES = 24;

export interface FailureView {
  /** "cell 7 (notebooks/01-x.ts:45)" or "notebook". */
  where: string;
  kind: Failure["kind"];
  /** First lines of the cell's source. */
  excerpt: string[];
  message: string;
}

export function viewFailure(result: NotebookResult, failure: Failure): FailureView {
  if (failure.cellIndex === null) return { where: "notebook", kind: failure.kind, excerpt: [], message: failure.message };
  const cell = result.notebook?.cells[failure.cellIndex];
  const line = result.cellLines?.[failure.cellIndex];
  const location = line !== undefined && result.job.sourcePath !== null ? ` (${jobName(result.job)}:${line})` : "";
  const lines = cell?.source.split("\n") ?? [];
  const excerpt = lines.slice(0, EXCERPT_LINES);
  if (lines.length > EXCERPT_LINES) excerpt.push(`… (${lines.length - EXCERPT_LINES} more lines)`);
  return { where: `cell ${failure.cellIndex + 1}${location}`, kind: failure.kind, excerpt, message: failure.message };
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The console block for one notebook: a PASS line, or FAIL with each failure spelled out. */
export function formatResultText(result: NotebookResult): string {
  const name = jobName(result.job);
  const executed = result.timings.filter((timing) => timing.status !== "skipped").length;
  const head = `${result.passed ? "PASS" : "FAIL"} ${name} (${executed} cells, ${formatSeconds(result.durationMs)})${result.wrote ? ", wrote " + result.job.notebookPath : ""}`;
  if (result.passed) return head;
  const blocks = result.failures.map((failure) => {
    const view = viewFailure(result, failure);
    const message = clip(view.message.split("\n"), MESSAGE_LINES);
    return [`  ${view.where}: ${view.kind}`, ...view.excerpt.map((line) => `    | ${line}`), ...message.map((line) => `    ${line}`)].join("\n");
  });
  return [head, ...blocks].join("\n");
}

/** After Ctrl-C: which notebooks finished (and how), and which did not. */
export function interruptedSummary(jobs: NotebookJob[], results: (NotebookResult | undefined)[]): string {
  const done = jobs.flatMap((job, i) => (results[i] === undefined ? [] : [`${results[i]?.passed ? "PASS" : "FAIL"} ${jobName(job)}`]));
  const notDone = jobs.filter((_, i) => results[i] === undefined).map(jobName);
  return [
    `Interrupted: ${done.length} of ${jobs.length} notebook${jobs.length === 1 ? "" : "s"} finished${done.length > 0 ? ":" : "."}`,
    ...done.map((line) => `  ${line}`),
    ...(notDone.length > 0 ? [`Not finished (nothing written for them): ${notDone.join(", ")}`] : []),
  ].join("\n");
}

/** What to do about each kind of failure in the run: one line per kind present, then where the README says more. */
export function nextSteps(failed: NotebookResult[], mode: string): string {
  const byKind = new Map<FailureKind, Set<string>>();
  for (const result of failed) for (const failure of result.failures) byKind.set(failure.kind, (byKind.get(failure.kind) ?? new Set()).add(jobName(result.job)));
  const names = (kind: FailureKind): string => [...(byKind.get(kind) ?? [])].join(" ");
  const advice: Partial<Record<FailureKind, string>> = {
    "output-mismatch": `the fresh outputs differ from the stored ones: if the change is intended (you edited the code, a library changed), store them with \`npm run notebooks -- ${names("output-mismatch")}\` and review the diff; if not, the notebook is not reproducible (an unseeded random source, a float difference beyond the tolerance)`,
    "out-of-sync": `the .ipynb does not match its .ts: rebuild it with \`npm run notebooks -- ${names("out-of-sync")}\`, or if you edited the .ipynb in Jupyter, pull the edits first with \`npm run pull -- <the .ipynb>\``,
    missing: `build the missing .ipynb with \`npm run notebooks -- ${names("missing")}\``,
    error: "a cell raised (or a check failed): read the error above, fix the cell or the lib/ code it calls, and run the notebook alone (`npm run notebooks -- NN`)",
    unhandled: "a cell left an error behind (an un-awaited promise): await it in the cell",
    "late-output": "output came after its cell had finished: await the promise or clear the timer in the cell that started it",
    "no-raise": "a cell tagged raises-exception ran cleanly: make it raise, or drop the tag",
    timeout: "a cell ran past its timeout: on a slow machine raise it with `--timeout SECONDS`, or for that cell `// %% runner={\"timeout\": SECONDS}`",
    dead: "the kernel died (process.exit(), a native crash, out of memory): the cell named above ended it",
    startup: "the tslab kernel did not start: run `npm ci` again, then try the notebook alone",
    abort: "tslab aborted a cell right after an error: fix the error before it",
    format: "a file could not be read or is not valid: the message names the file and the place",
  };
  const lines = [...byKind.keys()].map((kind) => `  - ${advice[kind] ?? kind}`);
  return [`What to do next${mode === "check" ? "" : ` (${mode} run)`}:`, ...lines, `  More in README.md, "When a check fails".`].join("\n");
}

function clip(lines: string[], max: number): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), `… (${lines.length - max} more lines)`];
}

export function junitXml(results: NotebookResult[], totalMs: number): string {
  const totals = { tests: 0, failures: 0 };
  const suites = results.map((result) => {
    const name = jobName(result.job);
    const failuresByCell = new Map<number | null, Failure[]>();
    for (const failure of result.failures) failuresByCell.set(failure.cellIndex, [...(failuresByCell.get(failure.cellIndex) ?? []), failure]);
    const ran = new Set(result.timings.map((timing) => timing.cellIndex));
    const cases: { failed: boolean; skipped: boolean; xml: string }[] = [];
    const addCase = (caseName: string, seconds: number, failures: Failure[], skipped: string | null): void => {
      const body = skipped !== null ? `<skipped message="${xml(skipped)}"/>` : failures.map((failure) => failureElement(result, failure)).join("");
      cases.push({ failed: skipped === null && failures.length > 0, skipped: skipped !== null, xml: `<testcase classname="${xml(name)}" name="${xml(caseName)}" time="${seconds.toFixed(3)}">${body}</testcase>` });
    };
    addCase("notebook", 0, failuresByCell.get(null) ?? [], null);
    result.notebook?.cells.forEach((cell, index) => {
      if (cell.cell_type !== "code") return;
      const timing = result.timings.find((t) => t.cellIndex === index);
      const skipped = timing?.status === "skipped" ? "tagged skip-execution" : ran.has(index) ? null : "not run: an earlier failure stopped the notebook";
      addCase(`cell ${index + 1}`, (timing?.durationMs ?? 0) / 1000, failuresByCell.get(index) ?? [], skipped);
    });
    const failed = cases.filter((c) => c.failed).length;
    const skipped = cases.filter((c) => c.skipped).length;
    totals.tests += cases.length;
    totals.failures += failed;
    return `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${(result.durationMs / 1000).toFixed(3)}">\n    ${cases.map((c) => c.xml).join("\n    ")}\n  </testsuite>`;
  });
  // The totals count test cases (cells), as the suites do, not notebooks.
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="notebooks" tests="${totals.tests}" failures="${totals.failures}" errors="0" time="${(totalMs / 1000).toFixed(3)}">\n${suites.join("\n")}\n</testsuites>\n`;
}

function failureElement(result: NotebookResult, failure: Failure): string {
  const view = viewFailure(result, failure);
  const summary = `${view.where}: ${failure.message.split("\n")[0] ?? ""}`;
  return `<failure type="${xml(failure.kind)}" message="${xml(summary)}">${xml([...view.excerpt.map((l) => `| ${l}`), view.message].join("\n"))}</failure>`;
}

export function htmlReport(results: NotebookResult[], totalMs: number, mode: string): string {
  const failed = results.filter((result) => !result.passed).length;
  const rows = results.map((result) => {
    const name = jobName(result.job);
    const slowest = [...result.timings].sort((a, b) => b.durationMs - a.durationMs)[0];
    return `<tr class="${result.passed ? "pass" : "fail"}"><td>${result.passed ? "✓ pass" : "✗ fail"}</td><td><a href="#${anchor(name)}">${html(name)}</a></td><td>${formatSeconds(result.durationMs)}</td><td>${slowest ? `cell ${slowest.cellIndex + 1}: ${formatSeconds(slowest.durationMs)}` : ""}</td></tr>`;
  });
  const details = results.filter((result) => !result.passed).map((result) => {
    const name = jobName(result.job);
    const failures = result.failures.map((failure) => {
      const view = viewFailure(result, failure);
      const excerpt = view.excerpt.length > 0 ? `<pre class="source">${html(view.excerpt.join("\n"))}</pre>` : "";
      return `<h3>${html(view.where)}: ${html(view.kind)}</h3>${excerpt}<pre class="message">${html(view.message)}</pre>`;
    });
    return `<section id="${anchor(name)}"><h2>${html(name)}</h2>${failures.join("\n")}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Notebook run: ${results.length - failed} passed, ${failed} failed</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; max-width: 70em; }
table { border-collapse: collapse; } td, th { padding: .25em .8em; text-align: left; border-bottom: 1px solid #ddd; }
tr.fail td:first-child { color: #b00; font-weight: bold; } tr.pass td:first-child { color: #070; }
pre { padding: .6em; overflow-x: auto; white-space: pre-wrap; } pre.source { background: #f4f4f4; } pre.message { background: #fff0f0; }
</style></head><body>
<h1>Notebook run (${html(mode)}): ${results.length - failed} passed, ${failed} failed, ${formatSeconds(totalMs)}</h1>
<table><tr><th>status</th><th>notebook</th><th>time</th><th>slowest cell</th></tr>
${rows.join("\n")}
</table>
${details.join("\n")}
</body></html>
`;
}

/**
 * Characters XML 1.0 does not allow anywhere, not even escaped (its production Char): C0 controls other than
 * tab, line feed and carriage return; U+FFFE and U+FFFF; surrogates that are not part of a pair.
 */
const XML_FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe in XML content and attribute values: forbidden characters become U+FFFD, so a reader sees one was there. */
export function xml(text: string): string {
  return html(text).replace(XML_FORBIDDEN, "\ufffd");
}

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function anchor(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "-");
}
