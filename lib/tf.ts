/**
 * One import for TensorFlow.js on the best backend this machine has:
 *
 *   import { tf, setupTf } from "./lib/tf";
 *   await setupTf({ seed: 0 });      // prints e.g. "TensorFlow.js 4.22.0 · backend wasm"
 *
 * Order of preference: native libtensorflow ("tensorflow", from the optional package tfjs-node-native,
 * which installs only where Google's storage is reachable) → WebAssembly ("wasm", ships in npm) → pure
 * JavaScript ("cpu"). Force one with `setupTf({ backend: "cpu" })` or the environment variable TFJS_BACKEND.
 * Before the wasm backend starts, lib/tfjs-wasm registers the gradient kernels it lacks or gets wrong (so it trains
 * convolutions, embeddings, recurrent and attention models) and, with `threads` / TFJS_WASM_THREADS > 1, switches
 * to its multi-threaded build.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Random, seedMathRandom } from "./random";
import { installWasmTraining } from "./tfjs-wasm/index";
import { finishWasmThreads, requestWasmThreads, wasmThreads } from "./tfjs-wasm/threads";

// Re-exported as a namespace so that both values (tf.tensor) and types (tf.Tensor) work in notebooks.
export { tf };
import { BACKEND_PREFERENCE, type BackendName } from "./tf-backends";
export { BACKEND_PREFERENCE, type BackendName };

/** Registers the native backend when its package is installed; a missing package is the normal case. */
function tryLoadNative(): boolean {
  try {
    require("tfjs-node-native");
    return true;
  } catch {
    return false;
  }
}

export interface SetupOptions {
  /** Force a backend instead of the best available one. */
  backend?: BackendName;
  /** Seeds Math.random (which tfjs uses for default initializer and shuffle seeds) and `nextSeed()`. */
  seed?: number;
  /** Print the one-line backend banner (default true). */
  announce?: boolean;
  /**
   * XNNPACK threads for the wasm backend (default: the environment variable TFJS_WASM_THREADS, else
   * DEFAULT_WASM_THREADS). Only the first initialisation of the wasm backend in a process can set it.
   */
  threads?: number;
}

/** Threads for the wasm backend when neither `threads` nor TFJS_WASM_THREADS says otherwise. */
export const DEFAULT_WASM_THREADS = 1;

export interface TfSetup {
  backend: BackendName;
  version: string;
  seed: number | null;
}

let seedStream: Random | null = null;

export async function setupTf(options: SetupOptions = {}): Promise<TfSetup> {
  const requested = options.backend ?? parseBackendEnv(process.env.TFJS_BACKEND);
  const candidates = requested ? [requested] : BACKEND_PREFERENCE;
  if (candidates.includes("tensorflow")) tryLoadNative();
  // The wasm backend lacks or gets wrong several gradient kernels; lib/tfjs-wasm supplies them (issue 7).
  if (candidates.includes("wasm")) {
    installWasmTraining();
    requestWasmThreads(options.threads ?? parseThreadsEnv(process.env.TFJS_WASM_THREADS) ?? DEFAULT_WASM_THREADS);
  }

  let chosen: BackendName | null = null;
  for (const name of candidates) {
    if (tf.findBackendFactory(name) === null) continue;
    if (await tf.setBackend(name)) {
      chosen = name;
      break;
    }
  }
  if (chosen === null) {
    const hint = requested === "tensorflow" ? " (install tfjs-node-native: see README, 'Native TensorFlow')" : "";
    throw new Error(`setupTf: backend "${candidates.join('" / "')}" is not available${hint}`);
  }
  await tf.ready();
  finishWasmThreads(); // undoes the temporary patches whichever backend won
  silenceNodeBanner();

  const seed = options.seed ?? null;
  if (seed !== null) {
    seedMathRandom(seed);
    seedStream = new Random(seed);
  }
  const version = tf.version.tfjs;
  if (options.announce ?? true) {
    const detail = chosen === "wasm" ? ` (${wasmThreads()} thread${wasmThreads() === 1 ? "" : "s"})` : "";
    console.log(`TensorFlow.js ${version} · backend ${chosen}${detail}${seed === null ? "" : ` · seed ${seed}`}`);
  }
  return { backend: chosen, version, seed };
}

function parseThreadsEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`TFJS_WASM_THREADS must be an integer ≥ 1; got "${value}"`);
  return n;
}

function parseBackendEnv(value: string | undefined): BackendName | undefined {
  if (value === undefined || value === "") return undefined;
  if ((BACKEND_PREFERENCE as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`TFJS_BACKEND must be one of ${BACKEND_PREFERENCE.join(", ")}; got "${value}"`);
}

/**
 * The cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js…" on its first tensor.
 * The notebooks say which backend they use themselves, so mark that first use as done; nothing numeric changes
 * (unlike tf.enableProdMode, which also skips checks).
 */
function silenceNodeBanner(): void {
  const cpu = tf.findBackend("cpu") as unknown as { firstUse?: boolean } | null;
  if (cpu && "firstUse" in cpu) cpu.firstUse = false;
}

/**
 * A seed for a tfjs op or initializer that takes one, e.g.
 * `tf.randomNormal([3, 3], 0, 1, "float32", nextSeed())` or `tf.initializers.glorotUniform({ seed: nextSeed() })`.
 * Deterministic after `setupTf({ seed })`.
 */
export function nextSeed(): number {
  if (seedStream === null) throw new Error("nextSeed: call setupTf({ seed }) first so that seeds are reproducible");
  return seedStream.int(0, 2 ** 31 - 1);
}

/** Number of live tensors: a training loop that does not leak keeps this flat across epochs. */
export function liveTensors(): number {
  return tf.memory().numTensors;
}
