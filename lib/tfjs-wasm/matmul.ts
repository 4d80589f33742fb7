/**
 * Faster (and, for fused products, correct) matrix products on the wasm backend.
 *
 * tfjs-backend-wasm 4.22 sends a product to XNNPACK's fully-connected operator only when neither operand is
 * transposed and the batch is 1; every other case runs a scalar triple loop in C++ that is 4–30× slower. Backward
 * passes are full of transposed products (dense layer: dy·Wᵀ and xᵀ·dy), so these kernels transpose the operand
 * explicitly (a cheap native Transpose) and then take the fast path. Batched products (attention) become one
 * grouped convolution.
 *
 * That loop also adds a fused bias wrongly (element min(i·n + j, size − 1) instead of j), so a fused product that
 * cannot take the fast path is computed as product, then bias, then activation, each a native kernel.
 */
import { Backend, Info, KernelScope, NATIVE_WASM, withScope } from "./scope";

interface KernelArgs {
  inputs: Record<string, Info>;
  backend: Backend;
  attrs: Record<string, unknown>;
}

function batchOf(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((a, b) => a * b, 1);
}

/** Swaps the last two axes. */
function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function isFloatBatchOne(a: Info, b: Info): boolean {
  return a.dtype === "float32" && b.dtype === "float32" && batchOf(a.shape) === 1 && batchOf(b.shape) === 1;
}

/**
 * A batch of products as one grouped convolution: with the batch as channels, x = a as an image [1, M, K, C] and a
 * depthwise filter [1, K, C, N] built from b (channel multiplier N), output channel c·N + q at row m is
 * Σ_k a[c, m, k] · b[c, k, q]. XNNPACK runs it as a grouped GEMM, 2.5–3× faster than the native batched loop.
 */
function batchedProduct(s: KernelScope, a: Info, b: Info, transposeA: boolean, transposeB: boolean): Info {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const batchShape = a.shape.slice(0, -2);
  const c = batchOf(a.shape);
  const [m, k] = transposeA ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const a3 = s.reshape(a, [c, a.shape[ra - 2]!, a.shape[ra - 1]!]);
  const b3 = s.reshape(b, [c, b.shape[rb - 2]!, b.shape[rb - 1]!]);
  const image = s.reshape(s.transpose(a3, transposeA ? [2, 1, 0] : [1, 2, 0]), [1, m, k, c]);
  const filter = s.reshape(s.transpose(b3, transposeB ? [2, 0, 1] : [1, 0, 2]), [1, k, c, n]);
  const out = s.depthwiseConv2d(image, filter, { strides: 1, pad: "valid" }); // [1, m, 1, c·n]
  const byBatch = s.transpose(s.reshape(out, [m, c, n]), [1, 0, 2]);
  return s.reshape(byBatch, [...batchShape, m, n]);
}

/** Per-product work (multiply-adds) above which a batch runs as one XNNPACK product per matrix (see perMatrixProduct). */
export const PER_MATRIX_MIN_MACS = 8192;

type WasmCall = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, ta: boolean, tb: boolean, outId: number) => void;
interface WasmInternals {
  wasm: { cwrap(name: string, ret: null, args: string[]): WasmCall; tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void } };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: "float32"): Info;
}
const nativeBatchMatMul = new WeakMap<object, WasmCall>();

/**
 * A batch of products as one XNNPACK product per matrix (attention with T = 32–64 and d_k = 16: 1.1–3.5× faster than
 * the grouped convolution, same float results). Each matrix of a, b and the output is registered with the C++ side as
 * a tensor of its own at its offset in the batch's buffer (ids the engine never sees), multiplied by the backend's own
 * BatchMatMul entry point, and unregistered again, which also drops the product operator XNNPACK made for it.
 */
function perMatrixProduct(s: KernelScope, a: Info, b: Info, transposeA: boolean, transposeB: boolean): Info {
  const backend = s.backend as unknown as WasmInternals;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const batchShape = a.shape.slice(0, -2);
  const c = batchOf(a.shape);
  let a3 = s.reshape(a, [c, a.shape[ra - 2]!, a.shape[ra - 1]!]);
  let b3 = s.reshape(b, [c, b.shape[rb - 2]!, b.shape[rb - 1]!]);
  if (transposeA) a3 = s.transpose(a3, [0, 2, 1]);
  if (transposeB) b3 = s.transpose(b3, [0, 2, 1]);
  const [m, k] = [a3.shape[1]!, a3.shape[2]!];
  const n = b3.shape[2]!;
  let call = nativeBatchMatMul.get(backend);
  if (call === undefined) {
    call = backend.wasm.cwrap("BatchMatMul", null, ["number", "array", "number", "number", "array", "number", "number", "number", "number"]);
    nativeBatchMatMul.set(backend, call);
  }
  const out = s.adopt(backend.makeOutput([c, m, n], "float32"));
  const offA = backend.dataIdMap.get(a3.dataId).memoryOffset;
  const offB = backend.dataIdMap.get(b3.dataId).memoryOffset;
  const offOut = backend.dataIdMap.get(out.dataId).memoryOffset;
  const shapeA = new Uint8Array(new Int32Array([1, m, k]).buffer);
  const shapeB = new Uint8Array(new Int32Array([1, k, n]).buffer);
  const registry = backend.wasm.tfjs;
  for (let i = 0; i < c; i++) {
    const ids = [backend.dataIdNextNumber++, backend.dataIdNextNumber++, backend.dataIdNextNumber++] as const;
    registry.registerTensor(ids[0], m * k, offA + i * m * k * 4);
    registry.registerTensor(ids[1], k * n, offB + i * k * n * 4);
    registry.registerTensor(ids[2], m * n, offOut + i * m * n * 4);
    try {
      call(ids[0], shapeA, 3, ids[1], shapeB, 3, false, false, ids[2]);
    } finally {
      for (const id of ids) registry.disposeData(id);
    }
  }
  return s.reshape(out, [...batchShape, m, n]);
}

function sameBatch(a: Info, b: Info): boolean {
  const ba = a.shape.slice(0, -2);
  const bb = b.shape.slice(0, -2);
  return ba.length === bb.length && ba.every((d, i) => d === bb[i]);
}

/** Products with a batch > 1 on both sides and no broadcasting take the grouped-convolution route. */
function batchedRouteApplies(a: Info, b: Info): boolean {
  return (
    a.dtype === "float32" &&
    b.dtype === "float32" &&
    sameBatch(a, b) &&
    batchOf(a.shape) > 1 &&
    a.shape.every((d) => d > 0) &&
    b.shape.every((d) => d > 0)
  );
}

/** a·b with the transposes done explicitly, so that a batch-1 product reaches XNNPACK. */
function product(s: KernelScope, a: Info, b: Info, transposeA: boolean, transposeB: boolean): Info {
  if (batchedRouteApplies(a, b)) {
    const ra = a.shape.length;
    const [m, k] = transposeA ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!];
    const n = transposeB ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
    if (m * k * n >= PER_MATRIX_MIN_MACS) return perMatrixProduct(s, a, b, transposeA, transposeB);
    return batchedProduct(s, a, b, transposeA, transposeB);
  }
  if (!isFloatBatchOne(a, b)) {
    return s.run("BatchMatMul", { a, b }, { transposeA, transposeB });
  }
  const a2 = transposeA ? s.transpose(a, lastTwoSwapped(a.shape.length)) : a;
  const b2 = transposeB ? s.transpose(b, lastTwoSwapped(b.shape.length)) : b;
  return s.run("BatchMatMul", { a: a2, b: b2 }, { transposeA: false, transposeB: false });
}

export function batchMatMul({ inputs, backend, attrs }: KernelArgs): Info {
  const { a, b } = inputs as { a: Info; b: Info };
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const fast = batchedRouteApplies(a, b) || ((transposeA || transposeB) && isFloatBatchOne(a, b));
  if (!fast) return NATIVE_WASM.get("BatchMatMul")!({ inputs, backend, attrs: attrs as never }) as Info;
  return withScope(backend, (s) => product(s, a, b, transposeA, transposeB));
}

function activate(s: KernelScope, x: Info, activation: string, inputs: Record<string, Info>, attrs: Record<string, unknown>): Info {
  switch (activation) {
    case "linear":
      return x;
    case "relu":
      return s.run("Relu", { x });
    case "relu6":
      return s.run("Relu6", { x });
    case "elu":
      return s.run("Elu", { x });
    case "sigmoid":
      return s.run("Sigmoid", { x });
    case "leakyrelu":
      return s.run("LeakyRelu", { x }, { alpha: attrs.leakyreluAlpha ?? 0.2 });
    case "prelu":
      return s.run("Prelu", { x, alpha: inputs.preluActivationWeights! });
    default:
      throw new Error(`_FusedMatMul: unknown activation "${activation}"`);
  }
}

export function fusedMatMul({ inputs, backend, attrs }: KernelArgs): Info {
  const { a, b, bias } = inputs as { a: Info; b: Info; bias?: Info };
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const native = NATIVE_WASM.get("_FusedMatMul")!;
  if (!transposeA && !transposeB && isFloatBatchOne(a, b)) {
    return native({ inputs, backend, attrs: attrs as never }) as Info; // XNNPACK, bias and clamp fused
  }
  return withScope(backend, (s) => {
    if (isFloatBatchOne(a, b)) {
      const a2 = transposeA ? s.transpose(a, lastTwoSwapped(a.shape.length)) : a;
      const b2 = transposeB ? s.transpose(b, lastTwoSwapped(b.shape.length)) : b;
      const out = native({ inputs: { ...inputs, a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } as never });
      return out as Info;
    }
    let out = product(s, a, b, transposeA, transposeB);
    if (bias) out = s.add(out, bias);
    return activate(s, out, String(attrs.activation ?? "linear"), inputs, attrs);
  });
}
