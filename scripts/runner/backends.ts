/**
 * The TensorFlow.js backends a notebook's `setupTf()` can be told to use through `TFJS_BACKEND` (`--backend`).
 * The runner depends on nothing in lib/, so it names them here; test/runner/backends.test.ts holds this list
 * equal to lib/tf-backends.ts, which setupTf() uses.
 */
export type TfjsBackend = "tensorflow" | "wasm" | "cpu";
export const TFJS_BACKENDS: readonly TfjsBackend[] = ["tensorflow", "wasm", "cpu"];
