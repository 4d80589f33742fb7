import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { epsilonGreedyBandit, randomPolicy, randomPolicyExpectedRegret, runBandit, ucbBandit, type BanditPolicy } from "../../../lib/rl/bandit";

test("bandit: the random policy's regret matches its closed form; an oracle has zero regret", () => {
  const rates = [[0.5, 0.2, 0.1], [0.15, 0.45, 0.25]];
  const runs = Array.from({ length: 20 }, (_, seed) => runBandit(rates, randomPolicy(3), 2000, new Random(seed)).cumulativeRegret[1999]!);
  const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
  assert.ok(Math.abs(mean - randomPolicyExpectedRegret(rates, 2000)) / randomPolicyExpectedRegret(rates, 2000) < 0.02, `${mean}`);
  const oracle: BanditPolicy = { name: "oracle", select: (c) => rates[c]!.indexOf(Math.max(...rates[c]!)), update: () => undefined };
  assert.equal(runBandit(rates, oracle, 500, new Random(0)).cumulativeRegret[499], 0);
});

test("bandit: UCB1 and ε-greedy end with far less regret than random, and UCB1's regret grows sub-linearly", () => {
  const rates = [[0.5, 0.2, 0.1], [0.15, 0.45, 0.25], [0.1, 0.3, 0.55]];
  for (let seed = 0; seed < 5; seed += 1) {
    const random = runBandit(rates, randomPolicy(3), 5000, new Random(seed)).cumulativeRegret[4999]!;
    const ucb = runBandit(rates, ucbBandit(3, 3), 5000, new Random(seed)).cumulativeRegret;
    const greedy = runBandit(rates, epsilonGreedyBandit(3, 3, 0.1), 5000, new Random(seed)).cumulativeRegret[4999]!;
    assert.ok(ucb[4999]! < 0.25 * random && greedy < 0.25 * random, `seed ${seed}`);
    // Regret added in the second half is less than in the first.
    assert.ok(ucb[4999]! - ucb[2499]! < ucb[2499]!, `seed ${seed}`);
  }
  assert.throws(() => runBandit([[0.5, 1.2]], randomPolicy(2), 10, new Random(0)), /clickRates\[0\]\[1\] = 1.2/);
  assert.throws(() => runBandit([[0.5, 0.2]], randomPolicy(3), 10, new Random(0)), /chose item 2/);
});

test("ε-greedy with ε = 0 shows each item once per segment before exploiting (tryEachFirst), and locks on the first click without it", () => {
  const rates = [[0, 1, 0]];
  const shown: number[] = [];
  const policy = epsilonGreedyBandit(1, 3, 0);
  const rng = new Random(5);
  for (let t = 0; t < 10; t += 1) {
    const arm = policy.select(0, rng);
    shown.push(arm);
    policy.update(0, arm, rates[0]![arm]!);
  }
  assert.deepEqual([...shown.slice(0, 3)].sort(), [0, 1, 2]);
  assert.ok(shown.slice(3).every((a) => a === 1));
  // Without it, all means start at 0 and ties are broken at random; the click-less items keep mean 0, so the
  // greedy choice wanders among them until item 1 is hit, then stays.
  const naive = epsilonGreedyBandit(1, 3, 0, { tryEachFirst: false });
  naive.update(0, 0, 1); // a lucky first click on a bad item
  assert.equal(naive.select(0, rng), 0);
});
