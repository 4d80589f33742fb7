/**
 * Every metric and loss in lib/ refuses bad input with a message naming the function, the argument and the
 * first bad position (issue 12, item 11). Table-driven: each exported function of lib/ml/metrics.ts and
 * lib/losses.ts must have a row here (or be listed as not a metric), so a new metric without validation fails.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as metrics from "../../../lib/ml/metrics";
import * as losses from "../../../lib/nn/losses";
import { entropy, gini, informationGain } from "../../../lib/ml/tree";
import { marginLoss } from "../../../lib/nn/capsules";
import { binaryFocalLoss } from "../../../lib/ml/imbalance";
import { classificationAccuracy } from "../../../lib/nn/vision";

/** What an argument holds, which decides the bad values it is tried with. */
type Kind =
  | "values" // array of finite numbers (labels, predictions, scores)
  | "probabilities" // array of numbers in [0, 1]
  | "matrix" // rows of finite numbers
  | "probabilityRows" // rows of numbers in [0, 1]
  | "text" // a string
  | "number" // one finite number
  | "zeroDivision"; // 0 or 1

interface Argument {
  /** Position in the call's argument list. */
  index: number;
  /** The argument's name as the message must give it ("yTrue", "options.labels"). */
  name: string;
  kind: Kind;
  /** Inside an options object at `index`: the property. */
  option?: string;
  /** Shares its length with another argument: a length mismatch must be refused too. */
  paired?: boolean;
  /** Strings are valid values too (impurity of string labels). */
  stringsAllowed?: boolean;
}

interface Row {
  /** The function name the messages must give (default: the row's key). */
  caller?: string;
  call: (...args: any[]) => unknown;
  valid: unknown[];
  args: Argument[];
}

const y = [0, 1, 1, 0, 1];
const p = [0, 1, 0, 0, 1];
const scores = [0.1, 0.8, 0.4, 0.3, 0.9];
const values = [1.5, -2, 3, 0.25, 4];
const X = [[0, 0], [0, 1], [5, 5], [5, 6], [0, 0.5]];
const labelPair = (name1 = "yTrue", name2 = "yPred"): Argument[] => [
  { index: 0, name: name1, kind: "values", paired: true },
  { index: 1, name: name2, kind: "values", paired: true },
];
const averaging = (index: number): Argument[] => [
  { index, option: "labels", name: "options.labels", kind: "values" },
  { index, option: "posLabel", name: "options.posLabel", kind: "number" },
  { index, option: "zeroDivision", name: "options.zeroDivision", kind: "zeroDivision" },
];
const scoreArgs = (): Argument[] => [
  { index: 0, name: "yTrue", kind: "values", paired: true },
  { index: 1, name: "scores", kind: "values", paired: true },
  { index: 2, option: "posLabel", name: "options.posLabel", kind: "number" },
];
const elementwiseLoss = (predictionKind: Kind = "values"): Argument[] => [
  { index: 0, name: "yTrue", kind: "values", paired: true },
  { index: 1, name: "yPred", kind: predictionKind, paired: true },
];

/** Metrics of lib/ml/metrics.ts (including accuracyScore and r2Score, re-exported from lib/ml/base.ts). */
const METRICS: Record<string, Row> = {
  accuracyScore: { call: metrics.accuracyScore, valid: [y, p], args: labelPair() },
  r2Score: { call: metrics.r2Score, valid: [values, scores], args: labelPair() },
  confusionMatrix: { call: metrics.confusionMatrix, valid: [y, p, [0, 1]], args: [...labelPair(), { index: 2, name: "options.labels", kind: "values" }] },
  precisionRecallFscoreSupport: {
    call: metrics.precisionRecallFscoreSupport,
    valid: [y, p, { beta: 1, labels: [0, 1], zeroDivision: 0 }],
    args: [...labelPair(), { index: 2, option: "beta", name: "beta", kind: "number" }, { index: 2, option: "labels", name: "options.labels", kind: "values" }, { index: 2, option: "zeroDivision", name: "options.zeroDivision", kind: "zeroDivision" }],
  },
  precisionScore: { call: metrics.precisionScore, valid: [y, p, { average: "macro", labels: [0, 1], posLabel: 1, zeroDivision: 0 }], args: [...labelPair(), ...averaging(2)] },
  recallScore: { call: metrics.recallScore, valid: [y, p, { average: "macro", labels: [0, 1], posLabel: 1, zeroDivision: 0 }], args: [...labelPair(), ...averaging(2)] },
  f1Score: { call: metrics.f1Score, valid: [y, p, { average: "macro", labels: [0, 1], posLabel: 1, zeroDivision: 0 }], args: [...labelPair(), ...averaging(2)] },
  fbetaScore: {
    call: metrics.fbetaScore,
    valid: [y, p, 2, { average: "macro", labels: [0, 1], posLabel: 1, zeroDivision: 0 }],
    args: [...labelPair(), { index: 2, name: "beta", kind: "number" }, ...averaging(3)],
  },
  balancedAccuracyScore: { call: metrics.balancedAccuracyScore, valid: [y, p], args: labelPair() },
  cohenKappaScore: { call: metrics.cohenKappaScore, valid: [y, p], args: labelPair("y1", "y2") },
  rocCurve: { call: metrics.rocCurve, valid: [y, scores, { posLabel: 1 }], args: scoreArgs() },
  auc: { call: metrics.auc, valid: [[0, 0.5, 1], [0, 0.7, 1]], args: labelPair("x", "y") },
  rocAucScore: { call: metrics.rocAucScore, valid: [y, scores, { posLabel: 1 }], args: scoreArgs() },
  aucMannWhitney: { call: metrics.aucMannWhitney, valid: [y, scores, { posLabel: 1 }], args: scoreArgs() },
  precisionRecallCurve: { call: metrics.precisionRecallCurve, valid: [y, scores, { posLabel: 1 }], args: scoreArgs() },
  averagePrecisionScore: { call: metrics.averagePrecisionScore, valid: [y, scores, { posLabel: 1 }], args: scoreArgs() },
  logLoss: {
    call: (yTrue, yProba, options) => metrics.logLoss(yTrue, yProba, options),
    valid: [y, scores, { labels: [0, 1] }],
    args: [{ index: 0, name: "yTrue", kind: "values", paired: true }, { index: 1, name: "yProba", kind: "probabilities", paired: true }, { index: 2, option: "labels", name: "options.labels", kind: "values" }],
  },
  meanSquaredError: { call: metrics.meanSquaredError, valid: [values, scores], args: labelPair() },
  rootMeanSquaredError: { call: metrics.rootMeanSquaredError, valid: [values, scores], args: labelPair() },
  meanAbsoluteError: { call: metrics.meanAbsoluteError, valid: [values, scores], args: labelPair() },
  meanAbsolutePercentageError: { call: metrics.meanAbsolutePercentageError, valid: [values, scores], args: labelPair() },
  normalizeAnswer: { call: metrics.normalizeAnswer, valid: ["The cat"], args: [{ index: 0, name: "text", kind: "text" }] },
  exactMatchScore: { call: metrics.exactMatchScore, valid: ["the cat", ["a cat", "dog"]], args: [{ index: 0, name: "prediction", kind: "text" }] },
  tokenF1Score: { call: metrics.tokenF1Score, valid: ["the cat", ["a cat", "dog"]], args: [{ index: 0, name: "prediction", kind: "text" }] },
  silhouetteSamples: { call: metrics.silhouetteSamples, valid: [X, [0, 0, 1, 1, 0]], args: [{ index: 0, name: "X", kind: "matrix", paired: true }, { index: 1, name: "labels", kind: "values", paired: true }] },
  silhouetteScore: { call: metrics.silhouetteScore, valid: [X, [0, 0, 1, 1, 0]], args: [{ index: 0, name: "X", kind: "matrix", paired: true }, { index: 1, name: "labels", kind: "values", paired: true }] },
  adjustedRandScore: { call: metrics.adjustedRandScore, valid: [y, p], args: labelPair("labelsTrue", "labelsPred") },
};

/** lib/losses.ts: each Loss contributes its value and its gradient. */
const LOSSES: Record<string, Row> = {};
const lossRows = (name: string, loss: losses.Loss, yTrue: number[], yPred: number[], predictionKind: Kind = "values") => {
  LOSSES[`${name}.value`] = { caller: name, call: (a, b) => loss.value(a, b), valid: [yTrue, yPred], args: elementwiseLoss(predictionKind) };
  LOSSES[`${name}.gradient`] = { caller: name, call: (a, b) => loss.gradient(a, b), valid: [yTrue, yPred], args: elementwiseLoss(predictionKind) };
};
lossRows("meanSquaredError", losses.meanSquaredError, values, scores);
lossRows("meanAbsoluteError", losses.meanAbsoluteError, values, scores);
lossRows("huberLoss", losses.huberLoss(1), values, scores);
lossRows("binaryCrossEntropy", losses.binaryCrossEntropy, y, scores, "probabilities");
lossRows("binaryCrossEntropyWithLogits", losses.binaryCrossEntropyWithLogits, y, values);
lossRows("hingeLoss", losses.hingeLoss, [1, -1, 1, -1, 1], values);
const logits = [[0.5, -1, 2], [1, 1, 0], [3, -2, 0.5]];
for (const name of ["softmaxCrossEntropy", "softmaxCrossEntropyGradient"] as const) {
  LOSSES[name] = { call: losses[name], valid: [[2, 0, 1], logits], args: [{ index: 1, name: "logits[1]", kind: "values" }] };
  LOSSES[`${name} (soft labels)`] = { caller: name, call: losses[name], valid: [[[0, 0.5, 0.5], [1, 0, 0], [0.2, 0.3, 0.5]], logits], args: [{ index: 0, name: "labels", kind: "probabilityRows" }, { index: 1, name: "logits", kind: "matrix" }] };
}

/** Metric-like functions in other modules. */
const OTHERS: Record<string, Row> = {
  "imbalance binaryFocalLoss.value": { caller: "binaryFocalLoss", call: (a, b) => binaryFocalLoss({ gamma: 2 }).value(a, b), valid: [y, values], args: elementwiseLoss().map((a, i) => (i === 1 ? { ...a, name: "logits" } : a)) },
  "imbalance binaryFocalLoss.gradient": { caller: "binaryFocalLoss", call: (a, b) => binaryFocalLoss({ gamma: 2 }).gradient(a, b), valid: [y, values], args: elementwiseLoss().map((a, i) => (i === 1 ? { ...a, name: "logits" } : a)) },
  "tree entropy": { caller: "entropy", call: entropy, valid: [[0, 1, 1, "a"]], args: [{ index: 0, name: "labels", kind: "values", stringsAllowed: true }] },
  "tree gini": { caller: "gini", call: gini, valid: [[0, 1, 1, true]], args: [{ index: 0, name: "labels", kind: "values", stringsAllowed: true }] },
  "tree informationGain": {
    caller: "informationGain",
    call: (parent, children) => informationGain(parent, children),
    valid: [[0, 1, 1, 0], [[0, 1], [1, 0]]],
    args: [{ index: 0, name: "parent", kind: "values", stringsAllowed: true }],
  },
  "capsules marginLoss": {
    caller: "marginLoss",
    call: marginLoss,
    valid: [[0.95, 0.05, 0.2], 0, { mPlus: 0.9, mMinus: 0.1, lambda: 0.5 }],
    args: [{ index: 0, name: "lengths", kind: "values" }, { index: 2, option: "mPlus", name: "options.mPlus", kind: "number" }, { index: 2, option: "lambda", name: "options.lambda", kind: "number" }],
  },
  // Labels are checked before the model runs, so a stand-in model is enough.
  "vision classificationAccuracy": { caller: "classificationAccuracy", call: (labels) => classificationAccuracy({} as never, {} as never, labels), valid: null as never, args: [{ index: 0, name: "labels", kind: "values" }] },
};

/** Exports that are not metrics (no labels or predictions to validate), with the reason. */
const NOT_METRICS: Record<string, string> = {
  huberLoss: "a factory: its Loss is in the table as huberLoss.value / .gradient",
  sigmoid: "a scalar function of any number",
  logSumExp: "a numeric helper; ±Infinity inputs are meaningful",
  logSoftmax: "a numeric helper",
  softmax: "a numeric helper",
  oneHot: "an encoder; refuses non-index labels itself",
  PROBABILITY_EPSILON: "a constant",
};

interface FaultCase {
  label: string;
  args: unknown[];
  /** Every pattern must occur in the message. */
  expect: (string | RegExp)[];
}

const clone = <T>(v: T): T => structuredClone(v);

/** The call's arguments with one argument (or one option) replaced. */
function withArgument(valid: unknown[], arg: Argument, value: unknown): unknown[] {
  const args = clone(valid);
  if (arg.option === undefined) args[arg.index] = value;
  else args[arg.index] = { ...(args[arg.index] as object), [arg.option]: value };
  return args;
}

function currentValue(valid: unknown[], arg: Argument): unknown {
  return arg.option === undefined ? valid[arg.index] : (valid[arg.index] as Record<string, unknown>)[arg.option];
}

const NON_FINITE: [string, unknown][] = [["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ["a string", "1"], ["undefined", undefined], ["null", null]];

/** The bad inputs one argument is tried with. */
function faultCases(caller: string, valid: unknown[], arg: Argument): FaultCase[] {
  const cases: FaultCase[] = [];
  const add = (label: string, value: unknown, ...expect: (string | RegExp)[]) =>
    cases.push({ label: `${arg.name}: ${label}`, args: withArgument(valid, arg, value), expect: [caller, ...expect] });
  const original = currentValue(valid, arg);
  const position = (v: unknown[], i: number, bad: unknown) => v.map((x, k) => (k === i ? bad : x));
  const baseName = arg.name.replace(/\[\d+\]$/, "");
  switch (arg.kind) {
    case "values":
    case "probabilities": {
      const list = original as unknown[];
      const at = arg.name.endsWith("]") ? arg.name : `${arg.name}[1]`;
      if (arg.name.endsWith("]")) {
        // The argument is one row of a matrix argument (logits[1]): put the bad value in its column 1.
        const [, matrixName, row] = /^(\w+)\[(\d+)\]$/.exec(arg.name)!;
        const matrix = valid[arg.index] as unknown[][];
        for (const [label, bad] of NON_FINITE) {
          const args = clone(valid);
          (args[arg.index] as unknown[][])[Number(row)] = position(matrix[Number(row)]!, 1, bad);
          cases.push({ label: `${matrixName}[${row}][1]: ${label}`, args, expect: [caller, `${matrixName}[${row}][1]`] });
        }
        break;
      }
      for (const [label, bad] of NON_FINITE.filter(([label]) => !(arg.stringsAllowed && label === "a string"))) add(`${label} at position 1`, position(list, 1, bad), `${at}`);
      add("NaN at positions 1 and 3 (the first is named)", position(position(list, 3, NaN), 1, NaN), `${at}`);
      add("empty", [], baseName);
      add("not an array", 7, baseName);
      if (arg.paired) add("one entry short", list.slice(0, -1), baseName);
      if (arg.kind === "probabilities") {
        add("−0.1 at position 1", position(list, 1, -0.1), at, "[0, 1]");
        add("1.1 at position 1", position(list, 1, 1.1), at, "[0, 1]");
      }
      break;
    }
    case "matrix":
    case "probabilityRows": {
      const rows = original as unknown[][];
      const bad = (value: unknown) => rows.map((r, i) => (i === 1 ? position(r, 0, value) : r));
      for (const [label, value] of NON_FINITE) add(`${label} at [1][0]`, bad(value), `${arg.name}[1][0]`);
      add("empty", [], arg.name);
      add("ragged", rows.map((r, i) => (i === 2 ? r.slice(0, -1) : r)), arg.name);
      if (arg.paired) add("one row short", rows.slice(0, -1), arg.name);
      if (arg.kind === "probabilityRows") {
        add("−0.1 at [1][0]", bad(-0.1), `${arg.name}[1][0]`, "[0, 1]");
        add("1.1 at [1][0]", bad(1.1), `${arg.name}[1][0]`, "[0, 1]");
      }
      break;
    }
    case "text":
      for (const [label, value] of [["a number", 3], ["undefined", undefined], ["null", null], ["an array", ["a"]]] as [string, unknown][]) add(label, value, arg.name);
      break;
    case "number":
      for (const [label, value] of NON_FINITE.filter(([label]) => label !== "undefined" && !(arg.name === "beta" && label === "Infinity"))) add(label, value, arg.name);
      break;
    case "zeroDivision":
      for (const [label, value] of [["2", 2], ["NaN", NaN], ["-1", -1], ['"1"', "1"]] as [string, unknown][]) add(label, value, arg.name);
      break;
  }
  return cases;
}

/** logLoss also takes [samples][classes] rows: its yProba is tried in that layout too. */
const LOG_LOSS_ROWS: Row = {
  caller: "logLoss",
  call: metrics.logLoss,
  valid: [[0, 2, 1, 0], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [1, 0, 0]]],
  args: [{ index: 1, name: "yProba", kind: "probabilityRows", paired: true }],
};

const TABLE: Record<string, Row> = { ...METRICS, ...LOSSES, ...OTHERS, "logLoss (rows)": LOG_LOSS_ROWS };

test("every exported function of lib/ml/metrics.ts and lib/losses.ts has a row in the table (or is not a metric)", () => {
  for (const name of Object.keys(metrics)) assert.ok(name in METRICS, `lib/ml/metrics.ts exports ${name}: add it to METRICS with its arguments`);
  for (const [name, value] of Object.entries(losses)) {
    if (name in NOT_METRICS) continue;
    if (typeof value === "function") assert.ok(name in LOSSES, `lib/losses.ts exports ${name}: add it to LOSSES or NOT_METRICS`);
    else assert.ok(`${name}.value` in LOSSES && `${name}.gradient` in LOSSES, `lib/losses.ts exports the Loss ${name}: add lossRows for it`);
  }
});

test("the valid calls in the table succeed (so each fault case fails because of its one bad argument)", () => {
  for (const [name, row] of Object.entries(TABLE)) {
    if (row.valid === null) continue;
    assert.doesNotThrow(() => row.call(...clone(row.valid)), `${name} on its valid arguments`);
  }
});

let total = 0;
for (const [name, row] of Object.entries(TABLE)) {
  const caller = row.caller ?? name;
  const valid = row.valid === null ? [[0, 1, 1]] : row.valid;
  const cases = row.args.flatMap((arg) => faultCases(caller, valid, arg));
  total += cases.length;
  test(`${name} refuses bad input with a message naming the function, the argument and the position (${cases.length} cases)`, () => {
    for (const c of cases) {
      assert.throws(
        () => row.call(...c.args),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          for (const part of c.expect) assert.ok(typeof part === "string" ? message.includes(part) : part.test(message), `${name} / ${c.label}: message ${JSON.stringify(message)} lacks ${String(part)}`);
          return true;
        },
        `${name} / ${c.label}: did not throw`,
      );
    }
  });
}

test("logLoss of empty input throws instead of returning NaN", () => {
  assert.throws(() => metrics.logLoss([], []), /logLoss: yTrue is empty/);
  assert.throws(() => metrics.logLoss([], [], { labels: [0, 1] }), /logLoss: yTrue is empty/);
});

test("fbetaScore with beta Infinity is the recall (the limit, as scikit-learn), not NaN", () => {
  const binary = { yTrue: [0, 1, 1, 0, 1], yPred: [0, 1, 0, 0, 1] };
  const multiclass = { yTrue: [0, 1, 1, 0, 1, 2], yPred: [0, 1, 0, 0, 1, 1] };
  for (const average of ["binary", "macro", "micro", "weighted"] as const) {
    const { yTrue, yPred } = average === "binary" ? binary : multiclass;
    assert.equal(metrics.fbetaScore(yTrue, yPred, Infinity, { average }), metrics.recallScore(yTrue, yPred, { average }), average);
  }
});

test("fault cases in total", (t) => {
  t.diagnostic(`${total} metric fault cases`);
  assert.ok(total > 500);
});
