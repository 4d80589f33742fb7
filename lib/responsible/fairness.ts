/**
 * Group fairness metrics for a binary decision (notebook 34), as fairlearn defines them.
 *
 *   groupRates(yTrue, yPred, group)                     // per group: selection rate, TPR, FPR
 *   demographicParityDifference(yPred, group)           // max − min selection rate
 *   equalOpportunityDifference(yTrue, yPred, group)     // max − min true-positive rate
 *   perGroupThresholds(scores, yTrue, group, { rate: "true-positive", target: 0.8 })
 */

export interface GroupRate {
  group: string;
  count: number;
  /** P(ŷ = 1 | group) */
  selectionRate: number;
  /** P(ŷ = 1 | y = 1, group); NaN when the group has no positives. */
  truePositiveRate: number;
  /** P(ŷ = 1 | y = 0, group); NaN when the group has no negatives. */
  falsePositiveRate: number;
}

type Group = string | number;

/** Selection rate, true- and false-positive rate of each group, groups in first-seen order. */
export function groupRates(yTrue: readonly number[], yPred: readonly number[], group: readonly Group[]): GroupRate[] {
  checkBinary("groupRates", "yTrue", yTrue);
  checkBinary("groupRates", "yPred", yPred);
  checkLengths("groupRates", yTrue.length, [yPred.length, group.length]);
  const names = [...new Set(group.map(String))];
  return names.map((name) => {
    const members = group.flatMap((g, i) => (String(g) === name ? [i] : []));
    const rate = (rows: number[]) => (rows.length === 0 ? NaN : rows.filter((i) => yPred[i] === 1).length / rows.length);
    return {
      group: name,
      count: members.length,
      selectionRate: rate(members),
      truePositiveRate: rate(members.filter((i) => yTrue[i] === 1)),
      falsePositiveRate: rate(members.filter((i) => yTrue[i] === 0)),
    };
  });
}

/** Demographic parity difference: the largest minus the smallest selection rate over the groups. */
export function demographicParityDifference(yPred: readonly number[], group: readonly Group[]): number {
  return spread(groupRates(yPred.map(() => 0), yPred, group).map((g) => g.selectionRate), "demographicParityDifference", "selection rate");
}

/** Equal opportunity difference: the largest minus the smallest true-positive rate over the groups. */
export function equalOpportunityDifference(yTrue: readonly number[], yPred: readonly number[], group: readonly Group[]): number {
  return spread(groupRates(yTrue, yPred, group).map((g) => g.truePositiveRate), "equalOpportunityDifference", "true-positive rate (a group has no positives)");
}

/**
 * One threshold per group so that each group's selection rate (or true-positive rate) is as close to `target`
 * as its scores allow: the k-th highest score, k = round(target · m), of the group's m members (or positives).
 * Predict ŷ = 1 when score ≥ the group's threshold.
 */
export function perGroupThresholds(
  scores: readonly number[],
  yTrue: readonly number[],
  group: readonly Group[],
  options: { rate: "selection" | "true-positive"; target: number },
): Map<string, number> {
  const { rate, target } = options;
  if (!(target > 0 && target <= 1)) throw new RangeError(`perGroupThresholds: target must be in (0, 1], got ${target}`);
  checkBinary("perGroupThresholds", "yTrue", yTrue);
  checkLengths("perGroupThresholds", scores.length, [yTrue.length, group.length]);
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new RangeError(`perGroupThresholds: scores[${i}] is ${s}, not a finite number`);
  });
  const thresholds = new Map<string, number>();
  for (const name of new Set(group.map(String))) {
    const pool = scores.filter((_, i) => String(group[i]) === name && (rate === "selection" || yTrue[i] === 1)).sort((a, b) => b - a);
    if (pool.length === 0) throw new RangeError(`perGroupThresholds: group ${name} has no ${rate === "selection" ? "members" : "positives"}`);
    const k = Math.max(1, Math.round(target * pool.length));
    thresholds.set(name, pool[k - 1]!);
  }
  return thresholds;
}

/** ŷ = 1 where the score reaches its group's threshold. */
export function applyGroupThresholds(scores: readonly number[], group: readonly Group[], thresholds: ReadonlyMap<string, number>): number[] {
  checkLengths("applyGroupThresholds", scores.length, [group.length]);
  return scores.map((s, i) => {
    const t = thresholds.get(String(group[i]));
    if (t === undefined) throw new RangeError(`applyGroupThresholds: no threshold for group ${String(group[i])} (row ${i})`);
    return s >= t ? 1 : 0;
  });
}

function spread(values: number[], where: string, what: string): number {
  if (values.length < 2) throw new RangeError(`${where}: need at least two groups, got ${values.length}`);
  if (values.some(Number.isNaN)) throw new RangeError(`${where}: undefined ${what}`);
  return Math.max(...values) - Math.min(...values);
}

function checkBinary(where: string, name: string, values: readonly number[]): void {
  values.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new RangeError(`${where}: ${name}[${i}] = ${v}; labels must be 0 or 1`);
  });
}

function checkLengths(where: string, expected: number, others: number[]): void {
  if (expected === 0) throw new RangeError(`${where}: no rows`);
  if (others.some((n) => n !== expected)) throw new RangeError(`${where}: arguments have different lengths (${[expected, ...others].join(", ")})`);
}
