/**
 * Composing wasm kernels out of other wasm kernels.
 *
 * A kernel function receives `TensorInfo`s (a data id, a shape, a dtype), not `tf.Tensor`s, and must not call
 * `tf.*` ops (those would be recorded on the gradient tape and counted by the engine). A `KernelScope` runs the
 * wasm backend's own kernels directly, the way the backends compose kernels internally, and disposes every
 * intermediate result when the composed kernel is done:
 *
 *   const s = new KernelScope(backend);
 *   try {
 *     const t = s.transpose(x, [3, 1, 2, 0]);
 *     return s.keep(s.conv2d(t, f, { ... }));
 *   } finally {
 *     s.dispose();
 *   }
 *
 * The kernels are looked up in `NATIVE_WASM`, the table of kernels that @tensorflow/tfjs-backend-wasm itself
 * registered, captured before lib/tfjs-wasm overrides any of them.
 */
import * as tf from "@tensorflow/tfjs";

export type Info = tf.TensorInfo;
export type Backend = tf.KernelBackend;
type Attrs = Record<string, unknown>;
type Paddings = Array<[number, number]>;

/** The kernel functions @tensorflow/tfjs-backend-wasm registered (filled by `captureNativeKernels`). */
export const NATIVE_WASM = new Map<string, tf.KernelFunc>();

/**
 * Time spent in native kernels called from composed kernels, by name (on when `profileComposedKernels(true)`):
 * tf.profile only sees the composed kernel as a whole.
 */
export const composedKernelProfile = new Map<string, { ms: number; calls: number }>();
let profiling = false;
/** CPU time of this process in ms: unlike wall time, hardly disturbed by other processes on a busy machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
export function profileComposedKernels(on: boolean): void {
  profiling = on;
  composedKernelProfile.clear();
}

export function captureNativeKernels(): void {
  if (NATIVE_WASM.size > 0) return;
  for (const config of tf.getKernelsForBackend("wasm")) NATIVE_WASM.set(config.kernelName, config.kernelFunc);
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export class KernelScope {
  private readonly temps: Info[] = [];

  constructor(readonly backend: Backend) {}

  /** Runs a kernel that tfjs-backend-wasm implements natively; the result is disposed with the scope. */
  /** `inputs` is a name → tensor map, or an array for the list kernels (Concat, AddN). */
  run(name: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info {
    const outs = this.runMulti(name, inputs, attrs);
    for (let i = 1; i < outs.length; i++) this.backend.disposeData(outs[i]!.dataId);
    return outs[0]!;
  }

  runMulti(name: string, inputs: Record<string, Info>, attrs: Attrs = {}): Info[] {
    const kernel = NATIVE_WASM.get(name);
    if (kernel === undefined) throw new Error(`KernelScope: the wasm backend has no native kernel "${name}"`);
    const started = profiling ? cpuMs() : 0;
    const result = kernel({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap });
    if (profiling) {
      const entry = composedKernelProfile.get(name) ?? { ms: 0, calls: 0 };
      entry.ms += cpuMs() - started;
      entry.calls++;
      composedKernelProfile.set(name, entry);
    }
    const outs = Array.isArray(result) ? result : [result];
    this.temps.push(...outs);
    return outs;
  }

  /** Removes `t` from the scope so that it outlives `dispose()` (the kernel's output). */
  keep(t: Info): Info {
    const i = this.temps.lastIndexOf(t);
    if (i >= 0) this.temps.splice(i, 1);
    return t;
  }

  /** Puts a tensor made outside the scope (by another composed kernel) in its care: disposed with it unless kept. */
  adopt(t: Info): Info {
    this.temps.push(t);
    return t;
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }

  /** A new tensor holding `values` (a small constant such as a one-hot filter). */
  constant(values: Float32Array | Int32Array, shape: number[], dtype: "float32" | "int32" = "float32"): Info {
    const dataId = this.backend.write(values, shape, dtype);
    const t: Info = { dataId, shape, dtype };
    this.temps.push(t);
    return t;
  }

  /** Values of a tensor that lives on this backend (a copy). */
  read(t: Info): Float32Array | Int32Array | Uint8Array {
    return this.backend.readSync(t.dataId) as Float32Array | Int32Array | Uint8Array;
  }

  // ---- thin wrappers over native kernels -------------------------------------------------------------

  reshape(x: Info, shape: number[]): Info {
    return this.run("Reshape", { x }, { shape });
  }

  /**
   * tfjs-backend-wasm's 2-D Transpose of a matrix with 256·k rows stores with a power-of-two stride, which aliases in
   * the cache (~10× slower); the same permutation as a 3-D transpose [R, 2, S/2] → axes (1, 2, 0) runs at full speed.
   */
  transpose(x: Info, perm: number[]): Info {
    if (x.shape.length === 2 && perm[0] === 1 && x.dtype !== "string") {
      const [rows, cols] = x.shape as [number, number];
      if (rows >= 512 && rows % 256 === 0 && cols % 2 === 0) {
        const t = this.run("Transpose", { x: this.reshape(x, [rows, 2, cols / 2]) }, { perm: [1, 2, 0] });
        return this.reshape(t, [cols, rows]);
      }
    }
    return this.run("Transpose", { x }, { perm });
  }

  /** Zero padding with non-negative amounts. */
  pad(x: Info, paddings: Paddings, constantValue = 0): Info {
    return this.run("PadV2", { x }, { paddings, constantValue });
  }

  slice(x: Info, begin: number[], size: number[]): Info {
    return this.run("Slice", { x }, { begin, size });
  }

  /**
   * Pads (positive amounts) and crops (negative amounts) in one go: `amounts[d] = [before, after]`. Used to
   * place a result whose rows cover [-before, …) onto [0, size).
   */
  padOrCrop(x: Info, amounts: Paddings): Info {
    const needsCrop = amounts.some(([a, b]) => a < 0 || b < 0);
    let t = x;
    if (needsCrop) {
      const begin = amounts.map(([a]) => Math.max(0, -a));
      const size = t.shape.map((n, d) => n - begin[d]! - Math.max(0, -amounts[d]![1]));
      t = this.slice(t, begin, size);
    }
    const needsPad = amounts.some(([a, b]) => a > 0 || b > 0);
    if (needsPad) t = this.pad(t, amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)] as [number, number]));
    if (t === x) t = this.reshape(x, x.shape);
    return t;
  }

  /**
   * Inserts `strides - 1` zeros after every element along the two spatial axes of an NHWC tensor:
   * [N, H, W, C] → [N, H·sh, W·sw, C] (the trailing zeros included).
   */
  dilateSpatial(x: Info, sh: number, sw: number): Info {
    if (sh === 1 && sw === 1) return x;
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const six = this.reshape(x, [n, h, 1, w, 1, c]);
    const padded = this.pad(six, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
    return this.reshape(padded, [n, h * sh, w * sw, c]);
  }

  reverse(x: Info, dims: number[]): Info {
    return this.run("Reverse", { x }, { dims });
  }

  concat(xs: Info[], axis: number): Info {
    if (xs.length === 1) return xs[0]!;
    return this.run("Concat", xs as unknown as Record<string, Info>, { axis });
  }

  /** Stacks equally shaped tensors along a new leading axis. */
  stack0(xs: Info[]): Info {
    const expanded = xs.map((x) => this.reshape(x, [1, ...x.shape]));
    return this.concat(expanded, 0);
  }

  add(a: Info, b: Info): Info {
    return this.run("Add", { a, b });
  }

  addN(xs: Info[]): Info {
    if (xs.length === 1) return xs[0]!;
    return this.run("AddN", xs as unknown as Record<string, Info>);
  }

  mul(a: Info, b: Info): Info {
    return this.run("Multiply", { a, b });
  }

  sum(x: Info, axis: number[], keepDims = false): Info {
    return this.run("Sum", { x }, { axis, keepDims });
  }

  cast(x: Info, dtype: tf.DataType): Info {
    return this.run("Cast", { x }, { dtype });
  }

  /** [M, K] × [K, N] → [M, N] through XNNPACK's fully-connected operator (no transposes, batch 1). */
  matMul(a: Info, b: Info): Info {
    return this.run("BatchMatMul", { a, b }, { transposeA: false, transposeB: false });
  }

  conv2d(x: Info, filter: Info, attrs: { strides: number | [number, number]; pad: unknown; dilations?: number | [number, number] }): Info {
    return this.run("Conv2D", { x, filter }, { dataFormat: "NHWC", dilations: 1, ...attrs });
  }

  depthwiseConv2d(x: Info, filter: Info, attrs: { strides: number | [number, number]; pad: unknown; dilations?: number | [number, number] }): Info {
    return this.run("DepthwiseConv2dNative", { x, filter }, { dataFormat: "NHWC", dilations: 1, ...attrs });
  }

  size(x: Info): number {
    return sizeOf(x.shape);
  }
}

/** Runs `body` with a fresh scope and disposes everything but the returned tensor(s). */
export function withScope<T extends Info | Info[]>(backend: Backend, body: (s: KernelScope) => T): T {
  const s = new KernelScope(backend);
  try {
    const out = body(s);
    if (Array.isArray(out)) out.forEach((t) => s.keep(t));
    else s.keep(out);
    return out;
  } finally {
    s.dispose();
  }
}
