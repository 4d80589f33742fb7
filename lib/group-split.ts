/**
 * A train/test split by group (scikit-learn's GroupShuffleSplit): every sample of a group lands on the same
 * side, so a test set of held-out groups (phrasing families, templates, speakers) measures generalisation to
 * unseen groups rather than to unseen rows of seen ones.
 *
 *   const { train, test } = groupTrainTestSplit(data.groups, { testFraction: 0.25, seed: 0 });
 */
import { Random } from "./random";
import type { Split } from "./split";

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
