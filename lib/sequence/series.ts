/**
 * Seeded synthetic time series for the forecasting notebook: a sine wave on a linear trend with Gaussian
 * noise. The clean signal is returned too, so a notebook can state the best possible one-step MSE (the noise
 * variance) next to what a model reaches.
 *
 *   const { y, clean } = makeSineTrendSeries({ length: 1200, period: 40, noise: 0.1, seed: 0 });
 */
import { Random } from "../random";

export interface SineTrendOptions {
  /** Number of time steps (≥ 2). */
  length: number;
  /** Steps per sine cycle (default 50). */
  period?: number;
  /** Sine amplitude (default 1). */
  amplitude?: number;
  /** Added per step (default 0.002: the level drifts by 2 over 1,000 steps). */
  trendPerStep?: number;
  /** Standard deviation of the Gaussian noise added to each value (default 0.1). */
  noise?: number;
  /** Phase in radians at t = 0 (default 0). */
  phase?: number;
  seed: number;
}

export interface Series {
  /** [length] time steps 0 … length − 1 */
  t: number[];
  /** [length] observed values: clean + noise */
  y: number[];
  /** [length] amplitude · sin(2πt / period + phase) + trendPerStep · t */
  clean: number[];
}

export function makeSineTrendSeries(options: SineTrendOptions): Series {
  const { length, period = 50, amplitude = 1, trendPerStep = 0.002, noise = 0.1, phase = 0, seed } = options;
  if (!Number.isInteger(length) || length < 2) throw new RangeError(`makeSineTrendSeries: length must be an integer ≥ 2, got ${length}`);
  if (!(period > 0)) throw new RangeError(`makeSineTrendSeries: period must be > 0, got ${period}`);
  if (!(noise >= 0)) throw new RangeError(`makeSineTrendSeries: noise must be ≥ 0, got ${noise}`);
  for (const [name, value] of [["amplitude", amplitude], ["trendPerStep", trendPerStep], ["phase", phase]] as const) {
    if (!Number.isFinite(value)) throw new RangeError(`makeSineTrendSeries: ${name} must be a finite number, got ${value}`);
  }
  if (!Number.isInteger(seed)) throw new TypeError(`makeSineTrendSeries: seed must be an integer, got ${seed}`);
  const rng = new Random(seed);
  const t = Array.from({ length }, (_, i) => i);
  const clean = t.map((step) => amplitude * Math.sin((2 * Math.PI * step) / period + phase) + trendPerStep * step);
  return { t, y: clean.map((v) => v + rng.normal(0, noise)), clean };
}
