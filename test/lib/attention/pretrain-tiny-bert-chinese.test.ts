// unit-tests: own process (a 90 s rebuild that runs beside the bundles of scripts/runner/unit-tests.cjs)
// The CI reproduction check of the Chinese character-level tiny BERT (the English one's is pretrain-tiny-bert.test.ts).
import { test } from "node:test";
import { assertScriptRebuilds } from "../../helpers/tiny-bert-rebuild";

test("scripts/data/pretrain-tiny-bert.ts reproduces tiny-bert-chinese-char bit for bit", { timeout: 600_000 }, async () => {
  await assertScriptRebuilds("tiny-bert-chinese-char");
});
