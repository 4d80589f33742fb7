import { test } from "node:test";
import * as assert from "node:assert/strict";
import { sgnsLossAndGradients, trainSkipGram } from "../../../lib/ml/skipgram";
import { gradientRelativeError, numericalGradient } from "../../../lib/math/gradcheck";
import { cosineSimilarity } from "../../../lib/math/similarity";
import { makeSynonymCorpus } from "../../../lib/text/corpora";
import { Random } from "../../../lib/random";

test("SGNS gradients equal central differences of the loss for every vector", () => {
  const rng = new Random(3);
  const d = 5, k = 3;
  const params = Array.from({ length: d * (k + 2) }, () => rng.normal(0, 0.8));
  const split = (p: number[]) => ({ center: p.slice(0, d), context: p.slice(d, 2 * d), negatives: Array.from({ length: k }, (_, i) => p.slice((2 + i) * d, (3 + i) * d)) });
  const loss = (p: number[]) => { const s = split(p); return sgnsLossAndGradients(s.center, s.context, s.negatives).loss; };
  const s = split(params);
  const g = sgnsLossAndGradients(s.center, s.context, s.negatives);
  const analytic = [...g.center, ...g.context, ...g.negatives.flat()];
  assert.ok(gradientRelativeError(analytic, numericalGradient(loss, params)) < 1e-7);
});

test("SGNS loss by hand: −log σ(u_o·v_c) − Σ log σ(−u_n·v_c), and stable for large scores", () => {
  const { loss } = sgnsLossAndGradients([1, 2], [0.5, -1], [[1, 1]]);
  const sigma = (z: number) => 1 / (1 + Math.exp(-z));
  assert.ok(Math.abs(loss - (-Math.log(sigma(-1.5)) - Math.log(sigma(-3)))) < 1e-12);
  assert.ok(Number.isFinite(sgnsLossAndGradients([100, 0], [-100, 0], [[100, 0]]).loss));
  assert.throws(() => sgnsLossAndGradients([1, 2], [1], []), /context has 1 entries, the centre vector 2/);
});

test("trainSkipGram puts each planted synonym class together, its loss falls, and it is seeded", () => {
  const corpus = makeSynonymCorpus({ nSentences: 600, seed: 1 });
  const options = { dimensions: 12, window: 2, negatives: 5, epochs: 6, seed: 4 };
  const model = trainSkipGram(corpus.sentences, options);
  const vector = (w: string) => model.vectors[model.index.get(w)!]!;
  const planted = [...corpus.classOf.keys()];
  for (const w of planted) {
    const same = planted.filter((x) => x !== w && corpus.classOf.get(x) === corpus.classOf.get(w)).map((x) => cosineSimilarity(vector(w), vector(x)));
    const other = planted.filter((x) => corpus.classOf.get(x) !== corpus.classOf.get(w)).map((x) => cosineSimilarity(vector(w), vector(x)));
    assert.ok(Math.min(...same) > Math.max(...other), `${w}: least similar classmate ${Math.min(...same)} vs most similar outsider ${Math.max(...other)}`);
  }
  model.epochLosses.slice(1).forEach((loss, i) => assert.ok(loss < model.epochLosses[i]!, `epoch ${i + 1} loss ${loss} ≥ epoch ${i} loss ${model.epochLosses[i]}`));
  assert.deepEqual(trainSkipGram(corpus.sentences, options).vectors, model.vectors);
  assert.equal(model.vocabulary[0], "the", "most frequent word first");
});

test("trainSkipGram refuses bad options and corpora, naming them", () => {
  const sentences = [["a", "b"]];
  const base = { dimensions: 2, window: 1, negatives: 1, epochs: 1, seed: 0 };
  assert.throws(() => trainSkipGram(sentences, { ...base, window: 0 }), /window must be an integer ≥ 1, got 0/);
  assert.throws(() => trainSkipGram(sentences, { ...base, learningRate: -1 }), /learningRate must be > 0/);
  assert.throws(() => trainSkipGram([["a"], ["b"]], base), /no sentence has two words/);
  assert.throws(() => trainSkipGram([["a", "a"]], base), /at least 2 distinct words/);
  assert.throws(() => trainSkipGram(["a b" as unknown as string[]], base), /sentences\[0\] must be an array of tokens/);
});
