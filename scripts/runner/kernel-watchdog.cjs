// Preloaded into every tslab kernel the runner starts (node --require): the kernel exits when the runner
// that started it is gone, so no kernel outlives a runner that died abruptly (SIGKILL, OOM) and could not
// clean up; it takes with it every process its cells started (kernel-processes.cjs). The check runs in a
// worker thread because a cell stuck in a synchronous loop blocks the
// kernel's own event loop; the worker is unref'd so it never keeps alive a kernel that would otherwise exit.
// Only the main thread starts it: workers inherit `--require`, and without that check every worker (this
// watchdog's own included) would start another, an endless chain of threads burning a core per kernel.
"use strict";
const { isMainThread, Worker } = require("node:worker_threads");

if (isMainThread && process.env.TSLAB_RUNNER_PID) {
  const watchdog = new Worker(
    `const { workerData } = require("node:worker_threads");
     const { killKernelProcesses } = require(workerData.processes);
     const runnerAlive = () => { try { process.kill(workerData.runner, 0); return true; } catch { return false; } };
     setInterval(() => {
       if (runnerAlive()) return;
       killKernelProcesses(workerData.kernel, workerData.marker);
       process.kill(workerData.kernel, "SIGKILL");
     }, 250);`,
    {
      eval: true,
      execArgv: [],
      workerData: { runner: Number(process.env.TSLAB_RUNNER_PID), kernel: process.pid, marker: process.env.TSLAB_RUNNER_KERNEL ?? null, processes: require.resolve("./kernel-processes.cjs") },
    },
  );
  watchdog.unref();
}
