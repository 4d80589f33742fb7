// Kernels started ahead: each is started in its notebook's folder, handed out once, and ended when unused.
// Fake kernels (no processes): the real start-up is covered by test/runner/kernel.test.ts and the CLI tests.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { KernelPrestarter } from "../../scripts/runner/kernel-pool";
import type { TslabKernel } from "../../scripts/runner/kernel";

interface Fake {
  cwd: string;
  signal: AbortSignal;
  finishStart: () => void;
  shutdowns: number;
  kernel: Promise<TslabKernel>;
}

function fakeStarter(): { starts: Fake[]; start: (cwd: string, signal: AbortSignal) => Promise<TslabKernel> } {
  const starts: Fake[] = [];
  const start = (cwd: string, signal: AbortSignal): Promise<TslabKernel> => {
    let finishStart = (): void => undefined;
    const fake: Fake = { cwd, signal, finishStart: () => finishStart(), shutdowns: 0, kernel: Promise.resolve(null as unknown as TslabKernel) };
    fake.kernel = new Promise<TslabKernel>((resolve, reject) => {
      const kernel = { shutdown: async () => void fake.shutdowns++ } as unknown as TslabKernel;
      finishStart = () => resolve(kernel);
      signal.addEventListener("abort", () => reject(new Error("killed while starting")));
    });
    starts.push(fake);
    return fake.kernel;
  };
  return { starts, start };
}

test("a prestarted kernel starts in its notebook's folder and is handed out once", async () => {
  const { starts, start } = fakeStarter();
  const pool = new KernelPrestarter(start);
  pool.prestart("/repo/notebooks/a.ipynb");
  pool.prestart("/repo/notebooks/a.ipynb");
  assert.deepEqual(starts.map((s) => s.cwd), ["/repo/notebooks"], "started once");
  const taken = pool.take("/repo/notebooks/a.ipynb");
  assert.equal(taken, starts[0]?.kernel, "the prestarted kernel");
  pool.take("/repo/other/a.ipynb");
  pool.take("/repo/notebooks/a.ipynb");
  assert.deepEqual(starts.map((s) => s.cwd), ["/repo/notebooks", "/repo/other", "/repo/notebooks"], "taken kernels are never handed out again");
  for (const s of starts) s.finishStart();
  pool.discard("/repo/notebooks/a.ipynb");
  await pool.close();
  assert.deepEqual(starts.map((s) => s.shutdowns), [0, 0, 0], "a taken kernel is its notebook's to shut down");
});

test("kernels never taken are killed while starting, or shut down once started", async () => {
  const { starts, start } = fakeStarter();
  const pool = new KernelPrestarter(start);
  pool.prestart("/n/still-starting.ipynb");
  pool.prestart("/n/started.ipynb");
  pool.prestart("/n/left-over.ipynb");
  starts[1]?.finishStart();
  await starts[1]?.kernel;
  pool.discard("/n/still-starting.ipynb");
  pool.discard("/n/started.ipynb");
  assert.equal(starts[0]?.signal.aborted, true, "a kernel still starting is killed");
  assert.equal(starts[1]?.signal.aborted, true);
  await pool.close();
  assert.deepEqual(starts.map((s) => [s.signal.aborted, s.shutdowns]), [[true, 0], [true, 1], [true, 0]]);
});

test("a failed prestart is reported to the notebook that takes it, never as an unhandled rejection", async () => {
  const pool = new KernelPrestarter(async () => {
    throw new Error("tslab kernel exited with code 1 while starting");
  });
  pool.prestart("/n/a.ipynb");
  await new Promise((resolve) => setImmediate(resolve));
  await assert.rejects(pool.take("/n/a.ipynb"), /exited with code 1 while starting/);
  await pool.close();
});
