import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { launchChromium } from "../../../lib/display/chromium";
import { captureDisplays, type CapturedDisplay } from "../../../lib/display/display";
import { withEnv } from "../../helpers/env";
import { survivors } from "../../helpers/processes";
import { closePlotBrowser, describeFigure, FIGURE_TEMPLATE, plainFigure, renderPng, showFigure, type Figure } from "../../../lib/display/plot";
import { LIB_DIR, REPO_ROOT } from "../../helpers/paths";

after(closePlotBrowser);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const lossFigure: Figure = {
  data: [
    { type: "scatter", mode: "lines", name: "train", y: [1, 0.5, 0.3, 0.2] },
    { type: "scatter", mode: "lines", name: "test", y: [1.1, 0.7, 0.5, 0.45] },
  ],
  layout: { title: { text: "Loss per epoch" }, xaxis: { title: { text: "epoch" } }, yaxis: { title: { text: "MSE" } } },
};

test("plainFigure: JSON-safe copy with the house template, default height, and the figure's own layout winning", () => {
  const y = new Float32Array([1, NaN, 3]);
  const plain = plainFigure({ data: [{ type: "scatter", y }], layout: { height: 300, font: { size: 20 } } });
  assert.deepEqual(plain.data, [{ type: "scatter", y: [1, null, 3] }]);
  assert.equal(plain.layout["height"], 300);
  assert.deepEqual(plain.layout["font"], { size: 20 });
  assert.deepEqual(plain.layout["template"], JSON.parse(JSON.stringify({ layout: FIGURE_TEMPLATE })));
  assert.deepEqual(plain.config, { displaylogo: false });
  y[0] = 99;
  assert.deepEqual(plain.data, [{ type: "scatter", y: [1, null, 3] }], "a copy: later changes to the input do not leak in");
  assert.equal(plainFigure({ data: [] }).layout["height"], 420);
  assert.deepEqual(plainFigure({ data: [], layout: { width: 900, height: 600 } }, { width: 500 }).layout, {
    template: { layout: JSON.parse(JSON.stringify(FIGURE_TEMPLATE)) },
    width: 500,
    height: 600,
  }, "an explicit size wins over the layout's");
  assert.throws(() => plainFigure({} as Figure), /showFigure: expected \{ data: \[\.\.\.traces\], layout\?, config\? \}/);
});

test("describeFigure names the title and the traces in one short line", () => {
  assert.equal(describeFigure(lossFigure), 'Figure "Loss per epoch": 2 traces (scatter "train", scatter "test")');
  assert.equal(describeFigure({ data: [{ type: "heatmap", z: [[1]] }] }), "Figure: 1 trace (heatmap)");
  assert.ok(describeFigure({ data: Array.from({ length: 50 }, (_, i) => ({ name: `trace ${i}` })) }).length <= 200);
});

test("renderPng gives a 700×420 PNG by default; the size can be chosen", async () => {
  const png = await renderPng(lossFigure);
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [700, 420]); // IHDR width, height
  const small = await renderPng(lossFigure, { width: 320, height: 200 });
  assert.deepEqual([small.readUInt32BE(16), small.readUInt32BE(20)], [320, 200]);
  const short = await renderPng({ ...lossFigure, layout: { height: 300 } });
  assert.deepEqual([short.readUInt32BE(16), short.readUInt32BE(20)], [700, 300], "the layout's own height is kept");
});

test("rendered text is visible: a title changes hundreds of pixels (fonts are found)", async () => {
  const bare: Figure = { data: [{ type: "scatter", y: [1, 2] }] };
  const titled: Figure = { ...bare, layout: { title: { text: "A clearly visible title" } } };
  const [a, b] = [await renderPng(bare), await renderPng(titled)];
  // Decode both in a browser page and count the pixels that differ.
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // No named helpers inside: tsx would wrap them in a __name() call that does not exist in the page.
    const changed = await page.evaluate(async (urls) => {
      const g = globalThis as unknown as {
        createImageBitmap(blob: unknown): Promise<{ width: number; height: number }>;
        OffscreenCanvas: new (w: number, h: number) => {
          getContext(kind: "2d"): {
            drawImage(img: unknown, x: number, y: number): void;
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        };
      };
      const images: Uint8ClampedArray[] = [];
      for (const url of urls) {
        const bitmap = await g.createImageBitmap(await (await fetch(url)).blob());
        const context = new g.OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d");
        context.drawImage(bitmap, 0, 0);
        images.push(context.getImageData(0, 0, bitmap.width, bitmap.height).data);
      }
      const [pa, pb] = images as [Uint8ClampedArray, Uint8ClampedArray];
      let count = 0;
      for (let i = 0; i < pa.length; i += 4) if (pa[i] !== pb[i] || pa[i + 1] !== pb[i + 1] || pa[i + 2] !== pb[i + 2]) count++;
      return count;
    }, [`data:image/png;base64,${a.toString("base64")}`, `data:image/png;base64,${b.toString("base64")}`]);
    assert.ok(changed > 500, `the title should change many pixels, changed ${changed}`);
  } finally {
    await browser.close();
  }
});

test("showFigure emits ONE bundle: plotly JSON object + PNG + text, and no text/html", async () => {
  let sent: CapturedDisplay[] = [];
  await withEnv({ PLOT_PNG: undefined }, async () => {
    sent = await captureDisplays(() => showFigure(lossFigure));
  });
  assert.equal(sent.length, 1);
  const data = sent[0]?.message.data ?? {};
  assert.deepEqual(Object.keys(data).sort(), ["application/vnd.plotly.v1+json", "image/png", "text/plain"]);
  const plotly = data["application/vnd.plotly.v1+json"] as { data: unknown[]; layout: Record<string, unknown> };
  assert.equal(typeof plotly, "object");
  assert.equal(plotly.data.length, 2);
  assert.deepEqual(plotly.layout["title"], { text: "Loss per epoch" });
  assert.deepEqual(Buffer.from(String(data["image/png"]), "base64").subarray(0, 8), PNG_SIGNATURE);
  assert.equal(data["text/plain"], describeFigure(lossFigure));
});

test("outside a kernel with no sink, showFigure fails before starting a browser", async () => {
  await closePlotBrowser();
  await assert.rejects(showFigure(lossFigure), /showFigure: nowhere to display/);
  assert.equal((globalThis as Record<symbol, unknown>)[Symbol.for("ml-notebooks.plotPage")], undefined);
});

test("PLOT_PNG=0 leaves the PNG out", async () => {
  await withEnv({ PLOT_PNG: "0" }, async () => {
    const sent = await captureDisplays(() => showFigure(lossFigure));
    assert.deepEqual(Object.keys(sent[0]?.message.data ?? {}).sort(), ["application/vnd.plotly.v1+json", "text/plain"]);
  });
});

test("without a usable browser the PNG is left out with a one-time notice; PLOT_PNG=1 makes it an error", async (t) => {
  await closePlotBrowser();
  const notices: string[] = [];
  t.mock.method(console, "log", (line: string) => notices.push(line));
  try {
    await withEnv({ CHROMIUM_PATH: "/nonexistent/chrome" }, async () => {
      const sent = await captureDisplays(async () => {
        await showFigure(lossFigure);
        await showFigure(lossFigure);
      });
      assert.deepEqual(sent.map((s) => Object.keys(s.message.data).sort()), [
        ["application/vnd.plotly.v1+json", "text/plain"],
        ["application/vnd.plotly.v1+json", "text/plain"],
      ]);
      assert.deepEqual(notices, [
        "Note: figures are shown without a static PNG image (no headless browser: CHROMIUM_PATH=/nonexistent/chrome does not exist).",
      ]);
      await withEnv({ PLOT_PNG: "1" }, async () => {
        await assert.rejects(captureDisplays(() => showFigure(lossFigure)), /no headless browser: CHROMIUM_PATH=\/nonexistent\/chrome does not exist/);
      });
    });
  } finally {
    await closePlotBrowser(); // forget the failed start
  }
});

test("no browser process outlives the Node process, however it ends", { skip: process.platform !== "linux" }, async () => {
  const chromiumModule = join(LIB_DIR, "display", "chromium.ts");
  const helpers = join(REPO_ROOT, "test", "helpers", "processes.ts");
  const endings = ["process.exit(0)", "process.kill(process.pid, 'SIGTERM')", "process.kill(process.pid, 'SIGKILL')"];
  await Promise.all(
    endings.map(async (ending) => {
      const script = `
        const { launchChromium } = require(${JSON.stringify(chromiumModule)});
        const { descendants } = require(${JSON.stringify(helpers)});
        launchChromium().then((browser) => browser.newPage()).then(() => {
          console.log(JSON.stringify(descendants(process.pid)));
          ${ending};
        });`;
      // A killed child cannot remove playwright's temporary profile folders: keep them in a folder of ours.
      const tmp = mkdtempSync(join(tmpdir(), "plot-orphans-"));
      try {
        const env = { ...process.env, TMPDIR: tmp };
        const result = await promisify(execFile)(process.execPath, ["--import", "tsx", "-e", script], { env }).catch((e: { stdout: string }) => e);
        const pids = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "[]") as number[];
        assert.ok(pids.length > 0, `${ending}: the child should have started a browser`);
        assert.deepEqual(await survivors(pids), [], `${ending}: browser processes left behind`);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }),
  );
});
