import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../lib/tf";
import { charLanguageModel, makeWorkload, recurrentClassifier, SHAPES, transformerClassifier } from "../../scripts/bench/workloads";
import { parseWorkloads, SEQUENCE_WORKLOADS, WORKLOADS } from "../../scripts/bench/workload-names";

before(async () => {
  await setupTf({ backend: "wasm", seed: 0, announce: false });
});

function trainable(model: tf.LayersModel): number {
  const count = model.trainableWeights.reduce((n, w) => n + w.read().size, 0);
  model.dispose();
  return count;
}

// Closed forms of the models' sizes (the same numbers torch_reference.py prints for its PyTorch models).
test("the sequence models have the trainable parameter counts of their closed forms", () => {
  const { vocabulary: V, embedding: E, units: U, classes: C } = SHAPES.recurrent;
  const gates = (n: number) => n * (E * U + U * U + U);
  const counts = {
    lstm: trainable(recurrentClassifier(tf, "lstm")),
    gru: trainable(recurrentClassifier(tf, "gru")),
    transformer: trainable(transformerClassifier(tf)),
    lm: trainable(charLanguageModel()),
  };
  assert.equal(counts.lstm, V * E + gates(4) + U * C + C);
  assert.equal(counts.gru, V * E + gates(3) + U * C + C);
  const block = (d: number, f: number) => 4 * d * d + 4 * d /* attention */ + 2 * 2 * d /* two LayerNorms */ + 2 * d * f + f + d /* FFN */;
  const t = SHAPES.transformer;
  assert.equal(counts.transformer, block(t.dModel, t.ffDim) + t.dModel * t.classes + t.classes);
  const m = SHAPES.lm;
  assert.equal(counts.lm, m.vocabulary * m.dModel + m.steps * m.dModel + m.blocks * block(m.dModel, m.ffDim) + 2 * m.dModel + m.dModel * m.vocabulary + m.vocabulary);
  assert.deepEqual(counts, { lstm: 56_962, gru: 50_754, transformer: 50_634, lm: 112_448 });
});

test("the language model is causal: changing a character changes the logits from its position on, never before", () => {
  const model = charLanguageModel();
  const { steps, vocabulary } = SHAPES.lm;
  const ids = Array.from({ length: steps }, (_, i) => (7 * i + 3) % vocabulary);
  const changedAt = 40;
  const changed = ids.map((id, i) => (i === changedAt ? (id + 1) % vocabulary : id));
  const logits = (sequence: number[]) => tf.tidy(() => (model.predict(tf.tensor2d([sequence], [1, steps], "int32")) as tf.Tensor).arraySync() as number[][][]);
  const [a, b] = [logits(ids)[0]!, logits(changed)[0]!];
  const moved = (t: number) => Math.max(...a[t]!.map((v, j) => Math.abs(v - b[t]![j]!)));
  for (let t = 0; t < changedAt; t++) assert.equal(moved(t), 0, `position ${t} saw the change at ${changedAt}`);
  for (const t of [changedAt, changedAt + 1, steps - 1]) assert.ok(moved(t) > 1e-4, `position ${t} did not see the change at ${changedAt}`);
  model.dispose();
});

test("every workload trains one step to a finite loss and releases its tensors", () => {
  const tensorsBefore = tf.memory().numTensors;
  for (const name of WORKLOADS) {
    const w = makeWorkload(tf, name, 2);
    w.step();
    const loss = w.sync();
    assert.ok(Number.isFinite(loss) && loss > 0, `${name}: loss ${loss}`);
    assert.ok(w.parameters > 0);
    w.dispose();
  }
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.throws(() => makeWorkload(tf, "rnn", 2), /unknown workload "rnn" \(mlp, cnn, lstm, gru, transformer, lm\)/);
});

test("parseWorkloads reads a comma list and names an unknown workload and the known ones", () => {
  assert.deepEqual(parseWorkloads("lstm, lm"), ["lstm", "lm"]);
  assert.throws(() => parseWorkloads("lstm,mlp", SEQUENCE_WORKLOADS), /unknown workload "mlp": choose from lstm, gru, transformer, lm/);
  assert.throws(() => parseWorkloads(""), /unknown workload "": choose from mlp/);
});
