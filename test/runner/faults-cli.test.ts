// The command line under faults from outside: a disk that fills up, output paths that cannot be written, and
// the process that started the runner going away. Nothing is lost, nothing is left running, and the exit
// status and summary say what happened.
import { after, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { finished, mainOutput, waitFor } from "../helpers/cli";
import { isLauncher } from "../../scripts/runner/parent-watch";
import { practicePath, updatePracticeCopies, writePracticeCopy } from "../../scripts/runner/practice";
import { TIMINGS_FILE, updateTimings } from "../../scripts/runner/shards";
import { descendants, survivors } from "../helpers/processes";
import { fillUp, mountTmpfs, type SmallFilesystem } from "../helpers/small-filesystem";
import { makeScratch, ROOT } from "../helpers/scratch";

const scratch = makeScratch("runner-faults");
after(() => scratch.remove());
const at = (name: string): string => join(scratch.dir, name);
const RUNNER = join(ROOT, "scripts", "runner", "run-notebooks.ts");

/** A kernel process (tslab's kernel command line) among `pids`. */
function kernelAmong(pids: number[]): number | undefined {
  return pids.find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("kernel\0--config-path");
    } catch {
      return false;
    }
  });
}

// A cell that runs 20 s and would then let the notebook pass and be written.
const SLOW_MS = 20_000;
const SLOW = `// %%\nawait new Promise((resolve) => setTimeout(resolve, ${SLOW_MS}));\nconsole.log("done");\n`;
// The same after starting a detached child that would sleep for an hour: it must end with the run.
const SLOW_WITH_CHILD = `// %%\nimport { spawn } from "child_process";\nspawn("sleep", ["3600"], { stdio: "ignore", detached: true }).unref();\n${SLOW.slice("// %%\n".length)}`;

/** A notebook whose cell marks `waitingFile` and then waits (at most 5 minutes) until `openFile` exists. */
function gateNotebook(waitingFile: string, openFile: string): string {
  return `// %%\nimport { existsSync, writeFileSync } from "fs";\nwriteFileSync(${JSON.stringify(waitingFile)}, "");\nfor (let waited = 0; !existsSync(${JSON.stringify(openFile)}) && waited < 300_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));\nconsole.log("gate open");\n`;
}

/** A process running `sleep 3600` among `pids`. */
function sleeperAmong(pids: number[]): number | undefined {
  return pids.find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8") === "sleep\x003600\x00";
    } catch {
      return false;
    }
  });
}

test("launchers between the user and the runner are seen through; the user's own process is not", () => {
  for (const argv of [
    ["npm run notebooks -- --check"], // npm's process title replaces its command line
    ["npm exec tsx scripts/run-notebooks.ts"],
    ["sh", "-c", "tsx scripts/run-notebooks.ts"],
    ["/bin/bash", "-c", "npm run notebooks"],
    ["node", "/repo/node_modules/.bin/tsx", "scripts/run-notebooks.ts"],
    ["/usr/bin/node", "/repo/node_modules/tsx/dist/cli.mjs", "scripts/run-notebooks.ts"],
    ["/usr/bin/node", "/usr/lib/node_modules/npm/bin/npm-cli.js", "run", "notebooks"],
    ["/usr/local/bin/npx", "tsx", "scripts/run-notebooks.ts"],
  ]) assert.equal(isLauncher(argv), true, argv.join(" "));
  for (const argv of [
    ["-bash"],
    ["bash", ".ci/run"],
    ["node", "--import", "tsx", "--test", "test/x.test.ts"], // a test that runs the runner: its parent
    ["/usr/bin/python3", "ci-agent.py"],
    ["sshd: user@pts/0"],
    [],
  ]) assert.equal(isLauncher(argv), false, argv.join(" "));
});

describe("runner faults", { concurrency: 2 }, () => {
  // Each test mounts its own small file system (they run in parallel); none where mounting is impossible here.
  const mounts: SmallFilesystem[] = [];
  after(() => mounts.forEach((mounted) => mounted.unmount()));
  const mountProblem = ((): string | null => {
    const probe = mountTmpfs(16, scratch.dir);
    if (typeof probe === "string") return probe;
    probe.unmount();
    return null;
  })();
  const smallFilesystem = (kilobytes: number): SmallFilesystem => {
    const mounted = mountTmpfs(kilobytes, scratch.dir);
    if (typeof mounted === "string") throw new Error(mounted);
    mounts.push(mounted);
    return mounted;
  };

  test("a full disk: the stored notebook is kept, the notebook fails, the run exits 1 with JUnit and the summary", { skip: mountProblem ?? false }, async () => {
    const small = smallFilesystem(512);
    const source = join(small.dir, "passes.ts");
    const notebook = join(small.dir, "passes.ipynb");
    copyFileSync(at("passes.ts"), source);
    assert.equal((await mainOutput(["--update", source])).code, 0);
    const stored = readFileSync(notebook);
    writeFileSync(source, readFileSync(source, "utf8").replace('console.log("sum"', 'console.log("total"'));
    fillUp(small.dir);
    const [junit, report] = [at("full-disk.xml"), join(small.dir, "report.html")];
    const { code, stdout, stderr } = await finished(spawn(process.execPath, ["--import", "tsx", RUNNER, "--update", "--junit", junit, "--report", report, source, at("type-error.ts")], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }));
    assert.equal(code, 1, stdout + stderr);
    assert.match(stdout, /FAIL \S*passes\.ts [^\n]*\n {2}notebook: write\n {4}cannot write \S*passes\.ipynb: no space left on the device \(ENOSPC\); the stored notebook is unchanged/);
    assert.match(stdout, /FAIL \S*type-error\.ts/, "the other notebook ran and was judged");
    assert.match(stdout, /Not written: cannot write \S*report\.html: no space left on the device \(ENOSPC\)\nnotebooks: 0 passed, 2 failed, 1 file\(s\) not written\n$/);
    assert.doesNotMatch(stdout + stderr, /internal error/);
    assert.deepEqual(readFileSync(notebook), stored, "the stored notebook is byte for byte the old one");
    assert.match(readFileSync(junit, "utf8"), /<failure type="write" message="notebook: cannot write [^"]*passes\.ipynb: no space left/);
  });

  test("a full disk while storing timings or a practice copy: the old file is kept and the error names it", { skip: mountProblem ?? false }, () => {
    const small = smallFilesystem(64);
    copyFileSync(at("passes.ts"), at("practice-source.ts"));
    const job = { sourcePath: at("practice-source.ts"), notebookPath: join(small.dir, "passes.ipynb") };
    const practice = join(small.dir, "practice");
    mkdirSync(practice);
    assert.deepEqual(writePracticeCopy(job, practice), { outcome: "written" });
    const timings = join(small.dir, TIMINGS_FILE);
    writeFileSync(timings, "{}\n");
    const before = [readFileSync(timings), readFileSync(practicePath(job, practice))];
    fillUp(small.dir);
    const result = { job, passed: true, failures: [], timings: [], durationMs: 1234, notebook: null, cellLines: null, wrote: false };
    assert.throws(() => updateTimings(small.dir, [result]), /cannot write \S*timings\.json: no space left on the device \(ENOSPC\)/);
    writeFileSync(job.sourcePath, readFileSync(job.sourcePath, "utf8").replace("A notebook that passes", "A notebook that still passes"));
    assert.throws(() => updatePracticeCopies([job], small.dir, practice), /cannot write \S*practice\/passes\.ipynb: no space left on the device \(ENOSPC\)/);
    assert.deepEqual([readFileSync(timings), readFileSync(practicePath(job, practice))], before);
  });

  test("output paths that cannot be written are refused before anything runs (exit 2)", async () => {
    writeFileSync(at("slow.ts"), SLOW);
    const cases: [string[], RegExp][] = [
      [["--junit", at("no-such-folder/junit.xml")], /error: cannot write \S*no-such-folder\/junit\.xml: its folder does not exist \(ENOENT\); nothing was run/],
      [["--report", scratch.dir], /error: cannot write \S*: it is a folder \(EISDIR\); nothing was run/],
      [["--report", at("passes.ts/report.html")], /a part of its path is not a folder \(ENOTDIR\)/],
    ];
    const small = mountProblem === null ? smallFilesystem(64) : null;
    if (small !== null) {
      small.setReadOnly(true);
      cases.push([["--junit", join(small.dir, "junit.xml")], /cannot write \S*junit\.xml: the file system is read-only \(EROFS\); nothing was run/]);
    }
    try {
      for (const [args, message] of cases) {
        const started = performance.now();
        const { code, out } = await mainOutput(["--check", ...args, at("slow.ts")]);
        assert.equal(code, 2, out);
        assert.match(out, message);
        assert.ok(performance.now() - started < 5000, "refused at once, the slow notebook never ran");
      }
    } finally {
      small?.setReadOnly(false);
    }
    if (small !== null) {
      // --update in a read-only folder: the notebook could not be stored, so it is not run either.
      copyFileSync(at("slow.ts"), join(small.dir, "slow.ts"));
      small.setReadOnly(true);
      try {
        const { code, out } = await mainOutput(["--update", join(small.dir, "slow.ts")]);
        assert.equal(code, 2, out);
        assert.match(out, /cannot write \S*slow\.ipynb: the file system is read-only \(EROFS\); nothing was run/);
      } finally {
        small.setReadOnly(false);
      }
    }
  });

  test("the runner stops, kills its kernels and what they started, and writes nothing when whoever started it goes away", { skip: process.platform !== "linux" }, async () => {
    const ways = [
      // CI cancelling `npm run notebooks` (npm 10 exits at once on SIGTERM; npm 11 passes it on first).
      { name: "SIGTERM to npm", file: "slow-npm", start: (args: string[]) => spawn("npm", ["run", "--silent", "notebooks", "--", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }), end: (parent: ChildProcess) => parent.kill("SIGTERM") },
      // npm killed outright: the runner's own parent (tsx's CLI) lives on, so the launchers above it are watched too.
      { name: "SIGKILL of npm", file: "slow-npm-killed", start: (args: string[]) => spawn("npm", ["run", "--silent", "notebooks", "--", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }), end: (parent: ChildProcess) => parent.kill("SIGKILL") },
      // A parent killed outright, with the runner started straight from it.
      { name: "SIGKILL of the parent", file: "slow-parent", start: (args: string[]) => spawn(process.execPath, ["-e", `require("child_process").spawn(process.execPath, ["--import", "tsx", ${JSON.stringify(RUNNER)}, ...${JSON.stringify(args)}], { stdio: "ignore" }); setInterval(() => {}, 1000);`], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }), end: (parent: ChildProcess) => parent.kill("SIGKILL") },
      // The pipe the runner reports into is closed by its reader: the runner learns it at its next line. That line
      // is made on cue: a gate notebook, run beside the slow one, waits for a flag file the test writes only after
      // closing the pipe, so the outcome does not depend on how long a kernel takes to start on a loaded machine.
      { name: "its output pipe closing", file: "slow-pipe", start: (args: string[]) => spawn(process.execPath, ["--import", "tsx", RUNNER, "--jobs", "2", at("gate.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }), ready: () => existsSync(at("gate-waiting")), end: (parent: ChildProcess) => { parent.stdout?.destroy(); writeFileSync(at("gate-open"), ""); } },
    ];
    writeFileSync(at("gate.ts"), gateNotebook(at("gate-waiting"), at("gate-open")));
    const outcomes = await Promise.allSettled(ways.map(async ({ name, file, start, ready, end }) => {
      writeFileSync(at(`${file}.ts`), SLOW_WITH_CHILD);
      const parent = start(["--update", at(`${file}.ts`)]);
      const done = finished(parent);
      await waitFor(() => kernelAmong(descendants(parent.pid ?? -1)), 120_000, `a kernel under ${name}`);
      await waitFor(() => sleeperAmong(descendants(parent.pid ?? -1)), 120_000, `the cell's child under ${name}`);
      if (ready) await waitFor(ready, 120_000, `the gate notebook waiting under ${name}`);
      const tree = descendants(parent.pid ?? -1);
      end(parent);
      const ended = await done;
      assert.deepEqual(await survivors([...tree, ...descendants(parent.pid ?? -1)], 15_000), [], `after ${name}, the runner, its kernels and the cell's child have ended`);
      if (file === "slow-pipe") assert.equal(ended.code, 129, "the runner stops with 129, as after SIGHUP");
      await sleep(SLOW_MS + 2000); // past the end of the slow cell
      assert.equal(existsSync(at(`${file}.ipynb`)), false, `after ${name}, nothing is written`);
    }));
    const failures = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [String((outcome.reason as Error).message)] : []));
    assert.deepEqual(failures, []);
  });
});
