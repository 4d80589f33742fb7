/**
 * A finite (tabular) Markov decision process: states 0 … nStates−1, actions 0 … nActions−1, and for every
 * (state, action) the list of outcomes with their probabilities. Terminal states have no outgoing outcomes
 * that matter: an outcome with `done: true` ends the episode, and the value of what follows it is 0.
 */
import type { Random } from "../random";

export interface Outcome {
  probability: number;
  nextState: number;
  reward: number;
  /** The episode ends after this transition (the next state's value is not added). */
  done: boolean;
}

export interface TabularMdp {
  nStates: number;
  nActions: number;
  /** Outcomes of taking `action` in `state`; probabilities sum to 1. */
  outcomes(state: number, action: number): readonly Outcome[];
  /** States where an episode never is (already over): no decision is made there. */
  isTerminal(state: number): boolean;
  /** Optional names, for tables and arrows. */
  actionNames?: readonly string[];
}

/** Throws, naming the state and action, when an MDP's outcomes are not a probability distribution over valid states. */
export function validateMdp(mdp: TabularMdp): void {
  if (!Number.isInteger(mdp.nStates) || mdp.nStates < 1) throw new RangeError(`validateMdp: nStates must be a positive integer, got ${mdp.nStates}`);
  if (!Number.isInteger(mdp.nActions) || mdp.nActions < 1) throw new RangeError(`validateMdp: nActions must be a positive integer, got ${mdp.nActions}`);
  for (let s = 0; s < mdp.nStates; s += 1) {
    if (mdp.isTerminal(s)) continue;
    for (let a = 0; a < mdp.nActions; a += 1) {
      const outcomes = mdp.outcomes(s, a);
      let total = 0;
      for (const o of outcomes) {
        if (!Number.isInteger(o.nextState) || o.nextState < 0 || o.nextState >= mdp.nStates) {
          throw new RangeError(`validateMdp: state ${s}, action ${a} leads to invalid state ${o.nextState}`);
        }
        if (!(o.probability >= 0) || !Number.isFinite(o.reward)) throw new RangeError(`validateMdp: state ${s}, action ${a} has probability ${o.probability}, reward ${o.reward}`);
        total += o.probability;
      }
      if (Math.abs(total - 1) > 1e-12) throw new RangeError(`validateMdp: outcome probabilities of state ${s}, action ${a} sum to ${total}, not 1`);
    }
  }
}

export function assertStateAction(mdp: TabularMdp, state: number, action: number, where: string): void {
  if (!Number.isInteger(state) || state < 0 || state >= mdp.nStates) throw new RangeError(`${where}: state must be an integer in [0, ${mdp.nStates}), got ${state}`);
  if (!Number.isInteger(action) || action < 0 || action >= mdp.nActions) throw new RangeError(`${where}: action must be an integer in [0, ${mdp.nActions}), got ${action}`);
}

/** Samples one transition, as an environment's `step` would. */
export function step(mdp: TabularMdp, state: number, action: number, rng: Random): Outcome {
  assertStateAction(mdp, state, action, "step");
  if (mdp.isTerminal(state)) throw new RangeError(`step: state ${state} is terminal; start a new episode`);
  const outcomes = mdp.outcomes(state, action);
  let u = rng.random();
  for (const o of outcomes) {
    u -= o.probability;
    if (u < 0) return o;
  }
  return outcomes[outcomes.length - 1]!; // rounding: u was within 1e-12 of the total
}

/** An MDP given as explicit tables: outcomes[s][a] (the form tiny test MDPs and brute force use). */
export function tableMdp(outcomes: Outcome[][][], terminal: readonly number[] = [], actionNames?: readonly string[]): TabularMdp {
  const nActions = outcomes[0]?.length ?? 0;
  const terminalSet = new Set(terminal);
  const mdp: TabularMdp = {
    nStates: outcomes.length,
    nActions,
    outcomes: (s, a) => outcomes[s]![a]!,
    isTerminal: (s) => terminalSet.has(s),
    ...(actionNames ? { actionNames } : {}),
  };
  validateMdp(mdp);
  return mdp;
}

/** The same MDP with every reward r(s, a, s') replaced by `reward(s, a, outcome)`; used for shaping and reward-design experiments. */
export function withRewards(mdp: TabularMdp, reward: (state: number, action: number, outcome: Outcome) => number): TabularMdp {
  return {
    ...mdp,
    outcomes: (s, a) => mdp.outcomes(s, a).map((o) => ({ ...o, reward: reward(s, a, o) })),
  };
}
