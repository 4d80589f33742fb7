// What counts as a notebook on the command line: percent-format sources and .ipynb files, never helper modules;
// `01` as shorthand; near matches for a wrong path; notebooks of other kernels (jslab) refused before a kernel starts.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runNotebook } from "../../scripts/runner/execute-notebook";
import { findNotebookJobs, UsageError } from "../../scripts/runner/notebook-jobs";
import { ROOT } from "../helpers/scratch";

const base = join(ROOT, ".cache", "test-runs");
mkdirSync(base, { recursive: true });
const dir = mkdtempSync(join(base, "paths-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const nb = join(dir, "nb");
mkdirSync(nb);
const write = (name: string, text: string): string => {
  writeFileSync(join(nb, name), text);
  return join(nb, name);
};
write("01-gradients.ts", "// %% [markdown]\n// # One\n\n// %%\n1\n");
write("01-gradients.ipynb", "{}");
write("02-losses.ts", "// header comment\n\n// %%\nconst x = 2;\n");
write("helpers.ts", "export const helper = 1;\n// a comment that mentions // %% inside a line is no marker\n");
write("types.d.ts", "// %%\ndeclare const x: number;\n");
write("shared.ts", "export const shared = 2;\n");
write("shared.ipynb", "{}");
const names = (args: string[]): (string | null)[][] => findNotebookJobs(args, nb).map((job) => [job.sourcePath && basename(job.sourcePath), basename(job.notebookPath)]);

test("a folder or glob holds notebooks only: helper modules (no `// %%` marker) and .d.ts files are skipped", () => {
  const expected = [["01-gradients.ts", "01-gradients.ipynb"], ["02-losses.ts", "02-losses.ipynb"], [null, "shared.ipynb"]];
  assert.deepEqual(names([]), expected, "the default folder");
  assert.deepEqual(names([nb]), expected, "a folder named");
  assert.deepEqual(names([join(nb, "*.ts")]), expected.slice(0, 2), "a glob");
  assert.throws(() => findNotebookJobs([join(nb, "h*.ts")], nb), /h\*\.ts: no notebook matches/);
});

test("a helper module named explicitly is refused, saying why; its .ipynb namesake runs as it is", () => {
  assert.throws(() => findNotebookJobs([join(nb, "helpers.ts")], nb), (error: Error) => error instanceof UsageError && /helpers\.ts: not a notebook: .*`\/\/ %%` cell markers.*helper module/.test(error.message));
  assert.deepEqual(names([join(nb, "shared.ipynb")]), [[null, "shared.ipynb"]]);
});

test("`01` and `2` are short for the notebooks numbered so in the default folder", () => {
  assert.deepEqual(names(["01"]), [["01-gradients.ts", "01-gradients.ipynb"]]);
  assert.deepEqual(names(["2", "01"]), [["01-gradients.ts", "01-gradients.ipynb"], ["02-losses.ts", "02-losses.ipynb"]]);
  assert.throws(() => findNotebookJobs(["07"], nb), /07: no notebook \S*07-\*/);
});

test("a wrong path names the notebooks closest to it", () => {
  assert.throws(() => findNotebookJobs([join(nb, "01-gradient.ts")], nb), /no such file or directory; did you mean \S*01-gradients\.ts/);
  assert.throws(() => findNotebookJobs([join(nb, "losses")], nb), /did you mean \S*02-losses\.ts/);
  assert.throws(() => findNotebookJobs([join(dir, "elsewhere", "02-loses.ts")], nb), /did you mean \S*02-losses\.ts/, "names from the default folder when the path's folder does not exist");
  assert.throws(() => findNotebookJobs([join(nb, "zzzzzzzz.ts")], nb), (error: Error) => /no such file or directory$/.test(error.message), "nothing close: no suggestion");
});

test("notebooks of tslab's JavaScript kernel (jslab) and of other kernels are refused with the kernel to use", async () => {
  const jslab = write("js.ipynb", JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "jslab", display_name: "JavaScript" } }, cells: [] }));
  const fromIpynb = await runNotebook({ sourcePath: null, notebookPath: jslab }, { mode: "check", timeoutSeconds: 10 });
  assert.deepEqual(fromIpynb.failures.map((f) => f.kind), ["format"]);
  assert.match(fromIpynb.failures[0]?.message ?? "", /js\.ipynb: it is a JavaScript notebook of tslab's jslab kernel: run it with that kernel/);
  const source = write("js-source.ts", '// notebook-metadata: {"kernelspec": {"name": "jslab"}}\n\n// %%\n1\n');
  const fromSource = await runNotebook({ sourcePath: source, notebookPath: source.replace(/\.ts$/, ".ipynb") }, { mode: "update", timeoutSeconds: 10 });
  assert.match(fromSource.failures[0]?.message ?? "", /js-source\.ts: it is a JavaScript notebook of tslab's jslab kernel/);
  assert.equal(fromSource.timings.length, 0, "refused before any kernel started");
});

test("a number inside a path, and a folder without notebooks", () => {
  assert.throws(() => findNotebookJobs([join(nb, "2")], nb), /did you mean \S*02-losses\.ts/);
  const empty = join(dir, "helpers-only");
  mkdirSync(empty);
  writeFileSync(join(empty, "util.ts"), "export const x = 1;\n");
  assert.throws(() => findNotebookJobs([empty], nb), /helpers-only: no notebook in this folder/);
});
