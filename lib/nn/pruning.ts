/**
 * Unstructured magnitude pruning: zero the fraction `sparsity` of a tensor's weights with the smallest |w|.
 *
 *   const mask = magnitudePruneMask(values, 0.5);              // Uint8Array, 1 = kept; exactly round(0.5·n) zeros
 *   const { report, restore } = pruneModelWeights(model, 0.9); // every kernel (rank ≥ 2) of model, in place
 *   … evaluate …; restore();                                   // the dense weights back, bit for bit
 *
 * The count of pruned weights is exactly round(sparsity · n) per tensor: ties in |w| are broken by position, so
 * the target is met even when many weights are equal (a threshold "|w| < t" would prune all or none of a tie).
 */
import { tf } from "../tf";
import { writeWeightValues } from "./weights";

export function magnitudePruneMask(values: ArrayLike<number>, sparsity: number): Uint8Array {
  if (!(sparsity >= 0 && sparsity <= 1)) throw new RangeError(`magnitudePruneMask: sparsity must be in [0, 1], got ${sparsity}`);
  const n = values.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i]!)) throw new RangeError(`magnitudePruneMask: value ${i} is ${values[i]} (weights must be finite)`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(values[a]!) - Math.abs(values[b]!) || a - b);
  const mask = new Uint8Array(n).fill(1);
  const pruned = Math.round(sparsity * n);
  for (let k = 0; k < pruned; k++) mask[order[k]!] = 0;
  return mask;
}

export interface PruningReport {
  /** Weights of the pruned tensors, and how many of them are now zero. */
  prunableWeights: number;
  zeroedWeights: number;
  /** Per pruned tensor: its name, size and zeros after pruning. */
  tensors: { name: string; size: number; zeros: number }[];
}

/**
 * Prunes every weight tensor of rank ≥ minRank (default 2: kernels, not biases) to `sparsity`, per tensor (layer-wise
 * magnitude pruning). `restore()` writes the original weights back.
 */
export function pruneModelWeights(model: tf.LayersModel, sparsity: number, options: { minRank?: number } = {}): { report: PruningReport; restore: () => void } {
  const minRank = options.minRank ?? 2;
  if (!Number.isInteger(minRank) || minRank < 1) throw new RangeError(`pruneModelWeights: minRank must be an integer ≥ 1, got ${minRank}`);
  const variables = model.weights.filter((v) => v.shape.length >= minRank);
  const originals = variables.map((v) => v.read().dataSync().slice() as Float32Array);
  const report: PruningReport = { prunableWeights: 0, zeroedWeights: 0, tensors: [] };
  const pruned = originals.map((values, i) => {
    const mask = magnitudePruneMask(values, sparsity);
    const out = values.map((w, j) => (mask[j] ? w : 0));
    const zeros = out.reduce((count, w) => count + (w === 0 ? 1 : 0), 0);
    report.tensors.push({ name: variables[i]!.name, size: values.length, zeros });
    report.prunableWeights += values.length;
    report.zeroedWeights += zeros;
    return out;
  });
  writeWeightValues(variables, pruned);
  let restored = false;
  return {
    report,
    restore: () => {
      if (restored) throw new Error("pruneModelWeights: restore() was already called");
      writeWeightValues(variables, originals);
      restored = true;
    },
  };
}

