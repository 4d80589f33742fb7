/**
 * npx tsx scripts/bench/profile.ts [--backend wasm|cpu] [--threads N] [--only lstm,gru,transformer,lm] [--steps N]
 *                                  [--shapes] [--json]
 *
 * Where one training step of each sequence workload of scripts/bench/bench.ts (batch 64) spends its time: per
 * kernel name the calls, total and mean milliseconds (from `tf.profile`, see kernel-profile.ts for what it times)
 * and, on wasm, the kernel's status in lib/tfjs-wasm (native / implemented / bridged); then the wall time of the step,
 * so that the JavaScript outside kernels (tfjs's engine and gradient tape, the layers' per-timestep loop, the
 * optimizer's bookkeeping) shows as wall − kernel time. --shapes splits each kernel by its input shapes (which products
 * are slow).
 *
 * Each workload: two warm-up steps, --steps (default 3) unprofiled steps, then --steps profiled steps; every figure is
 * the mean per profiled step, and "outside kernels" = wall − kernel time of the same profiled steps. Profiling adds a
 * little per call (a promise and a record), which lands in "outside kernels": compare the profiled wall with the
 * unprofiled one printed beside it. The CPU time of the process (all threads) per wall second tells how to read the
 * wall: below 1, other load took the CPU from the step; above 1, the process's other threads (V8's garbage collector,
 * an XNNPACK pool) worked beside it. Not a test: the figures depend on the machine and its load, printed with them (/proc/pressure/cpu).
 */
import { cpus } from "node:os";
import { argValue, positiveInteger } from "./args";
import { cpuPressure, loadAverage } from "./machine-load";
import { summariseKernels, type KernelSummary } from "./kernel-profile";
import { parseWorkloads, SEQUENCE_WORKLOADS, type Workload } from "./workload-names";

const BATCH = 64;

interface WorkloadProfile {
  workload: Workload;
  /** Mean wall time of an unprofiled step (ms). */
  plainStepMs: number;
  /** Mean wall time of a profiled step (ms). */
  stepMs: number;
  /** CPU time of the process (all threads) per wall second during the profiled steps. */
  cpuPerWall: number;
  /** stepMs − kernel time per step: the JavaScript around the kernels (and the profiler's own records). */
  outsideKernelsMs: number;
  summary: KernelSummary;
  /** Status of each kernel in lib/tfjs-wasm (wasm backend only). */
  status: Record<string, string>;
}

async function main(): Promise<void> {
  const backend = (argValue("--backend") ?? "wasm") as "wasm" | "cpu" | "tensorflow";
  if (!["wasm", "cpu", "tensorflow"].includes(backend)) throw new Error(`--backend must be wasm, cpu or tensorflow, got "${backend}"`);
  const threads = positiveInteger("--threads", 1);
  const steps = positiveInteger("--steps", 3);
  const only = parseWorkloads(argValue("--only") ?? SEQUENCE_WORKLOADS.join(","));
  const json = process.argv.includes("--json");
  const byShape = process.argv.includes("--shapes");

  const { setupTf, tf } = await import("../../lib/tf");
  const { wasmKernelStatus } = await import("../../lib/tfjs-wasm/index");
  const { makeWorkload } = await import("./workloads");
  await setupTf({ backend, seed: 0, threads, announce: false });
  const backendName = tf.getBackend();
  const isKernel = (name: string) => tf.getKernel(name, backendName) !== undefined;
  const started = { date: new Date().toISOString(), cpuPressure: cpuPressure(), loadAverage: loadAverage() };

  const profiles: WorkloadProfile[] = [];
  for (const workload of only) {
    const w = makeWorkload(tf, workload, BATCH);
    try {
      for (let i = 0; i < 2; i++) w.step();
      w.sync();
      const plainStarted = performance.now();
      for (let i = 0; i < steps; i++) w.step();
      w.sync();
      const plainStepMs = (performance.now() - plainStarted) / steps;
      let wallMs = 0;
      let cpuMs = 0;
      const info = await tf.profile(() => {
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < steps; i++) w.step();
        w.sync();
        const cpu = process.cpuUsage(cpu0);
        cpuMs = (cpu.user + cpu.system) / 1000;
        wallMs = performance.now() - t0;
      });
      const records = info.kernels.map((k) => ({
        name: k.name,
        kernelTimeMs: k.kernelTimeMs as number | { error: string },
        ...(byShape ? { detail: k.inputShapes.map((shape) => `[${shape ?? ""}]`).join(" ") } : {}),
      }));
      const summary = summariseKernels(records, isKernel, steps);
      const stepMs = wallMs / steps;
      const status = backendName === "wasm" ? Object.fromEntries(summary.kernels.map((k) => [k.name, wasmKernelStatus(k.name)])) : {};
      profiles.push({ workload, plainStepMs, stepMs, cpuPerWall: cpuMs / wallMs, outsideKernelsMs: stepMs - summary.kernelMs, summary, status });
    } finally {
      w.dispose();
    }
  }

  const machine = {
    ...started, cpuPressureAfter: cpuPressure(), loadAverageAfter: loadAverage(), cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version,
    tfjs: tf.version.tfjs, backend: backendName, threads,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine, batch: BATCH, profiles }, null, 2)}\n`);
    return;
  }
  console.log(`Profile of one training step, batch ${BATCH}, ${backendName} (${threads} thread(s)); ${machine.date}`);
  console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, tfjs ${machine.tfjs}`);
  console.log(`CPU pressure before: ${machine.cpuPressure}; after: ${machine.cpuPressureAfter}; load average before ${machine.loadAverage}, after ${machine.loadAverageAfter}`);
  const ms = (v: number) => v.toFixed(v < 10 ? 2 : 1);
  for (const p of profiles) {
    const s = p.summary;
    const share = (v: number) => `${Math.round((100 * v) / p.stepMs)} %`;
    console.log(
      `\n## ${p.workload}: ${ms(p.stepMs)} ms per profiled step (unprofiled ${ms(p.plainStepMs)} ms; mean of ${steps}; ` +
        `${p.cpuPerWall.toFixed(2)} CPU-s per wall second), ${Math.round(s.calls).toLocaleString("en-US")} kernel calls: ` +
        `${ms(s.kernelMs)} ms in kernels (${share(s.kernelMs)}), ${ms(p.outsideKernelsMs)} ms outside kernels (${share(p.outsideKernelsMs)})\n`,
    );
    const withStatus = backendName === "wasm";
    console.log(`| kernel${byShape ? " | input shapes" : ""} | calls | total ms | ms per call | share of kernel time${withStatus ? " | lib/tfjs-wasm" : ""} |`);
    console.log(`|---${byShape ? "|---" : ""}|---:|---:|---:|---:${withStatus ? "|---" : ""}|`);
    for (const k of s.kernels) {
      const cells = [k.name, ...(byShape ? [k.detail ?? ""] : []), (Math.round(k.count * 10) / 10).toLocaleString("en-US"), ms(k.totalMs), (k.totalMs / k.count).toFixed(3), `${((100 * k.totalMs) / (s.kernelMs || 1)).toFixed(1)} %`];
      if (withStatus) cells.push(p.status[k.name] ?? "");
      console.log(`| ${cells.join(" | ")} |`);
    }
    if (s.scopes.length) {
      const list = s.scopes.map((c) => `${c.name || "(unnamed)"} ×${Math.round(c.count * 10) / 10} ${ms(c.totalMs)} ms`).join(", ");
      console.log(`\nCustom-gradient scopes (their time includes kernels above, not added): ${list}`);
    }
    if (s.untimed) console.log(`\n${s.untimed} call(s) could not be timed by the backend.`);
    if (s.kernelMs > p.stepMs) {
      console.log(`\nWARNING: kernel time ${ms(s.kernelMs)} ms exceeds the profiled step's wall (${ms(p.stepMs)} ms): some kernel ran others through the engine and both were counted.`);
    }
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
