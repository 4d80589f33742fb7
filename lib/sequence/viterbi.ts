/**
 * Exact decoding of a linear chain (an HMM or a linear-chain CRF) in log space: the highest-scoring tag
 * sequence by Viterbi, the log partition function by the forward algorithm, and brute-force enumeration of
 * all K^T sequences, the independent truth both are checked against (and that notebook 18 shows).
 *
 * A path's score is  start[y0] + Σ_t emissions[t][y_t] + Σ_t transitions[y_{t-1}][y_t] + end[y_{T-1}].
 * For an HMM these are log π, log P(x_t | y_t) and log A (`hmmScores` builds them), so the best path is the
 * MAP tag sequence and the log partition is log P(x). For a CRF they are learned unnormalised scores.
 *
 *   const { path, score } = viterbi(emissions, transitions, { start, end });
 */

export interface ChainScores {
  /** [T][K] log-score of tag k at step t */
  emissions: readonly (readonly number[])[];
  /** [K][K] log-score of moving from tag i to tag j */
  transitions: readonly (readonly number[])[];
  /** [K] log-score of starting in tag k (default 0) */
  start?: readonly number[];
  /** [K] log-score of ending in tag k (default 0) */
  end?: readonly number[];
}

export interface Decoded {
  /** [T] tag ids */
  path: number[];
  /** the path's total log-score */
  score: number;
}

/** Validates the shapes; returns [T, K]. −Infinity is allowed (a forbidden tag or move); NaN and +Infinity are not. */
function checkChain(caller: string, { emissions, transitions, start, end }: ChainScores): [number, number] {
  if (!Array.isArray(emissions) || emissions.length === 0) throw new RangeError(`${caller}: emissions must be a non-empty [T][K] array`);
  const K = Array.isArray(emissions[0]) ? emissions[0].length : 0;
  if (K === 0) throw new RangeError(`${caller}: emissions[0] must be a non-empty array of K tag scores`);
  const checkRow = (name: string, row: unknown, length: number) => {
    if (!Array.isArray(row) || row.length !== length) {
      throw new RangeError(`${caller}: ${name} must have ${length} scores (K = ${K} tags), got ${Array.isArray(row) ? row.length : typeof row}`);
    }
    row.forEach((v: unknown, k) => {
      if (typeof v !== "number" || Number.isNaN(v) || v === Infinity) throw new RangeError(`${caller}: ${name}[${k}] is ${String(v)}; scores must be finite or −Infinity`);
    });
  };
  emissions.forEach((row, t) => checkRow(`emissions[${t}]`, row, K));
  if (!Array.isArray(transitions) || transitions.length !== K) throw new RangeError(`${caller}: transitions must be [K][K] = [${K}][${K}], got ${Array.isArray(transitions) ? transitions.length : typeof transitions} rows`);
  transitions.forEach((row, i) => checkRow(`transitions[${i}]`, row, K));
  if (start !== undefined) checkRow("start", start, K);
  if (end !== undefined) checkRow("end", end, K);
  return [emissions.length, K];
}

/** The log-score of one tag sequence (the quantity Viterbi maximises). */
export function pathScore(path: readonly number[], chain: ChainScores): number {
  const [T, K] = checkChain("pathScore", chain);
  if (path.length !== T) throw new RangeError(`pathScore: path has ${path.length} tags for T = ${T} steps`);
  path.forEach((tag, t) => {
    if (!Number.isInteger(tag) || tag < 0 || tag >= K) throw new RangeError(`pathScore: path[${t}] = ${tag} is not a tag id in 0…${K - 1}`);
  });
  const { emissions, transitions, start, end } = chain;
  let score = (start?.[path[0]!] ?? 0) + (end?.[path[T - 1]!] ?? 0);
  path.forEach((tag, t) => {
    score += emissions[t]![tag]!;
    if (t > 0) score += transitions[path[t - 1]!]![tag]!;
  });
  return score;
}

/** The best tag sequence by dynamic programming, O(T·K²); ties go to the lower tag id. */
export function viterbi(emissions: ChainScores["emissions"], transitions: ChainScores["transitions"], options: Pick<ChainScores, "start" | "end"> = {}): Decoded {
  const chain = { emissions, transitions, ...options };
  const [T, K] = checkChain("viterbi", chain);
  // best[k]: score of the best path ending in tag k at the current step; back[t][k]: its previous tag.
  let best = Array.from({ length: K }, (_, k) => (options.start?.[k] ?? 0) + emissions[0]![k]!);
  const back: number[][] = [];
  for (let t = 1; t < T; t++) {
    const previous = best;
    const pointers = new Array<number>(K);
    best = Array.from({ length: K }, (_, j) => {
      let argmax = 0;
      for (let i = 1; i < K; i++) if (previous[i]! + transitions[i]![j]! > previous[argmax]! + transitions[argmax]![j]!) argmax = i;
      pointers[j] = argmax;
      return previous[argmax]! + transitions[argmax]![j]! + emissions[t]![j]!;
    });
    back.push(pointers);
  }
  const final = best.map((score, k) => score + (options.end?.[k] ?? 0));
  let last = 0;
  for (let k = 1; k < K; k++) if (final[k]! > final[last]!) last = k;
  const path = [last];
  for (let t = T - 2; t >= 0; t--) path.unshift(back[t]![path[0]!]!);
  return { path, score: final[last]! };
}

/** log Σ over all K^T paths of exp(score): the CRF's log partition function, or log P(x) for an HMM. O(T·K²). */
export function forwardLogPartition(emissions: ChainScores["emissions"], transitions: ChainScores["transitions"], options: Pick<ChainScores, "start" | "end"> = {}): number {
  const [T, K] = checkChain("forwardLogPartition", { emissions, transitions, ...options });
  let alpha = Array.from({ length: K }, (_, k) => (options.start?.[k] ?? 0) + emissions[0]![k]!);
  for (let t = 1; t < T; t++) {
    const previous = alpha;
    alpha = Array.from({ length: K }, (_, j) => logSumExp(previous.map((a, i) => a + transitions[i]![j]!)) + emissions[t]![j]!);
  }
  return logSumExp(alpha.map((a, k) => a + (options.end?.[k] ?? 0)));
}

function logSumExp(values: readonly number[]): number {
  const max = Math.max(...values);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(values.reduce((sum, v) => sum + Math.exp(v - max), 0));
}

/** At most this many paths are enumerated (3 tags × 12 steps is 531,441). */
export const MAX_ENUMERATED_PATHS = 1_000_000;

/**
 * Scores every one of the K^T tag sequences: the best (first in lexicographic order among ties) and the
 * log-sum-exp of all. The independent truth for `viterbi` and `forwardLogPartition`, for tiny chains only.
 */
export function bruteForceDecode(emissions: ChainScores["emissions"], transitions: ChainScores["transitions"], options: Pick<ChainScores, "start" | "end"> = {}): Decoded & { logPartition: number; nPaths: number } {
  const chain = { emissions, transitions, ...options };
  const [T, K] = checkChain("bruteForceDecode", chain);
  const nPaths = K ** T;
  if (nPaths > MAX_ENUMERATED_PATHS) throw new RangeError(`bruteForceDecode: K^T = ${K}^${T} = ${nPaths} paths is more than ${MAX_ENUMERATED_PATHS}; use viterbi`);
  let best: Decoded = { path: [], score: -Infinity };
  const scores: number[] = [];
  const path = new Array<number>(T).fill(0);
  for (let n = 0; n < nPaths; n++) {
    // path = n written in base K, most significant digit first: lexicographic order
    for (let t = T - 1, rest = n; t >= 0; t--, rest = Math.floor(rest / K)) path[t] = rest % K;
    const score = pathScore(path, chain);
    scores.push(score);
    if (score > best.score || best.path.length === 0) best = { path: [...path], score };
  }
  return { ...best, logPartition: logSumExp(scores), nPaths };
}

export interface HiddenMarkovModel {
  /** [K] P(y0 = k) */
  initial: readonly number[];
  /** [K][K] P(y_t = j | y_{t-1} = i), rows sum to 1 */
  transition: readonly (readonly number[])[];
  /** [K][V] P(x_t = v | y_t = k), rows sum to 1 */
  emission: readonly (readonly number[])[];
}

/** An HMM's probabilities as chain log-scores for an observation sequence ([T] symbol ids in 0…V−1). */
export function hmmScores(hmm: HiddenMarkovModel, observations: readonly number[]): Required<ChainScores> {
  const { initial, transition, emission } = hmm;
  const K = initial.length;
  const checkDistribution = (name: string, row: readonly number[] | undefined, length: number) => {
    if (!Array.isArray(row) || row.length !== length) throw new RangeError(`hmmScores: ${name} must have ${length} probabilities, got ${Array.isArray(row) ? row.length : typeof row}`);
    const total = row.reduce((s, p) => s + p, 0);
    if (row.some((p) => !(p >= 0 && p <= 1)) || Math.abs(total - 1) > 1e-9) throw new RangeError(`hmmScores: ${name} must be probabilities summing to 1, got [${row.join(", ")}]`);
  };
  checkDistribution("initial", initial, K);
  if (transition.length !== K) throw new RangeError(`hmmScores: transition must have K = ${K} rows, got ${transition.length}`);
  transition.forEach((row, i) => checkDistribution(`transition[${i}]`, row, K));
  if (emission.length !== K) throw new RangeError(`hmmScores: emission must have K = ${K} rows, got ${emission.length}`);
  const V = emission[0]?.length ?? 0;
  emission.forEach((row, k) => checkDistribution(`emission[${k}]`, row, V));
  if (observations.length === 0) throw new RangeError("hmmScores: observations is empty");
  observations.forEach((v, t) => {
    if (!Number.isInteger(v) || v < 0 || v >= V) throw new RangeError(`hmmScores: observations[${t}] = ${v} is not a symbol id in 0…${V - 1}`);
  });
  return {
    emissions: observations.map((v) => emission.map((row) => Math.log(row[v]!))),
    transitions: transition.map((row) => row.map(Math.log)),
    start: initial.map(Math.log),
    end: new Array<number>(K).fill(0),
  };
}
