/**
 * The S2-Q20 "game", fixed: a state 0 … 9 is drawn uniformly, the agent picks action 0 or 1, and the episode ends.
 * Action 0 pays +1 when the state is above 5, action 1 pays +1 below 5, anything else −1 (so state 5 pays −1
 * whatever the agent does). The best policy earns (9 − 1)/10 = 0.8 per episode, a random one −0.1.
 */
export const THRESHOLD_STATES = 10;

export function thresholdReward(state: number, action: number): number {
  if (!Number.isInteger(state) || state < 0 || state >= THRESHOLD_STATES) throw new RangeError(`thresholdReward: state must be an integer in [0, 10), got ${state}`);
  if (action === 0) return state > 5 ? 1 : -1;
  if (action === 1) return state < 5 ? 1 : -1;
  throw new RangeError(`thresholdReward: action must be 0 or 1, got ${action}`);
}

/** The best action of each state (state 5: both are equally bad, reported as [0, 1]). */
export function thresholdOptimalActions(state: number): number[] {
  return state === 5 ? [0, 1] : state > 5 ? [0] : [1];
}

export const THRESHOLD_OPTIMAL_MEAN = 0.8;
export const THRESHOLD_RANDOM_MEAN = -0.1;

/** One-hot encoding of a state (the network's input; the raw integer would impose an order and a scale). */
export function oneHotState(state: number): number[] {
  return Array.from({ length: THRESHOLD_STATES }, (_, k) => (k === state ? 1 : 0));
}
