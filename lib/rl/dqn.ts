/**
 * Deep Q-learning pieces: TD targets (plain and double DQN), a replay buffer, and a small MLP Q-network in
 * TensorFlow.js with a target copy that changes only when `syncTarget` is called.
 */
import { tf } from "../tf";
import type { Random } from "../random";

function checkBatch(rewards: readonly number[], dones: readonly boolean[], rows: readonly (readonly number[])[], where: string): void {
  if (dones.length !== rewards.length || rows.length !== rewards.length) {
    throw new RangeError(`${where}: ${rewards.length} rewards, ${dones.length} done flags and ${rows.length} next-state Q rows must match`);
  }
}

/** y = r at a terminal transition, else r + γ · max_a Q_target(s′, a): the DQN target, from the target network's Q values. */
export function tdTargets(rewards: readonly number[], dones: readonly boolean[], nextQTarget: readonly (readonly number[])[], gamma: number): number[] {
  checkBatch(rewards, dones, nextQTarget, "tdTargets");
  return rewards.map((r, i) => (dones[i] ? r : r + gamma * Math.max(...nextQTarget[i]!)));
}

/** Double DQN: the online network picks a′ = argmax_a Q_online(s′, a), the target network values it: y = r + γ · Q_target(s′, a′). */
export function doubleDqnTargets(rewards: readonly number[], dones: readonly boolean[], nextQOnline: readonly (readonly number[])[], nextQTarget: readonly (readonly number[])[], gamma: number): number[] {
  checkBatch(rewards, dones, nextQOnline, "doubleDqnTargets");
  checkBatch(rewards, dones, nextQTarget, "doubleDqnTargets");
  return rewards.map((r, i) => {
    if (dones[i]) return r;
    const online = nextQOnline[i]!;
    return r + gamma * nextQTarget[i]![online.indexOf(Math.max(...online))]!;
  });
}

export interface Transition {
  state: number[];
  action: number;
  reward: number;
  nextState: number[];
  done: boolean;
}

/** A fixed-capacity ring buffer of transitions; sampling is uniform with replacement. */
export class ReplayBuffer {
  private readonly items: Transition[] = [];
  private next = 0;
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ReplayBuffer: capacity must be a positive integer, got ${capacity}`);
  }
  get size(): number {
    return this.items.length;
  }
  push(transition: Transition): void {
    if (this.items.length < this.capacity) this.items.push(transition);
    else this.items[this.next] = transition;
    this.next = (this.next + 1) % this.capacity;
  }
  sample(n: number, rng: Random): Transition[] {
    if (this.items.length === 0) throw new RangeError(`ReplayBuffer.sample: asked for ${n} transitions, the buffer holds 0`);
    return Array.from({ length: n }, () => this.items[rng.int(0, this.items.length)]!);
  }
}

/** A one-hidden-layer ReLU MLP: state vector → one Q value per action. Weights are tf.Variables seeded from `rng`. */
export class MlpQNetwork {
  readonly variables: tf.Variable[];
  constructor(readonly inputSize: number, readonly hidden: number, readonly nActions: number, rng: Random) {
    const init = (rows: number, cols: number) => {
      const limit = Math.sqrt(6 / (rows + cols)); // Glorot uniform
      return tf.tidy(() => tf.variable(tf.tensor2d(Array.from({ length: rows * cols }, () => rng.uniform(-limit, limit)), [rows, cols])));
    };
    const zeros = (n: number) => tf.tidy(() => tf.variable(tf.zeros([n])));
    this.variables = [init(inputSize, hidden), zeros(hidden), init(hidden, nActions), zeros(nActions)];
  }
  /** [batch, inputSize] → [batch, nActions] (call inside tf.tidy or dispose the result). */
  apply(states: tf.Tensor2D): tf.Tensor2D {
    const [w1, b1, w2, b2] = this.variables as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
    return tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(states, w1), b1)), w2), b2) as tf.Tensor2D);
  }
  predict(states: readonly number[][]): number[][] {
    return tf.tidy(() => this.apply(tf.tensor2d(states as number[][], [states.length, this.inputSize])).arraySync());
  }
  copyFrom(source: MlpQNetwork): void {
    this.variables.forEach((v, k) => v.assign(source.variables[k]!));
  }
  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}

export interface DqnOptions {
  inputSize: number;
  hidden: number;
  nActions: number;
  gamma: number;
  learningRate: number;
  /** Copy the online weights into the target network every this many training steps. */
  targetSyncEvery: number;
  double?: boolean;
  rng: Random;
}

/** DQN: an online network trained on TD targets computed with a target network that is synced every `targetSyncEvery` steps. */
export class DqnAgent {
  readonly online: MlpQNetwork;
  readonly target: MlpQNetwork;
  private readonly optimizer: tf.Optimizer;
  trainSteps = 0;
  constructor(readonly options: DqnOptions) {
    const { inputSize, hidden, nActions, rng } = options;
    this.online = new MlpQNetwork(inputSize, hidden, nActions, rng);
    this.target = new MlpQNetwork(inputSize, hidden, nActions, rng);
    this.target.copyFrom(this.online);
    this.optimizer = tf.train.adam(options.learningRate);
  }
  targets(batch: readonly Transition[]): number[] {
    const rewards = batch.map((t) => t.reward);
    const dones = batch.map((t) => t.done);
    const nextStates = batch.map((t) => t.nextState);
    const nextTarget = this.target.predict(nextStates);
    return this.options.double
      ? doubleDqnTargets(rewards, dones, this.online.predict(nextStates), nextTarget, this.options.gamma)
      : tdTargets(rewards, dones, nextTarget, this.options.gamma);
  }
  /** One gradient step on the mean squared TD error of `batch`; returns the loss. */
  trainStep(batch: readonly Transition[]): number {
    const y = this.targets(batch);
    const loss = tf.tidy(() => {
      const states = tf.tensor2d(batch.map((t) => t.state));
      const mask = tf.oneHot(tf.tensor1d(batch.map((t) => t.action), "int32"), this.options.nActions);
      const targets = tf.tensor1d(y);
      const cost = this.optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.sum(tf.mul(this.online.apply(states), mask), 1), targets))) as tf.Scalar, true, this.online.variables);
      return cost!.dataSync()[0]!;
    });
    this.trainSteps += 1;
    if (this.trainSteps % this.options.targetSyncEvery === 0) this.target.copyFrom(this.online);
    return loss;
  }
  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }
}
