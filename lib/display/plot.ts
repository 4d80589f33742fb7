/**
 * Plotly figures in notebooks. `showFigure` emits ONE output holding
 *   - `application/vnd.plotly.v1+json`: interactive in VS Code and in JupyterLab with plotly's extension;
 *   - `image/png`: what GitHub, nbconvert HTML and plain JupyterLab show;
 *   - `text/plain`: a one-line description.
 * No `text/html`: nbconvert and GitHub would prefer it over the PNG and show an empty div.
 *
 * The PNG comes from one headless Chromium per process (lib/display/chromium.ts), started on the first figure with
 * plotly.js loaded once into one page that is reused (≈ 1 s once, plus ≈ 1 s the very first time to unpack
 * the bundled browser; then ≈ 20 ms per figure), and closed when the kernel shuts down, the process exits,
 * or no figure has been rendered for PLOT_BROWSER_IDLE_SECONDS (default 30): an open notebook then holds its
 * kernel alone, not a browser too; the next figure starts a new browser. Without a usable browser the PNG is left out and a notice says so once. `PLOT_PNG=0` leaves PNGs out; `PLOT_PNG=1` makes a missing browser an error (CI).
 */
import type { Config, Data, Layout } from "plotly.js";
import type { Page } from "playwright-core";
import { launchChromium } from "./chromium";
import { displayBundle, onKernelShutdown, requireDisplay } from "./display";
import { withUnseededMathRandom } from "../random";

export interface Figure {
  data: Data[];
  layout?: Partial<Layout>;
  config?: Partial<Config>;
}

/** Pixel size of the PNG (default 700×420), overriding the layout's; the height also fixes the interactive plot's. */
export interface FigureSize {
  width?: number;
  height?: number;
}

export const DEFAULT_FIGURE_SIZE = { width: 700, height: 420 } as const;

/** The house look, applied as a plotly template so that a figure's own layout always wins. */
export const FIGURE_TEMPLATE: Partial<Layout> = {
  font: { family: '"Open Sans", Arial, sans-serif', size: 13, color: "#222222" },
  paper_bgcolor: "#ffffff",
  plot_bgcolor: "#ffffff",
  title: { x: 0.05, xanchor: "left", font: { size: 16 } },
  margin: { l: 70, r: 30, t: 60, b: 60 },
  xaxis: { showline: true, linecolor: "#444444", ticks: "outside", gridcolor: "#ebebeb", zerolinecolor: "#c8c8c8", automargin: true },
  yaxis: { showline: true, linecolor: "#444444", ticks: "outside", gridcolor: "#ebebeb", zerolinecolor: "#c8c8c8", automargin: true },
  legend: { bgcolor: "rgba(255,255,255,0.85)" },
};

/** The figure as it is stored and rendered: plain JSON (typed arrays → arrays, NaN → null), template, size. */
export interface PlainFigure {
  data: unknown[];
  layout: Record<string, unknown>;
  config: Record<string, unknown>;
}

export function plainFigure(fig: Figure, size: FigureSize = {}): PlainFigure {
  if (!fig || !Array.isArray(fig.data)) throw new TypeError("showFigure: expected { data: [...traces], layout?, config? }");
  const layout: Partial<Layout> = {
    template: { layout: FIGURE_TEMPLATE },
    height: DEFAULT_FIGURE_SIZE.height,
    ...fig.layout,
    ...(size.width === undefined ? {} : { width: size.width }),
    ...(size.height === undefined ? {} : { height: size.height }),
  };
  const figure = { data: fig.data, layout, config: { displaylogo: false, ...fig.config } };
  // A JSON round trip makes it exactly what the notebook stores, and a copy the caller cannot mutate later.
  const json = JSON.stringify(figure, (_key, value: unknown) => (ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value));
  return JSON.parse(json) as PlainFigure;
}

/** One line for `text/plain`: title and traces, e.g. `Figure "Loss": 2 traces (scatter "train", scatter "test")`. */
export function describeFigure(fig: Figure): string {
  const title = fig.layout?.title;
  const titleText = typeof title === "string" ? title : title?.text;
  const traces = fig.data.map((trace) => {
    const { type, name } = trace as { type?: string; name?: string };
    return name ? `${type ?? "scatter"} "${name}"` : (type ?? "scatter");
  });
  const text = `Figure${titleText ? ` "${titleText}"` : ""}: ${traces.length} trace${traces.length === 1 ? "" : "s"}${traces.length ? ` (${traces.join(", ")})` : ""}`;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Renders `fig` to PNG bytes in the shared headless browser. Throws when no browser can be started. */
export async function renderPng(fig: Figure, size: FigureSize = {}): Promise<Buffer> {
  return renderPlainPng(plainFigure(fig, size));
}

/** Shows `fig` as one output: plotly JSON + PNG (when a browser is available) + a text description. */
export async function showFigure(fig: Figure, size: FigureSize = {}): Promise<void> {
  requireDisplay("showFigure");
  const figure = plainFigure(fig, size);
  const bundle: Record<string, unknown> = { "application/vnd.plotly.v1+json": figure };
  const png = await withUnseededMathRandom(() => optionalPng(figure));
  if (png) bundle["image/png"] = png.toString("base64");
  bundle["text/plain"] = describeFigure(fig);
  displayBundle(bundle);
}

/** Closes the shared browser (tests and scripts; a kernel closes it on shutdown). The next figure starts a new one. */
export async function closePlotBrowser(): Promise<void> {
  const state = globalThis as PlotGlobal;
  clearTimeout(state[PLOT_IDLE_TIMER]);
  const page = state[PLOT_PAGE];
  state[PLOT_PAGE] = undefined;
  const open = await page?.catch(() => null);
  await open?.context().browser()?.close();
}

class BrowserUnavailableError extends Error {}

let noticeShown = false;

async function optionalPng(figure: PlainFigure): Promise<Buffer | null> {
  const mode = process.env["PLOT_PNG"];
  if (mode === "0") return null;
  try {
    return await renderPlainPng(figure);
  } catch (e) {
    if (!(e instanceof BrowserUnavailableError) || mode === "1") throw e;
    if (!noticeShown) {
      noticeShown = true;
      console.log(`Note: figures are shown without a static PNG image (${e.message}).`);
    }
    return null;
  }
}

async function renderPlainPng(figure: PlainFigure): Promise<Buffer> {
  const state = globalThis as PlotGlobal;
  clearTimeout(state[PLOT_IDLE_TIMER]);
  state[PLOT_RENDERING] = (state[PLOT_RENDERING] ?? 0) + 1;
  try {
    return await renderOnPage(await plotPage(), figure);
  } finally {
    state[PLOT_RENDERING] = (state[PLOT_RENDERING] ?? 1) - 1;
    if (state[PLOT_RENDERING] === 0) closeWhenIdle(state);
  }
}

/** Seconds without a figure after which the browser closes (PLOT_BROWSER_IDLE_SECONDS, default 30). */
export function plotBrowserIdleMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env["PLOT_BROWSER_IDLE_SECONDS"];
  if (text === undefined || text === "") return 30_000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`PLOT_BROWSER_IDLE_SECONDS must be a number of seconds ≥ 0; got "${text}"`);
  return seconds * 1000;
}

/** Arms the idle timer; unref'd, so it never keeps a process (or the runner's pending-work probe) waiting. */
function closeWhenIdle(state: PlotGlobal): void {
  clearTimeout(state[PLOT_IDLE_TIMER]);
  state[PLOT_IDLE_TIMER] = setTimeout(() => {
    if ((state[PLOT_RENDERING] ?? 0) === 0) void closePlotBrowser().catch(() => undefined);
  }, plotBrowserIdleMs()).unref();
}

async function renderOnPage(page: Page, figure: PlainFigure): Promise<Buffer> {
  // Without a width the interactive plot fills the output area; the PNG still needs one.
  const width = Number(figure.layout["width"] ?? DEFAULT_FIGURE_SIZE.width);
  const height = Number(figure.layout["height"] ?? DEFAULT_FIGURE_SIZE.height);
  let dataUrl: string;
  try {
    dataUrl = await page.evaluate(
      ({ figure, width, height }) =>
        (globalThis as unknown as { Plotly: { toImage(f: unknown, o: object): Promise<string> } }).Plotly.toImage(figure, {
          format: "png",
          width,
          height,
        }),
      { figure, width, height },
    );
  } catch (e) {
    throw new Error(`renderPng: plotly could not render the figure: ${(e as Error).message}`);
  }
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
}

// The page lives on globalThis so that tslab re-evaluating an edited lib file keeps one browser per process.
const PLOT_PAGE = Symbol.for("ml-notebooks.plotPage");
const PLOT_IDLE_TIMER = Symbol.for("ml-notebooks.plotIdleTimer");
const PLOT_RENDERING = Symbol.for("ml-notebooks.plotRendering");
type PlotGlobal = typeof globalThis & {
  [PLOT_PAGE]?: Promise<Page> | undefined;
  [PLOT_IDLE_TIMER]?: NodeJS.Timeout | undefined;
  /** Renders in progress: the idle timer never closes the browser under one. */
  [PLOT_RENDERING]?: number;
};

/** The shared page with plotly.js loaded; a failed start is remembered, so it is not retried per figure. */
function plotPage(): Promise<Page> {
  const state = globalThis as PlotGlobal;
  const current = state[PLOT_PAGE];
  if (current) return current;
  const page: Promise<Page> = openPlotPage(() => {
    if (state[PLOT_PAGE] === page) state[PLOT_PAGE] = undefined; // a crashed browser is restarted next time
  });
  state[PLOT_PAGE] = page;
  return page;
}

async function openPlotPage(onDisconnected: () => void): Promise<Page> {
  const browser = await launchChromium().catch((e: Error) => {
    throw new BrowserUnavailableError(`no headless browser: ${e.message.split("\n")[0]}`);
  });
  browser.on("disconnected", onDisconnected);
  // tslab closes its sockets on shutdown and waits for Node to exit, which an open browser would prevent.
  onKernelShutdown(() => void browser.close().catch(() => undefined));
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ path: require.resolve("plotly.js-dist-min") });
    return page;
  } catch (e) {
    await browser.close();
    throw new BrowserUnavailableError(`the headless browser could not load plotly.js: ${(e as Error).message.split("\n")[0]}`);
  }
}
