import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseNotebookSource, renderNotebookSource, SourceFormatError, type NotebookSource } from "../../scripts/runner/notebook-source";
import { NOTEBOOKS_DIR } from "../helpers/paths";

const CANONICAL = `// SPDX-License-Identifier: MIT
// notebook-metadata: {"execution": {"timeout": 60}, "runner": {"rtol": 0.001}}

// %% [markdown]
// # Title
//
// Text with \`code\` and  two spaces.

// %%
import { check } from "./lib/check";

const x = 1;

// %% tags=["raises-exception", "solution"] runner={"timeout": 5, "note": "a b"}
JSON.parse("{");

// %% [raw]
// raw text

// %%
`;

test("a canonical source round-trips byte for byte", () => {
  const parsed = parseNotebookSource(CANONICAL, "x.ts");
  assert.deepEqual(parsed.header, ["// SPDX-License-Identifier: MIT"]);
  assert.deepEqual(parsed.metadata, { execution: { timeout: 60 }, runner: { rtol: 0.001 } });
  assert.deepEqual(
    parsed.cells.map((c) => [c.type, c.source, c.metadata]),
    [
      ["markdown", "# Title\n\nText with `code` and  two spaces.", {}],
      ["code", 'import { check } from "./lib/check";\n\nconst x = 1;', {}],
      ["code", 'JSON.parse("{");', { tags: ["raises-exception", "solution"], runner: { timeout: 5, note: "a b" } }],
      ["raw", "raw text", {}],
      ["code", "", {}],
    ],
  );
  assert.deepEqual(parsed.cellLines, [4, 9, 14, 17, 20]);
  assert.equal(renderNotebookSource(parsed), CANONICAL);
});

test("cells → source → cells is the identity, including empty and blank-edged cells", () => {
  const notebook: NotebookSource = {
    header: [],
    metadata: {},
    cells: [
      { type: "code", source: "", metadata: {} },
      { type: "markdown", source: "\nleading empty line\n\n  indented", metadata: { tags: ["a,b"] } },
      { type: "code", source: "\n  leading blank line kept", metadata: { "dotted.key": [1, { "y": null }] } },
      { type: "markdown", source: "", metadata: {} },
    ],
  };
  const text = renderNotebookSource(notebook);
  const { cellLines: _, ...parsed } = parseNotebookSource(text);
  assert.deepEqual(parsed, notebook);
  assert.equal(renderNotebookSource(parsed), text);
});

test("trailing blank lines between cells are trimmed the same way in every cell type", () => {
  const loose = "// %%\na\n\n\n\n// %% [markdown]\n// b\n//\n//\n\n\n// %%\nc   \n  \n";
  const parsed = parseNotebookSource(loose);
  assert.deepEqual(parsed.cells.map((c) => c.source), ["a", "b", "c   "]);
  const canonical = renderNotebookSource(parsed);
  assert.equal(canonical, "// %%\na\n\n// %% [markdown]\n// b\n\n// %%\nc   \n");
  assert.equal(renderNotebookSource(parseNotebookSource(canonical)), canonical);
});

test("CRLF sources read like LF ones; a source without cells renders to its header", () => {
  assert.deepEqual(parseNotebookSource("// %%\r\nx\r\n").cells, [{ type: "code", source: "x", metadata: {} }]);
  assert.equal(renderNotebookSource(parseNotebookSource("// only a header\n")), "// only a header\n");
  assert.equal(renderNotebookSource(parseNotebookSource("")), "");
});

test("format errors name the file and line", () => {
  const cases: Array<[string, RegExp]> = [
    ["const x = 1;\n// %%\n", /^x\.ts:1: code before the first `\/\/ %%` marker/],
    ["// %%\n// %% [markdown]\n// ok\nnot a comment\n", /^x\.ts:4: a markdown cell's lines start with "\/\/ "/],
    ["// %% tags=[\"a\"\n", /^x\.ts:1: tags: invalid JSON/],
    ["// %% just a title\n", /^x\.ts:1: expected key=JSON after the cell marker/],
    ["// notebook-metadata: [1]\n", /^x\.ts:1: notebook-metadata must be a JSON object/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseNotebookSource(text, "x.ts"), (e: unknown) => e instanceof SourceFormatError && message.test(e.message), text);
  }
});

test("a cell containing a marker-like line cannot be rendered (it would split on the next read)", () => {
  const notebook: NotebookSource = { header: [], metadata: {}, cells: [{ type: "code", source: "a\n// %%\nb", metadata: {} }] };
  assert.throws(() => renderNotebookSource(notebook), /cell 1 contains a line that reads as a cell marker/);
});

test("every notebook source in notebooks/ is canonical (renders back unchanged)", () => {
  const dir = NOTEBOOKS_DIR;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
    const text = readFileSync(join(dir, name), "utf8");
    assert.equal(renderNotebookSource(parseNotebookSource(text, name)), text, name);
  }
});
