/**
 * Symmetric int8 weight quantization (post-training, weight-only), per tensor or per channel:
 *
 *   scale = max |w| / 127      (over the whole tensor, or over each slice along `axis`)
 *   q     = round(w / scale)   an integer in [−127, 127], stored as int8 (1 byte instead of float32's 4)
 *   w'    = q · scale          what the model computes with; |w − w'| ≤ scale / 2
 *
 *   const q = quantizeInt8(values, [64, 256], { axis: -1 });   // one scale per output channel of a Dense kernel
 *   dequantizeInt8(q);                                         // Float32Array, the same layout as values
 *   const { report, restore } = quantizeModelWeights(model, { granularity: "per-channel" });
 *   … evaluate the quantized model …; restore();               // the float weights back, bit for bit
 *
 * Per channel (one scale per output unit, the last axis of a Dense [in, out] or conv [kh, kw, in, out] kernel)
 * keeps a channel of small weights from being rounded to zero by one large weight elsewhere in the tensor. A
 * slice that is all zeros gets scale 0 and dequantizes to zeros exactly.
 */
import { tf } from "../tf";
import { writeWeightValues } from "./weights";

export interface Int8Quantized {
  shape: number[];
  /** The channel axis (≥ 0), or null for one scale for the whole tensor. */
  axis: number | null;
  /** One scale per channel (index along `axis`), or one. */
  scales: number[];
  /** The integers, in the row-major order of the original values. */
  values: Int8Array;
}

export interface QuantizeInt8Options {
  /** Per-channel along this axis (negative counts from the end: −1 is the last); omitted: per tensor. */
  axis?: number;
}

export const INT8_LEVELS = 127;

export function quantizeInt8(values: ArrayLike<number>, shape: readonly number[], options: QuantizeInt8Options = {}): Int8Quantized {
  const { channels, channelOf, axis } = channelLayout(values.length, shape, options.axis, "quantizeInt8");
  const maxAbs = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) {
    const w = values[i]!;
    if (!Number.isFinite(w)) throw new RangeError(`quantizeInt8: value ${i} is ${w} (weights must be finite)`);
    const c = channelOf(i);
    if (Math.abs(w) > maxAbs[c]!) maxAbs[c] = Math.abs(w);
  }
  const scales = maxAbs.map((m) => m / INT8_LEVELS);
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const scale = scales[channelOf(i)]!;
    if (scale === 0) continue;
    const w = values[i]!;
    // Half away from zero, so that w and −w quantize symmetrically; |q| ≤ 127 because |w| ≤ 127·scale.
    q[i] = Math.sign(w) * Math.min(INT8_LEVELS, Math.round(Math.abs(w) / scale));
  }
  return { shape: [...shape], axis, scales, values: q };
}

export function dequantizeInt8(quantized: Int8Quantized): Float32Array {
  const { channelOf } = channelLayout(quantized.values.length, quantized.shape, quantized.axis ?? undefined, "dequantizeInt8");
  const out = new Float32Array(quantized.values.length);
  for (let i = 0; i < out.length; i++) out[i] = quantized.values[i]! * quantized.scales[channelOf(i)]!;
  return out;
}

export interface QuantizedWeightReport {
  name: string;
  shape: number[];
  /** Largest |w − w'| over the tensor. */
  maxError: number;
  /** Largest scale / 2 over the tensor's channels (the bound on maxError, up to float32 rounding of w'). */
  maxHalfScale: number;
}

export interface ModelQuantizationReport {
  weights: QuantizedWeightReport[];
  /** Parameters stored as int8 (the matrices) and kept in float32 (biases, LayerNorm scales and shifts). */
  int8Parameters: number;
  floatParameters: number;
  /** Bytes of the stored model: int8 values + float32 scales + float32 kept weights, and the all-float32 size. */
  bytes: number;
  float32Bytes: number;
}

export interface ModelQuantizationOptions {
  /** One scale per tensor, or per output channel (the last axis). */
  granularity: "per-tensor" | "per-channel";
  /** Quantize weights of at least this rank (default 2: kernels and embedding tables, not biases or norms). */
  minRank?: number;
}

/**
 * Replaces every weight of rank ≥ minRank in `model` by its int8 round trip w' (fake quantization: the model then
 * computes exactly what an int8-weight model with float32 scales computes). `restore()` writes the original float
 * weights back. Nothing else about the model changes.
 */
export function quantizeModelWeights(model: tf.LayersModel, options: ModelQuantizationOptions): { report: ModelQuantizationReport; restore: () => void } {
  const { granularity, minRank = 2 } = options;
  if (granularity !== "per-tensor" && granularity !== "per-channel") throw new RangeError(`quantizeModelWeights: granularity must be "per-tensor" or "per-channel", got ${String(granularity)}`);
  if (!Number.isInteger(minRank) || minRank < 1) throw new RangeError(`quantizeModelWeights: minRank must be an integer ≥ 1, got ${minRank}`);
  const variables = model.weights;
  const originals = variables.map((v) => v.read().dataSync().slice() as Float32Array);
  const report: ModelQuantizationReport = { weights: [], int8Parameters: 0, floatParameters: 0, bytes: 0, float32Bytes: 0 };
  const replaced = variables.map((variable, i) => {
    const shape = variable.shape as number[];
    const original = originals[i]!;
    report.float32Bytes += 4 * original.length;
    if (shape.length < minRank) {
      report.floatParameters += original.length;
      report.bytes += 4 * original.length;
      return null;
    }
    const quantized = quantizeInt8(original, shape, granularity === "per-channel" ? { axis: -1 } : {});
    const roundTrip = dequantizeInt8(quantized);
    let maxError = 0;
    for (let j = 0; j < original.length; j++) maxError = Math.max(maxError, Math.abs(original[j]! - roundTrip[j]!));
    report.weights.push({ name: variable.name, shape, maxError, maxHalfScale: Math.max(...quantized.scales) / 2 });
    report.int8Parameters += original.length;
    report.bytes += original.length + 4 * quantized.scales.length;
    return roundTrip;
  });
  writeWeightValues(variables, replaced);
  let restored = false;
  return {
    report,
    restore: () => {
      if (restored) throw new Error("quantizeModelWeights: restore() was already called");
      writeWeightValues(variables, originals.map((values, i) => (replaced[i] ? values : null)));
      restored = true;
    },
  };
}

/** How flat index i maps to its channel, for one scale per tensor (axis undefined) or per slice along axis. */
function channelLayout(length: number, shape: readonly number[], axisOption: number | undefined, caller: string) {
  if (!shape.every((n) => Number.isInteger(n) && n >= 1)) throw new RangeError(`${caller}: shape must be positive integers, got [${shape}]`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== length) throw new RangeError(`${caller}: shape [${shape}] holds ${size} values, got ${length}`);
  if (axisOption === undefined) return { channels: 1, channelOf: (_: number) => 0, axis: null };
  const axis = axisOption < 0 ? shape.length + axisOption : axisOption;
  if (!Number.isInteger(axisOption) || axis < 0 || axis >= shape.length) throw new RangeError(`${caller}: axis ${axisOption} is outside a shape of rank ${shape.length}`);
  const channels = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return { channels, channelOf: (i: number) => Math.floor(i / inner) % channels, axis };
}
