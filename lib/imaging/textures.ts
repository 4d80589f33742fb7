/**
 * Seeded procedural textures (grayscale, pixels in [0, 1]) for style transfer and texture experiments:
 *
 *   stripes  value = ½ + ½ · sin(2π (x cos θ + y sin θ) / period + phase)
 *   checks   1 where ⌊x / cell⌋ + ⌊y / cell⌋ is even, else 0 (offset by a random shift)
 *   dots     discs of radius r on a jittered lattice of spacing `period`
 *
 *   const t = makeTexture("stripes", { size: 32, seed: 3 });   // Float32Array [size · size], row-major
 */
import { Random } from "../random";

export const TEXTURE_KINDS = ["stripes", "checks", "dots"] as const;
export type TextureKind = (typeof TEXTURE_KINDS)[number];

export interface TextureOptions {
  size?: number;
  seed: number;
  /** Stripe period, check cell or dot spacing in pixels (default: drawn from 4–8 by the seed). */
  period?: number;
  /** Stripe angle in radians (default: drawn by the seed). */
  angle?: number;
}

export function makeTexture(kind: TextureKind, options: TextureOptions): Float32Array {
  const { size = 32, seed } = options;
  if (!(Number.isInteger(size) && size >= 4)) throw new RangeError(`makeTexture: size must be an integer ≥ 4, got ${size}`);
  const rng = new Random(seed);
  const period = options.period ?? rng.int(4, 9);
  if (!(period >= 2)) throw new RangeError(`makeTexture: period must be ≥ 2 pixels, got ${period}`);
  const pixels = new Float32Array(size * size);
  if (kind === "stripes") {
    const angle = options.angle ?? rng.uniform(0, Math.PI);
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) pixels[y * size + x] = 0.5 + 0.5 * Math.sin((2 * Math.PI * (x * Math.cos(angle) + y * Math.sin(angle))) / period + phase);
    }
  } else if (kind === "checks") {
    const [dx, dy] = [rng.int(0, period), rng.int(0, period)];
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) pixels[y * size + x] = (Math.floor((x + dx) / period) + Math.floor((y + dy) / period)) % 2 === 0 ? 1 : 0;
    }
  } else if (kind === "dots") {
    const radius = period / 4 + rng.uniform(0, period / 8);
    const centres: [number, number][] = [];
    for (let cy = -period; cy < size + period; cy += period) {
      for (let cx = -period; cx < size + period; cx += period) centres.push([cx + rng.uniform(-period / 8, period / 8), cy + rng.uniform(-period / 8, period / 8)]);
    }
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) pixels[y * size + x] = centres.some(([cx, cy]) => (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius * radius) ? 1 : 0;
    }
  } else {
    throw new RangeError(`makeTexture: kind must be one of ${TEXTURE_KINDS.join(", ")}, got "${kind as string}"`);
  }
  return pixels;
}
