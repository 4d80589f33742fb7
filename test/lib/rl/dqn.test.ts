import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { DqnAgent, doubleDqnTargets, MlpQNetwork, ReplayBuffer, tdTargets, type Transition } from "../../../lib/rl/dqn";
import { oneHotState, thresholdOptimalActions, thresholdReward } from "../../../lib/rl/threshold-game";

before(async () => {
  await setupTf({ seed: 0, announce: false });
});

test("TD targets by hand: r alone at terminal steps, r + γ·max Q_target(s′) otherwise", () => {
  assert.deepEqual(tdTargets([1, 0.5, -1], [true, false, false], [[9, 9], [2, 4], [-3, -1]], 0.5), [1, 0.5 + 2, -1 - 0.5]);
  // Double DQN: the online net picks action 0 in row 1 (5 > 1), the target net values it at 2, not at its own max 4.
  assert.deepEqual(doubleDqnTargets([0, 0], [false, true], [[5, 1], [0, 9]], [[2, 4], [7, 7]], 0.5), [1, 0]);
  assert.throws(() => tdTargets([1], [true, false], [[0]], 0.9), /must match/);
});

test("replay buffer: keeps the newest `capacity` transitions, refuses to sample more than it holds", () => {
  const buffer = new ReplayBuffer(3);
  const t = (k: number): Transition => ({ state: [k], action: 0, reward: k, nextState: [k], done: true });
  for (let k = 0; k < 5; k += 1) buffer.push(t(k));
  assert.equal(buffer.size, 3);
  const seen = new Set(buffer.sample(200, new Random(0)).map((x) => x.reward));
  assert.deepEqual([...seen].sort(), [2, 3, 4]);
  assert.throws(() => new ReplayBuffer(3).sample(1, new Random(0)), /holds 0/);
});

test("the target network changes only at sync steps; targets come from it, not from the online net", () => {
  const agent = new DqnAgent({ inputSize: 2, hidden: 4, nActions: 2, gamma: 0.9, learningRate: 0.05, targetSyncEvery: 3, rng: new Random(1) });
  const batch: Transition[] = [{ state: [1, 0], action: 0, reward: 1, nextState: [0, 1], done: false }];
  const targetQ = () => agent.target.predict([[0, 1]])[0]!;
  const before = targetQ();
  agent.trainStep(batch);
  agent.trainStep(batch);
  assert.deepEqual(targetQ(), before, "unchanged before the 3rd step");
  assert.notDeepEqual(agent.online.predict([[0, 1]])[0], before, "the online net moved");
  const expected = 1 + 0.9 * Math.max(...targetQ());
  assert.ok(Math.abs(agent.targets(batch)[0]! - expected) < 1e-6);
  agent.trainStep(batch);
  assert.deepEqual(targetQ(), agent.online.predict([[0, 1]])[0], "synced at step 3");
  agent.dispose();
});

test("DQN learns the threshold game's optimal action in every state, without leaking tensors", () => {
  const start = tf.memory().numTensors;
  const rng = new Random(3);
  const agent = new DqnAgent({ inputSize: 10, hidden: 16, nActions: 2, gamma: 0.9, learningRate: 0.01, targetSyncEvery: 50, rng });
  const buffer = new ReplayBuffer(1000);
  for (let episode = 0; episode < 300; episode += 1) {
    const state = rng.int(0, 10);
    const action = rng.int(0, 2); // Q-learning is off-policy: a random behaviour is enough here
    buffer.push({ state: oneHotState(state), action, reward: thresholdReward(state, action), nextState: oneHotState(rng.int(0, 10)), done: true });
    if (buffer.size >= 64) agent.trainStep(buffer.sample(32, rng));
  }
  const q = agent.online.predict(Array.from({ length: 10 }, (_, s) => oneHotState(s)));
  q.forEach((row, s) => assert.ok(thresholdOptimalActions(s).includes(row[0]! >= row[1]! ? 0 : 1), `state ${s}: ${row}`));
  agent.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test("MlpQNetwork: the same seed builds the same weights; copyFrom copies them", () => {
  const [a, b] = [new MlpQNetwork(3, 5, 2, new Random(7)), new MlpQNetwork(3, 5, 2, new Random(7))];
  assert.deepEqual(a.predict([[1, 2, 3]]), b.predict([[1, 2, 3]]));
  const c = new MlpQNetwork(3, 5, 2, new Random(8));
  c.copyFrom(a);
  assert.deepEqual(c.predict([[1, 2, 3]]), a.predict([[1, 2, 3]]));
  [a, b, c].forEach((n) => n.dispose());
});
