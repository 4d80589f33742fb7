import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { beamSearch, exhaustiveSearch, greedyDecode, type NextTokenLogProbs } from "../../../lib/sequence/decoding";

/**
 * A random second-order Markov model over `vocab` tokens: the next-token log-probabilities are a fixed random
 * function of the last two tokens (seeded per context, so the model does not depend on the order of queries).
 */
function randomModel(seed: number, vocab: number, sharpness = 2): NextTokenLogProbs {
  return (prefixes) => prefixes.map((prefix) => {
    const [a = -1, b = -1] = prefix.slice(-2).length === 2 ? prefix.slice(-2) : [-1, prefix.at(-1) ?? -1];
    const rng = new Random(seed * 7919 + (a + 1) * (vocab + 1) + (b + 1));
    const logits = Array.from({ length: vocab }, () => sharpness * rng.normal(0, 1));
    const max = Math.max(...logits);
    const logZ = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
    return logits.map((l) => l - logZ);
  });
}

test("beam width 1 is exactly greedy decoding, on 100 random models", () => {
  for (let seed = 0; seed < 100; seed++) {
    const options = { eos: 0, maxLength: 6, start: [1] };
    const greedy = greedyDecode(randomModel(seed, 5), options);
    const [beam] = beamSearch(randomModel(seed, 5), { ...options, beamWidth: 1 });
    assert.deepEqual(beam!.tokens, greedy.tokens, `seed ${seed}`);
    assert.ok(Math.abs(beam!.logProb - greedy.logProb) < 1e-12);
  }
});

test("exhaustive search enumerates a distribution: its sequences' probabilities sum to 1", () => {
  for (let seed = 0; seed < 10; seed++) {
    const all = exhaustiveSearch(randomModel(seed, 4), { eos: 0, maxLength: 5 });
    const total = all.reduce((s, h) => s + Math.exp(h.logProb), 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `seed ${seed}: ${total}`);
    assert.ok(all.every((h) => h.finished === (h.tokens.at(-1) === 0)));
  }
});

test("a beam as wide as the search space finds the exhaustive optimum; narrower beams find it more often than greedy", () => {
  let greedyHits = 0, beam3Hits = 0;
  for (let seed = 0; seed < 60; seed++) {
    const options = { eos: 0, maxLength: 4 };
    const best = exhaustiveSearch(randomModel(seed, 4), options)[0]!;
    const [wide] = beamSearch(randomModel(seed, 4), { ...options, beamWidth: 4 ** 4 });
    assert.deepEqual(wide!.tokens, best.tokens, `seed ${seed}`);
    if (greedyDecode(randomModel(seed, 4), options).tokens.join() === best.tokens.join()) greedyHits++;
    if (beamSearch(randomModel(seed, 4), { ...options, beamWidth: 3 })[0]!.tokens.join() === best.tokens.join()) beam3Hits++;
  }
  assert.ok(beam3Hits > greedyHits, `beam 3 found the optimum ${beam3Hits} times, greedy ${greedyHits}`);
  assert.ok(greedyHits < 60, "greedy is not always optimal on these models (else the test proves nothing)");
});

test("a hand-made case where greedy misses the best sequence and a beam of 2 finds it", () => {
  // After BOS: A (0.6) or B (0.4). After A: eos 0.5 / A 0.5 …; after B: eos 0.95. Best: B eos (0.38) > A eos (0.3).
  const [EOS, A, B] = [0, 1, 2];
  const step: NextTokenLogProbs = (prefixes) => prefixes.map((p) => {
    const last = p.at(-1);
    const probs = last === undefined ? [0.0001, 0.5999, 0.4] : last === A ? [0.5, 0.25, 0.25] : [0.95, 0.025, 0.025];
    return probs.map(Math.log);
  });
  assert.deepEqual(greedyDecode(step, { eos: EOS, maxLength: 2 }).tokens, [A, EOS]);
  assert.deepEqual(beamSearch(step, { eos: EOS, maxLength: 2, beamWidth: 2 })[0]!.tokens, [B, EOS]);
});

test("the length penalty divides by ((5 + length) / 6)^α, so α > 0 favours longer outputs", () => {
  const step: NextTokenLogProbs = (prefixes) => prefixes.map((p) => (p.length < 3 ? [Math.log(0.4), Math.log(0.6)] : [Math.log(0.999), Math.log(0.001)]));
  const raw = beamSearch(step, { eos: 0, maxLength: 4, beamWidth: 4 });
  assert.deepEqual(raw[0]!.tokens, [0]);
  const penalised = beamSearch(step, { eos: 0, maxLength: 4, beamWidth: 4, lengthPenalty: 2 });
  for (const h of penalised) assert.ok(Math.abs(h.score - h.logProb / ((5 + h.tokens.length) / 6) ** 2) < 1e-12);
  assert.ok(penalised[0]!.tokens.length > 1, `α = 2 picks ${penalised[0]!.tokens}`);
});

test("bad options and bad step outputs are named", () => {
  const uniform: NextTokenLogProbs = (prefixes) => prefixes.map(() => [Math.log(0.5), Math.log(0.5)]);
  assert.throws(() => greedyDecode(uniform, { eos: 0, maxLength: 0 }), /greedyDecode: maxLength must be an integer ≥ 1, got 0/);
  assert.throws(() => beamSearch(uniform, { eos: 0, maxLength: 3, beamWidth: 0 }), /beamWidth must be an integer ≥ 1, got 0/);
  assert.throws(() => greedyDecode(() => [[0.5, 0.5]], { eos: 0, maxLength: 2 }), /row 0 is not log-probabilities/);
  assert.throws(() => beamSearch(() => [[0], [0]], { eos: 0, maxLength: 2, beamWidth: 2 }), /step returned 2 rows for 1 prefixes/);
  assert.throws(() => exhaustiveSearch(randomModel(0, 10), { eos: 0, maxLength: 8, maxSequences: 1000 }), /more than 1000 sequences/);
});
