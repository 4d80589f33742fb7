/**
 * UnsortedSegmentSum for the wasm backend — the gradient of `gather`, so of every Embedding layer.
 *
 * out[s, …] = Σ_{i : ids[i] = s} x[i, …] is exactly a ScatterNd of the rows of x to the indices ids (ScatterNd adds
 * updates that share an index), which tfjs-backend-wasm runs in C++. Its ScatterNd does not check bounds, so the ids
 * are checked here: TensorFlow drops rows with a negative or too large id, and so does this kernel, by giving those
 * rows to an extra segment that is sliced off.
 */
import { Backend, Info, withScope } from "./scope";

interface KernelArgs {
  inputs: Record<string, Info>;
  backend: Backend;
  attrs: Record<string, unknown>;
}

export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): Info {
  const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
  const numSegments = Number(attrs.numSegments);
  const idsRank = segmentIds.shape.length;
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(idsRank);
  return withScope(backend, (s) => {
    let ids = s.reshape(segmentIds.dtype === "int32" ? segmentIds : s.cast(segmentIds, "int32"), [rows, 1]);
    const values = s.read(ids) as Int32Array;
    let outOfRange = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < 0 || v >= numSegments) {
        outOfRange = true;
        break;
      }
    }
    const segments = outOfRange ? numSegments + 1 : numSegments;
    if (outOfRange) {
      const fixed = Int32Array.from(values, (v) => (v < 0 || v >= numSegments ? numSegments : v));
      ids = s.constant(fixed, [rows, 1], "int32");
    }
    const updates = s.reshape(x, [rows, ...inner]);
    const summed = s.run("ScatterNd", { indices: ids, updates }, { shape: [segments, ...inner] });
    if (!outOfRange) return summed;
    return s.slice(summed, [0, ...inner.map(() => 0)], [numSegments, ...inner]);
  });
}
