/**
 * Hyper-parameter search in scikit-learn's shape (sklearn.model_selection): `crossValScore`, `ParameterGrid`'s
 * `parameterGrid`, `ParameterSampler`'s `sampleParameters`, `RandomizedSearchCV` and successive halving
 * (`HalvingSearchCV`, the idea of `HalvingRandomSearchCV` with a training resource such as epochs).
 *
 *   const search = new RandomizedSearchCV({
 *     estimator: (p) => new MLPClassifier({ ...p, epochs: 9 }),
 *     paramDistributions: { learningRate: { kind: "loguniform", low: 1e-4, high: 1e-1 }, hiddenUnits: { kind: "choice", values: [8, 16, 32] } },
 *     nIter: 20, cv: 3, seed: 0,
 *   }).fit(X, y);
 *   search.bestParams_; search.bestScore_; search.cvResults_;   // every candidate with its per-fold scores
 *
 * Every search is deterministic under its seed: the sampled configurations and the folds come from it, and the
 * estimator factory is responsible for seeding the model it returns.
 */
import { Random } from "../random";
import { kFold, type Split } from "../split";
import { checkMatrix, checkParam, checkTarget, type Classifier, type Labels, type Matrix } from "./base";

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

/** A distribution to sample one hyper-parameter from (scipy.stats' loguniform, uniform, randint, or a list). */
export type Distribution =
  | { kind: "loguniform"; low: number; high: number }
  | { kind: "uniform"; low: number; high: number }
  /** Integers in [low, high], both included. */
  | { kind: "int"; low: number; high: number }
  | { kind: "choice"; values: readonly ParamValue[] };

/** Builds an unfitted classifier from one configuration. */
export type EstimatorFactory = (params: Params) => Classifier<object>;

function checkDistribution(name: string, d: Distribution): void {
  if (d.kind === "choice") {
    checkParam(`paramDistributions.${name}.values`, d.values, Array.isArray(d.values) && d.values.length > 0, "a non-empty array");
    return;
  }
  if (d.kind !== "loguniform" && d.kind !== "uniform" && d.kind !== "int") {
    throw new RangeError(`paramDistributions.${name}.kind must be "loguniform", "uniform", "int" or "choice", got ${JSON.stringify((d as { kind: unknown }).kind)}`);
  }
  const ok = Number.isFinite(d.low) && Number.isFinite(d.high) && d.low <= d.high
    && (d.kind !== "loguniform" || d.low > 0) && (d.kind !== "int" || (Number.isInteger(d.low) && Number.isInteger(d.high)));
  const requirement = d.kind === "loguniform" ? "0 < low ≤ high" : d.kind === "int" ? "integers low ≤ high" : "finite low ≤ high";
  checkParam(`paramDistributions.${name}`, `[${d.low}, ${d.high}]`, ok, requirement);
}

function draw(d: Distribution, rng: Random): ParamValue {
  switch (d.kind) {
    case "loguniform": return Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)));
    case "uniform": return rng.uniform(d.low, d.high);
    case "int": return rng.int(d.low, d.high + 1);
    case "choice": return d.values[rng.int(0, d.values.length)]!;
  }
}

/**
 * `nIter` configurations drawn independently (scikit-learn's ParameterSampler): for each, every parameter in
 * the order of the keys, from its own distribution, with a `Random(seed)` stream.
 */
export function sampleParameters(distributions: Record<string, Distribution>, nIter: number, seed: number): Params[] {
  const names = Object.keys(distributions);
  checkParam("paramDistributions", distributions, names.length > 0, "a non-empty record of distributions");
  names.forEach((name) => checkDistribution(name, distributions[name]!));
  checkParam("nIter", nIter, Number.isInteger(nIter) && nIter >= 1, "an integer ≥ 1");
  checkParam("seed", seed, Number.isInteger(seed), "an integer");
  const rng = new Random(seed);
  return Array.from({ length: nIter }, () => Object.fromEntries(names.map((name) => [name, draw(distributions[name]!, rng)])));
}

/** Every combination of the listed values (scikit-learn's ParameterGrid), the last key varying fastest. */
export function parameterGrid(grid: Record<string, readonly ParamValue[]>): Params[] {
  const names = Object.keys(grid);
  checkParam("grid", grid, names.length > 0, "a non-empty record of value lists");
  names.forEach((name) => checkParam(`grid.${name}`, grid[name], Array.isArray(grid[name]) && grid[name]!.length > 0, "a non-empty array"));
  return names.reduce<Params[]>((combos, name) => combos.flatMap((combo) => grid[name]!.map((value) => ({ ...combo, [name]: value }))), [{}]);
}

/** The accuracy (`score`) of a fresh estimator fitted on each fold's training part, on its test part. */
export function crossValScore(makeEstimator: () => Classifier<object>, X: Matrix, y: Labels, folds: readonly Split[]): number[] {
  const [rows] = checkMatrix(X);
  checkTarget(y, rows);
  checkParam("folds", folds, Array.isArray(folds) && folds.length > 0, "a non-empty array of { train, test } splits");
  return folds.map(({ train, test }, f) => {
    [...train, ...test].forEach((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= rows) throw new RangeError(`crossValScore: folds[${f}] holds index ${i}, outside 0…${rows - 1}`);
    });
    const model = makeEstimator().fit(train.map((i) => X[i]!), train.map((i) => y[i]!));
    return model.score(test.map((i) => X[i]!), test.map((i) => y[i]!));
  });
}

/** `cv` as a number of folds (stratified, shuffled with the search's seed) or explicit splits. */
function resolveFolds(cv: number | readonly Split[], y: Labels, seed: number): Split[] {
  if (typeof cv === "number") {
    checkParam("cv", cv, Number.isInteger(cv) && cv >= 2, "an integer ≥ 2 or an array of splits");
    return kFold(y.length, { k: cv, shuffle: true, seed, stratify: y });
  }
  checkParam("cv", cv, Array.isArray(cv) && cv.length > 0, "an integer ≥ 2 or a non-empty array of splits");
  return [...cv];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** One evaluated configuration. */
export interface CandidateResult {
  params: Params;
  foldScores: number[];
  meanScore: number;
}

/** The best candidate: highest mean score, the first one on ties (scikit-learn's rank 1 with the lowest index). */
function bestOf(results: readonly CandidateResult[]): number {
  return results.reduce((best, r, i) => (r.meanScore > results[best]!.meanScore ? i : best), 0);
}

export interface RandomizedSearchParams {
  estimator: EstimatorFactory;
  paramDistributions: Record<string, Distribution>;
  /** Configurations to sample; default 10. */
  nIter?: number;
  /** Folds (stratified and shuffled with `seed`) or explicit splits; default 5. */
  cv?: number | readonly Split[];
  /** Seeds the sampled configurations and the folds; default 0. */
  seed?: number;
  /** Refit the best configuration on all of (X, y) as `bestEstimator_`; default true. */
  refit?: boolean;
}

/** Random search with k-fold cross-validation (scikit-learn's RandomizedSearchCV, accuracy as the score). */
export class RandomizedSearchCV {
  cvResults_?: CandidateResult[];
  bestIndex_?: number;
  bestParams_?: Params;
  bestScore_?: number;
  bestEstimator_?: Classifier<object>;
  folds_?: Split[];

  constructor(readonly params: Readonly<RandomizedSearchParams>) {
    checkParam("estimator", params.estimator, typeof params.estimator === "function", "a function from parameters to an unfitted classifier");
    sampleParameters(params.paramDistributions, params.nIter ?? 10, params.seed ?? 0); // validates early
  }

  fit(X: Matrix, y: Labels): this {
    const [rows] = checkMatrix(X);
    checkTarget(y, rows);
    const { estimator, paramDistributions, nIter = 10, cv = 5, seed = 0, refit = true } = this.params;
    const folds = resolveFolds(cv, y, seed);
    const results = sampleParameters(paramDistributions, nIter, seed).map((params) => {
      const foldScores = crossValScore(() => estimator(params), X, y, folds);
      return { params, foldScores, meanScore: mean(foldScores) };
    });
    const best = bestOf(results);
    this.cvResults_ = results;
    this.folds_ = folds;
    this.bestIndex_ = best;
    this.bestParams_ = results[best]!.params;
    this.bestScore_ = results[best]!.meanScore;
    if (refit) this.bestEstimator_ = estimator(this.bestParams_).fit(X, y);
    return this;
  }
}

export interface HalvingSearchParams {
  /** Builds the model for a configuration with its resource set (e.g. `(p) => new MLPClassifier(p)`). */
  estimator: EstimatorFactory;
  /** The configurations to race (e.g. from `sampleParameters`, so that a full search can be compared). */
  candidates: readonly Params[];
  /** Name of the integer parameter that is the budget of one fit (e.g. "epochs"). */
  resource: string;
  /** Budget of every candidate in the first rung. */
  minResource: number;
  /** Largest budget of a fit. */
  maxResource: number;
  /** Keep the best ⌈n / factor⌉ after each rung and multiply the budget by factor; default 3. */
  factor?: number;
  cv?: number | readonly Split[];
  seed?: number;
}

/** One rung of successive halving. */
export interface Rung {
  iteration: number;
  /** Budget of each fit in this rung. */
  resource: number;
  /** Indices into `candidates` raced in this rung, and their results at this budget. */
  candidates: number[];
  results: CandidateResult[];
  /** Indices promoted to the next rung (the best ⌈n / factor⌉), best first. */
  promoted: number[];
}

/**
 * Successive halving (Jamieson & Talwalkar 2016; scikit-learn's HalvingRandomSearchCV schedule): every candidate
 * gets `minResource`, the best ⌈n/factor⌉ are trained again from scratch with factor× the budget, and so on while
 * the budget stays ≤ maxResource and more than one candidate is left (iterations = min(1 + ⌊log_f(n)⌋,
 * 1 + ⌊log_f(max/min)⌋)). The best candidate of the last rung wins. `totalResource_` counts the budget of every fit
 * of every fold: Σ_rungs (candidates · resource · folds).
 */
export class HalvingSearchCV {
  rungs_?: Rung[];
  bestIndex_?: number;
  bestParams_?: Params;
  bestScore_?: number;
  totalResource_?: number;
  folds_?: Split[];

  constructor(readonly params: Readonly<HalvingSearchParams>) {
    const { estimator, candidates, resource, minResource, maxResource, factor = 3 } = params;
    checkParam("estimator", estimator, typeof estimator === "function", "a function from parameters to an unfitted classifier");
    checkParam("candidates", candidates, Array.isArray(candidates) && candidates.length > 0, "a non-empty array of configurations");
    checkParam("resource", resource, typeof resource === "string" && resource.length > 0, "the name of the budget parameter");
    checkParam("minResource", minResource, Number.isInteger(minResource) && minResource >= 1, "an integer ≥ 1");
    checkParam("maxResource", maxResource, Number.isInteger(maxResource) && maxResource >= minResource, `an integer ≥ minResource (${minResource})`);
    checkParam("factor", factor, Number.isInteger(factor) && factor >= 2, "an integer ≥ 2");
    candidates.forEach((c, i) => {
      if (resource in c) throw new RangeError(`candidates[${i}] sets the resource "${resource}", which successive halving chooses`);
    });
  }

  /** The schedule: the budget and the number of candidates of each rung (no training). */
  schedule(): { resource: number; candidates: number }[] {
    const { candidates, minResource, maxResource, factor = 3 } = this.params;
    const rungs: { resource: number; candidates: number }[] = [];
    let n = candidates.length;
    let budget = minResource;
    for (;;) {
      rungs.push({ resource: budget, candidates: n });
      if (n === 1 || budget * factor > maxResource) break;
      n = Math.ceil(n / factor);
      budget *= factor;
    }
    return rungs;
  }

  fit(X: Matrix, y: Labels): this {
    const [rows] = checkMatrix(X);
    checkTarget(y, rows);
    const { estimator, candidates, resource, cv = 5, seed = 0 } = this.params;
    const folds = resolveFolds(cv, y, seed);
    let alive = candidates.map((_, i) => i);
    const rungs: Rung[] = [];
    let total = 0;
    const plan = this.schedule();
    plan.forEach(({ resource: budget }, iteration) => {
      const results = alive.map((index) => {
        const params = { ...candidates[index]!, [resource]: budget };
        const foldScores = crossValScore(() => estimator(params), X, y, folds);
        total += budget * folds.length;
        return { params, foldScores, meanScore: mean(foldScores) };
      });
      // Stable ranking: higher mean first, then the lower candidate index.
      const ranked = alive.map((index, i) => ({ index, score: results[i]!.meanScore })).sort((a, b) => b.score - a.score || a.index - b.index);
      // The schedule's next rung size (⌈n / factor⌉); the last rung promotes its winner.
      const promoted = ranked.slice(0, plan[iteration + 1]?.candidates ?? 1).map((r) => r.index);
      rungs.push({ iteration, resource: budget, candidates: alive, results, promoted });
      alive = promoted;
    });
    const last = rungs[rungs.length - 1]!;
    const best = bestOf(last.results);
    this.rungs_ = rungs;
    this.folds_ = folds;
    this.totalResource_ = total;
    this.bestIndex_ = last.candidates[best]!;
    this.bestParams_ = last.results[best]!.params;
    this.bestScore_ = last.results[best]!.meanScore;
    return this;
  }
}
