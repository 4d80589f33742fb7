import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fourByFourGrid, cliffWalk } from "../../../lib/rl/gridworld";
import { valuePolicyFigure } from "../../../lib/rl/figures";

test("valuePolicyFigure: one value label per cell, one arrow per drawn action, none on terminal or cliff cells", () => {
  const grid = fourByFourGrid();
  const values = Array.from({ length: 16 }, (_, s) => s / 16);
  const actions = Array.from({ length: 16 }, (_, s) => (s === 0 ? [1, 2] : [1]));
  const figure = valuePolicyFigure(grid, values, actions, { title: "t" });
  const annotations = figure.layout!.annotations!;
  assert.equal(annotations.filter((a) => a.showarrow).length, 15 + 1); // 15 non-terminal cells, state 0 has two
  assert.equal(annotations.filter((a) => !a.showarrow).length, 16);
  // The "right" arrow of state 5 (row 1, column 1) points right: head x > tail x, same row.
  const right = annotations.filter((a) => a.showarrow && a.ay === 1.1 && a.ax === 1.05)[0]!;
  assert.ok((right.x as number) > (right.ax as number) && right.y === right.ay);
  const cliff = cliffWalk();
  const cliffFigure = valuePolicyFigure(cliff, new Array(48).fill(0), new Array(48).fill([0]));
  assert.equal(cliffFigure.layout!.annotations!.filter((a) => a.showarrow).length, 48 - 11);
  assert.throws(() => valuePolicyFigure(grid, [1], actions), /16 values/);
});
