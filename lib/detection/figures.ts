/**
 * Canvases with their boxes drawn on top, for showFigure: one row of grayscale images (imageGridFigure's tiles) with
 * each box as a plotly rectangle and its caption (class, and score for a prediction) above it. Ground truth is drawn
 * dashed green, predictions solid red.
 *
 *   await showFigure(detectionFigure(images, [truthAndPredictions0, …], { title: "Held-out canvases" }));
 */
import type { Annotations, Shape } from "plotly.js";
import { imageGridFigure, type Labels } from "../display/figures";
import type { Figure } from "../display/plot";
import type { Box } from "./boxes";

export interface DrawnBox {
  box: Box;
  caption: string;
  kind: "truth" | "prediction";
}

const STYLE = { truth: { color: "#1a9850", dash: "dash" }, prediction: { color: "#d73027", dash: "solid" } } as const;

/** `images[i]` is [height][width]; `boxes[i]` are drawn on image i (pixel coordinates, x2 and y2 exclusive). */
export function detectionFigure(images: number[][][], boxes: DrawnBox[][], labels: Labels & { columnLabels?: string[] } = {}): Figure {
  if (boxes.length !== images.length) throw new RangeError(`detectionFigure: ${images.length} images but ${boxes.length} box lists`);
  const figure = imageGridFigure([images], labels);
  const width = images[0]![0]!.length;
  const shapes: Partial<Shape>[] = [];
  const annotations: Partial<Annotations>[] = [];
  boxes.forEach((list, image) => {
    // Tile `image` starts at column image · (width + 1); pixel x covers heatmap x − ½ … x + ½.
    const left = image * (width + 1) - 0.5;
    for (const { box, caption, kind } of list) {
      const { color, dash } = STYLE[kind];
      shapes.push({ type: "rect", xref: "x", yref: "y", x0: left + box[0], x1: left + box[2], y0: box[1] - 0.5, y1: box[3] - 0.5, line: { color, width: 2, dash } });
      annotations.push({ x: left + box[0], y: (kind === "truth" ? box[3] : box[1]) - 0.5, xref: "x", yref: "y", text: caption, showarrow: false, xanchor: "left", yanchor: kind === "truth" ? "top" : "bottom", font: { size: 9, color } });
    }
  });
  return { ...figure, layout: { ...figure.layout, shapes, annotations } };
}
