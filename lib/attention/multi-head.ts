/**
 * Multi-head attention as a TensorFlow.js layer, built on `scaledDotProductAttention`:
 *
 *   Q = x·W_q + b_q,  K = m·W_k + b_k,  V = m·W_v + b_v      (m = x for self-attention, the memory for cross)
 *   split each into h heads of size d_k (d_v), attend per head, concatenate, then  output = concat·W_o + b_o
 *
 * Inputs: `query` [batch, Tq, d_model] alone, or with a keep-mask over the keys [batch, Tk] (1 = token, 0 =
 * padding: `PaddingMask` makes it from token ids); for cross-attention (`cross: true`) [query, memory] or
 * [query, memory, memoryMask]. `causal: true` hides later positions (decoder self-attention); `rotary: true`
 * rotates queries and keys by their positions (RoPE), so scores depend on relative positions.
 *
 *   const ids = tf.input({ shape: [T], dtype: "int32" });
 *   const x = tf.layers.embedding({ inputDim: V, outputDim: 64 }).apply(ids) as tf.SymbolicTensor;
 *   const mask = new PaddingMask().apply(ids) as tf.SymbolicTensor;
 *   const y = new MultiHeadAttention({ numHeads: 4, keyDim: 16, seed: 0 }).apply([x, mask]);
 *
 * Built from tf ops only, so its gradients are TensorFlow.js's own, and model.fit, countParams() and
 * getWeights()/setWeights() work as for any layer. Weights, in order: W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o
 * (no biases with `useBias: false`), each W as [in, out] like tf.layers.dense's kernel.
 *
 * LoRA (Hu et al. 2021) on chosen projections: `lora: { rank, alpha, projections, seed }` at construction, or
 * `addLora(…)` on a built (e.g. pretrained) layer. Each chosen W becomes W + (α/r)·A·B with A [in, r] random and
 * B [r, out] zeros, so the layer computes exactly what it did before training starts; W and every bias are frozen
 * (not trainable), only A and B train: r·(in + out) numbers per adapted matrix. `mergedWeights()` folds (α/r)·A·B
 * into W for a plain layer of the same shape. (Trainable weights come first in getWeights(), so with LoRA the order
 * is A, B, … then the frozen W and b; saving and loading go by weight name.)
 */
import { tf } from "../tf";
import { loraParameterCount } from "../nn/lora";
import { scaledDotProductAttention, type AttentionResult } from "./attention";
import { applyRotaryEmbedding } from "./positional";

/** The four projections of a multi-head attention layer, in weight order. */
export const ATTENTION_PROJECTIONS = ["query", "key", "value", "output"] as const;
export type AttentionProjection = (typeof ATTENTION_PROJECTIONS)[number];

/** Low-rank adapters on some of the projections (LoRA). */
export interface AttentionLoraOptions {
  /** Rank r of each correction, 1 ≤ r ≤ min(in, out) of every adapted kernel. */
  rank: number;
  /** Scale numerator α: the correction is (α/r)·A·B (default r, i.e. scale 1). */
  alpha?: number;
  /** Which projections get an adapter (default ["query", "value"], as in the LoRA paper). */
  projections?: readonly AttentionProjection[];
  /** Seed of the A initialisers: projection i (query 0 … output 3) uses seed + i. */
  seed: number;
}

/** Keys and values of the steps decoded so far, per head: [batch, heads, T, d_k] and [batch, heads, T, d_v]. */
export interface KeyValueCache {
  keys: tf.Tensor4D;
  values: tf.Tensor4D;
}

export interface MultiHeadAttentionArgs {
  numHeads: number;
  /** Size of each head's queries and keys. */
  keyDim: number;
  /** Size of each head's values (default keyDim). */
  valueDim?: number;
  /** Size of the output (default: the query's last dimension, so that a residual connection fits). */
  outputDim?: number;
  useBias?: boolean;
  /** Hide later positions from each query (decoder self-attention). */
  causal?: boolean;
  /** Queries from the first input, keys and values from the second (encoder–decoder attention). */
  cross?: boolean;
  /** Rotate each head's queries and keys by their positions (RoPE, `applyRotaryEmbedding`; keyDim even). */
  rotary?: boolean;
  /** Seeds of the four kernels' Glorot-uniform initialisers: seed, seed + 1, seed + 2, seed + 3. */
  seed: number;
  /** Low-rank adapters on some projections, base weights frozen (see the file's comment). */
  lora?: AttentionLoraOptions;
  name?: string;
}

/** [batch, T, h·d] → [batch, h, T, d]: head i gets features i·d … (i+1)·d − 1. */
export function splitHeads(x: tf.Tensor, numHeads: number): tf.Tensor4D {
  if (x.rank !== 3) throw new RangeError(`splitHeads: expected [batch, T, heads·d], got shape [${x.shape}]`);
  const [batch, steps, width] = x.shape as [number, number, number];
  if (!Number.isInteger(numHeads) || numHeads < 1 || width % numHeads !== 0) {
    throw new RangeError(`splitHeads: ${width} features do not split into ${numHeads} heads`);
  }
  return tf.tidy(() => x.reshape([batch, steps, numHeads, width / numHeads]).transpose([0, 2, 1, 3]) as tf.Tensor4D);
}

/** [batch, h, T, d] → [batch, T, h·d], the inverse of `splitHeads`. */
export function mergeHeads(x: tf.Tensor): tf.Tensor3D {
  if (x.rank !== 4) throw new RangeError(`mergeHeads: expected [batch, heads, T, d], got shape [${x.shape}]`);
  const [batch, heads, steps, depth] = x.shape as [number, number, number, number];
  return tf.tidy(() => x.transpose([0, 2, 1, 3]).reshape([batch, steps, heads * depth]) as tf.Tensor3D);
}

/** Trainable parameters of a multi-head attention layer: four projections and their biases. */
export function multiHeadAttentionParameterCount(sizes: {
  queryDim: number; memoryDim?: number; numHeads: number; keyDim: number; valueDim?: number; outputDim?: number; useBias?: boolean;
}): number {
  const { queryDim, memoryDim = queryDim, numHeads, keyDim, valueDim = keyDim, outputDim = queryDim, useBias = true } = sizes;
  const kernels = queryDim * numHeads * keyDim + memoryDim * numHeads * keyDim + memoryDim * numHeads * valueDim + numHeads * valueDim * outputDim;
  const biases = useBias ? 2 * numHeads * keyDim + numHeads * valueDim + outputDim : 0;
  return kernels + biases;
}

export class MultiHeadAttention extends tf.layers.Layer {
  static className = "LibMultiHeadAttention";
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly useBias: boolean;
  readonly causal: boolean;
  readonly cross: boolean;
  readonly rotary: boolean;
  private readonly seed: number;
  private outputDim: number | null;
  private projections: { kernel: tf.LayerVariable; bias: tf.LayerVariable | null }[] = [];
  private loraOptions: Required<AttentionLoraOptions> | null = null;
  /** Per projection (query, key, value, output): its adapter's A [in, r] and B [r, out], or null. */
  private adapters: ({ a: tf.LayerVariable; b: tf.LayerVariable } | null)[] = [];

  constructor(args: MultiHeadAttentionArgs) {
    super({ name: args.name });
    for (const [name, value] of [["numHeads", args.numHeads], ["keyDim", args.keyDim], ["valueDim", args.valueDim ?? args.keyDim]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`MultiHeadAttention: ${name} must be an integer ≥ 1, got ${value}`);
    }
    if (args.outputDim !== undefined && (!Number.isInteger(args.outputDim) || args.outputDim < 1)) {
      throw new RangeError(`MultiHeadAttention: outputDim must be an integer ≥ 1, got ${args.outputDim}`);
    }
    if (!Number.isInteger(args.seed)) throw new RangeError(`MultiHeadAttention: seed must be an integer, got ${args.seed}`);
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim ?? args.keyDim;
    this.outputDim = args.outputDim ?? null;
    this.useBias = args.useBias ?? true;
    this.causal = args.causal ?? false;
    this.cross = args.cross ?? false;
    this.rotary = args.rotary ?? false;
    if (this.rotary && this.cross) throw new RangeError("MultiHeadAttention: rotary positions are for self-attention (queries and keys from one sequence), not cross-attention");
    if (this.rotary && this.keyDim % 2 !== 0) throw new RangeError(`MultiHeadAttention: rotary positions rotate pairs, so keyDim must be even, got ${this.keyDim}`);
    this.seed = args.seed;
    if (args.lora) this.loraOptions = checkLoraOptions(args.lora, `MultiHeadAttention "${this.name}"`);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shapes = this.inputShapes(inputShape);
    const queryDim = lastDimension(shapes.query, "query");
    const memoryDim = lastDimension(shapes.memory, "memory");
    this.outputDim ??= queryDim;
    const heads = this.numHeads;
    const plan: [string, number, number][] = [
      ["query", queryDim, heads * this.keyDim], ["key", memoryDim, heads * this.keyDim],
      ["value", memoryDim, heads * this.valueDim], ["output", heads * this.valueDim, this.outputDim],
    ];
    this.projections = plan.map(([name, inputs, outputs], i) => ({
      kernel: this.addWeight(`${name}_kernel`, [inputs, outputs], "float32", tf.initializers.glorotUniform({ seed: this.seed + i })),
      bias: this.useBias ? this.addWeight(`${name}_bias`, [outputs], "float32", tf.initializers.zeros()) : null,
    }));
    if (this.loraOptions) this.attachAdapters("");
    this.built = true;
  }

  /**
   * Adds LoRA adapters to a built layer (e.g. one loaded from a pretrained model) and freezes its base weights; the
   * outputs are unchanged until training moves B. Returns the number of trainable adapter parameters,
   * r·(in + out) summed over the adapted projections.
   */
  addLora(options: AttentionLoraOptions): number {
    if (!this.built) throw new Error(`MultiHeadAttention "${this.name}": addLora needs a built layer (apply it to inputs or load the model first)`);
    if (this.loraOptions) throw new Error(`MultiHeadAttention "${this.name}": already has LoRA adapters (rank ${this.loraOptions.rank} on ${this.loraOptions.projections.join(", ")})`);
    this.loraOptions = checkLoraOptions(options, `MultiHeadAttention "${this.name}"`);
    // Outside build() no name scope is active, so the layer's name is added by hand: "<layer>/query_lora_A" either way.
    this.attachAdapters(`${this.name}/`);
    return this.loraParameterCount();
  }

  /** The LoRA settings (null without adapters). */
  get lora(): Required<AttentionLoraOptions> | null {
    return this.loraOptions ? { ...this.loraOptions, projections: [...this.loraOptions.projections] } : null;
  }

  /** Trainable adapter parameters: Σ r·(in + out) over the adapted projections (0 without LoRA). */
  loraParameterCount(): number {
    return this.adapters.reduce((sum, adapter) => sum + (adapter ? loraParameterCount(adapter.a.shape[0]!, adapter.b.shape[1]!, adapter.a.shape[1]!) : 0), 0);
  }

  /**
   * The weights of a plain layer (same options, no `lora`) that computes what this one does: each adapted W replaced
   * by W + (α/r)·A·B, in the plain layer's order W_q, b_q, …, W_o, b_o, for `setWeights` (the caller disposes them).
   */
  mergedWeights(): tf.Tensor[] {
    if (!this.built) throw new Error(`MultiHeadAttention "${this.name}": not built yet`);
    return tf.tidy(() => this.projections.flatMap(({ bias }, index) => {
      const merged = this.effectiveKernel(index).clone(); // a copy, never the live variable
      return bias ? [merged, bias.read().clone()] : [merged];
    }));
  }

  private attachAdapters(namePrefix: string): void {
    const options = this.loraOptions!;
    const scope = `MultiHeadAttention "${this.name}"`;
    for (const projection of this.projections) {
      projection.kernel.trainable = false;
      if (projection.bias) projection.bias.trainable = false;
    }
    this.adapters = ATTENTION_PROJECTIONS.map((name, index) => {
      if (!options.projections.includes(name)) return null;
      const [inputs, outputs] = this.projections[index]!.kernel.shape as [number, number];
      if (options.rank > Math.min(inputs, outputs)) throw new RangeError(`${scope}: LoRA rank must be ≤ min(in, out) = ${Math.min(inputs, outputs)} for the ${name} projection, got ${options.rank}`);
      // A as PEFT / loralib initialise it (Kaiming-uniform, a = √5: U(−1/√in, 1/√in)); B = 0 makes ΔW = 0 at the start.
      const bound = 1 / Math.sqrt(inputs);
      const a = this.addWeight(`${namePrefix}${name}_lora_A`, [inputs, options.rank], "float32", tf.initializers.zeros(), undefined, true);
      // Written, not left to addWeight's initializer: a layer built by loadLayersModel keeps tfjs's "fast init" flag,
      // which replaces every later initializer by zeros (A = 0 would freeze B's gradient at 0 forever).
      tf.tidy(() => { a.write(tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: options.seed + index }).apply([inputs, options.rank])); });
      const b = this.addWeight(`${namePrefix}${name}_lora_B`, [options.rank, outputs], "float32", tf.initializers.zeros(), undefined, true);
      return { a, b };
    });
  }

  /** W, or W + (α/r)·A·B for an adapted projection (inside the caller's tidy). */
  private effectiveKernel(index: number): tf.Tensor2D {
    const kernel = this.projections[index]!.kernel.read() as tf.Tensor2D;
    const adapter = this.adapters[index];
    if (!adapter) return kernel;
    const scaling = this.loraOptions!.alpha / this.loraOptions!.rank;
    // With B = 0, A·B is exactly ±0 and W + 0 is W bit for bit, so an untrained adapter changes no output.
    return kernel.add(tf.matMul(adapter.a.read() as tf.Tensor2D, adapter.b.read() as tf.Tensor2D).mul(scaling));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const { query } = this.inputShapes(inputShape);
    return [...query.slice(0, -1), this.outputDim ?? query[query.length - 1]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.attend(inputs).output);
  }

  /** The layer's output and its attention weights [batch, heads, Tq, Tk] (for plots; the caller disposes both). */
  attend(inputs: tf.Tensor | tf.Tensor[]): AttentionResult {
    if (!this.built) throw new Error(`MultiHeadAttention "${this.name}": not built yet (apply it to inputs or put it in a model first)`);
    return tf.tidy(() => {
      const { query, memory, mask } = this.splitInputs(inputs);
      const project = (x: tf.Tensor, index: number) => this.project(x, index);
      const q = this.rotate(splitHeads(project(query, 0), this.numHeads), 0);
      const k = this.rotate(splitHeads(project(memory, 1), this.numHeads), 0);
      const v = splitHeads(project(memory, 2), this.numHeads);
      // A key mask [batch, Tk] becomes [batch, 1, 1, Tk]: the same for every head and every query.
      const keep = mask ? mask.toFloat().reshape([mask.shape[0]!, 1, 1, mask.shape[1]!]) : undefined;
      const { output, weights } = scaledDotProductAttention(q, k, v, { mask: keep, causal: this.causal });
      return { output: project(mergeHeads(output), 3), weights: weights };
    });
  }

  /**
   * Incremental self-attention with a KV cache (autoregressive decoding): `x` holds the NEW steps
   * [batch, tNew, d]; their keys and values are appended to `cache` (keys [batch, h, Tc, d_k], values
   * [batch, h, Tc, d_v], or null at the start) and each new step attends to every cached step and the new ones up
   * to itself. Equal to running the causal layer on the whole sequence and keeping the last tNew outputs, at
   * O(tNew · T) instead of O(T²) work per step. Returns the output [batch, tNew, d] and the grown cache (the
   * caller disposes the old cache, the output and, at the end, the last cache).
   */
  decodeStep(x: tf.Tensor, cache: KeyValueCache | null): { output: tf.Tensor; cache: KeyValueCache } {
    if (!this.built) throw new Error(`MultiHeadAttention "${this.name}": not built yet (apply it to inputs or put it in a model first)`);
    if (this.cross || !this.causal) throw new Error(`MultiHeadAttention "${this.name}": decodeStep needs causal self-attention (causal: true, cross: false)`);
    if (x.rank !== 3) throw new RangeError(`MultiHeadAttention "${this.name}": decodeStep's x must be [batch, tNew, features], got shape [${x.shape}]`);
    if (cache && (cache.keys.shape[0] !== x.shape[0] || cache.keys.shape[1] !== this.numHeads)) {
      throw new RangeError(`MultiHeadAttention "${this.name}": the cache holds keys [${cache.keys.shape}], x is [${x.shape}] with ${this.numHeads} heads`);
    }
    return tf.tidy(() => {
      const cached = cache ? cache.keys.shape[2] : 0;
      const q = this.rotate(splitHeads(this.project(x, 0), this.numHeads), cached);
      const newKeys = this.rotate(splitHeads(this.project(x, 1), this.numHeads), cached);
      const newValues = splitHeads(this.project(x, 2), this.numHeads);
      const keys = cache ? tf.concat([cache.keys, newKeys], 2) : newKeys;
      const values = cache ? tf.concat([cache.values, newValues], 2) : newValues;
      // causal with Tq < Tk: the new queries are the last positions (causalMask's offset).
      const { output } = scaledDotProductAttention(q, keys, values, { causal: true });
      return { output: this.project(mergeHeads(output), 3), cache: { keys: keys as tf.Tensor4D, values: values as tf.Tensor4D } };
    });
  }

  /** RoPE on [batch, heads, T, d_k] when `rotary` is set; `offset` = position of the first step. */
  private rotate(x: tf.Tensor4D, offset: number): tf.Tensor4D {
    return this.rotary ? (applyRotaryEmbedding(x, { offset }) as tf.Tensor4D) : x;
  }

  private project(x: tf.Tensor, index: number): tf.Tensor {
    const { bias } = this.projections[index]!;
    const [batch, steps, width] = x.shape as [number, number, number];
    let y = tf.matMul(x.reshape([batch * steps, width]), this.effectiveKernel(index));
    if (bias) y = y.add(bias.read());
    return y.reshape([batch, steps, -1]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(), numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, outputDim: this.outputDim,
      useBias: this.useBias, causal: this.causal, cross: this.cross, rotary: this.rotary, seed: this.seed,
      // only with adapters, so that the configuration of a model without them (the pretrained files) is unchanged
      ...(this.loraOptions ? { lora: { ...this.loraOptions, projections: [...this.loraOptions.projections] } } : {}),
    };
  }

  private inputShapes(inputShape: tf.Shape | tf.Shape[]): { query: tf.Shape; memory: tf.Shape } {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as tf.Shape[];
    const expected = this.cross ? "[query, memory] or [query, memory, memoryMask]" : "query or [query, keyMask]";
    const count = shapes.length;
    if (this.cross ? count < 2 || count > 3 : count > 2) throw new RangeError(`MultiHeadAttention "${this.name}": expected ${expected}, got ${count} inputs`);
    return { query: shapes[0]!, memory: this.cross ? shapes[1]! : shapes[0]! };
  }

  private splitInputs(inputs: tf.Tensor | tf.Tensor[]): { query: tf.Tensor; memory: tf.Tensor; mask: tf.Tensor | null } {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.inputShapes(list.map((t) => t.shape));
    const query = list[0]!;
    const memory = this.cross ? list[1]! : query;
    const mask = (this.cross ? list[2] : list[1]) ?? null;
    for (const [name, tensor] of [["query", query], ["memory", memory]] as const) {
      if (tensor.rank !== 3) throw new RangeError(`MultiHeadAttention "${this.name}": ${name} must be [batch, T, features], got shape [${tensor.shape}]`);
    }
    if (mask && (mask.rank !== 2 || mask.shape[0] !== memory.shape[0] || mask.shape[1] !== memory.shape[1])) {
      throw new RangeError(`MultiHeadAttention "${this.name}": the key mask must be [batch, Tk] = [${memory.shape.slice(0, 2)}], got shape [${mask.shape}]`);
    }
    return { query, memory, mask };
  }
}
tf.serialization.registerClass(MultiHeadAttention);

/** Token ids [batch, T] → keep-mask [batch, T] (1 = token, 0 = `padId`), as a layer for functional models. */
export class PaddingMask extends tf.layers.Layer {
  static className = "LibPaddingMask";
  readonly padId: number;

  constructor(args: { padId?: number; name?: string } = {}) {
    super({ name: args.name, trainable: false });
    this.padId = args.padId ?? 0;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const ids = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    if (ids.rank !== 2) throw new RangeError(`PaddingMask "${this.name}": ids must be [batch, T], got shape [${ids.shape}]`);
    return tf.tidy(() => tf.notEqual(ids, this.padId).toFloat());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padId: this.padId };
  }
}
tf.serialization.registerClass(PaddingMask);

function checkLoraOptions(options: AttentionLoraOptions, where: string): Required<AttentionLoraOptions> {
  if (!Number.isInteger(options.rank) || options.rank < 1) throw new RangeError(`${where}: LoRA rank must be an integer ≥ 1, got ${options.rank}`);
  const alpha = options.alpha ?? options.rank;
  if (!(Number.isFinite(alpha) && alpha > 0)) throw new RangeError(`${where}: LoRA alpha must be a finite number > 0, got ${options.alpha}`);
  if (!Number.isInteger(options.seed)) throw new RangeError(`${where}: LoRA seed must be an integer, got ${options.seed}`);
  const projections = [...(options.projections ?? ["query", "value"])];
  const unknown = projections.filter((p) => !(ATTENTION_PROJECTIONS as readonly string[]).includes(p));
  if (unknown.length > 0 || projections.length === 0 || new Set(projections).size !== projections.length) {
    throw new RangeError(`${where}: LoRA projections must be distinct names among ${ATTENTION_PROJECTIONS.join(", ")}, got [${projections.join(", ")}]`);
  }
  return { rank: options.rank, alpha, projections, seed: options.seed };
}

function lastDimension(shape: tf.Shape, what: string): number {
  const last = shape[shape.length - 1];
  if (shape.length !== 3 || typeof last !== "number") throw new RangeError(`MultiHeadAttention: ${what} must be [batch, T, features] with known features, got shape [${shape}]`);
  return last;
}
