/**
 * The empirical receptive field: which input pixels reach one output unit, read off the support of an
 * autodiff gradient (the closed form is `receptiveField` in lib/nn/conv.ts).
 *
 *   const gradient = centreGradient([{ op: "conv", kernel: 3 }, { op: "conv", kernel: 3 }]);   // [31][31]
 *   gradientSupport(gradient);   // { height: 5, width: 5, nonZero: 25 }
 *
 * Single channel, all-ones kernels, no non-linearities, average pooling for pooling: no path can cancel
 * another, so a pixel's gradient is the (positive) number of paths from it to the unit, and it is non-zero
 * exactly when the pixel is in the receptive field. "valid" padding, so no field touches the border.
 */
import { tf } from "../tf";
import type { ReceptiveFieldLayer } from "./conv";

export type StackLayer = ReceptiveFieldLayer & { op: "conv" | "avgPool" };

/**
 * A dilated all-ones k×k kernel written as an ordinary kernel of size d·(k − 1) + 1 with zeros between the
 * taps: the same convolution, in a form TF.js can differentiate (it has no gradient for dilation > 1).
 */
export function dilatedOnesKernel(kernel: number, dilation: number): tf.Tensor4D {
  if (!Number.isInteger(kernel) || kernel < 1) throw new RangeError(`dilatedOnesKernel: kernel must be a positive integer, got ${kernel}`);
  if (!Number.isInteger(dilation) || dilation < 1) throw new RangeError(`dilatedOnesKernel: dilation must be a positive integer, got ${dilation}`);
  const span = dilation * (kernel - 1) + 1;
  const tap = (i: number) => i % dilation === 0;
  return tf.tensor4d(Array.from({ length: span * span }, (_, i) => (tap(Math.floor(i / span)) && tap(i % span) ? 1 : 0)), [span, span, 1, 1]);
}

/** ∂(centre output unit)/∂input for the stack on an inputSize × inputSize single-channel input: [inputSize][inputSize]. */
export function centreGradient(stack: readonly StackLayer[], inputSize = 31): number[][] {
  if (stack.length === 0) throw new RangeError("centreGradient: the stack is empty");
  return tf.tidy(() => {
    const forward = (x: tf.Tensor) => {
      let h = x as tf.Tensor4D;
      stack.forEach((layer, l) => {
        if (layer.op !== "conv" && layer.op !== "avgPool") throw new RangeError(`centreGradient: stack[${l}].op must be "conv" or "avgPool", got ${String(layer.op)}`);
        if (h.shape[1] < (layer.dilation ?? 1) * (layer.kernel - 1) + 1) throw new RangeError(`centreGradient: stack[${l}] does not fit a ${h.shape[1]}-pixel input; use a larger inputSize`);
        h = layer.op === "conv"
          ? tf.conv2d(h, dilatedOnesKernel(layer.kernel, layer.dilation ?? 1), layer.stride ?? 1, "valid")
          : tf.avgPool(h, layer.kernel, layer.stride ?? 1, "valid");
      });
      const centre = Math.floor((h.shape[1] - 1) / 2);
      return h.slice([0, centre, centre, 0], [1, 1, 1, 1]).sum();
    };
    return tf.grad(forward)(tf.zeros([1, inputSize, inputSize, 1])).reshape([inputSize, inputSize]).arraySync() as number[][];
  });
}

/** Bounding-box size of the non-zero entries (rows and columns) and how many are non-zero. */
export function gradientSupport(gradient: number[][]): { height: number; width: number; nonZero: number } {
  const rows = gradient.flatMap((row, y) => (row.some((v) => v !== 0) ? [y] : []));
  const cols = (gradient[0] ?? []).flatMap((_, x) => (gradient.some((row) => row[x] !== 0) ? [x] : []));
  if (rows.length === 0) return { height: 0, width: 0, nonZero: 0 };
  return { height: rows[rows.length - 1]! - rows[0]! + 1, width: cols[cols.length - 1]! - cols[0]! + 1, nonZero: gradient.flat().filter((v) => v !== 0).length };
}
