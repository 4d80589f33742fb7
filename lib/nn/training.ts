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

export async function fitEpochs(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitEpochsOptions): Promise<EpochRecord[]> {
  const { epochs, batchSize = 32, validation, augment, learningRateDecay = 1, onEpoch } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`fitEpochs: epochs must be an integer ≥ 1, got ${epochs}`);
  if (!(learningRateDecay > 0)) throw new RangeError(`fitEpochs: learningRateDecay must be > 0, got ${learningRateDecay}`);
  if (x.shape[0] !== y.shape[0]) throw new RangeError(`fitEpochs: x has ${x.shape[0]} samples but y has ${y.shape[0]}`);
  const optimizer = optimizerOf(model);
  const history: EpochRecord[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
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
  }
  return history;
}
