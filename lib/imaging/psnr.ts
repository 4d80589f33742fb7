/**
 * Peak signal-to-noise ratio, the standard score of super-resolution and compression:
 *
 *   PSNR = 10 · log₁₀(MAX² / MSE)  decibels,  MAX the largest possible pixel value (1 for pixels in [0, 1]).
 *
 * Identical images give +∞; halving the root-mean-square error adds 20·log₁₀ 2 ≈ 6.02 dB. Averaged over a test set,
 * the usual convention (and the one here) is the mean of per-image PSNRs.
 */

export function meanSquaredErrorOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`meanSquaredErrorOf: ${a.length} vs ${b.length} pixels`);
  if (a.length === 0) throw new RangeError("meanSquaredErrorOf: empty images");
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = a[i]! - b[i]!;
    if (Number.isNaN(d)) throw new RangeError(`meanSquaredErrorOf: pixel ${i} is NaN`);
    sum += d * d;
  }
  return sum / a.length;
}

/** PSNR in dB of `image` against `reference` (same length), pixels in [0, maxValue]. */
export function psnr(image: ArrayLike<number>, reference: ArrayLike<number>, maxValue = 1): number {
  if (!(maxValue > 0)) throw new RangeError(`psnr: maxValue must be > 0, got ${maxValue}`);
  const mse = meanSquaredErrorOf(image, reference);
  return mse === 0 ? Infinity : 10 * Math.log10((maxValue * maxValue) / mse);
}

/** Mean of per-image PSNRs over `count` images stored one after another in two flat arrays. */
export function meanPsnr(images: ArrayLike<number>, references: ArrayLike<number>, count: number, maxValue = 1): number {
  if (!Number.isInteger(count) || count < 1 || images.length % count !== 0) throw new RangeError(`meanPsnr: ${images.length} values do not split into ${count} images`);
  if (images.length !== references.length) throw new RangeError(`meanPsnr: ${images.length} vs ${references.length} values`);
  const size = images.length / count;
  let total = 0;
  for (let i = 0; i < count; i += 1) {
    const view = (values: ArrayLike<number>) => Array.prototype.slice.call(values, i * size, (i + 1) * size) as number[];
    total += psnr(view(images), view(references), maxValue);
  }
  return total / count;
}
