/**
 * npx tsx scripts/bench/bench.ts [--json] [--reps N] [--quick] [--only WORKLOAD,…] [--backends NAME,…]
 * npx tsx scripts/bench/bench.ts --mnist [--epochs N] [--threads N] [--json]
 *
 * Training speed of fixed workloads (issues 7 and 18) on every TensorFlow.js backend this machine has, and of the
 * same models in PyTorch on CPU when /usr/bin/python3 has torch (Debian's python3-torch; benchmark only). Batch 64:
 *
 *   mlp          MLP 784-128-10
 *   cnn          conv32(3×3) → maxpool 2 → conv64(3×3) → maxpool 2 → dense128 → dense10 on 28×28×1 (Keras's MNIST
 *                CNN, "valid" convolutions)
 *   lstm         Embedding(1000, 32) → LSTM(64) → Dense(2) on length-30 sequences (sigmoid gates, as PyTorch)
 *   gru          Embedding(1000, 32) → GRU(64) → Dense(2), the same
 *   transformer  lib/attention's post-norm encoder block (d = 64, 4 heads, FFN 256, ReLU, T = 32) → mean → Dense(10)
 *   lm           tiny causal character language model: Embedding(64, 64) + learned positions → 2 pre-norm causal
 *                blocks (d = 64, 4 heads, FFN 256, T = 64) → LayerNorm → Dense(64), next-token loss at every position
 *
 * Models in scripts/bench/workloads.ts and scripts/bench/torch_reference.py; both sides report their trainable
 * parameter count, and the benchmark exits 1 when they differ. Profile of one step: scripts/bench/profile.ts.
 *
 * Backends (--backends picks some):
 *   cpu            pure-JS tfjs backend
 *   wasm-plain     tfjs-backend-wasm as shipped (cannot train the CNN or the Embedding)
 *   wasm           with lib/tfjs-wasm (training kernels, faster products and reductions), 1 XNNPACK thread
 *   wasm-threads   the same with one XNNPACK thread per core (lib/tfjs-wasm/threads)
 *   tensorflow     native libtensorflow, when tfjs-node-native is installed
 *   pytorch        PyTorch on CPU, every thread pool pinned to 1 thread (OpenMP, OpenBLAS, MKL, inter-op);
 *                  pytorch-threads: one thread per core
 * Each (backend, workload) runs in its own process: a warm-up step, then a fixed number of samples, repeated --reps
 * times (default 3); the median is reported as training samples per second (wall clock), plus samples per
 * CPU-second of the process, which a busy machine disturbs much less for single-threaded runs, and the threads that
 * really worked during the timed loops (scripts/bench/thread-usage.ts: threads with ≥ 10 % of a CPU, and CPU-seconds
 * per wall second). Ratios compare the faster of wasm / wasm-threads with cpu, wasm-plain and the faster PyTorch, and
 * wasm with PyTorch on one thread each (issue 18's target). Random data, Adam (lr 1e-3), softmax cross-entropy
 * everywhere. Not a test: the numbers depend on the machine and its load, which the report includes
 * (/proc/pressure/cpu and the load average before and after).
 *
 * --mnist runs the accuracy target instead (scripts/bench/mnist.ts): notebook 14's CNN and recipe (lib/nn/models) on
 * the shipped MNIST digits must reach ≥ 98 % on the 2,000 test digits within 60 s of training.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { argValue, positiveInteger } from "./args";
import { cpuPressure, loadAverage } from "./machine-load";
import { BUSY_SHARE, readThreadTicks, threadUsage, ticksPerSecond, type ThreadUsage } from "./thread-usage";
import { parseWorkloads, WORKLOADS, type Workload } from "./workload-names";

const BACKENDS = ["cpu", "wasm-plain", "wasm", "wasm-threads", "tensorflow", "pytorch", "pytorch-threads"] as const;
type BackendConfig = (typeof BACKENDS)[number];

const BATCH = 64;
const CORES = cpus().length;
/** Samples timed per repetition: enough for a stable rate, few where a backend is slow. */
const SAMPLES: Record<Workload, { slow: number; fast: number }> = {
  mlp: { slow: 1280, fast: 12800 },
  cnn: { slow: 64, fast: 1920 },
  lstm: { slow: 128, fast: 1920 },
  gru: { slow: 128, fast: 1920 },
  transformer: { slow: 256, fast: 1920 },
  lm: { slow: 64, fast: 640 },
};

interface RunResult {
  backend: BackendConfig;
  workload: Workload;
  /** Median over the repetitions, wall clock. */
  samplesPerSecond: number | null;
  /** Median over the repetitions, per second of CPU time used by the process (all its threads). */
  samplesPerCpuSecond?: number | null;
  runs: number[];
  samples: number;
  /** Trainable parameters of the model. */
  parameters?: number;
  /** Threads that worked during the timed loops (all repetitions). */
  threadUsage?: ThreadUsage | null;
  note?: string;
  detail?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

// ---- child: one backend, one workload ----------------------------------------------------------------------

async function child(backend: BackendConfig, workload: Workload, samples: number, reps: number): Promise<RunResult> {
  const { setupTf, tf } = await import("../../lib/tf");
  const { wasmThreads } = await import("../../lib/tfjs-wasm/threads");
  let detail: string = backend;
  if (backend === "wasm-plain") {
    await tf.setBackend("wasm");
    await tf.ready();
  } else {
    const name = backend === "wasm-threads" ? "wasm" : (backend as "cpu" | "wasm" | "tensorflow");
    await setupTf({ backend: name, seed: 0, announce: false, threads: backend === "wasm-threads" ? CORES : 1 });
  }
  if (backend.startsWith("wasm")) detail = `SIMD ${tf.env().getBool("WASM_HAS_SIMD_SUPPORT")}, ${wasmThreads()} thread(s)`;
  const { makeWorkload } = await import("./workloads");
  const w = makeWorkload(tf, workload, BATCH);
  try {
    w.step(); // warm-up: kernel setup, XNNPACK operator creation, JIT
    const steps = Math.max(1, Math.round(samples / BATCH));
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    const ticksBefore = readThreadTicks();
    const loopStarted = performance.now();
    for (let r = 0; r < reps; r++) {
      const started = performance.now();
      const cpuStarted = cpuSeconds();
      for (let i = 0; i < steps; i++) w.step();
      w.sync();
      runs.push((steps * BATCH) / ((performance.now() - started) / 1000));
      cpuRuns.push((steps * BATCH) / (cpuSeconds() - cpuStarted));
    }
    const ticksAfter = readThreadTicks();
    const loopSeconds = (performance.now() - loopStarted) / 1000;
    const usage = ticksBefore && ticksAfter ? threadUsage(ticksBefore, ticksAfter, loopSeconds, ticksPerSecond()) : null;
    return {
      backend, workload, samplesPerSecond: median(runs), samplesPerCpuSecond: median(cpuRuns), runs, samples: steps * BATCH,
      parameters: w.parameters, threadUsage: usage, detail,
    };
  } catch (e) {
    const message = String((e as Error).message ?? e).split("\n")[0]!;
    return { backend, workload, samplesPerSecond: null, runs: [], samples: 0, parameters: w.parameters, note: message.slice(0, 120), detail };
  } finally {
    w.dispose();
  }
}

// ---- parent ------------------------------------------------------------------------------------------------

function hasNativeTf(): boolean {
  try {
    require.resolve("tfjs-node-native");
    return true;
  } catch {
    return false;
  }
}

function hasTorch(): boolean {
  if (!existsSync("/usr/bin/python3")) return false;
  return spawnSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

function runChild(backend: BackendConfig, workload: Workload, reps: number, quick: boolean): RunResult {
  const slow = backend === "cpu" || backend === "wasm-plain";
  let samples = slow ? SAMPLES[workload].slow : SAMPLES[workload].fast;
  if (quick) samples = Math.max(BATCH, Math.round(samples / 4));
  if (backend.startsWith("pytorch")) {
    const threads = backend === "pytorch" ? 1 : CORES;
    const script = join(__dirname, "torch_reference.py");
    // torch_reference.py pins its thread pools itself (before it imports torch) from the last argument.
    const out = spawnSync("/usr/bin/python3", [script, workload, String(BATCH), String(samples), String(reps), String(threads)], { encoding: "utf8" });
    if (out.status !== 0) return { backend, workload, samplesPerSecond: null, runs: [], samples: 0, note: (out.stderr || "").trim().split("\n").pop() };
    return { ...(JSON.parse(out.stdout.trim().split("\n").pop()!) as RunResult), backend };
  }
  const out = spawnSync(process.execPath, ["--import", "tsx", __filename, "--child", backend, workload, String(samples), String(reps)], {
    encoding: "utf8",
    cwd: join(__dirname, "..", ".."),
    maxBuffer: 1 << 24,
  });
  const line = out.stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
  if (out.status !== 0 || line === undefined) {
    const err = (out.stderr || "").split("\n").map((l) => l.slice(0, 200)).filter((l) => /Error/.test(l)).shift() ?? `exit ${out.status}`;
    return { backend, workload, samplesPerSecond: null, runs: [], samples: 0, note: err.slice(0, 120) };
  }
  return JSON.parse(line) as RunResult;
}

function format(v: number | null | undefined, digits = 0): string {
  if (v == null || !Number.isFinite(v)) return "—";
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(digits || (v < 10 ? 2 : 1));
}

function machineInfo(withTorch: boolean) {
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? "unknown",
    cores: CORES,
    node: process.version,
    tfjs: (JSON.parse(readFileSync(join(__dirname, "../../node_modules/@tensorflow/tfjs/package.json"), "utf8")) as { version: string }).version,
    torch: withTorch ? execFileSync("/usr/bin/python3", ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" }).trim() : null,
    cpuPressureBefore: cpuPressure(),
    loadAverageBefore: loadAverage(),
  };
}

async function mnist(json: boolean): Promise<void> {
  const epochs = argValue("--epochs") === undefined ? undefined : Number(argValue("--epochs"));
  const seed = Number(argValue("--seed") ?? 0);
  const threads = Number(argValue("--threads") ?? CORES);
  const backend = (argValue("--backend") ?? "wasm") as "wasm" | "cpu" | "tensorflow";
  const machine = machineInfo(false);
  const { setupTf, tf } = await import("../../lib/tf");
  await setupTf({ backend, seed, threads, announce: !json });
  const { trainMnistCnn } = await import("./mnist");
  const run = await trainMnistCnn({ epochs, seed, log: json ? undefined : (l) => console.log(l) });
  const passed = run.testAccuracy >= 0.98 && run.trainSeconds <= 60;
  const report = { machine: { ...machine, cpuPressureAfter: cpuPressure() }, threads, ...run, target: "≥ 98 % in ≤ 60 s", passed };
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    console.log(
      `MNIST CNN on ${run.backend} (${threads} thread(s)): ${(100 * run.testAccuracy).toFixed(2)} % on 2,000 held-out digits after ` +
        `${run.trainSeconds.toFixed(1)} s of training (${run.epochs} epochs): target ≥ 98 % in ≤ 60 s ${passed ? "met" : "NOT met"}`,
    );
    console.log(`CPU pressure before: ${machine.cpuPressureBefore}; after: ${report.machine.cpuPressureAfter}`);
  }
  process.exit(passed ? 0 : 1);
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") {
    const [backend, workload, samples, reps] = process.argv.slice(3) as [BackendConfig, Workload, string, string];
    const result = await child(backend, workload, Number(samples), Number(reps));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0); // the pool workers of the threaded wasm build are unref'ed, but be sure
  }
  const json = process.argv.includes("--json");
  if (process.argv.includes("--mnist")) return mnist(json);
  const quick = process.argv.includes("--quick");
  const reps = positiveInteger("--reps", 3);
  const only = parseWorkloads(argValue("--only") ?? WORKLOADS.join(","));
  let backends = (argValue("--backends")?.split(",") ?? [...BACKENDS]) as BackendConfig[];
  if (!hasNativeTf()) backends = backends.filter((b) => b !== "tensorflow");
  if (!hasTorch()) backends = backends.filter((b) => !b.startsWith("pytorch"));
  if (CORES < 2) backends = backends.filter((b) => !b.endsWith("-threads"));

  const machine = machineInfo(backends.some((b) => b.startsWith("pytorch")));
  const results: RunResult[] = [];
  for (const workload of only) {
    for (const backend of backends) {
      const r = runChild(backend, workload, reps, quick);
      results.push(r);
      if (!json) {
        process.stderr.write(
          `  ${workload.padEnd(12)} ${backend.padEnd(16)} ${format(r.samplesPerSecond).padStart(8)} samples/s, ` +
            `${format(r.samplesPerCpuSecond).padStart(8)} per CPU-s ${r.note ?? ""}\n`,
        );
      }
    }
  }
  const rate = (w: Workload, b: BackendConfig, key: "samplesPerSecond" | "samplesPerCpuSecond" = "samplesPerSecond") =>
    results.find((r) => r.workload === w && r.backend === b)?.[key] ?? null;
  const best = (w: Workload, names: BackendConfig[]) => {
    const values = names.map((b) => rate(w, b)).filter((v): v is number => v != null);
    return values.length ? Math.max(...values) : null;
  };
  const ratio = (a: number | null, b: number | null) => (a != null && b != null && b > 0 ? a / b : null);
  const rows = only.map((w) => {
    const wasm = best(w, ["wasm", "wasm-threads"]);
    return {
      workload: w,
      ...Object.fromEntries(backends.map((b) => [b, rate(w, b)])),
      wasmOverCpu: ratio(wasm, rate(w, "cpu")),
      wasmOverPlain: ratio(wasm, rate(w, "wasm-plain")),
      wasmOverPytorch: ratio(wasm, best(w, ["pytorch", "pytorch-threads"])),
      wasm1OverPytorch1: ratio(rate(w, "wasm"), rate(w, "pytorch")),
      cpuTime: Object.fromEntries(backends.map((b) => [b, rate(w, b, "samplesPerCpuSecond")])),
    };
  });
  const parameterLines = parameterCheck(only, results);
  if (!parameterLines.equal) {
    console.error("The TensorFlow.js and PyTorch models differ in size (see the trainable parameters): the comparison is not fair.");
    process.exitCode = 1;
  }
  const report = {
    machine: { ...machine, cpuPressureAfter: cpuPressure(), loadAverageAfter: loadAverage() },
    batch: BATCH,
    reps,
    rows,
    parameters: parameterLines.lines,
    results,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const header = ["workload", ...backends, "wasm/cpu", "wasm/plain", "wasm/pytorch", "1 thread: wasm/pytorch"];
  const table = (cells: (r: (typeof rows)[number]) => string[]) => {
    console.log(`| ${header.join(" | ")} |`);
    console.log(`|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
    for (const r of rows) console.log(`| ${[r.workload, ...cells(r)].join(" | ")} |`);
  };
  const x = (v: number | null, digits: number) => (v == null ? "—" : `${format(v, digits)}×`);
  console.log(`Training samples per second, wall clock (batch ${BATCH}, median of ${reps}); ${machine.date}`);
  console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, tfjs ${machine.tfjs}${machine.torch ? `, torch ${machine.torch}` : ""}`);
  console.log(
    `CPU pressure before: ${machine.cpuPressureBefore}; after: ${report.machine.cpuPressureAfter}; ` +
      `load average before ${machine.loadAverageBefore}, after ${report.machine.loadAverageAfter}\n`,
  );
  table((r) => [
    ...backends.map((b) => format((r as Record<string, unknown>)[b] as number | null)),
    x(r.wasmOverCpu, 1),
    x(r.wasmOverPlain, 1),
    x(r.wasmOverPytorch, 2),
    x(r.wasm1OverPytorch1, 2),
  ]);
  console.log(`\nSamples per CPU-second of the process (all threads; less sensitive to other load for 1-thread runs):\n`);
  console.log(`| ${["workload", ...backends].join(" | ")} |`);
  console.log(`|${["workload", ...backends].map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
  for (const r of rows) console.log(`| ${[r.workload, ...backends.map((b) => format(r.cpuTime[b] as number | null))].join(" | ")} |`);
  console.log(`\nThreads that worked during the timed loops (≥ ${100 * BUSY_SHARE} % of a CPU) / threads of the process, CPU-seconds per wall second:\n`);
  console.log(`| ${["workload", ...backends].join(" | ")} |`);
  console.log(`|${["workload", ...backends].map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
  for (const w of only) {
    const cells = backends.map((b) => {
      const u = results.find((r) => r.workload === w && r.backend === b)?.threadUsage;
      return u ? `${u.busy}/${u.threads}, ${u.cpuPerWall.toFixed(2)}` : "—";
    });
    console.log(`| ${[w, ...cells].join(" | ")} |`);
  }
  console.log(`\nTrainable parameters:\n${parameterLines.lines.map((l) => `- ${l}`).join("\n")}`);
  const notes = results.filter((r) => r.note).map((r) => `${r.workload} on ${r.backend}: ${r.note}`);
  if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join("\n")}`);
  const details = [...new Set(results.filter((r) => r.detail).map((r) => `${r.backend}: ${r.detail}`))];
  if (details.length) console.log(`\nBackends: ${details.join("; ")}`);
}

/** One line per workload with each side's trainable parameter count; `equal` is false when two runs disagree. */
function parameterCheck(workloads: readonly Workload[], results: RunResult[]): { lines: string[]; equal: boolean } {
  let equal = true;
  const lines = workloads.map((w) => {
    const runs = results.filter((r) => r.workload === w && r.parameters !== undefined);
    const side = (r: RunResult) => (r.backend.startsWith("pytorch") ? "PyTorch" : "TensorFlow.js");
    const sides = [...new Set(runs.map((r) => `${side(r)} ${r.parameters!.toLocaleString("en-US")}`))];
    const same = new Set(runs.map((r) => r.parameters)).size <= 1;
    if (!same) equal = false;
    return `${w}: ${sides.join(", ") || "—"}${same ? "" : " — DIFFERENT"}`;
  });
  return { lines, equal };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
