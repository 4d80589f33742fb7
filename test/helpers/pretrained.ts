import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { verifyPretrained } from "../../lib/nn/pretrained";

/**
 * The CI reproduction check of a pretrained artefact: the one a script just wrote into `freshDir` must equal the
 * committed one in `committedDir` byte for byte (data hash, weights, recipe, model.json and any extra files); a
 * weights mismatch names the largest weight difference and the `rebuild` command.
 */
export function assertRebuiltArtefact(name: string, freshDir: string, committedDir: string, rebuild: string): void {
  const fresh = verifyPretrained(freshDir);
  const shipped = verifyPretrained(committedDir);
  assert.deepEqual(fresh.recipe.data, shipped.recipe.data, `${name}: the training data (or its SHA-256) changed`);
  const floats = (bytes: Buffer) => new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const a = floats(fresh.bytes["weights.bin"]);
  const b = floats(shipped.bytes["weights.bin"]);
  const maxDifference = a.length === b.length ? a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0) : Infinity;
  assert.equal(fresh.recipe.files["weights.bin"].sha256, shipped.recipe.files["weights.bin"].sha256,
    `${name}: re-trained weights differ from ${committedDir}/weights.bin (max |Δw| = ${maxDifference}); if a deliberate change (tfjs, kernels, recipe), rebuild with ${rebuild}`);
  assert.deepEqual(fresh.recipe, shipped.recipe, `${name}: recipe.json differs`);
  for (const file of ["model.json", ...Object.keys(shipped.extraBytes)]) {
    assert.ok(fs.readFileSync(path.join(freshDir, file)).equals(fs.readFileSync(path.join(committedDir, file))), `${name}: ${file} differs`);
  }
}
