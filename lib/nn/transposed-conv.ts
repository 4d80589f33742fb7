/**
 * Transposed convolution ("deconvolution", fractionally strided convolution) in float64 by an explicit
 * scatter loop, with TensorFlow's conventions: the adjoint of `conv2d` (lib/nn/conv.ts) with the same
 * kernel, strides and padding, i.e. the gradient of that convolution with respect to its input.
 *
 *   conv2dTranspose(dy, kernel, { outputSize: [7, 7], strides: 2, padding: "same" });
 *   convTransposeOutputSize(4, 3, { strides: 2, padding: "valid" });   // (n − 1)·s + k = 9 (Keras' rule)
 *
 * kernel: [k_h][k_w][C_in][C_out] of the *forward* convolution, which maps C_in → C_out; the transpose maps
 * C_out → C_in. (tf.conv2dTranspose takes the same array, [k_h, k_w, outDepth, inDepth].)
 */
import { samePadding } from "./conv";

function positiveInteger(caller: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${caller}: ${name} must be a positive integer, got ${value}`);
}

/**
 * Output length of a transposed convolution along one axis, Keras' Conv2DTranspose rule (no output padding):
 * "valid": n·s + max(k − s, 0), which is (n − 1)·s + k when k ≥ s; "same": n·s.
 */
export function convTransposeOutputSize(n: number, kernel: number, options: { strides?: number; padding?: "valid" | "same" } = {}): number {
  const stride = options.strides ?? 1;
  positiveInteger("convTransposeOutputSize", "n", n);
  positiveInteger("convTransposeOutputSize", "kernel", kernel);
  positiveInteger("convTransposeOutputSize", "strides", stride);
  const padding = options.padding ?? "valid";
  if (padding !== "valid" && padding !== "same") throw new RangeError(`convTransposeOutputSize: padding must be "valid" or "same", got ${String(padding)}`);
  return padding === "same" ? n * stride : n * stride + Math.max(kernel - stride, 0);
}

/**
 * Scatter each input pixel's channel vector, multiplied by the kernel, into a k_h × k_w block of the output,
 * blocks `strides` apart; then crop the forward convolution's padding.
 * input: [H][W][C_out] (the forward conv's output shape); returns [outputSize[0]][outputSize[1]][C_in].
 * outputSize is the forward convolution's input size (default: convTransposeOutputSize per axis).
 */
export function conv2dTranspose(
  input: number[][][],
  kernel: number[][][][],
  options: { strides?: number; padding?: "valid" | "same"; outputSize?: [number, number] } = {},
): number[][][] {
  const stride = options.strides ?? 1;
  const padding = options.padding ?? "valid";
  positiveInteger("conv2dTranspose", "strides", stride);
  const h = input.length;
  const w = input[0]?.length ?? 0;
  if (h === 0 || w === 0) throw new RangeError("conv2dTranspose: input must be a non-empty [H][W][C] array");
  const kh = kernel.length;
  const kw = kernel[0]?.length ?? 0;
  const cIn = kernel[0]?.[0]?.length ?? 0;
  const cOut = kernel[0]?.[0]?.[0]?.length ?? 0;
  if (kh === 0 || kw === 0 || cIn === 0 || cOut === 0) throw new RangeError("conv2dTranspose: kernel must be a non-empty [k_h][k_w][C_in][C_out] array");
  if (input[0]![0]!.length !== cOut) {
    throw new RangeError(`conv2dTranspose: input has ${input[0]![0]!.length} channels but the kernel's C_out is ${cOut}`);
  }
  const [outH, outW] = options.outputSize ?? [convTransposeOutputSize(h, kh, { strides: stride, padding }), convTransposeOutputSize(w, kw, { strides: stride, padding })];
  // The forward convolution from [outH][outW] must produce exactly [h][w].
  const forwardSize = (n: number, k: number) => (padding === "same" ? Math.ceil(n / stride) : n >= k ? Math.floor((n - k) / stride) + 1 : 0);
  if (forwardSize(outH, kh) !== h || forwardSize(outW, kw) !== w) {
    throw new RangeError(`conv2dTranspose: outputSize ${outH}×${outW} does not convolve (k ${kh}×${kw}, stride ${stride}, ${padding}) to the input's ${h}×${w}`);
  }
  const top = padding === "same" ? samePadding(outH, kh, stride)[0] : 0;
  const left = padding === "same" ? samePadding(outW, kw, stride)[0] : 0;
  const out = Array.from({ length: outH }, () => Array.from({ length: outW }, () => new Array<number>(cIn).fill(0)));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const oy = y * stride + i - top;
          const ox = x * stride + j - left;
          if (oy < 0 || oy >= outH || ox < 0 || ox >= outW) continue; // landed in the padding: cropped
          for (let c = 0; c < cIn; c++) {
            let sum = 0;
            for (let o = 0; o < cOut; o++) sum += input[y]![x]![o]! * kernel[i]![j]![c]![o]!;
            out[oy]![ox]![c]! += sum;
          }
        }
      }
    }
  }
  return out;
}

/** How many kernel taps land on each output position of a 1-D transposed convolution (n inputs, kernel k, stride s, "valid"). */
export function transposeOverlap(n: number, kernel: number, stride: number): number[] {
  const out = new Array<number>(convTransposeOutputSize(n, kernel, { strides: stride })).fill(0);
  for (let x = 0; x < n; x++) for (let j = 0; j < kernel; j++) out[x * stride + j]! += 1;
  return out;
}
