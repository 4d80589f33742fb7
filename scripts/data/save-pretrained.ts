/**
 * Writes a pretrained artefact (lib/nn/pretrained.ts `serializePretrained`: model.json, weights.bin, recipe.json)
 * into `dir`, all three or none: a write that fails (a full disk) leaves the old artefact whole. Kept out of lib/
 * because notebooks only load artefacts; writing them is a build step, done with the runner's atomic writer.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { serializePretrained, type PretrainedRecipe } from "../../lib/nn/pretrained";
import type { tf } from "../../lib/tf";
import { writeFilesAtomic } from "../runner/files";

/** Saves `model` and its recipe into `dir`; returns the completed recipe (with each file's size and SHA-256). */
export async function savePretrained(model: tf.LayersModel, dir: string, recipe: Omit<PretrainedRecipe, "files">): Promise<PretrainedRecipe> {
  const serialized = await serializePretrained(model, recipe);
  fs.mkdirSync(dir, { recursive: true });
  writeFilesAtomic(serialized.files.map(([name, contents]) => [path.join(dir, name), contents]));
  return serialized.recipe;
}
