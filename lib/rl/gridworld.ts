/**
 * Grid worlds as tabular MDPs: the deterministic 4×4 grid, its slippery variant and Sutton & Barto's cliff walk.
 * State = row · cols + column, row 0 at the top. Actions 0 up, 1 right, 2 down, 3 left; a move into the
 * border leaves the agent where it is. Entering the goal pays `goalReward` and ends the episode; entering a
 * cliff cell pays `cliffReward` and sends the agent back to the start (the episode goes on).
 */
import type { Outcome, TabularMdp } from "./mdp";
import { validateMdp } from "./mdp";

export const GRID_ACTIONS = ["up", "right", "down", "left"] as const;
export const GRID_ARROWS = ["↑", "→", "↓", "←"] as const;
const MOVES: ReadonlyArray<readonly [number, number]> = [[-1, 0], [0, 1], [1, 0], [0, -1]];

export interface GridWorldOptions {
  rows: number;
  cols: number;
  start: number;
  goal: number;
  /** Reward of every move that does not enter the goal or a cliff (default 0). */
  stepReward?: number;
  /** Reward for entering the goal (default 1). */
  goalReward?: number;
  /** Probability that a move goes to one of the two perpendicular directions instead, half each (default 0). */
  slip?: number;
  cliff?: readonly number[];
  /** Reward for stepping into a cliff cell (default −100). */
  cliffReward?: number;
}

export interface GridWorld extends TabularMdp {
  rows: number;
  cols: number;
  start: number;
  goal: number;
  cliff: ReadonlySet<number>;
  /** Manhattan distance from a state to the goal. */
  distanceToGoal(state: number): number;
}

export function gridWorld(options: GridWorldOptions): GridWorld {
  const { rows, cols, start, goal, stepReward = 0, goalReward = 1, slip = 0, cliffReward = -100 } = options;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new RangeError(`gridWorld: rows and cols must be positive integers, got ${rows}×${cols}`);
  const n = rows * cols;
  for (const [name, s] of [["start", start], ["goal", goal]] as const) {
    if (!Number.isInteger(s) || s < 0 || s >= n) throw new RangeError(`gridWorld: ${name} must be a cell in [0, ${n}), got ${s}`);
  }
  if (start === goal) throw new RangeError(`gridWorld: start and goal are both cell ${start}`);
  if (!(slip >= 0 && slip <= 1)) throw new RangeError(`gridWorld: slip must be in [0, 1], got ${slip}`);
  const cliff = new Set(options.cliff ?? []);
  for (const c of cliff) {
    if (!Number.isInteger(c) || c < 0 || c >= n || c === start || c === goal) throw new RangeError(`gridWorld: cliff cell ${c} must be inside the grid and differ from start and goal`);
  }
  const moveTo = (state: number, direction: number): number => {
    const [row, col] = [Math.floor(state / cols), state % cols];
    const [r, c] = [row + MOVES[direction]![0], col + MOVES[direction]![1]];
    return r < 0 || r >= rows || c < 0 || c >= cols ? state : r * cols + c;
  };
  const arrive = (probability: number, state: number, direction: number): Outcome => {
    const next = moveTo(state, direction);
    if (next === goal) return { probability, nextState: next, reward: goalReward, done: true };
    if (cliff.has(next)) return { probability, nextState: start, reward: cliffReward, done: false };
    return { probability, nextState: next, reward: stepReward, done: false };
  };
  const table: Outcome[][][] = Array.from({ length: n }, (_, s) =>
    Array.from({ length: 4 }, (_, a) => {
      if (slip === 0) return [arrive(1, s, a)];
      return [arrive(1 - slip, s, a), arrive(slip / 2, s, (a + 1) % 4), arrive(slip / 2, s, (a + 3) % 4)];
    }),
  );
  const [goalRow, goalCol] = [Math.floor(goal / cols), goal % cols];
  const world: GridWorld = {
    nStates: n,
    nActions: 4,
    actionNames: GRID_ACTIONS,
    outcomes: (s, a) => table[s]![a]!,
    // The cliff cells are never occupied (entering one teleports to the start), so no decision is made there either.
    isTerminal: (s) => s === goal || cliff.has(s),
    rows,
    cols,
    start,
    goal,
    cliff,
    distanceToGoal: (s) => Math.abs(Math.floor(s / cols) - goalRow) + Math.abs((s % cols) - goalCol),
  };
  validateMdp(world);
  return world;
}

/** The 4×4 grid: start top-left (0), goal bottom-right (15) worth +1, every other move 0; `slip` > 0 for the slippery variant. */
export function fourByFourGrid({ slip = 0 }: { slip?: number } = {}): GridWorld {
  return gridWorld({ rows: 4, cols: 4, start: 0, goal: 15, slip });
}

/** Sutton & Barto's cliff walk (example 6.6): 4×12, start bottom-left, goal bottom-right, the 10 cells between them a cliff; −1 per move, −100 for falling. */
export function cliffWalk(): GridWorld {
  const [rows, cols] = [4, 12];
  const bottom = (rows - 1) * cols;
  return gridWorld({
    rows,
    cols,
    start: bottom,
    goal: bottom + cols - 1,
    stepReward: -1,
    goalReward: -1,
    cliff: Array.from({ length: cols - 2 }, (_, k) => bottom + 1 + k),
    cliffReward: -100,
  });
}

/** The cells a policy visits from the start when every move goes where it points (at most `maxSteps`), for drawing and checking paths. */
export function greedyPath(world: GridWorld, policy: readonly number[], maxSteps = world.nStates): number[] {
  const path = [world.start];
  let state = world.start;
  for (let k = 0; k < maxSteps && !world.isTerminal(state); k += 1) {
    const o = world.outcomes(state, policy[state]!)[0]!; // the intended move comes first
    state = o.nextState;
    path.push(o.done ? world.goal : state);
    if (o.done) break;
  }
  return path;
}
