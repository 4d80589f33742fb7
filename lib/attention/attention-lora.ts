/**
 * LoRA fine-tuning of a whole Transformer model (Hu et al. 2021): low-rank adapters on the attention projections of
 * every `MultiHeadAttention` layer, every other weight frozen except the layers you name (the task head):
 *
 *   const { model, head } = classifier;                       // e.g. a pretrained encoder + a new dense head
 *   const lora = addAttentionLora(model, { rank: 4, alpha: 8, projections: ["query", "value"], seed: 0, train: head });
 *   lora.adapterParameters;                                   // Σ r·(in + out) over the adapted matrices
 *   model.trainableWeights;                                   // the adapters' A and B and the head, nothing else
 *
 * At the start the model computes exactly what it did (B = 0); afterwards `mergedWeights()` of each layer folds the
 * corrections into plain kernels. The adapters live in multi-head.ts (`lora` option, `addLora`).
 */
import { tf } from "../tf";
import { MultiHeadAttention, type AttentionLoraOptions } from "./multi-head";

export interface AttentionLoraResult {
  /** The adapted attention layers, in model order. */
  layers: MultiHeadAttention[];
  /** Trainable adapter parameters over all of them: Σ r·(in + out) per adapted matrix. */
  adapterParameters: number;
}

/**
 * Adds LoRA adapters to every MultiHeadAttention layer of `model` (layer i's A initialisers seeded from
 * seed + 10·i) and freezes every other layer except those in `train` (which stay as they are). The model is changed
 * in place; its trainableWeights afterwards are the adapters and the `train` layers' weights.
 */
export function addAttentionLora(model: tf.LayersModel, options: AttentionLoraOptions & { train?: readonly tf.layers.Layer[] }): AttentionLoraResult {
  const { train = [], ...lora } = options;
  const layers = model.layers;
  const attention = layers.filter((layer): layer is MultiHeadAttention => layer instanceof MultiHeadAttention);
  if (attention.length === 0) throw new Error(`addAttentionLora: model "${model.name}" has no MultiHeadAttention layer to adapt`);
  const foreign = train.filter((layer) => !layers.includes(layer as tf.layers.Layer));
  if (foreign.length > 0) throw new Error(`addAttentionLora: train lists layers that are not in model "${model.name}": ${foreign.map((l) => l.name).join(", ")}`);
  const adapterParameters = attention.reduce((sum, layer, i) => sum + layer.addLora({ ...lora, seed: lora.seed + 10 * i }), 0);
  for (const layer of layers) {
    if (!(layer instanceof MultiHeadAttention) && !train.includes(layer)) layer.trainable = false;
  }
  return { layers: attention, adapterParameters };
}
