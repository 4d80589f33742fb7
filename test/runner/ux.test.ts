// What a learner or a CI log sees from the runner: re-runs that leave `git status` clean, start lines in logs,
// a summary of what finished on Ctrl-C, a timeout message that says how to raise it, and what to do next.
import { after, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNotebook, type NotebookResult } from "../../scripts/runner/execute-notebook";
import { parseNotebook, serializeNotebook, type CodeCell } from "../../scripts/runner/ipynb";
import { nextSteps } from "../../scripts/runner/reports";
import { parseArguments } from "../../scripts/runner/run-notebooks";
import { UsageError } from "../../scripts/runner/notebook-jobs";
import { makeScratch, ROOT } from "../helpers/scratch";

const scratch = makeScratch("ux");
after(() => scratch.remove());
const at = (name: string): string => join(scratch.dir, name);

test("timings.json is written only when asked: --record-timings, with --update", () => {
  const parse = (args: string[]) => parseArguments(args) as Exclude<ReturnType<typeof parseArguments>, "help">;
  assert.equal(parse([]).recordTimings, false, "a plain (update) run leaves the timings alone");
  assert.equal(parse(["--update", "--record-timings"]).recordTimings, true);
  assert.throws(() => parseArguments(["--check", "--record-timings"]), UsageError);
});

test("after a failure, what to do next: per kind, with the command for the failing notebooks", () => {
  const failed = (kind: "output-mismatch" | "timeout" | "out-of-sync", name: string): NotebookResult =>
    ({ job: { sourcePath: `notebooks/${name}.ts`, notebookPath: `notebooks/${name}.ipynb` }, passed: false, failures: [{ kind, cellIndex: 1, message: "x" }], timings: [], durationMs: 0, notebook: null, cellLines: null, wrote: false });
  const text = nextSteps([failed("output-mismatch", "03-a"), failed("output-mismatch", "07-b"), failed("timeout", "07-b")], "check");
  assert.match(text, /^What to do next:\n/);
  assert.match(text, /if the change is intended .* store them with `npm run notebooks -- notebooks\/03-a\.ts notebooks\/07-b\.ts`/);
  assert.match(text, /raise it with `--timeout SECONDS`/);
  assert.doesNotMatch(text, /out of sync|does not match its \.ts/, "only the kinds that happened");
  assert.match(text, /README\.md, "When a check fails"/);
  assert.match(readFileSync(join(ROOT, "README.md"), "utf8"), /^## When a check fails$/m, "the section the advice points to exists");
});

describe("runs through a kernel", { concurrency: 2 }, () => {
  test("--update keeps stored outputs that a re-run reproduces: a second run on any machine changes no byte", async () => {
    writeFileSync(at("stable.ts"), [
      "// %%",
      "const started = performance.now();",
      "let total = 0;",
      "for (let i = 0; i < 200_000; i++) total += Math.sqrt(i);",
      "// A wall-clock figure: different on every run, like lib/progress's \"15/15 steps in 1.8 s\".",
      "console.log(`15/15 steps in ${((performance.now() - started) / 1000 + Math.random()).toFixed(3)} s, total ${total.toFixed(0)}`);",
      "",
      "// %%",
      'import { readFileSync } from "fs";',
      'console.log(readFileSync("stable-value.txt", "utf8"));',
      "",
    ].join("\n"));
    writeFileSync(at("stable-value.txt"), "value 1");
    const update = (): Promise<NotebookResult> => runNotebook({ sourcePath: at("stable.ts"), notebookPath: at("stable.ipynb") }, { mode: "update", timeoutSeconds: 60 });
    const first = await update();
    assert.deepEqual([first.failures, first.wrote], [[], true]);
    const stored = readFileSync(at("stable.ipynb"), "utf8");
    const second = await update();
    assert.deepEqual([second.failures, second.wrote], [[], false], "the timing differs, nothing else: not rewritten");
    assert.equal(readFileSync(at("stable.ipynb"), "utf8"), stored);

    writeFileSync(at("stable-value.txt"), "value 2");
    const third = await update();
    assert.equal(third.wrote, true, "a real change is stored");
    const [timing, value] = parseNotebook(readFileSync(at("stable.ipynb"), "utf8")).cells.map((cell) => ((cell as CodeCell).outputs[0] as { text: string }).text);
    const [storedTiming] = parseNotebook(stored).cells.map((cell) => ((cell as CodeCell).outputs[0] as { text: string }).text);
    assert.equal(timing, storedTiming, "the unchanged cell keeps its stored output");
    assert.equal(value, "value 2\n");
  });

  test("--check passes a notebook whose stored stream is split into pieces, as other front ends store it", async () => {
    writeFileSync(at("pieces.ts"), '// %%\nconsole.log("epoch 1");\nconsole.log("epoch 2");\nconsole.error("warning");\n');
    const job = { sourcePath: at("pieces.ts"), notebookPath: at("pieces.ipynb") };
    assert.deepEqual((await runNotebook(job, { mode: "update", timeoutSeconds: 60 })).failures, []);
    const notebook = parseNotebook(readFileSync(at("pieces.ipynb"), "utf8"));
    const cell = notebook.cells[0] as CodeCell;
    assert.deepEqual(cell.outputs.map((o) => o.output_type === "stream" && o.name), ["stdout", "stderr"]);
    cell.outputs = [{ output_type: "stream", name: "stdout", text: "epoch 1\n" }, { output_type: "stream", name: "stdout", text: "epoch 2\n" }, cell.outputs[1] as CodeCell["outputs"][number]];
    writeFileSync(at("pieces.ipynb"), serializeNotebook(notebook));
    assert.deepEqual((await runNotebook(job, { mode: "check", timeoutSeconds: 60 })).failures, []);
  });

  test("a cell timeout says how to raise it", async () => {
    const result = await runNotebook({ sourcePath: at("infinite-loop.ts"), notebookPath: at("infinite-loop.ipynb") }, { mode: "update", timeoutSeconds: 60 });
    assert.equal(result.failures[0]?.kind, "timeout");
    assert.match(result.failures[0]?.message ?? "", /raise the timeout: `--timeout SECONDS` for the run, `\/\/ %% runner=\{"timeout": SECONDS\}` on the cell/);
  });

  test("CI logs (no terminal) get a line per notebook started; Ctrl-C prints what finished", async () => {
    cpSync(at("passes.ts"), at("a-passes.ts"));
    writeFileSync(at("z-hang.ts"), "// %%\nwhile (true) {}\n");
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "runner", "run-notebooks.ts"), "--jobs", "1", "--prestart", "0", at("a-passes.ts"), at("z-hang.ts")], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on("close", (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/start \S*z-hang\.ts/.test(stdout)) resolve();
      });
    });
    child.kill("SIGINT");
    assert.equal(await ended, "SIGINT");
    assert.match(stdout, /^start \S*a-passes\.ts \(1 of 2 started\)\nPASS \S*a-passes\.ts [^\n]*\nstart \S*z-hang\.ts \(2 of 2 started\)\n/);
    assert.match(stdout, /\nInterrupted: 1 of 2 notebooks finished:\n {2}PASS \S*a-passes\.ts\nNot finished \(nothing written for them\): \S*z-hang\.ts\n$/);
  });
});
