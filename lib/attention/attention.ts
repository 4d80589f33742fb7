/**
 * Scaled dot-product attention (Vaswani et al. 2017), the one implementation that notebooks 19–24 share:
 *
 *   weights = softmax(Q·Kᵀ · scale + mask term)   over the KEY axis (the last one), scale = 1/√d_k by default
 *   output  = weights · V
 *
 * Shapes: query [..., Tq, d_k], key [..., Tk, d_k], value [..., Tk, d_v], with the same leading (batch, head)
 * dimensions; weights [..., Tq, Tk], output [..., Tq, d_v].
 *
 * Masks keep rather than block: a mask is 1 (or true) where a query may look at a key and 0 where it may not,
 * broadcast against the scores [..., Tq, Tk] from the right (so a key-padding mask for [batch, Tq, Tk] scores is
 * [batch, 1, Tk]: `keyPaddingMask`). Masked scores get −10⁹ before the softmax, so their weights underflow to
 * exactly 0, and the weights are multiplied by the mask afterwards, so a query whose every key is masked gets
 * all-zero weights and a zero output (not the uniform average a bare −10⁹ would give it).
 *
 *   const { output, weights } = scaledDotProductAttention(q, k, v, { mask: keyPaddingMask(ids), causal: true });
 */
import { tf } from "../tf";

export interface AttentionOptions {
  /** Keep-mask (1 = may attend, 0 = may not), broadcastable to the scores [..., Tq, Tk] from the right. */
  mask?: tf.Tensor;
  /** Also hide the future: query i sees key j only if j ≤ i + (Tk − Tq) (`causalMask`). */
  causal?: boolean;
  /** Multiplies Q·Kᵀ (default 1/√d_k). */
  scale?: number;
}

export interface AttentionResult {
  /** [..., Tq, d_v] */
  output: tf.Tensor;
  /** [..., Tq, Tk]: each row sums to 1 over the keys it may see (0 if it may see none) */
  weights: tf.Tensor;
}

/** The score added where a mask is 0: far below any real score, so that exp() of it is exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

export function scaledDotProductAttention(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, options: AttentionOptions = {}): AttentionResult {
  const [tq, tk] = checkAttentionShapes(query, key, value);
  const scale = options.scale ?? 1 / Math.sqrt(query.shape[query.rank - 1]!);
  if (!Number.isFinite(scale)) throw new RangeError(`scaledDotProductAttention: scale must be a finite number, got ${options.scale}`);
  const scoresShape = [...query.shape.slice(0, -1), tk];
  if (options.mask) checkBroadcastable(options.mask.shape, scoresShape, "mask");
  return tf.tidy(() => {
    let keep: tf.Tensor | null = options.mask ? options.mask.toFloat() : null;
    if (options.causal) {
      const causal = causalMask(tq, tk);
      keep = keep ? keep.mul(causal) : causal;
    }
    let scores = tf.matMul(query, key, false, true).mul(scale);
    if (keep) scores = scores.add(tf.scalar(1).sub(keep).mul(MASKED_SCORE));
    let weights = tf.softmax(scores);
    if (keep) weights = weights.mul(keep);
    return { output: tf.matMul(weights, value), weights: weights };
  });
}

/**
 * [Tq, Tk] keep-mask of causal (autoregressive) attention: 1 where key j ≤ i + (Tk − Tq). With Tq = Tk it is the
 * lower triangle; with fewer queries than keys the queries are the LAST Tq positions (incremental decoding with a
 * KV cache: the new tokens see every cached one and the new ones before them).
 */
export function causalMask(tq: number, tk: number): tf.Tensor2D {
  for (const [name, value] of [["tq", tq], ["tk", tk]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`causalMask: ${name} must be an integer ≥ 1, got ${value}`);
  }
  if (tq > tk) throw new RangeError(`causalMask: ${tq} queries but only ${tk} keys (the queries are the last positions of the keys)`);
  const offset = tk - tq;
  const values = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) for (let j = 0; j <= i + offset; j++) values[i * tk + j] = 1;
  return tf.tensor2d(values, [tq, tk]);
}

/**
 * [batch, 1, Tk] keep-mask from token ids [batch, Tk]: 0 at padding (`padId`, default 0), 1 elsewhere, shaped to
 * broadcast over the queries of [batch, Tq, Tk] scores. For [batch, heads, Tq, Tk] scores use
 * `keyPaddingMask(ids).expandDims(1)`.
 */
export function keyPaddingMask(ids: tf.Tensor | readonly (readonly number[])[], padId = 0): tf.Tensor3D {
  return tf.tidy(() => {
    const tensor = ids instanceof tf.Tensor ? ids : tf.tensor2d(ids as number[][], undefined, "int32");
    if (tensor.rank !== 2) throw new RangeError(`keyPaddingMask: ids must be [batch, Tk], got shape [${tensor.shape}]`);
    return tf.notEqual(tensor, padId).toFloat().expandDims(1) as tf.Tensor3D;
  });
}

function checkAttentionShapes(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor): [number, number] {
  const describe = () => `query [${query.shape}], key [${key.shape}], value [${value.shape}]`;
  if (query.rank < 2 || query.rank !== key.rank || query.rank !== value.rank) {
    throw new RangeError(`scaledDotProductAttention: query, key and value must have one rank ≥ 2 ([..., T, d]), got ${describe()}`);
  }
  const lead = query.shape.slice(0, -2).join(",");
  if (key.shape.slice(0, -2).join(",") !== lead || value.shape.slice(0, -2).join(",") !== lead) {
    throw new RangeError(`scaledDotProductAttention: leading (batch, head) dimensions differ: ${describe()}`);
  }
  if (query.shape[query.rank - 1] !== key.shape[key.rank - 1]) {
    throw new RangeError(`scaledDotProductAttention: query and key need the same last dimension d_k: ${describe()}`);
  }
  if (key.shape[key.rank - 2] !== value.shape[value.rank - 2]) {
    throw new RangeError(`scaledDotProductAttention: key and value need the same number of positions Tk: ${describe()}`);
  }
  return [query.shape[query.rank - 2]!, key.shape[key.rank - 2]!];
}

/** Throws unless `shape` broadcasts to `target` from the right (each dimension 1 or equal). */
export function checkBroadcastable(shape: readonly number[], target: readonly number[], what: string): void {
  const ok = shape.length <= target.length && shape.every((size, i) => size === 1 || size === target[target.length - shape.length + i]);
  if (!ok) throw new RangeError(`scaledDotProductAttention: ${what} of shape [${shape}] does not broadcast to the scores [${target}] (align from the right; a key-padding mask for [batch, Tq, Tk] is [batch, 1, Tk])`);
}
