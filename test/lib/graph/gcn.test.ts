import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { GCN } from "../../../lib/graph/gcn";
import { meanAggregation, normalizedAdjacency, permuteGraph, type Graph } from "../../../lib/graph/graph";
import { loadKarateClub } from "../../../lib/graph/karate";
import { Random } from "../../../lib/random";

const path: Graph = { nodeCount: 5, edges: [[0, 1], [1, 2], [2, 3], [3, 4]] };

test("one GCN layer equals relu(Â·X·W + b) computed by hand in float64", async () => {
  await setupTf({ seed: 0, announce: false });
  const gcn = new GCN({ inputDim: 3, hiddenDims: [4], outputDim: 2, seed: 1 });
  const rng = new Random(2);
  const x = Array.from({ length: 5 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const aHat = normalizedAdjacency(path);
  const w = gcn.weights[0]!.arraySync() as number[][];
  const expected = aHat.map((row) => {
    const mixed = [0, 1, 2].map((k) => row.reduce((s, a, j) => s + a * x[j]![k]!, 0));
    return [0, 1, 2, 3].map((c) => Math.max(0, mixed.reduce((s, m, k) => s + m * w[k]![c]!, 0)));
  });
  const actual = tf.tidy(() => gcn.layerOutputs(tf.tensor2d(aHat), tf.tensor2d(x))[0]!.arraySync());
  actual.forEach((row, i) => row.forEach((v, c) => assert.ok(Math.abs(v - expected[i]![c]!) < 1e-5, `(${i}, ${c})`)));
  assert.equal(gcn.countParams(), 3 * 4 + 4 + 4 * 2 + 2);
  gcn.dispose();
});

test("permutation equivariance: relabelling the nodes permutes the output rows (GCN and GraphSAGE-mean)", async () => {
  await setupTf({ seed: 0, announce: false });
  const graph = loadKarateClub().graph;
  const perm = new Random(4).permutation(34);
  const rng = new Random(5);
  const x = Array.from({ length: 34 }, () => Array.from({ length: 6 }, () => rng.normal()));
  const xPermuted: number[][] = new Array(34);
  x.forEach((row, i) => (xPermuted[perm[i]!] = row));
  for (const aggregation of ["gcn", "sage-mean"] as const) {
    const matrix = aggregation === "gcn" ? normalizedAdjacency : meanAggregation;
    const gcn = new GCN({ inputDim: 6, hiddenDims: [8], outputDim: 3, seed: 6, aggregation });
    const [out, outPermuted] = tf.tidy(() => [
      gcn.logits(tf.tensor2d(matrix(graph)), tf.tensor2d(x)).arraySync(),
      gcn.logits(tf.tensor2d(matrix(permuteGraph(graph, perm))), tf.tensor2d(xPermuted)).arraySync(),
    ]);
    out.forEach((row, i) => row.forEach((v, c) => assert.ok(Math.abs(v - outPermuted[perm[i]!]![c]!) < 1e-5, `${aggregation} (${i}, ${c})`)));
    gcn.dispose();
  }
});

test("fit lowers the labelled nodes' loss, leaves no tensor behind, and names bad labels", async () => {
  await setupTf({ seed: 0, announce: false });
  const club = loadKarateClub();
  const before = tf.memory().numTensors;
  const aHat = tf.tensor2d(normalizedAdjacency(club.graph));
  const x = tf.eye(34) as tf.Tensor2D;
  const gcn = new GCN({ inputDim: 34, hiddenDims: [16], outputDim: 2, seed: 0 });
  const labels = club.faction.map((f, i) => (i === 0 || i === 33 ? f : null));
  const losses = gcn.fit(aHat, x, labels, { steps: 50 });
  assert.ok(losses.at(-1)! < 0.5 * losses[0]!, `${losses[0]} → ${losses.at(-1)}`);
  assert.throws(() => gcn.fit(aHat, x, labels.map((y, i) => (i === 5 ? 2 : y)), { steps: 1 }), /label of node 5 is 2, not a class in 0 … 1/);
  assert.throws(() => gcn.fit(aHat, x, labels.slice(1), { steps: 1 }), /33 labels for 34 nodes/);
  const wrong = tf.eye(33) as tf.Tensor2D;
  assert.throws(() => gcn.logits(wrong, x), /propagation matrix must be 34 × 34 for 34 nodes, got 33 × 33/);
  wrong.dispose();
  gcn.dispose();
  tf.dispose([aHat, x]);
  assert.equal(tf.memory().numTensors, before);
});
