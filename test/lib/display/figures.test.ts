import { test } from "node:test";
import * as assert from "node:assert/strict";
import { contourFigure, heatmapFigure, imageGridFigure, lineFigure } from "../../../lib/display/figures";

test("lineFigure: one line per series, x defaulting to 0…n−1, axis titles and a log y axis", () => {
  const fig = lineFigure([{ name: "train", y: new Float64Array([3, 2, 1]) }, { name: "test", x: [1, 2], y: [4, 3] }], {
    title: "Loss",
    xTitle: "epoch",
    yTitle: "MSE",
    logY: true,
  });
  assert.deepEqual(fig.data, [
    { type: "scatter", mode: "lines", name: "train", x: [0, 1, 2], y: [3, 2, 1] },
    { type: "scatter", mode: "lines", name: "test", x: [1, 2], y: [4, 3] },
  ]);
  assert.deepEqual(fig.layout, {
    title: { text: "Loss" },
    xaxis: { title: { text: "epoch" } },
    yaxis: { title: { text: "MSE" }, type: "log", exponentformat: "power" },
  });
});

test("contourFigure: a contour trace plus one line per path, and the grid shape is checked", () => {
  const grid = { x: [0, 1, 2], y: [0, 1], z: [[0, 1, 4], [1, 2, 5]] };
  const fig = contourFigure(grid, [{ name: "GD", points: [[2, 1], [1, 0.5], [0, 0]] }], { zTitle: "loss" });
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[1], { type: "scatter", mode: "lines+markers", name: "GD", x: [2, 1, 0], y: [1, 0.5, 0], marker: { size: 5 } });
  assert.equal(fig.layout?.showlegend, true);
  assert.throws(() => contourFigure({ ...grid, z: [[0, 1, 4]] }), /z must be y.length × x.length = 2 × 3/);
});

test("heatmapFigure: values written in the cells, row 0 on top, ragged rows rejected", () => {
  const fig = heatmapFigure([[5, 1], [2, 7]], { xLabels: ["no", "yes"], yLabels: ["no", "yes"] });
  const trace = fig.data[0] as { texttemplate?: string; x?: string[]; y?: string[] };
  assert.equal(trace.texttemplate, "%{z}");
  assert.deepEqual([trace.x, trace.y], [["no", "yes"], ["no", "yes"]]);
  assert.equal(fig.layout?.yaxis?.autorange, "reversed");
  assert.deepEqual((heatmapFigure([[1, 2, 3]]).data[0] as { x?: string[] }).x, ["0", "1", "2"]);
  assert.throws(() => heatmapFigure([[1, 2], [3]]), /every row of z must have the same length/);
  assert.equal((heatmapFigure([[0.123456]], { cellText: "%{z:.2f}" }).data[0] as { texttemplate?: string }).texttemplate, "%{z:.2f}");
  assert.equal("texttemplate" in heatmapFigure([[1]], { cellText: false }).data[0]!, false, "cellText false: no text in the cells");
});

test("imageGridFigure: tiles with blank one-pixel gaps, labels at tile centres, sizes checked", () => {
  const a = [[0, 1], [1, 0]];
  const b = [[1, 1], [0, 0]];
  const fig = imageGridFigure([[a, b], [b, a]], { columnLabels: ["A", "B"], rowLabels: ["r0", "r1"] });
  const trace = fig.data[0] as { z: number[][] };
  // 2 tiles of 2 pixels plus 1 gap = 5 in each direction.
  assert.deepEqual(trace.z.map((row) => row.map((v) => (Number.isNaN(v) ? "·" : v)).join("")), ["01·11", "10·00", "·····", "11·01", "00·10"]);
  assert.deepEqual(fig.layout?.xaxis?.tickvals, [0.5, 3.5]);
  assert.deepEqual(fig.layout?.yaxis?.ticktext, ["r0", "r1"]);
  assert.throws(() => imageGridFigure([[a, b], [a]]), /row 0 has 2 images, row 1 has 1/);
  assert.throws(() => imageGridFigure([[a, [[1, 2, 3]]]]), /image \[0\]\[1\] is not 2×2/);
});
