/**
 * What a layer costs: its parameters and its multiply-accumulates (MACs) per example, from the layer's
 * configuration and shapes alone (never from its weights, so `countParams()` is an independent check).
 *
 *   convParams(3, 32, 64);                        // k²·C_in·C_out + C_out = 18,496
 *   convMacs({ outHeight: 16, outWidth: 16, kernel: 3, inChannels: 32, outChannels: 64 }); // 4,718,592
 *   modelCost(model).macs;                        // Σ over the layers, one example
 *
 * Conventions (those of fvcore, ptflops and most papers): one MAC is one multiply and one add; FLOPs are
 * reported as 2 × MACs; every kernel tap counts, including taps that land on zero padding (a dense
 * implementation multiplies them too); biases, activations, pooling and batch normalization count 0 MACs
 * (at inference batch normalization folds into the preceding convolution).
 */
import { tf } from "../tf";

function checkCount(caller: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${caller}: ${name} must be a positive integer, got ${value}`);
}

/** k×k convolution, C_in → C_out: k²·C_in·C_out weights (+ C_out biases). */
export function convParams(kernel: number, inChannels: number, outChannels: number, options: { bias?: boolean } = {}): number {
  [["kernel", kernel], ["inChannels", inChannels], ["outChannels", outChannels]].forEach(([n, v]) => checkCount("convParams", n as string, v as number));
  return kernel * kernel * inChannels * outChannels + (options.bias ?? true ? outChannels : 0);
}

/** Depthwise k×k (depth multiplier m) then 1×1 pointwise: k²·C_in·m + C_in·m·C_out (+ C_out biases). */
export function separableParams(kernel: number, inChannels: number, outChannels: number, options: { depthMultiplier?: number; bias?: boolean } = {}): number {
  const m = options.depthMultiplier ?? 1;
  [["kernel", kernel], ["inChannels", inChannels], ["outChannels", outChannels], ["depthMultiplier", m]].forEach(([n, v]) => checkCount("separableParams", n as string, v as number));
  return kernel * kernel * inChannels * m + inChannels * m * outChannels + (options.bias ?? true ? outChannels : 0);
}

/** Dense n_in → n_out: n_in·n_out weights (+ n_out biases). */
export function denseParams(inputs: number, units: number, options: { bias?: boolean } = {}): number {
  checkCount("denseParams", "inputs", inputs);
  checkCount("denseParams", "units", units);
  return inputs * units + (options.bias ?? true ? units : 0);
}

/** MACs of a convolution: one k_h·k_w·C_in dot product per output pixel and output channel. */
export function convMacs(shape: { outHeight: number; outWidth: number; kernel: number | [number, number]; inChannels: number; outChannels: number }): number {
  const [kh, kw] = typeof shape.kernel === "number" ? [shape.kernel, shape.kernel] : shape.kernel;
  const counts: [string, number][] = [["outHeight", shape.outHeight], ["outWidth", shape.outWidth], ["kernel height", kh], ["kernel width", kw],
    ["inChannels", shape.inChannels], ["outChannels", shape.outChannels]];
  counts.forEach(([n, v]) => checkCount("convMacs", n, v));
  return shape.outHeight * shape.outWidth * kh * kw * shape.inChannels * shape.outChannels;
}

/** One layer's cost per example. */
export interface LayerCost {
  name: string;
  className: string;
  /** Output shape without the batch axis. */
  outputShape: number[];
  params: number;
  macs: number;
}

/** Layers without weights whose work this counter ignores (data movement, element-wise, pooling). */
const FREE_LAYERS = new Set([
  "InputLayer", "Flatten", "Reshape", "Activation", "ReLU", "LeakyReLU", "Softmax", "Dropout", "SpatialDropout2D",
  "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "ZeroPadding2D", "Cropping2D",
  "UpSampling2D", "Concatenate", "Add", "Multiply", "Permute",
]);

const pairOf = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)]);
const shapeOf = (s: tf.Shape | tf.Shape[]): number[] => (s as (number | null)[]).slice(1).map(Number);
const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** Parameters and MACs of one built layer (it must have been applied to an input, e.g. inside a model). */
export function layerCost(layer: tf.layers.Layer): LayerCost {
  const className = layer.getClassName();
  const config = layer.getConfig() as Record<string, unknown>;
  let output: number[];
  let input: number[];
  try {
    output = shapeOf(layer.outputShape);
    input = Array.isArray(layer.input) ? [] : shapeOf((layer.input as tf.SymbolicTensor).shape);
  } catch {
    throw new Error(`layerCost: layer "${layer.name}" (${className}) is not built; put it in a model or apply it to an input first`);
  }
  const bias = config["useBias"] !== false;
  const cIn = input[input.length - 1]!;
  const cost = (params: number, macs: number): LayerCost => ({ name: layer.name, className, outputShape: output, params, macs });
  switch (className) {
    case "Conv2D": {
      const [kh, kw] = pairOf(config["kernelSize"]);
      const filters = Number(config["filters"]);
      return cost(kh * kw * cIn * filters + (bias ? filters : 0), convMacs({ outHeight: output[0]!, outWidth: output[1]!, kernel: [kh, kw], inChannels: cIn, outChannels: filters }));
    }
    case "DepthwiseConv2D": {
      const [kh, kw] = pairOf(config["kernelSize"]);
      const m = Number(config["depthMultiplier"] ?? 1);
      return cost(kh * kw * cIn * m + (bias ? cIn * m : 0), output[0]! * output[1]! * kh * kw * cIn * m);
    }
    case "SeparableConv2D": {
      const [kh, kw] = pairOf(config["kernelSize"]);
      const m = Number(config["depthMultiplier"] ?? 1);
      const filters = Number(config["filters"]);
      return cost(kh * kw * cIn * m + cIn * m * filters + (bias ? filters : 0), output[0]! * output[1]! * (kh * kw * cIn * m + cIn * m * filters));
    }
    case "Conv2DTranspose": {
      // Each input pixel scatters a k_h·k_w·C_out block: H_in·W_in·k_h·k_w·C_in·C_out.
      const [kh, kw] = pairOf(config["kernelSize"]);
      const filters = Number(config["filters"]);
      return cost(kh * kw * cIn * filters + (bias ? filters : 0), input[0]! * input[1]! * kh * kw * cIn * filters);
    }
    case "Dense": {
      const units = Number(config["units"]);
      return cost(cIn * units + (bias ? units : 0), (product(input) / cIn) * cIn * units);
    }
    case "BatchNormalization": {
      const channels = output[output.length - 1]!;
      const affine = (config["scale"] !== false ? channels : 0) + (config["center"] !== false ? channels : 0);
      return cost(affine + 2 * channels, 0);
    }
    default:
      if (FREE_LAYERS.has(className)) return cost(0, 0);
      throw new Error(`layerCost: no cost rule for layer "${layer.name}" of class ${className}`);
  }
}

/** Every layer's cost and the totals; FLOPs = 2 × MACs. */
export function modelCost(model: tf.LayersModel): { layers: LayerCost[]; params: number; macs: number; flops: number } {
  const layers = model.layers.map(layerCost);
  const macs = layers.reduce((s, l) => s + l.macs, 0);
  return { layers, params: layers.reduce((s, l) => s + l.params, 0), macs, flops: 2 * macs };
}
