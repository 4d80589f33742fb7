/**
 * The whole-sequence recurrent kernels (lib/tfjs-wasm/recurrent.ts) behind tf.layers.lstm / gru / simpleRNN on
 * wasm against tfjs-layers' own per-timestep code on the cpu backend: outputs, final states and the gradients of
 * the input, every weight and the initial states agree within 1e-4 (relative), over fixed and seeded random
 * shapes with masks, returnSequences, returnState, goBackwards, initial states, bidirectional wrappers, both gate
 * activations and no bias; nothing leaks; the fused route is really taken (and refused where it does not apply).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { fusedRecurrentCalls } from "../../../lib/tfjs-wasm/recurrent-layers";

type Kind = "lstm" | "gru" | "simple";
interface Config {
  kind: Kind;
  B: number;
  T: number;
  D: number;
  H: number;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  recurrentActivation?: "sigmoid" | "hardSigmoid";
  useBias?: boolean;
  /** Per-sample count of kept steps from the start (right padding), or an explicit pattern. */
  mask?: "right-padded" | "holes";
  initialState?: boolean;
  bidirectional?: boolean;
}

function describe(c: Config): string {
  const flags = Object.entries(c)
    .filter(([k, v]) => !["kind", "B", "T", "D", "H"].includes(k) && v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? k : `${k}=${v}`));
  return `${c.kind} B${c.B} T${c.T} D${c.D} H${c.H} ${flags.join(" ")}`;
}

function makeLayer(c: Config, seed: number): tf.layers.Layer {
  const common = {
    units: c.H,
    returnSequences: c.returnSequences ?? false,
    returnState: c.returnState ?? false,
    goBackwards: c.goBackwards ?? false,
    useBias: c.useBias ?? true,
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
    biasInitializer: tf.initializers.randomNormal({ stddev: 0.3, seed: seed + 2 }),
  };
  const gates = c.recurrentActivation ? { recurrentActivation: c.recurrentActivation } : {};
  const layer =
    c.kind === "lstm" ? tf.layers.lstm({ ...common, ...gates }) : c.kind === "gru" ? tf.layers.gru({ ...common, ...gates }) : tf.layers.simpleRNN(common);
  return c.bidirectional ? tf.layers.bidirectional({ layer: layer as tf.RNN, mergeMode: "concat" }) : layer;
}

function maskOf(c: Config, rng: Random): tf.Tensor | undefined {
  if (!c.mask) return undefined;
  const values: number[] = [];
  for (let b = 0; b < c.B; b++) {
    const kept = 1 + Math.floor(rng.random() * c.T); // at least one kept step
    for (let t = 0; t < c.T; t++) values.push(c.mask === "right-padded" ? (t < kept ? 1 : 0) : rng.random() < 0.6 ? 1 : 0);
  }
  return tf.tensor2d(values, [c.B, c.T], "bool");
}

interface Result {
  outputs: Float32Array[];
  grads: Record<string, Float32Array>;
}

function run(layer: tf.layers.Layer, c: Config, x: tf.Variable, states: tf.Variable[], mask: tf.Tensor | undefined, probes: tf.Tensor[]): Result {
  const forward = () => {
    const kwargs: Record<string, unknown> = { training: true };
    if (mask) kwargs.mask = mask;
    if (states.length > 0) kwargs.initialState = states;
    const out = layer.apply(x, kwargs) as tf.Tensor | tf.Tensor[];
    return Array.isArray(out) ? out : [out];
  };
  const outputs = tf.tidy(() => forward().map((t) => t.dataSync().slice() as Float32Array));
  const { value, grads } = tf.variableGrads(() => {
    const outs = forward();
    return tf.addN(outs.map((o, i) => o.mul(probes[i]!).sum())) as tf.Scalar;
  });
  const result: Result = {
    outputs,
    grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.dataSync().slice() as Float32Array])),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return result;
}

function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-6);
}

async function compare(c: Config, seed: number): Promise<void> {
  try {
    await compareOrThrow(c, seed);
  } catch (e) {
    throw new Error(`${describe(c)} (seed ${seed}): ${(e as Error).message}`, { cause: e });
  }
}

async function compareOrThrow(c: Config, seed: number): Promise<void> {
  const name = describe(c);
  const rng = new Random(seed);
  await setupTf({ backend: "cpu", seed, announce: false });
  const layer = makeLayer(c, seed);
  const x = tf.variable(tf.randomNormal([c.B, c.T, c.D], 0, 1, "float32", seed), true, `x_${seed}`);
  const stateCount = c.initialState ? (c.kind === "lstm" ? 2 : 1) * (c.bidirectional ? 2 : 1) : 0;
  const states = Array.from({ length: stateCount }, (_, i) => tf.variable(tf.randomNormal([c.B, c.H], 0, 0.5, "float32", seed + 10 + i), true, `s${i}_${seed}`));
  const mask = maskOf(c, rng);
  const outs = tf.tidy(() => {
    const kwargs: Record<string, unknown> = {};
    if (mask) kwargs.mask = mask;
    if (states.length) kwargs.initialState = states;
    const o = layer.apply(x, kwargs) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(o) ? o : [o]).map((t) => t.shape);
  });
  const probes = outs.map((shape, i) => tf.randomNormal(shape, 0, 1, "float32", seed + 100 + i));
  const reference = run(layer, c, x, states, mask, probes);

  await setupTf({ backend: "wasm", seed, announce: false });
  run(layer, c, x, states, mask, probes); // moves the weights to wasm
  const wasmBackend = tf.findBackend("wasm")!;
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = wasmBackend.numDataIds();
  const fusedBefore = fusedRecurrentCalls.fused;
  const actual = run(layer, c, x, states, mask, probes);
  assert.ok(fusedRecurrentCalls.fused > fusedBefore, `${name}: the fused kernel was not used`);
  assert.equal(tf.memory().numTensors, tensorsBefore, `${name}: tensors leaked`);
  assert.equal(wasmBackend.numDataIds(), buffersBefore, `${name}: wasm buffers leaked`);

  assert.equal(actual.outputs.length, reference.outputs.length);
  reference.outputs.forEach((ref, i) => {
    const err = relativeError(actual.outputs[i]!, ref);
    assert.ok(err < 1e-4, `${name}: output ${i} differs by ${err.toExponential(2)}`);
  });
  assert.deepEqual(Object.keys(actual.grads).sort(), Object.keys(reference.grads).sort());
  for (const [k, g] of Object.entries(reference.grads)) {
    const err = relativeError(actual.grads[k]!, g);
    assert.ok(err < 1e-4, `${name}: gradient of ${k} differs by ${err.toExponential(2)}`);
  }
  layer.dispose();
  tf.dispose([x, ...states, ...probes, ...(mask ? [mask] : [])]);
}

const FIXED: Config[] = [];
for (const kind of ["lstm", "gru", "simple"] as const) {
  FIXED.push(
    { kind, B: 3, T: 5, D: 4, H: 6 },
    { kind, B: 3, T: 5, D: 4, H: 6, returnSequences: true, goBackwards: true },
    { kind, B: 4, T: 6, D: 3, H: 5, returnSequences: true, mask: "right-padded" },
    { kind, B: 4, T: 6, D: 3, H: 5, mask: "holes", goBackwards: true, returnState: true },
    { kind, B: 2, T: 4, D: 5, H: 3, initialState: true, returnState: true, returnSequences: true },
    { kind, B: 3, T: 5, D: 2, H: 4, bidirectional: true, returnSequences: true, mask: "right-padded" },
    // T ≥ 2 throughout: tfjs-layers itself cannot backpropagate through one timestep (Unpack's gradient gets a
    // single dy and calls stack on it), so there is no cpu reference for T = 1.
    { kind, B: 1, T: 2, D: 1, H: 1, useBias: false },
  );
  if (kind !== "simple") {
    FIXED.push(
      { kind, B: 3, T: 7, D: 4, H: 5, recurrentActivation: "sigmoid", returnSequences: true },
      { kind, B: 2, T: 5, D: 3, H: 4, recurrentActivation: "sigmoid", bidirectional: true, initialState: true },
    );
  }
}

test("fused LSTM / GRU / SimpleRNN equal tfjs-layers on cpu: fixed shapes and options", async () => {
  let seed = 1;
  for (const c of FIXED) await compare(c, seed++);
});

test("fused recurrent layers equal tfjs-layers on cpu: seeded random shapes and options", async () => {
  const rng = new Random(2026);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.random() * xs.length)]!;
  for (let i = 0; i < 24; i++) {
    const c: Config = {
      kind: pick(["lstm", "gru", "simple"] as const),
      B: 1 + Math.floor(rng.random() * 5),
      T: 2 + Math.floor(rng.random() * 7),
      D: 1 + Math.floor(rng.random() * 6),
      H: 1 + Math.floor(rng.random() * 9),
      returnSequences: rng.random() < 0.5,
      returnState: rng.random() < 0.4,
      goBackwards: rng.random() < 0.4,
      useBias: rng.random() < 0.8,
      mask: pick([undefined, undefined, "right-padded", "holes"] as const),
      initialState: rng.random() < 0.3,
      bidirectional: rng.random() < 0.25,
    };
    if (c.kind !== "simple") c.recurrentActivation = pick(["sigmoid", "hardSigmoid"] as const);
    if (c.bidirectional) c.returnState = false; // Bidirectional with returnState returns states tfjs cannot stack
    await compare(c, 1000 + i);
  }
});

test("the fused route is refused where it would differ: dropout, other activations, the cpu backend", async () => {
  await setupTf({ backend: "wasm", seed: 3, announce: false });
  const x = tf.randomNormal([2, 4, 3], 0, 1, "float32", 3);
  const cases: Array<[string, tf.layers.Layer]> = [
    ["dropout", tf.layers.lstm({ units: 3, dropout: 0.5 })],
    ["recurrentDropout", tf.layers.gru({ units: 3, recurrentDropout: 0.5 })],
    ["relu activation", tf.layers.simpleRNN({ units: 3, activation: "relu" })],
    ["tanh gates", tf.layers.gru({ units: 3, recurrentActivation: "tanh" })],
  ];
  for (const [name, layer] of cases) {
    const before = { ...fusedRecurrentCalls };
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    assert.equal(fusedRecurrentCalls.fused, before.fused, `${name}: took the fused route`);
    assert.equal(fusedRecurrentCalls.fallback, before.fallback + 1, `${name}: not counted as a fallback`);
    layer.dispose();
  }
  await setupTf({ backend: "cpu", seed: 3, announce: false });
  const before = fusedRecurrentCalls.fused;
  const layer = tf.layers.lstm({ units: 2 });
  tf.dispose(layer.apply(x, {}) as tf.Tensor);
  assert.equal(fusedRecurrentCalls.fused, before, "the cpu backend took the fused route");
  layer.dispose();
  x.dispose();
});

test("the gradient kernel refuses an hSeq that its forward kernel did not make (clear error, nothing leaked)", async () => {
  await setupTf({ backend: "wasm", seed: 4, announce: false });
  const [B, T, D, H] = [2, 3, 2, 2];
  const before = tf.memory().numTensors;
  const inputs = tf.tidy(() => ({
    x: tf.ones([B, T, D]),
    kernel: tf.ones([D, 3 * H]),
    recurrentKernel: tf.ones([H, 3 * H]),
    bias: tf.zeros([3 * H]),
    h0: tf.zeros([B, H]),
    mask: tf.ones([B, T]),
    hSeq: tf.ones([B, T, H]), // made by tf.ones, not by GruSequence
    dhSeq: tf.ones([B, T, H]),
  }));
  assert.throws(
    () => tf.engine().runKernel("GruSequenceGrad", inputs as unknown as tf.NamedTensorMap, { goBackwards: false, recurrentActivation: "sigmoid", hasBias: true, hasMask: false }),
    /GruSequenceGrad: hSeq carries no saved activations/,
  );
  tf.dispose(Object.values(inputs));
  assert.equal(tf.memory().numTensors, before);
});
