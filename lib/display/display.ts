/**
 * Rich output for notebooks: one Jupyter `display_data` message carrying several mime types at once
 * (a plot as plotly JSON + PNG + text, a table as HTML + text), and displays that update in place.
 *
 * tslab's public `display.raw()` sends a single mime type per message, so bundles go through tslab's
 * internal writer; everything that touches tslab internals is in the "tslab internals" section below,
 * pinned to tslab 1.0.22 and covered by test/lib/display/display.kernel.test.ts. Outside a kernel (unit tests, scripts)
 * output goes to a sink set with `setDisplaySink`.
 */
import { randomBytes } from "node:crypto";
import { tableBundle, type TableInput, type TableOptions } from "./table";

/** mime type → content: strings, base64 strings for images, plain objects for `…+json` types. */
export type MimeBundle = Record<string, unknown>;

/** The content of a Jupyter `display_data` / `update_display_data` message. */
export interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** Receives every display message; `update` is true for `update_display_data`. */
export type DisplaySink = (message: DisplayMessage, update: boolean) => void;

let sink: DisplaySink | null = null;

/** Routes display messages to `next` (tests, scripts) instead of the kernel; returns a function that undoes it. */
export function setDisplaySink(next: DisplaySink | null): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}

export interface CapturedDisplay {
  message: DisplayMessage;
  update: boolean;
}

/** Runs `fn` with a sink that records what it displays, then restores the previous sink (for tests). */
export async function captureDisplays(fn: () => unknown): Promise<CapturedDisplay[]> {
  const sent: CapturedDisplay[] = [];
  const restore = setDisplaySink((message, update) => sent.push({ message, update }));
  try {
    await fn();
  } finally {
    restore();
  }
  return sent;
}

/** True when displays have somewhere to go: a sink is set or the code runs inside a tslab kernel. */
export function canDisplay(): boolean {
  return sink !== null || kernelWriter() !== null;
}

/** Shows one output holding every mime type in `data`; the frontend picks the richest it can render. */
export function displayBundle(data: MimeBundle, metadata: Record<string, unknown> = {}): void {
  writer("displayBundle")({ data, metadata, transient: {} }, false);
}

/**
 * Shows a danfo or polars DataFrame, or plain rows, as an escaped HTML table plus an aligned text table.
 *
 *   showTable(df.describe());
 *   showTable([{ model: "ridge", mse: 0.12 }, { model: "lasso", mse: 0.15 }]);
 *   showTable([[1, 0.5], [2, 0.25]], { columns: ["epoch", "loss"] });
 */
export function showTable(table: TableInput, options: TableOptions = {}): void {
  displayBundle(tableBundle(table, options));
}

/** A display that can be replaced in place (progress bars, live metrics). */
export interface UpdatableDisplay {
  /** The first call shows the bundle; later calls replace it. */
  update(data: MimeBundle, metadata?: Record<string, unknown>): void;
}

/** Like tslab's `newDisplay()`, but for bundles: a random display_id; `display_data` first, then `update_display_data`. */
export function updatableDisplay(): UpdatableDisplay {
  const displayId = randomBytes(8).toString("hex");
  let shown = false;
  return {
    update(data, metadata = {}) {
      writer("updatableDisplay.update")({ data, metadata, transient: { display_id: displayId } }, shown);
      shown = true;
    },
  };
}

/** Throws, naming `caller`, when there is nowhere to display (so costly work can fail before it starts). */
export function requireDisplay(caller: string): void {
  writer(caller);
}

function writer(caller: string): DisplaySink {
  const write = sink ?? kernelWriter();
  if (!write) {
    throw new Error(
      `${caller}: nowhere to display — not inside a tslab kernel, and no sink set (call setDisplaySink() in tests and scripts)`,
    );
  }
  return write;
}

// ---- tslab internals (tslab 1.0.22) ----------------------------------------------------------------------

/** The parts of tslab's `dist/jupyter.js` we use. */
interface TslabJupyterModule {
  /** Set by the kernel at the start of every execute request; `display.raw()` writes through it. */
  lastWriteDisplayData: DisplaySink | null;
  ZmqServer: { prototype: { close(): void } };
}

/** The kernel's own `tslab/dist/jupyter.js` module, found in the require cache (null outside a kernel). */
function tslabJupyter(): TslabJupyterModule | null {
  const key = Object.keys(require.cache).find((k) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(k));
  const exports = key === undefined ? undefined : (require.cache[key]?.exports as Partial<TslabJupyterModule>);
  return exports && "lastWriteDisplayData" in exports && exports.ZmqServer ? (exports as TslabJupyterModule) : null;
}

function kernelWriter(): DisplaySink | null {
  return tslabJupyter()?.lastWriteDisplayData ?? null;
}

const shutdownHooks = Symbol.for("ml-notebooks.kernelShutdownHooks");

/**
 * Runs `hook` when the tslab kernel shuts down (it closes its sockets and expects Node to exit on its own,
 * so anything still holding the event loop, such as a browser, must close then). No-op outside a kernel.
 */
export function onKernelShutdown(hook: () => void): void {
  const jupyter = tslabJupyter();
  if (!jupyter) return;
  // The hook list lives on the prototype so that re-evaluating this module (tslab recompiles edited lib files)
  // patches `close` only once.
  const proto = jupyter.ZmqServer.prototype as { close(): void; [shutdownHooks]?: Array<() => void> };
  let hooks = proto[shutdownHooks];
  if (!hooks) {
    const hookList: Array<() => void> = [];
    const close = proto.close;
    proto.close = function (this: unknown) {
      for (const h of hookList.splice(0)) {
        try {
          h();
        } catch (e) {
          console.error("kernel shutdown hook failed:", e);
        }
      }
      close.call(this);
    };
    hooks = proto[shutdownHooks] = hookList;
  }
  hooks.push(hook);
}
