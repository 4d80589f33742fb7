// The plot browser closes when no figure has been rendered for a while (issue 13.10): an open notebook must not
// keep a headless Chromium alive for nothing. Linux only: processes are read from /proc.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { closePlotBrowser, plotBrowserIdleMs, renderPng, type Figure } from "../../../lib/display/plot";
import { withEnv } from "../../helpers/env";
import { descendants, survivors } from "../../helpers/processes";

after(closePlotBrowser);

const figure: Figure = { data: [{ type: "scatter", y: [1, 2, 3] }] };
/** This process' browser processes: its descendants whose command is a Chromium (not tsx's esbuild service). */
const browserPids = (): number[] => descendants(process.pid).filter((pid) => /chrom/i.test(commandLine(pid)));
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return ""; // already gone
  }
}

test("PLOT_BROWSER_IDLE_SECONDS: default 30 s, a number of seconds, else an error naming the variable", () => {
  assert.equal(plotBrowserIdleMs({}), 30_000);
  assert.equal(plotBrowserIdleMs({ PLOT_BROWSER_IDLE_SECONDS: "0.5" }), 500);
  assert.throws(() => plotBrowserIdleMs({ PLOT_BROWSER_IDLE_SECONDS: "soon" }), /PLOT_BROWSER_IDLE_SECONDS must be a number of seconds ≥ 0; got "soon"/);
  assert.throws(() => plotBrowserIdleMs({ PLOT_BROWSER_IDLE_SECONDS: "-1" }), /PLOT_BROWSER_IDLE_SECONDS/);
});

test("the browser closes after the idle time, stays while figures keep coming, and relaunches on demand", { skip: process.platform !== "linux" }, async () => {
  await withEnv({ PLOT_BROWSER_IDLE_SECONDS: "1.5" }, async () => {
    await closePlotBrowser();
    assert.deepEqual(browserPids(), [], "no browser before the first figure");
    await renderPng(figure);
    const first = browserPids();
    assert.ok(first.length > 0, "the first figure starts a browser");

    // Figures closer together than the idle time keep the same browser.
    for (let i = 0; i < 3; i++) {
      await sleep(700);
      await renderPng(figure);
    }
    assert.ok(first.every((pid) => browserPids().includes(pid)), "the browser was kept while figures kept coming");

    assert.deepEqual(await survivors(first, 10_000), [], "the browser ended after the idle time");
    assert.deepEqual(await survivors(browserPids(), 5_000), [], "and so did every process it had started");

    const png = await renderPng(figure);
    assert.ok(png.length > 0 && browserPids().length > 0, "the next figure starts a new browser");
  });
});
