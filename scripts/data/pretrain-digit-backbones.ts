/**
 * npx tsx scripts/data/pretrain-digit-backbones.ts [--out DIR] [--only NAME]
 *
 * Makes the pretrained artefacts notebook 15 loads (ImageNet weights cannot be downloaded here): a small conv network
 * (lib/nn/models digitBackboneLayers + digitHeadLayers, every option explicit) trained on a SOURCE task and written to
 * data/pretrained/<name>/ by scripts/data/save-pretrained.ts (model.json, weights.bin, recipe.json):
 *
 *   digits-0-4-cnn            MNIST digits 0–4 of the training range [0, 7000): the related source for digits 5–9
 *   scrambled-digits-0-4-cnn  the same images with their pixels permuted by one fixed permutation: a source domain
 *                             with the same pixel values and labels but no strokes, the "unrelated source"
 *
 * Only training-range images are trained on; validation-range digits 0–4 [7000, 8000) measure the source accuracy
 * recorded in the recipe; the test range [8000, 10000) is never read. Deterministic: WebAssembly backend, one thread,
 * seeded initializers and a seeded Math.random (tfjs's shuffle) reset before each artefact, so the weights are
 * bit-identical run after run (test/lib/nn/pretrained.test.ts re-runs this script and compares). About 5 s per artefact.
 */
import * as path from "node:path";
import { loadMnist, type ImageDataset } from "../../lib/data";
import { MNIST_SPLIT, digitBackboneLayers, digitHeadLayers } from "../../lib/nn/models";
import { sha256Hex, type PretrainedRecipe } from "../../lib/nn/pretrained";
import { savePretrained } from "./save-pretrained";
import { option } from "./options";
import { Random, seedMathRandom } from "../../lib/random";
import { setupTf, tf } from "../../lib/tf";
import { fitEpochs } from "../../lib/nn/training";
import { classificationAccuracy, imageBatch, labelsOf, range } from "../../lib/nn/vision";

const SOURCE_CLASSES = [0, 1, 2, 3, 4];
const SEED = 0;
const THREADS = 1;
const BACKBONE = { inputShape: [28, 28, 1] as [number, number, number], filters: [8, 16] as [number, number], kernelSize: 5 };
const HEAD = { classes: SOURCE_CLASSES.length, denseUnits: 32, dropout: 0 };
const TRAINING = { epochs: 4, batchSize: 64, optimizer: "adam", learningRate: 2e-3, shuffle: "tfjs model.fit shuffle, Math.random seeded with the seed before each artefact" };

interface ArtefactSpec {
  name: string;
  description: string;
  /** Seed of the fixed pixel permutation applied to every image, or null for natural images. */
  scrambleSeed: number | null;
}

export const ARTEFACTS: readonly ArtefactSpec[] = [
  {
    name: "digits-0-4-cnn",
    description: "Conv backbone pretrained to classify MNIST digits 0–4 (the related source for transfer to digits 5–9).",
    scrambleSeed: null,
  },
  {
    name: "scrambled-digits-0-4-cnn",
    description: "The same network and recipe trained on digits 0–4 whose pixels are permuted by one fixed permutation: same pixel values and labels, no spatial structure (an unrelated source domain for natural digits).",
    scrambleSeed: 1,
  },
];

/** The dataset with every image's 784 pixels reordered by one fixed permutation. */
export function scrambleImages(data: ImageDataset, seed: number): ImageDataset {
  const size = data.height * data.width;
  const permutation = new Random(seed).permutation(size);
  const images = new Uint8Array(data.images.length);
  for (let i = 0; i < data.count; i++) {
    for (let p = 0; p < size; p++) images[i * size + p] = data.images[i * size + permutation[p]!]!;
  }
  return { ...data, name: `${data.name}-scrambled-${seed}`, images: images };
}

/** SHA-256 of exactly the bytes trained on: the chosen images' pixels, then their labels. */
function dataHash(data: ImageDataset, indices: readonly number[]): string {
  const size = data.height * data.width;
  const bytes = new Uint8Array(indices.length * (size + 1));
  indices.forEach((index, k) => bytes.set(data.images.subarray(index * size, (index + 1) * size), k * size));
  indices.forEach((index, k) => (bytes[indices.length * size + k] = data.labels[index]!));
  return sha256Hex(bytes);
}

function sourceIndices(data: ImageDataset, [start, stop]: readonly [number, number]): number[] {
  return range(start, stop).filter((i) => SOURCE_CLASSES.includes(data.labels[i]!));
}

export async function pretrainArtefact(spec: ArtefactSpec, outDir: string, log: (line: string) => void = console.log): Promise<PretrainedRecipe> {
  const started = performance.now();
  const restoreMathRandom = seedMathRandom(SEED);
  try {
    const mnist = loadMnist();
    const data = spec.scrambleSeed === null ? mnist : scrambleImages(mnist, spec.scrambleSeed);
    const train = sourceIndices(data, MNIST_SPLIT.train);
    const validation = sourceIndices(data, MNIST_SPLIT.validation);
    // Standardisation statistics of the training pixels (0–1 scale): the network's `preprocess_input`.
    let sum = 0;
    let sumSquares = 0;
    const size = data.height * data.width;
    for (const index of train) {
      for (let p = 0; p < size; p++) {
        const v = data.images[index * size + p]! / 255;
        sum += v;
        sumSquares += v * v;
      }
    }
    const count = train.length * size;
    const mean = sum / count;
    const std = Math.sqrt(sumSquares / count - mean * mean);
    const preprocessing = { input: "pixels scaled to 0–1 (lib/nn/vision imageBatch)", scale: 1, mean: mean, std: std };
    const standardize = (x: tf.Tensor4D) => tf.tidy(() => x.sub(mean).div(std) as tf.Tensor4D);
    const batch = (indices: number[]) => {
      const raw = imageBatch(data, indices);
      const x = standardize(raw);
      raw.dispose();
      return x;
    };
    const xTrain = batch(train);
    const yTrain = tf.tidy(() => tf.oneHot(tf.tensor1d(labelsOf(data, train), "int32"), SOURCE_CLASSES.length).toFloat());
    const xVal = batch(validation);
    const yVal = tf.tidy(() => tf.oneHot(tf.tensor1d(labelsOf(data, validation), "int32"), SOURCE_CLASSES.length).toFloat());

    const backbone = digitBackboneLayers({ ...BACKBONE, seed: SEED });
    const model = tf.sequential({ name: spec.name.replace(/-/g, "_"), layers: [...backbone, ...digitHeadLayers({ ...HEAD, seed: SEED })] });
    model.compile({ optimizer: tf.train.adam(TRAINING.learningRate), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const history = await fitEpochs(model, xTrain, yTrain, { epochs: TRAINING.epochs, batchSize: TRAINING.batchSize, validation: { x: xVal, y: yVal } });
    const validationAccuracy = classificationAccuracy(model, xVal, labelsOf(data, validation));

    const recipe = await savePretrained(model, path.join(outDir, spec.name), {
      name: spec.name,
      description: spec.description,
      createdBy: "scripts/data/pretrain-digit-backbones.ts",
      tfjsVersion: tf.version.tfjs,
      backend: tf.getBackend(),
      threads: THREADS,
      seed: SEED,
      preprocessing: preprocessing,
      backboneLayers: backbone.map((layer) => layer.name),
      architecture: { backbone: { builder: "lib/nn/models digitBackboneLayers", ...BACKBONE }, head: { builder: "lib/nn/models digitHeadLayers", ...HEAD }, parameters: model.countParams() },
      training: { ...TRAINING, loss: "categoricalCrossentropy" },
      data: {
        dataset: "data/mnist-10k-*.idx*-ubyte.gz (lib/data loadMnist)",
        classes: SOURCE_CLASSES,
        transform: spec.scrambleSeed === null ? "none" : `pixels permuted by lib/random Random(${spec.scrambleSeed}).permutation(784)`,
        train: { range: MNIST_SPLIT.train, images: train.length, sha256: dataHash(data, train) },
        validation: { range: MNIST_SPLIT.validation, images: validation.length, sha256: dataHash(data, validation) },
        hashedBytes: "the chosen images' pixel bytes (after the transform) in order, then their label bytes",
      },
      results: {
        sourceValidationAccuracy: validationAccuracy,
        epochs: history.map((e) => ({ epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, valAccuracy: e.valAccuracy })),
      },
    });
    model.dispose();
    tf.dispose([xTrain, yTrain, xVal, yVal]);
    log(`${spec.name}: ${train.length} training images, source validation accuracy ${(100 * validationAccuracy).toFixed(2)} %, ` +
      `weights ${recipe.files["weights.bin"].bytes} bytes (sha256 ${recipe.files["weights.bin"].sha256.slice(0, 12)}…), ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return recipe;
  } finally {
    restoreMathRandom();
  }
}

async function main(): Promise<void> {
  const outDir = path.resolve(option("--out") ?? path.join(__dirname, "..", "..", "data", "pretrained"));
  const only = option("--only");
  const specs = ARTEFACTS.filter((spec) => only === undefined || spec.name === only);
  if (specs.length === 0) throw new Error(`--only ${only}: no such artefact (${ARTEFACTS.map((s) => s.name).join(", ")})`);
  // Explicit backend and thread count: the environment (TFJS_BACKEND, TFJS_WASM_THREADS) must not change the weights.
  await setupTf({ seed: SEED, backend: "wasm", threads: THREADS });
  for (const spec of specs) await pretrainArtefact(spec, outDir);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
