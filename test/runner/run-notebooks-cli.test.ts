// The command line end to end: exit codes, what a failure message names, the report files, and that no kernel
// outlives the runner however it ends.
import { after, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { main } from "../../scripts/runner/run-notebooks";
import { finished, mainOutput, waitFor } from "../helpers/cli";
import { isRunning, makeScratch, ROOT } from "../helpers/scratch";

const scratch = makeScratch("cli");
after(() => scratch.remove());
const at = (name: string): string => join(scratch.dir, name);

function runCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "runner", "run-notebooks.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
}

/** The pids of processes whose parent is `parent` and whose command line mentions tslab's kernel command. */
function kernelChildren(parent: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return ppid === parent && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("kernel\0--config-path");
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("command line", { concurrency: 3 }, () => {
  test("usage errors exit 2 and say what is wrong", async () => {
    for (const [args, message] of [
      [["--bogus"], /unknown option --bogus/],
      [["--jobs", "0"], /--jobs needs a positive whole number, got "0"/],
      [["--timeout"], /--timeout needs a value/],
      [["--prestart", "-1"], /--prestart needs a whole number, got "-1"/],
      [["--shard", "3/2"], /--shard needs I\/N with 1 ≤ I ≤ N/],
      [[at("nope.ts")], /nope\.ts: no such file or directory/],
      [[at("*.nothing")], /no notebook matches/],
    ] as const) {
      const { code, out } = await mainOutput([...args]);
      assert.equal(code, 2, args.join(" "));
      assert.match(out, message);
    }
    assert.equal((await mainOutput(["--help"])).code, 0);
  });

  test("--list names the selection; --shard splits it into disjoint, complete slices", async () => {
    const all = (await mainOutput(["--list", scratch.dir])).out.split("\n");
    assert.ok(all.some((line) => line.endsWith("throws.ts")) && all.some((line) => line.endsWith("malformed.ipynb")), all.join("\n"));
    const first = (await mainOutput(["--list", "--shard", "1/2", scratch.dir])).out.split("\n");
    const second = (await mainOutput(["--list", "--shard=2/2", scratch.dir])).out.split("\n");
    assert.deepEqual([...first, ...second].sort(), [...all].sort());
    assert.equal(first.filter((line) => second.includes(line)).length, 0);
    const globbed = (await mainOutput(["--list", join(scratch.dir, "t*.ts")])).out.split("\n");
    assert.deepEqual(globbed.map((line) => line.split("/").at(-1)), ["throws.ts", "timer-throw.ts", "type-error.ts"]);
  });

  test("a failing run exits 1 naming notebook, cell, source lines and error; writes JUnit and HTML", async () => {
    const [junit, report] = [at("junit.xml"), at("report.html")];
    const result = await finished(runCli(["--jobs", "2", "--junit", junit, "--report", report, at("throws.ts"), at("type-error.ts"), at("passes.ts")]));
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /FAIL \S*throws\.ts \(2 cells, [\d.]+ s\)\n {2}cell 2 \(\S*throws\.ts:6\): error\n {4}\| function pick\(i: number\): number \{\n[\s\S]*RangeError: bad range 42/);
    assert.match(result.stdout, /FAIL \S*type-error\.ts[^\n]*\n {2}cell 1 \(\S*type-error\.ts:3\): error\n {4}\| const count: number = "three";\n {4}1:7 - Type 'string'/);
    // The message quotes passes.ts's own lines: the whole output is too long for a CI log's excerpt.
    const passesAt = result.stdout.search(/(PASS|FAIL) \S*passes\.ts/);
    const passesLines = passesAt < 0 ? "(no PASS or FAIL line)" : result.stdout.slice(passesAt).split(/\n(?=PASS|FAIL|notebooks:)/)[0];
    assert.match(result.stdout, /PASS \S*passes\.ts \(5 cells, [\d.]+ s\), wrote /, `passes.ts should pass; it printed:\n${passesLines}`);
    assert.match(result.stdout, /\nnotebooks: 1 passed, 2 failed\n$/);
    const xml = readFileSync(junit, "utf8");
    assert.match(xml, /<testsuites name="notebooks" tests="\d+" failures="2"/); // counts: test/runner/junit-xml.test.ts
    assert.match(xml, /<testcase classname="[^"]*throws\.ts" name="cell 2" time="[\d.]+"><failure type="error" message="cell 2 \([^"]*throws\.ts:6\): /);
    assert.match(xml, /name="cell 3" time="0.000"><skipped message="not run: an earlier failure stopped the notebook"\/>/);
    assert.match(readFileSync(report, "utf8"), /<h1>Notebook run \(update\): 1 passed, 2 failed[\s\S]*RangeError: bad range 42/);

    const { code, out } = await mainOutput(["--check", at("passes.ts")]);
    assert.equal(code, 0, out);
    assert.match(out, /notebooks: 1 passed, 0 failed$/);
  });

  test("no kernel outlives the runner: SIGINT, SIGTERM, SIGKILL of the runner, or a crash", async () => {
    writeFileSync(at("hang.ts"), "// %%\nwhile (true) {}\n");
    const cases = (["SIGINT", "SIGTERM", "SIGKILL"] as const).map(async (signal) => {
      const child = runCli([at("hang.ts")]);
      const done = finished(child);
      const [kernel] = await waitFor(() => {
        const found = kernelChildren(child.pid ?? -1);
        return found.length > 0 ? found : undefined;
      }, 30_000, `the kernel of the runner to be killed with ${signal}`);
      await sleep(300); // the cell is running
      child.kill(signal);
      const { signal: ended } = await done;
      assert.equal(ended, signal, `the runner ends by ${signal}`);
      await waitFor(() => (isRunning(kernel ?? -1) ? undefined : true), 5000, `kernel ${kernel} to end after ${signal}`);
    });
    const crash = (async () => {
      const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test", "fixtures", "crash-with-kernel.ts")], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      const { code, stdout } = await finished(child);
      assert.equal(code, 1);
      const pid = Number(stdout.trim());
      assert.ok(pid > 0, stdout);
      await waitFor(() => (isRunning(pid) ? undefined : true), 5000, `kernel ${pid} to end after the crash`);
    })();
    await Promise.all([...cases, crash]);
    assert.equal(existsSync(at("hang.ipynb")), false, "an interrupted run writes nothing");
  });
});
