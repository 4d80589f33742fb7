/**
 * An epoch loop around a compiled tf.LayersModel that records what the notebooks plot and check:
 *
 *   model.compile({ optimizer: tf.train.adam(2e-3), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
 *   const history = await fitEpochs(model, x, y, {
 *     epochs: 8, batchSize: 64, validation: { x: xVal, y: yVal },
 *     augment: (batch, epoch) => randomTranslate(batch, 1, 1000 + epoch),   // fresh shifts every epoch
 *     learningRateDecay: 0.8,                                                 // lr × 0.8 after each epoch
 *   });
 *   history.map((e) => e.valAccuracy);
 *
 * Each record carries the training loss and accuracy (means over the epoch, as Keras reports them), the
 * validation loss and accuracy after the epoch, the learning rate used, the seconds taken and the number of live
 * tensors, so a notebook can show that training does not leak. Shuffling uses tfjs's own (Math.random, seeded by
 * setupTf).
 *
 * `earlyStopping: { patience: 2, restoreBestWeights: true }` stops as Keras's `EarlyStopping` callback does: after
 * `patience` epochs in a row whose monitored value (default the validation loss) did not beat the best one by more
 * than `minDelta`, and, with `restoreBestWeights`, puts back the weights of the best epoch at the end (Keras 3
 * restores them whenever training ends; Keras 2 only when it stopped early). The returned history says which epoch
 * was best and where training stopped.
 */
import { tf } from "../tf";

export interface EpochRecord {
  /** 1-based */
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
  /** Wall-clock seconds of this epoch's training (augmentation included, validation excluded). */
  seconds: number;
  /** tf.memory().numTensors after the epoch. */
  liveTensors: number;
}

export interface FitEpochsOptions {
  epochs: number;
  batchSize?: number;
  validation?: { x: tf.Tensor; y: tf.Tensor };
  /** Makes the epoch's training inputs from `x` (e.g. random shifts); its result is disposed after the epoch. */
  augment?: (x: tf.Tensor, epoch: number) => tf.Tensor;
  /** Multiply the optimizer's learning rate by this after every epoch (default 1: constant). */
  learningRateDecay?: number;
  onEpoch?: (record: EpochRecord) => void;
  earlyStopping?: EarlyStoppingOptions;
}

/** Keras's EarlyStopping arguments, under their camel-case names. */
export interface EarlyStoppingOptions {
  /** The record field to watch (default "valLoss"), or a function of the record (e.g. a scripted sequence in a test). */
  monitor?: "valLoss" | "valAccuracy" | "loss" | "accuracy" | ((record: EpochRecord) => number);
  /** "min" (lower is better) or "max"; "auto" (default) is "max" for accuracies and "min" otherwise, as in Keras. */
  mode?: "auto" | "min" | "max";
  /** Epochs without improvement after which training stops (default 0: stop at the first epoch that does not improve). */
  patience?: number;
  /** An epoch improves only if it beats the best value by more than this (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends (default false: keep the last epoch's). */
  restoreBestWeights?: boolean;
}

/** What fitEpochs returns: one record per epoch run, plus what early stopping decided (epochs are 1-based). */
export type FitHistory = EpochRecord[] & {
  /** The epoch with the best monitored value (null without earlyStopping). */
  bestEpoch: number | null;
  /** The epoch after which early stopping ended training (null if it ran all `epochs`). */
  stoppedEpoch: number | null;
};

/**
 * Keras's EarlyStopping rule on its own: `update(value)` after each epoch returns true when training should stop.
 * An epoch improves when value < best − minDelta (mode "min") or value > best + minDelta ("max"); the counter of
 * epochs without improvement resets on an improvement, and training stops once it reaches `patience`.
 */
export class EarlyStopping {
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: "min" | "max";
  best: number;
  bestEpoch: number | null = null;
  /** Epochs since the last improvement. */
  wait = 0;
  private epoch = 0;

  constructor(options: { patience?: number; minDelta?: number; mode: "min" | "max" }) {
    this.patience = options.patience ?? 0;
    this.minDelta = options.minDelta ?? 0;
    this.mode = options.mode;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new RangeError(`EarlyStopping: patience must be an integer ≥ 0, got ${options.patience}`);
    if (!(this.minDelta >= 0)) throw new RangeError(`EarlyStopping: minDelta must be a number ≥ 0, got ${options.minDelta}`);
    if (this.mode !== "min" && this.mode !== "max") throw new RangeError(`EarlyStopping: mode must be "min" or "max", got ${String(options.mode)}`);
    this.best = this.mode === "min" ? Infinity : -Infinity;
  }

  /** Records the value of the next epoch; returns whether it improved on the best. */
  improves(value: number): boolean {
    if (!Number.isFinite(value)) throw new RangeError(`EarlyStopping: epoch ${this.epoch + 1}'s monitored value is ${value}, not a finite number`);
    this.epoch += 1;
    const better = this.mode === "min" ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (better) {
      this.best = value;
      this.bestEpoch = this.epoch;
      this.wait = 0;
    } else {
      this.wait += 1;
    }
    return better;
  }

  /** True once `patience` epochs in a row have not improved (never before the first epoch). */
  shouldStop(): boolean {
    return this.epoch > 0 && this.bestEpoch !== this.epoch && this.wait >= this.patience;
  }
}

function monitorOf(options: EarlyStoppingOptions): { read: (record: EpochRecord) => number; mode: "min" | "max" } {
  const monitor = options.monitor ?? "valLoss";
  const fields = ["valLoss", "valAccuracy", "loss", "accuracy"];
  if (typeof monitor !== "function" && !fields.includes(monitor)) throw new RangeError(`fitEpochs: earlyStopping.monitor must be one of ${fields.join(", ")} or a function, got ${String(monitor)}`);
  const mode = options.mode ?? "auto";
  if (!["auto", "min", "max"].includes(mode)) throw new RangeError(`fitEpochs: earlyStopping.mode must be "auto", "min" or "max", got ${String(mode)}`);
  const resolved = mode !== "auto" ? mode : typeof monitor === "string" && /accuracy/i.test(monitor) ? "max" : "min";
  const read = typeof monitor === "function" ? monitor : (record: EpochRecord) => {
    const value = record[monitor];
    if (value === null) throw new Error(`fitEpochs: earlyStopping monitors ${monitor}, so pass validation data`);
    return value;
  };
  return { read, mode: resolved };
}

/** The optimizers of tf.train keep their step size in a `learningRate` field (not part of the typed API). */
interface HasLearningRate {
  learningRate: number;
}

function optimizerOf(model: tf.LayersModel): HasLearningRate {
  const optimizer = model.optimizer as unknown as Partial<HasLearningRate> | undefined;
  if (!optimizer) throw new Error("fitEpochs: compile the model first (model.compile({ optimizer, loss, metrics: ['accuracy'] }))");
  if (typeof optimizer.learningRate !== "number") throw new Error(`fitEpochs: the optimizer ${model.optimizer.getClassName()} has no numeric learningRate to decay`);
  return optimizer as HasLearningRate;
}

function metric(logs: Record<string, unknown[]>, names: string[]): number | null {
  for (const name of names) {
    const values = logs[name];
    if (values && values.length > 0) return Number(values[values.length - 1]);
  }
  return null;
}

export async function fitEpochs(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitEpochsOptions): Promise<FitHistory> {
  const { epochs, batchSize = 32, validation, augment, learningRateDecay = 1, onEpoch, earlyStopping } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`fitEpochs: epochs must be an integer ≥ 1, got ${epochs}`);
  if (!(learningRateDecay > 0)) throw new RangeError(`fitEpochs: learningRateDecay must be > 0, got ${learningRateDecay}`);
  if (x.shape[0] !== y.shape[0]) throw new RangeError(`fitEpochs: x has ${x.shape[0]} samples but y has ${y.shape[0]}`);
  const optimizer = optimizerOf(model);
  const monitor = earlyStopping ? monitorOf(earlyStopping) : null;
  const stopper = earlyStopping && monitor ? new EarlyStopping({ patience: earlyStopping.patience, minDelta: earlyStopping.minDelta, mode: monitor.mode }) : null;
  const history = Object.assign([] as EpochRecord[], { bestEpoch: null as number | null, stoppedEpoch: null as number | null });
  // The best epoch's weights are kept as plain arrays (exact copies), so the live tensor count stays flat.
  let bestWeights: { values: tf.TypedArray; shape: number[]; dtype: tf.DataType }[] | null = null;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const record = await runEpoch(epoch);
    if (!stopper || !monitor) continue;
    if (stopper.improves(monitor.read(record)) && earlyStopping?.restoreBestWeights) {
      bestWeights = model.getWeights().map((w) => ({ values: w.dataSync().slice(), shape: w.shape, dtype: w.dtype }));
    }
    history.bestEpoch = stopper.bestEpoch;
    if (stopper.shouldStop() && epoch < epochs) {
      history.stoppedEpoch = epoch;
      break;
    }
  }
  if (bestWeights) {
    const tensors = bestWeights.map((w) => tf.tensor(w.values, w.shape, w.dtype));
    model.setWeights(tensors);
    tf.dispose(tensors);
  }
  return history;

  async function runEpoch(epoch: number): Promise<EpochRecord> {
    const learningRate = optimizer.learningRate;
    const started = performance.now();
    const inputs = augment ? augment(x, epoch) : x;
    let logs: Record<string, unknown[]>;
    try {
      const result = await model.fit(inputs, y, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
      logs = result.history as Record<string, unknown[]>;
    } finally {
      if (inputs !== x) inputs.dispose();
    }
    const seconds = (performance.now() - started) / 1000;
    let valLoss: number | null = null;
    let valAccuracy: number | null = null;
    if (validation) {
      const scores = model.evaluate(validation.x, validation.y, { batchSize: 500 }) as tf.Scalar[];
      [valLoss, valAccuracy] = scores.map((s) => s.dataSync()[0]!) as [number, number];
      tf.dispose(scores);
    }
    const loss = metric(logs, ["loss"]);
    const accuracy = metric(logs, ["acc", "accuracy"]);
    if (loss === null || accuracy === null) throw new Error("fitEpochs: compile the model with metrics: ['accuracy'] so that accuracy is recorded");
    optimizer.learningRate = learningRate * learningRateDecay;
    const record: EpochRecord = { epoch, loss, accuracy, valLoss, valAccuracy, learningRate, seconds, liveTensors: tf.memory().numTensors };
    history.push(record);
    onEpoch?.(record);
    return record;
  }
}
