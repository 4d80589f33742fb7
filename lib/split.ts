/**
 * Train/test splitting by index, seeded, optionally stratified (scikit-learn's train_test_split shape).
 *
 *   const { train, test } = trainTestSplit(labels.length, { testFraction: 0.2, seed: 0, stratify: labels });
 *   const xTrain = train.map((i) => data[i]);
 */
import { Random } from "./random";

export interface SplitOptions {
  /** Fraction of samples in the test part, in (0, 1). */
  testFraction: number;
  seed: number;
  /** Class labels: each class is split in the same proportion (rounded), so rare classes appear in both parts. */
  stratify?: readonly (number | string)[];
}

export interface Split {
  train: number[];
  test: number[];
}

export function trainTestSplit(nSamples: number, options: SplitOptions): Split {
  const { testFraction, seed, stratify } = options;
  if (!Number.isInteger(nSamples) || nSamples < 2) throw new RangeError(`trainTestSplit: nSamples must be an integer ≥ 2, got ${nSamples}`);
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  if (stratify && stratify.length !== nSamples) {
    throw new RangeError(`trainTestSplit: stratify has ${stratify.length} labels for ${nSamples} samples`);
  }
  const rng = new Random(seed);
  const groups = new Map<number | string, number[]>();
  for (let i = 0; i < nSamples; i++) {
    const key = stratify ? stratify[i]! : 0;
    const group = groups.get(key) ?? [];
    group.push(i);
    groups.set(key, group);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...groups.keys()].sort()) {
    const members = rng.shuffle(groups.get(key)!);
    const nTest = Math.round(members.length * testFraction);
    test.push(...members.slice(0, nTest));
    train.push(...members.slice(nTest));
  }
  if (train.length === 0 || test.length === 0) {
    throw new RangeError(`trainTestSplit: testFraction ${testFraction} of ${nSamples} samples leaves an empty part`);
  }
  // Shuffle across groups so batches are not sorted by class.
  return { train: rng.shuffle(train), test: rng.shuffle(test) };
}

/** Picks rows by index: `take(data, split.train)`. */
export function take<T>(items: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => {
    if (i < 0 || i >= items.length || !Number.isInteger(i)) throw new RangeError(`take: index ${i} outside 0…${items.length - 1}`);
    return items[i]!;
  });
}
