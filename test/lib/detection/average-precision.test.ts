import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { averagePrecision, meanAveragePrecision, type Detection, type GroundTruth } from "../../../lib/detection/average-precision";
import type { Box } from "../../../lib/detection/boxes";

// Two images, three objects; five detections: a hit, a duplicate of it, a box on nothing, a second hit, a poor box.
const TRUTHS: GroundTruth[] = [
  { image: "A", box: [0, 0, 10, 10] },
  { image: "A", box: [20, 20, 30, 30] },
  { image: "B", box: [0, 0, 10, 10] },
];
const DETECTIONS: Detection[] = [
  { image: "A", box: [20, 20, 40, 40], score: 0.5 }, // IoU 100/400 = 0.25 with A's second object
  { image: "A", box: [1, 1, 10, 10], score: 0.8 }, // IoU 0.81 with A's first object, found already by the 0.9 box
  { image: "B", box: [50, 50, 60, 60], score: 0.7 },
  { image: "A", box: [0, 0, 10, 10], score: 0.9 },
  { image: "B", box: [0, 0, 10, 12], score: 0.6 }, // IoU 100/120
];

test("AP by hand: ranking, the duplicate counted as a false positive, precision and recall, three interpolations", () => {
  const result = averagePrecision(DETECTIONS, TRUTHS, { iouThreshold: 0.5 });
  assert.deepEqual(result.ranking, [3, 1, 2, 4, 0]);
  assert.deepEqual(result.truePositive, [true, false, false, true, false]);
  assert.deepEqual(result.precision, [1, 1 / 2, 1 / 3, 2 / 4, 2 / 5]);
  assert.deepEqual(result.recall, [1 / 3, 1 / 3, 1 / 3, 2 / 3, 2 / 3]);
  // Envelope [1, ½, ½, ½, 0.4]: the area is ⅓·1 + ⅓·½.
  assert.ok(Math.abs(result.ap - 0.5) < 1e-12, `${result.ap}`);
  // 11 points: recall levels 0–0.3 reach precision 1, 0.4–0.6 reach ½, 0.7–1 are never reached.
  assert.ok(Math.abs(averagePrecision(DETECTIONS, TRUTHS, { interpolation: "11-point" }).ap - (4 * 1 + 3 * 0.5) / 11) < 1e-12);
  // 101 points: levels 0–0.33 (34 of them) at 1, 0.34–0.66 (33) at ½.
  assert.ok(Math.abs(averagePrecision(DETECTIONS, TRUTHS, { interpolation: "101-point" }).ap - (34 + 33 * 0.5) / 101) < 1e-12);
  // At IoU 0.2 the poor box is a hit: precision ends at 3/5 and lifts the envelope to 0.6 for recall ⅔ and 1.
  const loose = averagePrecision(DETECTIONS, TRUTHS, { iouThreshold: 0.2 });
  assert.deepEqual(loose.truePositive, [true, false, false, true, true]);
  assert.ok(Math.abs(loose.ap - (1 / 3 + (1 / 3) * 0.6 + (1 / 3) * 0.6)) < 1e-12);
  // An overlap of exactly the threshold counts (COCO's IoU ≥ t): half a box is a hit at 0.5, not above it.
  const half: Detection[] = [{ image: 0, box: [0, 0, 10, 5], score: 1 }];
  assert.deepEqual(averagePrecision(half, [{ image: 0, box: [0, 0, 10, 10] }], { iouThreshold: 0.5 }).truePositive, [true]);
  assert.deepEqual(averagePrecision(half, [{ image: 0, box: [0, 0, 10, 10] }], { iouThreshold: 0.5 + 1e-9 }).truePositive, [false]);
  // At IoU 0.85 the B hit (0.83) is lost too.
  assert.deepEqual(averagePrecision(DETECTIONS, TRUTHS, { iouThreshold: 0.85 }).truePositive, [true, false, false, false, false]);
});

/** A random detection problem: objects in a few images, detections that hit, duplicate, miss by a little or a lot. */
function randomProblem(rng: Random): { detections: Detection[]; truths: GroundTruth[] } {
  const truths: GroundTruth[] = [];
  const detections: Detection[] = [];
  for (let image = 0; image < rng.int(1, 5); image += 1) {
    for (let object = 0; object < rng.int(1, 4); object += 1) {
      const [x, y] = [rng.uniform(0, 100), rng.uniform(0, 100)];
      const box: Box = [x, y, x + rng.uniform(5, 20), y + rng.uniform(5, 20)];
      truths.push({ image, box });
      for (let copy = 0; copy < rng.int(0, 3); copy += 1) {
        const jitter = rng.uniform(0, 6);
        detections.push({ image, box: [box[0] + jitter, box[1], box[2] + jitter, box[3]], score: rng.random() });
      }
    }
    for (let stray = 0; stray < rng.int(0, 3); stray += 1) {
      const [x, y] = [rng.uniform(0, 100), rng.uniform(0, 100)];
      detections.push({ image, box: [x, y, x + 10, y + 10], score: rng.random() });
    }
  }
  return { detections, truths };
}

test("all-points AP equals the integral of the interpolated precision over recall (its definition), on 200 random problems", () => {
  const rng = new Random(3);
  for (let trial = 0; trial < 200; trial += 1) {
    const { detections, truths } = randomProblem(rng);
    const { ap, precision, recall } = averagePrecision(detections, truths);
    const interpolated = (level: number) => {
      let best = 0;
      for (let k = 0; k < precision.length; k += 1) if (recall[k]! >= level) best = Math.max(best, precision[k]!);
      return best;
    };
    const steps = 20_000; // midpoint rule; the integrand is a step function with steps at multiples of 1/#objects
    let integral = 0;
    for (let s = 0; s < steps; s += 1) integral += interpolated((s + 0.5) / steps) / steps;
    assert.ok(Math.abs(ap - integral) < 2e-3, `trial ${trial}: ${ap} vs ${integral}`);
    assert.ok(ap >= 0 && ap <= 1);
  }
});

test("perfect detections give AP 1 in every interpolation; a false positive ranked last never changes all-points AP", () => {
  const rng = new Random(5);
  for (let trial = 0; trial < 50; trial += 1) {
    const { truths } = randomProblem(rng);
    const perfect: Detection[] = truths.map((t) => ({ image: t.image, box: t.box, score: rng.uniform(0.5, 1) }));
    for (const interpolation of ["all-points", "11-point", "101-point"] as const) assert.equal(averagePrecision(perfect, truths, { interpolation }).ap, 1);
    const { detections } = randomProblem(rng);
    const withTruths = detections.filter((d) => truths.some((t) => t.image === d.image));
    if (withTruths.length === 0) continue;
    const before = averagePrecision(withTruths, truths).ap;
    const after = averagePrecision([...withTruths, { image: truths[0]!.image, box: [500, 500, 510, 510], score: -1 }], truths).ap;
    assert.ok(Math.abs(before - after) < 1e-12);
  }
});

test("AP depends on the order of scores only, not their values", () => {
  const rng = new Random(9);
  const { detections, truths } = randomProblem(rng);
  const squashed = detections.map((d) => ({ ...d, score: Math.tanh(3 * d.score) - 5 }));
  assert.equal(averagePrecision(squashed, truths).ap, averagePrecision(detections, truths).ap);
});

test("mAP averages per-class AP over the classes that have objects; boxes of another class never match", () => {
  const truths: GroundTruth[] = [...TRUTHS.map((t) => ({ ...t, label: 0 })), { image: "B", box: [30, 30, 40, 40], label: 1 }];
  const detections: Detection[] = [
    ...DETECTIONS.map((d) => ({ ...d, label: 0 })),
    { image: "B", box: [30, 30, 40, 40], score: 0.99, label: 0 }, // right place, wrong class: a class-0 false positive
    { image: "B", box: [30, 30, 40, 41], score: 0.4, label: 1 },
    { image: "A", box: [0, 0, 5, 5], score: 0.3, label: 7 }, // a class with no objects at all
  ];
  const result = meanAveragePrecision(detections, truths);
  const class0 = averagePrecision([...DETECTIONS, { image: "B", box: [30, 30, 40, 40], score: 0.99 }], TRUTHS).ap;
  assert.ok(class0 < 0.5, "the wrong-class box ranks first and lowers class 0's AP");
  assert.equal(result.perClass.get(1)!.ap, 1);
  assert.ok(Math.abs(result.map - (class0 + 1) / 2) < 1e-12);
  assert.deepEqual([...result.perClass.keys()], [0, 1]);
  assert.deepEqual(result.classesWithoutTruth, [7]);
});

test("bad input is refused with what and where", () => {
  assert.throws(() => averagePrecision(DETECTIONS, []), /no ground-truth boxes/);
  assert.throws(() => averagePrecision([{ image: 0, box: [0, 0, 1, 1], score: NaN }], TRUTHS), /detections\[0\]\.score must be finite/);
  assert.throws(() => averagePrecision([{ image: 0, box: [2, 0, 1, 1], score: 1 }], TRUTHS), /detections\[0\]\.box must have x1 ≤ x2/);
  assert.throws(() => averagePrecision(DETECTIONS, TRUTHS, { iouThreshold: 0 }), /iouThreshold must be in \(0, 1\]/);
  assert.throws(() => averagePrecision(DETECTIONS, TRUTHS, { interpolation: "12-point" as never }), /interpolation must be/);
  assert.throws(() => meanAveragePrecision(DETECTIONS, TRUTHS), /needs an integer label/);
});
