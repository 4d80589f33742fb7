/**
 * Padding and masks for batches of token ids: Keras's `pad_sequences` and the mask an `Embedding(mask_zero)`
 * computes. Pure functions on plain arrays, so a notebook can look at them before they become tensors.
 *
 *   padSequences([[5, 6, 7], [8]], { maxlen: 2, padding: "post" })   // [[6, 7], [8, 0]]
 *   paddingMask([[6, 7], [8, 0]])                                      // [[1, 1], [1, 0]]
 */
import { PAD_ID } from "./vocabulary";

export type Side = "pre" | "post";

export interface PadOptions {
  /** Length of every output row; default the longest input sequence. */
  maxlen?: number;
  /** Where padding goes (Keras default "pre"). */
  padding?: Side;
  /** Which end of a too-long sequence is cut (Keras default "pre": keep the last `maxlen` ids). */
  truncating?: Side;
  /** The padding value (default `PAD_ID` = 0). */
  value?: number;
}

function checkSide(name: string, side: unknown): asserts side is Side {
  if (side !== "pre" && side !== "post") throw new RangeError(`padSequences: ${name} must be "pre" or "post", got ${JSON.stringify(side)}`);
}

/** Pads and truncates each sequence to `maxlen`, with Keras's `pad_sequences` semantics; returns [n][maxlen]. */
export function padSequences(sequences: readonly (readonly number[])[], options: PadOptions = {}): number[][] {
  const { padding = "pre", truncating = "pre", value = PAD_ID } = options;
  if (!Array.isArray(sequences)) throw new TypeError(`padSequences: sequences must be an array of id arrays, got ${typeof sequences}`);
  sequences.forEach((sequence, i) => {
    if (!Array.isArray(sequence)) throw new TypeError(`padSequences: sequences[${i}] must be an array of numbers, got ${typeof sequence}`);
    sequence.forEach((v: unknown, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`padSequences: sequences[${i}][${j}] is ${String(v)}, not a finite number`);
    });
  });
  checkSide("padding", padding);
  checkSide("truncating", truncating);
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`padSequences: value must be a finite number, got ${String(value)}`);
  const maxlen = options.maxlen ?? Math.max(0, ...sequences.map((s) => s.length));
  if (!Number.isInteger(maxlen) || maxlen < (options.maxlen === undefined ? 0 : 1)) {
    throw new RangeError(`padSequences: maxlen must be an integer ≥ 1, got ${options.maxlen}`);
  }
  return sequences.map((sequence) => {
    const kept = sequence.length <= maxlen ? sequence : truncating === "pre" ? sequence.slice(sequence.length - maxlen) : sequence.slice(0, maxlen);
    const fill = new Array<number>(maxlen - kept.length).fill(value);
    return padding === "pre" ? [...fill, ...kept] : [...kept, ...fill];
  });
}

/** 1 where a position holds a real token, 0 where it holds `padId` (default `PAD_ID`); same shape as `ids`. */
export function paddingMask(ids: readonly (readonly number[])[], padId: number = PAD_ID): number[][] {
  if (!Array.isArray(ids)) throw new TypeError(`paddingMask: ids must be an array of id arrays, got ${typeof ids}`);
  return ids.map((row, i) => {
    if (!Array.isArray(row)) throw new TypeError(`paddingMask: ids[${i}] must be an array of numbers, got ${typeof row}`);
    return row.map((id) => (id === padId ? 0 : 1));
  });
}
