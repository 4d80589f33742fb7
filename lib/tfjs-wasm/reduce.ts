/**
 * Sum and Mean over leading axes on the wasm backend — every bias gradient (sum of dy over batch and positions) and
 * batch-norm's moments.
 *
 * tfjs-backend-wasm reduces only over the innermost axes, so for leading axes it first transposes the whole tensor
 * with a generic C++ loop (1–30 ms for a conv layer's dy). An XNNPACK average pool whose window covers the leading
 * axes computes the same reduction 4–30× faster: x [R, S] seen as an image [1, R, 1, S] pooled with an R×1 window is
 * the column mean (then × R for the sum). XNNPACK's pooling keeps a per-channel buffer on the stack, so at most
 * MAX_POOL_CHANNELS channels go in one call: wider rows are split as [1, R, S / c, c].
 */
import { Backend, Info, NATIVE_WASM, withScope } from "./scope";

interface KernelArgs {
  inputs: Record<string, Info>;
  backend: Backend;
  attrs: Record<string, unknown>;
}

export const MAX_POOL_CHANNELS = 4096;

function normalizeAxes(axis: unknown, rank: number): number[] {
  const list = axis == null ? Array.from({ length: rank }, (_, i) => i) : Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (Number(a) < 0 ? Number(a) + rank : Number(a))))].sort((a, b) => a - b);
}

/** The largest divisor of n that is at most `limit`. */
function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.min(n, limit); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

function reduceLeading(kind: "Sum" | "Mean") {
  return ({ inputs, backend, attrs }: KernelArgs): Info => {
    const native = () => NATIVE_WASM.get(kind)!({ inputs, backend, attrs: attrs as never }) as Info;
    const { x } = inputs as { x: Info };
    const rank = x.shape.length;
    const axes = normalizeAxes(attrs.axis, rank);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== "float32" || !leading) return native();
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const rest = x.shape.slice(axes.length);
    const width = rest.reduce((a, b) => a * b, 1);
    if (rows <= 1 || width === 0) return native();
    const channels = width <= MAX_POOL_CHANNELS ? width : largestDivisorAtMost(width, MAX_POOL_CHANNELS);
    if (channels < 64 && width > MAX_POOL_CHANNELS) return native();
    const outShape = attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest;
    return withScope(backend, (s) => {
      const image = s.reshape(x, [1, rows, width / channels, channels]);
      const mean = s.run("AvgPool", { x: image }, { filterSize: [rows, 1], strides: [1, 1], pad: "valid" });
      const result = kind === "Mean" ? mean : s.mul(mean, s.constant(new Float32Array([rows]), []));
      return s.reshape(result, outShape);
    });
  };
}

export const sumLeading = reduceLeading("Sum");
export const meanLeading = reduceLeading("Mean");
