/**
 * Transformer blocks for functional TensorFlow.js models, in the Keras-examples style (a function that wires
 * layers onto a symbolic tensor), so that countParams(), summary() and model.fit see every weight:
 *
 *   post-norm (Vaswani et al. 2017, BERT):  y = LN(x + MHA(x)),        out = LN(y + FFN(y))
 *   pre-norm  (GPT-2 and most LLMs since):  y = x + MHA(LN(x)),        out = y + FFN(LN(y))
 *
 * FFN(x) = ReLU(x·W₁ + b₁)·W₂ + b₂ (or GELU), position-wise. The decoder block adds causal self-attention and
 * cross-attention over the encoder's output (the memory) before its FFN. The encoder block with `causal: true` is the
 * decoder-only block of GPT-style language models (causal-lm.ts stacks it into one).
 *
 *   const mask = new PaddingMask().apply(ids) as tf.SymbolicTensor;
 *   let h = new PositionEmbedding({ maxLength: T, seed: 0 }).apply(embedded) as tf.SymbolicTensor;
 *   h = transformerEncoderBlock(h, mask, { numHeads: 4, ffDim: 128, seed: 1 });
 */
import { tf } from "../tf";
import { LayerNorm } from "../nn/layer-norm";
import { MultiHeadAttention, multiHeadAttentionParameterCount } from "./multi-head";

export interface TransformerBlockOptions {
  numHeads: number;
  /** Width of the position-wise feed-forward layer (typically 4·d_model). */
  ffDim: number;
  /** Per-head query/key/value size (default d_model / numHeads, which must then divide evenly). */
  keyDim?: number;
  /** Dropout after attention and after the FFN (default 0). */
  dropout?: number;
  /** Pre-norm (true) or the original post-norm (false, default). */
  normFirst?: boolean;
  /** Rotary positions (RoPE) in the self-attention. */
  rotary?: boolean;
  /** Encoder block only: causal self-attention, each position sees itself and earlier ones (the decoder-only, GPT
   *  block; with normFirst: true it is GPT-2's). The decoder block's self-attention is always causal. */
  causal?: boolean;
  /** FFN activation (default "relu"). */
  activation?: "relu" | "gelu";
  /** LayerNormalization epsilon (default 1e-5). */
  epsilon?: number;
  /** Base seed of the block's initialisers (each sub-layer uses seed + an offset below 10; dropout masks come from
   *  Math.random, seeded by setupTf). */
  seed: number;
  /** Prefix of the sub-layers' names. */
  name?: string;
}

/**
 * One encoder block on x [batch, T, d_model]; `mask` is a keep-mask [batch, T] over the keys, or null. With
 * `causal: true` it is a decoder-only (GPT) block: no cross-attention, self-attention over earlier positions only.
 */
export function transformerEncoderBlock(x: tf.SymbolicTensor, mask: tf.SymbolicTensor | null, options: TransformerBlockOptions): tf.SymbolicTensor {
  const plan = blockPlan(x, options, "transformerEncoderBlock");
  const attention = new MultiHeadAttention({ numHeads: options.numHeads, keyDim: plan.keyDim, causal: options.causal ?? false, rotary: options.rotary, seed: options.seed, name: `${plan.name}_attention` });
  const attend = (input: tf.SymbolicTensor) => attention.apply(mask ? [input, mask] : input) as tf.SymbolicTensor;
  const afterAttention = residual(x, attend, plan, "attention");
  return residual(afterAttention, (input) => feedForward(input, plan, options), plan, "ffn");
}

/**
 * One decoder block on x [batch, T, d_model]: causal self-attention, then cross-attention over `memory`
 * [batch, S, d_memory] (with its keep-mask [batch, S] or null), then the FFN; each with its residual and norm.
 */
export function transformerDecoderBlock(x: tf.SymbolicTensor, memory: tf.SymbolicTensor, memoryMask: tf.SymbolicTensor | null, options: TransformerBlockOptions): tf.SymbolicTensor {
  const plan = blockPlan(x, options, "transformerDecoderBlock");
  const selfAttention = new MultiHeadAttention({ numHeads: options.numHeads, keyDim: plan.keyDim, causal: true, rotary: options.rotary, seed: options.seed, name: `${plan.name}_self_attention` });
  const crossAttention = new MultiHeadAttention({ numHeads: options.numHeads, keyDim: plan.keyDim, cross: true, seed: options.seed + 4, name: `${plan.name}_cross_attention` });
  const afterSelf = residual(x, (input) => selfAttention.apply(input) as tf.SymbolicTensor, plan, "self_attention");
  const afterCross = residual(afterSelf, (input) => crossAttention.apply(memoryMask ? [input, memory, memoryMask] : [input, memory]) as tf.SymbolicTensor, plan, "cross_attention");
  return residual(afterCross, (input) => feedForward(input, plan, options), plan, "ffn");
}

/**
 * Trainable parameters of one encoder block (keyDim · numHeads = d_model by default):
 * attention 4·d·(h·d_k) + 3·h·d_k + d, two LayerNorms 2·2d, FFN d·f + f + f·d + d.
 */
export function transformerEncoderParameterCount(dModel: number, options: Pick<TransformerBlockOptions, "numHeads" | "ffDim" | "keyDim">): number {
  const keyDim = options.keyDim ?? dModel / options.numHeads;
  return multiHeadAttentionParameterCount({ queryDim: dModel, numHeads: options.numHeads, keyDim }) + 2 * 2 * dModel + feedForwardParameterCount(dModel, options.ffDim);
}

/** Trainable parameters of one decoder block (self- and cross-attention over a memory of width dMemory). */
export function transformerDecoderParameterCount(dModel: number, options: Pick<TransformerBlockOptions, "numHeads" | "ffDim" | "keyDim"> & { dMemory?: number }): number {
  const keyDim = options.keyDim ?? dModel / options.numHeads;
  return multiHeadAttentionParameterCount({ queryDim: dModel, numHeads: options.numHeads, keyDim })
    + multiHeadAttentionParameterCount({ queryDim: dModel, memoryDim: options.dMemory ?? dModel, numHeads: options.numHeads, keyDim })
    + 3 * 2 * dModel + feedForwardParameterCount(dModel, options.ffDim);
}

function feedForwardParameterCount(dModel: number, ffDim: number): number {
  return dModel * ffDim + ffDim + ffDim * dModel + dModel;
}

interface BlockPlan {
  dModel: number;
  keyDim: number;
  name: string;
  normFirst: boolean;
  dropout: number;
  epsilon: number;
  seed: number;
}

let blockCounter = 0;

function blockPlan(x: tf.SymbolicTensor, options: TransformerBlockOptions, caller: string): BlockPlan {
  const dModel = x.shape[x.shape.length - 1];
  if (x.shape.length !== 3 || typeof dModel !== "number") throw new RangeError(`${caller}: x must be [batch, T, d_model] with a known d_model, got shape [${x.shape}]`);
  for (const [name, value] of [["numHeads", options.numHeads], ["ffDim", options.ffDim]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${caller}: ${name} must be an integer ≥ 1, got ${value}`);
  }
  const keyDim = options.keyDim ?? dModel / options.numHeads;
  if (!Number.isInteger(keyDim) || keyDim < 1) throw new RangeError(`${caller}: d_model = ${dModel} does not split into ${options.numHeads} heads (give keyDim)`);
  const dropout = options.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`${caller}: dropout must be in [0, 1), got ${dropout}`);
  if (!Number.isInteger(options.seed)) throw new RangeError(`${caller}: seed must be an integer, got ${options.seed}`);
  return {
    dModel, keyDim, dropout, normFirst: options.normFirst ?? false, epsilon: options.epsilon ?? 1e-5, seed: options.seed,
    name: options.name ?? `transformer_block_${++blockCounter}`,
  };
}

/** x + sublayer(…) with the norm before (pre-norm) or after (post-norm) and dropout on the sublayer's output. */
function residual(x: tf.SymbolicTensor, sublayer: (input: tf.SymbolicTensor) => tf.SymbolicTensor, plan: BlockPlan, part: string): tf.SymbolicTensor {
  const norm = new LayerNorm({ epsilon: plan.epsilon, name: `${plan.name}_${part}_norm` });
  let update = sublayer(plan.normFirst ? (norm.apply(x) as tf.SymbolicTensor) : x);
  // No seed on purpose: a seeded tfjs Dropout repeats one mask at every step; its masks come from Math.random,
  // which setupTf({ seed }) seeds.
  if (plan.dropout > 0) update = tf.layers.dropout({ rate: plan.dropout, name: `${plan.name}_${part}_dropout` }).apply(update) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: `${plan.name}_${part}_residual` }).apply([x, update]) as tf.SymbolicTensor;
  return plan.normFirst ? sum : (norm.apply(sum) as tf.SymbolicTensor);
}

function feedForward(x: tf.SymbolicTensor, plan: BlockPlan, options: TransformerBlockOptions): tf.SymbolicTensor {
  const hidden = tf.layers.dense({
    units: options.ffDim, activation: options.activation === "gelu" ? "gelu" : "relu",
    kernelInitializer: tf.initializers.glorotUniform({ seed: plan.seed + 5 }), name: `${plan.name}_ffn_hidden`,
  }).apply(x) as tf.SymbolicTensor;
  return tf.layers.dense({ units: plan.dModel, kernelInitializer: tf.initializers.glorotUniform({ seed: plan.seed + 6 }), name: `${plan.name}_ffn_output` }).apply(hidden) as tf.SymbolicTensor;
}
