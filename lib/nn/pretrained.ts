/**
 * Pretrained weights committed to the repository, loaded the way `from_pretrained` (Hugging Face) or
 * `keras.applications.VGG16(weights="imagenet", include_top=False)` load theirs, but offline and verified:
 *
 *   const { model: backbone, recipe } = await loadPretrained("digits-0-4-cnn");   // the backbone layers only
 *   const x = preprocessInput(imageBatch(mnist, ids), recipe);                    // what the backbone was trained on
 *   const net = tf.sequential({ layers: [...backbone.layers, ...newHeadLayers] });
 *
 * `data/pretrained/<name>/` holds `model.json` (the standard tfjs layers-model format: topology + weights manifest),
 * `weights.bin` (float32 weights) and `recipe.json`: how the weights were made (data and its SHA-256, architecture,
 * optimizer, seed, backend, tfjs version), the preprocessing the network expects, and the size and SHA-256 of each
 * file. `loadPretrained` refuses a file whose size or hash differs from the recipe. `serializePretrained` turns a model and its
 * recipe into those three files' contents (scripts/data/save-pretrained.ts writes them, all or none). scripts/data/pretrain-digit-backbones.ts makes the shipped ones.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { dataDir } from "../data";
import { tf } from "../tf";

/** How pixels must be transformed before they enter the network: x ↦ (x · scale − mean) / std, elementwise. */
export interface PretrainedPreprocessing {
  /** What the input pixels are before `scale` (e.g. "bytes 0–255"). */
  input: string;
  scale: number;
  mean: number;
  std: number;
}

export interface PretrainedFile {
  bytes: number;
  sha256: string;
}

/** recipe.json. Fields beyond these (architecture, training, data, results) are free-form records of the maker. */
export interface PretrainedRecipe {
  name: string;
  description: string;
  /** The script that made the files, relative to the repository root. */
  createdBy: string;
  tfjsVersion: string;
  backend: string;
  threads: number;
  seed: number;
  preprocessing: PretrainedPreprocessing;
  /** Layer names of the feature extractor, in order; the other layers form the source task's classifier ("top"). */
  backboneLayers: string[];
  architecture: Record<string, unknown>;
  training: Record<string, unknown>;
  data: Record<string, unknown>;
  results: Record<string, unknown>;
  /** Size and SHA-256 of model.json, weights.bin and any extra file of the artefact (a tokenizer's vocab.json). */
  files: { "model.json": PretrainedFile; "weights.bin": PretrainedFile; [extraFile: string]: PretrainedFile };
}

export interface Pretrained {
  /** The backbone as a tf.Sequential (includeTop: false, the default) or the whole source network. */
  model: tf.Sequential;
  recipe: PretrainedRecipe;
  dir: string;
}

const FILES = ["model.json", "weights.bin"] as const;

/** data/pretrained/<name> */
export function pretrainedDir(name: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new RangeError(`pretrained name must be lower-case letters, digits and dashes, got "${name}"`);
  return path.join(dataDir(), "pretrained", name);
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}


function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The files of an artefact, in the order they must be written (recipe.json last: it vouches for the others). */
export type PretrainedFiles = Array<[name: string, contents: Uint8Array | string]>;

/**
 * `model` (topology and weights, tfjs layers-model format) and its recipe as file contents, without writing
 * anything. The recipe's `files` entry is filled in from those bytes; the completed recipe is returned too.
 * `extraFiles` (name → contents, e.g. a tokenizer's vocab.json) are written and vouched for the same way.
 */
export async function serializePretrained(model: tf.LayersModel, recipe: Omit<PretrainedRecipe, "files">, extraFiles: Record<string, Uint8Array | string> = {}): Promise<{ recipe: PretrainedRecipe; files: PretrainedFiles }> {
  for (const name of Object.keys(extraFiles)) {
    if (["model.json", "weights.bin", "recipe.json"].includes(name) || !/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new RangeError(`savePretrained: extra file name "${name}" must be lower-case letters, digits, dots, dashes and underscores, and not model.json, weights.bin or recipe.json`);
  }
  const missing = recipe.backboneLayers.filter((name) => !model.layers.some((layer) => layer.name === name));
  if (missing.length > 0) throw new Error(`savePretrained: backboneLayers ${missing.join(", ")} are not layers of the model (${model.layers.map((l) => l.name).join(", ")})`);
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
  }));
  const saved = artifacts as tf.io.ModelArtifacts | null;
  if (!saved || !saved.weightSpecs || saved.weightData === undefined) throw new Error("savePretrained: the model produced no weights");
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(saved.weightData));
  const modelJson = stableJson({
    format: "layers-model",
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: ["weights.bin"], weights: saved.weightSpecs }],
  });
  const describe = (contents: Uint8Array | string): PretrainedFile => ({ bytes: typeof contents === "string" ? Buffer.byteLength(contents) : contents.byteLength, sha256: sha256Hex(contents) });
  const complete: PretrainedRecipe = {
    ...recipe,
    files: {
      "model.json": describe(modelJson),
      "weights.bin": describe(weights),
      ...Object.fromEntries(Object.entries(extraFiles).map(([name, contents]) => [name, describe(contents)])),
    },
  };
  return { recipe: complete, files: [["weights.bin", weights], ["model.json", modelJson], ...Object.entries(extraFiles), ["recipe.json", stableJson(complete)]] };
}

/**
 * Reads recipe.json and checks every file it lists (size, then SHA-256); returns the recipe, the bytes of
 * model.json and weights.bin, and those of any extra file the recipe lists (`extraBytes`, e.g. vocab.json).
 */
export function verifyPretrained(dir: string): { recipe: PretrainedRecipe; bytes: Record<(typeof FILES)[number], Buffer>; extraBytes: Record<string, Buffer> } {
  const recipeFile = path.join(dir, "recipe.json");
  let rebuild = "rebuild it with `npx tsx scripts/data/pretrain-digit-backbones.ts` or restore it with `git checkout -- data/pretrained`";
  if (!fs.existsSync(recipeFile)) throw new Error(`pretrained weights: ${recipeFile} not found; ${rebuild}`);
  let recipe: PretrainedRecipe;
  try {
    recipe = JSON.parse(fs.readFileSync(recipeFile, "utf8")) as PretrainedRecipe;
  } catch (error) {
    throw new Error(`pretrained weights: ${recipeFile} is not valid JSON (${(error as Error).message}); ${rebuild}`);
  }
  if (typeof recipe.createdBy === "string" && /^scripts\/[\w./-]+\.ts$/.test(recipe.createdBy)) rebuild = `rebuild it with \`npx tsx ${recipe.createdBy}\` or restore it with \`git checkout -- data/pretrained\``;
  const bytes = {} as Record<(typeof FILES)[number], Buffer>;
  const extraBytes: Record<string, Buffer> = {};
  const extras = Object.keys(recipe.files ?? {}).filter((name) => !(FILES as readonly string[]).includes(name));
  const badName = extras.find((name) => !/^[a-z0-9][a-z0-9._-]*$/.test(name) || name === "recipe.json");
  if (badName !== undefined) throw new Error(`pretrained weights: ${recipeFile} lists a file "${badName}" that is not a plain file name in its folder; ${rebuild}`);
  for (const name of [...FILES, ...extras]) {
    const expected = recipe.files?.[name];
    const file = path.join(dir, name);
    if (!expected) throw new Error(`pretrained weights: ${recipeFile} records no size and hash for ${name}`);
    if (!fs.existsSync(file)) throw new Error(`pretrained weights: ${file} not found; ${rebuild}`);
    const content = fs.readFileSync(file);
    if (content.byteLength !== expected.bytes) {
      throw new Error(`pretrained weights: ${file} is ${content.byteLength} bytes but recipe.json records ${expected.bytes}; the file is truncated or was replaced; ${rebuild}`);
    }
    const actual = sha256Hex(content);
    if (actual !== expected.sha256) {
      throw new Error(`pretrained weights: ${file} has SHA-256 ${actual} but recipe.json records ${expected.sha256}; the file is corrupt or was changed; ${rebuild}`);
    }
    if ((FILES as readonly string[]).includes(name)) bytes[name as (typeof FILES)[number]] = content;
    else extraBytes[name] = content;
  }
  return { recipe, bytes, extraBytes };
}

/**
 * The stored float32 bytes of each weight in weights.bin, by weight name, located through model.json's weights
 * manifest (in order): what a frozen layer's weights must still equal, bit for bit, after training.
 */
export function storedWeightBytes(dir: string): Map<string, Buffer> {
  const { bytes } = verifyPretrained(dir);
  const stored = new Map<string, Buffer>();
  const specs = (JSON.parse(bytes["model.json"].toString("utf8")) as tf.io.ModelJSON).weightsManifest.flatMap((group) => group.weights);
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== undefined && spec.dtype !== "float32") throw new Error(`storedWeightBytes: ${spec.name} is ${spec.dtype}, only float32 is stored here`);
    const length = 4 * spec.shape.reduce((a, b) => a * b, 1);
    stored.set(spec.name, bytes["weights.bin"].subarray(offset, offset + length));
    offset += length;
  }
  if (offset !== bytes["weights.bin"].byteLength) throw new Error(`storedWeightBytes: the manifest accounts for ${offset} bytes but weights.bin has ${bytes["weights.bin"].byteLength}`);
  return stored;
}

/**
 * Loads data/pretrained/<name> (or `options.dir`) after verifying it. With `includeTop: false` (the default, as in
 * Keras) the result holds only the backbone layers listed in the recipe: stack a new head on `model.layers`. Each
 * call builds a fresh copy, so two fine-tuning runs never share weights.
 */
export async function loadPretrained(name: string, options: { dir?: string; includeTop?: boolean } = {}): Promise<Pretrained> {
  const dir = options.dir ?? pretrainedDir(name);
  const { recipe, bytes } = verifyPretrained(dir);
  const json = JSON.parse(bytes["model.json"].toString("utf8")) as tf.io.ModelJSON;
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const weights = bytes["weights.bin"];
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const handler = (modelTopology: unknown) => tf.io.fromMemory({ modelTopology: modelTopology as object, weightSpecs: weightSpecs, weightData: weightData });
  if (options.includeTop) {
    const full = await tf.loadLayersModel(handler(json.modelTopology));
    if (!(full instanceof tf.Sequential)) throw new Error(`pretrained weights: ${path.join(dir, "model.json")} is not a Sequential model`);
    return { model: full, recipe: recipe, dir: dir };
  }
  // The backbone alone: the Sequential's layer list cut to the recipe's backbone layers, so no top weights are loaded.
  const topology = json.modelTopology as { class_name?: string; config?: { name?: string; layers?: { config: { name: string } }[] } };
  const layers = topology.config?.layers;
  if (topology.class_name !== "Sequential" || !Array.isArray(layers)) throw new Error(`pretrained weights: ${path.join(dir, "model.json")} is not a Sequential model`);
  const missing = recipe.backboneLayers.filter((layerName) => !layers.some((layer) => layer.config.name === layerName));
  if (missing.length > 0) throw new Error(`pretrained weights: recipe.json lists backbone layers ${missing.join(", ")} that ${path.join(dir, "model.json")} does not have`);
  const backboneTopology = { ...topology, config: { ...topology.config, name: `${recipe.name}-backbone`, layers: layers.filter((layer) => recipe.backboneLayers.includes(layer.config.name)) } };
  // strict: false skips the top's weights in weights.bin; it would also skip missing ones, so check those here.
  const backbone = await tf.loadLayersModel(handler(backboneTopology), { strict: false });
  const stored = new Set(weightSpecs.map((spec) => spec.name));
  const unloaded = backbone.weights.filter((weight) => !stored.has(weight.originalName));
  if (unloaded.length > 0) throw new Error(`pretrained weights: ${path.join(dir, "weights.bin")} has no values for ${unloaded.map((w) => w.originalName).join(", ")}`);
  if (!(backbone instanceof tf.Sequential)) throw new Error(`pretrained weights: ${path.join(dir, "model.json")} did not load as a Sequential model`);
  return { model: backbone, recipe: recipe, dir: dir };
}

/**
 * The input transformation the pretrained network was trained with (Keras calls it `preprocess_input`):
 * (x · scale − mean) / std. `images` must be what `recipe.preprocessing.input` says.
 */
export function preprocessInput<T extends tf.Tensor>(images: T, recipe: Pick<PretrainedRecipe, "preprocessing">): T {
  const { scale, mean, std } = recipe.preprocessing;
  if (!(std > 0)) throw new RangeError(`preprocessInput: std must be > 0, got ${std}`);
  return tf.tidy(() => images.mul(scale).sub(mean).div(std) as T);
}
