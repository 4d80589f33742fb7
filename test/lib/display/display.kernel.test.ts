/**
 * The display layer inside a real tslab kernel: the bundle hook into tslab internals (lib/display/display.ts),
 * in-place updates as the stored output sees them, plot bundles, and the browser closing with the kernel.
 * The kernel starts in notebooks/, so lib/ is imported through the notebooks/lib symlink as notebooks do.
 */
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { TslabKernel, type CellResult } from "../../../scripts/runner/kernel";
import { descendants, survivors } from "../../helpers/processes";
import { NOTEBOOKS_DIR } from "../../helpers/paths";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let kernel: TslabKernel;

before(async () => {
  kernel = await TslabKernel.start({ cwd: NOTEBOOKS_DIR, env: { ...process.env, PLOT_PNG: "1" } });
});
after(() => kernel?.shutdown());

/**
 * Per cell. The figure cell starts a headless Chromium: 35 s wall at load average 20 on 2 cores (the whole file
 * 10 s of CPU); the 60 s that sufficed on an idle machine timed out on a loaded one. Sized for a machine 3×
 * slower than that idle one with every core also busy with other work; a hang still ends within the file.
 */
const CELL_TIMEOUT_MS = 180_000;

async function run(code: string): Promise<CellResult> {
  const result = await kernel.execute(code, { timeoutMs: CELL_TIMEOUT_MS });
  assert.equal(result.status, "ok", `cell failed:\n${code}\n${result.stderrText}`);
  return result;
}

test("displayBundle: one display_data output holding every mime type, JSON kept as an object", async () => {
  const { outputs } = await run(`
    import { displayBundle } from "./lib/display/display";
    displayBundle({ "text/plain": "a & b", "text/html": "<b>a &amp; b</b>", "application/json": { a: [1, 2] } });
  `);
  assert.deepEqual(outputs, [
    {
      output_type: "display_data",
      data: { "text/plain": "a & b", "text/html": "<b>a &amp; b</b>", "application/json": { a: [1, 2] } },
      metadata: {},
    },
  ]);
});

test("progress: many updates leave exactly one output, the summary", async () => {
  const { outputs } = await run(`
    import { progress } from "./lib/display/progress";
    const bar = progress({ total: 300, label: "kernel loop" });
    for (let step = 1; step <= 300; step++) {
      bar.update(step, { loss: 1 / step });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    bar.done();
  `);
  assert.equal(outputs.length, 1);
  const output = outputs[0];
  assert.equal(output?.output_type, "display_data");
  assert.match(String(output?.output_type === "display_data" && output.data["text/plain"]), /^kernel loop: 300\/300 steps in \d+\.\d s · loss 0.003333$/);
});

test("showFigure: one bundle with the plotly JSON as an object, a valid PNG and a description", async () => {
  const code = `
    import { showFigure } from "./lib/display/plot";
    await showFigure({
      data: [{ type: "scatter", mode: "lines", name: "train", y: [1, 0.5, 0.25] }],
      layout: { title: { text: "Kernel figure" } },
    });
  `;
  const { outputs } = await run(code);
  assert.equal(outputs.length, 1);
  const output = outputs[0];
  assert.ok(output?.output_type === "display_data");
  assert.deepEqual(Object.keys(output.data).sort(), ["application/vnd.plotly.v1+json", "image/png", "text/plain"]);
  const plotly = output.data["application/vnd.plotly.v1+json"] as { data: Array<{ name: string }> };
  assert.equal(typeof plotly, "object");
  assert.equal(plotly.data[0]?.name, "train");
  assert.deepEqual(Buffer.from(String(output.data["image/png"]), "base64").subarray(0, 8), PNG_SIGNATURE);
  assert.equal(output.data["text/plain"], 'Figure "Kernel figure": 1 trace (scatter "train")');
});

test("on shutdown the kernel exits by itself and takes its browser with it", { skip: process.platform !== "linux" }, async () => {
  const browserPids = descendants(kernel.pid);
  assert.ok(browserPids.length > 0, "the figure test started a browser in the kernel");
  const started = Date.now();
  await kernel.shutdown();
  assert.equal(kernel.exitReason, "exited with code 0", "tslab exited on its own, not by SIGTERM/SIGKILL after the grace period");
  assert.ok(Date.now() - started < 2000, `shutdown took ${Date.now() - started} ms`);
  assert.deepEqual(await survivors(browserPids), [], "browser processes left behind");
});
