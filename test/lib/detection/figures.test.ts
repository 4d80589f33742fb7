import { test } from "node:test";
import * as assert from "node:assert/strict";
import { detectionFigure } from "../../../lib/detection/figures";

const blank = (size: number) => Array.from({ length: size }, () => new Array<number>(size).fill(0));

test("each box becomes a rectangle on its own tile, at the pixel edges, with its caption", () => {
  const fig = detectionFigure([blank(8), blank(8)], [
    [{ box: [1, 2, 4, 6], caption: "disc", kind: "truth" }],
    [{ box: [0, 0, 8, 8], caption: "square 0.91", kind: "prediction" }],
  ], { title: "boxes" });
  const shapes = fig.layout!.shapes!;
  assert.equal(shapes.length, 2);
  assert.deepEqual([shapes[0]!.x0, shapes[0]!.x1, shapes[0]!.y0, shapes[0]!.y1], [0.5, 3.5, 1.5, 5.5]);
  // The second tile starts one gap column after the first (8 + 1): its pixel 0 is heatmap column 9.
  assert.deepEqual([shapes[1]!.x0, shapes[1]!.x1, shapes[1]!.y0, shapes[1]!.y1], [8.5, 16.5, -0.5, 7.5]);
  assert.deepEqual(fig.layout!.annotations!.map((a) => a.text), ["disc", "square 0.91"]);
  assert.equal(shapes[0]!.line!.dash, "dash");
  assert.equal((fig.layout!.title as { text: string }).text, "boxes");
  assert.throws(() => detectionFigure([blank(4)], []), /1 images but 0 box lists/);
});
