import { test } from "node:test";
import * as assert from "node:assert/strict";
import { reliabilityFigure } from "../../../lib/display/figures";

test("reliabilityFigure: the diagonal, then one curve per model with marker area ∝ bin count", () => {
  const fig = reliabilityFigure([
    { name: "model", probPred: [0.1234567, 0.8], probTrue: [0.2, 0.75], binCounts: [25, 100] },
  ], { title: "Reliability", xTitle: "mean predicted", yTitle: "fraction positive", unit: "cases" });
  assert.equal(fig.data.length, 2);
  const diagonal = fig.data[0] as { x: number[]; y: number[] };
  assert.deepEqual([diagonal.x, diagonal.y], [[0, 1], [0, 1]]);
  const curve = fig.data[1] as { x: number[]; y: number[]; text: string[]; marker: { size: number[] } };
  assert.deepEqual(curve.x, [0.1235, 0.8]);
  assert.deepEqual(curve.y, [0.2, 0.75]);
  assert.deepEqual(curve.text, ["25 cases", "100 cases"]);
  // Area ∝ count: a quarter of the count gives half the size above the 4-pixel floor.
  assert.deepEqual(curve.marker.size.map((s) => s - 4), [7, 14]);
  assert.deepEqual(fig.layout?.title, { text: "Reliability" });
  assert.deepEqual(fig.layout?.xaxis, { title: { text: "mean predicted" }, range: [0, 1] });
});

test("reliabilityFigure refuses a series whose arrays differ in length, naming it", () => {
  assert.throws(() => reliabilityFigure([{ name: "bad", probPred: [0.1], probTrue: [0.1, 0.2], binCounts: [1] }]), /reliabilityFigure: series "bad" has 1 probPred, 2 probTrue and 1 binCounts/);
});
