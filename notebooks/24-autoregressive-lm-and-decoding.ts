// %% [markdown]
// # 24 · Autoregressive language models and decoding
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S2-Q1 | What is an LLM and how does it work? | 什么是LLM，它如何工作？ |
// | S2-Q5 | How do you use GPT for language generation? | 讲解如何使用GPT模型进行语言生成 |
// | S2-Q13 | How do you use T5 for text generation? | 讲解如何使用T5模型进行文本生成 |
//
// **The short answer an interviewer wants.** A (large) language model is a probability model of text written as a
// product of next-token predictions, p(x₁ … x_n) = ∏ₜ p(xₜ | x<ₜ). A GPT-style LLM computes every factor with a
// stack of **decoder-only Transformer blocks** whose self-attention is **causal** (position t sees positions ≤ t
// only), and is trained on one objective: minimise the cross-entropy of the next token over a huge corpus
// (self-supervised: the text is its own label). "Large" is scale: GPT-2 has 124 M–1.5 B parameters trained on
// 40 GB of web text, GPT-3 175 B parameters on ≈ 300 B tokens. Held-out quality is the mean negative
// log-likelihood per token, or its exponential, **perplexity**. Text is generated **autoregressively**: predict a
// distribution, pick a token (greedy, or **sample** with a temperature, top-k or nucleus/top-p truncation), append
// it, repeat. T5 frames every task as text-to-text with an encoder–decoder, and was trained with **task prefixes**
// ("translate English to German: …", "summarize: …"), so it must be prompted with one.
//
// Everything here is a miniature trained in this notebook on Shakespeare's text (no hub weights can be
// downloaded): a character bigram model as the baseline, then a tiny GPT (one causal block, d = 64, ≈ 61 k
// parameters) trained for ≈ 10 s. Its text will be poor; the mechanisms are the real ones, and every claim is a
// check against an independent truth (a hand count, a brute-force definition, a perturbation, a calibrated margin
// over a baseline).

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkClose } from "./lib/check";
import { loadTinyShakespeare } from "./lib/data";
import { tokenizeChars } from "./lib/text/tokenize";
import { Vocabulary } from "./lib/text/vocabulary";
import { BigramLanguageModel } from "./lib/text/ngram";
import { causalLanguageModel, causalLanguageModelParameterCount } from "./lib/attention/causal-lm";
import { MultiHeadAttention, PaddingMask } from "./lib/attention/multi-head";
import { PositionEmbedding } from "./lib/attention/positional";
import { transformerDecoderBlock, transformerEncoderBlock } from "./lib/attention/transformer";
import { fitMinibatchLoss } from "./lib/nn/minibatch";
import { padSequences } from "./lib/text/padding";
import { fitSequenceModel, greedyDecodeBatch, teacherForcingBatch } from "./lib/sequence/seq2seq";
import { applyTextTask, makeTextToTextExamples, taskPrefix, TEXT_TO_TEXT_TASKS, type TextToTextExample, type TextToTextTask } from "./lib/sequence/text-to-text";
import { greedyDecode, type NextTokenLogProbs } from "./lib/sequence/decoding";
import { perplexity, sampleDecode, sampleToken, temperatureSoftmax, topKCandidates, topPCandidates } from "./lib/sequence/sampling";
import { CachedCausalLanguageModel } from "./lib/attention/cached-causal-lm";
import { quantizeModelWeights } from "./lib/nn/quantize";
import { dpoLoss } from "./lib/nn/preference";
import { TfidfVectorizer } from "./lib/text/vectorizers";
import { cosineSimilarity } from "./lib/math/similarity";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %% [markdown]
// ## 1. S2-Q1 · What an LLM is: a next-token predictor
//
// **Question.** Explain what a large language model (LLM) is and how it works. (什么是LLM，它如何工作？)
//
// **Short answer.** An LLM assigns a probability to every continuation of a text, one token at a time:
// p(x) = ∏ₜ p(xₜ | x<ₜ). The network (a decoder-only Transformer: token embedding + positions → N blocks of causal
// multi-head self-attention and a feed-forward layer, each with a residual connection and LayerNorm → a linear
// layer to vocabulary logits) outputs, at every position t, the distribution of token t + 1. Training minimises the
// mean −log p(x_{t+1} | x≤t) over every position of every window of a huge corpus; the **causal mask** is what
// lets all positions train in parallel without seeing their own answer. Capabilities come from scale (parameters,
// data, compute) and, for assistants, from instruction tuning and RLHF afterwards. **What the seed gets wrong:** it
// describes "a Transformer with self-attention" but never says what is predicted: no next-token objective, no
// causal mask, nothing about scale. Its code is not a language model (section 6).
//
// The data: Shakespeare's plays as one character stream (`data/tinyshakespeare.txt`, public domain). The first
// 1,000,000 characters train; the text after them is held out (we score its first 20,001 characters).

// %%
const corpus = loadTinyShakespeare();
const TRAIN_CHARS = 1_000_000;
const HELD_OUT_CHARS = 20_001;
const charVocabulary = new Vocabulary().fit([tokenizeChars(corpus.slice(0, TRAIN_CHARS))]);
const V = charVocabulary.size; // the characters, plus <pad> and <unk> (never used here)
const trainIds = charVocabulary.encode(tokenizeChars(corpus.slice(0, TRAIN_CHARS)));
const heldOutIds = charVocabulary.encode(tokenizeChars(corpus.slice(TRAIN_CHARS, TRAIN_CHARS + HELD_OUT_CHARS)));
const decodeIds = (ids: readonly number[]) => charVocabulary.decode([...ids]).join("");
console.log(`${corpus.length} characters, vocabulary ${V} ids; held-out text starts: ${JSON.stringify(corpus.slice(TRAIN_CHARS, TRAIN_CHARS + 60))}`);
check("every held-out character was seen in training (no <unk>)", heldOutIds.every((id) => id !== 1));

// %% [markdown]
// ## 2. The baseline: a character bigram model, checked by hand
//
// Before any network: predict each character from the previous one alone,
// P(next | prev) = (count(prev, next) + α) / (count(prev) + α·V) (`lib/text/ngram.ts`, add-α smoothing so an unseen
// pair is not impossible). On a fixture string the probabilities must be the hand counts.

// %%
const fixture = "to be or not to be";
const fixtureVocabulary = new Vocabulary().fit([tokenizeChars(fixture)]);
const fixtureIds = fixtureVocabulary.encode(tokenizeChars(fixture));
const fixtureModel = new BigramLanguageModel({ vocabularySize: fixtureVocabulary.size, alpha: 1 }).fit(fixtureIds);
const countPairs = (pair: string) => [...fixture.matchAll(new RegExp(pair.replace(" ", "\\s"), "g"))].length;
// "t" is followed by "o" twice ("to" twice) and by " " once ("not "); it occurs 3 times before another character.
const handPto = (countPairs("to") + 1) / (3 + fixtureVocabulary.size);
checkClose("P('o' | 't') = (count('to') + 1) / (count('t·') + V), counted by hand", fixtureModel.probability(fixtureVocabulary.idOf("t"), fixtureVocabulary.idOf("o")), handPto, { rel: 1e-12 });
const heldOutFixture = fixtureVocabulary.encode(tokenizeChars("not be"));
const handCrossEntropy = -[..."not be"].slice(1).reduce((sum, c, i) => {
  const prev = "not be"[i]!;
  const followers = [...fixture.slice(0, -1)].filter((p) => p === prev).length;
  const pairs = [...fixture.slice(0, -1)].filter((p, j) => p === prev && fixture[j + 1] === c).length;
  return sum + Math.log((pairs + 1) / (followers + fixtureVocabulary.size));
}, 0) / 5;
checkClose("cross-entropy of 'not be' = the hand count's mean −ln P over its 5 transitions", fixtureModel.crossEntropy(heldOutFixture), handCrossEntropy, { rel: 1e-12 });

const bigram = new BigramLanguageModel({ vocabularySize: V, alpha: 0.1 }).fit(trainIds);
const bigramCrossEntropy = bigram.crossEntropy(heldOutIds);
showTable([
  { model: "uniform over the vocabulary", "held-out cross-entropy (nats/char)": Math.log(V), perplexity: V },
  { model: "character bigram, α = 0.1", "held-out cross-entropy (nats/char)": bigramCrossEntropy, perplexity: Math.exp(bigramCrossEntropy) },
], { caption: "The baselines on the 20,000 held-out transitions", digits: 4 });
check("the bigram beats guessing uniformly by a wide margin", bigramCrossEntropy < Math.log(V) - 1, { bigram: bigramCrossEntropy, uniform: Math.log(V) });

// %% [markdown]
// ## 3. A tiny GPT
//
// `causalLanguageModel` (`lib/attention/causal-lm.ts`): character embedding + learned positions → pre-norm causal
// blocks (here one: 4 heads, d = 64, FFN 256) → LayerNorm → logits over the vocabulary, at every position. It is
// GPT-2's layout (12 such blocks of d = 768 in the smallest GPT-2) at 1/2000 of its size. First the two claims that need no training: its size is the
// formula, and it is **causal**: changing the characters after position t must leave the logits at positions ≤ t
// unchanged (1e-6), for every t.

// %%
const CONTEXT = 32;
const lmShape = { vocabularySize: V, maxLength: CONTEXT, dModel: 64, numHeads: 4, ffDim: 256, blocks: 1 };
const gpt = causalLanguageModel({ ...lmShape, seed: 0, name: "tiny_gpt" });
// Counted here from the layout, independently of causal-lm.ts's own formula: per block, attention (4 d×d kernels, 4 biases),
// two LayerNorms (scale, shift), the FFN (d×f, f, f×d, d).
const { dModel: d, ffDim: f, blocks } = lmShape;
const countedByHand = V * d + CONTEXT * d + blocks * (4 * d * d + 4 * d + 2 * 2 * d + d * f + f + f * d + d) + 2 * d + d * V + V;
check("parameter count = V·d + T·d + blocks·(4d² + 4d + 4d + 2df + f + d) + 2d + d·V + V", gpt.countParams() === countedByHand && causalLanguageModelParameterCount(lmShape) === countedByHand, { parameters: gpt.countParams(), countedByHand });

const logitsOf = (ids: readonly number[][]): number[][][] => tf.tidy(() => (gpt.predict(tf.tensor2d(ids.map((row) => [...row]), undefined, "int32")) as tf.Tensor).arraySync() as number[][][]);
const perturbRng = new Random(1);
const probeIds = heldOutIds.slice(0, CONTEXT);
// Row t keeps positions ≤ t and replaces every later character: one batch holds all 32 perturbations.
const perturbed = probeIds.map((_, t) => probeIds.map((id, s) => (s > t ? (id + 1 + perturbRng.int(0, V - 1)) % V : id)));
const [baseLogits, ...perturbedLogits] = logitsOf([probeIds, ...perturbed]);
const rowDiff = (a: number[], b: number[]) => Math.max(...a.map((v, j) => Math.abs(v - b[j]!)));
const leakBefore = Math.max(...perturbedLogits.map((rows, t) => Math.max(...rows.slice(0, t + 1).map((row, s) => rowDiff(row, baseLogits![s]!)))));
const changeAfter = Math.min(...perturbedLogits.slice(0, -1).map((rows, t) => rowDiff(rows[t + 1]!, baseLogits![t + 1]!)));
check("causal: changing every character after t moves no logit at positions ≤ t (all 32 t)", leakBefore <= 1e-6, { "largest change at ≤ t": leakBefore });
check("…and does move position t + 1, which reads the changed character", changeAfter > 1e-4, { "smallest change at t + 1": changeAfter });

// %% [markdown]
// **Training.** Next-token cross-entropy over all 32 positions of random 33-character windows of the training text:
// 250 Adam steps of 32 windows (learning rate 5·10⁻³, `fitMinibatchLoss` of `lib/nn/minibatch.ts`, one pass over
// 8,000 windows). The held-out cross-entropy is measured every 50 steps on the 20,000 held-out transitions cut
// into 625 windows of 32 (each window's first characters have little context, so this slightly understates the
// model).
//
// **The design target, calibrated:** the tiny GPT must beat the bigram's held-out cross-entropy by at least
// 0.1 nats per character. Over seeds 0–4 (of the model, the windows and the batch order) this recipe reached
// 2.23–2.26 nats against the bigram's 2.47 (margins 0.21–0.24), so 0.1 leaves room for float differences between
// machines, not for a broken model: an untrained model sits at ≈ ln V and a model without its attention cannot use
// more than the previous character. (Two blocks reach the same margins in 300 steps at twice the cost per step, and
// 150–200 steps are not enough for either: measured, so the notebook trains one block for 250 steps.)

// %% runner={"timeout": 300}
const STEPS = 250;
const BATCH = 32;
const windowRng = new Random(2);
const windowStarts = Array.from({ length: STEPS * BATCH }, () => windowRng.int(0, trainIds.length - CONTEXT - 1));
const windowBatch = (source: readonly number[], starts: readonly number[], shift: number) =>
  tf.tensor2d(starts.map((s) => source.slice(s + shift, s + shift + CONTEXT)), [starts.length, CONTEXT], "int32");
const nextTokenLoss = (starts: readonly number[], source: readonly number[], training: boolean) => {
  const logits = gpt.apply(windowBatch(source, starts, 0), { training }) as tf.Tensor;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(windowBatch(source, starts, 1).flatten(), V), logits.reshape([-1, V])) as tf.Scalar;
};
const heldOutStarts = Array.from({ length: Math.floor((heldOutIds.length - 1) / CONTEXT) }, (_, w) => w * CONTEXT);
const heldOutCrossEntropy = () => tf.tidy(() => nextTokenLoss(heldOutStarts, heldOutIds, false).dataSync()[0]!);

const stepLosses: number[] = [];
const heldOutCurve: { step: number; crossEntropy: number }[] = [{ step: 0, crossEntropy: heldOutCrossEntropy() }];
const tensorsBefore = tf.memory().numTensors;
const trainingStart = Date.now();
fitMinibatchLoss((rows) => nextTokenLoss(rows.map((r) => windowStarts[r]!), trainIds, true), {
  examples: STEPS * BATCH, epochs: 1, batchSize: BATCH, learningRate: 5e-3, seed: 3,
  onBatch: (step, loss) => {
    stepLosses.push(loss);
    if (step % 50 === 0) heldOutCurve.push({ step, crossEntropy: heldOutCrossEntropy() });
  },
});
const trainingSeconds = (Date.now() - trainingStart) / 1000;
const gptCrossEntropy = heldOutCurve.at(-1)!.crossEntropy;
console.log(`trained ${STEPS} steps; held-out cross-entropy ${gptCrossEntropy.toFixed(4)} nats/char (bigram ${bigramCrossEntropy.toFixed(4)})`);

// %% tags=["volatile-output"]
console.log(`training took ${trainingSeconds.toFixed(1)} s`);

// %%
const lossFigure = lineFigure([
  { name: "training batch", x: stepLosses.map((_, i) => i + 1), y: stepLosses },
  { name: "held out (every 50 steps)", x: heldOutCurve.map((p) => p.step), y: heldOutCurve.map((p) => p.crossEntropy) },
  { name: "bigram, held out", x: [0, STEPS], y: [bigramCrossEntropy, bigramCrossEntropy] },
], { title: "Tiny GPT: next-character cross-entropy against the bigram baseline", xTitle: "Adam step", yTitle: "cross-entropy (nats per character)" });
Object.assign(lossFigure.data[1]!, { mode: "lines+markers" }); // measured only at the marked steps
await showFigure(lossFigure);
check("the untrained model is no better than guessing: held-out cross-entropy ≥ 0.9·ln V", heldOutCurve[0]!.crossEntropy >= 0.9 * Math.log(V), { start: heldOutCurve[0]!.crossEntropy, lnV: Math.log(V) });
check("the tiny GPT beats the bigram's held-out cross-entropy by ≥ 0.1 nats/char (calibrated target)", gptCrossEntropy < bigramCrossEntropy - 0.1, { gpt: gptCrossEntropy, bigram: bigramCrossEntropy });
check("no tensor left behind by training (tf.memory().numTensors unchanged)", tf.memory().numTensors === tensorsBefore, { before: tensorsBefore, after: tf.memory().numTensors });

// %% [markdown]
// **Perplexity** is exp(mean NLL): the number of equally likely characters the model is, on average, choosing
// between. `perplexity` (`lib/sequence/sampling.ts`) on the per-character NLLs, computed in float64 from the logits,
// must equal the geometric mean of 1/p computed as a product, and the float64 mean NLL must equal TensorFlow.js's
// float32 loss of the curve above.

// %%
// One flat [windows · T · V] array: row (w, t) holds the logits of the character after heldOutStarts[w] + t.
const heldOutLogits = tf.tidy(() => (gpt.predict(windowBatch(heldOutIds, heldOutStarts, 0)) as tf.Tensor).dataSync());
const targetProbabilities = heldOutStarts.flatMap((start, w) => Array.from({ length: CONTEXT }, (_, t) =>
  temperatureSoftmax(heldOutLogits.subarray((w * CONTEXT + t) * V, (w * CONTEXT + t + 1) * V))[heldOutIds[start + t + 1]!]!));
const nlls = targetProbabilities.map((p) => -Math.log(p));
const gptPerplexity = perplexity(nlls);
const geometricMean = targetProbabilities.reduce((product, p) => product * p ** (-1 / targetProbabilities.length), 1);
checkClose("perplexity = exp(mean NLL) = ∏ (1/pₜ)^(1/N)", gptPerplexity, geometricMean, { rel: 1e-9 });
checkClose("float64 mean NLL = TensorFlow.js's float32 held-out loss", Math.log(gptPerplexity), gptCrossEntropy, { rel: 1e-4 });
showTable([
  { model: "uniform", perplexity: V },
  { model: "bigram", perplexity: Math.exp(bigramCrossEntropy) },
  { model: "tiny GPT", perplexity: gptPerplexity },
], { caption: "Held-out perplexity (characters)", digits: 3 });

// %% [markdown]
// ## 4. S2-Q5 · Generating text: the loop and the decoding strategies
//
// **Question.** How do you use a GPT model for language generation? (讲解如何使用GPT模型进行语言生成)
//
// **Short answer.** Encode the prompt to token ids, then loop: run the model on the last ≤ T tokens, take the
// logits at the last position, turn them into a distribution, pick the next token, append it, and stop at an
// end token or a length limit (with a KV cache, each step computes only the new position). How to pick is the
// decoding strategy. **Greedy** (argmax) is deterministic and tends to loop on repeated phrases. **Temperature**
// divides the logits before the softmax: T < 1 sharpens towards greedy (T → 0 *is* greedy), T > 1 flattens
// towards uniform. **Top-k** samples among the k most likely tokens only; **top-p** (nucleus) among the smallest
// set whose probability reaches p, so the candidate count adapts to how sure the model is. Beam search (notebook
// 21) suits tasks with one right answer, not open-ended text. **What the seed gets wrong:** its "softmax output
// generates the text" skips the loop; `model.generate(input_ids, max_length=50)` with defaults is greedy
// decoding, so the answer never shows the sampling parameters (`do_sample`, `temperature`, `top_k`, `top_p`,
// `repetition_penalty`) that the question is about; it also downloads `gpt2` and needs PyTorch.
//
// The tiny GPT as a `step` function (next-token log-probabilities of each prefix, over its last 32 characters), so
// that `greedyDecode` (`lib/sequence/decoding.ts`) and `sampleDecode` (`lib/sequence/sampling.ts`) can drive it.

// %%
const gptStep: NextTokenLogProbs = (prefixes) => {
  const contexts = prefixes.map((prefix) => prefix.slice(-CONTEXT));
  return contexts.map((context) => {
    const rows = logitsOf([context])[0]!;
    return temperatureSoftmax(rows.at(-1)!).map(Math.log);
  });
};
const prompt = charVocabulary.encode(tokenizeChars("ROMEO:\nWhat is "));
// Character text has no end token: eos = V, an id the model never emits, so every continuation has maxLength characters.
const generateOptions = { eos: V, maxLength: 80, start: prompt };

const nextProbabilities = temperatureSoftmax(logitsOf([prompt.slice(-CONTEXT)])[0]!.at(-1)!);
const topBars = topKCandidates(nextProbabilities, 15);
await showFigure({
  data: [{ type: "bar", x: topBars.map((id) => JSON.stringify(charVocabulary.tokens_[id])), y: topBars.map((id) => nextProbabilities[id]!) }],
  layout: { title: { text: "Next-character distribution after \"ROMEO:\\nWhat is \" (15 most likely)" }, xaxis: { title: { text: "next character" } }, yaxis: { title: { text: "probability" } } },
}, { width: 760, height: 400 });

// %% [markdown]
// The decoding claims, each against an independent truth: temperature 0 and top-k = 1 must be `greedyDecode`
// exactly; 1,000 seeded top-k draws must all be among the k most likely characters (by a plain sort); the top-p
// candidate set must reach mass p and stop reaching it without its least likely member (so no smaller set can);
// the same seed must give the same text.

// %%
const greedy = greedyDecode(gptStep, generateOptions);
const shortOptions = { ...generateOptions, maxLength: 40 }; // greedy's first 40 characters are greedy at length 40
const coldest = sampleDecode(gptStep, { ...shortOptions, temperature: 0, seed: 5 });
const topOne = sampleDecode(gptStep, { ...shortOptions, topK: 1, temperature: 1.5, seed: 6 });
check("temperature 0 = greedy decoding: the same 40 characters", coldest.tokens.join() === greedy.tokens.slice(0, 40).join());
check("top-k = 1 = greedy decoding, whatever the temperature", topOne.tokens.join() === greedy.tokens.slice(0, 40).join());

const promptLogits = logitsOf([prompt.slice(-CONTEXT)])[0]!.at(-1)!;
const K = 5;
const bySort = nextProbabilities.map((p, id) => ({ p, id })).sort((a, b) => b.p - a.p).slice(0, K).map((c) => c.id);
const drawRng = new Random(7);
const topKDraws = Array.from({ length: 1000 }, () => sampleToken(promptLogits, { topK: K }, drawRng));
check(`1,000 seeded top-${K} draws: every one among the ${K} most likely characters (by a plain sort)`, topKDraws.every((id) => bySort.includes(id)), { distinct: new Set(topKDraws).size });
const P = 0.9;
const nucleus = topPCandidates(nextProbabilities, P);
const nucleusMass = nucleus.reduce((s, id) => s + nextProbabilities[id]!, 0);
const withoutLast = nucleusMass - nextProbabilities[nucleus.at(-1)!]!;
check(`top-p (p = ${P}): the nucleus reaches p, and without its least likely member it does not (so it is the smallest)`, nucleusMass >= P && withoutLast < P, { size: nucleus.length, mass: nucleusMass, withoutLast });
const topPDraws = Array.from({ length: 1000 }, () => sampleToken(promptLogits, { topP: P }, drawRng));
check("1,000 seeded top-p draws: every one inside the nucleus", topPDraws.every((id) => nucleus.includes(id)));
const again = sampleDecode(gptStep, { ...shortOptions, temperature: 1, seed: 8 });
check("a fixed seed gives the same sample", sampleDecode(gptStep, { ...shortOptions, temperature: 1, seed: 8 }).tokens.join() === again.tokens.join());

// %% [markdown]
// Samples from the same prompt at three temperatures (seed 9 each), and greedy. Low temperature stays close to the
// most likely characters (and repeats itself); high temperature invents more and spells worse.

// %%
const samples = [0.5, 1.0, 1.5].map((temperature) => ({ temperature, sample: sampleDecode(gptStep, { ...generateOptions, temperature, seed: 9 }) }));
showTable([
  { decoding: "greedy", text: decodeIds(greedy.tokens) },
  ...samples.map((s) => ({ decoding: `sampled, T = ${s.temperature}`, text: decodeIds(s.sample.tokens) })),
], { caption: "Continuations of \"ROMEO:\\nWhat is \" (80 characters)" });

// %% [markdown]
// ## 5. S2-Q13 · T5: every task as text-to-text, named by a prefix
//
// **Question.** How do you use T5 for text generation? (讲解如何使用T5模型进行文本生成)
//
// **Short answer.** T5 is an encoder–decoder Transformer that casts every task as text in → text out: the encoder
// reads the input, the decoder generates the output autoregressively with causal self-attention plus
// cross-attention to the encoder (as in notebook 21). The original checkpoints (`t5-small`: 60 M parameters,
// pre-trained by span corruption on C4, then multi-task) learned which task to do from a **task prefix** in the
// input: "translate English to German: …", "summarize: …", "cola sentence: …". Use it by writing the input with
// the prefix of a task it was trained on, tokenising, and calling `generate` (beam search or sampling as for GPT).
// A free instruction is out of distribution for `t5-small`; instruction-tuned variants (Flan-T5) exist for that.
// **What the seed gets wrong:** it prompts `t5-small` with "Write a story about a lonely robot…", no prefix, so
// the model has no task to recognise and the output is garbage; its answer never mentions prefixes or the
// text-to-text framing, and it needs the internet.
//
// **The miniature.** One small encoder–decoder (1 encoder block, 1 decoder block, d = 32, 4 heads) trained on two
// synthetic tasks over the same inputs, `reverse:` and `sort:` a string of 3–6 letters
// (`lib/sequence/text-to-text.ts`). Every payload appears under both prefixes and the two answers always differ, so
// the prefix is the only way to know the task: a model that cannot see it is right on at most half the examples,
// by construction. Held-out payloads are never seen in training.
//
// **Calibration.** The catalog's target is exact match ≥ 0.9 on both tasks with the prefix. With this recipe
// (1,200 training payloads, 10 epochs of batches of 64, Adam 6·10⁻³ × 0.9 per epoch, sources pre-padded so that the
// last letter always sits at the same position) seeds 0–3 (of the data, the model and the batch order) gave
// 0.94–0.99 on `reverse:` and 0.94–0.99 on `sort:` over 200 held-out payloads, so the check asks for the catalog's
// ≥ 0.9 (binomial noise on 200 examples is ≈ 0.02). Batches of 32 at 3·10⁻³ do as well (0.92–0.99) in twice the
// time, since each step costs about the same; batches of 128 are faster still but fell to 0.85–0.89 on some
// seeds, too close to the target. Without the prefix no model can pass 0.5; these produced either task's answer on
// only 1–43 % of the inputs (garbage on the rest), so the check asks for < 50 %: a model that fell back on one task
// would score 100 % there.

// %% runner={"timeout": 300}
const textTasks = makeTextToTextExamples({ payloads: 1400, minLength: 3, maxLength: 6, seed: 50 });
const textTrain = textTasks.slice(0, 2400);
const textTest = textTasks.slice(2400);
const textVocabulary = new Vocabulary().fit([["<bos>", "<eos>", ...TEXT_TO_TEXT_TASKS.map(taskPrefix), ..."abcdefgh"]]);
const [T2T_BOS, T2T_EOS] = [textVocabulary.idOf("<bos>"), textVocabulary.idOf("<eos>")];
const T2T_SOURCE = 7; // prefix + at most 6 letters
const T2T_TARGET = 7; // at most 6 letters + <eos>
const encodeTextSources = (examples: TextToTextExample[], withPrefix: boolean) =>
  padSequences(examples.map((e) => textVocabulary.encode(withPrefix ? e.source : e.payload)), { maxlen: T2T_SOURCE, padding: "pre" });

function buildTextToText(seed: number): tf.LayersModel {
  const width = 32;
  const sourceIds = tf.input({ shape: [T2T_SOURCE], dtype: "int32" });
  const decoderIds = tf.input({ shape: [null], dtype: "int32" }); // any length: decoding grows it
  const embedding = tf.layers.embedding({ inputDim: textVocabulary.size, outputDim: width, embeddingsInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: seed + 1 }) });
  const sourceMask = new PaddingMask().apply(sourceIds) as tf.SymbolicTensor;
  const sourceEmbedded = new PositionEmbedding({ maxLength: T2T_SOURCE, seed: seed + 2 }).apply(embedding.apply(sourceIds) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const memory = transformerEncoderBlock(sourceEmbedded, sourceMask, { numHeads: 4, ffDim: 4 * width, normFirst: true, seed: seed + 10, name: "t2t_encoder" });
  const decoderEmbedded = new PositionEmbedding({ maxLength: T2T_TARGET, seed: seed + 3 }).apply(embedding.apply(decoderIds) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const decoded = transformerDecoderBlock(decoderEmbedded, memory, sourceMask, { numHeads: 4, ffDim: 4 * width, normFirst: true, seed: seed + 20, name: "t2t_decoder" });
  const outputLogits = tf.layers.dense({ units: textVocabulary.size, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }) }).apply(decoded) as tf.SymbolicTensor;
  return tf.model({ inputs: [sourceIds, decoderIds], outputs: outputLogits });
}
const textToText = buildTextToText(0);
const t2tForcing = teacherForcingBatch(textTrain.map((e) => textVocabulary.encode(e.target)), { bos: T2T_BOS, eos: T2T_EOS, length: T2T_TARGET });
const t2tTensors = [
  tf.tensor2d(encodeTextSources(textTrain, true), undefined, "int32"), tf.tensor2d(t2tForcing.decoderInput, undefined, "int32"),
  tf.tensor2d(t2tForcing.decoderTarget, undefined, "int32"), tf.tensor2d(t2tForcing.lossMask),
];
const t2tTensorsPerEpoch: number[] = [];
const t2tLosses = fitSequenceModel(textToText, [t2tTensors[0]!, t2tTensors[1]!], { targets: t2tTensors[2]!, mask: t2tTensors[3]! }, {
  epochs: 10, batchSize: 64, learningRate: 6e-3, learningRateDecay: 0.9, clipNorm: 1, seed: 0, onEpoch: () => { t2tTensorsPerEpoch.push(tf.memory().numTensors); },
});
tf.dispose(t2tTensors);
console.log(`${textToText.countParams()} parameters; loss per epoch ${t2tLosses.map((l) => l.toFixed(3)).join(", ")}`);
check("tf.memory().numTensors is flat across the epochs", t2tTensorsPerEpoch.every((n) => n === t2tTensorsPerEpoch[0]), { tensorsPerEpoch: t2tTensorsPerEpoch });

/** Greedy outputs (as strings) of the model on the examples' sources, with or without their prefixes. */
function generateText(examples: TextToTextExample[], withPrefix: boolean): string[] {
  const sources = tf.tensor2d(encodeTextSources(examples, withPrefix), undefined, "int32");
  const outputs = greedyDecodeBatch((prefixes, rows) => tf.tidy(() => {
    const stepLogits = textToText.predict([tf.gather(sources, tf.tensor1d(rows, "int32")), tf.tensor2d(prefixes, undefined, "int32")]) as tf.Tensor3D;
    return stepLogits.slice([0, prefixes[0]!.length - 1], [-1, 1]).squeeze([1]).arraySync() as number[][];
  }), { count: examples.length, bos: T2T_BOS, eos: T2T_EOS, maxLength: T2T_TARGET });
  sources.dispose();
  return outputs.map((ids) => (ids.at(-1) === T2T_EOS ? textVocabulary.decode(ids.slice(0, -1)).join("") : "(no <eos>)"));
}
const withPrefixOutputs = generateText(textTest, true);
const withoutPrefixOutputs = generateText(textTest, false);
const exactFor = (outputs: string[], task: TextToTextTask) => {
  const rows = textTest.map((e, i) => i).filter((i) => textTest[i]!.task === task);
  return rows.filter((i) => outputs[i] === textTest[i]!.target.join("")).length / rows.length;
};
const eitherTask = (outputs: string[]) => textTest.filter((e, i) => TEXT_TO_TEXT_TASKS.some((task) => applyTextTask(task, e.payload).join("") === outputs[i])).length / textTest.length;
showTable([
  { input: "with the prefix", "reverse: exact": exactFor(withPrefixOutputs, "reverse"), "sort: exact": exactFor(withPrefixOutputs, "sort"), "output is either task's answer": eitherTask(withPrefixOutputs) },
  { input: "prefix removed", "reverse: exact": exactFor(withoutPrefixOutputs, "reverse"), "sort: exact": exactFor(withoutPrefixOutputs, "sort"), "output is either task's answer": eitherTask(withoutPrefixOutputs) },
], { caption: `${textTest.length} held-out examples (${textTest.length / 2} payloads never seen in training)`, digits: 3 });
showTable(textTest.slice(0, 6).map((e, i) => ({ input: e.source.join(" "), target: e.target.join(""), "with prefix": withPrefixOutputs[i]!, "prefix removed": withoutPrefixOutputs[i]! })), { caption: "Examples" });
check("with its prefix, each task is solved on held-out payloads: exact match ≥ 0.9 on both (calibrated)", TEXT_TO_TEXT_TASKS.every((task) => exactFor(withPrefixOutputs, task) >= 0.9), { reverse: exactFor(withPrefixOutputs, "reverse"), sort: exactFor(withPrefixOutputs, "sort") });
check("without the prefix (the seed's T5 prompt): exact match ≤ 0.5 by construction, and most outputs (> 50 %) are neither task's answer", (exactFor(withoutPrefixOutputs, "reverse") + exactFor(withoutPrefixOutputs, "sort")) / 2 <= 0.5 && eitherTask(withoutPrefixOutputs) < 0.5, { either: eitherTask(withoutPrefixOutputs) });

// %% [markdown]
// ## 6. Spot the bug (S2-Q1): the seed's "simplified Transformer"
//
// > ```python
// > inputs = tf.keras.layers.Embedding(input_dim=10000, output_dim=16)(inputs)
// > attentions = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=16)(inputs, inputs)
// > x = tf.keras.layers.Dense(32, activation='relu')(attentions)
// > x = tf.keras.layers.Dense(16)(x)
// > outputs = tf.keras.layers.Dense(10000, activation='softmax')(x)
// > model = tf.keras.Model(inputs=inputs, outputs=outputs)
// > ```
//
// **Question.** What stops this from running, and what stops it from being a language model once it runs?
//
// (Answer in the solutions, exercise 3.)

// %% [markdown]
// ## 7. The follow-ups an interviewer asks next
//
// ### 7.1 The KV cache: the same text for less work
//
// Uncached generation (section 4's `gptStep`) runs the whole prefix through the model for every new character,
// although the keys and values of the earlier positions never change: causal attention means position s never
// reads a later one. A **KV cache** keeps each layer's keys and values and runs only the new token: its query
// attends to the cached keys, its key and value are appended. Work per step drops from O(T) positions (O(T²)
// attention) to one position (O(T) attention), at the price of memory: 2 · layers · heads · d_head numbers per
// token (GPT-3 175 B: 2 · 96 layers · 12,288 · 2 bytes ≈ 4.7 MB per token in float16, so a 2,048-token context costs
// ≈ 9.7 GB per sequence, which is why grouped-query attention shares keys and values between heads, notebook 19).
// `CachedCausalLanguageModel` (`lib/attention/cached-causal-lm.ts`) does this with the model's own layers and
// `MultiHeadAttention.decodeStep`. The claim: cached generation is the uncached one, token for token. With learned
// absolute positions the cache holds at most the 32 positions the model knows: a sliding window shifts every
// position, so past 32 characters the cache must be rebuilt (the reason long-context models use relative
// positions such as RoPE).

// %%
const cachedGpt = new CachedCausalLanguageModel(gpt);
const withinContext = { eos: V, maxLength: CONTEXT - prompt.length, start: prompt }; // prompt + continuation ≤ 32 positions
const greedyUncached = greedyDecode(gptStep, withinContext);
const greedyCached = greedyDecode(cachedGpt.stepFunction(), withinContext);
const sampledUncached = sampleDecode(gptStep, { ...withinContext, temperature: 1, topP: 0.95, seed: 11 });
const sampledCached = sampleDecode(cachedGpt.stepFunction(), { ...withinContext, temperature: 1, topP: 0.95, seed: 11 });
check("KV-cached greedy generation = uncached, character for character", greedyCached.tokens.join() === greedyUncached.tokens.join(), { text: decodeIds(greedyCached.tokens) });
checkClose("…with the same log-probability (float32 rounding)", greedyCached.logProb, greedyUncached.logProb, { rel: 1e-5 });
check("KV-cached nucleus sampling (seed 11) = uncached, character for character", sampledCached.tokens.join() === sampledUncached.tokens.join(), { text: decodeIds(sampledCached.tokens) });
// Every position's logits, the prompt at once and then one character at a time, against one pass of the whole text.
const wholeText = [...prompt, ...greedyCached.tokens.slice(0, -1)];
cachedGpt.reset();
const stepwise = [cachedGpt.append([prompt])[0]!, ...greedyCached.tokens.slice(0, -1).map((id) => cachedGpt.append([[id]])[0]!)].flat();
const oneLogitsPass = logitsOf([wholeText])[0]!;
const cacheDiff = Math.max(...stepwise.map((row, t) => rowDiff(row, oneLogitsPass[t]!)));
check(`cached logits = one pass over all ${wholeText.length} positions (1e-5)`, cacheDiff <= 1e-5, { "largest difference": cacheDiff });
const newTokens = greedyCached.tokens.length;
const positionsUncached = Array.from({ length: newTokens }, (_, i) => prompt.length + i).reduce((a, b) => a + b, 0);
console.log(`positions run through the model for ${newTokens} characters: uncached ${positionsUncached}, cached ${prompt.length + newTokens - 1}`);
cachedGpt.dispose();

// %% [markdown]
// ### 7.2 Quantising the tiny GPT to int8, and what it costs in perplexity
//
// Post-training **weight quantization** stores each weight matrix as 8-bit integers and a float scale: symmetric
// int8 maps w to q = round(w / s) with s = max|w| / 127, and the model computes with q · s, so every weight moves by
// at most s / 2. One scale per tensor lets one large weight coarsen all the others; one scale **per output channel**
// (a column of a Dense kernel) adapts to each unit's range, at the cost of a few more scales. Biases and LayerNorm
// parameters stay in float32 (few numbers, sensitive). The matrices shrink 4× (the whole tiny GPT 3.6×, since its
// biases, norms and scales stay float32), and on hardware with int8 matrix units the model runs faster; what it costs is measured as held-out cross-entropy (perplexity), the same yardstick as
// section 3. `quantizeModelWeights` (`lib/nn/quantize.ts`) fake-quantizes the model in place and restores it.
// The check on the weights is done here from the float weights, independently of the helper: each quantized column
// is an integer multiple of its own scale max|w|/127, within scale/2 of the original.
//
// **The design target, calibrated:** over seeds 0–4 of section 3's recipe, per-channel int8 changed the held-out cross-entropy by −0.0003
// to +0.0007 nats per character and per-tensor int8 by −0.0003 to +0.0008, so the check allows |change| ≤ 0.005 nats.
// That bound says int8 leaves the predictions alone; a broken quantizer (a wrong scale, a weight rounded with another
// channel's scale) is caught by the check on the weights. At this size the weights have no outlier channels, so
// per-channel is no better than per-tensor; in billion-parameter models a few outlier features make per-tensor int8
// fail, which is why LLM.int8() and GPTQ-style methods work per channel or per group.

// %%
const floatWeights = gpt.weights.map((w) => w.read().dataSync().slice());
const quantizationRows: Record<string, unknown>[] = [{ weights: "float32", "size (bytes)": 4 * gpt.countParams(), "held-out cross-entropy": gptCrossEntropy, "cost (nats/char)": 0 }];
let perChannelCost = NaN;
const levelCheck = { offInteger: 0, largestLevel: 0, errorOverHalfScale: 0 };
for (const granularity of ["per-tensor", "per-channel"] as const) {
  const { report, restore } = quantizeModelWeights(gpt, { granularity });
  const crossEntropy = heldOutCrossEntropy();
  if (granularity === "per-channel") {
    perChannelCost = crossEntropy - gptCrossEntropy;
    // Every quantized [rows, columns] weight: column c must be q · s_c with s_c = max|w[:, c]| / 127, |q| ≤ 127, within s_c / 2.
    gpt.weights.forEach((variable, i) => {
      if (variable.shape.length < 2) return;
      const columns = variable.shape.at(-1)!;
      const before = floatWeights[i]!;
      const after = variable.read().dataSync();
      const scales = Array.from({ length: columns }, (_, c) => Math.max(...before.filter((_, j) => j % columns === c).map(Math.abs)) / 127);
      after.forEach((w, j) => {
        const level = w / scales[j % columns]!;
        levelCheck.offInteger = Math.max(levelCheck.offInteger, Math.abs(level - Math.round(level)));
        levelCheck.largestLevel = Math.max(levelCheck.largestLevel, Math.abs(Math.round(level)));
        levelCheck.errorOverHalfScale = Math.max(levelCheck.errorOverHalfScale, Math.abs(w - before[j]!) / (scales[j % columns]! / 2));
      });
    });
  }
  quantizationRows.push({ weights: `int8, ${granularity}`, "size (bytes)": report.bytes, "held-out cross-entropy": crossEntropy, "cost (nats/char)": crossEntropy - gptCrossEntropy });
  restore();
}
showTable(quantizationRows, { caption: "The tiny GPT, float32 against int8 weights (the same 20,000 held-out characters)", digits: 5 });
check("per-channel int8: every matrix column holds integer levels |q| ≤ 127 of its own scale max|w|/127, within scale/2 of the float weight",
  levelCheck.offInteger <= 1e-4 && levelCheck.largestLevel <= 127 && levelCheck.errorOverHalfScale <= 1 + 1e-5, levelCheck);
check(`per-channel int8 costs at most 0.005 nats/char of held-out cross-entropy (calibrated)`, Math.abs(perChannelCost) <= 0.005, { cost: perChannelCost });
check("restore() gives the float model back: the same held-out cross-entropy, bit for bit", heldOutCrossEntropy() === gptCrossEntropy);

// %% [markdown]
// ### 7.3 From a language model to an assistant: instruction tuning, RLHF and DPO
//
// A pre-trained LLM continues text; it does not follow instructions. Three stages turn it into an assistant:
//
// * **Instruction tuning (SFT).** Fine-tune on (instruction, good response) pairs written by people, with the same
//   next-token loss as pre-training, only on the response tokens. FLAN and Flan-T5 did this over hundreds of tasks
//   phrased as instructions, which is why Flan-T5 answers the free prompt that `t5-small` cannot (section 5).
// * **RLHF** (InstructGPT, 2022). People rank several responses to each prompt; a **reward model** r(x, y) is
//   trained on the rankings with the Bradley–Terry likelihood P(y_w ≻ y_l) = σ(r(x, y_w) − r(x, y_l)); then the
//   policy is optimised by reinforcement learning (PPO) to maximise E[r(x, y)] − β · KL(π ‖ π_ref), the KL term
//   keeping it close to the SFT model π_ref (without it the policy finds texts that fool the reward model). That
//   objective has a closed-form optimum, **π*(y | x) ∝ π_ref(y | x) · exp(r(x, y) / β)**.
// * **DPO** (Rafailov et al. 2023) inverts that closed form: the reward is r = β · log π/π_ref (up to a
//   per-prompt constant that cancels in a comparison), so the Bradley–Terry likelihood can be written directly in the
//   policy, loss = −log σ(β · [log π(y_w)/π_ref(y_w) − log π(y_l)/π_ref(y_l)]): a classification loss on preference
//   pairs, with no reward model, no sampling and no RL. `dpoLoss` (`lib/nn/preference.ts`).
//
// **The check, on a toy preference set.** Three prompts with three candidate responses each, true rewards r(x, y),
// a reference policy, and the preferences an infinite panel of Bradley–Terry annotators would give: every ordered
// pair (a, b) weighted by P(a ≻ b) = σ(r_a − r_b). The policy is a table of logits started at the reference. At the
// start every log-ratio is 0, so the loss must be ln 2 exactly; after training by Adam on the DPO loss alone, the
// policy must be the closed-form RLHF optimum π_ref · exp(r/β) / Z, which DPO never computes.

// %%
const DPO_BETA = 0.5;
const trueRewards = [[1, 0, -1], [0.5, 2, 0], [-1, 0, 1.5]]; // r(x, y): 3 prompts × 3 responses
const referenceLogits = [[0, 0.5, -0.5], [1, 0, 0], [0.3, -0.3, 0]];
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const preferencePairs = trueRewards.flatMap((rewards, prompt) => rewards.flatMap((ra, a) => rewards.flatMap((rb, b) => (a === b ? [] : [{ prompt, chosen: a, rejected: b, weight: sigmoid(ra - rb) }]))));
const policyLogits = tf.variable(tf.tensor2d(referenceLogits), true, "dpo_policy");
const referenceLogProbs = tf.logSoftmax(tf.tensor2d(referenceLogits)) as tf.Tensor2D;
const responseLogProb = (logProbs: tf.Tensor2D, which: "chosen" | "rejected") => tf.tidy(() =>
  tf.gather(logProbs, tf.tensor1d(preferencePairs.map((p) => p.prompt), "int32")).mul(tf.oneHot(tf.tensor1d(preferencePairs.map((p) => p[which]), "int32"), 3)).sum(1) as tf.Tensor1D);
const preferenceWeights = tf.tensor1d(preferencePairs.map((p) => p.weight));
const dpoOnToySet = () => {
  const policyLogProbs = tf.logSoftmax(policyLogits) as tf.Tensor2D;
  return dpoLoss({
    policyChosen: responseLogProb(policyLogProbs, "chosen"), policyRejected: responseLogProb(policyLogProbs, "rejected"),
    referenceChosen: responseLogProb(referenceLogProbs, "chosen"), referenceRejected: responseLogProb(referenceLogProbs, "rejected"),
  }, { beta: DPO_BETA, weights: preferenceWeights });
};
const dpoStart = tf.tidy(() => dpoOnToySet().dataSync()[0]!);
checkClose("at the reference every log-ratio is 0, so the DPO loss is −log σ(0) = ln 2", dpoStart, Math.log(2), { rel: 1e-6 });
const dpoOptimizer = tf.train.adam(0.1);
for (let step = 0; step < 300; step++) dpoOptimizer.minimize(dpoOnToySet, false, [policyLogits]);
const dpoPolicy = tf.tidy(() => tf.softmax(policyLogits).arraySync() as number[][]);
const closedForm = referenceLogits.map((logits, x) => {
  const unnormalised = logits.map((logit, y) => Math.exp(logit + trueRewards[x]![y]! / DPO_BETA));
  const total = unnormalised.reduce((a, b) => a + b, 0);
  return unnormalised.map((u) => u / total);
});
const referencePolicy = referenceLogits.map((logits) => temperatureSoftmax(logits));
showTable(closedForm.flatMap((row, x) => row.map((p, y) => ({ prompt: x, response: y, "reward r": trueRewards[x]![y]!, "π_ref": referencePolicy[x]![y]!, "π after DPO": dpoPolicy[x]![y]!, "closed form π_ref·exp(r/β)/Z": p }))), { caption: `DPO on the toy preference set (β = ${DPO_BETA})`, digits: 4 });
const dpoGap = Math.max(...dpoPolicy.flatMap((row, x) => row.map((p, y) => Math.abs(p - closedForm[x]![y]!))));
check("DPO's policy = the closed-form KL-regularised RLHF optimum π_ref·exp(r/β)/Z (every probability within 1e-3)", dpoGap <= 1e-3, { "largest gap": dpoGap });
tf.dispose([policyLogits, referenceLogProbs, preferenceWeights]);
dpoOptimizer.dispose();

// %% [markdown]
// ### 7.4 Retrieval-augmented generation (RAG): a tiny retriever over the corpus
//
// An LLM knows only what its weights absorbed, up to its training date, and invents what it does not know.
// **RAG** fetches passages relevant to the question from a document store and puts them in the prompt ("Answer
// from this context: … Question: …"), so the answer can quote current, private or exact text and cite it. The
// retriever is classic information retrieval: TF-IDF or BM25 over words, or dense embeddings (a bi-encoder such as
// the sentence vectors of notebook 17) with nearest-neighbour search. Here: the speeches of the training text as
// passages, TF-IDF vectors (`TfidfVectorizer`, `lib/text/vectorizers.ts`, equal to scikit-learn's), ranked by cosine
// similarity (the rows have unit length, so the cosine is the dot product, summed over the query's few non-zero
// terms, as an inverted index would). The check: a line taken from a speech, used as the query, finds its own
// speech first in most cases; chance is 1 in 1,500. Over the query seeds 12–16 it did for 85–91 of 100 lines, so the
// check asks for ≥ 75 (binomial noise ≈ 3.5). The tiny GPT has a 32-character context, so it cannot read a
// retrieved passage: generation with the context is what a real LLM adds.

// %%
const passages = corpus.slice(0, TRAIN_CHARS).split("\n\n").filter((speech) => speech.split("\n").length >= 4).slice(0, 1500);
const retriever = new TfidfVectorizer({ maxFeatures: 3000 }).fit(passages);
const passageVectors = retriever.transform(passages);
const retrieve = (query: string, k: number) => {
  const [queryVector] = retriever.transform([query]);
  if (!queryVector!.some((v) => v !== 0)) return [];
  const terms = queryVector!.flatMap((weight, term) => (weight !== 0 ? [term] : []));
  return passageVectors.map((v, i) => ({ i, score: terms.reduce((sum, term) => sum + queryVector![term]! * v[term]!, 0) }))
    .sort((a, b) => b.score - a.score || a.i - b.i).slice(0, k);
};
const queryRng = new Random(12);
const probes = Array.from({ length: 100 }, () => {
  const source = queryRng.int(0, passages.length);
  const lines = passages[source]!.split("\n").slice(1); // the speech without its speaker's name
  return { source, query: lines[queryRng.int(0, lines.length)]! };
});
const hits = probes.filter((p) => retrieve(p.query, 1)[0]?.i === p.source).length / probes.length;
showTable(["What authority surfeits on would relieve us?", "the king is dead", "sweet love"].map((question) => {
  const [best] = retrieve(question, 1);
  return { question, "cosine": best?.score ?? 0, "top passage": best ? passages[best.i]!.slice(0, 120).replace(/\n/g, " / ") : "(no known word)" };
}), { caption: `The retriever over ${passages.length} speeches (${retriever.getFeatureNamesOut().length} TF-IDF terms)`, digits: 3 });
console.log(`a line as the query finds its own speech first in ${(100 * hits).toFixed(0)} % of 100 probes (chance ${(100 / passages.length).toFixed(2)} %)`);
check("the retriever finds a line's own speech first for ≥ 75 of 100 random lines (chance: 1/1500; calibrated)", hits >= 0.75, { hits });
const sparseScores = retrieve("the king is dead", 3);
checkClose("the sparse dot product is the cosine similarity (lib/math/similarity) of the full vectors", Math.max(...sparseScores.map((r) => Math.abs(r.score - cosineSimilarity(retriever.transform(["the king is dead"])[0]!, passageVectors[r.i]!)))), 0, { abs: 1e-12 });

// %% [markdown]
// ### 7.5 Perplexity against downstream quality
//
// Perplexity measures how well a model predicts held-out text of the **same distribution and tokenizer**; it is
// the pre-training loss, cheap, smooth and comparable between checkpoints. It is not quality:
// * It cannot be compared across tokenizers (a character model's perplexity and a word model's are per different
//   units; compare bits per character or per byte instead) or across evaluation texts.
// * Lower perplexity tracks better downstream accuracy **within** a model family trained on the same data (the
//   scaling-law plots), but at a given perplexity models differ a lot on tasks, and fine-tuning for instructions or
//   with RLHF/DPO usually **raises** perplexity on web text while making the model far more useful: the objective
//   moved from "predict the internet" to "answer well".
// * Decoding matters as much as the model: section 4's greedy text is the most likely and the most repetitive.
// * So a model is judged on the task (exact match, pass@k for code, win rates judged by people or a strong model),
//   with perplexity as a training monitor. Section 7.2 used it the right way: the **same** model and text before
//   and after quantization, where a change in perplexity is a change in the model's predictions, and a task
//   benchmark would confirm it.

// %% [markdown]
// ## Recap
//
// * An LLM is a next-token model, p(x) = ∏ p(xₜ | x<ₜ), computed by causal decoder-only Transformer blocks and
//   trained by cross-entropy on the next token; perplexity = exp(mean NLL) is its held-out score.
// * A bigram model is the first baseline (here 2.47 nats/char held out); the tiny GPT beat it by more than the
//   calibrated 0.1 nats after 250 steps, because attention reads 32 characters instead of one.
// * Causal masking is checkable: change the future, the past must not move (to 1e-6); the seed's model fails this.
// * Generation is a loop; the decoding strategy picks each token. Temperature 0 and top-k = 1 are greedy exactly;
//   top-k and top-p truncate the distribution before sampling; a seed makes sampling reproducible.
// * T5 names the task in the input ("translate English to German: …"). A miniature trained on `reverse:` / `sort:`
//   solved both with the prefix and produced neither task's answer without it: that is why the seed's prefix-less
//   prompt to `t5-small` fails (an instruction-tuned model such as Flan-T5 is what free prompts need).
// * A KV cache makes each generated token cost one position instead of the whole prefix, and generates exactly the
//   same text; int8 weights (per channel, error ≤ scale/2) cut the model 4× and moved its perplexity by < 0.005 nats.
// * Instruction tuning teaches the format, RLHF optimises a learned reward under a KL leash, and DPO reaches the
//   same closed-form optimum π_ref·exp(r/β)/Z from preference pairs alone (checked on a toy set).
// * RAG puts retrieved passages into the prompt; a plain TF-IDF retriever finds a line's own speech 87 times in 100.
//   Perplexity is a training monitor within one tokenizer and text; models are judged on their tasks.
//
// ## Exercises
//
// 1. **Perplexity by hand.** A model gives the three characters of a held-out text probabilities 1/2, 1/4 and 1/8.
//    What is its perplexity? What is the perplexity of a uniform model over V characters?
// 2. **Spot the bug (S2-Q5).** `model.generate(input_ids, max_length=50, num_return_sequences=1)`: which decoding
//    strategy is this, and what would you add to sample? Show with the tiny GPT that greedy decoding is the
//    temperature → 0 limit: the greedy continuation is more likely under the model, per character, than a sample
//    at T = 1.
// 3. **Spot the bug (S2-Q1).** Section 6's question: what stops the seed's model from running, and what stops it
//    from being a language model once it runs? Show the second with a perturbation, as in section 3.
// 4. **Spot the bug (S2-Q13).**
//
//    ```python
//    tokenizer = T5Tokenizer.from_pretrained('t5-small')
//    model = T5ForConditionalGeneration.from_pretrained('t5-small')
//    input_ids = tokenizer.encode("Write a story about a lonely robot who makes a new friend.", return_tensors='pt')
//    outputs = model.generate(input_ids, max_length=50, num_return_sequences=1)
//    ```
//
//    The code runs (with internet). Why is the story nonsense? Fix the prompt for a task `t5-small` knows, and show
//    with section 5's model that the same payload gives each task's answer only when its prefix is there.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** exp(mean(ln 2, ln 4, ln 8)) = exp(2 ln 2) = 4; a uniform model has perplexity V.

// %% tags=["solution"]
checkClose("perplexity of probabilities 1/2, 1/4, 1/8 = 4", perplexity([Math.log(2), Math.log(4), Math.log(8)]), 4, { rel: 1e-12 });
checkClose("a uniform model over V characters has perplexity V", perplexity(new Array(10).fill(Math.log(V))), V, { rel: 1e-12 });

// %% [markdown] tags=["solution"]
// **2.** Greedy decoding (Hugging Face's default: `do_sample=False`, one beam). Sampling needs `do_sample=True`
// with `temperature`, `top_k` and/or `top_p` (and often `repetition_penalty`), plus `pad_token_id` and an
// `attention_mask` to silence the warnings. Greedy picks the argmax at every step, so the sequence it builds is
// usually more likely, per character, than a sample, and more repetitive.

// %% tags=["solution"]
const perChar = (h: { logProb: number; tokens: number[] }) => h.logProb / h.tokens.length;
check("greedy's continuation is more likely per character than the T = 1 sample", perChar(greedy) > perChar(samples[1]!.sample), { greedy: perChar(greedy), sampled: perChar(samples[1]!.sample) });

// %% [markdown] tags=["solution"]
// **3.** `inputs` is used before it exists (*NameError*); with an `Input` defined first the name is
// reassigned, so `Model(inputs=inputs)` would get the embedding output, not the `Input`. Once it runs it is still
// not an LLM: the attention has **no causal mask**, so the output at position t reads the tokens after t, the very
// tokens it is supposed to predict (a next-token loss would be solved by copying); it also has no positions,
// residuals or LayerNorm, and no next-token targets. The cell below builds the seed's architecture (attention
// without a mask) and shows that the first position sees changes to later ones; `causalLanguageModel` (section 3) does not.

// %% tags=["solution"]
const seedIds = tf.input({ shape: [CONTEXT], dtype: "int32" });
const seedEmbedded = tf.layers.embedding({ inputDim: V, outputDim: 16, embeddingsInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 10 }) }).apply(seedIds) as tf.SymbolicTensor;
const seedAttention = new MultiHeadAttention({ numHeads: 2, keyDim: 16, seed: 11, name: "seed_attention" }).apply(seedEmbedded) as tf.SymbolicTensor;
const seedHidden = tf.layers.dense({ units: 32, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 12 }) }).apply(seedAttention) as tf.SymbolicTensor;
const seedOutputs = tf.layers.dense({ units: V, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 13 }) }).apply(seedHidden) as tf.SymbolicTensor;
const seedModel = tf.model({ inputs: seedIds, outputs: seedOutputs });
const laterChanged = perturbed[0]!; // position 0 kept, every later character replaced (section 3)
const seedFirstRow = (ids: readonly number[]) => tf.tidy(() => (seedModel.predict(tf.tensor2d([[...ids]], undefined, "int32")) as tf.Tensor).arraySync() as number[][][])[0]![0]!;
const seedLeak = rowDiff(seedFirstRow(probeIds), seedFirstRow(laterChanged));
const gptLeak = rowDiff(logitsOf([probeIds])[0]![0]!, logitsOf([laterChanged])[0]![0]!);
check("the seed's architecture is not causal: changing the later tokens moves the first position's prediction", seedLeak > 1e-4, { change: seedLeak });
check("the tiny GPT's first position ignores the same change (1e-6)", gptLeak <= 1e-6, { change: gptLeak });

// %% [markdown] tags=["solution"]
// **4.** `t5-small` was trained on supervised tasks each introduced by its prefix ("translate English to German: ",
// "summarize: ", …) after span-corruption pre-training; "Write a story …" matches none, so the decoder continues as
// best it can from an input it never saw (often an echo or a fragment). Use a known prefix, e.g.
// `"summarize: " + article` or `"translate English to German: The house is wonderful."`, or an instruction-tuned
// model (`google/flan-t5-small`) for free instructions; and set the decoding (`num_beams`, or `do_sample` with
// `top_p`) rather than relying on greedy defaults. With section 5's model, a held-out payload under each prefix,
// and without one:

// %% tags=["solution"]
// The first held-out payload that the model answers correctly under both prefixes (section 5 measured how often).
const solvedPair = textTest.findIndex((e, i) => i % 2 === 0 && withPrefixOutputs[i] === e.target.join("") && withPrefixOutputs[i + 1] === textTest[i + 1]!.target.join(""));
const probePayload = textTest[solvedPair]!.payload;
const probeExamples = TEXT_TO_TEXT_TASKS.map((task) => ({ task, payload: probePayload, source: [taskPrefix(task), ...probePayload], target: applyTextTask(task, probePayload) }));
const probeWith = generateText(probeExamples, true);
const probeWithout = generateText(probeExamples, false);
showTable(probeExamples.map((e, i) => ({ input: e.source.join(" "), output: probeWith[i]!, "without the prefix": probeWithout[i]! })));
check("each prefix gives its own task's answer on this payload", probeExamples.every((e, i) => probeWith[i] === e.target.join("")));
check("without a prefix both inputs are the same, so one output cannot answer both tasks", probeWithout[0] === probeWithout[1] && !probeExamples.every((e) => probeWithout[0] === e.target.join("")));
