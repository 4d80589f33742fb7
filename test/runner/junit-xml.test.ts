// JUnit XML from the runner: well-formed for any text a failure can carry (XML 1.0 forbids some characters
// even escaped), valid against a JUnit schema (test/fixtures/junit/junit.xsd), and with top-level counts that
// agree with the suites. Validation uses libxml2's xmllint (compiled to wasm, the npm package xmllint-wasm).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/paths";
import { validateXML } from "xmllint-wasm";
import { Random } from "../../lib/random";
import type { Failure, NotebookResult } from "../../scripts/runner/execute-notebook";
import type { Cell } from "../../scripts/runner/ipynb";
import { junitXml, xml } from "../../scripts/runner/reports";

const SCHEMA = readFileSync(join(REPO_ROOT, "test", "fixtures", "junit", "junit.xsd"), "utf8");

async function schemaErrors(document: string): Promise<string[]> {
  const result = await validateXML({ xml: { fileName: "report.xml", contents: document }, schema: [{ fileName: "junit.xsd", contents: SCHEMA }] });
  return result.errors.map((error) => error.rawMessage);
}

function codeCell(source: string): Cell {
  return { cell_type: "code", id: "x", metadata: {}, source, outputs: [], execution_count: null };
}

/** A notebook of `cells` code cells (and one markdown cell, which is no test case), failing as told. */
function result(name: string, cells: number, failures: Failure[], ran = cells): NotebookResult {
  const notebookCells: Cell[] = [{ cell_type: "markdown", id: "m", metadata: {}, source: "# title" }, ...Array.from({ length: cells }, (_, i) => codeCell(`const x${i} = ${i};`))];
  return {
    job: { sourcePath: `/tmp/${name}.ts`, notebookPath: `/tmp/${name}.ipynb` },
    passed: failures.length === 0,
    failures,
    timings: Array.from({ length: ran }, (_, i) => ({ cellIndex: i + 1, status: "ok" as const, durationMs: 12.5 })),
    durationMs: 1500,
    notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: notebookCells },
    cellLines: notebookCells.map((_, i) => 1 + 3 * i),
    wrote: false,
  };
}

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

test("counts: the top-level totals are the sums of the suites' test cases (cells), not the number of notebooks", async () => {
  const results = [
    result("a", 3, []),
    result("b", 4, [{ kind: "error", cellIndex: 2, message: "RangeError: no" }], 2),
    result("c", 2, [{ kind: "format", cellIndex: null, message: "bad file" }], 0),
  ];
  const report = junitXml(results, 4200);
  assert.deepEqual(await schemaErrors(report), []);
  const suites = [...report.matchAll(/<testsuite name="[^"]*" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/g)].map((m) => m.slice(1).map(Number));
  // Each notebook: one "notebook" case plus one per code cell; b's cells after the failure are skipped.
  assert.deepEqual(suites, [[4, 0, 0, 0], [5, 1, 0, 2], [3, 1, 0, 2]]);
  const top = /<testsuites name="notebooks" tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(report)?.slice(1).map(Number);
  assert.deepEqual(top, [12, 2, 0]);
  assert.equal(count(report, /<testcase /g), 12, "the total is the number of test cases in the document");
  assert.equal(count(report, /<failure /g), 2);
});

test("the schema catches what it is there for (a wrong count, a missing name, an unknown element)", async () => {
  const good = junitXml([result("a", 1, [])], 10);
  assert.deepEqual(await schemaErrors(good), []);
  for (const bad of [good.replace('tests="2"', 'tests="two"'), good.replace(' name="cell 2"', ""), good.replace("</testcase>", "<oops/></testcase>")]) {
    assert.notDeepEqual(await schemaErrors(bad), [], bad);
  }
});

// Every class of character XML 1.0 forbids, and the allowed neighbours that must survive unchanged.
const FORBIDDEN = ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u000e", "\u001f", "\ufffe", "\uffff", "\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800"];
const ALLOWED = ["\t", "\n", "\r", " ", "\u007f", "\u0085", "\ud7ff", "\ue000", "\ufffd", "\ud83d\ude00", "\udbff\udfff", "&", "<", ">", '"', "'", "]]>", "中文", "\u00e9"];

test("xml(): every forbidden class is replaced by U+FFFD; allowed characters are kept (escaped where markup)", () => {
  for (const ch of FORBIDDEN) assert.equal(xml(`a${ch}b`), `a${"\ufffd".repeat(ch.length)}b`, JSON.stringify(ch));
  for (const ch of ALLOWED.filter((c) => !/[&<>"']/.test(c))) assert.equal(xml(`a${ch}b`), `a${ch}b`, JSON.stringify(ch));
  assert.equal(xml(`&<>"'`), "&amp;&lt;&gt;&quot;&#39;");
});

test("fuzz: failure messages and cell sources of random characters always give a well-formed, schema-valid report", async () => {
  const random = new Random(12);
  const pick = <T>(items: T[]): T => items[random.nextUint32() % items.length] as T;
  const randomText = (): string => {
    let text = "";
    const length = random.nextUint32() % 40;
    for (let i = 0; i < length; i++) {
      const roll = random.nextUint32() % 4;
      text += roll === 0 ? pick(FORBIDDEN) : roll === 1 ? pick(ALLOWED) : String.fromCharCode(random.nextUint32() % 0x10000);
    }
    return text;
  };
  const documents: { fileName: string; contents: string }[] = [];
  for (let round = 0; round < 60; round++) {
    const notebooks = Array.from({ length: 3 }, (_, n) => {
      const r = result(`nb${n}-${randomText().replace(/[/\0]/g, "")}`, 3, [{ kind: "error", cellIndex: 1 + (random.nextUint32() % 3), message: randomText() }, { kind: "late-output", cellIndex: null, message: randomText() }]);
      (r.notebook?.cells[1] as Cell).source = randomText();
      return r;
    });
    documents.push({ fileName: `round-${round}.xml`, contents: junitXml(notebooks, 1) });
  }
  // One xmllint run for all documents (each run starts a worker and the wasm module); errors name the round.
  const validation = await validateXML({ xml: documents, schema: [{ fileName: "junit.xsd", contents: SCHEMA }] });
  assert.deepEqual(validation.errors.map((error) => error.rawMessage), []);
});
