/**
 * Writes a pretrained artefact (lib/nn/pretrained.ts `serializePretrained`: model.json, weights.bin, recipe.json)
 * into `dir` (with any extra files such as a tokenizer's vocab.json), all or none: a write that fails (a full disk) leaves the old artefact whole. Kept out of lib/
 * because notebooks only load artefacts; writing them is a build step, done with the runner's atomic writer.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { serializePretrained, type PretrainedRecipe } from "../../lib/nn/pretrained";
import type { tf } from "../../lib/tf";
import { writeFilesAtomic } from "../runner/files";

/**
 * Saves `model`, its recipe and any `extraFiles` (name → contents, e.g. vocab.json) into `dir`; returns the completed
 * recipe (with each file's size and SHA-256).
 */
export async function savePretrained(model: tf.LayersModel, dir: string, recipe: Omit<PretrainedRecipe, "files">, extraFiles: Record<string, Uint8Array | string> = {}): Promise<PretrainedRecipe> {
  const serialized = await serializePretrained(model, recipe, extraFiles);
  fs.mkdirSync(dir, { recursive: true });
  writeFilesAtomic(serialized.files.map(([name, contents]) => [path.join(dir, name), contents]));
  return serialized.recipe;
}
