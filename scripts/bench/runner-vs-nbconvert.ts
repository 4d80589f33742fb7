/**
 * npm run bench:runner -- [--runs N] [--notebooks N] [--suite]
 *
 * The runner's timings for the README, in one run, as Markdown tables: kernel start (and tslab's start-up
 * phase by phase), per-cell overhead, a trivial 10-cell notebook alone, N such notebooks as a suite with
 * --jobs 1 and 2 (with and without kernels started ahead), and the same notebooks through
 * `jupyter nbconvert --to notebook --execute` when it is installed (benchmark only: `apt-get install
 * jupyter-nbconvert python3-nbclient`; its tslab kernelspec is written into a temporary JUPYTER_PATH).
 * `--suite` adds this repository's notebooks with --check --jobs 1 and 2.
 *
 * Each figure is the median of N runs (default 5), the variants of one measurement interleaved so that a
 * change in machine load hits them alike; CPU is user + system time of the process and all its children
 * (kernels included). The CPU pressure of the machine (/proc/pressure/cpu) is printed before and after:
 * on a loaded machine wall times follow the CPU the other processes leave, so compare within one run.
 * Not a test: the numbers depend on the machine.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { runNotebook } from "../runner/execute-notebook";
import { buildNotebook, writeNotebookFile } from "../runner/ipynb";
import { KERNEL_MAIN, runnerKernelArgv, TSLAB_BIN, TslabKernel } from "../runner/kernel";
import { parseNotebookSource } from "../runner/notebook-source";
import { KERNEL_NAME, projectKernelJson } from "../runner/kernelspec";

const ROOT = join(__dirname, "..", "..");
const WORK = join(ROOT, ".cache", "benchmark");
const NOTEBOOKS = join(WORK, "notebooks");

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number`);
  return value;
}
const RUNS = option("--runs", 5);
const SUITE_SIZE = option("--notebooks", 8);
const REAL_SUITE = process.argv.includes("--suite");

interface Sample {
  wallMs: number;
  /** User + system CPU of the measured processes, when known. */
  cpuMs: number | null;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** CPU time of this process's waited-for children (and theirs), in ms: fields cutime + cstime of /proc/self/stat. */
function childrenCpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10; // clock ticks of 10 ms
}

/** CPU time of one process (all its threads), in ms. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function pressure(): string {
  const line = existsSync("/proc/pressure/cpu") ? readFileSync("/proc/pressure/cpu", "utf8").split("\n")[0] ?? "" : "";
  const [one, five] = loadavg();
  return `${line ? `/proc/pressure/cpu ${line}` : "no /proc/pressure/cpu"}; load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min)`;
}

/** Runs a command to completion; wall time and the CPU of it and its children. */
function command(file: string, args: string[], env: NodeJS.ProcessEnv = process.env, expectStatus = 0): Sample {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(file, args, { cwd: ROOT, env, encoding: "utf8" });
  const wallMs = performance.now() - started;
  if (result.status !== expectStatus) throw new Error(`${file} ${args.join(" ")} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return { wallMs, cpuMs: childrenCpuMs() - cpuBefore };
}

type Variants = Record<string, () => Promise<Sample> | Sample>;

/** N interleaved rounds of every variant; returns the samples of each. */
async function rounds(variants: Variants, runs = RUNS): Promise<Map<string, Sample[]>> {
  const samples = new Map(Object.keys(variants).map((key) => [key, [] as Sample[]]));
  for (let round = 0; round < runs; round++) {
    for (const [key, run] of Object.entries(variants)) samples.get(key)?.push(await run());
  }
  return samples;
}

const rows: string[][] = [];
function row(what: string, samples: Sample[] | undefined, perItem = 1): void {
  if (samples === undefined) return;
  const wall = samples.map((s) => s.wallMs / perItem);
  const cpu = samples.flatMap((s) => (s.cpuMs === null ? [] : [s.cpuMs / perItem]));
  const ms = (value: number): string => `${Math.round(value)} ms`;
  rows.push([what, ms(median(wall)), `${ms(Math.min(...wall))}–${ms(Math.max(...wall))}`, cpu.length > 0 ? ms(median(cpu)) : "–"]);
}

/** A trivial notebook: 10 cells, each a declaration and a print. */
function writeTrivialNotebook(name: string): { source: string; notebook: string } {
  const cells = Array.from({ length: 10 }, (_, i) => `// %%\nconst v${i} = ${i};\nconsole.log(v${i});`).join("\n\n");
  const text = `// A trivial notebook for the runner benchmark.\n\n${cells}\n`;
  const source = join(NOTEBOOKS, `${name}.ts`);
  const notebook = join(NOTEBOOKS, `${name}.ipynb`);
  writeFileSync(source, text);
  writeNotebookFile(notebook, buildNotebook(parseNotebookSource(text, source)));
  return { source, notebook };
}

const runner = (args: string[]): Sample => command(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "runner", "run-notebooks.ts"), ...args]);

function nbconvertAvailable(): boolean {
  return spawnSync("jupyter-nbconvert", ["--version"], { stdio: "ignore" }).status === 0;
}

/** The kernelspec of tslab's own `tslab kernel` with the project's preloads: what `npm run kernel` registered before kernel-main.cjs. */
const TSLAB_OWN_KERNEL = `${KERNEL_NAME}-tslab-kernel`;

/**
 * The project's kernelspec (scripts/kernelspec.ts), for nbconvert and jupyter_client, in a temporary JUPYTER_PATH,
 * and beside it TSLAB_OWN_KERNEL; returns the env that selects them.
 */
function tslabKernelspec(): NodeJS.ProcessEnv {
  const spec = projectKernelJson(ROOT);
  const specs = { [KERNEL_NAME]: spec, [TSLAB_OWN_KERNEL]: { ...spec, argv: spec.argv.map((arg) => (arg === KERNEL_MAIN ? TSLAB_BIN : arg)) } };
  for (const [name, json] of Object.entries(specs)) {
    const dir = join(WORK, "jupyter", "kernels", name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "kernel.json"), JSON.stringify(json));
  }
  return { ...process.env, JUPYTER_PATH: join(WORK, "jupyter"), JUPYTER_RUNTIME_DIR: join(WORK, "jupyter", "runtime") };
}

const nbconvert = (notebooks: string[], env: NodeJS.ProcessEnv): Sample =>
  command("jupyter-nbconvert", ["--to", "notebook", "--execute", ...notebooks, "--output-dir", join(WORK, "nbconvert-out"), "--ExecutePreprocessor.timeout=120"], env);

/** tslab's own start-up, phase by phase, in a plain node process in the benchmark folder (no Jupyter server). */
function tslabPhases(): Record<string, number> {
  const script = `
    const t0 = performance.now();
    require("@tslab/typescript-for-tslab"); const t1 = performance.now();
    require("zeromq"); const t2 = performance.now();
    const c = require("tslab/dist/converter").createConverter({ isJS: false, isBrowser: false }); const t3 = performance.now();
    c.convert("", "const v0 = 0;\\nconsole.log(v0);"); const t4 = performance.now();
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ boot: t0, typescript: t1 - t0, zeromq: t2 - t1, compilerHost: t3 - t2, firstCell: t4 - t3, cpu: (cpu.user + cpu.system) / 1000 }));
    c.close();`;
  const result = spawnSync(process.execPath, ["-e", script], { cwd: NOTEBOOKS, encoding: "utf8", env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") } });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, number>;
}

interface KernelTimeline extends Sample {
  ready: Sample;
  first: Sample;
  total: Sample;
}

/** Starts a kernel, runs a trivial first cell (and 10 more into `later`), shuts it down. */
async function kernelTimeline(start: () => Promise<TslabKernel>, later?: number[]): Promise<KernelTimeline> {
  const t0 = performance.now();
  const kernel = await start();
  const ready = { wallMs: performance.now() - t0, cpuMs: processCpuMs(kernel.pid) };
  const first = await kernel.execute("const v0 = 0;\nconsole.log(v0);");
  if (first.status !== "ok") throw new Error(`the first cell failed: ${first.stderrText}`);
  const cpu = processCpuMs(kernel.pid);
  const total = { wallMs: performance.now() - t0, cpuMs: cpu };
  for (let n = 1; n <= 10 && later; n++) later.push((await kernel.execute(`const v${n} = ${n};\nconsole.log(v${n});`)).durationMs);
  await kernel.shutdown();
  return { ...total, ready, first: { wallMs: first.durationMs, cpuMs: cpu - (ready.cpuMs ?? 0) }, total };
}

/**
 * The same through jupyter_client, the library nbconvert, JupyterLab's server and VS Code's Python side start
 * kernels with: KernelManager.start_kernel → wait_for_ready (kernel_info answered, iopub connected) → a first
 * cell. Per kernelspec name, `runs` times; null without jupyter_client.
 */
function jupyterClientTimeline(env: NodeJS.ProcessEnv, kernelName: string, runs: number): Array<{ ready: number; first: number }> | null {
  const script = `
import json, sys, time
from jupyter_client.manager import KernelManager
samples = []
for _ in range(int(sys.argv[2])):
    km = KernelManager(kernel_name=sys.argv[1])
    t0 = time.perf_counter()
    km.start_kernel(cwd=sys.argv[3])
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    t1 = time.perf_counter()
    reply = kc.execute_interactive("const v0 = 0;\\nconsole.log(v0);", timeout=120, output_hook=lambda message: None)
    t2 = time.perf_counter()
    assert reply["content"]["status"] == "ok", reply
    kc.stop_channels()
    km.shutdown_kernel()
    samples.append({"ready": (t1 - t0) * 1000, "first": (t2 - t1) * 1000})
print(json.dumps(samples))`;
  for (const python of ["/usr/bin/python3", "python3"]) {
    const result = spawnSync(python, ["-c", script, kernelName, String(runs), NOTEBOOKS], { env, encoding: "utf8" });
    if (result.status === 0) return JSON.parse(result.stdout) as Array<{ ready: number; first: number }>;
    if (!/No module named|ENOENT/.test(`${result.stderr}${result.error?.message ?? ""}`)) throw new Error(`jupyter_client timing failed:\n${result.stderr}`);
  }
  return null;
}

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(NOTEBOOKS, { recursive: true });
  symlinkSync(join(ROOT, "lib"), join(NOTEBOOKS, "lib"));
  const pressureBefore = pressure();
  const started = performance.now();

  // The kernel through our client: start → ready, CPU of the kernel process, first and later trivial cells; the
  // kernel of kernel-main.cjs (answers, then builds the compiler host) and tslab's own `tslab kernel` (builds it
  // first), interleaved.
  const cellTimes: number[] = [];
  const kernels = await rounds({
    ours: () => kernelTimeline(() => TslabKernel.start({ cwd: NOTEBOOKS }), cellTimes),
    tslab: () => kernelTimeline(() => TslabKernel.start({ cwd: NOTEBOOKS, kernelspec: { argv: runnerKernelArgv("{connection_file}", TSLAB_BIN) } })),
  });
  const timeline = (variant: string, part: "ready" | "first" | "total"): Sample[] => (kernels.get(variant) ?? []).map((sample) => (sample as KernelTimeline)[part]);
  row("kernel start → ready (CPU: the kernel process)", timeline("ours", "ready"));
  row("first cell after ready", timeline("ours", "first"));
  row("kernel start → first cell done", timeline("ours", "total"));
  row("  the same, tslab's own `tslab kernel`: start → ready", timeline("tslab", "ready"));
  row("  the same, tslab's own `tslab kernel`: first cell after ready", timeline("tslab", "first"));
  row("  the same, tslab's own `tslab kernel`: start → first cell done", timeline("tslab", "total"));
  row("later trivial cell, round trip (per-cell overhead)", cellTimes.map((wallMs) => ({ wallMs, cpuMs: null })));

  const phases = Array.from({ length: RUNS }, tslabPhases);
  const phase = (key: string): Sample[] => phases.map((p) => ({ wallMs: p[key] ?? NaN, cpuMs: null }));
  row("  tslab phase: node boot", phase("boot"));
  row("  tslab phase: load the TypeScript compiler (no code cache)", phase("typescript"));
  row("  tslab phase: build the compiler host (createConverter)", phase("compilerHost"));
  row("  tslab phase: convert the first cell", phase("firstCell"));

  // One trivial 10-cell notebook.
  const single = writeTrivialNotebook("trivial10");
  const job = { sourcePath: single.source, notebookPath: single.notebook };
  const env = nbconvertAvailable() ? tslabKernelspec() : null;
  const viaJupyter = new Map<string, Array<{ ready: number; first: number }>>();
  for (let round = 0; round < RUNS && env !== null; round++) {
    for (const name of [KERNEL_NAME, TSLAB_OWN_KERNEL]) {
      const samples = jupyterClientTimeline(env, name, 1);
      if (samples !== null) viaJupyter.set(name, [...(viaJupyter.get(name) ?? []), ...samples]);
    }
  }
  for (const [name, label] of [[KERNEL_NAME, "the project's kernelspec"], [TSLAB_OWN_KERNEL, "tslab's own `tslab kernel`"]] as const) {
    const samples = viaJupyter.get(name);
    if (samples === undefined) continue;
    row(`jupyter_client (as nbconvert, JupyterLab), ${label}: start → ready`, samples.map((s) => ({ wallMs: s.ready, cpuMs: null })));
    row(`jupyter_client (as nbconvert, JupyterLab), ${label}: start → first cell done`, samples.map((s) => ({ wallMs: s.ready + s.first, cpuMs: null })));
  }
  const suite = Array.from({ length: SUITE_SIZE }, (_, i) => writeTrivialNotebook(`suite-${String(i).padStart(2, "0")}`));
  const sources = suite.map((nb) => nb.source);
  runner(["--update", single.source, ...sources]); // stores the outputs that --check verifies (and fills the code cache)
  const one = await rounds({
    inProcess: async () => {
      const t0 = performance.now();
      const result = await runNotebook(job, { mode: "check", timeoutSeconds: 60 });
      if (!result.passed) throw new Error(JSON.stringify(result.failures));
      return { wallMs: performance.now() - t0, cpuMs: null };
    },
    cli: () => runner(["--check", single.source]),
    ...(env ? { nbconvert: () => nbconvert([single.notebook], env) } : {}),
  });
  row("10-cell notebook, in process (build, run, verify)", one.get("inProcess"));
  row("10-cell notebook, whole CLI process `--check`", one.get("cli"));
  row("10-cell notebook, `jupyter nbconvert --execute`", one.get("nbconvert"));

  // A suite of trivial notebooks: wall and CPU per notebook.
  const many = await rounds({
    jobs1Cold: () => runner(["--check", "--jobs", "1", "--prestart", "0", ...sources]),
    jobs1: () => runner(["--check", "--jobs", "1", ...sources]),
    jobs2Cold: () => runner(["--check", "--jobs", "2", "--prestart", "0", ...sources]),
    jobs2: () => runner(["--check", "--jobs", "2", ...sources]),
    ...(env ? { nbconvert: () => nbconvert(suite.map((nb) => nb.notebook), env) } : {}),
  }, Math.min(RUNS, 3));
  const per = ` trivial notebooks, per notebook`;
  row(`${SUITE_SIZE}${per}: \`--jobs 1 --prestart 0\` (each kernel started when its notebook begins)`, many.get("jobs1Cold"), SUITE_SIZE);
  row(`${SUITE_SIZE}${per}: \`--jobs 1\` (next kernel started ahead)`, many.get("jobs1"), SUITE_SIZE);
  row(`${SUITE_SIZE}${per}: \`--jobs 2 --prestart 0\``, many.get("jobs2Cold"), SUITE_SIZE);
  row(`${SUITE_SIZE}${per}: \`--jobs 2\` (the default on 2 cores)`, many.get("jobs2"), SUITE_SIZE);
  row(`${SUITE_SIZE}${per}: \`jupyter nbconvert --execute\` (one process, all notebooks)`, many.get("nbconvert"), SUITE_SIZE);

  if (REAL_SUITE) {
    const real = await rounds({ jobs1: () => runner(["--check", "--jobs", "1"]), jobs2: () => runner(["--check", "--jobs", "2"]) }, Math.min(RUNS, 3));
    row("this repository's notebooks, `--check --jobs 1`", real.get("jobs1"));
    row("this repository's notebooks, `--check --jobs 2`", real.get("jobs2"));
  }

  console.log(`Machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, Node ${process.version}; medians of ${RUNS} runs (suites: ${Math.min(RUNS, 3)}), ${((performance.now() - started) / 1000).toFixed(0)} s in all.`);
  console.log(`Before: ${pressureBefore}\nAfter:  ${pressure()}\n`);
  console.log("| measurement | wall (median) | wall (min–max) | CPU (median) |\n|---|---|---|---|");
  for (const cells of rows) console.log(`| ${cells.join(" | ")} |`);
  const wall = (samples: Sample[] | undefined): number => median((samples ?? []).map((s) => s.wallMs));
  const jupyterReady = viaJupyter.get(KERNEL_NAME);
  console.log(`\nKernel ready (start → kernel_info answered), median: the runner's client ${Math.round(wall(timeline("ours", "ready")))} ms (tslab's own kernel ${Math.round(wall(timeline("tslab", "ready")))} ms)${jupyterReady ? `, jupyter_client as nbconvert starts it ${Math.round(median(jupyterReady.map((s) => s.ready)))} ms` : ""}; first cell done ${Math.round(wall(timeline("ours", "total")))} ms (tslab's own ${Math.round(wall(timeline("tslab", "total")))} ms).`);
  if (env !== null) {
    const ratio = (ours: Sample[] | undefined, theirs: Sample[] | undefined): string => (wall(ours) / wall(theirs)).toFixed(2);
    console.log(`Ours ÷ nbconvert, wall per notebook: one notebook ${ratio(one.get("cli"), one.get("nbconvert"))}; suite --jobs 1 ${ratio(many.get("jobs1"), many.get("nbconvert"))}, --jobs 2 ${ratio(many.get("jobs2"), many.get("nbconvert"))} (target ≤ 0.5).`);
  }
  rmSync(WORK, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
