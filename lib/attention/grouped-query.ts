/**
 * Grouped-query attention (GQA, Ainslie et al. 2023) and multi-query attention (MQA, Shazeer 2019): h query
 * heads share g key/value heads, each K/V head serving h/g consecutive query heads. g = h is ordinary multi-head
 * attention, g = 1 is MQA. Only K and V shrink, so the KV cache of autoregressive decoding shrinks by h/g.
 */
import { tf } from "../tf";
import { scaledDotProductAttention, type AttentionOptions, type AttentionResult } from "./attention";

/**
 * query [batch, h, Tq, d_k], key [batch, g, Tk, d_k], value [batch, g, Tk, d_v] with g dividing h; query head i
 * uses K/V head ⌊i / (h/g)⌋. Returns output [batch, h, Tq, d_v] and weights [batch, h, Tq, Tk].
 */
export function groupedQueryAttention(query: tf.Tensor4D, key: tf.Tensor4D, value: tf.Tensor4D, options: AttentionOptions = {}): AttentionResult {
  for (const [name, tensor] of [["query", query], ["key", key], ["value", value]] as const) {
    if (tensor.rank !== 4) throw new RangeError(`groupedQueryAttention: ${name} must be [batch, heads, T, d], got shape [${tensor.shape}]`);
  }
  const queryHeads = query.shape[1], kvHeads = key.shape[1];
  if (value.shape[1] !== kvHeads) throw new RangeError(`groupedQueryAttention: key has ${kvHeads} heads but value has ${value.shape[1]}`);
  if (queryHeads % kvHeads !== 0) throw new RangeError(`groupedQueryAttention: ${queryHeads} query heads do not split into ${kvHeads} key/value groups`);
  const repeats = queryHeads / kvHeads;
  return tf.tidy(() => {
    // [batch, g, T, d] → [batch, g·repeats, T, d] with each K/V head repeated for its consecutive query heads.
    const expand = (x: tf.Tensor4D) => {
      const [batch, groups, steps, depth] = x.shape;
      return x.expandDims(2).tile([1, 1, repeats, 1, 1]).reshape([batch, groups * repeats, steps, depth]);
    };
    const { output, weights } = scaledDotProductAttention(query, expand(key), expand(value), options);
    return { output: output, weights: weights };
  });
}

/** Numbers stored in a KV cache: keys and values for every layer, sequence, cached token and K/V head. */
export function kvCacheElements(sizes: { layers: number; batch: number; tokens: number; kvHeads: number; headDim: number }): number {
  const { layers, batch, tokens, kvHeads, headDim } = sizes;
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`kvCacheElements: ${name} must be an integer ≥ 1, got ${value}`);
  }
  return 2 * layers * batch * tokens * kvHeads * headDim;
}
