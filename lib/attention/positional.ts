/**
 * Position information for attention, which by itself is blind to order (permutation-equivariant):
 *
 * - `sinusoidalPositionalEncoding(length, d)`: the fixed table of Vaswani et al. (2017),
 *   PE[p][2i] = sin(p·ωᵢ), PE[p][2i+1] = cos(p·ωᵢ), ωᵢ = 10000^(−2i/d); added to the token embeddings.
 *   Each (sin, cos) pair turns by the angle k·ωᵢ when p moves by k, so PE(p + k) is a fixed rotation of PE(p).
 * - `PositionEmbedding`: a learned table [maxLength, d] added to the input (BERT, GPT-2).
 * - `applyRotaryEmbedding(x)`: RoPE (Su et al. 2021) rotates each (2i, 2i+1) pair of a query or key at position p
 *   by p·ωᵢ, so that q·k after rotation depends on the positions only through their difference.
 */
import { tf } from "../tf";

/** ωᵢ = base^(−2i/d) for the ⌈d/2⌉ feature pairs. */
export function sinusoidalFrequencies(dModel: number, base = 10000): number[] {
  if (!Number.isInteger(dModel) || dModel < 1) throw new RangeError(`sinusoidalFrequencies: dModel must be an integer ≥ 1, got ${dModel}`);
  if (!(base > 1)) throw new RangeError(`sinusoidalFrequencies: base must be > 1, got ${base}`);
  return Array.from({ length: Math.ceil(dModel / 2) }, (_, i) => base ** (-(2 * i) / dModel));
}

/** [length][dModel] float64 table: sin in even columns, cos in odd ones (an odd dModel ends with a sin). */
export function sinusoidalPositionalEncoding(length: number, dModel: number, base = 10000): number[][] {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`sinusoidalPositionalEncoding: length must be an integer ≥ 1, got ${length}`);
  const frequencies = sinusoidalFrequencies(dModel, base);
  return Array.from({ length }, (_, position) =>
    Array.from({ length: dModel }, (_, column) => {
      const angle = position * frequencies[column >> 1]!;
      return column % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }));
}

/**
 * RoPE on x [..., T, d] (d even): the pair (x₂ᵢ, x₂ᵢ₊₁) at position p = offset + t is rotated by the angle p·ωᵢ.
 * Apply it to queries and keys (not values) after their projections; `offset` is the position of the first step
 * (the cache length when decoding incrementally).
 */
export function applyRotaryEmbedding(x: tf.Tensor, options: { offset?: number; base?: number } = {}): tf.Tensor {
  const { offset = 0, base = 10000 } = options;
  if (x.rank < 2) throw new RangeError(`applyRotaryEmbedding: x must be [..., T, d], got shape [${x.shape}]`);
  const [steps, depth] = x.shape.slice(-2) as [number, number];
  if (depth % 2 !== 0) throw new RangeError(`applyRotaryEmbedding: the feature size must be even (pairs are rotated), got ${depth}`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`applyRotaryEmbedding: offset must be an integer ≥ 0, got ${offset}`);
  const frequencies = sinusoidalFrequencies(depth, base);
  const cos = new Float32Array(steps * depth);
  const sin = new Float32Array(steps * depth);
  for (let t = 0; t < steps; t++) {
    for (let column = 0; column < depth; column++) {
      const angle = (offset + t) * frequencies[column >> 1]!;
      cos[t * depth + column] = Math.cos(angle);
      sin[t * depth + column] = Math.sin(angle);
    }
  }
  // swap(x₂ᵢ, x₂ᵢ₊₁) = (−x₂ᵢ₊₁, x₂ᵢ) as one product with a fixed signed permutation (one kernel forwards and
  // backwards, where split + concat cost a dozen small ones per call).
  const swap = new Float32Array(depth * depth);
  for (let i = 0; i < depth; i += 2) {
    swap[(i + 1) * depth + i] = -1; // column i of the result takes −x[i + 1]
    swap[i * depth + i + 1] = 1; // column i + 1 takes x[i]
  }
  return tf.tidy(() => {
    // rotated = x·cos + swap(x)·sin
    const swapped = tf.matMul(x.reshape([-1, depth]), tf.tensor2d(swap, [depth, depth])).reshape(x.shape);
    return x.mul(tf.tensor2d(cos, [steps, depth])).add(swapped.mul(tf.tensor2d(sin, [steps, depth])));
  });
}

/**
 * What the two added-position layers share: a [maxLength, d] table whose first T rows are added to each step of
 * [batch, T, d]. Subclasses say where the table comes from and how to explain a sequence longer than it.
 */
abstract class AddedPositionTable extends tf.layers.Layer {
  readonly maxLength: number;

  constructor(args: { maxLength: number; name?: string; trainable?: boolean }, private readonly layerName: string) {
    super({ name: args.name, trainable: args.trainable });
    if (!Number.isInteger(args.maxLength) || args.maxLength < 1) throw new RangeError(`${layerName}: maxLength must be an integer ≥ 1, got ${args.maxLength}`);
    this.maxLength = args.maxLength;
  }

  /** Creates the table for `depth` features. */
  protected abstract createTable(depth: number): void;
  /** The [maxLength, d] table. */
  protected abstract readTable(): tf.Tensor;
  /** Why `steps` steps cannot be encoded. */
  protected abstract tooLong(steps: number): string;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const depth = shape[shape.length - 1];
    if (shape.length !== 3 || typeof depth !== "number") throw new RangeError(`${this.layerName} "${this.name}": input must be [batch, T, d], got shape [${shape}]`);
    this.createTable(depth);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    const steps = x.shape[1]!;
    if (steps > this.maxLength) throw new RangeError(`${this.layerName} "${this.name}": ${this.tooLong(steps)}`);
    return tf.tidy(() => x.add(this.readTable().slice([0, 0], [steps, -1])));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxLength: this.maxLength };
  }
}

/** Adds a learned position vector to each step of [batch, T, d] (T ≤ maxLength): BERT's and GPT-2's choice. */
export class PositionEmbedding extends AddedPositionTable {
  static className = "LibPositionEmbedding";
  private readonly seed: number;
  private table: tf.LayerVariable | null = null;

  constructor(args: { maxLength: number; seed: number; name?: string }) {
    super(args, "PositionEmbedding");
    if (!Number.isInteger(args.seed)) throw new RangeError(`PositionEmbedding: seed must be an integer, got ${args.seed}`);
    this.seed = args.seed;
  }

  protected override createTable(depth: number): void {
    this.table = this.addWeight("positions", [this.maxLength, depth], "float32", tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: this.seed }));
  }

  protected override readTable(): tf.Tensor {
    return this.table!.read();
  }

  protected override tooLong(steps: number): string {
    return `${steps} steps but positions were learned for at most ${this.maxLength}`;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(PositionEmbedding);

/** Adds the fixed sinusoidal table to [batch, T, d] (no weights; any T up to `maxLength`): the original Transformer. */
export class SinusoidalPositionEncoding extends AddedPositionTable {
  static className = "LibSinusoidalPositionEncoding";
  private table: tf.Tensor2D | null = null;

  constructor(args: { maxLength: number; name?: string }) {
    super({ ...args, trainable: false }, "SinusoidalPositionEncoding");
  }

  protected override createTable(depth: number): void {
    this.table = tf.keep(tf.tensor2d(sinusoidalPositionalEncoding(this.maxLength, depth)));
  }

  protected override readTable(): tf.Tensor {
    return this.table!;
  }

  protected override tooLong(steps: number): string {
    return `${steps} steps but the table has ${this.maxLength} rows`;
  }

  override dispose(): ReturnType<tf.layers.Layer["dispose"]> {
    this.table?.dispose();
    this.table = null;
    return super.dispose();
  }
}
tf.serialization.registerClass(SinusoidalPositionEncoding);
