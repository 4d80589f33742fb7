// Pull: edits made in an .ipynb come back into the .ts, and every notebook round-trips without change.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildNotebook, readNotebookFile, serializeNotebook, writeNotebookFile } from "../../scripts/runner/ipynb";
import { parseNotebookSource } from "../../scripts/runner/notebook-source";
import { pullNotebook } from "../../scripts/runner/pull-notebook";
import { makeScratch, ROOT } from "../helpers/scratch";

const scratch = makeScratch("pull");
after(() => scratch.remove());

test("every notebook and fixture source survives build → pull unchanged", () => {
  const sources = [
    ...readdirSync(join(ROOT, "notebooks")).filter((name) => name.endsWith(".ts")).map((name) => join(ROOT, "notebooks", name)),
    ...readdirSync(scratch.dir).filter((name) => name.endsWith(".ts")).map((name) => join(scratch.dir, name)),
  ];
  assert.ok(sources.length > 5);
  for (const original of sources) {
    const copy = join(scratch.dir, `roundtrip-${original.split("/").at(-1)}`);
    copyFileSync(original, copy);
    const text = readFileSync(copy, "utf8");
    writeNotebookFile(copy.replace(/\.ts$/, ".ipynb"), buildNotebook(parseNotebookSource(text, copy)));
    assert.equal(pullNotebook(copy.replace(/\.ts$/, ".ipynb")), "unchanged", original);
    assert.equal(readFileSync(copy, "utf8"), text, original);
  }
});

test("edits in Jupyter (text, tags, a new cell) are pulled into the .ts; UI state and outputs are not", () => {
  const source = join(scratch.dir, "edited.ts");
  writeFileSync(source, '// Licence line.\n\n// %% [markdown]\n// # Title\n\n// %%\nconst x = 1;\n');
  const notebookPath = join(scratch.dir, "edited.ipynb");
  const notebook = buildNotebook(parseNotebookSource(readFileSync(source, "utf8")));
  notebook.cells[1]!.source = "const x = 2;";
  notebook.cells[1]!.metadata = { tags: ["solution"], collapsed: true, jupyter: { source_hidden: true } };
  notebook.cells.push({ cell_type: "code", id: "new1", metadata: {}, source: "x * 2", outputs: [{ output_type: "stream", name: "stdout", text: "4\n" }], execution_count: 3 });
  notebook.metadata["execution"] = { timeout: 30 };
  writeFileSync(notebookPath, serializeNotebook(notebook));

  assert.equal(pullNotebook(notebookPath), "updated");
  assert.equal(
    readFileSync(source, "utf8"),
    '// Licence line.\n// notebook-metadata: {"execution": {"timeout": 30}}\n\n// %% [markdown]\n// # Title\n\n// %% tags=["solution"]\nconst x = 2;\n\n// %%\nx * 2\n',
  );
  assert.equal(pullNotebook(notebookPath), "unchanged");
  assert.equal(readNotebookFile(notebookPath).cells.length, 3, "the .ipynb itself is left alone");
});
