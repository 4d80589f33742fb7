/**
 * Train/test splitting and k-fold cross-validation by index, seeded, optionally stratified (scikit-learn's
 * train_test_split and KFold / StratifiedKFold shapes).
 *
 *   const { train, test } = trainTestSplit(labels.length, { testFraction: 0.2, seed: 0, stratify: labels });
 *   const xTrain = take(data, train);
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
  checkSeed("trainTestSplit", seed);
  if (stratify) checkStratify("trainTestSplit", stratify, nSamples, 2, "a stratified split puts each class in both the training and the test part");
  const rng = new Random(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const group of groupByLabel(nSamples, stratify)) {
    const members = rng.shuffle(group);
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

/**
 * Stratification labels: one finite number or string per sample, and every class with at least `minimum`
 * members (scikit-learn refuses a class with a single member: it cannot be on both sides of a split).
 */
function checkStratify(caller: string, stratify: readonly (number | string)[], nSamples: number, minimum: number, why: string): void {
  if (!Array.isArray(stratify)) throw new TypeError(`${caller}: stratify must be an array of class labels, got ${typeof stratify}`);
  if (stratify.length !== nSamples) throw new RangeError(`${caller}: stratify has ${stratify.length} labels for ${nSamples} samples`);
  stratify.forEach((label: unknown, i) => {
    if (!(typeof label === "string" || (typeof label === "number" && Number.isFinite(label)))) {
      throw new TypeError(`${caller}: stratify[${i}] is ${typeof label === "string" ? JSON.stringify(label) : String(label)}, not a finite number or a string`);
    }
  });
  const counts = new Map<number | string, number>();
  for (const label of stratify) counts.set(label, (counts.get(label) ?? 0) + 1);
  for (const [label, count] of counts) {
    if (count < minimum) {
      throw new RangeError(`${caller}: class ${JSON.stringify(label)} of stratify has only ${count} member${count === 1 ? "" : "s"}, too few: ${why} (needs at least ${minimum})`);
    }
  }
}

function checkSeed(caller: string, seed: unknown): void {
  if (typeof seed !== "number" || !Number.isInteger(seed)) throw new TypeError(`${caller}: seed must be an integer, got ${String(seed)}`);
}

/** Indices 0 … n−1 grouped by label, groups in sorted label order; one group when there are no labels. */
function groupByLabel(nSamples: number, labels?: readonly (number | string)[]): number[][] {
  const groups = new Map<number | string, number[]>();
  for (let i = 0; i < nSamples; i++) {
    const key = labels ? labels[i]! : 0;
    const group = groups.get(key) ?? [];
    group.push(i);
    groups.set(key, group);
  }
  return [...groups.keys()].sort().map((key) => groups.get(key)!);
}

/** Picks rows by index: `take(data, split.train)`. */
export function take<T>(items: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => {
    if (i < 0 || i >= items.length || !Number.isInteger(i)) throw new RangeError(`take: index ${i} outside 0…${items.length - 1}`);
    return items[i]!;
  });
}

export interface KFoldOptions {
  /** Number of folds, an integer in [2, nSamples]. */
  k: number;
  /** Shuffle before cutting the folds (default false, as in scikit-learn); needs `seed`. */
  shuffle?: boolean;
  seed?: number;
  /** Class labels: every fold gets each class in the same proportion (sizes per class differ by ≤ 1). */
  stratify?: readonly (number | string)[];
}

/**
 * k-fold cross-validation splits (scikit-learn's KFold / StratifiedKFold): k test folds that partition
 * 0 … nSamples−1, sizes differing by at most one, each paired with the remaining indices as training set.
 * Indices within each part are sorted.
 *
 *   for (const { train, test } of kFold(X.length, { k: 5, shuffle: true, seed: 0 })) { … }
 */
export function kFold(nSamples: number, options: KFoldOptions): Split[] {
  const { k, shuffle = false, seed, stratify } = options;
  if (!Number.isInteger(nSamples) || nSamples < 2) throw new RangeError(`kFold: nSamples must be an integer ≥ 2, got ${nSamples}`);
  if (!Number.isInteger(k) || k < 2 || k > nSamples) throw new RangeError(`kFold: k must be an integer in [2, nSamples = ${nSamples}], got ${k}`);
  if (shuffle && seed === undefined) throw new RangeError("kFold: shuffle: true needs a seed");
  if (seed !== undefined) checkSeed("kFold", seed);
  if (stratify) {
    checkStratify("kFold", stratify, nSamples, 2, "each class must be in the training part of every fold and in some test fold");
    // scikit-learn's StratifiedKFold refuses when no class has k members (and only warns when some have fewer).
    const largest = Math.max(...groupByLabel(nSamples, stratify).map((group) => group.length));
    if (largest < k) throw new RangeError(`kFold: k = ${k} is greater than the number of members of every class of stratify (largest class: ${largest})`);
  }
  const rng = shuffle ? new Random(seed!) : null;
  const foldOf = new Array<number>(nSamples);
  if (stratify) {
    // Deal each class's members round-robin, continuing the count across classes: per-class and total
    // fold sizes then both differ by at most one.
    const order = groupByLabel(nSamples, stratify).flatMap((group) => (rng ? rng.shuffle(group) : group));
    order.forEach((index, position) => (foldOf[index] = position % k));
  } else {
    // Contiguous blocks, the first nSamples mod k one longer (scikit-learn's KFold).
    const order = rng ? rng.permutation(nSamples) : Array.from({ length: nSamples }, (_, i) => i);
    const base = Math.floor(nSamples / k);
    const extra = nSamples % k;
    let fold = 0;
    let end = base + (extra > 0 ? 1 : 0);
    order.forEach((index, position) => {
      if (position === end) end += base + (++fold < extra ? 1 : 0);
      foldOf[index] = fold;
    });
  }
  return Array.from({ length: k }, (_, fold) => {
    const split: Split = { train: [], test: [] };
    foldOf.forEach((f, i) => (f === fold ? split.test : split.train).push(i));
    return split;
  });
}

/**
 * A train/test split by group (scikit-learn's GroupShuffleSplit): every sample of a group lands on the same
 * side, so a test set of held-out groups (phrasing families, templates, speakers) measures generalisation to
 * unseen groups rather than to unseen rows of seen ones.
 *
 *   const { train, test } = groupTrainTestSplit(data.groups, { testFraction: 0.25, seed: 0 });
 */
export interface GroupSplit extends Split {
  /** the groups whose samples form the test part, sorted */
  testGroups: (string | number)[];
}

/** ⌈testFraction · nGroups⌉ groups (as scikit-learn rounds) go to the test part; indices come back ascending. */
export function groupTrainTestSplit(groups: readonly (string | number)[], options: { testFraction: number; seed: number }): GroupSplit {
  const { testFraction, seed } = options;
  if (!Array.isArray(groups)) throw new TypeError(`groupTrainTestSplit: groups must be an array of group labels, got ${typeof groups}`);
  groups.forEach((g: unknown, i) => {
    if (!(typeof g === "string" || (typeof g === "number" && Number.isFinite(g)))) throw new TypeError(`groupTrainTestSplit: groups[${i}] is ${String(g)}, not a finite number or a string`);
  });
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`groupTrainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  if (!Number.isInteger(seed)) throw new TypeError(`groupTrainTestSplit: seed must be an integer, got ${seed}`);
  const distinct = [...new Set(groups)].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const nTest = Math.ceil(testFraction * distinct.length);
  if (distinct.length < 2 || nTest >= distinct.length) {
    throw new RangeError(`groupTrainTestSplit: ${distinct.length} distinct group${distinct.length === 1 ? "" : "s"} with testFraction ${testFraction} leaves an empty part`);
  }
  const testGroups = new Random(seed).shuffle([...distinct]).slice(0, nTest);
  const isTest = new Set(testGroups);
  const split: GroupSplit = { train: [], test: [], testGroups: distinct.filter((g) => isTest.has(g)) };
  groups.forEach((g, i) => (isTest.has(g) ? split.test : split.train).push(i));
  return split;
}
