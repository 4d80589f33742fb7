import { test } from "node:test";
import * as assert from "node:assert/strict";
import { centreCell, makeShapeCanvases, SHAPE_CLASSES } from "../../../lib/detection/shapes";

test("the same seed gives the same canvases; another seed other ones", () => {
  const a = makeShapeCanvases({ count: 20, seed: 4 });
  const b = makeShapeCanvases({ count: 20, seed: 4 });
  assert.deepEqual(a.objects, b.objects);
  assert.deepEqual(a.images, b.images);
  assert.notDeepEqual(makeShapeCanvases({ count: 20, seed: 5 }).objects, a.objects);
});

test("every box is exactly the extent of its bright pixels, no bright pixel lies outside the boxes, and each class has its fill", () => {
  const size = 32;
  const data = makeShapeCanvases({ count: 300, seed: 1, size, noise: 0 });
  const fills: number[][] = SHAPE_CLASSES.map(() => []);
  data.objects.forEach((objects, image) => {
    const bright = (x: number, y: number) => data.images[image * size * size + y * size + x]! > 0.4; // shapes ≥ 0.6, background ≤ 0.2
    assert.ok(objects.length >= 1 && objects.length <= 3, `image ${image} has ${objects.length} objects`);
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) {
        if (bright(x, y)) assert.ok(objects.some(({ box }) => x >= box[0] && x < box[2] && y >= box[1] && y < box[3]), `image ${image}: bright pixel (${x}, ${y}) outside every box`);
      }
    }
    for (const { box, label } of objects) {
      let [x1, y1, x2, y2, lit] = [Infinity, Infinity, -Infinity, -Infinity, 0];
      for (let y = box[1]; y < box[3]; y += 1) {
        for (let x = box[0]; x < box[2]; x += 1) {
          if (!bright(x, y)) continue;
          [x1, y1, x2, y2] = [Math.min(x1, x), Math.min(y1, y), Math.max(x2, x + 1), Math.max(y2, y + 1)];
          lit += 1;
        }
      }
      assert.deepEqual([x1, y1, x2, y2], [...box], `image ${image}: box of a ${SHAPE_CLASSES[label]}`);
      fills[label]!.push(lit / ((box[2] - box[0]) * (box[3] - box[1])));
    }
  });
  assert.ok(fills[0]!.every((f) => f === 1), "a square fills its box");
  assert.ok(fills[1]!.every((f) => f > 0.6 && f < 0.95), `a disc fills about π/4 of its box: ${Math.min(...fills[1]!)}–${Math.max(...fills[1]!)}`);
  assert.ok(fills[2]!.every((f) => f > 0.4 && f < 0.75), `a triangle about half: ${Math.min(...fills[2]!)}–${Math.max(...fills[2]!)}`);
  assert.ok(fills.every((f) => f.length > 50), "every class is drawn often");
});

test("with gridSize, no two centres of an image share a cell; noise keeps pixels in [0, 1]", () => {
  const data = makeShapeCanvases({ count: 300, seed: 2, gridSize: 2, maxObjects: 4, noise: 0.3 });
  for (const objects of data.objects) {
    const cells = objects.map(({ box }) => centreCell(box, 32, 2).join(","));
    assert.equal(new Set(cells).size, cells.length);
  }
  assert.ok(data.images.every((p) => p >= 0 && p <= 1));
});

test("bad options are refused, naming the option", () => {
  assert.throws(() => makeShapeCanvases({ count: 0, seed: 1 }), /count must be a positive integer/);
  assert.throws(() => makeShapeCanvases({ count: 1, seed: 1, minShapeSize: 10, maxShapeSize: 8 }), /minShapeSize ≤ maxShapeSize/);
  assert.throws(() => makeShapeCanvases({ count: 1, seed: 1, gridSize: 1, maxObjects: 3 }), /gridSize² ≥ maxObjects/);
});
