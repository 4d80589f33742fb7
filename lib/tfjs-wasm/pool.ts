/**
 * Pooling and resizing gradients for the wasm backend, built from native kernels.
 *
 * tfjs-backend-wasm 4.22's MaxPoolGrad is wrong: it starts its running maximum at FLT_MIN (the smallest *positive*
 * float), so any window whose values are all ≤ 0 — every all-zero window after a ReLU — sends its gradient to
 * element 0 of the tensor. Its resize gradients ignore halfPixelCenters (as the cpu backend's do; the cpu
 * backend's are also wrong for batch > 1 and non-square bilinear resizes). These replacements:
 *
 * - MaxPoolGrad: patches of x (depthwise convolution with a one-hot filter), a mask of the first position in each
 *   window that equals the pooled value (the cpu backend's tie rule; padding never matches), times dy, scattered
 *   back to the input grid ("col2im": one interleaving transpose when windows tile the input, else one shifted,
 *   dilated copy per filter tap).
 * - ResizeNearestNeighborGrad / ResizeBilinearGrad: for integer upsampling (UpSampling2D) an average pool of dy's
 *   f×f blocks; with halfPixelCenters the exact adjoint of the forward resize, dx = Rᵧᵀ · dy · Rₓ, with the
 *   interpolation matrices built from the forward op's own index formulas (two matrix products); otherwise the
 *   native kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { extractPatches } from "./conv";
import { Backend, Info, KernelScope, NATIVE_WASM, withScope } from "./scope";

type Conv2DInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;

interface KernelArgs {
  inputs: Record<string, Info>;
  backend: Backend;
  attrs: Record<string, unknown>;
}

/**
 * Sums window-shaped gradients back onto the input grid: g is [N, Ho, Wo, C, kh·kw] (tap t = i·kw + j of the window
 * at (ho, wo) covers padded row ho·sh + i, column wo·sw + j); the result is [N, H, W, C].
 */
export function col2im(
  s: KernelScope,
  g: Info,
  geometry: { kh: number; kw: number; sh: number; sw: number; top: number; left: number; h: number; w: number },
): Info {
  const { kh, kw, sh, sw, top, left, h, w } = geometry;
  const [n, ho, wo, c] = g.shape as [number, number, number, number, number];
  if (sh === kh && sw === kw) {
    // Windows tile the grid: interleave the taps with one transpose.
    const tiled = s.transpose(s.reshape(g, [n, ho, wo, c, kh, kw]), [0, 1, 4, 2, 5, 3]); // [n, ho, kh, wo, kw, c]
    const grid = s.reshape(tiled, [n, ho * kh, wo * kw, c]);
    return s.padOrCrop(grid, [[0, 0], [-top, h - (ho * kh - top)], [-left, w - (wo * kw - left)], [0, 0]]);
  }
  const byTap = s.transpose(g, [4, 0, 1, 2, 3]); // [kk, n, ho, wo, c]
  const parts: Info[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const t = i * kw + j;
      const tap = s.reshape(s.slice(byTap, [t, 0, 0, 0, 0], [1, n, ho, wo, c]), [n, ho, wo, c]);
      const spread = s.dilateSpatial(tap, sh, sw); // element (ho, wo) at row ho·sh
      const rowShift = i - top;
      const colShift = j - left;
      parts.push(
        s.padOrCrop(spread, [[0, 0], [rowShift, h - rowShift - ho * sh], [colShift, w - colShift - wo * sw], [0, 0]]),
      );
    }
  }
  return s.addN(parts);
}

export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): Info {
  const { dy, input: x, output: y } = inputs as { dy: Info; input: Info; output: Info };
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as "valid" | "same" | number,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const kk = kh * kw;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const { outHeight: ho, outWidth: wo } = info;
  if (info.strideHeight === kh && info.strideWidth === kw && kk <= 64) {
    return withScope(backend, (s) => tiledMaxPoolGrad(s, dy, x, y, info));
  }
  return withScope(backend, (s) => {
    // Only XNNPACK-backed elementwise kernels here: the wasm backend's Equal / Maximum with broadcasting run a
    // generic index loop ~30× slower. A tap holds the window's maximum iff y − patch == 0 exactly (IEEE subtraction
    // of two different finite floats is never 0), i.e. iff Step(y − patch) = 0 (Step: x > 0 ? 1 : 0).
    const patches = s.reshape(extractPatches(s, x, info), [n, ho, wo, c, kk]);
    const gap = s.run("Sub", { a: s.reshape(y, [n, ho, wo, c, 1]), b: patches });
    const hits = s.run("Sub", { a: s.constant(new Float32Array([1]), []), b: s.run("Step", { x: gap }, { alpha: 0 }) });
    // Taps that fall in the padding hold 0 and must never count as the maximum.
    const ones = s.constant(new Float32Array(h * w).fill(1), [1, h, w, 1]);
    const valid = s.reshape(extractPatches(s, ones, { ...info, inChannels: 1 }), [1, ho, wo, 1, kk]);
    const candidates = s.mul(hits, valid);
    // Keep only the first hit in scan order, as the cpu backend does (strict > while scanning): a hit with no hit
    // before it, Relu(hit − number of earlier hits).
    const earlier = s.run("Cumsum", { x: candidates }, { axis: 4, exclusive: true, reverse: false });
    const first = s.run("Relu", { x: s.run("Sub", { a: candidates, b: earlier }) });
    const g = s.mul(first, s.reshape(dy, [n, ho, wo, c, 1]));
    return col2im(s, g, { kh, kw, sh: info.strideHeight, sw: info.strideWidth, top: info.padInfo.top, left: info.padInfo.left, h, w });
  });
}

/**
 * MaxPoolGrad when the windows tile the input (stride = window, the usual 2×2 pooling): everything stays in the
 * input's layout [n, ho, kh, wo, kw, c], broadcasting only over the window axes, which XNNPACK does at full speed.
 * - A tap is a hit iff y − x == 0 (padding is −∞, never a hit): hits = 1 − Step(y − x).
 * - The first hit in scan order is the one with the largest weight 2^(kk−1−t) among the hits: a max-pool of the
 *   weighted hits finds it, and the same Step test picks it out.
 */
function tiledMaxPoolGrad(s: KernelScope, dy: Info, x: Info, y: Info, info: Conv2DInfo): Info {
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const { outHeight: ho, outWidth: wo } = info;
  const { top, left } = info.padInfo;
  const rowsAfter = ho * kh - top - h;
  const colsAfter = wo * kw - left - w;
  let grid = x;
  if (rowsAfter < 0 || colsAfter < 0) grid = s.padOrCrop(grid, [[0, 0], [0, Math.min(0, rowsAfter)], [0, Math.min(0, colsAfter)], [0, 0]]);
  if (top > 0 || left > 0 || rowsAfter > 0 || colsAfter > 0) {
    grid = s.pad(grid, [[0, 0], [top, Math.max(0, rowsAfter)], [left, Math.max(0, colsAfter)], [0, 0]], -Infinity);
  }
  const windows = s.reshape(grid, [n, ho, kh, wo, kw, c]);
  const one = s.constant(new Float32Array([1]), []);
  const hits = s.run("Sub", { a: one, b: s.run("Step", { x: s.run("Sub", { a: s.reshape(y, [n, ho, 1, wo, 1, c]), b: windows }) }, { alpha: 0 }) });
  const weights = new Float32Array(kh * kw * c);
  for (let t = 0; t < kh * kw; t++) weights.fill(2 ** (kh * kw - 1 - t), t * c, (t + 1) * c);
  const weighted = s.mul(hits, s.constant(weights, [1, 1, kh, 1, kw, c]));
  const best = s.run("MaxPool", { x: s.reshape(weighted, [n, ho * kh, wo * kw, c]) }, { filterSize: [kh, kw], strides: [kh, kw], pad: "valid" });
  const first = s.run("Sub", {
    a: one,
    b: s.run("Step", { x: s.run("Sub", { a: s.reshape(best, [n, ho, 1, wo, 1, c]), b: weighted }) }, { alpha: 0 }),
  });
  const spread = s.mul(first, s.reshape(dy, [n, ho, 1, wo, 1, c]));
  return s.padOrCrop(s.reshape(spread, [n, ho * kh, wo * kw, c]), [[0, 0], [-top, -rowsAfter], [-left, -colsAfter], [0, 0]]);
}

// ---- resize gradients -------------------------------------------------------------------------------------

/**
 * R[outIndex, inIndex]: the weight with which input row inIndex enters output row outIndex in tfjs's forward
 * resize (same formulas as the cpu backend's ResizeBilinear / ResizeNearestNeighbor).
 */
export function resizeMatrix(
  inSize: number,
  outSize: number,
  mode: "nearest" | "bilinear",
  alignCorners: boolean,
  halfPixelCenters: boolean,
): Float32Array {
  const effectiveIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effectiveOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  const ratio = effectiveIn / effectiveOut;
  const r = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    if (mode === "nearest") {
      const frac = halfPixelCenters ? ratio * (o + 0.5) : ratio * o;
      let nearest = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
      if (halfPixelCenters) nearest = Math.max(0, nearest);
      r[o * inSize + nearest] = 1;
    } else {
      const frac = halfPixelCenters ? ratio * (o + 0.5) - 0.5 : ratio * o;
      const lo = Math.max(0, Math.floor(frac));
      const hi = Math.min(inSize - 1, Math.ceil(frac));
      const t = frac - lo;
      r[o * inSize + lo]! += 1 - t;
      r[o * inSize + hi]! += t;
    }
  }
  return r;
}

function transposeMatrix(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j]!;
  return t;
}

function resizeGrad(mode: "nearest" | "bilinear") {
  const kernelName = mode === "nearest" ? "ResizeNearestNeighborGrad" : "ResizeBilinearGrad";
  return ({ inputs, backend, attrs }: KernelArgs): Info => {
    const { images, dy } = inputs as { images: Info; dy: Info };
    const [n, inH, inW, c] = images.shape as [number, number, number, number];
    const [, outH, outW] = dy.shape as [number, number, number, number];
    const align = Boolean(attrs.alignCorners);
    const half = Boolean(attrs.halfPixelCenters);
    if (mode === "nearest" && !align && !half && outH % inH === 0 && outW % inW === 0) {
      // UpSampling2D: every output pixel copies input pixel (⌊o / f⌋): the gradient sums f×f blocks, which an
      // XNNPACK average pool (× f²) does in one pass.
      const fh = outH / inH;
      const fw = outW / inW;
      return withScope(backend, (s) => {
        const mean = s.run("AvgPool", { x: dy }, { filterSize: [fh, fw], strides: [fh, fw], pad: "valid" });
        return fh * fw === 1 ? mean : s.mul(mean, s.constant(new Float32Array([fh * fw]), []));
      });
    }
    // The native kernels are right (and faster) without halfPixelCenters (ignored) and alignCorners (wrong when a
    // side has size 1).
    if (!half && !align) return NATIVE_WASM.get(kernelName)!({ inputs, backend, attrs: attrs as never }) as Info;
    return withScope(backend, (s) => {
      const ryT = s.constant(transposeMatrix(resizeMatrix(inH, outH, mode, align, half), outH, inH), [inH, outH]);
      const rxT = s.constant(transposeMatrix(resizeMatrix(inW, outW, mode, align, half), outW, inW), [inW, outW]);
      // rows: [outH, n·outW·c] → Rᵧᵀ· → [inH, n, outW, c]
      const byRow = s.reshape(s.transpose(dy, [1, 0, 2, 3]), [outH, n * outW * c]);
      const rowsDone = s.reshape(s.matMul(ryT, byRow), [inH, n, outW, c]);
      // columns: [outW, inH·n·c] → Rₓᵀ· → [inW, inH, n, c] → [n, inH, inW, c]
      const byCol = s.reshape(s.transpose(rowsDone, [2, 0, 1, 3]), [outW, inH * n * c]);
      const colsDone = s.reshape(s.matMul(rxT, byCol), [inW, inH, n, c]);
      return s.transpose(colsDone, [2, 1, 0, 3]);
    });
  };
}

export const resizeNearestNeighborGrad = resizeGrad("nearest");
export const resizeBilinearGrad = resizeGrad("bilinear");
