import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { dataDir } from "../../../lib/data";
import { verifyPretrained } from "../../../lib/nn/pretrained";
import { tf } from "../../../lib/tf";
import { REPO_ROOT } from "../../helpers/paths";

const run = promisify(execFile);
const NAME = "tiny-bert-mlm";

test("the shipped tiny BERT verifies, is small, and was made on one wasm thread with this tfjs version", () => {
  const { recipe, extraBytes } = verifyPretrained(path.join(dataDir(), "pretrained", NAME));
  assert.equal(recipe.name, NAME);
  assert.ok(recipe.files["weights.bin"].bytes < 700_000, "a few hundred KB");
  assert.ok(extraBytes["vocab.json"] !== undefined, "the vocabulary ships with the weights");
  assert.equal(recipe.backend, "wasm");
  assert.equal(recipe.threads, 1);
  assert.equal(recipe.tfjsVersion, tf.version.tfjs, `${NAME} was made with tfjs ${recipe.tfjsVersion}; rebuild it for ${tf.version.tfjs}`);
});

// The CI reproduction check: the script, re-run from scratch into a temporary folder, must write the committed bytes.
// Measured: 60–90 s on one wasm thread with other jobs on the 2 cores; 600 s covers a machine 3× slower with each core
// shared with another test file, twice over.
test("scripts/data/pretrain-tiny-bert.ts reproduces the committed artefact bit for bit", { timeout: 600_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "tiny-bert-test-"));
  const env = { ...process.env };
  delete env.TFJS_BACKEND;
  delete env.TFJS_WASM_THREADS;
  await run(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "data", "pretrain-tiny-bert.ts"), "--out", out], { cwd: REPO_ROOT, env });
  const committed = path.join(dataDir(), "pretrained", NAME);
  const fresh = verifyPretrained(path.join(out, NAME));
  const shipped = verifyPretrained(committed);
  assert.deepEqual(fresh.recipe.data, shipped.recipe.data, "the training data (or its SHA-256) changed");
  assert.equal(fresh.recipe.files["vocab.json"]!.sha256, shipped.recipe.files["vocab.json"]!.sha256, "the WordPiece vocabulary differs");
  const floats = (bytes: Buffer) => new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const a = floats(fresh.bytes["weights.bin"]);
  const b = floats(shipped.bytes["weights.bin"]);
  const maxDifference = a.length === b.length ? a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0) : Infinity;
  assert.equal(fresh.recipe.files["weights.bin"].sha256, shipped.recipe.files["weights.bin"].sha256,
    `re-trained weights differ from ${committed}/weights.bin (max |Δw| = ${maxDifference}); if a deliberate change (tfjs, kernels, recipe), rebuild with npx tsx scripts/data/pretrain-tiny-bert.ts`);
  assert.deepEqual(fresh.recipe, shipped.recipe, "recipe.json differs");
  for (const file of ["model.json", "vocab.json"]) {
    assert.ok(fs.readFileSync(path.join(out, NAME, file)).equals(fs.readFileSync(path.join(committed, file))), `${file} differs`);
  }
  fs.rmSync(out, { recursive: true });
});
