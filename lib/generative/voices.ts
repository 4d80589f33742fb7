/**
 * Synthetic "voices" for the voice-conversion analogue (catalog §5, S4-C26): one utterance is a pitch contour
 * (a fundamental frequency gliding linearly, a start phase and a loudness); a speaker is a timbre, the amplitudes
 * of the harmonics 1…K. Rendering the same utterance with two timbres gives a (source, target) pair: a
 * conditional model must map speaker A's waveform to speaker B's saying "the same thing".
 *
 *   x[n] = gain · Σₖ aₖ · sin(k · θ[n]),   θ[n] = phase + 2π Σ_{m<n} f0[m]   (f0 in cycles per sample)
 */
import { Random } from "../random";

/** Harmonic amplitudes of the two speakers: A is bright in the fundamental, B in the 2nd and 3rd harmonics. */
export const SPEAKER_A = [1, 0.5, 0.25, 0.12] as const;
export const SPEAKER_B = [0.35, 0.8, 0.6, 0.3] as const;

export interface Utterance {
  /** Fundamental frequency at the first and last sample, cycles per sample. */
  f0Start: number;
  f0End: number;
  /** Phase of the fundamental at sample 0, radians. */
  phase: number;
  gain: number;
}

/** The waveform of one utterance in one timbre, `length` samples. */
export function renderVoice(utterance: Utterance, timbre: readonly number[], length: number): number[] {
  if (!Number.isInteger(length) || length < 2) throw new RangeError(`renderVoice: length must be an integer ≥ 2, got ${length}`);
  const top = timbre.length * Math.max(utterance.f0Start, utterance.f0End);
  if (top >= 0.5) throw new RangeError(`renderVoice: harmonic ${timbre.length} reaches ${top.toFixed(3)} cycles per sample, at or above Nyquist (0.5)`);
  const signal: number[] = [];
  let theta = utterance.phase;
  for (let n = 0; n < length; n++) {
    signal.push(utterance.gain * timbre.reduce((s, a, k) => s + a * Math.sin((k + 1) * theta), 0));
    theta += 2 * Math.PI * (utterance.f0Start + ((utterance.f0End - utterance.f0Start) * n) / (length - 1));
  }
  return signal;
}

/** n seeded utterances (f0 in [1/32, 1/12] cycles per sample, glides of up to ±20 %, gain in [0.6, 1]). */
export function randomUtterances(n: number, seed: number): Utterance[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`randomUtterances: n must be a positive integer, got ${n}`);
  const rng = new Random(seed);
  return Array.from({ length: n }, () => {
    const f0Start = rng.uniform(1 / 32, 1 / 12);
    return { f0Start, f0End: f0Start * rng.uniform(0.8, 1.2), phase: rng.uniform(0, 2 * Math.PI), gain: rng.uniform(0.6, 1) };
  });
}

/** n (speaker A, speaker B) renderings of the same seeded utterances, `length` samples each. */
export function voicePairs(n: number, options: { length: number; seed: number }): { source: number[][]; target: number[][] } {
  const utterances = randomUtterances(n, options.seed);
  return {
    source: utterances.map((u) => renderVoice(u, SPEAKER_A, options.length)),
    target: utterances.map((u) => renderVoice(u, SPEAKER_B, options.length)),
  };
}
