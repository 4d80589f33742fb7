// unit-tests: own process (a 90 s rebuild that runs beside the bundles of scripts/runner/unit-tests.cjs)
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { dataDir } from "../../../lib/data";
import { verifyPretrained } from "../../../lib/nn/pretrained";
import { tf } from "../../../lib/tf";
import { assertScriptRebuilds } from "../../helpers/tiny-bert-rebuild";

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

// The CI reproduction check of the English artefact (the Chinese one's is pretrain-tiny-bert-chinese.test.ts: one
// file each, so that the two rebuilds run beside other test files instead of one after the other).
test("scripts/data/pretrain-tiny-bert.ts reproduces tiny-bert-mlm bit for bit", { timeout: 600_000 }, async () => {
  await assertScriptRebuilds("tiny-bert-mlm");
});
