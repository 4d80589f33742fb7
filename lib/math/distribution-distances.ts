/**
 * How far a sample is from a distribution, or one Gaussian from another: the standard normal CDF, the one-sample
 * Kolmogorov–Smirnov statistic, and the Fréchet (2-Wasserstein) distance between Gaussians that FID applies to
 * Inception features.
 */
import { matMul, symmetricEigen, type Matrix, type Vector } from "./linalg";

/** erf(x) by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7). */
function erf(x: number): number {
  const sign = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** Φ((x − mean)/std), the normal CDF (absolute error < 1e-7). */
export function normalCdf(x: number, mean = 0, std = 1): number {
  if (!(std > 0)) throw new RangeError(`normalCdf: std must be > 0, got ${std}`);
  return 0.5 * (1 + erf((x - mean) / (std * Math.SQRT2)));
}

/** sup_x |F_n(x) − F(x)| for the empirical CDF F_n of `samples` against a continuous CDF F. */
export function ksStatistic(samples: readonly number[], cdf: (x: number) => number): number {
  if (samples.length === 0) throw new RangeError("ksStatistic: samples is empty");
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new RangeError(`ksStatistic: a sample is not finite (${x})`);
    const f = cdf(x);
    // F_n jumps from i/n to (i + 1)/n at x: the gap is largest just before or just after the jump.
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  });
  return d;
}

/** The symmetric positive semi-definite square root, by eigendecomposition (negative round-off eigenvalues → 0). */
function sqrtPsd(a: Matrix): Matrix {
  const { values, vectors } = symmetricEigen(a);
  const n = a.length;
  // vectors[:, k] is the k-th eigenvector.
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) =>
    values.reduce((s, v, k) => s + vectors[i]![k]! * Math.sqrt(Math.max(v, 0)) * vectors[j]![k]!, 0)));
}

/**
 * d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½), the squared Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂)
 * (FID is this between Gaussians fitted to Inception features of real and generated images).
 */
export function frechetDistance(mean1: Vector, cov1: Matrix, mean2: Vector, cov2: Matrix): number {
  const d = mean1.length;
  for (const [name, m] of [["cov1", cov1], ["cov2", cov2]] as const) {
    if (m.length !== d || m.some((row) => row.length !== d)) throw new RangeError(`frechetDistance: ${name} must be ${d}×${d} to match mean1`);
  }
  if (mean2.length !== d) throw new RangeError(`frechetDistance: mean2 has ${mean2.length} entries, mean1 has ${d}`);
  const root1 = sqrtPsd(cov1);
  const product = matMul(matMul(root1, cov2), root1);
  // Symmetric in exact arithmetic; average with its transpose so that round-off does not break the eigensolver.
  const cross = sqrtPsd(product.map((row, i) => row.map((v, j) => (v + product[j]![i]!) / 2)));
  const trace = (m: Matrix) => m.reduce((s, row, i) => s + row[i]!, 0);
  return mean1.reduce((s, v, i) => s + (v - mean2[i]!) ** 2, 0) + trace(cov1) + trace(cov2) - 2 * trace(cross);
}
