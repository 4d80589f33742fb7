/**
 * A BERT-style encoder (Devlin et al. 2019) at toy scale, as functional TensorFlow.js models, and its inputs:
 *
 *   [CLS] A [SEP] B [SEP]  →  token embedding + segment embedding (0 for A, 1 for B) + learned position
 *                          →  LayerNorm → `layers` × Transformer encoder block (GELU) → (LayerNorm) → hidden [B, T, d]
 *
 * The blocks are pre-norm by default (y = x + MHA(LN(x)), as GPT-2 and most encoders since), with a final
 * LayerNorm; `normFirst: false` gives BERT's original post-norm blocks (y = LN(x + MHA(x))). Measured here: with
 * post-norm, the tiny model stayed on the unigram plateau for 600 Adam steps (on Shakespeare, and on a copy-the-
 * neighbour toy task that pre-norm learned in 250), the slow start that BERT's long learning-rate warm-up exists for.
 *
 *   const encoder = bertEncoder({ vocabularySize: tokenizer.size, maxLength: 64, dModel: 64, numHeads: 4, ffDim: 128, layers: 2, seed: 0 });
 *   const mlm = bertMlmModel(encoder, { seed: 0 });        // [tokenIds, segmentIds] → logits [B, T, V]
 *   const x = bertInputs(tokenizer, "Where is he?", "He is in Rome.", 32);   // ids, segmentIds, mask, offsets
 *
 * The padding mask comes from the token ids ([PAD] = 0), so the encoder takes only ids and segment ids. The MLM
 * head is BERT's: Dense(d, GELU) → LayerNorm → the token embedding matrix transposed (weights tied, as in BERT) +
 * a bias per vocabulary entry. `loadPretrainedBert(name)` loads data/pretrained/<name>/ (made by
 * scripts/data/pretrain-tiny-bert.ts) as { encoder, mlm, tokenizer, recipe }. The custom layers here and in
 * multi-head.ts, positional.ts and nn/layer-norm.ts are registered with tf.serialization, so the models save and load.
 */
import * as path from "node:path";
import { tf } from "../tf";
import { LayerNorm } from "../nn/layer-norm";
import { pretrainedDir, verifyPretrained, type PretrainedRecipe } from "../nn/pretrained";
import { CLS_ID, PAD_ID, SEP_ID, WordPieceTokenizer, type WordPieceJson } from "../text/wordpiece";
import { PaddingMask } from "./multi-head";
import { PositionEmbedding } from "./positional";
import { transformerEncoderBlock } from "./transformer";

export interface BertConfig {
  vocabularySize: number;
  /** The longest input, [CLS] and [SEP]s included (learned positions 0 … maxLength − 1). */
  maxLength: number;
  dModel: number;
  numHeads: number;
  /** Feed-forward width of each block (BERT: 4·dModel). */
  ffDim: number;
  /** Number of encoder blocks. */
  layers: number;
  /** Pre-norm blocks and a final LayerNorm (true, the default) or BERT's original post-norm blocks (false). */
  normFirst?: boolean;
  /**
   * How positions enter: "learned" (BERT's table of position vectors added to the embeddings, the default) or
   * "rotary" (RoPE on each head's queries and keys, as RoFormer; no table, so maxLength only bounds the input).
   */
  positions?: "learned" | "rotary";
  /** Dropout after the embeddings and in the blocks (default 0). */
  dropout?: number;
  /** Base seed of every initialiser. */
  seed: number;
  /** Prefix of the layer names (default "bert"). */
  name?: string;
}

/**
 * An embedding whose matrix also maps hidden vectors back to vocabulary scores, so input and output share it
 * (KerasNLP's ReversibleEmbedding). Applied to token ids [batch, T] it returns E[ids] [batch, T, d]; applied to
 * hidden states [batch, T, d] it returns h·Eᵀ [batch, T, V]. Use the same instance for both to tie the weights.
 */
export class ReversibleEmbedding extends tf.layers.Layer {
  static className = "LibReversibleEmbedding";
  readonly inputDim: number;
  readonly outputDim: number;
  private readonly seed: number;
  private embeddings: tf.LayerVariable | null = null;

  constructor(args: { inputDim: number; outputDim: number; seed: number; name?: string }) {
    super({ name: args.name });
    for (const [key, value] of [["inputDim", args.inputDim], ["outputDim", args.outputDim]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`ReversibleEmbedding: ${key} must be an integer ≥ 1, got ${value}`);
    }
    if (!Number.isInteger(args.seed)) throw new RangeError(`ReversibleEmbedding: seed must be an integer, got ${args.seed}`);
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.seed = args.seed;
  }

  override build(): void {
    this.embeddings = this.addWeight("embeddings", [this.inputDim, this.outputDim], "float32", tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: this.seed }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length === 2) return [...shape, this.outputDim];
    if (shape.length === 3 && shape[2] === this.outputDim) return [shape[0]!, shape[1]!, this.inputDim];
    throw new RangeError(`ReversibleEmbedding "${this.name}": input must be ids [batch, T] or hidden states [batch, T, ${this.outputDim}], got shape [${shape}]`);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    this.computeOutputShape(x.shape);
    return tf.tidy(() => {
      const table = this.embeddings!.read();
      if (x.rank === 2) return tf.gather(table, x.toInt());
      const [batch, steps] = x.shape as [number, number, number];
      return tf.matMul(x.reshape([batch * steps, this.outputDim]), table, false, true).reshape([batch, steps, this.inputDim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim, seed: this.seed };
  }
}
tf.serialization.registerClass(ReversibleEmbedding);

/** Adds a learned bias vector to the last axis (the MLM head's per-token output bias). */
export class BiasAdd extends tf.layers.Layer {
  static className = "LibBiasAdd";
  private bias: tf.LayerVariable | null = null;

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const last = shape[shape.length - 1];
    if (typeof last !== "number") throw new RangeError(`BiasAdd "${this.name}": the last dimension must be known, got shape [${shape}]`);
    this.bias = this.addWeight("bias", [last], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    return tf.tidy(() => x.add(this.bias!.read()));
  }
}
tf.serialization.registerClass(BiasAdd);

function checkConfig(config: BertConfig): Required<BertConfig> {
  for (const key of ["vocabularySize", "maxLength", "dModel", "numHeads", "ffDim", "layers"] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`bertEncoder: ${key} must be an integer ≥ 1, got ${value}`);
  }
  if (config.dModel % config.numHeads !== 0) throw new RangeError(`bertEncoder: dModel = ${config.dModel} does not split into numHeads = ${config.numHeads} heads`);
  if (!Number.isInteger(config.seed)) throw new RangeError(`bertEncoder: seed must be an integer, got ${config.seed}`);
  const dropout = config.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`bertEncoder: dropout must be in [0, 1), got ${config.dropout}`);
  const positions = config.positions ?? "learned";
  if (positions !== "learned" && positions !== "rotary") throw new RangeError(`bertEncoder: positions must be "learned" or "rotary", got ${JSON.stringify(config.positions)}`);
  return { ...config, dropout, positions, normFirst: config.normFirst ?? true, name: config.name ?? "bert" };
}

/** Layer names of a BERT built with prefix `name`: where `bertMlmModel` and `loadPretrainedBert` find its parts. */
export function bertLayerNames(name = "bert"): { tokenEmbedding: string; segmentEmbedding: string; output: (layers: number, normFirst?: boolean) => string } {
  return {
    tokenEmbedding: `${name}_token_embedding`,
    segmentEmbedding: `${name}_segment_embedding`,
    // Pre-norm: the final LayerNorm; post-norm: the last block's own (transformer.ts names it <block>_ffn_norm).
    output: (layers: number, normFirst = true) => (normFirst ? `${name}_final_norm` : `${name}_layer${layers - 1}_ffn_norm`),
  };
}

/** The encoder: inputs [tokenIds [batch, T] int32, segmentIds [batch, T] int32] (T ≤ maxLength), output [batch, T, d]. */
export function bertEncoder(options: BertConfig): tf.LayersModel {
  const config = checkConfig(options);
  const { name, seed, dModel } = config;
  const names = bertLayerNames(name);
  const tokenIds = tf.input({ shape: [null], dtype: "int32", name: `${name}_token_ids` });
  const segmentIds = tf.input({ shape: [null], dtype: "int32", name: `${name}_segment_ids` });
  const mask = new PaddingMask({ padId: PAD_ID, name: `${name}_padding_mask` }).apply(tokenIds) as tf.SymbolicTensor;
  const tokens = new ReversibleEmbedding({ inputDim: config.vocabularySize, outputDim: dModel, seed, name: names.tokenEmbedding }).apply(tokenIds) as tf.SymbolicTensor;
  const segments = tf.layers.embedding({
    inputDim: 2, outputDim: dModel, embeddingsInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seed + 1 }), name: names.segmentEmbedding,
  }).apply(segmentIds) as tf.SymbolicTensor;
  let h = tf.layers.add({ name: `${name}_embedding_sum` }).apply([tokens, segments]) as tf.SymbolicTensor;
  if (config.positions === "learned") h = new PositionEmbedding({ maxLength: config.maxLength, seed: seed + 2, name: `${name}_position_embedding` }).apply(h) as tf.SymbolicTensor;
  h = new LayerNorm({ epsilon: 1e-12, name: `${name}_embedding_norm` }).apply(h) as tf.SymbolicTensor;
  if (config.dropout > 0) h = tf.layers.dropout({ rate: config.dropout, name: `${name}_embedding_dropout` }).apply(h) as tf.SymbolicTensor;
  for (let i = 0; i < config.layers; i++) {
    h = transformerEncoderBlock(h, mask, {
      numHeads: config.numHeads, ffDim: config.ffDim, dropout: config.dropout, normFirst: config.normFirst, rotary: config.positions === "rotary", activation: "gelu", epsilon: 1e-12,
      seed: seed + 10 * (i + 1), name: `${name}_layer${i}`,
    });
  }
  if (config.normFirst) h = new LayerNorm({ epsilon: 1e-12, name: names.output(config.layers) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: [tokenIds, segmentIds], outputs: h, name: `${name}_encoder` });
}

/**
 * The encoder with BERT's masked-language-model head: [tokenIds, segmentIds] → logits [batch, T, V] over the
 * vocabulary at every position (the loss reads only the masked ones). The output projection is the encoder's own
 * token embedding (tied); the head adds Dense(d, GELU), LayerNorm and a bias. The returned model shares the
 * encoder's layers: training it trains the encoder.
 */
export function bertMlmModel(encoder: tf.LayersModel, options: { seed: number; name?: string }): tf.LayersModel {
  const embedding = encoder.layers.find((layer) => layer instanceof ReversibleEmbedding) as ReversibleEmbedding | undefined;
  if (!embedding) throw new Error(`bertMlmModel: the encoder "${encoder.name}" has no ReversibleEmbedding (build it with bertEncoder)`);
  if (!Number.isInteger(options.seed)) throw new RangeError(`bertMlmModel: seed must be an integer, got ${options.seed}`);
  const name = options.name ?? "mlm";
  const hidden = encoder.outputs[0]!;
  let h = tf.layers.dense({
    units: embedding.outputDim, activation: "gelu", kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed }), name: `${name}_transform`,
  }).apply(hidden) as tf.SymbolicTensor;
  h = new LayerNorm({ epsilon: 1e-12, name: `${name}_norm` }).apply(h) as tf.SymbolicTensor;
  const scores = embedding.apply(h) as tf.SymbolicTensor;
  const logits = new BiasAdd({ name: `${name}_output_bias` }).apply(scores) as tf.SymbolicTensor;
  return tf.model({ inputs: encoder.inputs, outputs: logits, name: `${name}_model` });
}

/**
 * The MLM head's logits at some positions only: `hidden` [batch, T, d] is the encoder's output, `positions` are flat
 * indices b·T + t; returns [positions.length, V]. What training needs: the loss reads the ~15 % selected positions,
 * so projecting every position onto the vocabulary (as the MLM model's output does) would waste most of the work.
 */
export function mlmLogitsAt(mlm: tf.LayersModel, hidden: tf.Tensor, positions: tf.Tensor1D | readonly number[], options: { training?: boolean } = {}): tf.Tensor2D {
  const head = mlmHeadLayers(mlm);
  if (hidden.rank !== 3) throw new RangeError(`mlmLogitsAt: hidden must be [batch, T, d], got shape [${hidden.shape}]`);
  return tf.tidy(() => {
    const [batch, steps, d] = hidden.shape as [number, number, number];
    const index = Array.isArray(positions) ? tf.tensor1d(positions as number[], "int32") : (positions as tf.Tensor1D);
    let h: tf.Tensor = tf.gather(hidden.reshape([batch * steps, d]), index).expandDims(0);
    for (const layer of head) h = layer.apply(h, { training: options.training ?? false }) as tf.Tensor;
    return h.squeeze([0]) as tf.Tensor2D;
  });
}

/** The head layers of a model made by `bertMlmModel` (transform, norm, tied embedding, bias), in order. */
export function mlmHeadLayers(mlm: tf.LayersModel): tf.layers.Layer[] {
  const prefix = mlm.name.replace(/_model$/, "");
  const find = (name: string) => {
    const layer = mlm.layers.find((l) => l.name === name);
    if (!layer) throw new Error(`mlmHeadLayers: "${mlm.name}" has no layer ${name} (build it with bertMlmModel)`);
    return layer;
  };
  const embedding = mlm.layers.find((layer) => layer instanceof ReversibleEmbedding);
  if (!embedding) throw new Error(`mlmHeadLayers: "${mlm.name}" has no ReversibleEmbedding (build it with bertMlmModel)`);
  return [find(`${prefix}_transform`), find(`${prefix}_norm`), embedding, find(`${prefix}_output_bias`)];
}

/** One encoded input `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`, padded with [PAD] to maxLength. */
export interface BertInput {
  ids: number[];
  /** 0 for [CLS], A and its [SEP]; 1 for B and its [SEP]; 0 for padding. */
  segmentIds: number[];
  /** 1 for every real token (special ones too), 0 for padding. */
  mask: number[];
  tokens: string[];
  /** [start, end) of each token in its own text (A or B); null for [CLS], [SEP] and [PAD]. */
  offsets: ([number, number] | null)[];
  /** Which text each token comes from: 0 (A), 1 (B), or null for special tokens and padding. */
  sequenceIds: (0 | 1 | null)[];
  /** How many tokens of A and of B were cut to fit maxLength (longest first, from the end). */
  truncated: [number, number];
}

/**
 * `[CLS] A [SEP] (B [SEP])` for the encoder: ids, segment ids, padding mask and offsets, padded to `maxLength`.
 * When the texts do not fit, tokens are cut from the end of the longer one, one at a time (Hugging Face's
 * "longest_first"); `truncation: false` throws instead.
 */
export function bertInputs(tokenizer: WordPieceTokenizer, textA: string, textB: string | null | undefined, maxLength: number, options: { truncation?: boolean } = {}): BertInput {
  const pair = textB !== undefined && textB !== null;
  const specials = pair ? 3 : 2;
  if (!Number.isInteger(maxLength) || maxLength < specials + (pair ? 2 : 1)) {
    throw new RangeError(`bertInputs: maxLength must be an integer ≥ ${specials + (pair ? 2 : 1)} ([CLS], [SEP]${pair ? "s" : ""} and one token per text), got ${maxLength}`);
  }
  const a = tokenizer.encode(textA);
  const b = pair ? tokenizer.encode(textB) : { ids: [], tokens: [], offsets: [] };
  let lengthA = a.ids.length, lengthB = b.ids.length;
  const room = maxLength - specials;
  if (lengthA + lengthB > room && options.truncation === false) {
    throw new RangeError(`bertInputs: ${lengthA + lengthB + specials} tokens do not fit maxLength = ${maxLength} and truncation is off`);
  }
  while (lengthA + lengthB > room) {
    if (lengthA > lengthB) lengthA--;
    else lengthB--;
  }
  const input: BertInput = { ids: [], segmentIds: [], mask: [], tokens: [], offsets: [], sequenceIds: [], truncated: [a.ids.length - lengthA, b.ids.length - lengthB] };
  const push = (id: number, token: string, segment: 0 | 1, offset: [number, number] | null, sequence: 0 | 1 | null) => {
    input.ids.push(id);
    input.tokens.push(token);
    input.segmentIds.push(segment);
    input.mask.push(1);
    input.offsets.push(offset);
    input.sequenceIds.push(sequence);
  };
  const special = (id: number) => tokenizer.vocabulary[id]!;
  push(CLS_ID, special(CLS_ID), 0, null, null);
  for (let i = 0; i < lengthA; i++) push(a.ids[i]!, a.tokens[i]!, 0, a.offsets[i]!, 0);
  push(SEP_ID, special(SEP_ID), 0, null, null);
  if (pair) {
    for (let i = 0; i < lengthB; i++) push(b.ids[i]!, b.tokens[i]!, 1, b.offsets[i]!, 1);
    push(SEP_ID, special(SEP_ID), 1, null, null);
  }
  while (input.ids.length < maxLength) {
    input.ids.push(PAD_ID);
    input.tokens.push(special(PAD_ID));
    input.segmentIds.push(0);
    input.mask.push(0);
    input.offsets.push(null);
    input.sequenceIds.push(null);
  }
  return input;
}

/** A batch of `bertInputs` as the encoder's two int32 tensors [batch, T] (the caller disposes them). */
export function bertInputTensors(inputs: readonly BertInput[]): [tf.Tensor2D, tf.Tensor2D] {
  if (inputs.length === 0) throw new RangeError("bertInputTensors: no inputs");
  const length = inputs[0]!.ids.length;
  inputs.forEach((input, i) => {
    if (input.ids.length !== length) throw new RangeError(`bertInputTensors: inputs[${i}] has ${input.ids.length} tokens, inputs[0] has ${length} (pad them to one maxLength)`);
  });
  return [tf.tensor2d(inputs.map((x) => x.ids), [inputs.length, length], "int32"), tf.tensor2d(inputs.map((x) => x.segmentIds), [inputs.length, length], "int32")];
}

export interface PretrainedBert {
  /** [tokenIds, segmentIds] → hidden states [batch, T, d]; shares its layers with `mlm`. */
  encoder: tf.LayersModel;
  /** The encoder with its pre-trained MLM head: → logits [batch, T, V]. */
  mlm: tf.LayersModel;
  tokenizer: WordPieceTokenizer;
  recipe: PretrainedRecipe;
  /** The encoder's configuration (recipe.architecture.bert). */
  config: BertConfig;
  dir: string;
}

/**
 * Loads data/pretrained/<name>/ (or `options.dir`) after checking the size and SHA-256 of model.json, weights.bin
 * and vocab.json against recipe.json. Each call builds fresh models, so two fine-tuning runs never share weights.
 */
export async function loadPretrainedBert(name: string, options: { dir?: string } = {}): Promise<PretrainedBert> {
  const dir = options.dir ?? pretrainedDir(name);
  const { recipe, bytes, extraBytes } = verifyPretrained(dir);
  const vocabularyBytes = extraBytes["vocab.json"];
  if (!vocabularyBytes) throw new Error(`pretrained BERT: ${path.join(dir, "recipe.json")} lists no vocab.json`);
  const tokenizer = WordPieceTokenizer.fromJSON(JSON.parse(vocabularyBytes.toString("utf8")) as WordPieceJson);
  const config = (recipe.architecture as { bert?: BertConfig }).bert;
  if (!config) throw new Error(`pretrained BERT: ${path.join(dir, "recipe.json")} has no architecture.bert (the encoder's configuration)`);
  if (config.vocabularySize !== tokenizer.size) throw new Error(`pretrained BERT: the encoder has ${config.vocabularySize} token embeddings but vocab.json has ${tokenizer.size} entries`);
  const json = JSON.parse(bytes["model.json"].toString("utf8")) as tf.io.ModelJSON;
  const weights = bytes["weights.bin"];
  const mlm = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology as object,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
  }));
  const outputName = bertLayerNames(config.name ?? "bert").output(config.layers, config.normFirst ?? true);
  const output = mlm.getLayer(outputName);
  const encoder = tf.model({ inputs: mlm.inputs, outputs: output.getOutputAt(0) as tf.SymbolicTensor, name: `${config.name ?? "bert"}_encoder` });
  return { encoder, mlm, tokenizer, recipe, config, dir };
}
