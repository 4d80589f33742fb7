/**
 * The runner as a tool of its own: `tslab-runner` (package.json bin) runs the notebooks of any project, not
 * only this collection's. A throwaway project outside the repository gets its notebook built, executed and
 * checked, names tslab's own kernel, and gets no practice/ folder it did not ask for.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/paths";

const BIN = join(REPO_ROOT, "scripts", "runner", "bin.cjs");

test("package.json's bin entry is the runner's launcher", () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; dependencies: Record<string, string> };
  assert.equal(pkg.bin["tslab-runner"], "scripts/runner/bin.cjs");
  assert.ok(pkg.dependencies["tsx"] && pkg.dependencies["tslab"] && pkg.dependencies["zeromq"], "what the launcher needs is a runtime dependency, not a dev one");
});

test("tslab-runner runs another project's notebooks: --update builds and stores, --check verifies", { timeout: 240_000 }, () => {
  const project = mkdtempSync(join(tmpdir(), "tslab-runner-project-"));
  try {
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "another-project", private: true }));
    mkdirSync(join(project, "notebooks"));
    writeFileSync(join(project, "notebooks", "answer.ts"), "// %% [markdown]\n// # Another project\n\n// %%\nconsole.log(6 * 7);\n");
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: project, encoding: "utf8" });

    const update = run("--jobs", "1");
    assert.equal(update.status, 0, update.stdout + update.stderr);
    const notebook = JSON.parse(readFileSync(join(project, "notebooks", "answer.ipynb"), "utf8"));
    assert.equal(notebook.metadata.kernelspec.name, "tslab", "another project's notebooks name tslab's own kernel");
    assert.deepEqual(notebook.cells[1].outputs[0].text, ["42\n"]);
    assert.ok(!existsSync(join(project, "practice")), "no practice/ created in a project that has none");

    const check = run("--check", "notebooks/");
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /notebooks: 1 passed, 0 failed/);

    writeFileSync(join(project, "notebooks", "answer.ts"), "// %% [markdown]\n// # Another project\n\n// %%\nconsole.log(6 * 9);\n");
    const stale = run("--check");
    assert.equal(stale.status, 1, "an edited source no longer matches its stored notebook");
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
