import { test } from "node:test";
import * as assert from "node:assert/strict";
import { decodeGridPredictions, encodeGridTargets } from "../../../lib/detection/grid";
import { makeShapeCanvases } from "../../../lib/detection/shapes";

const SPEC = { gridSize: 4, imageSize: 32, numClasses: 3 };

test("a target by hand: a 10×6 box centred at (13, 21) lives in cell (row 2, column 1) at offset (0.625, 0.625)", () => {
  const target = encodeGridTargets([{ box: [8, 18, 18, 24], label: 2 }], SPEC);
  const at = (2 * 4 + 1) * 8;
  assert.deepEqual([...target.subarray(at, at + 8)], [1, 0.625, 0.625, 10 / 32, 6 / 32, 0, 0, 1]);
  assert.equal(target.reduce((sum, v) => sum + v, 0), 1 + 0.625 + 0.625 + 10 / 32 + 6 / 32 + 1, "every other cell is zero");
});

test("decoding the targets gives back every object's box and class with score 1, on 300 generated canvases", () => {
  const data = makeShapeCanvases({ count: 300, seed: 3, gridSize: 4, maxObjects: 4 });
  for (const objects of data.objects) {
    const decoded = decodeGridPredictions(encodeGridTargets(objects, SPEC), { ...SPEC, scoreThreshold: 0.5 });
    assert.equal(decoded.length, objects.length);
    for (const { box, label } of objects) {
      const match = decoded.find((d) => d.label === label && d.box.every((v, k) => Math.abs(v - box[k]!) < 1e-4));
      assert.ok(match, `box ${box} (class ${label}) decoded`);
      assert.equal(match.score, 1);
    }
  }
});

test("scores are objectness × the best class probability; below the threshold nothing; negative sizes give empty boxes", () => {
  const prediction = new Float32Array(4 * 4 * 8);
  prediction.set([0.8, 0.5, 0.5, 0.25, -0.1, 0.2, 0.7, 0.1], 0);
  const [detection] = decodeGridPredictions(prediction, { ...SPEC, scoreThreshold: 0.5 });
  assert.equal(detection!.label, 1);
  assert.ok(Math.abs(detection!.score - 0.56) < 1e-6);
  assert.deepEqual(detection!.box, [0, 4, 8, 4]);
  assert.deepEqual(decodeGridPredictions(prediction, { ...SPEC, scoreThreshold: 0.6 }), []);
});

test("bad input is refused with what and where", () => {
  assert.throws(() => encodeGridTargets([{ box: [0, 0, 4, 4], label: 0 }, { box: [1, 1, 5, 5], label: 1 }], SPEC), /objects\[0\] and objects\[1\] have their centres in the same cell \(row 0, column 0\)/);
  assert.throws(() => encodeGridTargets([{ box: [0, 0, 4, 4], label: 3 }], SPEC), /objects\[0\]\.label must be an integer in 0\.\.2/);
  assert.throws(() => encodeGridTargets([{ box: [4, 0, 0, 4], label: 0 }], SPEC), /objects\[0\]\.box must have x1 ≤ x2/);
  assert.throws(() => decodeGridPredictions(new Float32Array(10), SPEC), /expected 4·4·8 = 128 values, got 10/);
  assert.throws(() => encodeGridTargets([], { ...SPEC, gridSize: 0 }), /gridSize must be a positive integer/);
});
