import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { greedyDecode, type NextTokenLogProbs } from "../../../lib/sequence/decoding";
import {
  drawFrom, perplexity, sampleDecode, sampleToken, samplingDistribution, temperatureSoftmax, topKCandidates, topPCandidates,
} from "../../../lib/sequence/sampling";

/** Probabilities that are multiples of 1/20 over `vocab` tokens, so that ties (and zeros) are common. */
function quantisedProbabilities(rng: Random, vocab: number): number[] {
  const units = new Array<number>(vocab).fill(0);
  for (let i = 0; i < 20; i++) units[rng.int(0, vocab)]! += 1;
  return units.map((u) => u / 20);
}

/** Logits with frequent ties: small integers. */
function tiedLogits(rng: Random, vocab: number): number[] {
  return Array.from({ length: vocab }, () => rng.int(-3, 3));
}

/** The argmax written as a loop, lowest id on ties: the greedy truth. */
function firstArgmax(values: readonly number[]): number {
  let best = 0;
  values.forEach((v, i) => { if (v > values[best]!) best = i; });
  return best;
}

/** Token a beats token b: more probable, or as probable with a lower id. */
const beats = (probs: readonly number[], a: number, b: number) => probs[a]! > probs[b]! || (probs[a] === probs[b] && a < b);

/** A second-order random Markov model (as in decoding.test.ts), seeded per context. */
function randomModel(seed: number, vocab: number): NextTokenLogProbs {
  return (prefixes) => prefixes.map((prefix) => {
    const context = prefix.slice(-2);
    const rng = new Random(seed * 7919 + (context[0] ?? -1) * 31 + (context[1] ?? -1) + 100);
    const logits = Array.from({ length: vocab }, () => 2 * rng.normal(0, 1));
    const max = Math.max(...logits);
    const logZ = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
    return logits.map((l) => l - logZ);
  });
}

test("temperature 1 is the plain softmax, and temperature T equals softmax of logits / T", () => {
  const rng = new Random(1);
  for (let trial = 0; trial < 50; trial++) {
    const logits = Array.from({ length: 7 }, () => 3 * rng.normal(0, 1));
    const z = logits.reduce((s, l) => s + Math.exp(l), 0);
    temperatureSoftmax(logits, 1).forEach((p, i) => assert.ok(Math.abs(p - Math.exp(logits[i]!) / z) < 1e-12));
    const T = rng.uniform(0.2, 3);
    const scaled = temperatureSoftmax(logits.map((l) => l / T), 1);
    temperatureSoftmax(logits, T).forEach((p, i) => assert.ok(Math.abs(p - scaled[i]!) < 1e-12));
  }
});

test("temperature → 0 concentrates on the argmax, and temperature 0 and top-k = 1 draw the greedy token whatever the seed", () => {
  const rng = new Random(2);
  for (let trial = 0; trial < 200; trial++) {
    const logits = trial % 2 === 0 ? tiedLogits(rng, 6) : Array.from({ length: 6 }, () => rng.normal(0, 1));
    const greedy = firstArgmax(logits);
    const draws = new Random(trial);
    for (let i = 0; i < 20; i++) {
      assert.equal(sampleToken(logits, { temperature: 0 }, draws), greedy);
      assert.equal(sampleToken(logits, { topK: 1, temperature: 1.7 }, draws), greedy);
      assert.equal(sampleToken(logits, { topP: 1e-9 }, draws), greedy);
    }
    if (new Set(logits).size === logits.length) {
      // Distinct logits: the argmax's probability increases to 1 as T decreases.
      const maxProbs = [1, 0.3, 0.1, 0.01, 1e-4].map((T) => temperatureSoftmax(logits, T)[greedy]!);
      for (let i = 1; i < maxProbs.length; i++) assert.ok(maxProbs[i]! >= maxProbs[i - 1]!);
      assert.ok(maxProbs.at(-1)! > 1 - 1e-12);
    }
  }
});

test("sampled decoding at temperature 0 or top-k = 1 is greedyDecode, on 30 random models", () => {
  for (let seed = 0; seed < 30; seed++) {
    const options = { eos: 0, maxLength: 8, start: [1] };
    const greedy = greedyDecode(randomModel(seed, 5), options);
    for (const sampling of [{ temperature: 0 }, { topK: 1 }]) {
      const sampled = sampleDecode(randomModel(seed, 5), { ...options, ...sampling, seed: 1000 + seed });
      assert.deepEqual(sampled.tokens, greedy.tokens, `seed ${seed}`);
      assert.ok(Math.abs(sampled.logProb - greedy.logProb) < 1e-12);
    }
  }
});

test("top-k equals a brute-force definition (a token is kept iff fewer than k tokens beat it), ties included", () => {
  const rng = new Random(3);
  for (let trial = 0; trial < 300; trial++) {
    const vocab = rng.int(1, 9);
    const probs = quantisedProbabilities(rng, vocab);
    const k = rng.int(1, vocab + 3);
    const got = topKCandidates(probs, k);
    const kept = probs.map((_, t) => t).filter((t) => probs.filter((_, u) => beats(probs, u, t)).length < k);
    assert.deepEqual([...got].sort((a, b) => a - b), kept, `probs ${probs}, k ${k}`);
    for (let i = 1; i < got.length; i++) assert.ok(beats(probs, got[i - 1]!, got[i]!), "most likely first");
  }
});

test("top-p is the smallest set with mass ≥ p (brute force over every subset), the most likely one, ties to lower ids", () => {
  const rng = new Random(4);
  for (let trial = 0; trial < 300; trial++) {
    const vocab = rng.int(1, 8);
    const probs = quantisedProbabilities(rng, vocab);
    // p on the fixture's own cumulative boundaries half the time: the edge where ≥ versus > matters.
    const p = trial % 2 === 0 ? rng.int(1, 21) / 20 : rng.uniform(0.01, 1);
    let smallest = Infinity;
    for (let mask = 1; mask < 1 << vocab; mask++) {
      const members = probs.map((_, t) => t).filter((t) => mask & (1 << t));
      const mass = members.reduce((s, t) => s + probs[t]!, 0);
      if (mass >= p - 1e-12) smallest = Math.min(smallest, members.length);
    }
    const got = topPCandidates(probs, p);
    assert.equal(got.length, smallest, `probs ${probs}, p ${p}`);
    assert.ok(got.reduce((s, t) => s + probs[t]!, 0) >= p - 1e-12);
    assert.deepEqual(got, topKCandidates(probs, smallest), "the top tokens by probability, lower ids first on ties");
  }
  // Probabilities that sum to 1 only within rounding: p = 1 still keeps no zero-probability token.
  assert.deepEqual(topPCandidates([0.6, 0, 0.3999995], 1), [0, 2]);
});

test("seeded draws match the renormalised truncated distribution within a binomial bound; excluded tokens never appear", () => {
  const rng = new Random(5);
  const draws = 20_000;
  for (let trial = 0; trial < 8; trial++) {
    const logits = Array.from({ length: 10 }, () => 1.5 * rng.normal(0, 1));
    const options = [{ temperature: 0.7 }, { topK: 4 }, { topP: 0.8 }, { temperature: 1.5, topK: 6, topP: 0.9 }][trial % 4]!;
    // The truth written independently: temperature softmax, then keep, then renormalise.
    const probs = temperatureSoftmax(logits, options.temperature ?? 1);
    const ranked = probs.map((_, t) => t).sort((a, b) => probs[b]! - probs[a]! || a - b);
    let kept = ranked.slice(0, "topK" in options ? options.topK : probs.length);
    if ("topP" in options) {
      const keptMass = kept.reduce((s, t) => s + probs[t]!, 0);
      let mass = 0;
      kept = kept.filter((t) => { const before = mass; mass += probs[t]! / keptMass; return before < options.topP! - 1e-12; });
    }
    const keptMass = kept.reduce((s, t) => s + probs[t]!, 0);
    const expected = probs.map((p, t) => (kept.includes(t) ? p / keptMass : 0));
    samplingDistribution(logits, options).forEach((p, t) => assert.ok(Math.abs(p - expected[t]!) < 1e-12, `trial ${trial} token ${t}`));
    const counts = new Array<number>(10).fill(0);
    const sampler = new Random(100 + trial);
    for (let i = 0; i < draws; i++) counts[sampleToken(logits, options, sampler)]! += 1;
    counts.forEach((count, t) => {
      if (expected[t] === 0) assert.equal(count, 0, `trial ${trial}: token ${t} is outside the candidates`);
      // 5 standard deviations: a false alarm has probability < 1e-6 per token.
      const sd = Math.sqrt(draws * expected[t]! * (1 - expected[t]!));
      assert.ok(Math.abs(count - draws * expected[t]!) <= 5 * sd + 1, `trial ${trial} token ${t}: ${count} vs ${draws * expected[t]!}`);
    });
  }
});

test("a fixed seed gives the same sample; different seeds give different ones", () => {
  const model = randomModel(7, 6);
  const options = { eos: 0, maxLength: 30, start: [2], temperature: 1.2 };
  const a = sampleDecode(model, { ...options, seed: 11 });
  assert.deepEqual(sampleDecode(model, { ...options, seed: 11 }), a);
  const others = [12, 13, 14, 15].map((seed) => sampleDecode(model, { ...options, seed }).tokens.join(","));
  assert.ok(others.some((tokens) => tokens !== a.tokens.join(",")));
});

test("masked tokens (logit −Infinity) are never drawn; drawFrom never returns a zero-probability token at u near 1", () => {
  const logits = [0, -Infinity, 1, -Infinity];
  const rng = new Random(6);
  for (let i = 0; i < 2000; i++) assert.ok([0, 2].includes(sampleToken(logits, {}, rng)));
  const almostOne = { random: () => 1 - 2 ** -53 } as unknown as Random;
  assert.equal(drawFrom([0.3, 0.7 - 1e-9, 1e-9, 0], almostOne), 2);
});

test("perplexity is exp(mean NLL): probabilities 1/2, 1/4, 1/8 give 4; a uniform model over V tokens gives V", () => {
  assert.ok(Math.abs(perplexity([Math.log(2), Math.log(4), Math.log(8)]) - 4) < 1e-12);
  for (const V of [2, 27, 65]) assert.ok(Math.abs(perplexity(new Array(13).fill(Math.log(V))) - V) < 1e-9);
  assert.equal(perplexity([0, 0]), 1);
});

test("bad arguments are refused with the name and the value", () => {
  const probs = [0.5, 0.25, 0.25];
  assert.throws(() => topKCandidates(probs, 0), /k must be an integer ≥ 1, got 0/);
  assert.throws(() => topKCandidates(probs, 1.5), /k must be an integer ≥ 1, got 1.5/);
  assert.throws(() => samplingDistribution([1, 2], { topK: -1 }), /topK must be an integer ≥ 1, got -1/);
  for (const p of [0, -0.1, 1.01, NaN]) {
    assert.throws(() => topPCandidates(probs, p), /p must be in \(0, 1\]/);
    assert.throws(() => samplingDistribution([1, 2], { topP: p }), /p must be in \(0, 1\]/);
  }
  for (const temperature of [-1, NaN, Infinity]) assert.throws(() => temperatureSoftmax([1, 2], temperature), /temperature must be finite and ≥ 0/);
  assert.throws(() => temperatureSoftmax([1, NaN, 2]), /logit 1 is NaN/);
  assert.throws(() => temperatureSoftmax([Infinity, 2]), /logit 0 is Infinity/);
  assert.throws(() => temperatureSoftmax([-Infinity, -Infinity]), /every logit is −Infinity/);
  assert.throws(() => temperatureSoftmax([]), /logits are empty/);
  assert.throws(() => topKCandidates([0.5, 0.6], 1), /must sum to 1/);
  assert.throws(() => topKCandidates([1.5, -0.5], 1), /probability 0 must be in \[0, 1\]/);
  for (const nlls of [[], [-0.1], [NaN], [Infinity]]) assert.throws(() => perplexity(nlls), /perplexity/);
  assert.throws(() => sampleDecode(randomModel(0, 3), { eos: 0, maxLength: 0, seed: 1 }), /maxLength must be an integer ≥ 1/);
});
