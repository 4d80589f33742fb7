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
const NAMES = ["tiny-bert-mlm", "tiny-bert-chinese-char"];

test("the shipped tiny BERTs verify, are small, and were made on one wasm thread with this tfjs version", () => {
  for (const name of NAMES) {
    const { recipe, extraBytes } = verifyPretrained(path.join(dataDir(), "pretrained", name));
    assert.equal(recipe.name, name);
    assert.ok(recipe.files["weights.bin"].bytes < 700_000, `${name}: a few hundred KB`);
    assert.ok(extraBytes["vocab.json"] !== undefined, `${name}: the vocabulary ships with the weights`);
    assert.equal(recipe.backend, "wasm");
    assert.equal(recipe.threads, 1);
    assert.equal(recipe.tfjsVersion, tf.version.tfjs, `${name} was made with tfjs ${recipe.tfjsVersion}; rebuild it for ${tf.version.tfjs}`);
  }
});

// The CI reproduction check: the script, re-run from scratch into a temporary folder, must write the committed bytes.
// Measured: 60–90 s per artefact on one wasm thread with other jobs on the 2 cores; 900 s covers the two on a machine
// 3× slower with each core shared with another test file, more than twice over.
test("scripts/data/pretrain-tiny-bert.ts reproduces the committed artefacts bit for bit", { timeout: 900_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "tiny-bert-test-"));
  const env = { ...process.env };
  delete env.TFJS_BACKEND;
  delete env.TFJS_WASM_THREADS;
  await run(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "data", "pretrain-tiny-bert.ts"), "--out", out], { cwd: REPO_ROOT, env });
  for (const NAME of NAMES) {
    const committed = path.join(dataDir(), "pretrained", NAME);
    const fresh = verifyPretrained(path.join(out, NAME));
    const shipped = verifyPretrained(committed);
    assert.deepEqual(fresh.recipe.data, shipped.recipe.data, `${NAME}: the training data (or its SHA-256) changed`);
    assert.equal(fresh.recipe.files["vocab.json"]!.sha256, shipped.recipe.files["vocab.json"]!.sha256, `${NAME}: the WordPiece vocabulary differs`);
    const floats = (bytes: Buffer) => new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const a = floats(fresh.bytes["weights.bin"]);
    const b = floats(shipped.bytes["weights.bin"]);
    const maxDifference = a.length === b.length ? a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0) : Infinity;
    assert.equal(fresh.recipe.files["weights.bin"].sha256, shipped.recipe.files["weights.bin"].sha256,
      `${NAME}: re-trained weights differ from ${committed}/weights.bin (max |Δw| = ${maxDifference}); if a deliberate change (tfjs, kernels, recipe), rebuild with npx tsx scripts/data/pretrain-tiny-bert.ts`);
    assert.deepEqual(fresh.recipe, shipped.recipe, `${NAME}: recipe.json differs`);
    for (const file of ["model.json", "vocab.json"]) {
      assert.ok(fs.readFileSync(path.join(out, NAME, file)).equals(fs.readFileSync(path.join(committed, file))), `${NAME}: ${file} differs`);
  }
  }
  fs.rmSync(out, { recursive: true });
});
