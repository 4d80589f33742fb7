import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dataDir, loadMnist, loadPlayTennis, parseIdxUbyte, loadBreastCancer, loadDiabetes, loadDigits, loadIris, loadTinyShakespeare, loadWine, parseNumericRows } from "../../lib/data";

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const column = (rows: number[][], j: number) => rows.map((r) => r[j]!);

// Expected sizes and statistics come from the datasets' own descriptions in data/descr/*.rst.
test("iris: 150 × 4, 50 per class, sepal length mean 5.84", () => {
  const iris = loadIris();
  assert.equal(iris.data.length, 150);
  assert.ok(iris.data.every((r) => r.length === 4));
  assert.deepEqual(iris.targetNames, ["setosa", "versicolor", "virginica"]);
  assert.deepEqual([0, 1, 2].map((c) => iris.target.filter((t) => t === c).length), [50, 50, 50]);
  assert.ok(Math.abs(mean(column(iris.data, 0)) - 5.84) < 0.005);
});

test("wine, breast cancer, digits and diabetes have their documented shapes and class counts", () => {
  const wine = loadWine();
  assert.equal(wine.data.length, 178);
  assert.deepEqual([0, 1, 2].map((c) => wine.target.filter((t) => t === c).length), [59, 71, 48]);
  const cancer = loadBreastCancer();
  assert.equal(cancer.featureNames.length, 30);
  assert.deepEqual([0, 1].map((c) => cancer.target.filter((t) => t === c).length), [212, 357]);
  const digits = loadDigits();
  assert.equal(digits.data.length, 1797);
  assert.ok(digits.data.every((r) => r.length === 64 && r.every((v) => v >= 0 && v <= 16)));
  const diabetes = loadDiabetes();
  assert.equal(diabetes.data.length, 442);
  assert.ok(diabetes.data.every((r) => r.length === 10));
  assert.ok(diabetes.target.every((t) => t >= 25 && t <= 346));
  assert.equal(loadTinyShakespeare().length, 1115394);
});

test("a missing data file fails with its path and how to restore it", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "data-"));
  process.env.DATA_DIR = empty;
  try {
    assert.equal(dataDir(), empty);
    assert.throws(() => loadIris(), (e: Error) => e.message.includes(path.join(empty, "iris.csv")) && /git checkout -- data\/iris.csv/.test(e.message));
  } finally {
    delete process.env.DATA_DIR;
    fs.rmSync(empty, { recursive: true });
  }
});

test("malformed rows name file, line and column", () => {
  assert.throws(() => parseNumericRows("1,2\n3,x\n", "bad.csv"), /bad.csv:2: column 2 is "x", not a number/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-"));
  fs.writeFileSync(path.join(dir, "iris.csv"), "150,4,a,b,c\n5.1,3.5,1.4,0.2,0\n");
  process.env.DATA_DIR = dir;
  try {
    assert.throws(() => loadIris(), /iris.csv: header says 150 samples but the file has 1/);
  } finally {
    delete process.env.DATA_DIR;
    fs.rmSync(dir, { recursive: true });
  }
});

test("play tennis: 14 days, 9 yes / 5 no, codes index the category lists", () => {
  const tennis = loadPlayTennis();
  assert.deepEqual(tennis.featureNames, ["outlook", "temperature", "humidity", "wind"]);
  assert.deepEqual(tennis.targetNames, ["no", "yes"]);
  assert.deepEqual([0, 1].map((c) => tennis.target.filter((t) => t === c).length), [5, 9]);
  assert.deepEqual(tennis.categories[0], ["sunny", "overcast", "rain"]);
  tennis.data.forEach((row, i) => row.forEach((code, j) => assert.equal(tennis.categories[j]![code], tennis.raw[i]![j])));
});

test("MNIST: 10,000 28 × 28 digits with the class counts data/README.md documents", () => {
  const mnist = loadMnist();
  assert.equal(mnist.count, 10000);
  assert.equal(mnist.images.length, 10000 * 28 * 28);
  const counts = Array.from({ length: 10 }, (_, d) => mnist.labels.filter((l) => l === d).length);
  assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  // MNIST digits are centred by centre of mass: the mean ink sits near the middle of the image.
  let mass = 0, rowSum = 0;
  mnist.images.forEach((v, k) => { mass += v; rowSum += v * Math.floor((k % 784) / 28); });
  assert.ok(Math.abs(rowSum / mass - 14) < 1, `mean ink row ${rowSum / mass}`);
});

test("IDX parsing names the file and what is wrong", () => {
  const header = (dims: number[]) => { const b = Buffer.alloc(4 + 4 * dims.length); b.writeUInt32BE(0x800 + dims.length, 0); dims.forEach((d, k) => b.writeUInt32BE(d, 4 + 4 * k)); return b; };
  const ok = parseIdxUbyte(Buffer.concat([header([2, 3]), Buffer.from([1, 2, 3, 4, 5, 6])]), "x.idx");
  assert.deepEqual(ok.dims, [2, 3]);
  assert.deepEqual(Array.from(ok.values), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => parseIdxUbyte(Buffer.concat([header([2, 3]), Buffer.from([1, 2])]), "short.idx"), /short.idx: header says 2 × 3 = 6 values but the file holds 2/);
  assert.throws(() => parseIdxUbyte(Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), "float.idx"), /float.idx: not an IDX file of unsigned bytes/);
});
