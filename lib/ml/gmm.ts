/**
 * Gaussian mixture models fitted by expectation–maximisation, in scikit-learn's shape
 * (`sklearn.mixture.GaussianMixture`):
 *
 *   const gmm = new GaussianMixture({ nComponents: 3, covarianceType: "full", seed: 0 }).fit(X);
 *   gmm.weights_, gmm.means_, gmm.covariances_;        // mixing weights, [k][d], [k][d][d] ("full")
 *   gmm.predictProba(X);                                // responsibilities P(component | x)
 *   gmm.lowerBoundHistory_;                             // mean log-likelihood per EM iteration, never decreasing
 *
 * E-step: responsibilities r_ik = π_k N(x_i | μ_k, Σ_k) / Σ_j π_j N(x_i | μ_j, Σ_j), in log space.
 * M-step: N_k = Σ_i r_ik, π_k = N_k / n, μ_k = Σ_i r_ik x_i / N_k, Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k + regCovar·I.
 * As scikit-learn, `lowerBound_` is the mean log-likelihood of the parameters before the last M-step, and
 * the iterations stop when it changes by less than `tol`.
 */
import { Random } from "../random";
import { KMeans } from "./kmeans";
import { NotFittedError, checkMatrix, checkParam, type Labels, type Matrix } from "./base";

export type CovarianceType = "full" | "diag" | "spherical";

export interface GaussianMixtureParams {
  nComponents: number;
  /** "full": one d×d matrix per component; "diag": one variance per feature; "spherical": one variance. */
  covarianceType: CovarianceType;
  /** Stop when the mean log-likelihood changes by less than tol between iterations. */
  tol: number;
  /** Added to every variance (the diagonal), so that no component collapses onto one point. */
  regCovar: number;
  maxIter: number;
  /** Restarts; the one with the highest final lower bound is kept. */
  nInit: number;
  /** "kmeans": responsibilities from one k-means run; "random_from_data": nComponents distinct rows as means. */
  initParams: "kmeans" | "random_from_data";
  /** Starting parameters, as scikit-learn's weights_init / means_init / precisions_init ("full": [k][d][d]). */
  weightsInit: number[] | null;
  meansInit: Matrix | null;
  precisionsInit: Matrix[] | null;
  /** Seed of the initialisation (scikit-learn's random_state). */
  seed: number;
}

interface Parameters {
  weights: number[];
  means: Matrix;
  /** Always stored as full d×d matrices; "diag" and "spherical" keep them diagonal. */
  covariances: Matrix[];
}

/** A Cholesky factor L (Σ = L Lᵀ) and log|Σ|, for log-densities. */
interface Factor {
  lower: Matrix;
  logDet: number;
}

export class GaussianMixture {
  readonly params: Readonly<GaussianMixtureParams>;
  weights_?: number[];
  means_?: Matrix;
  /** "full": [k][d][d]; "diag": [k][d]; "spherical": [k] (as scikit-learn). */
  covariances_?: Matrix[] | Matrix | number[];
  /** Mean log-likelihood per sample of the best run, before its last M-step. */
  lowerBound_?: number;
  /** Best run: the mean log-likelihood at the start of each iteration (EM never lets it fall). */
  lowerBoundHistory_?: number[];
  nIter_?: number;
  converged_?: boolean;
  nFeaturesIn_?: number;
  private fitted?: Parameters;
  private factors?: Factor[];

  constructor(params: Partial<GaussianMixtureParams> = {}) {
    this.params = {
      nComponents: 1, covarianceType: "full", tol: 1e-3, regCovar: 1e-6, maxIter: 100, nInit: 1, initParams: "kmeans",
      weightsInit: null, meansInit: null, precisionsInit: null, seed: 0, ...params,
    };
    const { nComponents, covarianceType, tol, regCovar, maxIter, nInit, initParams, seed } = this.params;
    checkParam("nComponents", nComponents, Number.isInteger(nComponents) && nComponents >= 1, "an integer ≥ 1");
    checkParam("covarianceType", covarianceType, ["full", "diag", "spherical"].includes(covarianceType), '"full", "diag" or "spherical"');
    checkParam("tol", tol, tol >= 0, "≥ 0");
    checkParam("regCovar", regCovar, regCovar >= 0 && Number.isFinite(regCovar), "a finite number ≥ 0");
    checkParam("maxIter", maxIter, Number.isInteger(maxIter) && maxIter >= 1, "an integer ≥ 1");
    checkParam("nInit", nInit, Number.isInteger(nInit) && nInit >= 1, "an integer ≥ 1");
    checkParam("initParams", initParams, initParams === "kmeans" || initParams === "random_from_data", '"kmeans" or "random_from_data"');
    checkParam("seed", seed, Number.isInteger(seed), "an integer");
  }

  fit(X: Matrix): this {
    const [rows, columns] = checkMatrix(X);
    const { nComponents, nInit, maxIter, tol, weightsInit, meansInit, precisionsInit, seed } = this.params;
    checkParam("nComponents", nComponents, nComponents <= rows, `≤ the number of samples (${rows})`);
    if (weightsInit) checkParam("weightsInit", weightsInit, weightsInit.length === nComponents && weightsInit.every((w) => w > 0) && Math.abs(weightsInit.reduce((s, w) => s + w, 0) - 1) < 1e-8, `${nComponents} positive weights summing to 1`);
    if (meansInit) {
      checkParam("meansInit", meansInit, meansInit.length === nComponents, `${nComponents} rows (nComponents)`);
      checkMatrix(meansInit, "meansInit", columns);
    }
    if (precisionsInit) checkParam("precisionsInit", precisionsInit, this.params.covarianceType === "full" && precisionsInit.length === nComponents && precisionsInit.every((p) => p.length === columns && p.every((r) => r.length === columns)), `${nComponents} matrices of ${columns}×${columns} (covarianceType "full")`);
    this.nFeaturesIn_ = columns;
    const rng = new Random(seed);
    let best: { parameters: Parameters; history: number[]; nIter: number; converged: boolean } | undefined;
    for (let run = 0; run < nInit; run++) {
      let parameters = this.initialParameters(X, rng);
      let factors = parameters.covariances.map((c, k) => factorOrThrow(c, k));
      const history: number[] = [];
      let converged = false;
      let iter = 0;
      for (iter = 1; iter <= maxIter; iter++) {
        const { meanLogLikelihood, responsibilities } = eStep(X, parameters.weights, parameters.means, factors);
        history.push(meanLogLikelihood);
        parameters = this.mStep(X, responsibilities);
        factors = parameters.covariances.map((c, k) => factorOrThrow(c, k));
        if (history.length > 1 && Math.abs(meanLogLikelihood - history[history.length - 2]!) < tol) {
          converged = true;
          break;
        }
      }
      const candidate = { parameters: parameters, history: history, nIter: Math.min(iter, maxIter), converged: converged };
      if (!best || candidate.history.at(-1)! > best.history.at(-1)!) best = candidate;
    }
    this.fitted = best!.parameters;
    this.factors = this.fitted.covariances.map((c, k) => factorOrThrow(c, k));
    this.weights_ = this.fitted.weights;
    this.means_ = this.fitted.means;
    const type = this.params.covarianceType;
    this.covariances_ = type === "full" ? this.fitted.covariances : type === "diag" ? this.fitted.covariances.map((c) => c.map((r, j) => r[j]!)) : this.fitted.covariances.map((c) => c[0]![0]!);
    this.lowerBoundHistory_ = best!.history;
    this.lowerBound_ = best!.history.at(-1)!;
    this.nIter_ = best!.nIter;
    this.converged_ = best!.converged;
    return this;
  }

  /** [samples][components]: P(component k | x), the responsibilities. */
  predictProba(X: Matrix): Matrix {
    const { weights, means } = this.checkInput(X);
    return eStep(X, weights, means, this.factors!).responsibilities;
  }

  /** The most responsible component of each row. */
  predict(X: Matrix): Labels {
    return this.predictProba(X).map((row) => row.reduce((best, v, k) => (v > row[best]! ? k : best), 0));
  }

  fitPredict(X: Matrix): Labels {
    return this.fit(X).predict(X);
  }

  /** log p(x) of each row under the mixture. */
  scoreSamples(X: Matrix): number[] {
    const { weights, means } = this.checkInput(X);
    return logJoint(X, weights, means, this.factors!).map(logSumExp);
  }

  /** Mean log-likelihood per sample (scikit-learn's score). */
  score(X: Matrix): number {
    const values = this.scoreSamples(X);
    return values.reduce((s, v) => s + v, 0) / values.length;
  }

  private checkInput(X: Matrix): Parameters {
    if (!this.fitted) throw new NotFittedError("GaussianMixture");
    checkMatrix(X, "X", this.nFeaturesIn_);
    return this.fitted;
  }

  private initialParameters(X: Matrix, rng: Random): Parameters {
    const { nComponents, initParams, weightsInit, meansInit, precisionsInit } = this.params;
    const n = X.length;
    let responsibilities: Matrix;
    if (initParams === "kmeans") {
      const labels = new KMeans({ nClusters: nComponents, nInit: 1, seed: rng.int(0, 2 ** 31) }).fit(X).labels_!;
      responsibilities = labels.map((label) => Array.from({ length: nComponents }, (_, k) => (k === label ? 1 : 0)));
    } else {
      const chosen = rng.sampleIndices(n, nComponents);
      responsibilities = X.map((_, i) => Array.from({ length: nComponents }, (_, k) => (chosen[k] === i ? 1 : 0)));
    }
    const start = this.mStep(X, responsibilities);
    return {
      weights: weightsInit ? [...weightsInit] : start.weights,
      means: meansInit ? meansInit.map((m) => [...m]) : start.means,
      covariances: precisionsInit ? precisionsInit.map((p, k) => invertSymmetric(p, `precisionsInit[${k}]`)) : start.covariances,
    };
  }

  private mStep(X: Matrix, responsibilities: Matrix): Parameters {
    const { nComponents, covarianceType, regCovar } = this.params;
    const d = X[0]!.length;
    const tiny = 10 * Number.EPSILON; // scikit-learn adds it to N_k so that an empty component divides by > 0
    const counts = Array.from({ length: nComponents }, (_, k) => responsibilities.reduce((s, r) => s + r[k]!, 0) + tiny);
    const means = counts.map((nk, k) => Array.from({ length: d }, (_, j) => X.reduce((s, x, i) => s + responsibilities[i]![k]! * x[j]!, 0) / nk));
    const covariances = counts.map((nk, k) => {
      const c = Array.from({ length: d }, () => new Array<number>(d).fill(0));
      X.forEach((x, i) => {
        const r = responsibilities[i]![k]!;
        for (let a = 0; a < d; a++) {
          const da = x[a]! - means[k]![a]!;
          for (let b = 0; b <= a; b++) c[a]![b]! += r * da * (x[b]! - means[k]![b]!);
        }
      });
      for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) c[a]![b] = c[b]![a] = c[a]![b]! / nk;
      if (covarianceType === "full") {
        for (let a = 0; a < d; a++) c[a]![a]! += regCovar;
        return c;
      }
      const variances = c.map((row, a) => row[a]! + regCovar);
      const shared = variances.reduce((s, v) => s + v, 0) / d; // "spherical": the mean of the diagonal
      return c.map((row, a) => row.map((_, b) => (a === b ? (covarianceType === "diag" ? variances[a]! : shared) : 0)));
    });
    const n = X.length;
    return { weights: counts.map((nk) => nk / n), means: means, covariances: covariances };
  }
}

/** log(π_k) + log N(x_i | μ_k, Σ_k) for every row and component. */
function logJoint(X: Matrix, weights: number[], means: Matrix, factors: Factor[]): Matrix {
  const d = X[0]!.length;
  return X.map((x) => factors.map(({ lower, logDet }, k) => {
    // Mahalanobis distance by forward substitution: solve L z = x − μ, then ‖z‖².
    const z = new Array<number>(d);
    let squared = 0;
    for (let a = 0; a < d; a++) {
      let s = x[a]! - means[k]![a]!;
      for (let b = 0; b < a; b++) s -= lower[a]![b]! * z[b]!;
      z[a] = s / lower[a]![a]!;
      squared += z[a]! ** 2;
    }
    return Math.log(weights[k]!) - 0.5 * (d * Math.log(2 * Math.PI) + logDet + squared);
  }));
}

function eStep(X: Matrix, weights: number[], means: Matrix, factors: Factor[]): { meanLogLikelihood: number; responsibilities: Matrix } {
  const joint = logJoint(X, weights, means, factors);
  let total = 0;
  const responsibilities = joint.map((row) => {
    const norm = logSumExp(row);
    total += norm;
    return row.map((v) => Math.exp(v - norm));
  });
  return { meanLogLikelihood: total / X.length, responsibilities: responsibilities };
}

function logSumExp(values: number[]): number {
  const top = Math.max(...values);
  if (top === -Infinity) return -Infinity;
  return top + Math.log(values.reduce((s, v) => s + Math.exp(v - top), 0));
}

/** Cholesky factor of a covariance, or an error naming the component (a collapsed one needs regCovar > 0). */
function factorOrThrow(covariance: Matrix, component: number): Factor {
  const lower = cholesky(covariance);
  if (!lower) throw new RangeError(`GaussianMixture: the covariance of component ${component} is not positive definite (a component collapsed onto too few points); increase regCovar`);
  return { lower: lower, logDet: 2 * lower.reduce((s, row, a) => s + Math.log(row[a]!), 0) };
}

function cholesky(A: Matrix): Matrix | null {
  const d = A.length;
  const L = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let s = A[a]![b]!;
      for (let c = 0; c < b; c++) s -= L[a]![c]! * L[b]![c]!;
      if (a === b) {
        if (!(s > 0)) return null;
        L[a]![a] = Math.sqrt(s);
      } else {
        L[a]![b] = s / L[b]![b]!;
      }
    }
  }
  return L;
}

/** The inverse of a symmetric positive-definite matrix (precisions → covariances), via its Cholesky factor. */
function invertSymmetric(A: Matrix, name: string): Matrix {
  const L = cholesky(A);
  if (!L) throw new RangeError(`${name} must be symmetric positive definite`);
  const d = A.length;
  // Solve A x = e_j for each column j: L y = e_j, then Lᵀ x = y.
  const columns = Array.from({ length: d }, (_, j) => {
    const y = new Array<number>(d).fill(0);
    for (let a = 0; a < d; a++) {
      let s = a === j ? 1 : 0;
      for (let b = 0; b < a; b++) s -= L[a]![b]! * y[b]!;
      y[a] = s / L[a]![a]!;
    }
    const x = new Array<number>(d).fill(0);
    for (let a = d - 1; a >= 0; a--) {
      let s = y[a]!;
      for (let b = a + 1; b < d; b++) s -= L[b]![a]! * x[b]!;
      x[a] = s / L[a]![a]!;
    }
    return x;
  });
  return Array.from({ length: d }, (_, a) => columns.map((column) => column[a]!));
}
