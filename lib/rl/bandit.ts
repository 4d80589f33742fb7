/**
 * A contextual-bandit recommender simulator: each round a user of one segment (the context) arrives, the policy
 * shows one item (the arm), and the user clicks with that segment's click rate for the item. Regret is the
 * pseudo-regret Σ (best click rate for the segment − click rate of the item shown): the clicks lost in
 * expectation to not knowing the rates, free of the click noise.
 */
import type { Random } from "../random";
import { argmaxRandomTie } from "./td-control";

export interface BanditPolicy {
  name: string;
  /** The arm to show to a user of segment `context`. */
  select(context: number, rng: Random): number;
  /** Learns from the observed reward (1 = click). */
  update(context: number, arm: number, reward: number): void;
}

function checkRates(clickRates: readonly (readonly number[])[]): [number, number] {
  const nContexts = clickRates.length;
  const nArms = clickRates[0]?.length ?? 0;
  if (nContexts < 1 || nArms < 1) throw new RangeError("bandit: clickRates must be a non-empty [segment][item] table");
  clickRates.forEach((row, c) => {
    if (row.length !== nArms) throw new RangeError(`bandit: clickRates[${c}] has ${row.length} items, expected ${nArms}`);
    row.forEach((p, a) => {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`bandit: clickRates[${c}][${a}] = ${p} is not a probability`);
    });
  });
  return [nContexts, nArms];
}

/** Running click counts and means per (segment, item), the state of the learning policies. */
class ArmStatistics {
  readonly counts: number[][];
  readonly means: number[][];
  constructor(nContexts: number, nArms: number) {
    this.counts = Array.from({ length: nContexts }, () => new Array<number>(nArms).fill(0));
    this.means = Array.from({ length: nContexts }, () => new Array<number>(nArms).fill(0));
  }
  update(context: number, arm: number, reward: number): void {
    const n = (this.counts[context]![arm]! += 1);
    this.means[context]![arm]! += (reward - this.means[context]![arm]!) / n;
  }
}

export function randomPolicy(nArms: number): BanditPolicy {
  return { name: "random", select: (_c, rng) => rng.int(0, nArms), update: () => undefined };
}

/**
 * Per segment: a random item with probability ε, else the item with the best click rate so far (ties at random).
 * Items never shown in a segment count as best (`tryEachFirst`, the default), as in UCB1; without it, the first
 * click locks the greedy choice onto whichever item got it until exploration happens to correct it.
 */
export function epsilonGreedyBandit(nContexts: number, nArms: number, epsilon: number, { tryEachFirst = true } = {}): BanditPolicy {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilonGreedyBandit: epsilon must be in [0, 1], got ${epsilon}`);
  const stats = new ArmStatistics(nContexts, nArms);
  const greedy = (c: number, rng: Random): number => {
    const untried = tryEachFirst ? stats.counts[c]!.flatMap((n, a) => (n === 0 ? [a] : [])) : [];
    return untried.length > 0 ? rng.choice(untried) : argmaxRandomTie(stats.means[c]!, rng);
  };
  return {
    name: `ε-greedy (ε = ${epsilon})`,
    select: (c, rng) => (rng.random() < epsilon ? rng.int(0, nArms) : greedy(c, rng)),
    update: (c, a, r) => stats.update(c, a, r),
  };
}

/** UCB1 per segment: show each item once, then the item maximising mean + c · √(ln t / n) (Auer et al., 2002; c = √2). */
export function ucbBandit(nContexts: number, nArms: number, c = Math.SQRT2): BanditPolicy {
  const stats = new ArmStatistics(nContexts, nArms);
  const rounds = new Array<number>(nContexts).fill(0);
  return {
    name: "UCB1",
    select: (context, rng) => {
      const counts = stats.counts[context]!;
      const untried = counts.flatMap((n, a) => (n === 0 ? [a] : []));
      if (untried.length > 0) return rng.choice(untried);
      const t = rounds[context]!;
      return argmaxRandomTie(stats.means[context]!.map((m, a) => m + c * Math.sqrt(Math.log(t) / counts[a]!)), rng);
    },
    update: (context, arm, reward) => {
      rounds[context]! += 1;
      stats.update(context, arm, reward);
    },
  };
}

export interface BanditRun {
  /** Pseudo-regret summed up to and including each round. */
  cumulativeRegret: number[];
  clicks: number;
}

/** Plays `rounds` rounds: a segment drawn uniformly, the policy's item, a Bernoulli click. */
export function runBandit(clickRates: readonly (readonly number[])[], policy: BanditPolicy, rounds: number, rng: Random): BanditRun {
  const [nContexts, nArms] = checkRates(clickRates);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`runBandit: rounds must be a positive integer, got ${rounds}`);
  const best = clickRates.map((row) => Math.max(...row));
  const cumulativeRegret: number[] = [];
  let [regret, clicks] = [0, 0];
  for (let t = 0; t < rounds; t += 1) {
    const context = rng.int(0, nContexts);
    const arm = policy.select(context, rng);
    if (!Number.isInteger(arm) || arm < 0 || arm >= nArms) throw new RangeError(`runBandit: policy ${policy.name} chose item ${arm}, not in [0, ${nArms})`);
    const reward = rng.random() < clickRates[context]![arm]! ? 1 : 0;
    policy.update(context, arm, reward);
    regret += best[context]! - clickRates[context]![arm]!;
    clicks += reward;
    cumulativeRegret.push(regret);
  }
  return { cumulativeRegret, clicks };
}

/** The random policy's expected regret after `rounds` rounds: rounds × mean over segments of (best rate − mean rate). */
export function randomPolicyExpectedRegret(clickRates: readonly (readonly number[])[], rounds: number): number {
  checkRates(clickRates);
  const perRound = clickRates.map((row) => Math.max(...row) - row.reduce((a, b) => a + b, 0) / row.length);
  return (rounds * perRound.reduce((a, b) => a + b, 0)) / clickRates.length;
}
