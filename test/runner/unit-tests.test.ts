// scripts/runner/unit-tests.cjs: which test files share a process and which run alone.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../helpers/scratch";

const { plan, testFiles, OWN_PROCESS } = require("../../scripts/runner/unit-tests.cjs") as {
  plan: (files: string[]) => { bundles: string[][]; alone: string[] };
  testFiles: (dir: string) => string[];
  OWN_PROCESS: RegExp;
};

test("every test file runs exactly once: in one of two balanced bundles of plain test/lib files, or alone", () => {
  const files = testFiles(join(ROOT, "test"));
  const { bundles, alone } = plan(files);
  assert.deepEqual([...bundles.flat(), ...alone].sort(), [...files].sort());
  assert.equal(new Set([...bundles.flat(), ...alone]).size, files.length);
  assert.equal(bundles.length, 2);
  assert.ok(Math.abs(bundles[0]!.length - bundles[1]!.length) <= 1);
  for (const file of bundles.flat()) {
    assert.ok(relative(ROOT, file).startsWith("test/lib/"), file);
    assert.doesNotMatch(readFileSync(file, "utf8"), OWN_PROCESS, file);
  }
  assert.ok(alone.some((file) => file.endsWith("test/lib/tf.test.ts")) && alone.some((file) => file.endsWith("test/runner/unit-tests.test.ts")));
});

test("a file that uses TensorFlow.js, spawns, touches process state or asks for it runs alone", () => {
  for (const text of [
    'import { setupTf, tf } from "../../../lib/tf";',
    'import * as tf from "@tensorflow/tfjs";',
    'import { spawn } from "node:child_process";',
    "process.env.HOME = dir;",
    "process.on(\"exit\", done);",
    "// unit-tests: own process (a long rebuild)",
  ]) assert.match(text, OWN_PROCESS, text);
  for (const text of ['import { kFold } from "../../lib/split";', "const environment = 3;", 'test("process rows", () => {});']) assert.doesNotMatch(text, OWN_PROCESS, text);
});
