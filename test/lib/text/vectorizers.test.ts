import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CountVectorizer, TfidfVectorizer, type TfidfVectorizerOptions } from "../../../lib/text/vectorizers";
import { NotFittedError } from "../../../lib/ml/base";

interface Sparse {
  shape: [number, number];
  entries: [number, number, number][];
}
interface Result {
  kind: "count" | "tfidf";
  name: string;
  options: TfidfVectorizerOptions;
  features: string[];
  train: Sparse;
  test: Sparse;
  idf?: number[];
}
interface Fixture {
  sklearn: string;
  corpora: { name: string; train: string[]; test: string[]; results: Result[] }[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/sklearn/text-vectorizers.json"), "utf8")) as Fixture;

function dense({ shape: [rows, columns], entries }: Sparse): number[][] {
  const out = Array.from({ length: rows }, () => new Array<number>(columns).fill(0));
  for (const [i, j, v] of entries) out[i]![j] = v;
  return out;
}

function assertMatrixClose(actual: number[][], expected: number[][], tolerance: number, where: string): void {
  assert.equal(actual.length, expected.length, `${where}: rows`);
  actual.forEach((row, i) => {
    assert.equal(row.length, expected[i]!.length, `${where}: columns of row ${i}`);
    row.forEach((v, j) => assert.ok(Math.abs(v - expected[i]![j]!) <= tolerance, `${where}[${i}][${j}]: ${v} vs scikit-learn ${expected[i]![j]}`));
  });
}

test(`the fixture comes from scikit-learn 1.2 (${fixture.sklearn}) and covers every option`, () => {
  assert.match(fixture.sklearn, /^1\.2\./);
  const names = fixture.corpora.flatMap((c) => c.results.map((r) => `${r.kind} ${r.name}`));
  for (const expected of ["count default", "count binary", "count bigrams", "count minDf 2", "tfidf sublinear tf", "tfidf no smoothing", "tfidf l1 norm", "tfidf no norm", "tfidf no idf"]) {
    assert.ok(names.includes(expected), expected);
  }
  assert.ok(names.some((n) => n.startsWith("tfidf maxFeatures")));
});

for (const corpus of fixture.corpora) {
  for (const result of corpus.results) {
    test(`${corpus.name}: ${result.kind === "count" ? "CountVectorizer" : "TfidfVectorizer"} (${result.name}) equals scikit-learn on training and unseen documents`, () => {
      const vectorizer = result.kind === "count" ? new CountVectorizer(result.options) : new TfidfVectorizer(result.options);
      const train = vectorizer.fitTransform(corpus.train);
      assert.deepEqual(vectorizer.getFeatureNamesOut(), result.features);
      const tolerance = result.kind === "count" ? 0 : 1e-12;
      assertMatrixClose(train, dense(result.train), tolerance, "train");
      assertMatrixClose(vectorizer.transform(corpus.test), dense(result.test), tolerance, "test");
      if (result.idf) assertMatrixClose([(vectorizer as TfidfVectorizer).idf_!], [result.idf], 1e-12, "idf_");
    });
  }
}

test("hand values on the three-document toy: idf = ln(4 / (1 + df)) + 1, rows of unit L2 norm", () => {
  const docs = ["the cat sat on the mat", "the dog sat on the log", "cats and dogs"];
  const tfidf = new TfidfVectorizer().fit(docs);
  const names = tfidf.getFeatureNamesOut();
  assert.deepEqual(names, ["and", "cat", "cats", "dog", "dogs", "log", "mat", "on", "sat", "the"]);
  const idfThe = Math.log(4 / 3) + 1;
  const idfCat = Math.log(4 / 2) + 1;
  assert.ok(Math.abs(tfidf.idf_![names.indexOf("the")]! - idfThe) < 1e-15);
  assert.ok(Math.abs(tfidf.idf_![names.indexOf("cat")]! - idfCat) < 1e-15);
  const [first] = tfidf.transform([docs[0]!]);
  // doc 0: the ×2 (df 2), sat and on (df 2), cat and mat (df 1)
  const raw = { the: 2 * idfThe, sat: idfThe, on: idfThe, cat: idfCat, mat: idfCat };
  const norm = Math.hypot(...Object.values(raw));
  for (const [term, value] of Object.entries(raw)) assert.ok(Math.abs(first![names.indexOf(term)]! - value / norm) < 1e-15, term);
  assert.equal(first![names.indexOf("dog")], 0);
});

test("unknown words are ignored and an empty document is a zero row", () => {
  const counts = new CountVectorizer().fit(["red green", "green blue"]);
  assert.deepEqual(counts.transform(["purple green green", ""]), [[0, 2, 0], [0, 0, 0]]);
  assert.deepEqual(new TfidfVectorizer().fit(["red green"]).transform(["nothing"]), [[0, 0]]);
});

test("bad arguments and use before fit are named", () => {
  assert.throws(() => new CountVectorizer({ ngramRange: [2, 1] }), /ngramRange must be \[min, max\].*got \[2,1\]/);
  assert.throws(() => new CountVectorizer({ minDf: 0.5 }), /minDf must be an integer ≥ 1.*got 0\.5/);
  assert.throws(() => new CountVectorizer({ maxFeatures: 0 }), /maxFeatures must be an integer ≥ 1, got 0/);
  assert.throws(() => new TfidfVectorizer({ norm: "l3" as "l1" }), /norm must be "l1", "l2" or null, got "l3"/);
  assert.throws(() => new CountVectorizer().fit("one document" as unknown as string[]), /documents must be an array of strings, got string/);
  assert.throws(() => new CountVectorizer().fit(["ok", 3 as unknown as string]), /documents\[1\] is number, not a string/);
  assert.throws(() => new CountVectorizer().fit(["a", "I !"]), /empty vocabulary/);
  assert.throws(() => new TfidfVectorizer().transform(["x"]), NotFittedError);
});
