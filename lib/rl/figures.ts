/**
 * Figures for grid worlds: the state values as a heatmap with the greedy action(s) of every cell drawn as
 * arrows (plotly annotations, so no font needs arrow glyphs), terminal and cliff cells labelled.
 */
import type { Annotations } from "plotly.js";
import { heatmapFigure, type Labels } from "../display/figures";
import type { Figure } from "../display/plot";
import type { GridWorld } from "./gridworld";

const DIRECTIONS: ReadonlyArray<readonly [number, number]> = [[-1, 0], [0, 1], [1, 0], [0, -1]]; // (row, column) steps of up, right, down, left

/** `values[s]` coloured on the grid; `actions[s]` the actions drawn as arrows from the cell centre (several for ties). */
export function valuePolicyFigure(world: GridWorld, values: readonly number[], actions: readonly (readonly number[])[], labels: Labels = {}): Figure {
  if (values.length !== world.nStates || actions.length !== world.nStates) {
    throw new RangeError(`valuePolicyFigure: need ${world.nStates} values and action lists, got ${values.length} and ${actions.length}`);
  }
  // Terminal and cliff cells are left blank (NaN is stored as null, which plotly leaves uncoloured).
  const z = Array.from({ length: world.rows }, (_, r) => Array.from({ length: world.cols }, (_, c) => (world.isTerminal(r * world.cols + c) ? Number.NaN : values[r * world.cols + c]!)));
  const figure = heatmapFigure(z, { ...labels, cellText: false, xLabels: z[0]!.map((_, c) => String(c)), yLabels: z.map((_, r) => String(r)) });
  const annotations: Partial<Annotations>[] = [];
  for (let s = 0; s < world.nStates; s += 1) {
    const [row, col] = [Math.floor(s / world.cols), s % world.cols];
    const tag = s === world.goal ? "goal" : world.cliff.has(s) ? "cliff" : s === world.start ? "start" : "";
    const valueText = world.isTerminal(s) ? tag : `${values[s]!.toFixed(2)}${tag ? ` ${tag}` : ""}`;
    annotations.push({ x: col - 0.45, y: row - 0.3, xref: "x", yref: "y", text: valueText, showarrow: false, xanchor: "left", font: { size: 10, color: "#222222" }, bgcolor: "rgba(255,255,255,0.75)" });
    if (world.isTerminal(s)) continue;
    for (const a of actions[s]!) {
      const [dRow, dCol] = DIRECTIONS[a]!;
      annotations.push({
        x: col + 0.38 * dCol,
        y: row + 0.1 + 0.32 * dRow,
        ax: col + 0.05 * dCol,
        ay: row + 0.1 + 0.05 * dRow,
        xref: "x",
        yref: "y",
        axref: "x",
        ayref: "y",
        text: "",
        showarrow: true,
        arrowhead: 2,
        arrowwidth: 2,
        arrowcolor: "#ff7f0e",
      });
    }
  }
  figure.layout = { ...figure.layout, annotations, xaxis: { ...figure.layout?.xaxis, dtick: 1 }, yaxis: { ...figure.layout?.yaxis, dtick: 1, scaleanchor: "x" } };
  return figure;
}
