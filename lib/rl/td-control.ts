/**
 * Model-free control on a tabular MDP that the agent may only sample: Q-learning (off-policy, bootstraps on
 * max_a' Q(s', a')) and SARSA (on-policy, bootstraps on the action it will really take next). The Q-table is
 * [nStates][nActions]; greedy choices break ties at random, so an all-zero table does not always pick action 0.
 */
import type { Random } from "../random";
import { step, type TabularMdp } from "./mdp";

/** A Q-table of zeros: one row per state, one column per action. */
export function createQTable(nStates: number, nActions: number): number[][] {
  if (!Number.isInteger(nStates) || nStates < 1 || !Number.isInteger(nActions) || nActions < 1) {
    throw new RangeError(`createQTable: need positive integer sizes, got ${nStates} states × ${nActions} actions`);
  }
  return Array.from({ length: nStates }, () => new Array<number>(nActions).fill(0));
}

/** The index of a largest value; among equal maxima, one chosen uniformly at random. */
export function argmaxRandomTie(values: readonly number[], rng: Random): number {
  if (values.length === 0) throw new RangeError("argmaxRandomTie: empty row");
  let best = -Infinity;
  let ties: number[] = [];
  values.forEach((v, a) => {
    if (Number.isNaN(v)) throw new RangeError(`argmaxRandomTie: value ${a} is NaN`);
    if (v > best) [best, ties] = [v, [a]];
    else if (v === best) ties.push(a);
  });
  return ties.length === 1 ? ties[0]! : rng.choice(ties);
}

/** With probability ε a uniformly random action (which may be the greedy one), otherwise the greedy action. */
export function epsilonGreedy(qRow: readonly number[], epsilon: number, rng: Random): number {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilonGreedy: epsilon must be in [0, 1], got ${epsilon}`);
  return rng.random() < epsilon ? rng.int(0, qRow.length) : argmaxRandomTie(qRow, rng);
}

/** P(action) under ε-greedy when the greedy action is unique: 1 − ε + ε/|A| for it, ε/|A| for each other action. */
export function epsilonGreedyProbabilities(nActions: number, greedyAction: number, epsilon: number): number[] {
  return Array.from({ length: nActions }, (_, a) => (a === greedyAction ? 1 - epsilon + epsilon / nActions : epsilon / nActions));
}

export interface TdControlOptions {
  episodes: number;
  /** Step size α. */
  alpha: number;
  gamma: number;
  /** Exploration rate, constant or per episode (e.g. a decaying schedule). */
  epsilon: number | ((episode: number) => number);
  /** Start state of every episode. */
  start: number;
  /** An episode is cut after this many steps (bootstrapping, not treated as terminal). */
  maxSteps?: number;
  rng: Random;
  /** Continue from this Q-table (copied, not modified) instead of zeros, e.g. to evaluate the policy between episodes. */
  initialQ?: readonly (readonly number[])[];
}

export interface TdControlResult {
  q: number[][];
  /** Undiscounted sum of rewards of each training episode. */
  episodeReturns: number[];
  episodeLengths: number[];
}

type Rule = "q-learning" | "sarsa";

function tdControl(mdp: TabularMdp, options: TdControlOptions, rule: Rule): TdControlResult {
  const { episodes, alpha, gamma, start, maxSteps = 1000, rng } = options;
  if (!Number.isInteger(episodes) || episodes < 1) throw new RangeError(`${rule}: episodes must be a positive integer, got ${episodes}`);
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`${rule}: alpha must be in (0, 1], got ${alpha}`);
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`${rule}: gamma must be in [0, 1], got ${gamma}`);
  if (mdp.isTerminal(start)) throw new RangeError(`${rule}: start state ${start} is terminal`);
  const epsilonAt = typeof options.epsilon === "number" ? () => options.epsilon as number : options.epsilon;
  const q = createQTable(mdp.nStates, mdp.nActions);
  if (options.initialQ) {
    const init = options.initialQ;
    if (init.length !== mdp.nStates || init.some((row) => row.length !== mdp.nActions)) throw new RangeError(`${rule}: initialQ must be [${mdp.nStates}][${mdp.nActions}]`);
    init.forEach((row, s) => row.forEach((v, a) => (q[s]![a] = v)));
  }
  const [episodeReturns, episodeLengths] = [[] as number[], [] as number[]];
  for (let episode = 0; episode < episodes; episode += 1) {
    const epsilon = epsilonAt(episode);
    let state = start;
    let action = epsilonGreedy(q[state]!, epsilon, rng);
    let [total, steps] = [0, 0];
    for (; steps < maxSteps; ) {
      const o = step(mdp, state, action, rng);
      total += o.reward;
      steps += 1;
      // SARSA picks its next action before the update, from the same ε-greedy policy, and bootstraps on it;
      // Q-learning bootstraps on the greedy value and picks its next action from the updated table.
      const sarsaNext = !o.done && rule === "sarsa" ? epsilonGreedy(q[o.nextState]!, epsilon, rng) : -1;
      const bootstrap = o.done ? 0 : rule === "q-learning" ? Math.max(...q[o.nextState]!) : q[o.nextState]![sarsaNext]!;
      const row = q[state]!;
      row[action]! += alpha * (o.reward + gamma * bootstrap - row[action]!);
      if (o.done) break;
      [state, action] = [o.nextState, rule === "sarsa" ? sarsaNext : epsilonGreedy(q[o.nextState]!, epsilon, rng)];
    }
    episodeReturns.push(total);
    episodeLengths.push(steps);
  }
  return { q, episodeReturns, episodeLengths };
}

/** Q(s, a) ← Q(s, a) + α · (r + γ · max_a' Q(s', a') − Q(s, a)), acting ε-greedily; the target at a terminal step is r alone. */
export function qLearning(mdp: TabularMdp, options: TdControlOptions): TdControlResult {
  return tdControl(mdp, options, "q-learning");
}

/** Q(s, a) ← Q(s, a) + α · (r + γ · Q(s', a') − Q(s, a)) with a' the ε-greedy action actually taken next. */
export function sarsa(mdp: TabularMdp, options: TdControlOptions): TdControlResult {
  return tdControl(mdp, options, "sarsa");
}
