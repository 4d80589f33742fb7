/**
 * Probability calibration for binary classifiers, in scikit-learn's shape: the Brier score
 * (`brier_score_loss`), the reliability curve (`calibration_curve`, bins as scikit-learn cuts them), the
 * expected calibration error over those bins, Murphy's decomposition of the binned Brier score, and the
 * prior-shift correction of probabilities learnt under other class frequencies (reweighting, resampling).
 *
 *   const curve = calibrationCurve(yTest, pTest, { nBins: 10 });   // probTrue vs probPred, one point per filled bin
 *   expectedCalibrationError(yTest, pTest, { nBins: 10 });          // Σ_b (n_b/n)·|probTrue_b − probPred_b|
 *   priorShift(pWeighted, { trainPrior: 0.5, targetPrior: 0.05 });   // p' ∝ p·π/π_train, renormalised
 */
import { checkParam, checkValuePair, checkValues } from "./base";

export type BinStrategy = "uniform" | "quantile";

export interface BinOptions {
  /** Number of bins (scikit-learn's `n_bins`, default 5 as there). */
  nBins?: number;
  /** `"uniform"`: equal-width bins on [0, 1]; `"quantile"`: edges at the percentiles of `yProb` (numpy's linear rule). */
  strategy?: BinStrategy;
}

export interface CalibrationCurve {
  /** Fraction of positives in each non-empty bin (scikit-learn's `prob_true`). */
  probTrue: number[];
  /** Mean predicted probability in each non-empty bin (scikit-learn's `prob_pred`). */
  probPred: number[];
  /** Number of samples in each non-empty bin. */
  binCounts: number[];
  /** The nBins + 1 edges the samples were cut by (empty bins included). */
  binEdges: number[];
}

/** Labels → 0/1 with `posLabel` as 1; refuses more than two distinct labels, naming the caller. */
function positives(caller: string, yTrue: number[], posLabel: number): number[] {
  const labels = [...new Set(yTrue)];
  if (labels.length > 2) throw new RangeError(`${caller}: yTrue has ${labels.length} distinct labels (${labels.slice(0, 5).join(", ")}…); only binary labels are supported`);
  return yTrue.map((t) => (t === posLabel ? 1 : 0));
}

function binOptions(caller: string, options: BinOptions, defaultBins: number): Required<BinOptions> {
  const nBins = options.nBins ?? defaultBins;
  const strategy = options.strategy ?? "uniform";
  checkParam(`${caller}: nBins`, nBins, Number.isInteger(nBins) && nBins >= 1, "an integer ≥ 1");
  checkParam(`${caller}: strategy`, strategy, strategy === "uniform" || strategy === "quantile", '"uniform" or "quantile"');
  return { nBins: nBins, strategy: strategy };
}

/** numpy's `percentile(values, q)` with its default linear rule, q in [0, 100]. */
function percentile(sorted: number[], q: number): number {
  const virtual = (q / 100) * (sorted.length - 1);
  const below = Math.floor(virtual);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = virtual - below;
  const [a, b] = [sorted[below]!, sorted[above]!];
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t; // numpy's _lerp, symmetric for accuracy
}

/** The bin edges scikit-learn's `calibration_curve` uses (`np.linspace` steps, or percentiles of yProb). */
function binEdges(yProb: number[], nBins: number, strategy: BinStrategy): number[] {
  const step = 1 / nBins;
  const fractions = Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 1 : i * step));
  if (strategy === "uniform") return fractions;
  const sorted = [...yProb].sort((a, b) => a - b);
  return fractions.map((f) => percentile(sorted, f * 100));
}

/** Bin of each probability: the number of inner edges strictly below it (numpy's `searchsorted`, side "left"). */
function binIndices(yProb: number[], edges: number[]): number[] {
  const inner = edges.slice(1, -1);
  return yProb.map((p) => {
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}

/**
 * The reliability curve (scikit-learn's `calibration_curve`): cut the predicted probabilities into bins and
 * return, for each non-empty bin, the observed fraction of positives and the mean predicted probability. A
 * calibrated model's points lie on the diagonal up to sampling noise. Bins and edge ties follow scikit-learn 1.2.
 */
export function calibrationCurve(yTrue: number[], yProb: number[], options: BinOptions & { posLabel?: number } = {}): CalibrationCurve {
  checkValuePair("calibrationCurve", ["yTrue", "yProb"], yTrue, yProb, ["finite", "probability"]);
  const { nBins, strategy } = binOptions("calibrationCurve", options, 5);
  const y = positives("calibrationCurve", yTrue, options.posLabel ?? 1);
  const edges = binEdges(yProb, nBins, strategy);
  const sums = new Array<number>(edges.length).fill(0);
  const hits = new Array<number>(edges.length).fill(0);
  const counts = new Array<number>(edges.length).fill(0);
  binIndices(yProb, edges).forEach((b, i) => {
    sums[b]! += yProb[i]!;
    hits[b]! += y[i]!;
    counts[b]!++;
  });
  const filled = counts.map((c, b) => b).filter((b) => counts[b]! > 0);
  return {
    probTrue: filled.map((b) => hits[b]! / counts[b]!),
    probPred: filled.map((b) => sums[b]! / counts[b]!),
    binCounts: filled.map((b) => counts[b]!),
    binEdges: edges,
  };
}

/**
 * Expected calibration error of binary probabilities: Σ over the reliability curve's bins of
 * (share of samples) · |fraction of positives − mean predicted probability|; 10 equal-width bins by default.
 * For a multiclass model's top-label ECE pass `correct` (0/1) as yTrue and the top probability as yProb.
 */
export function expectedCalibrationError(yTrue: number[], yProb: number[], options: BinOptions & { posLabel?: number } = {}): number {
  const curve = calibrationCurve(yTrue, yProb, { nBins: options.nBins ?? 10, strategy: options.strategy, posLabel: options.posLabel });
  return curve.binCounts.reduce((s, n, b) => s + n * Math.abs(curve.probTrue[b]! - curve.probPred[b]!), 0) / yTrue.length;
}

/** Mean squared difference between the predicted probability of the positive class and the 0/1 outcome (scikit-learn's `brier_score_loss`). */
export function brierScoreLoss(yTrue: number[], yProb: number[], options: { sampleWeight?: number[]; posLabel?: number } = {}): number {
  checkValuePair("brierScoreLoss", ["yTrue", "yProb"], yTrue, yProb, ["finite", "probability"]);
  const y = positives("brierScoreLoss", yTrue, options.posLabel ?? 1);
  const weights = options.sampleWeight ?? yTrue.map(() => 1);
  checkValuePair("brierScoreLoss", ["yTrue", "sampleWeight"], yTrue, weights);
  const total = weights.reduce((s, w) => s + w, 0);
  checkParam("brierScoreLoss: sampleWeight", weights, weights.every((w) => w >= 0) && total > 0, "non-negative weights with a positive sum");
  return weights.reduce((s, w, i) => s + w * (yProb[i]! - y[i]!) ** 2, 0) / total;
}

export interface BrierDecomposition {
  /** Σ_b (n_b/n)(probPred_b − probTrue_b)²: how far the bins are from the diagonal (lower is better). */
  reliability: number;
  /** Σ_b (n_b/n)(probTrue_b − ō)²: how much the bins' outcome rates differ from the base rate ō (higher is better). */
  resolution: number;
  /** ō(1 − ō): the Brier score of always predicting the base rate; a property of the data, not the model. */
  uncertainty: number;
  /** The Brier score of the binned forecasts (each sample predicted by its bin's mean probability). */
  binnedBrier: number;
}

/**
 * Murphy's (1973) decomposition over the reliability curve's bins: binned Brier = reliability − resolution +
 * uncertainty, exactly. When all forecasts within a bin are equal (discrete forecasts, one value per bin) the
 * binned Brier score is the Brier score itself; otherwise they differ by a within-bin term.
 */
export function brierDecomposition(yTrue: number[], yProb: number[], options: BinOptions & { posLabel?: number } = {}): BrierDecomposition {
  const curve = calibrationCurve(yTrue, yProb, { nBins: options.nBins ?? 10, strategy: options.strategy, posLabel: options.posLabel });
  const n = yTrue.length;
  const baseRate = curve.binCounts.reduce((s, c, b) => s + c * curve.probTrue[b]!, 0) / n;
  const weighted = (f: (b: number) => number) => curve.binCounts.reduce((s, c, b) => s + (c / n) * f(b), 0);
  const binned = weighted((b) => curve.probTrue[b]! * (1 - curve.probPred[b]!) ** 2 + (1 - curve.probTrue[b]!) * curve.probPred[b]! ** 2);
  return {
    reliability: weighted((b) => (curve.probPred[b]! - curve.probTrue[b]!) ** 2),
    resolution: weighted((b) => (curve.probTrue[b]! - baseRate) ** 2),
    uncertainty: baseRate * (1 - baseRate),
    binnedBrier: binned,
  };
}

/**
 * Probabilities of the positive class learnt where it had prior `trainPrior`, re-expressed for a population
 * where it has prior `targetPrior` (Saerens et al. 2002): p' = p·r₁ / (p·r₁ + (1 − p)·r₀) with
 * r₁ = targetPrior/trainPrior and r₀ = (1 − targetPrior)/(1 − trainPrior). A model trained with "balanced"
 * class weights or on a balanced resample has trainPrior 0.5. Exact when the class-conditional densities are unchanged.
 */
export function priorShift(yProb: number[], options: { trainPrior: number; targetPrior: number }): number[] {
  checkValues("priorShift", "yProb", yProb, "probability");
  for (const name of ["trainPrior", "targetPrior"] as const) {
    const v = options[name];
    checkParam(`priorShift: ${name}`, v, typeof v === "number" && v > 0 && v < 1, "a prior strictly between 0 and 1");
  }
  const r1 = options.targetPrior / options.trainPrior;
  const r0 = (1 - options.targetPrior) / (1 - options.trainPrior);
  return yProb.map((p) => (p * r1) / (p * r1 + (1 - p) * r0));
}
