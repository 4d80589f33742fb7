/**
 * The scikit-learn estimator shape, in TypeScript, plus the input validation every estimator shares.
 *
 *   const model = new GaussianNB({ varSmoothing: 1e-9 });   // constructor: hyper-parameters only, unchanged
 *   model.fit(X, y);                                        // learns, returns this
 *   model.classes_, model.theta_                            // learned state ends in "_"
 *   model.predict(Xtest); model.score(Xtest, ytest);
 */
export type Matrix = number[][];
export type Labels = number[];

export interface Estimator<Params extends object> {
  readonly params: Readonly<Params>;
}

export interface Classifier<Params extends object> extends Estimator<Params> {
  fit(X: Matrix, y: Labels): this;
  predict(X: Matrix): Labels;
  /** Mean accuracy on (X, y). */
  score(X: Matrix, y: Labels): number;
}

export interface ProbabilisticClassifier<Params extends object> extends Classifier<Params> {
  /** [samples][classes], columns in the order of `classes_`. */
  predictProba(X: Matrix): Matrix;
}

export interface Regressor<Params extends object> extends Estimator<Params> {
  fit(X: Matrix, y: number[]): this;
  predict(X: Matrix): number[];
  /** Coefficient of determination R². */
  score(X: Matrix, y: number[]): number;
}

export interface Transformer<Params extends object> extends Estimator<Params> {
  fit(X: Matrix): this;
  transform(X: Matrix): Matrix;
  fitTransform(X: Matrix): Matrix;
}

/** Thrown when a learned attribute is used before `fit`. */
export class NotFittedError extends Error {
  constructor(estimator: string) {
    super(`${estimator} is not fitted yet: call fit(X, y) first`);
    this.name = "NotFittedError";
  }
}

/** Throws unless X is a non-empty rectangular matrix of finite numbers; returns [rows, columns]. */
export function checkMatrix(X: unknown, name = "X", expectedColumns?: number): [number, number] {
  if (!Array.isArray(X) || X.length === 0) throw new TypeError(`${name} must be a non-empty array of rows, got ${describe(X)}`);
  const first = X[0];
  if (!Array.isArray(first)) throw new TypeError(`${name}[0] must be an array of numbers, got ${describe(first)}`);
  const columns = first.length;
  // scikit-learn refuses such input too ("Found array with 0 feature(s)"): nothing to learn from.
  if (columns === 0) throw new RangeError(`${name} has ${X.length} rows but 0 features (columns); need at least 1`);
  X.forEach((row: unknown, i: number) => {
    if (!Array.isArray(row) || row.length !== columns) {
      throw new TypeError(`${name} is not rectangular: row 0 has ${columns} values, row ${i} has ${Array.isArray(row) ? row.length : describe(row)}`);
    }
    row.forEach((v: unknown, j: number) => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${name}[${i}][${j}] is ${describe(v)}, not a finite number`);
    });
  });
  if (expectedColumns !== undefined && columns !== expectedColumns) {
    throw new RangeError(`${name} has ${columns} features, but the estimator was fitted with ${expectedColumns}`);
  }
  return [X.length, columns];
}

/** Throws unless y is an array of finite numbers with one entry per row of X. */
export function checkTarget(y: unknown, rows: number, name = "y"): void {
  if (!Array.isArray(y)) throw new TypeError(`${name} must be an array, got ${describe(y)}`);
  if (y.length !== rows) throw new RangeError(`${name} has ${y.length} entries but X has ${rows} rows`);
  y.forEach((v: unknown, i: number) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${name}[${i}] is ${describe(v)}, not a finite number`);
  });
}

/** Validates one hyper-parameter: `checkParam("C", C, C > 0, "> 0")` → "C must be > 0, got -1". */
export function checkParam(name: string, value: unknown, ok: boolean, requirement: string): void {
  if (!ok) throw new RangeError(`${name} must be ${requirement}, got ${describe(value)}`);
}

/**
 * Validation for metric arguments (labels, predictions, scores, probabilities): the caller's name, the argument's
 * name and the first bad position go in the message, e.g. "logLoss: yProba[3] is NaN, not a finite number".
 */
export function checkValues(caller: string, name: string, values: unknown, kind: "finite" | "probability" = "finite"): asserts values is number[] {
  if (!Array.isArray(values)) throw new TypeError(`${caller}: ${name} must be an array of numbers, got ${describe(values)}`);
  if (values.length === 0) throw new RangeError(`${caller}: ${name} is empty; need at least one value`);
  values.forEach((v: unknown, i: number) => checkValue(caller, `${name}[${i}]`, v, kind));
}

/** One value: a finite number (or a probability in [0, 1]). */
export function checkValue(caller: string, name: string, v: unknown, kind: "finite" | "probability" = "finite"): asserts v is number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${caller}: ${name} is ${describe(v)}, not a finite number`);
  if (kind === "probability" && !(v >= 0 && v <= 1)) throw new RangeError(`${caller}: ${name} is ${v}, not a probability in [0, 1]`);
}

/** Two arrays of values of equal, non-zero length (yTrue and yPred of a metric). */
export function checkValuePair(caller: string, names: [string, string], a: unknown, b: unknown, kinds: ["finite" | "probability", "finite" | "probability"] = ["finite", "finite"]): void {
  checkValues(caller, names[0], a, kinds[0]);
  checkValues(caller, names[1], b, kinds[1]);
  if ((a as number[]).length !== (b as number[]).length) {
    throw new RangeError(`${caller}: ${names[0]} has ${(a as number[]).length} entries but ${names[1]} has ${(b as number[]).length}; need one per sample`);
  }
}

/** Sorted distinct labels: the `classes_` of a classifier. */
export function uniqueLabels(y: Labels): number[] {
  return [...new Set(y)].sort((a, b) => a - b);
}

/** Fraction of equal entries. */
export function accuracyScore(yTrue: Labels, yPred: Labels): number {
  checkValuePair("accuracyScore", ["yTrue", "yPred"], yTrue, yPred);
  return yTrue.filter((t, i) => t === yPred[i]).length / yTrue.length;
}

/** R² = 1 − SS_res / SS_tot. */
export function r2Score(yTrue: number[], yPred: number[]): number {
  checkValuePair("r2Score", ["yTrue", "yPred"], yTrue, yPred);
  const mean = yTrue.reduce((s, v) => s + v, 0) / yTrue.length;
  const ssTot = yTrue.reduce((s, v) => s + (v - mean) ** 2, 0);
  const ssRes = yTrue.reduce((s, v, i) => s + (v - yPred[i]!) ** 2, 0);
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
}

function describe(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "object" && v !== null) return "an object";
  return String(v);
}
