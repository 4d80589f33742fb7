/**
 * The bias–variance decomposition of the expected squared error, measured from repeated fits:
 * fit the same procedure on R independently drawn training sets, predict the same test points each time,
 * and split the error against the noise-free truth f(x):
 *
 *   E[(f̂(x) − y)²] = (E f̂(x) − f(x))²  +  Var f̂(x)  +  σ²        (y = f(x) + ε, ε independent, variance σ²)
 *                     bias²               variance     noise
 *
 *   const predictions = rounds.map((r) => fitOn(trainingSet(r)).predict(Xtest));  // [R][test points]
 *   const { bias2, variance, expectedError } = biasVarianceDecomposition(predictions, truthAtTest, σ²);
 *
 * Like mlxtend's `bias_variance_decomp`, the variance is the population variance over the R rounds (divided by
 * R), so bias² + variance is exactly the mean over rounds of (f̂ − f)²; both are averaged over the test points.
 */
import { checkParam } from "./base";

export interface BiasVarianceDecomposition {
  /** E f̂(x) at each test point: the mean prediction over the rounds. */
  meanPrediction: number[];
  /** (E f̂(x) − f(x))² at each test point. */
  pointBias2: number[];
  /** Var f̂(x) over the rounds at each test point. */
  pointVariance: number[];
  /** Mean of pointBias2 over the test points. */
  bias2: number;
  /** Mean of pointVariance over the test points. */
  variance: number;
  /** σ², as given. */
  noise: number;
  /** bias2 + variance + noise: the expected squared error on a fresh noisy target. */
  expectedError: number;
}

/**
 * @param predictions [rounds][test points]: each round's predictions at the same test points (≥ 2 rounds).
 * @param truth the noise-free target f(x) at each test point.
 * @param noiseVariance σ² of the target noise (0 to decompose the error against f itself).
 */
export function biasVarianceDecomposition(predictions: number[][], truth: number[], noiseVariance = 0): BiasVarianceDecomposition {
  const where = "biasVarianceDecomposition";
  checkParam(`${where}: predictions`, predictions, Array.isArray(predictions) && predictions.length >= 2, "an array of ≥ 2 rounds of predictions");
  checkParam(`${where}: truth`, truth, Array.isArray(truth) && truth.length >= 1, "a non-empty array of numbers");
  checkParam(`${where}: noiseVariance`, noiseVariance, typeof noiseVariance === "number" && Number.isFinite(noiseVariance) && noiseVariance >= 0, "a finite number ≥ 0");
  truth.forEach((v, i) => checkParam(`${where}: truth[${i}]`, v, typeof v === "number" && Number.isFinite(v), "a finite number"));
  predictions.forEach((round, r) => {
    checkParam(`${where}: predictions[${r}]`, round, Array.isArray(round) && round.length === truth.length, `an array of ${truth.length} predictions (one per truth value)`);
    round.forEach((v, i) => checkParam(`${where}: predictions[${r}][${i}]`, v, typeof v === "number" && Number.isFinite(v), "a finite number"));
  });
  const rounds = predictions.length;
  const meanPrediction = truth.map((_, i) => predictions.reduce((s, round) => s + round[i]!, 0) / rounds);
  const pointBias2 = truth.map((f, i) => (meanPrediction[i]! - f) ** 2);
  const pointVariance = truth.map((_, i) => predictions.reduce((s, round) => s + (round[i]! - meanPrediction[i]!) ** 2, 0) / rounds);
  const average = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const bias2 = average(pointBias2);
  const variance = average(pointVariance);
  return { meanPrediction, pointBias2, pointVariance, bias2, variance, noise: noiseVariance, expectedError: bias2 + variance + noiseVariance };
}
