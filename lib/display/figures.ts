/**
 * Thin builders for the figures many notebooks draw; each returns a plain plotly `Figure` for `showFigure`,
 * so a notebook can still adjust any trace or layout field before showing it.
 *
 *   await showFigure(lineFigure([{ name: "train", y: trainLoss }, { name: "test", y: testLoss }],
 *     { title: "Loss per epoch", xTitle: "epoch", yTitle: "MSE", logY: true }));
 */
import type { ColorScale, Layout } from "plotly.js";
import type { Figure } from "./plot";

export interface Labels {
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

export interface LineSeries {
  name: string;
  y: ArrayLike<number>;
  /** Defaults to 0, 1, 2, … */
  x?: ArrayLike<number>;
}

/** Several named lines over a shared x axis (loss curves, learning-rate sweeps). */
export function lineFigure(series: LineSeries[], labels: Labels & { logY?: boolean } = {}): Figure {
  return {
    data: series.map((s) => ({
      type: "scatter",
      mode: "lines",
      name: s.name,
      x: s.x ? Array.from(s.x) : Array.from({ length: s.y.length }, (_, i) => i),
      y: Array.from(s.y),
    })),
    layout: axesLayout(labels, labels.logY ? { type: "log", exponentformat: "power" } : {}),
  };
}

/** z[i][j] is the value at (x[j], y[i]), the layout plotly's contour and heatmap traces expect. */
export interface Grid {
  x: number[];
  y: number[];
  z: number[][];
}

export interface Path {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** Contour lines of a function of two variables with optimiser paths drawn over them. */
export function contourFigure(grid: Grid, paths: Path[] = [], labels: Labels & { zTitle?: string } = {}): Figure {
  checkGrid(grid);
  return {
    data: [
      {
        type: "contour",
        x: grid.x,
        y: grid.y,
        z: grid.z,
        colorscale: "Viridis",
        contours: { coloring: "lines" },
        ...(labels.zTitle ? { name: labels.zTitle, colorbar: { title: { text: labels.zTitle } } } : {}),
      },
      ...paths.map((p) => ({
        type: "scatter" as const,
        mode: "lines+markers" as const,
        name: p.name,
        x: p.points.map((point) => point[0]),
        y: p.points.map((point) => point[1]),
        marker: { size: 5 },
      })),
    ],
    // Inside the plot area: the colour bar takes the right-hand side.
    layout: { ...axesLayout(labels), showlegend: paths.length > 0, legend: { x: 0.01, y: 0.99 } },
  };
}

/**
 * A matrix as coloured cells with their values written in, row 0 at the top (confusion matrices:
 * rows = true class, columns = predicted class). `cellText` is the plotly text template of each cell
 * (default "%{z}"; "%{z:.2f}" for two decimals; false for none, for large matrices).
 */
export function heatmapFigure(
  z: number[][],
  labels: Labels & { xLabels?: string[]; yLabels?: string[]; colorscale?: ColorScale; cellText?: string | false } = {},
): Figure {
  const columns = z[0]?.length ?? 0;
  if (z.some((row) => row.length !== columns)) throw new RangeError("heatmapFigure: every row of z must have the same length");
  return {
    data: [
      {
        type: "heatmap",
        z,
        x: labels.xLabels ?? Array.from({ length: columns }, (_, j) => String(j)),
        y: labels.yLabels ?? z.map((_, i) => String(i)),
        // White to dark blue (plotly's own "Blues" runs the other way).
        colorscale: labels.colorscale ?? [[0, "#f7fbff"], [1, "#08306b"]],
        ...(labels.cellText === false ? {} : { texttemplate: labels.cellText ?? "%{z}" }),
      },
    ],
    layout: axesLayout(labels, { autorange: "reversed" }),
  };
}

/**
 * Small grayscale images in a grid (digits, augmented copies, generated samples): `images[row][column]` is a
 * [height][width] image; all share one size. One heatmap with one blank pixel between tiles, dark ink on
 * white, square pixels, optional row and column labels at the tile centres.
 */
export function imageGridFigure(
  images: number[][][][],
  labels: Labels & { rowLabels?: string[]; columnLabels?: string[]; zRange?: [number, number]; diverging?: boolean } = {},
): Figure {
  const height = images[0]?.[0]?.length ?? 0;
  const width = images[0]?.[0]?.[0]?.length ?? 0;
  const columns = images[0]?.length ?? 0;
  if (height === 0 || width === 0) throw new RangeError("imageGridFigure: need at least one non-empty image");
  images.forEach((row, r) => {
    if (row.length !== columns) throw new RangeError(`imageGridFigure: row 0 has ${columns} images, row ${r} has ${row.length}`);
    row.forEach((img, c) => {
      if (img.length !== height || img.some((line) => line.length !== width)) {
        throw new RangeError(`imageGridFigure: image [${r}][${c}] is not ${height}×${width}`);
      }
    });
  });
  const [zmin, zmax] = labels.zRange ?? [0, 1];
  // Tiles at multiples of (size + 1); the gap cells stay NaN, which plotly leaves blank.
  const z = Array.from({ length: images.length * (height + 1) - 1 }, (_, i) =>
    Array.from({ length: columns * (width + 1) - 1 }, (_, j) => {
      const [r, y] = [Math.floor(i / (height + 1)), i % (height + 1)];
      const [c, x] = [Math.floor(j / (width + 1)), j % (width + 1)];
      return y === height || x === width ? NaN : images[r]![c]![y]![x]!;
    }),
  );
  const centres = (n: number, size: number) => Array.from({ length: n }, (_, k) => k * (size + 1) + (size - 1) / 2);
  const axis = { showgrid: false, zeroline: false, showline: false, ticks: "" as const };
  // Column labels sit above the images: leave room for them (and their <br> line breaks) under the title.
  const labelLines = Math.max(0, ...(labels.columnLabels ?? []).map((l) => l.split("<br>").length));
  return {
    // diverging: blue < 0 < red around a white 0 (pass a zRange symmetric about 0), with its colour bar.
    data: [labels.diverging
      ? { type: "heatmap", z, zmin, zmax, colorscale: [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]], showscale: true, hoverongaps: false }
      : { type: "heatmap", z, zmin, zmax, colorscale: [[0, "#ffffff"], [1, "#000000"]], showscale: false, hoverongaps: false }],
    layout: {
      ...(labels.title ? { title: { text: labels.title } } : {}),
      margin: { t: 60 + 18 * labelLines, b: 20 },
      // The gaps show this grey, so each tile's white background stays visible as a square.
      plot_bgcolor: "#c8c8c8",
      xaxis: {
        ...axis,
        side: "top",
        ...(labels.xTitle ? { title: { text: labels.xTitle } } : {}),
        ...(labels.columnLabels ? { tickvals: centres(columns, width), ticktext: labels.columnLabels } : { showticklabels: false }),
      },
      yaxis: {
        ...axis,
        autorange: "reversed",
        scaleanchor: "x",
        ...(labels.yTitle ? { title: { text: labels.yTitle } } : {}),
        ...(labels.rowLabels ? { tickvals: centres(images.length, height), ticktext: labels.rowLabels } : { showticklabels: false }),
      },
    },
  };
}

function axesLayout(labels: Labels, yaxis: Partial<Layout["yaxis"]> = {}): Partial<Layout> {
  return {
    ...(labels.title ? { title: { text: labels.title } } : {}),
    xaxis: labels.xTitle ? { title: { text: labels.xTitle } } : {},
    yaxis: { ...(labels.yTitle ? { title: { text: labels.yTitle } } : {}), ...yaxis },
  };
}

function checkGrid({ x, y, z }: Grid): void {
  if (z.length !== y.length || z.some((row) => row.length !== x.length)) {
    throw new RangeError(`contourFigure: z must be y.length × x.length = ${y.length} × ${x.length} (z[i][j] at x[j], y[i])`);
  }
}

/** One model's reliability curve: the fields of `calibrationCurve` (lib/ml/calibration) that the diagram draws. */
export interface ReliabilitySeries {
  name: string;
  probPred: number[];
  probTrue: number[];
  binCounts: number[];
}

/**
 * A reliability diagram: the diagonal of perfect calibration and, per model, the fraction of positives against
 * the mean predicted probability of each bin, marker area proportional to the bin's count (coordinates rounded
 * to 1e-4 so that stored figures stay small).
 */
export function reliabilityFigure(series: ReliabilitySeries[], labels: Labels & { unit?: string } = {}): Figure {
  const unit = labels.unit ?? "samples";
  const largest = Math.max(1, ...series.flatMap((s) => s.binCounts));
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return {
    data: [
      { type: "scatter", mode: "lines", name: "perfect calibration", x: [0, 1], y: [0, 1], line: { dash: "dash", color: "#999999" } },
      ...series.map((s) => {
        if (s.probPred.length !== s.probTrue.length || s.binCounts.length !== s.probTrue.length) {
          throw new RangeError(`reliabilityFigure: series "${s.name}" has ${s.probPred.length} probPred, ${s.probTrue.length} probTrue and ${s.binCounts.length} binCounts; need one of each per bin`);
        }
        return {
          type: "scatter" as const, mode: "lines+markers" as const, name: s.name,
          x: s.probPred.map(round), y: s.probTrue.map(round),
          text: s.binCounts.map((n) => `${n} ${unit}`),
          marker: { size: s.binCounts.map((n) => 4 + 14 * Math.sqrt(n / largest)) },
        };
      }),
    ],
    layout: {
      ...axesLayout(labels, { range: [-0.02, 1.02] }),
      xaxis: { ...(labels.xTitle ? { title: { text: labels.xTitle } } : {}), range: [0, 1] },
      legend: { x: 0.02, y: 0.98 },
    },
  };
}
