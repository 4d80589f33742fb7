import { test } from "node:test";
import * as assert from "node:assert/strict";
import { imageGridFigure } from "../../../lib/display/figures";

test("imageGridFigure diverging: white at the middle of a symmetric range, blue below, red above, with a colour bar", () => {
  const kernel = [[-1, 0], [0, 1]];
  const trace = imageGridFigure([[kernel, kernel]], { zRange: [-1, 1], diverging: true }).data[0] as Record<string, unknown>;
  assert.deepEqual(trace["colorscale"], [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]]);
  assert.equal(trace["zmin"], -1);
  assert.equal(trace["zmax"], 1);
  assert.equal(trace["showscale"], true);
  const gray = imageGridFigure([[kernel]]).data[0] as Record<string, unknown>;
  assert.equal(gray["showscale"], false);
  assert.deepEqual(gray["colorscale"], [[0, "#ffffff"], [1, "#000000"]]);
});
