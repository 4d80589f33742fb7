/**
 * Multi-threaded XNNPACK for the wasm backend in Node.
 *
 * tfjs-backend-wasm ships a threaded SIMD build but turns it off in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag
 * answers false there: tensorflow/tfjs#3830), because the Emscripten pthread workers are created from blob: URLs,
 * which Node's worker_threads cannot load. The build itself supports Node. `requestWasmThreads(n)`, called before
 * the backend initialises, makes it work:
 * - worker_threads.Worker is wrapped so that a blob: worker script is run from source (`eval: true`, the source is
 *   the package's own worker file), and the "load" message's blob main script becomes the package's threaded
 *   module file on disk;
 * - os.cpus() reports 2·n CPUs while the module starts, because the C++ side caps the pool at half the logical
 *   CPUs (it assumes hyper-threading);
 * - the pool's workers are unref'ed afterwards so that a script's process can still exit.
 * Only the ops tfjs hands XNNPACK's thread pool run in parallel (convolutions, pooling, some elementwise ops);
 * matrix products and tfjs's own C++ loops stay on one thread.
 */
import * as tf from "@tensorflow/tfjs";
import * as wasmBackend from "@tensorflow/tfjs-backend-wasm";
import { dirname, join } from "node:path";
import type * as OsModule from "node:os";
import type * as WorkerThreadsModule from "node:worker_threads";

// The module objects themselves (not import-namespace copies): Emscripten reads Worker and cpus() from them.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const workerThreads = require("worker_threads") as typeof WorkerThreadsModule;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const os = require("os") as typeof OsModule;

let requested = 1;
let restore: (() => void) | null = null;

interface EmscriptenModule {
  PThread?: { runningWorkers: Array<{ unref(): void }>; unusedWorkers: Array<{ unref(): void }> };
}

/** The threaded build's files inside the installed package. */
function packageFile(relative: string): string {
  return join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "..", relative);
}

/**
 * Asks for `threads` XNNPACK threads (1 = the single-threaded SIMD build). Must run before the wasm backend is
 * initialised (before `tf.setBackend("wasm")`); returns false when it is too late or threads are unsupported.
 */
export function requestWasmThreads(threads: number): boolean {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`requestWasmThreads: need an integer ≥ 1, got ${threads}`);
  if (tf.engine().registry.wasm !== undefined) return false; // already initialised
  requested = threads;
  if (threads === 1) {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    return true;
  }
  if (typeof SharedArrayBuffer === "undefined") return false;
  const mainScript = packageFile("wasm-out/tfjs-backend-wasm-threaded-simd.js");
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { wasmWorkerContents } = require(packageFile("wasm-out/tfjs-backend-wasm-threaded-simd.worker.js")) as { wasmWorkerContents: string };
  // The worker source sits in a template literal upstream; newlines inside its string literals must stay escaped.
  const workerSource = wasmWorkerContents.replace(/\n/g, "\\n");
  const Original = workerThreads.Worker;
  class PThreadWorker extends Original {
    constructor(filename: string | URL, options?: WorkerThreadsModule.WorkerOptions) {
      if (typeof filename === "string" && filename.startsWith("blob:")) super(workerSource, { ...options, eval: true });
      else super(filename, options);
    }
    override postMessage(message: unknown, transferList?: readonly WorkerThreadsModule.TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (m && m.cmd === "load" && typeof m.urlOrBlob !== "string") message = { ...m, urlOrBlob: mainScript };
      super.postMessage(message, transferList);
    }
  }
  const originalCpus = os.cpus;
  (workerThreads as { Worker: unknown }).Worker = PThreadWorker;
  (os as { cpus: unknown }).cpus = () => {
    const real = originalCpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]!);
  };
  restore = () => {
    (workerThreads as { Worker: unknown }).Worker = Original;
    (os as { cpus: unknown }).cpus = originalCpus;
    restore = null;
  };
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasmBackend.setThreadsCount(threads);
  return true;
}

/** Call after the wasm backend initialised: undoes the patches and lets the process exit despite the pool. */
export function finishWasmThreads(): void {
  restore?.();
  const backend = tf.engine().registry.wasm as unknown as { wasm?: EmscriptenModule } | undefined;
  const pthreads = backend?.wasm?.PThread;
  if (pthreads) for (const w of [...pthreads.runningWorkers, ...pthreads.unusedWorkers]) w.unref();
}

/** XNNPACK threads of the initialised wasm backend (1 before it initialises or without threads). */
export function wasmThreads(): number {
  if (tf.engine().registry.wasm === undefined) return 1;
  try {
    return wasmBackend.getThreadsCount();
  } catch {
    return 1;
  }
}

export function requestedWasmThreads(): number {
  return requested;
}
