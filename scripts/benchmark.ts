/**
 * npx tsx scripts/benchmark.ts [--runs N]
 *
 * The runner's timings for the README, in one run, as a Markdown table: kernel start, per-cell overhead, a
 * 10-cell notebook, the whole suite with --jobs 1 and 2, and the same 10-cell notebook through
 * `jupyter nbconvert --execute` when it is installed (benchmark only: `apt-get install jupyter-nbconvert
 * python3-nbclient`). Medians of N runs (default 5). Not a test: numbers depend on the machine.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { runNotebook } from "./execute-notebook";
import { buildNotebook, writeNotebookFile } from "./ipynb";
import { TslabKernel } from "./kernel";
import { parseNotebookSource } from "./notebook-source";

const ROOT = join(__dirname, "..");
const WORK = join(ROOT, ".cache", "benchmark");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function repeat(fn: () => Promise<unknown> | unknown, runs = RUNS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(fn));
  return median(times);
}

/** A 10-cell notebook of trivial declarations and prints, as `.ts` and built `.ipynb`. */
function writeTrivialNotebook(): { source: string; notebook: string } {
  const cells = Array.from({ length: 10 }, (_, i) => `// %%\nconst v${i} = ${i};\nconsole.log(v${i});`).join("\n\n");
  const source = join(WORK, "trivial10.ts");
  const notebook = join(WORK, "trivial10.ipynb");
  writeFileSync(source, cells + "\n");
  writeNotebookFile(notebook, buildNotebook(parseNotebookSource(cells + "\n")));
  return { source, notebook };
}

function runCli(args: string[]): void {
  spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "run-notebooks.ts"), ...args], { cwd: ROOT, stdio: "ignore" });
}

function nbconvertAvailable(): boolean {
  return spawnSync("jupyter-nbconvert", ["--version"], { stdio: "ignore" }).status === 0;
}

/** A kernelspec for nbconvert pointing at this repository's tslab; returns the env that selects it. */
function tslabKernelspec(): NodeJS.ProcessEnv {
  const dir = join(WORK, "jupyter", "kernels", "tslab");
  mkdirSync(dir, { recursive: true });
  const argv = [process.execPath, require.resolve("tslab/bin/tslab"), "kernel", "--config-path", "{connection_file}"];
  writeFileSync(join(dir, "kernel.json"), JSON.stringify({ argv, display_name: "TypeScript", language: "typescript" }));
  return { ...process.env, JUPYTER_PATH: join(WORK, "jupyter"), JUPYTER_RUNTIME_DIR: join(WORK, "jupyter", "runtime") };
}

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const rows: Array<[string, string]> = [];
  const ms = (value: number): string => `${Math.round(value)} ms`;

  rows.push(["kernel start → ready", ms(await repeat(async () => (await TslabKernel.start({ cwd: WORK })).shutdown()))]);
  const kernel = await TslabKernel.start({ cwd: WORK });
  await kernel.execute("0");
  const cellTimes: number[] = [];
  for (let i = 0; i < 50; i++) cellTimes.push((await kernel.execute("1")).durationMs);
  await kernel.shutdown();
  rows.push(["trivial cell round trip (per-cell overhead)", ms(median(cellTimes))]);

  const trivial = writeTrivialNotebook();
  const job = { sourcePath: trivial.source, notebookPath: trivial.notebook };
  rows.push(["10-cell notebook, in process (build, run, write)", ms(await repeat(() => runNotebook(job, { mode: "update", timeoutSeconds: 60 })))]);
  rows.push(["10-cell notebook, whole CLI process (`--check`)", ms(await repeat(() => runCli(["--check", trivial.source])))]);
  if (nbconvertAvailable()) {
    const env = tslabKernelspec();
    const args = ["--to", "notebook", "--execute", trivial.notebook, "--output-dir", join(WORK, "nbconvert-out")];
    rows.push(["10-cell notebook, `jupyter nbconvert --execute`", ms(await repeat(() => execFileSync("jupyter-nbconvert", args, { env, stdio: "ignore" })))]);
  } else {
    rows.push(["10-cell notebook, `jupyter nbconvert --execute`", "not installed (apt-get install jupyter-nbconvert python3-nbclient)"]);
  }
  for (const jobs of [1, 2]) rows.push([`whole suite \`--check --jobs ${jobs}\``, ms(await repeat(() => runCli(["--check", "--jobs", String(jobs)]), Math.min(RUNS, 3)))]);

  console.log(`Machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, Node ${process.version}; medians of ${RUNS} runs.\n`);
  console.log("| measurement | time |\n|---|---|");
  for (const [what, value] of rows) console.log(`| ${what} | ${value} |`);
  rmSync(WORK, { recursive: true, force: true });
}

void main();
