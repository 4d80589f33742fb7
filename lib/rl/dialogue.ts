/**
 * A form-filling dialogue as a tabular MDP (the chatbot analogue): the bot must collect three slots (say date,
 * time and party size) and then submit the booking. State = the bitmask of filled slots (0 … 7), plus a terminal
 * state 8. Actions 0–2 ask for one slot: a scripted user answers with probability `answerRate` (otherwise the
 * turn is wasted); asking for a filled slot wastes the turn. Action 3 submits: +`successReward` if every slot is
 * filled, −`successReward` otherwise; both end the dialogue. Every turn costs `turnCost`.
 */
import { tableMdp, type Outcome, type TabularMdp } from "./mdp";

export const DIALOGUE_SLOTS = 3;
export const DIALOGUE_ACTIONS = ["ask date", "ask time", "ask party size", "submit"] as const;
export const DIALOGUE_DONE = 1 << DIALOGUE_SLOTS;

export function dialogueMdp({ answerRate = 0.8, turnCost = 1, successReward = 10 } = {}): TabularMdp {
  if (!(answerRate > 0 && answerRate <= 1)) throw new RangeError(`dialogueMdp: answerRate must be in (0, 1], got ${answerRate}`);
  const full = DIALOGUE_DONE - 1;
  const table: Outcome[][][] = Array.from({ length: DIALOGUE_DONE + 1 }, (_, filled) =>
    DIALOGUE_ACTIONS.map((_, action): Outcome[] => {
      if (filled === DIALOGUE_DONE) return [{ probability: 1, nextState: filled, reward: 0, done: true }];
      if (action === DIALOGUE_SLOTS) {
        return [{ probability: 1, nextState: DIALOGUE_DONE, reward: -turnCost + (filled === full ? successReward : -successReward), done: true }];
      }
      const answered = filled | (1 << action);
      if (answered === filled || answerRate === 1) return [{ probability: 1, nextState: answered, reward: -turnCost, done: false }];
      return [
        { probability: answerRate, nextState: answered, reward: -turnCost, done: false },
        { probability: 1 - answerRate, nextState: filled, reward: -turnCost, done: false },
      ];
    }),
  );
  return tableMdp(table, [DIALOGUE_DONE], DIALOGUE_ACTIONS);
}
