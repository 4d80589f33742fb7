/**
 * npx tsx scripts/data/pretrain-tiny-bert.ts [--out DIR] [--only NAME] [--seed N] [--steps N]
 *
 * Makes data/pretrained/tiny-bert-mlm/, the BERT-style encoder notebook 22 studies and notebook 23 fine-tunes
 * (bert-base weights cannot be downloaded here): a WordPiece vocabulary (1,024 pieces) and a 2-layer, d = 64,
 * 4-head encoder (pre-norm, rotary positions) with its MLM head (lib/attention/bert.ts), 600 Adam steps of 32
 * windows of 64 tokens (≈ 60–90 s on one core), pre-trained with masked-language modelling (lib/text/mlm-masking.ts) on the first
 * 90 % of data/tinyshakespeare.txt. The last 10 % is held out: the recipe records the masked-token accuracy and loss
 * there against the unigram baseline (always predict the most frequent training token; cross-entropy of the
 * training unigram distribution).
 *
 * Deterministic: WebAssembly backend, one thread, seeded initialisers, seeded batches and masks, no dropout, so
 * the files are bit-identical run after run (test/lib/attention/pretrain-tiny-bert.test.ts re-runs this script and
 * compares). `--seed N --out DIR` makes a sibling with another seed (the calibration of notebook 22's margin);
 * the committed artefact is seed 0.
 */
import * as path from "node:path";
import { readDataText } from "../../lib/data";
import { bertEncoder, bertMlmModel, mlmLogitsAt, type BertConfig } from "../../lib/attention/bert";
import { sha256Hex, type PretrainedRecipe } from "../../lib/nn/pretrained";
import { warmupCosine } from "../../lib/nn/schedules";
import { Random, seedMathRandom } from "../../lib/random";
import { BERT_MASKING, SPECIAL_IDS, evaluateMlm, heldOutMaskedBatch, randomSegmentPairs, splitCorpus, unigramBaseline } from "../../lib/attention/mlm-pretraining";
import { maskTokens } from "../../lib/text/mlm-masking";
import { MASK_ID, WordPieceTokenizer } from "../../lib/text/wordpiece";
import { setupTf, tf } from "../../lib/tf";
import { savePretrained } from "./save-pretrained";
import { option } from "./options";

const THREADS = 1;

interface ArtefactSpec {
  name: string;
  description: string;
  /** The corpus file in data/. */
  corpus: string;
  tokenizer: { vocabularySize: number; minCharacterCount?: number };
}

export const ARTEFACTS: readonly ArtefactSpec[] = [
  {
    name: "tiny-bert-mlm",
    description: "A BERT-style encoder (2 pre-norm layers, d = 64, 4 heads, rotary positions) with its masked-language-model head, pre-trained on the first 90 % of tinyshakespeare, with its WordPiece vocabulary (vocab.json).",
    corpus: "tinyshakespeare.txt",
    tokenizer: { vocabularySize: 1024 },
  },
  {
    // bert-base-chinese's scheme: every Chinese character a token of its own (the pre-tokeniser splits them), WordPiece
    // for the Latin words in between; characters seen once in training are left to [UNK].
    name: "tiny-bert-chinese-char",
    description: "The same encoder and recipe pre-trained on the Chinese prose of the project's five seed question banks (data/seeds-chinese.txt, first 90 %): character-level for Chinese, WordPiece for Latin words (vocab.json).",
    corpus: "seeds-chinese.txt",
    tokenizer: { vocabularySize: 1536, minCharacterCount: 2 },
  },
];
const HELD_OUT_FRACTION = 0.1;
// Rotary positions and pre-norm blocks: measured with this budget (seed 0, 600 steps), BERT's learned position table
// reached 10.6 % (pre-norm) and 9.1 % (post-norm, the unigram plateau) held-out accuracy, rotary 20.8 %.
const MODEL = { maxLength: 64, dModel: 64, numHeads: 4, ffDim: 128, layers: 2, positions: "rotary" as const, normFirst: true };
const TRAINING = { steps: 600, batchSize: 32, peakLearningRate: 2e-3, warmupSteps: 100, minimumLearningRate: 1e-4, optimizer: "adam", clipNorm: null, dropout: 0 };
const MASKING = BERT_MASKING;
const EVALUATION = { windows: 400, maskSeed: 12345 };

export async function pretrainTinyBert(spec: ArtefactSpec, outDir: string, options: { seed?: number; steps?: number; log?: (line: string) => void } = {}): Promise<PretrainedRecipe> {
  const NAME = spec.name;
  const TOKENIZER = spec.tokenizer;
  const seed = options.seed ?? 0;
  const steps = options.steps ?? TRAINING.steps;
  const log = options.log ?? console.log;
  const started = performance.now();
  const restoreMathRandom = seedMathRandom(seed);
  try {
    const text = readDataText(spec.corpus);
    const { train, heldOut } = splitCorpus(text, HELD_OUT_FRACTION);
    const tokenizer = WordPieceTokenizer.train(train, TOKENIZER);
    const trainStream = tokenizer.encode(train).ids;
    const heldOutStream = tokenizer.encode(heldOut).ids;
    const config: BertConfig = { vocabularySize: tokenizer.size, ...MODEL, dropout: TRAINING.dropout, seed, name: "bert" };
    const encoder = bertEncoder(config);
    const mlm = bertMlmModel(encoder, { seed: seed + 1000, name: "mlm" });
    const optimizer = tf.train.adam(TRAINING.peakLearningRate);
    const schedule = warmupCosine({ peak: TRAINING.peakLearningRate, warmupSteps: TRAINING.warmupSteps, totalSteps: steps, minimum: TRAINING.minimumLearningRate });
    const random = new Random(seed);
    const variables = mlm.trainableWeights.map((w) => w.read() as tf.Variable);
    const curve: { step: number; loss: number }[] = [];
    let windowLoss = 0, windowSteps = 0;
    for (let step = 0; step < steps; step++) {
      const pairs = randomSegmentPairs(trainStream, TRAINING.batchSize, MODEL.maxLength, random);
      const masked = maskTokens(pairs.ids, { ...MASKING, maskId: MASK_ID, vocabularySize: tokenizer.size, specialIds: SPECIAL_IDS, random });
      // The loss reads the selected positions only, so the head runs there only (mlmLogitsAt): half the work.
      const positions: number[] = [], targets: number[] = [];
      masked.weights.forEach((row, r) => row.forEach((w, t) => {
        if (w === 1) {
          positions.push(r * MODEL.maxLength + t);
          targets.push(masked.labels[r]![t]!);
        }
      }));
      (optimizer as unknown as { learningRate: number }).learningRate = schedule(step);
      const loss = tf.tidy(() => {
        const ids = tf.tensor2d(masked.inputIds, undefined, "int32");
        const segments = tf.tensor2d(pairs.segments, undefined, "int32");
        const index = tf.tensor1d(positions, "int32");
        const labels = tf.oneHot(tf.tensor1d(targets, "int32"), tokenizer.size);
        return optimizer.minimize(() => {
          const hidden = encoder.apply([ids, segments], { training: true }) as tf.Tensor;
          return tf.losses.softmaxCrossEntropy(labels, mlmLogitsAt(mlm, hidden, index, { training: true })) as tf.Scalar;
        }, true, variables)!;
      });
      windowLoss += loss.dataSync()[0]!;
      windowSteps++;
      loss.dispose();
      if ((step + 1) % 20 === 0 || step === steps - 1) {
        curve.push({ step: step + 1, loss: windowLoss / windowSteps });
        windowLoss = 0;
        windowSteps = 0;
      }
      if ((step + 1) % 200 === 0) log(`step ${step + 1}: loss ${curve.at(-1)!.loss.toFixed(3)}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    optimizer.dispose();
    const evaluation = heldOutMaskedBatch(heldOutStream, { windows: EVALUATION.windows, length: MODEL.maxLength, vocabularySize: tokenizer.size, maskSeed: EVALUATION.maskSeed });
    const result = evaluateMlm(mlm, evaluation);
    const baseline = unigramBaseline(trainStream, tokenizer.size, evaluation);
    const vocabularyJson = `${JSON.stringify(tokenizer.toJSON())}\n`;
    const recipe = await savePretrained(mlm, path.join(outDir, NAME), {
      name: NAME,
      description: spec.description,
      createdBy: "scripts/data/pretrain-tiny-bert.ts",
      tfjsVersion: tf.version.tfjs,
      backend: tf.getBackend(),
      threads: THREADS,
      seed,
      preprocessing: { input: "token ids from vocab.json (lib/text/wordpiece WordPieceTokenizer; bertInputs makes [CLS] A [SEP] B [SEP])", scale: 1, mean: 0, std: 1 },
      backboneLayers: encoder.layers.map((layer) => layer.name),
      architecture: { builder: "lib/attention/bert bertEncoder + bertMlmModel", bert: config, encoderOutput: encoder.outputs[0]!.sourceLayer.name, parameters: { encoder: encoder.countParams(), mlm: mlm.countParams() } },
      training: { ...TRAINING, steps, masking: MASKING, schedule: "lib/nn/schedules warmupCosine", loss: "cross-entropy at the selected positions only (the head runs there only: lib/attention/bert mlmLogitsAt)", batches: "random windows of maxLength − 3 consecutive training tokens, split at a random point into segments A and B (no next-sentence prediction)" },
      data: {
        corpus: `data/${spec.corpus}`,
        corpusSha256: sha256Hex(text),
        split: "training = the text up to the first line break after 90 % of its characters; held out = the rest (lib/attention/mlm-pretraining splitCorpus)",
        heldOutFraction: HELD_OUT_FRACTION,
        train: { characters: train.length, tokens: trainStream.length, sha256: sha256Hex(train) },
        heldOut: { characters: heldOut.length, tokens: heldOutStream.length, sha256: sha256Hex(heldOut) },
        tokenizer: { ...TOKENIZER, trainedOn: "the training text" },
      },
      results: {
        heldOut: { ...result, windows: evaluation.ids.length, length: MODEL.maxLength, maskSeed: EVALUATION.maskSeed, batch: "lib/attention/mlm-pretraining heldOutMaskedBatch" },
        unigramBaseline: baseline,
        lossCurve: curve,
      },
    }, { "vocab.json": vocabularyJson });
    mlm.dispose();
    log(`${NAME} (seed ${seed}): held-out masked-token accuracy ${(100 * result.accuracy).toFixed(2)} % vs unigram ${(100 * baseline.accuracy).toFixed(2)} %, ` +
      `loss ${result.loss.toFixed(3)} vs unigram ${baseline.crossEntropy.toFixed(3)} nats; weights ${recipe.files["weights.bin"].bytes} bytes; ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return recipe;
  } finally {
    restoreMathRandom();
  }
}

function integerOption(name: string): number | undefined {
  const value = option(name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return Number(value);
}

async function main(): Promise<void> {
  const outDir = path.resolve(option("--out") ?? path.join(__dirname, "..", "..", "data", "pretrained"));
  const seed = integerOption("--seed") ?? 0;
  const steps = integerOption("--steps");
  const only = option("--only");
  const specs = ARTEFACTS.filter((spec) => only === undefined || spec.name === only);
  if (specs.length === 0) throw new Error(`--only ${only}: no such artefact (${ARTEFACTS.map((s) => s.name).join(", ")})`);
  // Explicit backend and thread count: the environment (TFJS_BACKEND, TFJS_WASM_THREADS) must not change the weights.
  await setupTf({ seed, backend: "wasm", threads: THREADS });
  for (const spec of specs) await pretrainTinyBert(spec, outDir, { seed, steps });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
