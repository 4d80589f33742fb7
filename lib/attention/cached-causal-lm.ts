/**
 * KV-cached generation for the GPT-style model of causal-lm.ts: each new token runs through the model once, and
 * its attention reads the keys and values of the earlier tokens from a cache (MultiHeadAttention.decodeStep)
 * instead of recomputing them, so a step costs O(T) attention work and one position's projections and FFN, not
 * the whole prefix again.
 *
 *   const cached = new CachedCausalLanguageModel(gpt);   // gpt from causalLanguageModel(...)
 *   const logits = cached.append([[3, 1, 4]]);          // [batch][new tokens][V]: the prompt at once
 *   cached.append([[1]]);                                // then one token at a time
 *   greedyDecode(cached.stepFunction(), { eos, maxLength, start: prompt });  // a decoding.ts step, cached
 *   cached.dispose();                                     // frees the cache (not the model)
 *
 * It reuses the model's own layers (found by causal-lm.ts's layer names), so its logits are the model's, within
 * float32 rounding. Learned absolute positions allow at most `maxLength` tokens: a longer text needs a sliding
 * window, which shifts every position and so invalidates the cache (the step function then starts again).
 */
import { tf } from "../tf";
import type { NextTokenLogProbs } from "../sequence/decoding";
import type { KeyValueCache, MultiHeadAttention } from "./multi-head";

interface CachedBlock {
  attentionNorm: tf.layers.Layer;
  attention: MultiHeadAttention;
  ffnNorm: tf.layers.Layer;
  ffnHidden: tf.layers.Layer;
  ffnOutput: tf.layers.Layer;
}

export class CachedCausalLanguageModel {
  readonly maxLength: number;
  readonly vocabularySize: number;
  private readonly tokens: tf.layers.Layer;
  private readonly positions: tf.layers.Layer;
  private readonly blocks: CachedBlock[];
  private readonly finalNorm: tf.layers.Layer;
  private readonly logits: tf.layers.Layer;
  private caches: (KeyValueCache | null)[];
  private cachedIds: number[][] = [];

  constructor(model: tf.LayersModel) {
    const name = model.name;
    const layer = (suffix: string): tf.layers.Layer => {
      const found = model.layers.find((l) => l.name === `${name}_${suffix}`);
      if (!found) throw new RangeError(`CachedCausalLanguageModel: model "${name}" has no layer "${name}_${suffix}" (build it with causalLanguageModel)`);
      return found;
    };
    this.tokens = layer("tokens");
    this.positions = layer("positions");
    this.finalNorm = layer("final_norm");
    this.logits = layer("logits");
    this.blocks = [];
    for (let i = 0; model.layers.some((l) => l.name === `${name}_block${i}_attention`); i++) {
      const attention = layer(`block${i}_attention`) as MultiHeadAttention;
      if (typeof attention.decodeStep !== "function" || !attention.causal) throw new RangeError(`CachedCausalLanguageModel: layer "${attention.name}" is not a causal MultiHeadAttention`);
      this.blocks.push({
        attentionNorm: layer(`block${i}_attention_norm`), attention, ffnNorm: layer(`block${i}_ffn_norm`),
        ffnHidden: layer(`block${i}_ffn_hidden`), ffnOutput: layer(`block${i}_ffn_output`),
      });
    }
    if (this.blocks.length === 0) throw new RangeError(`CachedCausalLanguageModel: model "${name}" has no layer "${name}_block0_attention" (build it with causalLanguageModel)`);
    this.maxLength = (this.positions as unknown as { maxLength: number }).maxLength;
    this.vocabularySize = (this.logits.getWeights()[1] ?? this.logits.getWeights()[0]!).shape.at(-1)!;
    this.caches = this.blocks.map(() => null);
  }

  /** Tokens per row already in the cache. */
  get length(): number {
    return this.cachedIds[0]?.length ?? 0;
  }

  /** The token ids in the cache, per row (a copy). */
  get ids(): number[][] {
    return this.cachedIds.map((row) => [...row]);
  }

  /**
   * Runs the new tokens `ids` [batch][tNew] (every row the same length; the same batch size as before) through the
   * model after the cached ones and returns their logits [batch][tNew][V]: row b, step t holds the logits of the
   * token after ids[b][t].
   */
  append(ids: readonly (readonly number[])[]): number[][][] {
    const batch = ids.length;
    const tNew = ids[0]?.length ?? 0;
    if (batch === 0 || tNew === 0) throw new RangeError("CachedCausalLanguageModel.append: no new tokens given");
    ids.forEach((row, b) => {
      if (row.length !== tNew) throw new RangeError(`CachedCausalLanguageModel.append: row ${b} has ${row.length} tokens, row 0 has ${tNew}`);
      row.forEach((id, t) => {
        if (!Number.isInteger(id) || id < 0 || id >= this.vocabularySize) throw new RangeError(`CachedCausalLanguageModel.append: ids[${b}][${t}] = ${id} is not a token id (0 … ${this.vocabularySize - 1})`);
      });
    });
    if (this.length > 0 && batch !== this.cachedIds.length) throw new RangeError(`CachedCausalLanguageModel.append: the cache holds ${this.cachedIds.length} rows, got ${batch} (reset() first)`);
    const offset = this.length;
    if (offset + tNew > this.maxLength) throw new RangeError(`CachedCausalLanguageModel.append: ${offset} cached + ${tNew} new tokens exceed the model's ${this.maxLength} positions`);
    const previous = this.caches;
    let logits: number[][][] = [];
    const caches: KeyValueCache[] = [];
    tf.tidy(() => {
      let h = this.tokens.apply(tf.tensor2d(ids.map((row) => [...row]), [batch, tNew], "int32")) as tf.Tensor;
      const table = this.positions.getWeights()[0]!;
      h = h.add(table.slice([offset, 0], [tNew, -1]));
      this.blocks.forEach((block, i) => {
        const { output, cache } = block.attention.decodeStep(block.attentionNorm.apply(h) as tf.Tensor, previous[i]!);
        caches.push({ keys: tf.keep(cache.keys), values: tf.keep(cache.values) });
        h = h.add(output);
        h = h.add(block.ffnOutput.apply(block.ffnHidden.apply(block.ffnNorm.apply(h) as tf.Tensor) as tf.Tensor) as tf.Tensor);
      });
      const out = this.logits.apply(this.finalNorm.apply(h) as tf.Tensor) as tf.Tensor;
      logits = out.arraySync() as number[][][];
    });
    for (const cache of previous) if (cache) tf.dispose([cache.keys, cache.values]);
    this.caches = caches;
    this.cachedIds = offset === 0 ? ids.map((row) => [...row]) : this.cachedIds.map((row, b) => [...row, ...ids[b]!]);
    return logits;
  }

  /** Empties the cache (a new text can start). */
  reset(): void {
    for (const cache of this.caches) if (cache) tf.dispose([cache.keys, cache.values]);
    this.caches = this.blocks.map(() => null);
    this.cachedIds = [];
  }

  /** Frees the cache's tensors; the model and its weights are untouched. */
  dispose(): void {
    this.reset();
  }

  /**
   * A decoding.ts `step` (one prefix at a time) that keeps the cache across calls: a prefix that extends the cached
   * tokens costs only its new tokens; any other prefix (a new text) resets the cache and runs whole. Prefixes longer
   * than maxLength are refused (a sliding window would invalidate the cache). Returns log-softmax rows.
   */
  stepFunction(): NextTokenLogProbs {
    return (prefixes) => {
      if (prefixes.length !== 1) throw new RangeError(`CachedCausalLanguageModel.stepFunction: one prefix at a time, got ${prefixes.length}`);
      const prefix = prefixes[0]!;
      const cached = this.cachedIds[0] ?? [];
      const extends_ = this.cachedIds.length === 1 && cached.length < prefix.length && cached.every((id, t) => id === prefix[t]);
      if (!extends_) this.reset();
      const fresh = prefix.slice(extends_ ? cached.length : 0);
      const rows = this.append([fresh]);
      return [logSoftmax(rows[0]!.at(-1)!)];
    };
  }
}

/** log softmax in float64 (the row a decoding.ts step returns). */
function logSoftmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const logTotal = Math.log(logits.reduce((sum, logit) => sum + Math.exp(logit - max), 0)) + max;
  return logits.map((logit) => logit - logTotal);
}
