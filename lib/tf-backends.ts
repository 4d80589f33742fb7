/** The TensorFlow.js backends setupTf() knows, best first; a module of its own so the runner can name them without loading TensorFlow.js. */
export type BackendName = "tensorflow" | "wasm" | "cpu";
export const BACKEND_PREFERENCE: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];
