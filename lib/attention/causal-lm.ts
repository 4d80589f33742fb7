/**
 * A GPT-style causal language model as one functional TensorFlow.js model (notebook 24's tiny GPT, and the `lm`
 * workload of scripts/bench):
 *
 *   ids [batch, T] → token embedding + learned positions → `blocks` × pre-norm causal block → LayerNorm → Dense(V)
 *
 * whose output [batch, T, V] at position t is the logits of token t + 1 given tokens 0 … t. The blocks are
 * transformer.ts's encoder block with `causal: true, normFirst: true` (GPT-2's order: y = x + MHA(LN(x)),
 * out = y + FFN(LN(y))). T may be anything up to `maxLength`, so a prefix can be scored without padding.
 */
import { tf } from "../tf";
import { LayerNorm } from "../nn/layer-norm";
import { PositionEmbedding } from "./positional";
import { transformerEncoderBlock, transformerEncoderParameterCount } from "./transformer";

export interface CausalLanguageModelOptions {
  /** Token ids are 0 … vocabularySize − 1. */
  vocabularySize: number;
  /** The longest context: learned positions exist for 0 … maxLength − 1. */
  maxLength: number;
  dModel: number;
  numHeads: number;
  /** Width of each block's feed-forward layer (default 4·dModel). */
  ffDim?: number;
  /** Number of causal blocks. */
  blocks: number;
  /** Dropout in the blocks (default 0). */
  dropout?: number;
  /** Base seed of every initialiser (each part offsets it). */
  seed: number;
  /** Prefix of the layers' names (default "causal_lm"). */
  name?: string;
}

export function causalLanguageModel(options: CausalLanguageModelOptions): tf.LayersModel {
  const { vocabularySize, maxLength, dModel, numHeads, blocks, seed, name = "causal_lm" } = options;
  const ffDim = options.ffDim ?? 4 * dModel;
  for (const [key, value] of [["vocabularySize", vocabularySize], ["maxLength", maxLength], ["dModel", dModel], ["blocks", blocks]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`causalLanguageModel: ${key} must be an integer ≥ 1, got ${value}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`causalLanguageModel: seed must be an integer, got ${seed}`);
  const ids = tf.input({ shape: [null], dtype: "int32", name: `${name}_ids` });
  const embedded = tf.layers.embedding({
    inputDim: vocabularySize, outputDim: dModel, embeddingsInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed }), name: `${name}_tokens`,
  }).apply(ids) as tf.SymbolicTensor;
  let h = new PositionEmbedding({ maxLength, seed: seed + 1, name: `${name}_positions` }).apply(embedded) as tf.SymbolicTensor;
  for (let i = 0; i < blocks; i++) {
    h = transformerEncoderBlock(h, null, { numHeads, ffDim, dropout: options.dropout, normFirst: true, causal: true, seed: seed + 10 * (i + 1), name: `${name}_block${i}` });
  }
  h = new LayerNorm({ epsilon: 1e-5, name: `${name}_final_norm` }).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: vocabularySize, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }), name: `${name}_logits` }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: ids, outputs: logits, name });
}

/**
 * Trainable parameters: token embedding V·d + positions T·d + blocks × (one pre-norm block) + final LayerNorm 2d
 * + output layer d·V + V.
 */
export function causalLanguageModelParameterCount(options: Omit<CausalLanguageModelOptions, "seed" | "name" | "dropout">): number {
  const { vocabularySize: V, maxLength: T, dModel: d, numHeads, blocks } = options;
  const ffDim = options.ffDim ?? 4 * d;
  return V * d + T * d + blocks * transformerEncoderParameterCount(d, { numHeads, ffDim }) + 2 * d + d * V + V;
}
