import { test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildNotebook,
  KERNELSPEC,
  notebookToSource,
  parseNotebook,
  pythonFloat,
  pythonSplitLines,
  serializeNotebook,
  sourcesInSync,
  writeFileAtomic,
  type CodeCell,
  type Notebook,
} from "../../scripts/runner/ipynb";
import { parseNotebookSource, renderNotebookSource } from "../../scripts/runner/notebook-source";
import { REPO_ROOT } from "../helpers/paths";

const GOLDEN = join(REPO_ROOT, "test", "fixtures", "ipynb", "golden.ipynb");

test("a notebook written by Python's nbformat re-serializes byte for byte", () => {
  // golden.ipynb was written by nbformat 5.5 (unicode keys, floats, every Python line break, JSON mimes).
  const text = readFileSync(GOLDEN, "utf8");
  const notebook = parseNotebook(text, GOLDEN);
  const code = notebook.cells[1] as CodeCell;
  assert.equal(code.source, "const x = 1;\nconsole.log(x)");
  assert.equal(code.outputs[0]?.output_type === "stream" && code.outputs[0].text.startsWith("line 1\nline 2\r\n"), true);
  assert.equal(serializeNotebook(notebook), text);
});

test("Python's float repr and str.splitlines", () => {
  assert.deepEqual([1e-5, 0.0001, 1.5e-7, 1e21, -3.25e-9, 0.1, 42, -0.00012].map(pythonFloat), ["1e-05", "0.0001", "1.5e-07", "1e+21", "-3.25e-09", "0.1", "42", "-0.00012"]);
  assert.deepEqual(pythonSplitLines("a\r\nb\rc\n\nd"), ["a\r\n", "b\r", "c\n", "\n", "d"]);
  assert.deepEqual(pythonSplitLines(""), []);
});

test("bad JSON is reported with file, line and column; wrong nbformat and invalid shapes clearly", () => {
  assert.throws(() => parseNotebook('{\n "cells": [\n  {,\n ]\n}\n', "bad.ipynb"), /^NotebookFormatError: bad\.ipynb: line 3, column 4: invalid JSON/);
  assert.throws(() => parseNotebook('{"cells": [', "cut.ipynb"), /^NotebookFormatError: cut\.ipynb: line 1, column 12: invalid JSON/);
  assert.throws(() => parseNotebook('{"nbformat": 3, "worksheets": []}', "old.ipynb"), /old\.ipynb: nbformat 3 is not supported/);
  const noOutputs = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "code", id: "a", metadata: {}, source: "", execution_count: null }] };
  assert.throws(() => parseNotebook(JSON.stringify(noOutputs), "x.ipynb"), /notebook\/cells\/0: missing required property "outputs"/);
  const badTag = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", id: "a b", metadata: { tags: ["x,y"] }, source: "" }] };
  assert.throws(() => parseNotebook(JSON.stringify(badTag), "x.ipynb"), (e: Error) => /cells\/0\/id: "a b" does not match/.test(e.message) && /tags\/0/.test(e.message));
  const v44 = { nbformat: 4, nbformat_minor: 2, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: ["a\n", "b"] }] };
  assert.equal(parseNotebook(JSON.stringify(v44)).cells[0]?.source, "a\nb");
});

test("building keeps ids and outputs of unchanged cells, derives ids of new ones from content", () => {
  const v1 = parseNotebookSource("// %% [markdown]\n// # T\n\n// %%\n1\n\n// %%\n1\n");
  const first = buildNotebook(v1);
  assert.deepEqual(first.metadata["kernelspec"], KERNELSPEC);
  const ids = first.cells.map((c) => c.id);
  assert.equal(new Set(ids).size, 3, "duplicate cells still get distinct ids");
  assert.deepEqual(buildNotebook(v1).cells.map((c) => c.id), ids, "deterministic");
  (first.cells[2] as CodeCell).outputs = [{ output_type: "stream", name: "stdout", text: "1\n" }];
  (first.cells[2] as CodeCell).execution_count = 2;

  const v2 = parseNotebookSource("// %% [markdown]\n// # T\n\n// %% tags=[\"x\"]\n2\n\n// %%\n1\n");
  const second = buildNotebook(v2, first);
  assert.equal(second.cells[0]?.id, ids[0]);
  assert.notEqual(second.cells[1]?.id, ids[1]);
  assert.deepEqual((second.cells[2] as CodeCell).outputs.length + (second.cells[1] as CodeCell).outputs.length, 1);
  assert.deepEqual(second.cells[1]?.metadata, { tags: ["x"], slideshow: { slide_type: "-" } });
});

test("sourcesInSync names the first difference; front-end metadata is ignored", () => {
  const source = parseNotebookSource('// notebook-metadata: {"execution": {"timeout": 5}}\n\n// %%\na\nb\n\n// %% tags=["t"]\nc\n');
  const notebook = buildNotebook(source);
  assert.deepEqual(sourcesInSync(source, notebook), { inSync: true });
  notebook.cells[1]!.metadata["collapsed"] = true;
  assert.deepEqual(sourcesInSync(source, notebook), { inSync: true });
  const edited: Notebook = structuredClone(notebook);
  edited.cells[0]!.source = "a\nB";
  assert.deepEqual(sourcesInSync(source, edited), { inSync: false, cellIndex: 0, message: 'cell 1\'s text differs: line 2: .ts "b", .ipynb "B"' });
  const retagged: Notebook = structuredClone(notebook);
  retagged.cells[1]!.metadata["tags"] = [];
  assert.match(sourcesInSync(source, retagged).inSync ? "" : (sourcesInSync(source, retagged) as { message: string }).message, /cell 2's metadata differs/);
  const shorter: Notebook = { ...notebook, cells: notebook.cells.slice(0, 1) };
  assert.deepEqual(sourcesInSync(source, shorter), { inSync: false, cellIndex: 1, message: "the .ts has 2 cells, the .ipynb 1" });
});

test("pull: notebook → source reproduces the .ts, keeping its header", () => {
  const text = '// header comment\n// notebook-metadata: {"runner": {"rtol": 0.01}}\n\n// %% [markdown]\n// hi\n\n// %% tags=["solution"]\nx\n';
  const source = parseNotebookSource(text);
  const notebook = parseNotebook(serializeNotebook(buildNotebook(source)));
  notebook.cells[1]!.metadata["scrolled"] = true;
  assert.equal(renderNotebookSource(notebookToSource(notebook, source.header)), text);
});

test("atomic writes leave no temporary file behind", () => {
  const dir = mkdtempSync(join(tmpdir(), "ipynb-test-"));
  try {
    const file = join(dir, "a.ipynb");
    writeFileSync(file, "old");
    writeFileAtomic(file, "new");
    assert.equal(readFileSync(file, "utf8"), "new");
    assert.deepEqual(readdirSync(dir), ["a.ipynb"]);
    assert.throws(() => writeFileAtomic(join(dir, "missing", "b.ipynb"), "x"), /ENOENT/);
    assert.deepEqual(readdirSync(dir), ["a.ipynb"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
