/**
 * Random designs for checks against closed forms (notebook 05): an orthonormal design matrix, on which ridge,
 * the lasso and the elastic net have closed-form solutions, and Laplace draws (the lasso's prior).
 *
 *   const Q = orthonormalDesign(50, 4, new Random(0));   // QᵀQ = 50·I
 *   const w = laplaceSample(rng, 0.5);                    // density e^{−|w|/0.5} / (2·0.5)
 */
import type { Random } from "../random";

/** n rows, d orthogonal columns with ‖column‖² = n (XᵀX = nI), by Gram–Schmidt on Gaussian columns; needs 1 ≤ d ≤ n. */
export function orthonormalDesign(n: number, d: number, rng: Random): number[][] {
  if (!Number.isInteger(n) || !Number.isInteger(d) || d < 1 || d > n) {
    throw new RangeError(`orthonormalDesign: need integers 1 ≤ d ≤ n, got n = ${n}, d = ${d}`);
  }
  const columns: number[][] = [];
  for (let j = 0; j < d; j++) {
    let column = rng.array(n, (r) => r.normal());
    for (const q of columns) {
      const projection = column.reduce((s, v, i) => s + v * q[i]!, 0) / n;
      column = column.map((v, i) => v - projection * q[i]!);
    }
    const norm = Math.sqrt(column.reduce((s, v) => s + v * v, 0) / n);
    columns.push(column.map((v) => v / norm));
  }
  return Array.from({ length: n }, (_, i) => columns.map((column) => column[i]!));
}

/** One Laplace-distributed draw with scale b > 0: an exponential magnitude with a random sign. */
export function laplaceSample(rng: Random, b: number): number {
  if (!(b > 0) || !Number.isFinite(b)) throw new RangeError(`laplaceSample: scale b must be a finite number > 0, got ${b}`);
  return (rng.random() < 0.5 ? -1 : 1) * -b * Math.log(1 - rng.random());
}
