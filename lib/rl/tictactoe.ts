/**
 * Tic-tac-toe, the Go analogue small enough to solve exactly: a board is 9 cells (0 empty, 1 = X, 2 = O), X moves
 * first. `minimax` gives the exact game value with memoisation (5,478 reachable positions); `mctsMove` is UCT
 * Monte-Carlo tree search with random playouts, the search at the heart of AlphaGo without the networks.
 */
import type { Random } from "../random";

export type Player = 1 | 2;
export type Board = readonly number[];
export type Agent = (board: Board, player: Player, rng: Random) => number;

const LINES = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6]] as const;

export const emptyBoard = (): number[] => new Array<number>(9).fill(0);
export const other = (player: Player): Player => (player === 1 ? 2 : 1);

/** 1 or 2 for a win, 0 for a draw (full board), null while the game goes on. */
export function winner(board: Board): 0 | Player | null {
  for (const [a, b, c] of LINES) if (board[a] !== 0 && board[a] === board[b] && board[a] === board[c]) return board[a] as Player;
  return board.every((cell) => cell !== 0) ? 0 : null;
}

export function legalMoves(board: Board): number[] {
  return board.flatMap((cell, k) => (cell === 0 ? [k] : []));
}

/** The player to move: X when both have played equally often. */
export function toMove(board: Board): Player {
  const [x, o] = [board.filter((c) => c === 1).length, board.filter((c) => c === 2).length];
  if (x !== o && x !== o + 1) throw new RangeError(`toMove: ${x} X and ${o} O is not a position of the game`);
  return x === o ? 1 : 2;
}

const memo = new Map<string, number>();

/** Game value for X under perfect play from `board` (+1 X wins, 0 draw, −1 O wins). */
export function minimax(board: Board): number {
  const key = board.join("");
  const known = memo.get(key);
  if (known !== undefined) return known;
  const result = winner(board);
  let value: number;
  if (result !== null) value = result === 0 ? 0 : result === 1 ? 1 : -1;
  else {
    const player = toMove(board);
    const values = legalMoves(board).map((m) => minimax(play(board, m, player)));
    value = player === 1 ? Math.max(...values) : Math.min(...values);
  }
  memo.set(key, value);
  return value;
}

/** The number of positions `minimax` has evaluated (all reachable ones after one call on the empty board). */
export const minimaxPositions = (): number => memo.size;

export function play(board: Board, move: number, player: Player): number[] {
  if (board[move] !== 0) throw new RangeError(`play: cell ${move} is taken`);
  const next = [...board];
  next[move] = player;
  return next;
}

/** Every move that keeps the minimax value for `player`. */
export function optimalMoves(board: Board, player: Player): number[] {
  const scored = legalMoves(board).map((m) => ({ m, v: minimax(play(board, m, player)) * (player === 1 ? 1 : -1) }));
  const best = Math.max(...scored.map((s) => s.v));
  return scored.filter((s) => s.v === best).map((s) => s.m);
}

export const randomAgent: Agent = (board, _player, rng) => rng.choice(legalMoves(board));
export const minimaxAgent: Agent = (board, player, rng) => rng.choice(optimalMoves(board, player));

interface TreeNode {
  visits: number;
  /** Sum of results from the point of view of the player who made the move into this node (1 win, ½ draw, 0 loss). */
  value: number;
  children: Map<number, TreeNode>;
  untried: number[];
}

export interface MctsOptions {
  simulations?: number;
  /** Exploration constant of the UCB rule. */
  c?: number;
  /** Playout policy: uniformly random moves, or take a win / block an immediate loss when there is one ("win-or-block"). */
  playout?: "random" | "win-or-block";
}

/** A winning move if there is one, else a move that blocks the opponent's immediate win, else a random move. */
export function winOrBlockMove(board: Board, player: Player, rng: Random): number {
  const moves = legalMoves(board);
  for (const who of [player, other(player)]) {
    const decisive = moves.filter((m) => winner(play(board, m, who)) === who);
    if (decisive.length > 0) return rng.choice(decisive);
  }
  return rng.choice(moves);
}

const newNode = (board: Board): TreeNode => ({ visits: 0, value: 0, children: new Map(), untried: winner(board) === null ? legalMoves(board) : [] });

/**
 * UCT: `simulations` times, descend by the upper confidence bound value/visits + c·√(ln N / n), expand one
 * untried move, finish the game with random moves, and back the result up. Plays the most visited move.
 */
export function mctsMove(board: Board, player: Player, rng: Random, { simulations = 400, c = Math.SQRT2, playout = "random" }: MctsOptions = {}): number {
  if (winner(board) !== null) throw new RangeError("mctsMove: the game is over");
  const root = newNode(board);
  for (let k = 0; k < simulations; k += 1) {
    let node = root;
    let state = [...board];
    let mover = player;
    const path: { node: TreeNode; mover: Player }[] = [];
    while (node.untried.length === 0 && node.children.size > 0) {
      let best: [number, TreeNode] | null = null;
      let bestScore = -Infinity;
      for (const [move, child] of node.children) {
        const score = child.value / child.visits + c * Math.sqrt(Math.log(node.visits) / child.visits);
        if (score > bestScore) [bestScore, best] = [score, [move, child]];
      }
      state = play(state, best![0], mover);
      node = best![1];
      path.push({ node, mover });
      mover = other(mover);
    }
    if (node.untried.length > 0) {
      const move = node.untried.splice(rng.int(0, node.untried.length), 1)[0]!;
      state = play(state, move, mover);
      const child = newNode(state);
      node.children.set(move, child);
      node = child;
      path.push({ node, mover });
      mover = other(mover);
    }
    let result = winner(state);
    while (result === null) {
      state = play(state, playout === "random" ? rng.choice(legalMoves(state)) : winOrBlockMove(state, mover, rng), mover);
      mover = other(mover);
      result = winner(state);
    }
    root.visits += 1;
    for (const step of path) {
      step.node.visits += 1;
      step.node.value += result === 0 ? 0.5 : result === step.mover ? 1 : 0;
    }
  }
  let [bestMove, bestVisits] = [-1, -1];
  for (const [move, child] of root.children) if (child.visits > bestVisits) [bestMove, bestVisits] = [move, child.visits];
  return bestMove;
}

export const mctsAgent = (options: MctsOptions = {}): Agent => (board, player, rng) => mctsMove(board, player, rng, options);

/** Plays one game; returns the winner (1, 2) or 0 for a draw. */
export function playGame(agentX: Agent, agentO: Agent, rng: Random): 0 | Player {
  let board = emptyBoard();
  let player: Player = 1;
  for (;;) {
    const result = winner(board);
    if (result !== null) return result;
    const move = (player === 1 ? agentX : agentO)(board, player, rng);
    board = play(board, move, player);
    player = other(player);
  }
}
