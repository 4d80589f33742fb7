/**
 * The chain MDP: states 0 … n−1 in a line, actions 0 = left and 1 = right (deterministic; left at state 0 stays).
 * Entering the last state pays `reward` and ends the episode; every other move pays 0. With discount γ the optimal
 * value has a closed form: from a state d = n−1−s steps away, the reward arrives on the d-th move, so
 * V*(s) = γ^(d−1) · reward.
 */
import { tableMdp, type Outcome, type TabularMdp } from "./mdp";

export function chainMdp(nStates: number, reward = 1): TabularMdp {
  if (!Number.isInteger(nStates) || nStates < 2) throw new RangeError(`chainMdp: nStates must be an integer ≥ 2, got ${nStates}`);
  const goal = nStates - 1;
  const move = (s: number, next: number): Outcome[] => [{ probability: 1, nextState: next, reward: next === goal ? reward : 0, done: next === goal }];
  return tableMdp(
    Array.from({ length: nStates }, (_, s) => [move(s, Math.max(0, s - 1)), move(s, Math.min(goal, s + 1))]),
    [goal],
    ["left", "right"],
  );
}

/** V*(s) = γ^(d(s)−1) · reward with d(s) = n−1−s; 0 at the terminal state. */
export function chainOptimalValues(nStates: number, gamma: number, reward = 1): number[] {
  return Array.from({ length: nStates }, (_, s) => (s === nStates - 1 ? 0 : gamma ** (nStates - 2 - s) * reward));
}
