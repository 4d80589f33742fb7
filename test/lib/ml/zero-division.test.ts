/**
 * Zero-division rules of precision, recall and F-beta in every averaging mode against scikit-learn 1.2
 * (test/fixtures/sklearn/zero-division.py): classes missing from the truth, the predictions or both, label
 * subsets that occur nowhere, zeroDivision 0, 1 and scikit-learn's "warn" (0 after a warning, our default).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SKLEARN_FIXTURES } from "../../helpers/paths";
import { join } from "node:path";
import { test } from "node:test";
import { fbetaScore, f1Score, precisionRecallFscoreSupport, precisionScore, recallScore, type Average, type AveragingOptions } from "../../../lib/ml/metrics";

interface Case {
  pair: number;
  average: Average | "samples" | null;
  labels?: number[];
  posLabel?: number;
  zeroDivision: 0 | 1 | "warn";
  beta?: number;
  result?: { precision: number | number[]; recall: number | number[]; fscore: number | number[]; support?: number[] };
  error?: string;
}

const fixture = JSON.parse(readFileSync(join(SKLEARN_FIXTURES, "zero-division.json"), "utf8")) as {
  sklearn: string;
  pairs: { name: string; yTrue: number[]; yPred: number[] }[];
  cases: Case[];
};

/** scikit-learn's "warn" returns 0 (and warns); lib/ml/metrics.ts returns 0 without a warning. */
const zeroDivisionOf = (c: Case): 0 | 1 => (c.zeroDivision === "warn" ? 0 : c.zeroDivision);

function describe(c: Case): string {
  const { name } = fixture.pairs[c.pair]!;
  return `${name}; average ${c.average}, labels ${JSON.stringify(c.labels ?? null)}, posLabel ${c.posLabel ?? 1}, zeroDivision ${JSON.stringify(c.zeroDivision)}, beta ${c.beta ?? 1}`;
}

function ours(c: Case): { precision: number | number[]; recall: number | number[]; fscore: number | number[]; support?: number[] } {
  const { yTrue, yPred } = fixture.pairs[c.pair]!;
  const beta = c.beta ?? 1;
  if (c.average === null) {
    const { precision, recall, fscore, support } = precisionRecallFscoreSupport(yTrue, yPred, { beta, labels: c.labels, zeroDivision: zeroDivisionOf(c) });
    return { precision, recall, fscore, support };
  }
  const options: AveragingOptions = { average: c.average as Average, labels: c.labels, posLabel: c.posLabel ?? 1, zeroDivision: zeroDivisionOf(c) };
  const fscore = fbetaScore(yTrue, yPred, beta, options);
  if (beta === 1) assert.equal(f1Score(yTrue, yPred, options), fscore, "f1Score = fbetaScore with beta 1");
  return { precision: precisionScore(yTrue, yPred, options), recall: recallScore(yTrue, yPred, options), fscore };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12;

test(`every zero-division case equals scikit-learn ${fixture.sklearn} (${fixture.cases.length} cases)`, () => {
  assert.ok(fixture.cases.length > 1500);
  const mismatches: string[] = [];
  for (const c of fixture.cases) {
    if (c.error !== undefined) {
      try {
        const value = ours(c);
        mismatches.push(`${describe(c)}: scikit-learn refuses (${c.error}), we return ${JSON.stringify(value)}`);
      } catch {
        // refused on both sides
      }
      continue;
    }
    const value = ours(c);
    for (const key of ["precision", "recall", "fscore", "support"] as const) {
      const expected = c.result![key];
      if (expected === undefined) continue;
      const actual = value[key];
      const same = Array.isArray(expected)
        ? Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => close(e, actual[i]!))
        : typeof actual === "number" && close(expected, actual);
      if (!same) mismatches.push(`${describe(c)}: ${key} ${JSON.stringify(actual)}, scikit-learn ${JSON.stringify(expected)}`);
    }
  }
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches`);
});

test("the fixture covers each averaging mode with 0/0 in it, for each zeroDivision value", () => {
  const modes = new Set(fixture.cases.filter((c) => c.result).map((c) => `${c.average} ${c.zeroDivision}`));
  for (const average of ["binary", "macro", "micro", "weighted", null]) {
    for (const zeroDivision of [0, 1, "warn"]) assert.ok(modes.has(`${average} ${zeroDivision}`), `${average} with zeroDivision ${zeroDivision}`);
  }
  // The case of issue 12: weighted, no requested label occurs at all → zeroDivision for all three.
  const weightedNowhere = fixture.cases.find((c) => c.average === "weighted" && JSON.stringify(c.labels) === "[5,6]" && c.zeroDivision === 1);
  assert.deepEqual(weightedNowhere?.result, { precision: 1, recall: 1, fscore: 1 });
});
