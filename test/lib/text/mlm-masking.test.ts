import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { maskTokens } from "../../../lib/text/mlm-masking";

const SPECIAL = [0, 1, 2, 3, 4];
const V = 50;
const options = (seed: number) => ({ maskId: 4, vocabularySize: V, specialIds: SPECIAL, random: new Random(seed) });

/** Rows like BERT's inputs: [CLS] tokens [SEP] tokens [SEP] [PAD]…, token ids 5 … V − 1. */
function makeRows(count: number, length: number, seed: number): number[][] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => {
    const real = random.int(4, length + 1);
    const split = random.int(1, real - 2);
    return Array.from({ length }, (_, t) => (t === 0 ? 2 : t === split || t === real - 1 ? 3 : t >= real ? 0 : random.int(5, V)));
  });
}

test("a tiny case by hand: every draw replayed from the same seed", () => {
  const rows = [[2, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 3, 0, 0]];
  const masked = maskTokens(rows, { ...options(7), selectProbability: 0.5 });
  // The same coins, drawn in the documented order: per ordinary token one selection coin; if selected, one action
  // coin, and for "random" one draw among the 45 ordinary ids 5 … 49.
  const replay = new Random(7);
  rows[0]!.forEach((id, t) => {
    if (SPECIAL.includes(id)) {
      assert.equal(masked.weights[0]![t], 0);
      assert.equal(masked.inputIds[0]![t], id);
      return;
    }
    if (replay.random() >= 0.5) {
      assert.deepEqual([masked.weights[0]![t], masked.inputIds[0]![t], masked.actions[0]![t]], [0, id, null]);
      return;
    }
    const u = replay.random();
    const expected = u < 0.8 ? 4 : u < 0.9 ? 5 + replay.int(0, 45) : id;
    assert.deepEqual([masked.weights[0]![t], masked.inputIds[0]![t]], [1, expected]);
  });
  assert.deepEqual(masked.labels, rows);
  // With p = 0.5 on 11 tokens, something is selected and something is not (this seed).
  assert.ok(masked.weights[0]!.some((w) => w === 1) && masked.weights[0]!.some((w, t) => w === 0 && !SPECIAL.includes(rows[0]![t]!)));
});

test("edge probabilities: all selected and all [MASK]; nothing selected", () => {
  const rows = [[2, 7, 8, 9, 3, 0]];
  const all = maskTokens(rows, { ...options(1), selectProbability: 1, maskShare: 1, randomShare: 0 });
  assert.deepEqual(all.inputIds, [[2, 4, 4, 4, 3, 0]]);
  assert.deepEqual(all.weights, [[0, 1, 1, 1, 0, 0]]);
  const none = maskTokens(rows, { ...options(1), selectProbability: 0 });
  assert.deepEqual(none.inputIds, rows);
  assert.deepEqual(none.weights, [[0, 0, 0, 0, 0, 0]]);
});

test("over 40,000 tokens: 15 % selected, 80/10/10 among them (binomial bounds), specials and padding never", () => {
  const rows = makeRows(1000, 64, 3);
  const masked = maskTokens(rows, options(11));
  let ordinary = 0, selected = 0, maskCount = 0, randomCount = 0, keepCount = 0;
  const drawn = new Set<number>();
  rows.forEach((row, r) => row.forEach((id, t) => {
    const w = masked.weights[r]![t]!, input = masked.inputIds[r]![t]!, action = masked.actions[r]![t];
    if (SPECIAL.includes(id)) {
      assert.equal(w, 0, "special or padding never selected");
      assert.equal(input, id, "special or padding never changed");
      return;
    }
    ordinary++;
    if (w === 0) {
      assert.equal(input, id);
      return;
    }
    selected++;
    if (action === "mask") { maskCount++; assert.equal(input, 4); }
    else if (action === "random") { randomCount++; assert.ok(input >= 5 && input < V, "random replacements are ordinary ids"); drawn.add(input); }
    else { keepCount++; assert.equal(input, id); }
  }));
  assert.ok(ordinary >= 20_000, `${ordinary} ordinary tokens`);
  // Bounds at 4.5 standard deviations of the binomial: a correct implementation fails them about once in 150,000 runs.
  const within = (count: number, n: number, p: number) => Math.abs(count / n - p) <= 4.5 * Math.sqrt((p * (1 - p)) / n);
  assert.ok(within(selected, ordinary, 0.15), `selected ${selected} of ${ordinary}`);
  assert.ok(Math.abs(selected / ordinary - 0.15) < 0.01, "within the catalog's 15 % ± 1 %");
  assert.ok(within(maskCount, selected, 0.8), `[MASK] ${maskCount} of ${selected}`);
  assert.ok(within(randomCount, selected, 0.1), `random ${randomCount} of ${selected}`);
  assert.ok(within(keepCount, selected, 0.1), `kept ${keepCount} of ${selected}`);
  // The random replacements spread over the ordinary ids (≈ 600 draws over 45 ids).
  assert.ok(drawn.size >= 40, `${drawn.size} distinct random ids`);
  // The loss weight is 1 exactly where a token was selected.
  masked.weights.forEach((row, r) => row.forEach((w, t) => assert.equal(w === 1, masked.actions[r]![t] !== null)));
});

test("seeded: the same seed gives the same corruption, another seed another", () => {
  const rows = makeRows(50, 32, 5);
  assert.deepEqual(maskTokens(rows, options(2)), maskTokens(rows, options(2)));
  assert.notDeepEqual(maskTokens(rows, options(2)).inputIds, maskTokens(rows, options(3)).inputIds);
});

test("bad options and ids are refused with the name and value", () => {
  assert.throws(() => maskTokens([[2, 60]], options(0)), /rows\[0\]\[1\] = 60 is not an id in 0 … 49/);
  assert.throws(() => maskTokens([[2]], { ...options(0), selectProbability: 1.5 }), /selectProbability must be in \[0, 1\], got 1.5/);
  assert.throws(() => maskTokens([[2]], { ...options(0), maskShare: 0.9, randomShare: 0.2 }), /maskShare \+ randomShare must be ≤ 1/);
  assert.throws(() => maskTokens([[2]], { ...options(0), specialIds: [0, 1] }), /specialIds must include maskId 4/);
});
