/**
 * Seeded synthetic time series for the forecasting notebook, each returned with its clean signal so that a
 * notebook can state the best possible one-step MSE (the noise variance) next to what a model reaches:
 *
 * - `makeSineTrendSeries`: a sine wave on a linear trend with Gaussian noise (linear dynamics: a linear AR(p)
 *   filter is close to the best one-step forecaster);
 * - `makeLogisticMapSeries`: the chaotic logistic map with small dynamic noise (nonlinear dynamics: the best
 *   forecaster is a parabola of the last value, which no linear AR(p) can express).
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
  /** [length] the noise-free part: for the sine, amplitude · sin(2πt / period + phase) + trendPerStep · t;
   *  for the logistic map, the conditional mean r · yₜ₋₁ · (1 − yₜ₋₁) (y₀ at t = 0) */
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

export interface LogisticMapOptions {
  /** Number of time steps (≥ 2). */
  length: number;
  /** Growth rate in (0, 4] (default 3.8: chaotic, values stay within about [0.18, 0.95]). */
  r?: number;
  /** Standard deviation of the Gaussian noise added at each step (default 0.01). */
  noise?: number;
  seed: number;
}

/**
 * yₜ = r · yₜ₋₁ · (1 − yₜ₋₁) + εₜ, εₜ ~ N(0, noise²), y₀ uniform in [0.2, 0.8]. The noise enters the dynamics
 * (it is carried forward), so the best one-step forecast from the past is exactly `clean[t]` and its MSE is
 * noise². A value pushed outside [0, 1] is clipped there so that the map stays defined (with the defaults a 5σ
 * event next to the attractor's top, practically never).
 */
export function makeLogisticMapSeries(options: LogisticMapOptions): Series {
  const { length, r = 3.8, noise = 0.01, seed } = options;
  if (!Number.isInteger(length) || length < 2) throw new RangeError(`makeLogisticMapSeries: length must be an integer ≥ 2, got ${length}`);
  if (!(r > 0 && r <= 4)) throw new RangeError(`makeLogisticMapSeries: r must be in (0, 4], got ${r}`);
  if (!(noise >= 0 && Number.isFinite(noise))) throw new RangeError(`makeLogisticMapSeries: noise must be a finite number ≥ 0, got ${noise}`);
  if (!Number.isInteger(seed)) throw new TypeError(`makeLogisticMapSeries: seed must be an integer, got ${seed}`);
  const rng = new Random(seed);
  const y = [rng.uniform(0.2, 0.8)];
  const clean = [y[0]!];
  for (let step = 1; step < length; step++) {
    const previous = y[step - 1]!;
    clean.push(r * previous * (1 - previous));
    y.push(Math.min(1, Math.max(0, clean[step]! + rng.normal(0, noise))));
  }
  return { t: Array.from({ length }, (_, i) => i), y, clean };
}
