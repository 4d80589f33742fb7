import { test } from "node:test";
import * as assert from "node:assert/strict";
import { argValue, positiveInteger } from "../../scripts/bench/args";

test("argValue returns the word after the option, undefined without the option, an error without a value", () => {
  const argv = ["node", "script", "--only", "lstm,gru", "--json", "--steps"];
  assert.equal(argValue("--only", argv), "lstm,gru");
  assert.equal(argValue("--backend", argv), undefined);
  assert.throws(() => argValue("--steps", argv), /--steps needs a value/);
  assert.throws(() => argValue("--only", ["--only", "--json"]), /--only needs a value/);
});

test("positiveInteger takes the fallback when the option is absent and names a bad value", () => {
  assert.equal(positiveInteger("--reps", 3, ["--json"]), 3);
  assert.equal(positiveInteger("--reps", 3, ["--reps", "5"]), 5);
  for (const bad of ["0", "-2", "1.5", "many"]) assert.throws(() => positiveInteger("--reps", 3, ["--reps", bad]), new RegExp(`--reps must be an integer ≥ 1, got "${bad}"`));
});
