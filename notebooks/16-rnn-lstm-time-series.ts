// %% [markdown]
// # 16 · Recurrent networks (RNN, LSTM, GRU) and time-series forecasting
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q12 | What is an RNN; what does it do for sequence data? | 什么是循环神经网络（RNN）？它在序列数据处理任务中有什么作用？ |
// | S1-Q5 | What is the difference between RNN and LSTM? | 循环神经网络（RNN）与长短时记忆网络（LSTM）的区别是什么？ |
// | S0-C4 | Implement an RNN for sequence modelling. | 实现一个循环神经网络（RNN），用于序列数据建模 |
// | S1-C25 | Implement an RNN for time-series prediction. | 实现一个循环神经网络（RNN）进行时间序列预测 |
// | S4-C7 | Implement an RNN time-series forecaster. | 实现一个基于循环神经网络的时间序列预测模型 |
//
// **The short answer an interviewer wants.** An RNN reads a sequence one step at a time and carries a hidden
// state: hₜ = tanh(xₜ·W + hₜ₋₁·U + b). The same weights are used at every step, so it handles any length, and
// hₜ summarises everything seen so far. Its input is a rank-3 batch **[batch, timesteps, features]**. Training
// backpropagates through time, and the gradient from step T back to step 0 is a product of T Jacobians
// diag(1 − hₜ²)·Uᵀ: when their size is below 1 it **vanishes** exponentially (a plain RNN does *not* learn
// long-term dependencies, whatever the seed says), above 1 it **explodes**. An **LSTM** adds a cell state
// cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ updated additively under a forget gate f, input gate i and output gate o
// (hₜ = oₜ ⊙ tanh(cₜ)); along the cell path the gradient is multiplied by f, which the network can hold near 1,
// so it can decay much more slowly. It does **not** cure exploding gradients: clip them. A **GRU** merges the
// gates into two (update z, reset r) and has no separate cell: 3 weight blocks instead of 4. For forecasting,
// cut the series **in time order**, window it, scale it, and always compare with a **baseline** (persistence
// ŷₜ = yₜ₋₁ and a linear AR(p)); the seed snippets skip all of this.
//
// Every claim below is a check that would fail if it were false: the hand cells against `tf.layers`, the
// gradient decay against a closed form and finite differences, the forecaster against two baselines on
// held-out data, the input contract against a rank-2 tensor.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { leastSquares, svd } from "./lib/math/linalg";
import { meanSquaredError } from "./lib/ml/metrics";
import { makeLogisticMapSeries, makeSineTrendSeries } from "./lib/sequence/series";
import { slidingWindows } from "./lib/sequence/windows";
import { assertSequenceInput } from "./lib/sequence/shapes";
import { fitAutoregressive, persistenceForecast } from "./lib/sequence/baselines";
import { fitLogLinear, jacobianFrobeniusNorm } from "./lib/sequence/gradient-decay";
import { buildLstmForecaster, forecastNextValues, levelFreeInputs, levelFreeTargets } from "./lib/sequence/forecaster";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./lib/nn/clipping";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %% [markdown]
// ## 1. S0-Q12 · What is an RNN? The cell by hand, equal to `tf.layers.simpleRNN`
//
// **Question.** What is a recurrent neural network, and what does it do for sequence data?
// (什么是循环神经网络（RNN）？它在序列数据处理任务中有什么作用？)
//
// **Short answer.** A network with a loop: at each step it combines the new input with its previous hidden
// state, hₜ = tanh(xₜ·W + hₜ₋₁·U + b), with the *same* W, U, b at every step. The state is a running summary,
// which suits text, speech, sensor data and prices: classify a whole sequence (use h_T), label every step (use
// all hₜ), or predict the next value. **What the seed gets wrong:** it says the hidden state "captures long-term
// dependencies". A plain RNN is exactly the model that *cannot*: section 3 measures its gradient vanishing
// exponentially with the lag, which is why LSTM and GRU exist.
//
// The cell, written out in float64 (row vectors, as Keras stores kernels: W is [features, units], U is
// [units, units]). The weights are copied from a seeded `tf.layers.simpleRNN`, so the two must agree up to
// float32 rounding.

// %%
type Vec = number[];
type Mat = number[][];
/** x·M + b for a row vector x ([n] · [n, m] → [m]). */
const affine = (x: Vec, M: Mat, b?: Vec): Vec => M[0]!.map((_, j) => x.reduce((s, xi, i) => s + xi * M[i]![j]!, b ? b[j]! : 0));
const add = (a: Vec, b: Vec): Vec => a.map((v, i) => v + b[i]!);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

interface RnnWeights { kernel: Mat; recurrent: Mat; bias: Vec }
/** One SimpleRNN step: hₜ = tanh(xₜ·W + hₜ₋₁·U + b). */
const rnnStep = (x: Vec, h: Vec, w: RnnWeights): Vec => add(affine(x, w.kernel, w.bias), affine(h, w.recurrent)).map(Math.tanh);
/** The last hidden state after reading a [timesteps][features] sequence from h0. */
const runRnn = (xs: Mat, w: RnnWeights, h0: Vec): Vec => xs.reduce((h, x) => rnnStep(x, h, w), h0);

/** Weights of a built tf layer as float64 arrays (kernel, recurrent kernel, bias in Keras's order). */
const weightsOf = (layer: tf.layers.Layer) => layer.getWeights().map((w) => w.arraySync()) as [Mat, Mat, Vec];

const BATCH = 4, TIMESTEPS = 7, FEATURES = 3, UNITS = 5;
const rng = new Random(16);
const sequences: number[][][] = Array.from({ length: BATCH }, () => Array.from({ length: TIMESTEPS }, () => rng.array(FEATURES, (r) => Math.fround(r.normal(0, 1)))));
const xSequences = tf.tensor3d(sequences); // [batch, timesteps, features]
const zeroState = new Array<number>(UNITS).fill(0);

const simpleRnn = tf.layers.simpleRNN({ units: UNITS, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }), biasInitializer: tf.initializers.randomNormal({ seed: 3, stddev: 0.1 }) });
const rnnOutput = simpleRnn.apply(xSequences) as tf.Tensor;
const [rnnKernel, rnnRecurrent, rnnBias] = weightsOf(simpleRnn);
const handRnn = sequences.map((xs) => runRnn(xs, { kernel: rnnKernel, recurrent: rnnRecurrent, bias: rnnBias }, zeroState));
console.log(`simpleRNN weights: kernel [${rnnKernel.length}, ${rnnKernel[0]!.length}], recurrent [${rnnRecurrent.length}, ${rnnRecurrent[0]!.length}], bias [${rnnBias.length}]`);
checkAllClose("hand RNN cell (float64) = tf.layers.simpleRNN with the same weights, last state of 4 sequences", handRnn, rnnOutput, { abs: 1e-5 });

// %% [markdown]
// ## 2. S1-Q5 · RNN vs LSTM: the LSTM cell by hand, and tfjs's gate order
//
// **Question.** What is the difference between an RNN and an LSTM? (循环神经网络（RNN）与长短时记忆网络（LSTM）的区别是什么？)
//
// **Short answer.** An LSTM keeps a second state, the cell cₜ, changed only by elementwise gating:
//
// * input gate iₜ = σ(xₜWᵢ + hₜ₋₁Uᵢ + bᵢ): how much of the candidate to write;
// * forget gate fₜ = σ(xₜW_f + hₜ₋₁U_f + b_f): how much of the old cell to keep;
// * candidate gₜ = tanh(xₜW_c + hₜ₋₁U_c + b_c) (Keras calls this block "c");
// * output gate oₜ = σ(xₜW_o + hₜ₋₁U_o + b_o); then cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ and hₜ = oₜ ⊙ tanh(cₜ).
//
// The additive cell path lets gradients survive many steps (section 3), at 4× the parameters of an RNN of the
// same width. **What the seed gets wrong:** it claims the gates solve vanishing *and exploding* gradients. The
// cell path mitigates vanishing; exploding gradients still need clipping (section 4).
//
// tfjs (like Keras) stores the four blocks side by side in one kernel [features, 4·units], in the order
// **(i, f, c, o)**. The check below pins that order: the hand cell slices the blocks in that order and must
// equal `tf.layers.lstm`; slicing them in any other order must not. Two tfjs details matter when copying weights
// to or from Keras: tfjs's default `recurrentActivation` is **hardSigmoid** (Keras ≥ 2.0 on TensorFlow uses
// sigmoid), so it is set explicitly here, and `unitForgetBias: true` initialises the f block of the bias to 1.

// %%
interface LstmWeights { kernel: Mat; recurrent: Mat; bias: Vec }
type Gate = "i" | "f" | "c" | "o";
const TFJS_GATE_ORDER: Gate[] = ["i", "f", "c", "o"];

/** One LSTM step; `order` says which block of the packed kernel holds which gate. */
function lstmStep(x: Vec, h: Vec, c: Vec, w: LstmWeights, order: Gate[] = TFJS_GATE_ORDER): { h: Vec; c: Vec } {
  const n = h.length;
  const z = add(affine(x, w.kernel, w.bias), affine(h, w.recurrent)); // [4n]
  const block = (gate: Gate) => z.slice(order.indexOf(gate) * n, (order.indexOf(gate) + 1) * n);
  const input = block("i").map(sigmoid), forget = block("f").map(sigmoid), candidate = block("c").map(Math.tanh), output = block("o").map(sigmoid);
  const cell = c.map((cv, j) => forget[j]! * cv + input[j]! * candidate[j]!);
  return { h: cell.map((cv, j) => output[j]! * Math.tanh(cv)), c: cell };
}
const runLstm = (xs: Mat, w: LstmWeights, h0: Vec, order: Gate[] = TFJS_GATE_ORDER): Vec =>
  xs.reduce((state, x) => lstmStep(x, state.h, state.c, w, order), { h: h0, c: h0.map(() => 0) }).h;

const lstmLayer = tf.layers.lstm({ units: UNITS, recurrentActivation: "sigmoid", unitForgetBias: true, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 5 }) });
const lstmOutput = lstmLayer.apply(xSequences) as tf.Tensor;
const [lstmKernel, lstmRecurrent, lstmBias] = weightsOf(lstmLayer);
const lstmWeights: LstmWeights = { kernel: lstmKernel, recurrent: lstmRecurrent, bias: lstmBias };
const lstmReference = lstmOutput.arraySync() as Mat;
const handLstm = sequences.map((xs) => runLstm(xs, lstmWeights, zeroState));
checkAllClose("hand LSTM cell (float64, gate order i, f, c, o) = tf.layers.lstm with the same weights", handLstm, lstmReference, { abs: 1e-5 });
checkAllClose("unitForgetBias: the bias is 0 in blocks i, c, o and 1 in block f (the 2nd block)", lstmBias, [0, 1, 0, 0].flatMap((v) => new Array<number>(UNITS).fill(v)), { abs: 0 });

const permutationsOf = (items: Gate[]): Gate[][] => (items.length <= 1 ? [items] : items.flatMap((g, k) => permutationsOf([...items.slice(0, k), ...items.slice(k + 1)]).map((rest) => [g, ...rest])));
const orderErrors = permutationsOf(TFJS_GATE_ORDER).map((order) => ({
  order: order.join(", "),
  maxError: Math.max(...sequences.flatMap((xs, b) => runLstm(xs, lstmWeights, zeroState, order).map((v, j) => Math.abs(v - lstmReference[b]![j]!)))),
}));
const matchingOrders = orderErrors.filter((row) => row.maxError < 1e-5).map((row) => row.order);
showTable(orderErrors.slice(0, 8), { caption: "Largest |hand − tf.layers.lstm| for 8 of the 24 possible gate orders" });
check("of the 24 gate orders only (i, f, c, o) reproduces tf.layers.lstm", matchingOrders.length === 1 && matchingOrders[0] === "i, f, c, o", { matchingOrders });

// %% [markdown]
// ### Follow-up: GRU vs LSTM, gate by gate, and parameter counts
//
// A GRU keeps one state and two gates (tfjs's kernel order **(z, r, h)**, Keras 1 form `reset_after = false`):
//
// * update gate zₜ = σ(xₜW_z + hₜ₋₁U_z + b_z) plays the LSTM's forget *and* input gates at once:
//   hₜ = zₜ ⊙ hₜ₋₁ + (1 − zₜ) ⊙ h̃ₜ (keep vs overwrite, tied to sum to 1);
// * reset gate rₜ = σ(xₜW_r + hₜ₋₁U_r + b_r) decides how much of the past enters the candidate;
// * candidate h̃ₜ = tanh(xₜW_h + (rₜ ⊙ hₜ₋₁)U_h + b_h); no output gate and no separate cell.
//
// Parameters for `in` features and n units: SimpleRNN n(in + n + 1), GRU 3n(in + n + 1), LSTM 4n(in + n + 1).
// (TensorFlow 2 Keras defaults to `reset_after = true`, which keeps two bias vectors: 3n(in + n + 2); tfjs does
// not implement it.) In practice GRU and LSTM perform alike; GRU is 25 % smaller and faster, LSTM's separate
// cell and output gate give it a little more control on long dependencies.

// %%
const gruStep = (x: Vec, h: Vec, w: LstmWeights): Vec => {
  const n = h.length;
  const fromInput = affine(x, w.kernel, w.bias); // [3n] in the order z, r, h
  const block = (v: Vec, k: number) => v.slice(k * n, (k + 1) * n);
  const recurrentBlock = (k: number) => w.recurrent.map((row) => row.slice(k * n, (k + 1) * n));
  const update = add(block(fromInput, 0), affine(h, recurrentBlock(0))).map(sigmoid);
  const reset = add(block(fromInput, 1), affine(h, recurrentBlock(1))).map(sigmoid);
  const candidate = add(block(fromInput, 2), affine(h.map((v, j) => reset[j]! * v), recurrentBlock(2))).map(Math.tanh);
  return h.map((v, j) => update[j]! * v + (1 - update[j]!) * candidate[j]!);
};
const gruLayer = tf.layers.gru({ units: UNITS, recurrentActivation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 7 }), biasInitializer: tf.initializers.randomNormal({ seed: 8, stddev: 0.1 }) });
const gruOutput = gruLayer.apply(xSequences) as tf.Tensor;
const [gruKernel, gruRecurrent, gruBias] = weightsOf(gruLayer);
const handGru = sequences.map((xs) => xs.reduce((h, x) => gruStep(x, h, { kernel: gruKernel, recurrent: gruRecurrent, bias: gruBias }), zeroState));
checkAllClose("hand GRU cell (gate order z, r, h) = tf.layers.gru with the same weights", handGru, gruOutput, { abs: 1e-5 });

const parameterRows = ([["SimpleRNN", simpleRnn, 1], ["GRU", gruLayer, 3], ["LSTM", lstmLayer, 4]] as const).map(([name, layer, blocks]) => ({
  layer: name, "countParams()": layer.countParams(), "formula blocks·n(in + n + 1)": blocks * UNITS * (FEATURES + UNITS + 1),
}));
showTable(parameterRows, { caption: `Parameters at in = ${FEATURES} features, n = ${UNITS} units` });
check("countParams() = blocks · n(in + n + 1) for SimpleRNN (1), GRU (3) and LSTM (4)", parameterRows.every((row) => row["countParams()"] === row["formula blocks·n(in + n + 1)"]));
tf.dispose([rnnOutput, lstmOutput, gruOutput]);

// %% [markdown]
// ## 3. Vanishing gradients: ‖∂h_T/∂h_0‖ against the lag T
//
// For the RNN, ∂hₜ/∂hₜ₋₁ = diag(1 − hₜ²)·Uᵀ, so ∂h_T/∂h_0 is a product of T such matrices. With a recurrent
// matrix of spectral radius 0.9 and tanh' ≤ 1, its size shrinks at least like 0.9^T: exponential decay, a
// straight line on a log axis. For the LSTM the cell path contributes ∏ fₜ, and a forget bias of 1 starts
// f near σ(1) ≈ 0.73 *plus* whatever the network learns; measured below on random (untrained) weights.
//
// Set-up: 16 units, one input feature fed √2·sin(2πt/25) plus noise (unit variance, as after standardising), h₀ small and random. The RNN's recurrent
// matrix is 0.9 × a random orthogonal matrix, so all its singular values, and hence all |eigenvalues|, are 0.9.
// The RNN's Jacobian is computed twice: by the product formula and by central differences
// (`lib/sequence/gradient-decay.ts`), which must agree; the LSTM's by central differences.

// %%
const DECAY_UNITS = 16;
const decayInputs: Mat = Array.from({ length: 60 }, (_, t) => [Math.SQRT2 * Math.sin((2 * Math.PI * t) / 25) + 0.1 * rng.normal()]);
const h0 = rng.array(DECAY_UNITS, (r) => r.normal(0, 0.1));
const decayRnnLayer = tf.layers.simpleRNN({ units: DECAY_UNITS, recurrentInitializer: tf.initializers.orthogonal({ gain: 0.9, seed: 9 }), kernelInitializer: tf.initializers.glorotUniform({ seed: 10 }) });
const decayLstmLayer = tf.layers.lstm({ units: DECAY_UNITS, recurrentActivation: "sigmoid", unitForgetBias: true, recurrentInitializer: tf.initializers.orthogonal({ seed: 11 }), kernelInitializer: tf.initializers.glorotUniform({ seed: 12 }) });
tf.dispose([decayRnnLayer.apply(tf.zeros([1, 1, 1])) as tf.Tensor, decayLstmLayer.apply(tf.zeros([1, 1, 1])) as tf.Tensor]); // builds the weights
const [dk, dr, db] = weightsOf(decayRnnLayer);
const decayRnn: RnnWeights = { kernel: dk, recurrent: dr, bias: db };
const [lk, lr, lb] = weightsOf(decayLstmLayer);
const decayLstm: LstmWeights = { kernel: lk, recurrent: lr, bias: lb };
const singularValues = svd(dr).s;
checkAllClose("the RNN's recurrent matrix has all 16 singular values 0.9 (so spectral radius 0.9)", singularValues, singularValues.map(() => 0.9), { abs: 1e-6 });

/** ∂h_T/∂h_0 by the chain rule: the product of diag(1 − hₜ²)·Uᵀ (rows: outputs), then its Frobenius norm. */
function rnnJacobianNorm(T: number, w: RnnWeights = decayRnn, inputs: Mat = decayInputs, start: Vec = h0): number {
  let h = start;
  let jacobian: Mat = start.map((_, i) => start.map((__, j) => (i === j ? 1 : 0)));
  for (const x of inputs.slice(0, T)) {
    h = rnnStep(x, h, w);
    const step = h.map((hj, j) => w.recurrent.map((row) => (1 - hj * hj) * row[j]!)); // [j][i] = ∂h_t[j]/∂h_{t−1}[i]
    jacobian = step.map((row) => start.map((_, k) => row.reduce((s, v, i) => s + v * jacobian[i]![k]!, 0)));
  }
  return Math.sqrt(jacobian.flat().reduce((s, v) => s + v * v, 0));
}
const lags = Array.from({ length: 12 }, (_, k) => 5 * (k + 1)); // 5, 10, …, 60
const rnnNorms = lags.map((T) => rnnJacobianNorm(T));
const rnnNormsByDifferences = lags.map((T) => jacobianFrobeniusNorm((h) => runRnn(decayInputs.slice(0, T), decayRnn, h), h0));
const lstmNorms = lags.map((T) => jacobianFrobeniusNorm((h) => runLstm(decayInputs.slice(0, T), decayLstm, h), h0));
const trustworthy = lags.map((_, k) => rnnNorms[k]! > 1e-6); // below ~1e-10 central differences are rounding noise
checkAllClose("RNN: product formula = central differences for ‖∂h_T/∂h_0‖ ≥ 1e-6", rnnNorms.filter((_, k) => trustworthy[k]), rnnNormsByDifferences.filter((_, k) => trustworthy[k]), { rel: 1e-4 });

const rnnFit = fitLogLinear(lags, rnnNorms);
const lstmFit = fitLogLinear(lags, lstmNorms);
showTable([["tanh RNN, ρ = 0.9", rnnFit], ["LSTM, forget bias 1", lstmFit]].map(([name, fit]) => {
  const f = fit as typeof rnnFit;
  return { model: name as string, "log-slope per step": f.slope, "factor per step e^slope": Math.exp(f.slope), "R²": f.rSquared, "‖∂h_60/∂h_0‖": name === "tanh RNN, ρ = 0.9" ? rnnNorms.at(-1)! : lstmNorms.at(-1)! };
}), { caption: "Exponential fits of ‖∂h_T/∂h_0‖ over T = 5 … 60" });
check("tanh RNN (ρ = 0.9): the gradient decays exponentially (log-slope < 0, R² > 0.9)", rnnFit.slope < 0 && rnnFit.rSquared > 0.9, { slope: rnnFit.slope, rSquared: rnnFit.rSquared });
check("the RNN's per-step factor is at most the spectral radius 0.9 (tanh' ≤ 1)", Math.exp(rnnFit.slope) <= 0.9, { factor: Math.exp(rnnFit.slope) });
check("LSTM with forget bias 1 decays more slowly (a less negative log-slope)", lstmFit.slope > rnnFit.slope, { lstm: lstmFit.slope, rnn: rnnFit.slope });

await showFigure(lineFigure([{ name: "tanh RNN, spectral radius 0.9", x: lags, y: rnnNorms }, { name: "LSTM, forget bias 1", x: lags, y: lstmNorms }],
  { title: "Vanishing gradient: how much h_T still depends on h_0", xTitle: "lag T (steps)", yTitle: "‖∂h_T/∂h_0‖ (Frobenius, log scale)", logY: true }));

// %% [markdown]
// ## 4. Follow-up: exploding gradients and clipping (by norm vs by value)
//
// Make the recurrent matrix 1.5 × orthogonal and the gradients of an ordinary loss grow with the sequence
// length: one large step can throw the weights far away (the loss spikes to NaN). Two remedies in Keras:
// `clipnorm` / `global_clipnorm` rescale the whole gradient to length ≤ c, **keeping its direction**;
// `clipvalue` clamps each component to [−c, c], which **changes the direction** as soon as some components
// are clipped and others are not. `lib/nn/clipping.ts` implements both for a custom training step.
//
// First the growth itself, against a closed form: with no input and a tiny state, tanh is linear, so
// ∂h_T/∂h_0 = (Uᵀ)^T and with U = 1.5 × orthogonal its size grows exactly like 1.5^T (log-slope ln 1.5 ≈ 0.405)
// until the state saturates.

// %%
const explodingRnn: RnnWeights = { ...decayRnn, recurrent: dr.map((row) => row.map((v) => (v * 1.5) / 0.9)) };
const shortLags = Array.from({ length: 10 }, (_, k) => k + 1);
const explodingNorms = shortLags.map((T) => rnnJacobianNorm(T, explodingRnn, shortLags.map(() => [0]), h0.map((v) => v * 1e-4)));
const explodingFit = fitLogLinear(shortLags, explodingNorms);
checkClose("gain 1.5: ‖∂h_T/∂h_0‖ grows with log-slope ln 1.5 in the linear regime", explodingFit.slope, Math.log(1.5), { abs: 0.01 });

// %% [markdown]
// Through the loss of a one-output network tanh saturation caps the growth (table below), but the gain-1.5
// gradient is still the larger one, and on a real problem a single such step can throw the weights far away.
// Clipping it:

// %%
function lossGradients(gain: number, timesteps: number): Record<string, tf.Tensor> {
  const rnn = tf.layers.simpleRNN({ units: DECAY_UNITS, recurrentInitializer: tf.initializers.orthogonal({ gain: gain, seed: 13 }), kernelInitializer: tf.initializers.glorotUniform({ seed: 14 }) });
  const head = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 15 }) });
  const x = tf.tensor3d([decayInputs.slice(0, timesteps)]);
  const loss = () => tf.mean(tf.square(tf.sub(head.apply(rnn.apply(x)) as tf.Tensor, 1))) as tf.Scalar;
  tf.dispose(loss()); // builds the weights, so that the gradient call below finds them
  const variables = [...rnn.trainableWeights, ...head.trainableWeights].map((w) => (w as unknown as { val: tf.Variable }).val);
  const { grads, value } = tf.variableGrads(loss, variables);
  tf.dispose([x, value]);
  rnn.dispose();
  head.dispose();
  return grads;
}
const gradientRows = [0.9, 1.5].flatMap((gain) => [5, 20, 40].map((T) => {
  const grads = lossGradients(gain, T);
  const norm = globalNorm(grads);
  tf.dispose(Object.values(grads));
  return { gain: gain, timesteps: T, "‖∂loss/∂weights‖": norm };
}));
showTable(gradientRows, { caption: "Global gradient norm of a one-output RNN's squared error" });

const explodingGrads = lossGradients(1.5, 40);
const flat = (grads: Record<string, tf.Tensor>) => Object.keys(explodingGrads).flatMap((name) => Array.from(grads[name]!.dataSync()));
const cosine = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i]!, 0) / Math.hypot(...a) / Math.hypot(...b);
const raw = flat(explodingGrads);
const MAX_NORM = 1;
const byNorm = clipByGlobalNorm(explodingGrads, MAX_NORM);
const clipLimit = [...raw].map(Math.abs).sort((a, b) => a - b)[Math.floor(0.9 * raw.length)]!; // clip the largest 10 % of the components
const byValue = clipByValue(explodingGrads, clipLimit);
const [clippedByNorm, clippedByValue] = [flat(byNorm.clipped), flat(byValue)];
check("the raw gradient (gain 1.5, 40 steps) is longer than the clipping threshold 1, so clipping acts", byNorm.norm > MAX_NORM, { norm: byNorm.norm });
console.log(`raw norm ${byNorm.norm.toFixed(2)}; clip by value at |g| ≤ ${clipLimit.toExponential(2)} (90th percentile of |g|)`);
checkClose("clip by norm: the clipped gradient has length exactly 1", Math.hypot(...clippedByNorm), MAX_NORM, { rel: 1e-5 });
checkClose("clip by norm keeps the direction: cosine with the raw gradient = 1", cosine(clippedByNorm, raw), 1, { abs: 1e-6 });
check("clip by value turns the direction (cosine < 0.999)", cosine(clippedByValue, raw) < 0.999, { cosine: cosine(clippedByValue, raw) });
tf.dispose([Object.values(explodingGrads), Object.values(byNorm.clipped), Object.values(byValue)]);

// %% [markdown]
// ## 5. S1-C25 / S4-C7 · Forecasting a time series with an LSTM, against two baselines
//
// **Questions.** Implement an RNN for time-series prediction (实现一个循环神经网络（RNN）进行时间序列预测) and
// an RNN time-series forecaster (实现一个基于循环神经网络的时间序列预测模型).
//
// **Short answer.** The seeds give two stacked recurrent layers and `model.fit`, with the data undefined. What
// makes it a forecaster: (1) cut the series in **time order** (train on the past, test on the future; never
// shuffle across the cut, never validate on the test set as S4-C7 does); (2) turn each segment into
// **windows** of the last p values → the next value, shaped [batch, p, 1]; (3) **scale** with statistics of
// the training part only; (4) compare with **baselines**: persistence ŷₜ = yₜ₋₁ and the linear AR(p) model
// fitted by least squares; (5) report a test metric and plot the forecast. A network that does not beat AR(p)
// is not worth its cost.
//
// Data: a seeded noisy sine (period 25, noise σ = 0.1) on a linear trend, 1,400 steps; the first 1,000 train,
// the last 400 test (windows of 20; a test window may *read* the last training values, its target is always a
// test value). The trend lifts the test segment above every training value, so the model reads each window
// minus its last value and predicts the change, with a linear skip connection added to the LSTM's output
// (`lib/sequence/forecaster.ts` explains both choices).

// %%
const WINDOW = 20, TRAIN_LENGTH = 1000;
const series = makeSineTrendSeries({ length: 1400, period: 25, noise: 0.1, seed: 0 });
const train = slidingWindows(series.y.slice(0, TRAIN_LENGTH), WINDOW, 1);
const test = slidingWindows(series.y.slice(TRAIN_LENGTH - WINDOW), WINDOW, 1);
const trainNext = train.y.map((row) => row[0]!);
const testNext = test.y.map((row) => row[0]!);
const trainChanges = trainNext.map((v, i) => v - train.X[i]![WINDOW - 1]!);
const changeScale = Math.sqrt(meanSquaredError(trainChanges, trainChanges.map(() => 0))); // training data only
console.log(`${train.X.length} training windows, ${test.X.length} test windows; scale of one-step changes ${changeScale.toFixed(3)}`);

const persistenceMse = meanSquaredError(testNext, persistenceForecast(test.X));
const ar20 = fitAutoregressive(train.X, trainNext);
const arForecast = ar20.predict(test.X);
const ar20Mse = meanSquaredError(testNext, arForecast);

const forecaster = buildLstmForecaster({ window: WINDOW, units: 16, seed: 0 });
const [xTrain, yTrain] = [levelFreeInputs(train.X, changeScale), levelFreeTargets(train.X, trainNext, changeScale)];
const trainingStarted = performance.now();
await forecaster.fit(xTrain, yTrain, { epochs: 8, batchSize: 32, shuffle: true, verbose: 0 });
(forecaster.optimizer as unknown as { learningRate: number }).learningRate = 5e-4; // a few calmer epochs to settle
const fitHistory = await forecaster.fit(xTrain, yTrain, { epochs: 4, batchSize: 32, shuffle: true, verbose: 0 });
const trainingSeconds = (performance.now() - trainingStarted) / 1000;
tf.dispose([xTrain, yTrain]);
const lstmForecast = forecastNextValues(forecaster, test.X, changeScale);
const lstmMse = meanSquaredError(testNext, lstmForecast);
const noiseFloor = meanSquaredError(testNext, series.clean.slice(TRAIN_LENGTH));
console.log(`LSTM(16) + linear skip: ${forecaster.countParams()} parameters, 8 + 4 epochs in ${trainingSeconds.toFixed(1)} s (${tfSetup.backend}); final training loss ${(fitHistory.history.loss!.at(-1) as number).toFixed(3)}`);
showTable([
  { forecast: "persistence ŷₜ = yₜ₋₁", "test MSE": persistenceMse },
  { forecast: "AR(20), least squares", "test MSE": ar20Mse },
  { forecast: "LSTM(16) + linear skip", "test MSE": lstmMse },
  { forecast: "the clean signal (noise floor σ²)", "test MSE": noiseFloor },
], { caption: "One-step forecasts on the 400 held-out steps" });
check("LSTM test MSE ≤ 0.5 × persistence", lstmMse <= 0.5 * persistenceMse, { lstmMse, persistenceMse });
check("LSTM test MSE ≤ 1.1 × AR(20) least squares (a tie: see the calibration below)", lstmMse <= 1.1 * ar20Mse, { ratio: lstmMse / ar20Mse });

// %% [markdown]
// **Calibration, and a bound that is not reachable.** Over seeds 0–5 of the series and the initialisation, this
// recipe's test MSE was 0.23–0.26 × persistence and 0.98–1.05 × AR(20): it beat AR(20) on two seeds, tied it
// on two and lost on two, so the catalog's "≤ AR(20)" is not a robust claim here and the check above is ≤ 1.1 ×
// AR(20). The reason is the data, not the training: a sine plus a line plus white noise is predicted best, from
// 20 noisy lags, by a *linear* filter, and least squares estimates that filter almost exactly (21 coefficients
// from 980 windows). A nonlinear model can only tie it; both sit about 25 % above the noise floor σ² because 20
// noisy values pin down the phase only so well. An LSTM earns its cost on series with nonlinear dynamics
// (section 5b) or dependencies longer than any window one would give an AR model. (Measured on the way: the same LSTM without the
// linear skip was 20–28 % *worse* than AR(20) on a period-40 version of the series, 2 seeds.)

// %% [markdown]
// The forecast on the first 160 test steps, with the AR(20) baseline and the truth; the LSTM's curve should lie
// on the clean signal's shape, not chase each noisy point.

// %%
const SHOWN = 160;
const shownSteps = test.targetIndex.slice(0, SHOWN);
await showFigure(lineFigure([
  { name: "observed y", x: shownSteps, y: testNext.slice(0, SHOWN) },
  { name: "LSTM forecast", x: shownSteps, y: lstmForecast.slice(0, SHOWN) },
  { name: "AR(20) forecast", x: shownSteps, y: arForecast.slice(0, SHOWN) },
  { name: "persistence", x: shownSteps, y: persistenceForecast(test.X).slice(0, SHOWN) },
], { title: "One-step forecasts on the held-out segment", xTitle: "time step", yTitle: "value (series units)" }));

// %% [markdown]
// ## 5b. Where the LSTM earns its cost: nonlinear dynamics
//
// The claim "the LSTM beats AR(20)" holds where the dynamics are **nonlinear**. The logistic map
// yₜ = 3.8 · yₜ₋₁ · (1 − yₜ₋₁) + εₜ with εₜ ~ N(0, 0.01²) (`makeLogisticMapSeries`) is chaotic: no period, a
// lag-1 autocorrelation near −0.6 and little beyond it, so a linear filter explains only part of it. Yet the
// best one-step forecast is a parabola of the last value, with MSE σ² = 10⁻⁴. The same LSTM(16) with its linear
// skip, trained for 8 epochs on the raw windows (no trend, so no level-free trick; centred by the training mean),
// against the same baselines, plus the parabola fitted by least squares on the last value alone, which shows
// what the LSTM is learning. Calibration over seeds 0–4 of the series and the initialisation: the LSTM's test
// MSE was 0.028–0.045 × AR(20)'s (3–6 s of training each on a loaded machine); the check below asks ≤ 0.2 ×.

// %%
const MAP_TRAIN_LENGTH = 700;
const chaotic = makeLogisticMapSeries({ length: MAP_TRAIN_LENGTH + 400, r: 3.8, noise: 0.01, seed: 0 });
const mapTrain = slidingWindows(chaotic.y.slice(0, MAP_TRAIN_LENGTH), WINDOW, 1);
const mapTest = slidingWindows(chaotic.y.slice(MAP_TRAIN_LENGTH - WINDOW), WINDOW, 1);
const mapTrainNext = mapTrain.y.map((row) => row[0]!);
const mapTestNext = mapTest.y.map((row) => row[0]!);
const mapMean = mapTrainNext.reduce((a, b) => a + b, 0) / mapTrainNext.length; // training data only
const centredWindows = (X: number[][]) => tf.tensor3d(X.map((row) => row.map((v) => [v - mapMean])));

const mapPersistenceMse = meanSquaredError(mapTestNext, persistenceForecast(mapTest.X));
const mapAr = fitAutoregressive(mapTrain.X, mapTrainNext);
const mapArForecast = mapAr.predict(mapTest.X);
const mapArMse = meanSquaredError(mapTestNext, mapArForecast);
// The parabola a + b·yₜ₋₁ + c·yₜ₋₁² by least squares: the generating map is a = 0, b = 3.8, c = −3.8.
const lastValue = (X: number[][]) => X.map((row) => row[WINDOW - 1]!);
const parabola = leastSquares(lastValue(mapTrain.X).map((v) => [1, v, v * v]), mapTrainNext);
const parabolaForecast = lastValue(mapTest.X).map((v) => parabola[0]! + parabola[1]! * v + parabola[2]! * v * v);

const mapForecaster = buildLstmForecaster({ window: WINDOW, units: 16, seed: 0, learningRate: 1e-2 });
const [mapX, mapY] = [centredWindows(mapTrain.X), tf.tensor2d(mapTrainNext.map((v) => [v - mapMean]))];
const mapStarted = performance.now();
await mapForecaster.fit(mapX, mapY, { epochs: 8, batchSize: 32, shuffle: true, verbose: 0 });
const mapSeconds = (performance.now() - mapStarted) / 1000;
tf.dispose([mapX, mapY]);
const mapLstmForecast = tf.tidy(() => {
  const inputs = centredWindows(mapTest.X);
  return Array.from((mapForecaster.predict(inputs) as tf.Tensor).dataSync(), (v) => v + mapMean);
});
const mapLstmMse = meanSquaredError(mapTestNext, mapLstmForecast);
const conditionalMeanMse = meanSquaredError(mapTestNext, chaotic.clean.slice(MAP_TRAIN_LENGTH));
console.log(`LSTM(16) + linear skip on the logistic map: 8 epochs in ${mapSeconds.toFixed(1)} s (${tfSetup.backend}); ` +
  `parabola fitted: ${parabola.map((c) => c.toFixed(3)).join(", ")} (the map: 0, 3.8, −3.8)`);
showTable([
  { forecast: "persistence ŷₜ = yₜ₋₁", "test MSE": mapPersistenceMse },
  { forecast: "AR(20), least squares", "test MSE": mapArMse },
  { forecast: "LSTM(16) + linear skip", "test MSE": mapLstmMse },
  { forecast: "parabola of yₜ₋₁, least squares", "test MSE": meanSquaredError(mapTestNext, parabolaForecast) },
  { forecast: "the conditional mean 3.8·yₜ₋₁(1 − yₜ₋₁) (noise floor σ²)", "test MSE": conditionalMeanMse },
], { caption: "One-step forecasts on 400 held-out steps of the logistic map" });
check("on nonlinear dynamics the LSTM beats AR(20): test MSE ≤ 0.2 × AR(20)'s (calibrated 0.028–0.045 ×)", mapLstmMse <= 0.2 * mapArMse, { ratio: mapLstmMse / mapArMse });
check("… and ≤ 0.5 × persistence's", mapLstmMse <= 0.5 * mapPersistenceMse, { ratio: mapLstmMse / mapPersistenceMse });
checkAllClose("least squares on the last value recovers the map's parabola (a, b, c) = (0, 3.8, −3.8)", parabola, [0, 3.8, -3.8], { abs: 0.05 });
check("… and its forecasts are as good as the true conditional mean (test MSE ≤ 1.05 × the noise floor's)",
  meanSquaredError(mapTestNext, parabolaForecast) <= 1.05 * conditionalMeanMse);

// %% [markdown]
// The return map shows why: plotted against the previous value, the next value lies on a parabola. AR(20)'s
// forecasts are a linear function of 20 lags and scatter around it; the LSTM's follow the parabola. Nonlinear
// dynamics, not "memory", is what the LSTM adds on this series: it depends on one lag only, and a parabola
// fitted to that lag does as well. On real data the shape is unknown, which is where a learnt nonlinear model pays.

// %%
const returnMapTrace = (name: string, forecast: number[], marker: Record<string, unknown>) => ({
  type: "scatter" as const, mode: "markers" as const, name: name, x: lastValue(mapTest.X).slice(0, 200), y: forecast.slice(0, 200), marker: marker,
});
await showFigure({
  data: [
    returnMapTrace("observed y(t)", mapTestNext, { size: 5, color: "#888888" }),
    returnMapTrace("AR(20) forecast", mapArForecast, { size: 6, color: "#e45756", symbol: "x" }),
    returnMapTrace("LSTM forecast", mapLstmForecast, { size: 6, color: "#4c78a8", symbol: "circle-open" }),
  ],
  layout: {
    title: { text: "Logistic map, 200 held-out steps: next value against the previous one" },
    xaxis: { title: { text: "previous value y(t − 1) (series units)" } },
    yaxis: { title: { text: "next value y(t) and its forecasts (series units)" } },
  },
});

// %% [markdown]
// ## 6. Follow-up: bidirectional RNNs, and why they cannot forecast
//
// A bidirectional layer runs one RNN forwards and one backwards and concatenates their states, so its output
// at step t depends on x₁ … x_T, *including the future*. That is right for tagging a finished sentence
// (notebook 18) and wrong for forecasting: trained to predict xₜ₊₁ from the output at t, it would simply read
// xₜ₊₁ through the backward half, score brilliantly in training and have nothing to read at prediction time.
// The leak check: perturb the input at t + 1 and see whether the output at t moves. A forward RNN is causal
// (the change is exactly 0); the bidirectional one is not.

// %%
const forwardRnn = tf.layers.simpleRNN({ units: UNITS, returnSequences: true, kernelInitializer: tf.initializers.glorotUniform({ seed: 16 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 17 }) });
const bidirectional = tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: UNITS, returnSequences: true, kernelInitializer: tf.initializers.glorotUniform({ seed: 18 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 19 }) }) as tf.layers.RNN });
const PROBE_STEP = 3;
const perturbed = sequences.map((xs) => xs.map((x, t) => (t === PROBE_STEP + 1 ? x.map((v) => v + 1) : x)));
const leakOf = (layer: tf.layers.Layer) => tf.tidy(() => {
  const before = layer.apply(tf.tensor3d(sequences)) as tf.Tensor;
  const after = layer.apply(tf.tensor3d(perturbed)) as tf.Tensor;
  return tf.max(tf.abs(tf.sub(after, before).slice([0, 0, 0], [BATCH, PROBE_STEP + 1, -1]))).dataSync()[0]!; // outputs at steps 0 … t
});
const forwardLeak = leakOf(forwardRnn), bidirectionalLeak = leakOf(bidirectional);
console.log(`largest change of the outputs at steps ≤ ${PROBE_STEP} when x at step ${PROBE_STEP + 1} changes: forward ${forwardLeak}, bidirectional ${bidirectionalLeak.toFixed(3)}`);
check("a forward RNN is causal: outputs up to t do not change when x(t+1) changes", forwardLeak === 0);
check("a bidirectional RNN leaks the future: its output at t moves by > 0.01", bidirectionalLeak > 0.01, { bidirectionalLeak });

// %% [markdown]
// ## 7. S0-C4 · The input contract: [batch, timesteps, features]
//
// **Question.** Implement an RNN for sequence modelling (实现一个循环神经网络（RNN），用于序列数据建模). The seed's
// answer feeds a [3, 3] matrix to `SimpleRNN`, which fails in Keras with *expected ndim=3, found ndim=2*. A
// recurrent layer needs a time axis and a feature axis. `lib/sequence/shapes.ts` checks the contract before the
// data reaches a layer and says how to fix it; the forecaster's `levelFreeInputs` calls it.

// %%
const seedMatrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
let contractError = "";
const seedTensor = tf.tensor2d(seedMatrix);
try {
  assertSequenceInput(seedTensor, "S0-C4 input");
} catch (error) {
  contractError = (error as Error).message;
}
seedTensor.dispose();
console.log(contractError);
check("a rank-2 input is refused with an error naming [batch, timesteps, features]", contractError.includes("[batch, timesteps, features]") && contractError.includes("[3, 3]"));
check("… and the reshape it suggests, [3, 3, 1], passes", assertSequenceInput(seedMatrix.map((row) => row.map((v) => [v])), "S0-C4 input").join() === "3,3,1");

// %% [markdown]
// ## Recap
//
// * An RNN applies one cell at every step, hₜ = tanh(xₜW + hₜ₋₁U + b); input [batch, timesteps, features].
//   The hand cells above equal `tf.layers.simpleRNN`, `lstm` and `gru` to 1e-5 with copied weights.
// * tfjs packs LSTM gates as (i, f, c, o) and GRU gates as (z, r, h); its default recurrent activation is
//   hardSigmoid, not Keras's sigmoid. Parameters: n(in + n + 1) per block, 1 / 3 / 4 blocks.
// * A plain RNN does not keep long-term dependencies: ‖∂h_T/∂h_0‖ decays exponentially (≤ ρ^T); the LSTM's
//   additive cell path decays more slowly already at forget bias 1 on random weights, and hardly at all at
//   forget bias 3 (exercise 3): the forget gate is a learnable memory length. Neither cures *exploding* gradients:
//   clip, preferably by global norm, which keeps the update's direction (clipping by value does not).
// * Forecasting: split in time, window, scale on the training part, and compare with persistence and AR(p) on
//   held-out steps before claiming anything. On the sine plus trend the LSTM quarters persistence's error but
//   only ties AR(20): on a linear-predictable series that is the best it can do. On the chaotic logistic map
//   (nonlinear dynamics) it cuts AR(20)'s error more than five-fold. A bidirectional RNN reads the future and
//   cannot forecast.
//
// ## Exercises
//
// 1. **Spot the bug (S0-C4).** The seed's "RNN for sequence modelling":
//
//    ```python
//    x = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
//    y = np.array([2, 5, 8])
//    model = Sequential([
//        SimpleRNN(units=50, activation="tanh", input_shape=(None, 3)),
//        Dense(units=1, activation="linear")
//    ])
//    model.compile(optimizer="adam", loss="mse")
//    model.fit(x, y, epochs=200)
//    x_predict = np.array([[1, 2, 3]])
//    y_predict = model.predict(x_predict)
//    ```
//
//    Why does it fail, and what does TensorFlow.js say for the same input? What shape should `x` have, and why is
//    `x.reshape(3, 1, 3)` (which also runs) not a sequence model? What is the target, and what is wrong with the
//    "evaluation"?
// 2. **Spot the bug (S1-C25, S4-C7).** The two seeds' forecasters:
//
//    ```python
//    model.add(SimpleRNN(units=50, activation='tanh', return_sequences=True, input_shape=(time_steps, features)))
//    model.add(SimpleRNN(units=50, activation='tanh'))
//    model.add(Dense(1))
//    model.fit(x_train, y_train, epochs=100, batch_size=32, validation_data=(x_val, y_val))
//    y_pred = model.predict(x_test)                                          # S1-C25: the end of the answer
//
//    model.fit(x_train, y_train, epochs=100, batch_size=32, validation_data=(x_test, y_test))   # S4-C7
//    ```
//
//    What is missing before anyone could say whether these models work? Write the split so that validation data
//    comes from the training period and the test period comes last, and check that no test value is a
//    training target.
// 3. **The forget bias.** Repeat section 3's LSTM measurement with the forget-gate bias at 0, 1 and 3. Predict the
//    order of the three decay rates before running it.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** `x` is rank 2, [3, 3]: there is no time axis, and Keras stops with *expected ndim=3, found ndim=2*.
// `input_shape=(None, 3)` says "any number of steps of 3 features", so `x.reshape(3, 1, 3)` runs, but that is one
// timestep per sample: the recurrence never happens and the model is a dense layer. The sequence form is
// `x.reshape(3, 3, 1)` with `input_shape=(None, 1)`: three steps of one feature. The target is the *middle*
// element, which for these arithmetic progressions is also the mean of the row: a fixed linear function, not a
// next-step forecast. Three training samples, inputs 1–9 unscaled into tanh units, no seed, and the "prediction"
// is made on a training sample, so it measures memorisation, not generalisation.

// %% tags=["solution"]
let tfjsError = "";
const seedZeros = tf.zeros([3, 3]);
try {
  tf.layers.simpleRNN({ units: 4, inputShape: [null, 3] }).apply(seedZeros);
} catch (error) {
  tfjsError = (error as Error).message;
}
seedZeros.dispose();
console.log(`tfjs on a [3, 3] input: ${tfjsError}`);
check("tfjs refuses the rank-2 input too (without naming the missing axis)", tfjsError.length > 0);
check("[3, 1, 3] passes the contract but has 1 timestep: no recurrence", assertSequenceInput(seedMatrix.map((row) => [row]), "reshape(3, 1, 3)")[1] === 1);
check("the seed's target is the middle element = the mean of each row", [2, 5, 8].every((target, i) => target === seedMatrix[i]![1] && target === seedMatrix[i]!.reduce((a, b) => a + b) / 3));

// %% [markdown] tags=["solution"]
// **2.** Both define no data (`time_steps`, `features`, `x_train`, … are undefined): no windowing, no scaling,
// no split. Nothing is evaluated: no baseline, no metric, no plot, and S1-C25 computes `y_pred` and throws it
// away. S4-C7 passes the test set as `validation_data`, so whatever is tuned on the validation curve (epochs,
// early stopping, model choice) is tuned on the test set. Section 5 is the repaired version. The split, in time
// order: train windows, then validation windows carved from the *end* of the training period, then the test
// period; each segment windowed on its own.

// %% tags=["solution"]
const validationStart = Math.floor(0.8 * TRAIN_LENGTH);
const fitPart = slidingWindows(series.y.slice(0, validationStart), WINDOW, 1);
const validationPart = slidingWindows(series.y.slice(validationStart - WINDOW, TRAIN_LENGTH), WINDOW, 1);
const shift = (indices: number[], by: number) => indices.map((i) => i + by);
const fitTargets = fitPart.targetIndex, validationTargets = shift(validationPart.targetIndex, validationStart - WINDOW), testTargets = shift(test.targetIndex, TRAIN_LENGTH - WINDOW);
check("time order: every fit target < every validation target < every test target", Math.max(...fitTargets) < Math.min(...validationTargets) && Math.max(...validationTargets) < Math.min(...testTargets));
check("no test value is a training or validation target", testTargets.every((t) => t >= TRAIN_LENGTH));
const validationAr = fitAutoregressive(fitPart.X, fitPart.y.map((row) => row[0]!));
console.log(`AR(20) fitted on the first 80 %: validation MSE ${meanSquaredError(validationPart.y.map((row) => row[0]!), validationAr.predict(validationPart.X)).toFixed(4)} (persistence ${meanSquaredError(validationPart.y.map((row) => row[0]!), persistenceForecast(validationPart.X)).toFixed(4)})`);

// %% [markdown] tags=["solution"]
// **3.** Along the cell path the gradient is multiplied by fₜ = σ(forget bias + …) each step. Bias 0 gives
// f ≈ 0.5 (fast decay), 1 gives ≈ 0.73, 3 gives ≈ 0.95 (slow decay). So the log-slopes must increase with the
// bias; that is why Keras initialises it at 1 and why large-bias LSTMs remember long.

// %% tags=["solution"]
const withForgetBias = (forgetBias: number): LstmWeights => ({ ...decayLstm, bias: decayLstm.bias.map((v, k) => (k >= DECAY_UNITS && k < 2 * DECAY_UNITS ? forgetBias : v)) });
const biasSlopes = [0, 1, 3].map((forgetBias) => ({
  forgetBias: forgetBias,
  slope: fitLogLinear(lags, lags.map((T) => jacobianFrobeniusNorm((h) => runLstm(decayInputs.slice(0, T), withForgetBias(forgetBias), h), h0))).slope,
}));
showTable(biasSlopes, { caption: "Log-slope of ‖∂h_T/∂h_0‖ for the LSTM of section 3 at three forget biases" });
check("a larger forget bias gives slower decay: slope(0) < slope(1) < slope(3)", biasSlopes[0]!.slope < biasSlopes[1]!.slope && biasSlopes[1]!.slope < biasSlopes[2]!.slope, { slopes: biasSlopes.map((row) => row.slope) });
