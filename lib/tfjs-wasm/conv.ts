/**
 * Convolution gradients for the wasm backend, built from kernels it runs natively (XNNPACK convolution and
 * fully-connected operators, transposes, pads, reverses):
 *
 * - Conv2DBackpropFilter (missing in tfjs-backend-wasm 4.22): for few input channels, im2col through a depthwise
 *   convolution with a one-hot filter, then one matrix product; otherwise "the filter gradient is a convolution of
 *   the input with the output gradient", with batch and channels swapped and the stride as dilation.
 * - Conv2DBackpropInput (wasm has one, about 10× slower than this): a stride-1 convolution of the zero-dilated,
 *   padded output gradient with the rotated, transposed filter. Also the forward pass of conv2dTranspose.
 * - DepthwiseConv2dNativeBackpropInput / …Filter (missing): the same ideas with depthwise convolutions and a
 *   multiply-and-sum over one-hot patches.
 *
 * Channels-last (NHWC) only, as tf.layers uses; NCHW and dilated gradients go to the cpu bridge.
 */
import * as tf from "@tensorflow/tfjs";
import { Backend, Info, KernelScope, withScope } from "./scope";

type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
type PadAttr = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

interface KernelArgs {
  inputs: Record<string, Info>;
  backend: Backend;
  attrs: Record<string, unknown>;
}

/** Explicit NHWC padding in the form computeConv2DInfo accepts. */
function explicit(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

function pair(v: unknown): [number, number] {
  if (typeof v === "number") return [v, v];
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  if (v == null) return [1, 1];
  throw new Error(`expected a number or a pair, got ${JSON.stringify(v)}`);
}

/** [kh, kw, c, kh·kw] with filter[i, j, ch, i·kw + j] = 1: a depthwise convolution with it extracts patches. */
export function oneHotPatchFilter(s: KernelScope, kh: number, kw: number, channels: number): Info {
  const kk = kh * kw;
  const values = new Float32Array(kk * channels * kk);
  for (let t = 0; t < kk; t++) for (let c = 0; c < channels; c++) values[(t * channels + c) * kk + t] = 1;
  return s.constant(values, [kh, kw, channels, kk]);
}

/**
 * Patches of x for every output position of a convolution: [N, Ho, Wo, C·kh·kw], channel c·kh·kw + (i·kw + j)
 * holding x_padded[n, ho·sh + i, wo·sw + j, c] (0 in the padding). Exact: each output is one input times 1.
 */
export function extractPatches(s: KernelScope, x: Info, info: Conv2DInfo): Info {
  const filter = oneHotPatchFilter(s, info.filterHeight, info.filterWidth, info.inChannels);
  const { top, bottom, left, right } = info.padInfo;
  const patches = s.depthwiseConv2d(x, filter, {
    strides: [info.strideHeight, info.strideWidth],
    pad: explicit(top, bottom, left, right),
  });
  const [, ho, wo] = patches.shape;
  if (ho !== info.outHeight || wo !== info.outWidth) {
    throw new Error(`extractPatches: got ${ho}×${wo} patches for a ${info.outHeight}×${info.outWidth} output`);
  }
  return patches;
}

// ---- Conv2DBackpropFilter -----------------------------------------------------------------------------

/** Input channels up to which the im2col route beats the swapped-convolution route (measured, 2 cores). */
export const IM2COL_MAX_IN_CHANNELS = 4;

export function conv2dFilterGradient(s: KernelScope, x: Info, dy: Info, info: Conv2DInfo): Info {
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
  const [n, ho, wo] = dy.shape as [number, number, number, number];
  if (ci <= IM2COL_MAX_IN_CHANNELS) {
    // dW[(c, i, j), o] = Σ_rows patches[row, (c, i, j)] · dy[row, o]
    const patches = s.reshape(extractPatches(s, x, info), [n * ho * wo, ci * kh * kw]);
    const patchesT = s.transpose(patches, [1, 0]);
    const dW = s.matMul(patchesT, s.reshape(dy, [n * ho * wo, co])); // [ci·kh·kw, co]
    const byTap = s.transpose(s.reshape(dW, [ci, kh * kw, co]), [1, 0, 2]);
    return s.reshape(byTap, [kh, kw, ci, co]);
  }
  // dW[i, j, c, o] = Σ_{n, ho, wo} x_pad[n, ho·sh + i, wo·sw + j, c] · dy[n, ho, wo, o]: a stride-1 convolution of
  // x (batch c, channels n) with dy (kernel ho×wo, in n, out o), dilated by the stride.
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const [, h, w] = x.shape as [number, number, number, number];
  const bottom = kh + (ho - 1) * sh - h - top; // rows after x so that exactly kh outputs come out
  const right = kw + (wo - 1) * sw - w - left;
  let xc = x;
  if (bottom < 0 || right < 0) xc = s.padOrCrop(x, [[0, 0], [0, Math.min(0, bottom)], [0, Math.min(0, right)], [0, 0]]);
  const xT = s.transpose(xc, [3, 1, 2, 0]); // [ci, h, w, n]
  const dyT = s.transpose(dy, [1, 2, 0, 3]); // [ho, wo, n, co]
  const out = s.conv2d(xT, dyT, {
    strides: 1,
    dilations: [sh, sw],
    pad: explicit(top, Math.max(0, bottom), left, Math.max(0, right)),
  }); // [ci, kh, kw, co]
  return s.transpose(out, [1, 2, 0, 3]);
}

export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): Info {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    "channelsLast",
  );
  return withScope(backend, (s) => conv2dFilterGradient(s, x, dy, info));
}

// ---- Conv2DBackpropInput ------------------------------------------------------------------------------

/**
 * dx for a convolution (or the forward pass of a transposed convolution): dy zero-dilated by the stride, padded by
 * kh − 1 − top rows before, convolved (stride 1) with the filter rotated by 180° and with in/out swapped.
 */
export function conv2dInputGradient(s: KernelScope, dy: Info, filter: Info, info: Conv2DInfo, depthwise: boolean): Info {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w } = info;
  const { top, left } = info.padInfo;
  const dilated = s.dilateSpatial(dy, sh, sw); // [n, ho·sh, wo·sw, c]
  const [, dh, dw] = dilated.shape as [number, number, number, number];
  const padTop = kh - 1 - top;
  const padLeft = kw - 1 - left;
  const padBottom = h + kh - 1 - padTop - dh;
  const padRight = w + kw - 1 - padLeft - dw;
  let input = dilated;
  if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
    input = s.padOrCrop(dilated, [[0, 0], [Math.min(0, padTop), Math.min(0, padBottom)], [Math.min(0, padLeft), Math.min(0, padRight)], [0, 0]]);
  }
  const pad = explicit(Math.max(0, padTop), Math.max(0, padBottom), Math.max(0, padLeft), Math.max(0, padRight));
  const rotated = s.reverse(filter, [0, 1]);
  if (depthwise) return s.depthwiseConv2d(input, rotated, { strides: 1, pad });
  return s.conv2d(input, s.transpose(rotated, [0, 1, 3, 2]), { strides: 1, pad });
}

export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): Info {
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    "channelsLast",
  );
  return withScope(backend, (s) => conv2dInputGradient(s, dy, filter, info, false));
}

// ---- Depthwise ----------------------------------------------------------------------------------------

function depthwiseInfo(xShape: number[], filterShape: number[], attrs: Record<string, unknown>): Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    pair(attrs.dilations),
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    true,
  );
}

export function depthwiseConv2dNativeBackpropInput({ inputs, backend, attrs }: KernelArgs): Info {
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const info = depthwiseInfo(attrs.inputShape as number[], filter.shape, attrs);
  const [kh, kw, c, m] = filter.shape as [number, number, number, number];
  return withScope(backend, (s) => {
    if (m === 1) return conv2dInputGradient(s, dy, filter, info, true);
    // dx = Σ_q depthwise-backprop(dy[..., c·m + q], filter[..., q]): split the multiplier out first.
    const [n, ho, wo] = dy.shape as [number, number, number, number];
    const dyByQ = s.transpose(s.reshape(dy, [n, ho, wo, c, m]), [4, 0, 1, 2, 3]); // [m, n, ho, wo, c]
    const filterByQ = s.transpose(filter, [3, 0, 1, 2]); // [m, kh, kw, c]
    const parts: Info[] = [];
    for (let q = 0; q < m; q++) {
      const dyQ = s.reshape(s.slice(dyByQ, [q, 0, 0, 0, 0], [1, n, ho, wo, c]), [n, ho, wo, c]);
      const fQ = s.reshape(s.slice(filterByQ, [q, 0, 0, 0], [1, kh, kw, c]), [kh, kw, c, 1]);
      parts.push(conv2dInputGradient(s, dyQ, fQ, info, true));
    }
    return s.addN(parts);
  });
}

export function depthwiseConv2dNativeBackpropFilter({ inputs, backend, attrs }: KernelArgs): Info {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = depthwiseInfo(x.shape, filterShape, attrs);
  const [kh, kw, c, m] = filterShape;
  const kk = kh * kw;
  return withScope(backend, (s) => {
    // dW[i, j, c, q] = Σ_{n, ho, wo} patches[n, ho, wo, c, (i, j)] · dy[n, ho, wo, c·m + q]
    const [n, ho, wo] = dy.shape as [number, number, number, number];
    const rows = n * ho * wo;
    const patches = s.reshape(extractPatches(s, x, { ...info, inChannels: c }), [rows, c, kk, 1]);
    const products = s.mul(patches, s.reshape(dy, [rows, c, 1, m])); // [rows, c, kk, m]
    const dW = s.matMul(s.constant(new Float32Array(rows).fill(1), [1, rows]), s.reshape(products, [rows, c * kk * m]));
    const byTap = s.transpose(s.reshape(dW, [c, kk, m]), [1, 0, 2]); // [kk, c, m]
    return s.reshape(byTap, [kh, kw, c, m]);
  });
}
