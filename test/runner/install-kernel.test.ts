// npm run kernel (issue 13.1): what it writes, where, and that it never replaces a kernel it did not write.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultJupyterDataDir, isProjectKernelJson, KERNEL_NAME, projectKernelJson } from "../../scripts/runner/kernelspec";

const ROOT = join(__dirname, "..", "..");

test("the kernelspec names this clone's Node and kernel entry (tslab's kernel, kernel-main.cjs) by absolute path and marks itself as the project's", () => {
  const spec = projectKernelJson("/clone", "/opt/node/bin/node");
  assert.deepEqual(spec.argv.slice(0, 1), ["/opt/node/bin/node"]);
  assert.ok(spec.argv.includes(join("/clone", "scripts", "runner", "kernel-main.cjs")));
  assert.deepEqual(spec.argv.slice(-3), ["kernel", "--config-path", "{connection_file}"]);
  assert.equal(spec.interrupt_mode, "signal");
  assert.ok(isProjectKernelJson(JSON.stringify(spec)));
  assert.ok(!isProjectKernelJson('{"argv": ["tslab", "kernel"], "display_name": "TypeScript"}'));
  assert.ok(!isProjectKernelJson("not json"));
});

test("Jupyter's default per-user data folder on each platform (jupyter_core's rules)", () => {
  assert.equal(defaultJupyterDataDir({}, "linux", "/home/a"), "/home/a/.local/share/jupyter");
  assert.equal(defaultJupyterDataDir({ XDG_DATA_HOME: "/x" }, "linux", "/home/a"), "/x/jupyter");
  assert.equal(defaultJupyterDataDir({}, "darwin", "/Users/a"), "/Users/a/Library/Jupyter");
  assert.equal(defaultJupyterDataDir({ APPDATA: "C:/Users/a/AppData/Roaming" }, "win32", "C:/Users/a"), join("C:/Users/a/AppData/Roaming", "jupyter"));
});

test("a kernel of the same name that the project did not write is left alone, by register and by --remove", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "kernel-foreign-"));
  try {
    const file = join(dataDir, "kernels", KERNEL_NAME, "kernel.json");
    mkdirSync(join(dataDir, "kernels", KERNEL_NAME), { recursive: true });
    const foreign = '{"argv": ["my-tslab", "kernel", "--config-path", "{connection_file}"], "display_name": "mine", "language": "typescript"}';
    writeFileSync(file, foreign);
    for (const args of [[], ["--remove"]]) {
      const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "runner", "install-kernel.ts"), ...args], { env: { ...process.env, JUPYTER_DATA_DIR: dataDir }, encoding: "utf8" });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /was not written by this project; left as it is/);
      assert.equal(readFileSync(file, "utf8"), foreign);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
