/**
 * Reward shaping. Potential-based shaping (Ng, Harada & Russell, 1999) adds F(s, s') = γ·Φ(s') − Φ(s), with
 * Φ = 0 after a terminal transition; then Q'(s, a) = Q(s, a) − Φ(s) for every policy's Q, so the optimal
 * policy cannot change. Any other bonus can: `progressBonus` pays for moving closer to the goal and charges
 * nothing for moving away, so walking back and forth earns forever (reward hacking).
 */
import { withRewards, type TabularMdp } from "./mdp";

export function potentialShaping(mdp: TabularMdp, potential: (state: number) => number, gamma: number): TabularMdp {
  return withRewards(mdp, (s, _a, o) => o.reward + (o.done ? 0 : gamma * potential(o.nextState)) - potential(s));
}

/** Adds `bonus` to every transition that lowers `distance` (and nothing when it rises): a naive, loop-rewarding shaping. */
export function progressBonus(mdp: TabularMdp, distance: (state: number) => number, bonus: number): TabularMdp {
  return withRewards(mdp, (s, _a, o) => o.reward + (distance(o.nextState) < distance(s) ? bonus : 0));
}
