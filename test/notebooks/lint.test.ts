import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { lintNotebookSource } from "../../scripts/runner/lint-notebook";
import { NOTEBOOKS_DIR } from "../helpers/paths";

const source = (cells: string[]) => cells.map((c) => `// %%\n${c}\n`).join("\n");

test("shorthand naming an earlier cell's binding is reported with its line", () => {
  const text = source(["const rate = 0.1;\nimport { join } from \"node:path\";", "const config = { rate, join };"]);
  const findings = lintNotebookSource("nb.ts", text);
  assert.deepEqual(findings.map((f) => [f.line, /\{ (\w+) \}/.exec(f.message)![1]]), [[6, "rate"], [6, "join"]]);
});

test("shorthand within one cell, of a local, or written out in full is fine", () => {
  const text = source([
    "const rate = 0.1;\nconst a = { rate };",
    "function f(rate: number) { return { rate }; }\nconst b = { rate: rate };\nconst c = [1].map((rate) => ({ rate }));",
  ]);
  assert.deepEqual(lintNotebookSource("nb.ts", text), []);
});

test("renamed destructuring from an earlier cell's variable is reported, also inside a function", () => {
  const text = source([
    "const obj = { a: 1, b: 2 };\nimport { join } from \"node:path\";",
    "const { a: x } = obj;\nfunction f() { const { b: y } = { ...obj }; return y; }\nconst { a: z } = { a: 5 };\nconst { a } = obj;\nconst { sep: s } = { sep: join };",
  ]);
  const findings = lintNotebookSource("nb.ts", text);
  assert.deepEqual(findings.map((f) => f.line), [6, 7]);
  assert.match(findings[0]!.message, /renamed fields from obj/);
});

test("top-level for-await is reported; inside a function it is fine", () => {
  const text = source(["async function* g() { yield 1; }", "for await (const x of g()) {}\nasync function h() { for await (const y of g()) {} }"]);
  const findings = lintNotebookSource("nb.ts", text);
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /top-level `for await`/);
});

test("every notebook source in notebooks/ is free of these pitfalls", () => {
  const dir = NOTEBOOKS_DIR;
  const files = fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ts$/.test(f));
  assert.ok(files.length > 0, "no notebook sources found");
  for (const f of files) {
    const findings = lintNotebookSource(f, fs.readFileSync(path.join(dir, f), "utf8"));
    assert.deepEqual(findings.map((x) => `${x.file}:${x.line}: ${x.message}`), []);
  }
});
