import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { emptyBoard, legalMoves, mctsAgent, mctsMove, minimax, minimaxAgent, minimaxPositions, optimalMoves, play, playGame, randomAgent, winner } from "../../../lib/rl/tictactoe";

test("minimax: the empty board is a draw, 5,478 reachable positions, every first move draws with perfect play", () => {
  assert.equal(minimax(emptyBoard()), 0);
  assert.equal(minimaxPositions(), 5478);
  assert.deepEqual(optimalMoves(emptyBoard(), 1), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test("winner and hand positions: X to win in one, O must block", () => {
  assert.equal(winner([1, 1, 1, 2, 2, 0, 0, 0, 0]), 1);
  assert.equal(winner([1, 2, 1, 1, 2, 2, 2, 1, 1]), 0);
  assert.equal(winner(emptyBoard()), null);
  assert.equal(minimax([1, 1, 0, 2, 2, 0, 0, 0, 0]), 1);
  assert.ok(optimalMoves([1, 1, 0, 2, 2, 0, 0, 0, 0], 1).includes(2));
  assert.deepEqual(optimalMoves([1, 0, 1, 0, 2, 0, 0, 0, 0], 2), [1]); // O must block X's top row, and then holds the draw
  assert.equal(minimax([1, 2, 1, 0, 2, 0, 0, 0, 0]), 0);
  assert.throws(() => play([1, 0, 0, 0, 0, 0, 0, 0, 0], 0, 2), /taken/);
  assert.equal(mctsMove([1, 1, 0, 2, 2, 0, 0, 0, 0], 1, new Random(0), { simulations: 200 }), 2);
  assert.equal(mctsMove([1, 0, 1, 0, 2, 0, 0, 0, 0], 2, new Random(0), { simulations: 400 }), 1);
});

test("minimax never loses to random; MCTS (800 playouts) never loses to random in 100 games", () => {
  const rng = new Random(4);
  for (let g = 0; g < 100; g += 1) {
    assert.notEqual(g % 2 === 0 ? playGame(minimaxAgent, randomAgent, rng) : playGame(randomAgent, minimaxAgent, rng), g % 2 === 0 ? 2 : 1);
  }
  const mcts = mctsAgent({ simulations: 800 });
  for (let g = 0; g < 100; g += 1) {
    const result = g % 2 === 0 ? playGame(mcts, randomAgent, rng) : playGame(randomAgent, mcts, rng);
    assert.notEqual(result, g % 2 === 0 ? 2 : 1, `game ${g}`);
  }
  assert.equal(legalMoves([1, 2, 1, 2, 1, 2, 0, 0, 0]).length, 3);
});
