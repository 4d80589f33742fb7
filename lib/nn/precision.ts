/**
 * IEEE 754 half precision (float16), for the arithmetic of mixed-precision training, in plain numbers:
 *
 *   roundToFloat16(70000);   // Infinity: above the largest float16, 65504
 *   roundToFloat16(1e-8);    // 0: below half the smallest subnormal, 2^−24 ≈ 5.96e−8 (a gradient lost: underflow)
 *   roundToFloat16(1 + 2 ** -11); // 1: 10 mantissa bits, ties to even
 *
 * float16 has 1 sign bit, 5 exponent bits (bias 15) and 10 mantissa bits.
 */
export const FLOAT16_MAX = 65504; // (2 − 2^−10) · 2^15
export const FLOAT16_MIN_NORMAL = 2 ** -14;
export const FLOAT16_MIN_SUBNORMAL = 2 ** -24;

/** The float16 nearest to x (ties to even), as a number; ±Infinity beyond the range, NaN stays NaN. */
export function roundToFloat16(x: number): number {
  if (Number.isNaN(x) || x === 0 || !Number.isFinite(x)) return x;
  const sign = Math.sign(x);
  const a = Math.abs(x);
  // Spacing of float16 values around a: 2^(e − 10) for normals with exponent e, 2^−24 for subnormals.
  let binade = Math.floor(Math.log2(a));
  if (2 ** binade > a) binade--; // Math.log2 may round across a power of two
  else if (2 ** (binade + 1) <= a) binade++;
  const step = 2 ** (Math.max(binade, -14) - 10);
  const rounded = roundHalfEven(a / step) * step;
  if (rounded > FLOAT16_MAX) return sign * Infinity;
  return sign * rounded;
}

function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const fraction = v - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
