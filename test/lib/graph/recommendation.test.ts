import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { bipartiteNormalizedAdjacency, LightGCN, linkPredictionPairs, makeTasteGraph, popularityScores, recallAtK, splitUserItemEdges } from "../../../lib/graph/recommendation";

test("the taste graph is seeded, has the asked interactions per user, and mostly stays within a community", () => {
  const a = makeTasteGraph({ users: 60, items: 40, seed: 1, communities: 4, inCommunity: 0.9, itemsPerUser: 6 });
  assert.deepEqual(a, makeTasteGraph({ users: 60, items: 40, seed: 1, communities: 4, inCommunity: 0.9, itemsPerUser: 6 }));
  assert.equal(a.edges.length, 360);
  assert.equal(new Set(a.edges.map(([u, i]) => `${u},${i}`)).size, 360);
  const inside = a.edges.filter(([u, i]) => a.userCommunity[u] === a.itemCommunity[i]).length / a.edges.length;
  assert.ok(Math.abs(inside - 0.9) < 0.05, `share within the community ${inside}`);
  assert.throws(() => makeTasteGraph({ users: 5, items: 8, seed: 0, communities: 2, itemsPerUser: 5 }), /itemsPerUser 5 exceeds the 4 items of a community/);
});

test("the split keeps every user in training, holds out about the fraction, and loses no edge", () => {
  const g = makeTasteGraph({ users: 50, items: 40, seed: 2, itemsPerUser: 10 });
  const { train, test } = splitUserItemEdges(g.edges, { testFraction: 0.2, seed: 3 });
  assert.equal(train.length + test.length, g.edges.length);
  assert.equal(test.length, 100);
  assert.equal(new Set(train.map(([u]) => u)).size, 50);
  const key = ([u, i]: readonly [number, number]) => `${u},${i}`;
  assert.deepEqual(new Set([...train, ...test].map(key)), new Set(g.edges.map(key)));
});

test("recall@k by hand: training items are skipped, ties go to the lower id", () => {
  const scores = [[5, 4, 3, 2], [1, 1, 1, 1]];
  const train = [[0, 0], [1, 3]] as const;
  const test = [[0, 2], [1, 1], [1, 2]] as const;
  // user 0 ranks items 1, 2, 3 → top-1 = item 1 (miss); user 1 ranks 0, 1, 2 → top-1 = item 0 (miss)
  assert.equal(recallAtK(scores, train, test, 1), 0);
  // top-2: user 0 gets {1, 2} → 1/1; user 1 gets {0, 1} → 1/2
  assert.equal(recallAtK(scores, train, test, 2), 0.75);
});

test("the bipartite Â is symmetric with entries 1/√(d_u d_i); negatives are never edges", () => {
  const a = bipartiteNormalizedAdjacency(2, 2, [[0, 0], [0, 1], [1, 1]]);
  assert.deepEqual(a[0]![2], 1 / Math.sqrt(2 * 1));
  assert.deepEqual(a[0]![3], 1 / Math.sqrt(2 * 2));
  assert.deepEqual(a[3]![1], 1 / Math.sqrt(2 * 1));
  a.forEach((row, i) => row.forEach((v, j) => assert.equal(v, a[j]![i])));
  const g = makeTasteGraph({ users: 30, items: 20, seed: 4, itemsPerUser: 5 });
  const { train, test } = splitUserItemEdges(g.edges, { testFraction: 0.2, seed: 5 });
  const { pairs, labels } = linkPredictionPairs(g, train, test, 6);
  const edges = new Set(g.edges.map(([u, i]) => `${u},${i}`));
  pairs.forEach(([u, i], k) => assert.equal(edges.has(`${u},${i}`), labels[k] === 1));
});

test("LightGCN with zero layers scores e_u·e_i of its own embeddings; training lowers the BPR loss and beats popularity", async () => {
  await setupTf({ seed: 0, announce: false });
  const before = tf.memory().numTensors;
  const g = makeTasteGraph({ users: 120, items: 80, seed: 7, communities: 4, inCommunity: 0.9, itemsPerUser: 10 });
  const { train, test } = splitUserItemEdges(g.edges, { testFraction: 0.2, seed: 8 });
  const mf = new LightGCN({ users: 120, items: 80, dim: 4, layers: 0, seed: 1 });
  assert.throws(() => mf.scores(), /call fit first/);
  mf.fit(train, { steps: 1, learningRate: 1e-9 });
  const e = mf.embeddings.arraySync() as number[][];
  const s = mf.scores();
  assert.ok(Math.abs(s[3]![5]! - e[3]!.reduce((acc, v, k) => acc + v * e[120 + 5]![k]!, 0)) < 1e-4);
  mf.dispose();
  const model = new LightGCN({ users: 120, items: 80, dim: 8, layers: 2, seed: 1 });
  const losses = model.fit(train, { steps: 60, learningRate: 0.05, l2: 0.1 });
  assert.ok(losses.at(-1)! < 0.6 * losses[0]!);
  assert.ok(recallAtK(model.scores(), train, test, 10) > recallAtK(popularityScores(train, 120, 80), train, test, 10));
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});
