/**
 * Convolution arithmetic in plain TypeScript (float64): a reference 2-D convolution, the output-size formula,
 * TensorFlow's "same" padding and the receptive field of a stack of layers.
 *
 *   conv2d(image, kernel, { strides: 2, padding: "same" });       // [H][W][C_in] ⊛ [k][k][C_in][C_out]
 *   convOutputSize(28, 5, { padding: 2, strides: 1 });            // ⌊(n + 2p − k)/s⌋ + 1 = 28
 *   receptiveField([{ kernel: 3 }, { kernel: 3 }, { kernel: 3 }]).at(-1)!.size;   // 7
 *
 * Conventions are TensorFlow's: NHWC without the batch axis, kernels [height][width][in][out], cross-correlation
 * (no kernel flip), and "same" padding that puts the odd extra row or column at the bottom / right.
 */

/** "valid" (no padding), "same" (output = ⌈n / s⌉, TensorFlow's rule), or p zero rows/columns on every side. */
export type Padding = "valid" | "same" | number;

export interface ConvOptions {
  /** Step between windows; one number for both axes or [vertical, horizontal]. Default 1. */
  strides?: number | [number, number];
  padding?: Padding;
  /** Gap between kernel taps (atrous convolution); the kernel then spans d·(k − 1) + 1 pixels. Default 1. */
  dilation?: number | [number, number];
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === "number" ? [v, v] : v);

function positiveInteger(name: string, value: number, caller: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${caller}: ${name} must be a positive integer, got ${value}`);
}

/** Span of a dilated kernel: d·(k − 1) + 1. */
export function effectiveKernelSize(kernel: number, dilation = 1): number {
  return dilation * (kernel - 1) + 1;
}

/**
 * TensorFlow's "same" padding along one axis: [before, after] zeros so that the output has ⌈n / s⌉ entries;
 * when the total is odd, the extra zero goes after (bottom / right).
 */
export function samePadding(n: number, kernel: number, stride = 1, dilation = 1): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + effectiveKernelSize(kernel, dilation) - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Output length along one axis: ⌊(n + 2p − k_eff) / s⌋ + 1 with k_eff = d·(k − 1) + 1; "valid" is p = 0 and
 * "same" is ⌈n / s⌉. Throws when the kernel does not fit.
 */
export function convOutputSize(n: number, kernel: number, options: { strides?: number; padding?: Padding; dilation?: number } = {}): number {
  const stride = options.strides ?? 1;
  const dilation = options.dilation ?? 1;
  const padding = options.padding ?? "valid";
  [["n", n], ["kernel", kernel], ["strides", stride], ["dilation", dilation]].forEach(([name, v]) =>
    positiveInteger(name as string, v as number, "convOutputSize"));
  if (padding === "same") return Math.ceil(n / stride);
  const p = padding === "valid" ? 0 : padding;
  if (!Number.isInteger(p) || p < 0) throw new RangeError(`convOutputSize: padding must be "valid", "same" or an integer ≥ 0, got ${p}`);
  const span = n + 2 * p - effectiveKernelSize(kernel, dilation);
  if (span < 0) {
    throw new RangeError(`convOutputSize: a kernel spanning ${effectiveKernelSize(kernel, dilation)} does not fit an input of ${n} padded by ${p}`);
  }
  return Math.floor(span / stride) + 1;
}

/**
 * 2-D convolution (cross-correlation, as every deep-learning library defines it) by plain loops in float64.
 * image: [height][width][C_in]; kernel: [k_h][k_w][C_in][C_out]; bias: [C_out] (optional).
 * Returns [H_out][W_out][C_out] with H_out = convOutputSize(height, k_h, …).
 */
export function conv2d(image: number[][][], kernel: number[][][][], options: ConvOptions = {}, bias?: number[]): number[][][] {
  const height = image.length;
  const width = image[0]?.length ?? 0;
  const channels = image[0]?.[0]?.length ?? 0;
  const [kh, kw] = [kernel.length, kernel[0]?.length ?? 0];
  const kernelIn = kernel[0]?.[0]?.length ?? 0;
  const outChannels = kernel[0]?.[0]?.[0]?.length ?? 0;
  if (height === 0 || width === 0 || channels === 0) throw new RangeError("conv2d: image must be a non-empty [height][width][channels] array");
  if (kh === 0 || kw === 0 || outChannels === 0) throw new RangeError("conv2d: kernel must be a non-empty [k_h][k_w][C_in][C_out] array");
  if (kernelIn !== channels) throw new RangeError(`conv2d: kernel expects ${kernelIn} input channels, image has ${channels}`);
  if (bias !== undefined && bias.length !== outChannels) throw new RangeError(`conv2d: bias has ${bias.length} entries, kernel has ${outChannels} output channels`);
  const [sy, sx] = pair(options.strides ?? 1);
  const [dy, dx] = pair(options.dilation ?? 1);
  const padding = options.padding ?? "valid";
  const outH = convOutputSize(height, kh, { strides: sy, padding: padding, dilation: dy });
  const outW = convOutputSize(width, kw, { strides: sx, padding: padding, dilation: dx });
  const top = padding === "same" ? samePadding(height, kh, sy, dy)[0] : padding === "valid" ? 0 : padding;
  const left = padding === "same" ? samePadding(width, kw, sx, dx)[0] : padding === "valid" ? 0 : padding;

  const out: number[][][] = [];
  for (let oy = 0; oy < outH; oy++) {
    const row: number[][] = [];
    for (let ox = 0; ox < outW; ox++) {
      const acc = bias ? [...bias] : new Array<number>(outChannels).fill(0);
      for (let i = 0; i < kh; i++) {
        const y = oy * sy + i * dy - top;
        if (y < 0 || y >= height) continue; // a zero of the padding
        for (let j = 0; j < kw; j++) {
          const x = ox * sx + j * dx - left;
          if (x < 0 || x >= width) continue;
          const pixel = image[y]![x]!;
          const taps = kernel[i]![j]!;
          for (let c = 0; c < channels; c++) {
            const v = pixel[c]!;
            const w = taps[c]!;
            for (let o = 0; o < outChannels; o++) acc[o]! += v * w[o]!;
          }
        }
      }
      row.push(acc);
    }
    out.push(row);
  }
  return out;
}

/** One layer of a stack, as far as geometry goes: a convolution or a pooling window. */
export interface ReceptiveFieldLayer {
  kernel: number;
  /** Default 1. */
  stride?: number;
  /** Default 1. */
  dilation?: number;
}

export interface ReceptiveFieldStep {
  /** Input pixels (along one axis) that one output unit of this layer sees. */
  size: number;
  /** Input pixels between neighbouring units of this layer: the product of the strides so far. */
  jump: number;
}

/**
 * Receptive field after each layer, by the recurrence r_l = r_{l−1} + (k_l − 1)·d_l·j_{l−1}, j_l = j_{l−1}·s_l
 * with r_0 = j_0 = 1. It is the span of input pixels that can influence one unit; with dilations or
 * kernels smaller than the stride, some pixels inside the span may not (gaps).
 */
export function receptiveField(layers: readonly ReceptiveFieldLayer[]): ReceptiveFieldStep[] {
  let size = 1;
  let jump = 1;
  return layers.map((layer, l) => {
    const stride = layer.stride ?? 1;
    const dilation = layer.dilation ?? 1;
    positiveInteger(`layers[${l}].kernel`, layer.kernel, "receptiveField");
    positiveInteger(`layers[${l}].stride`, stride, "receptiveField");
    positiveInteger(`layers[${l}].dilation`, dilation, "receptiveField");
    size += (layer.kernel - 1) * dilation * jump;
    jump *= stride;
    return { size: size, jump: jump };
  });
}
