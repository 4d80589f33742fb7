// Faults from outside a running kernel: processes its cells start must end with it (however they detach), and
// files changing on disk under it (npm ci, git pull, an editor) must not kill it.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { TslabKernel } from "../../scripts/runner/kernel";
import { survivors } from "../helpers/processes";
import { makeScratch, ROOT } from "../helpers/scratch";

const scratch = makeScratch("kernel-faults");
after(() => scratch.remove());

/** Pids a cell prints as `pid <n>` lines. */
function printedPids(outputs: { output_type: string; text?: string }[]): number[] {
  const text = outputs.map((output) => output.text ?? "").join("");
  return [...text.matchAll(/^pid (\d+)$/gm)].map((match) => Number(match[1]));
}

test("nothing a cell starts outlives its kernel: plain, detached, setsid and double-forked children", { skip: process.platform !== "linux" }, async () => {
  for (const end of ["shutdown", "process.exit in a cell"] as const) {
    const kernel = await TslabKernel.start({ cwd: scratch.dir });
    try {
      // Each child is a `sleep` that would otherwise run for an hour; a shell prints the pid of the ones it forks.
      const run = await kernel.execute(
        `import { spawn, spawnSync } from "child_process";
         const plain = spawn("sleep", ["3600"], { stdio: "ignore" });
         const detached = spawn("sleep", ["3600"], { stdio: "ignore", detached: true });
         detached.unref();
         // A new session (setsid) whose shell backgrounds a grandchild and exits at once: a double fork.
         const forked = spawnSync("setsid", ["sh", "-c", "sleep 3600 >/dev/null 2>&1 & echo $!"], { encoding: "utf8" }).stdout.trim();
         // A process that starts its own process group and then a grandchild in it.
         const group = spawn("sh", ["-c", "sleep 3600 & echo $!; wait"], { stdio: ["ignore", "pipe", "ignore"], detached: true });
         const grandchild = await new Promise<string>((resolve) => group.stdout!.once("data", (chunk) => resolve(String(chunk).trim())));
         for (const pid of [plain.pid, detached.pid, forked, group.pid, grandchild]) console.log("pid " + pid);`,
        { timeoutMs: 60_000 },
      );
      assert.equal(run.status, "ok", run.stderrText);
      const pids = printedPids(run.outputs as { output_type: string; text?: string }[]);
      assert.equal(pids.length, 5, JSON.stringify(run.outputs));
      assert.deepEqual(await survivors(pids, 1000), pids, "the children run while the kernel does");
      if (end === "shutdown") {
        await kernel.shutdown();
      } else {
        assert.equal((await kernel.execute("process.exit(0)", { timeoutMs: 60_000 })).status, "dead");
      }
      assert.deepEqual(await survivors(pids, 5000), [], `after ${end}, nothing the cell started is left`);
    } finally {
      await kernel.shutdown();
    }
  }
});

test("a running kernel survives files it loaded changing, vanishing and coming back in a burst", async () => {
  // A folder of the scratch copy, never the repository's own files: copies of lib modules, a local module and a
  // package in node_modules. tslab's watchers died when a watched source and a watched package.json changed
  // between two cells (two rebuild timers: "Unexpected pending rebuildTimer"), as in an npm ci or git pull.
  const dir = join(scratch.dir, "burst");
  const modules = ["random.ts", "check.ts"];
  const pkg = join(dir, "node_modules", "burst-pkg");
  const writePackage = (version: number): void => {
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "burst-pkg", version: `1.0.${version}`, main: "index.js", types: "index.d.ts" }));
    writeFileSync(join(pkg, "index.d.ts"), "export declare const base: number;\n");
    writeFileSync(join(pkg, "index.js"), "exports.base = 40;\n");
  };
  const writeHelper = (value: number): void => writeFileSync(join(dir, "helper.ts"), `export const answer = (): number => ${value};\n`);
  mkdirSync(join(dir, "lib"), { recursive: true });
  for (const name of modules) copyFileSync(join(ROOT, "lib", name), join(dir, "lib", name));
  writePackage(0);
  writeHelper(2);
  const kernel = await TslabKernel.start({ cwd: dir });
  try {
    const first = await kernel.execute(`import { base } from "burst-pkg";\nimport { answer } from "./helper";\nimport { Random } from "./lib/random";\nimport * as check from "./lib/check";\nbase + answer() + Object.keys(check).length * 0 + new Random(1).nextUint32() * 0`, { timeoutMs: 60_000 });
    assert.equal(first.status, "ok", first.stderrText);
    const texts = new Map(modules.map((name) => [name, readFileSync(join(dir, "lib", name), "utf8")]));
    for (let round = 1; round <= 12; round++) {
      writeHelper(round);
      writePackage(round);
      for (const [name, text] of texts) {
        rmSync(join(dir, "lib", name));
        writeFileSync(join(dir, "lib", name), `${text}\n// round ${round}\n`);
      }
      if (round % 4 === 0) rmSync(join(dir, "node_modules"), { recursive: true }); // gone until the next round
      await sleep(round % 3 === 0 ? 300 : 20); // some rounds long enough for the watchers to report
    }
    rmSync(join(dir, "lib"), { recursive: true });
    await sleep(2500); // TypeScript's polling watchers look every 250 ms to 2 s
    writeHelper(7);
    for (const code of ["1 + 1", "answer()", "base", `import { answer as again } from "./helper";\nagain()`, "Array.from({ length: 3 }, (_, i) => i * i).join(\",\")"]) {
      const run = await kernel.execute(code, { timeoutMs: 60_000 });
      assert.equal(run.status, "ok", `${code}: ${run.stderrText}\n${kernel.processOutputTail}`);
      assert.equal(run.stderrText, "", code);
    }
    // tslab reports an exception thrown by its watcher as stderr output of the last cell, after it finished.
    assert.deepEqual(kernel.takeOrphans().map((orphan) => orphan.output), []);
    assert.equal(kernel.exitReason, null, kernel.processOutputTail);
  } finally {
    await kernel.shutdown();
  }
});
