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
  if (batchedRouteApplies(a, b)) return batchedProduct(s, a, b, transposeA, transposeB);
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
