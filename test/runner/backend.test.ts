// --backend (issue 13.6): notebooks' claims are checked on another TensorFlow.js backend without comparing
// the stored outputs, which come from the default backend.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { UsageError } from "../../scripts/runner/notebook-jobs";
import { parseArguments } from "../../scripts/runner/run-notebooks";

test("--backend NAME with --check selects the backend; other names and update runs are refused", () => {
  const options = parseArguments(["--check", "--backend", "cpu", "notebooks/03-loss-functions.ts"]);
  assert.ok(options !== "help");
  assert.equal(options.backend, "cpu");
  assert.equal(options.mode, "check");
  assert.equal((parseArguments(["--check"]) as { backend: unknown }).backend, null);
  assert.throws(() => parseArguments(["--check", "--backend", "gpu"]), (e: unknown) => e instanceof UsageError && /--backend must be one of tensorflow, wasm, cpu, got "gpu"/.test(e.message));
  assert.throws(() => parseArguments(["--backend=cpu"]), (e: unknown) => e instanceof UsageError && /--backend needs --check/.test(e.message));
});
