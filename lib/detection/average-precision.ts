/**
 * Average precision (AP) and mean AP for object detection, the metric of PASCAL VOC and COCO.
 *
 * Rank every detection of one class over all images by score. Walk down the ranking: a detection is a true positive
 * when some not-yet-matched ground-truth box of its image overlaps it by IoU ≥ the threshold (it takes the best
 * such box, COCO's rule), otherwise a false positive (a duplicate of an already found object counts as one). After
 * k detections, precision = TP / k and recall = TP / (number of ground-truth boxes). AP is the area under the
 * precision–recall curve after replacing each precision by the best precision at that recall or beyond (the
 * "envelope"):
 *
 *   "all-points" (VOC 2010 and later): Σ_k (r_k − r_{k−1}) · p_env(r_k)
 *   "11-point"   (VOC 2007):           mean over r ∈ {0, 0.1, …, 1} of max { p_k : r_k ≥ r } (0 if none)
 *   "101-point"  (COCO):               the same over r ∈ {0, 0.01, …, 1}
 *
 * mAP@0.5 is the mean of the per-class APs at IoU threshold 0.5 over the classes that have ground truth; COCO's
 * headline "AP" also averages over thresholds 0.5:0.05:0.95. Accuracy, recall or F1 of "detected or not" (the seed's
 * S3-Q24) ignore both the ranking and the localisation quality that AP measures.
 */
import { assertBox, iou, type Box } from "./boxes";

export interface Detection {
  /** Which image the box is in. */
  image: number | string;
  box: Box;
  score: number;
  /** Class id (needed by meanAveragePrecision; ignored by averagePrecision). */
  label?: number;
}

export interface GroundTruth {
  image: number | string;
  box: Box;
  label?: number;
}

export type ApInterpolation = "all-points" | "11-point" | "101-point";

export interface AveragePrecisionOptions {
  /** A detection matches a ground-truth box at IoU ≥ this (default 0.5). */
  iouThreshold?: number;
  /** Default "all-points". */
  interpolation?: ApInterpolation;
}

export interface AveragePrecisionResult {
  ap: number;
  /** Detection indices, highest score first (equal scores: lower index first). */
  ranking: number[];
  /** Per ranked detection: did it match a ground-truth box? */
  truePositive: boolean[];
  /** Precision and recall after each ranked detection. */
  precision: number[];
  recall: number[];
  numGroundTruth: number;
}

/** AP of one class: `detections` and `groundTruths` are that class's boxes over all images. */
export function averagePrecision(detections: readonly Detection[], groundTruths: readonly GroundTruth[], options: AveragePrecisionOptions = {}): AveragePrecisionResult {
  const { iouThreshold = 0.5, interpolation = "all-points" } = options;
  if (!(iouThreshold > 0 && iouThreshold <= 1)) throw new RangeError(`averagePrecision: iouThreshold must be in (0, 1], got ${iouThreshold}`);
  if (groundTruths.length === 0) throw new RangeError("averagePrecision: no ground-truth boxes, so recall and AP are undefined");
  detections.forEach((d, i) => {
    assertBox(d.box, `detections[${i}].box`);
    if (!Number.isFinite(d.score)) throw new RangeError(`averagePrecision: detections[${i}].score must be finite, got ${d.score}`);
  });
  groundTruths.forEach((g, i) => assertBox(g.box, `groundTruths[${i}].box`));

  const truthsByImage = new Map<number | string, number[]>();
  groundTruths.forEach((g, i) => truthsByImage.set(g.image, [...(truthsByImage.get(g.image) ?? []), i]));
  const matched = new Array<boolean>(groundTruths.length).fill(false);
  const ranking = detections.map((_, i) => i).sort((i, j) => detections[j]!.score - detections[i]!.score || i - j);
  const truePositive = ranking.map((d) => {
    let best = -1;
    let bestIou = iouThreshold;
    for (const g of truthsByImage.get(detections[d]!.image) ?? []) {
      if (matched[g]) continue;
      const overlap = iou(detections[d]!.box, groundTruths[g]!.box);
      if (overlap >= bestIou) [best, bestIou] = [g, overlap];
    }
    if (best >= 0) matched[best] = true;
    return best >= 0;
  });

  const precision: number[] = [];
  const recall: number[] = [];
  let tp = 0;
  truePositive.forEach((hit, k) => {
    if (hit) tp += 1;
    precision.push(tp / (k + 1));
    recall.push(tp / groundTruths.length);
  });
  return { ap: areaUnderEnvelope(precision, recall, interpolation), ranking, truePositive, precision, recall, numGroundTruth: groundTruths.length };
}

function areaUnderEnvelope(precision: readonly number[], recall: readonly number[], interpolation: ApInterpolation): number {
  const envelope = [...precision];
  for (let k = envelope.length - 2; k >= 0; k -= 1) envelope[k] = Math.max(envelope[k]!, envelope[k + 1]!);
  if (interpolation === "all-points") {
    let area = 0;
    let previousRecall = 0;
    recall.forEach((r, k) => {
      area += (r - previousRecall) * envelope[k]!;
      previousRecall = r;
    });
    return area;
  }
  const points = interpolation === "11-point" ? 11 : interpolation === "101-point" ? 101 : NaN;
  if (Number.isNaN(points)) throw new RangeError(`averagePrecision: interpolation must be "all-points", "11-point" or "101-point", got "${interpolation}"`);
  let sum = 0;
  for (let p = 0; p < points; p += 1) {
    const level = p / (points - 1);
    // Recall is non-decreasing along the ranking, so the first k reaching the level has the envelope's value there.
    const k = recall.findIndex((r) => r >= level - 1e-12);
    sum += k >= 0 ? envelope[k]! : 0;
  }
  return sum / points;
}

export interface MeanAveragePrecisionResult {
  map: number;
  /** AP per class id that has ground truth, in increasing class order. */
  perClass: Map<number, AveragePrecisionResult>;
  /** Classes that were detected but have no ground-truth box (left out of the mean, as COCO does). */
  classesWithoutTruth: number[];
}

/** mAP: the mean over classes with ground truth of each class's AP. Every box needs a `label`. */
export function meanAveragePrecision(detections: readonly Detection[], groundTruths: readonly GroundTruth[], options: AveragePrecisionOptions = {}): MeanAveragePrecisionResult {
  const labelOf = (item: Detection | GroundTruth, what: string): number => {
    if (!Number.isInteger(item.label)) throw new RangeError(`meanAveragePrecision: ${what} needs an integer label, got ${item.label}`);
    return item.label!;
  };
  const truthLabels = [...new Set(groundTruths.map((g, i) => labelOf(g, `groundTruths[${i}]`)))].sort((a, b) => a - b);
  const detectionLabels = new Set(detections.map((d, i) => labelOf(d, `detections[${i}]`)));
  if (truthLabels.length === 0) throw new RangeError("meanAveragePrecision: no ground-truth boxes");
  const perClass = new Map<number, AveragePrecisionResult>();
  for (const label of truthLabels) {
    perClass.set(label, averagePrecision(detections.filter((d) => d.label === label), groundTruths.filter((g) => g.label === label), options));
  }
  const map = [...perClass.values()].reduce((sum, result) => sum + result.ap, 0) / perClass.size;
  return { map, perClass, classesWithoutTruth: [...detectionLabels].filter((label) => !perClass.has(label)).sort((a, b) => a - b) };
}
