/**
 * The input contract of every recurrent layer: a rank-3 batch `[batch, timesteps, features]`. Keras fails on
 * a rank-2 array with "expected ndim=3, found ndim=2", which does not say which axis is missing; this check
 * says what was expected, what arrived and how to reshape (the S0-C4 bug: a [3, 3] matrix fed to SimpleRNN).
 *
 *   const [batch, timesteps, features] = assertSequenceInput(x, "forecaster input");
 */

/** Anything with a shape (a tf.Tensor) or a nested array of numbers. */
export type SequenceInput = { shape: readonly number[] } | readonly unknown[];

export interface SequenceShapeExpectation {
  /** Required number of timesteps (omit to accept any). */
  timesteps?: number;
  /** Required number of features per timestep (omit to accept any). */
  features?: number;
}

/** The shape of a tensor, or of a rectangular nested array (a ragged array is an error naming the row). */
export function shapeOf(x: SequenceInput, where: string): number[] {
  if (x !== null && typeof x === "object" && "shape" in x && Array.isArray(x.shape)) return [...x.shape];
  if (!Array.isArray(x)) throw new TypeError(`${where}: expected a tensor or a nested array of numbers, got ${x === null ? "null" : typeof x}`);
  const shape: number[] = [];
  let level: unknown = x;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  checkRectangular(x, shape, 0, [], where);
  return shape;
}

function checkRectangular(value: unknown, shape: number[], depth: number, index: number[], where: string): void {
  const at = index.map((i) => `[${i}]`).join("");
  if (depth === shape.length) {
    if (typeof value !== "number") throw new TypeError(`${where}: element x${at} is ${Array.isArray(value) ? "an array" : typeof value}, not a number (ragged nesting?)`);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw new RangeError(`${where}: ragged input: x${at} has ${Array.isArray(value) ? `length ${value.length}` : "no array"} where x${"[0]".repeat(depth)} has length ${shape[depth]}; pad the sequences to one length first`);
  }
  value.forEach((item, i) => checkRectangular(item, shape, depth + 1, [...index, i], where));
}

/**
 * Throws unless `x` is `[batch, timesteps, features]` (and matches `expected`); returns the three sizes.
 * The message names the expected layout, the received shape, and the reshape that fixes a rank-2 input.
 */
export function assertSequenceInput(x: SequenceInput, where: string, expected: SequenceShapeExpectation = {}): [number, number, number] {
  const shape = shapeOf(x, where);
  const received = `[${shape.join(", ")}]`;
  if (shape.length !== 3) {
    const hint =
      shape.length === 2
        ? ` A rank-2 input has no time axis: for ${shape[0]} univariate series of ${shape[1]} steps reshape to [${shape[0]}, ${shape[1]}, 1]` +
          ` (x.reshape([${shape[0]}, ${shape[1]}, 1]) or x.expandDims(-1)); [${shape[0]}, 1, ${shape[1]}] would be one timestep of ${shape[1]} features, not a sequence.`
        : "";
    throw new RangeError(`${where}: a recurrent layer expects a rank-3 input [batch, timesteps, features], got shape ${received} (rank ${shape.length}).${hint}`);
  }
  const [batch, timesteps, features] = shape as [number, number, number];
  for (const [name, size] of [["timesteps", timesteps], ["features", features]] as const) {
    const want = expected[name];
    if (want !== undefined && size !== want) {
      throw new RangeError(`${where}: expected [batch, timesteps, features] with ${name} = ${want}, got shape ${received}`);
    }
  }
  if (batch === 0 || timesteps === 0 || features === 0) {
    throw new RangeError(`${where}: [batch, timesteps, features] = ${received} has an empty axis`);
  }
  return [batch, timesteps, features];
}
