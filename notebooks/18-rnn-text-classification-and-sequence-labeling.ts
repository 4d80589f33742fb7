// %% [markdown]
// # 18 · Recurrent networks for text: classification and sequence labelling
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S1-C26 | Implement an LSTM text classifier. | 实现一个基于LSTM的文本分类器 |
// | S4-C10 | Implement an RNN text-classification model. | 实现一个基于循环神经网络的文本分类模型 |
// | S3-Q14 | Explain sequence labelling in NLP and list common sequence-labelling tasks. | 请解释自然语言处理中的序列标注 |
//
// **The short answer an interviewer wants.** Text becomes tensors in four steps: **tokenise**, map tokens to ids
// with a **vocabulary learned on the training texts only** (id 0 = padding, id 1 = unknown word), **pad** every
// sentence to one length, and tell the network which positions are padding (a **mask**, Keras's
// `Embedding(mask_zero=True)`), so that padding never changes a prediction. A **classifier** reads the whole
// sentence and emits *one* label: Embedding → LSTM (its last state, `return_sequences=False`) → Dense. A
// **sequence labeller** emits *one label per token* (part-of-speech, named entities in BIO tags): Embedding →
// bidirectional LSTM with `return_sequences=True` → a softmax per step, often with a CRF on top whose **Viterbi**
// decoding picks the best *sequence* of tags. Unlike a bag of words, an LSTM sees word order ("not bad" ≠ "bad"),
// but on a few hundred sentences a TF-IDF + logistic-regression baseline is cheaper and about as good: always
// run it first. Entities are scored by **entity-level F1** (seqeval), not by token accuracy.
//
// Every claim below is a check that would fail if it were false: padding against the same model without its
// mask, the LSTM against bag-of-words logistic regression on held-out phrasings, entity F1 against a hand count,
// Viterbi against enumerating every tag sequence, the bidirectional leak against a forward LSTM.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkClose } from "./lib/check";
import { take, groupTrainTestSplit } from "./lib/split";
import { tokenizeWords, tokenizeChars } from "./lib/text/tokenize";
import { Vocabulary, PAD_ID } from "./lib/text/vocabulary";
import { padSequences, paddingMask } from "./lib/text/padding";
import { CountVectorizer, TfidfVectorizer } from "./lib/text/vectorizers";
import { makeNegationSentiment, makeTaggingCorpus, TAG_NAMES, POSITIVE_WORDS, NEGATIVE_WORDS, type LabelledSentence, type TaggedSentence } from "./lib/text/corpora";
import { loadSentiment } from "./lib/text/sentiment-data";
import { LogisticRegression } from "./lib/ml/linear";
import { confusionMatrix } from "./lib/ml/metrics";
import { fitEpochs } from "./lib/nn/training";
import { entityScores, extractEntities } from "./lib/sequence/entities";
import { viterbi, bruteForceDecode, forwardLogPartition, hmmScores, type HiddenMarkovModel } from "./lib/sequence/viterbi";
import { displayBundle, showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { heatmapFigure, lineFigure } from "./lib/display/figures";
import { taggedTokensBundle } from "./lib/display/tagged-tokens";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %% [markdown]
// ## 1. S1-C26 · An LSTM text classifier, end to end
//
// **Question.** Implement an LSTM-based text classifier (实现一个基于LSTM的文本分类器).
//
// **Short answer.** Tokenise; build the vocabulary from the *training* sentences; encode and pad to a fixed
// length; Embedding(vocabulary size, d, **mask_zero**) → LSTM(n) → Dense(1, sigmoid) with binary
// cross-entropy for two classes (or Dense(k, softmax) with *sparse* categorical cross-entropy for integer
// labels); evaluate on held-out data against a baseline. The seed's answer has only the model: no data, no
// tokeniser, no padding, no mask, a loss that needs one-hot labels it never makes (exercise 1).
//
// The data: `makeNegationSentiment` (lib/text/corpora.ts), short reviews whose label needs **word order**:
// "the film was not bad" is positive, "the film was bad , not good" negative. The test set uses only four
// phrasings (templates) that never occur in training, such as "i found the meal not dull at all", so a score on
// it measures generalisation to new phrasings rather than memory.

// %%
const SEED = 0;
const negation = makeNegationSentiment({ nTrain: 600, nTest: 400, seed: SEED });
const wordVocabulary = new Vocabulary().fit(negation.train.map((s) => s.tokens)); // training sentences only
const MAXLEN = 16;
/** [sentences][MAXLEN] token ids, padded at the end with PAD_ID (0). */
const encodeSentences = (vocabulary: Vocabulary, sentences: readonly string[][], maxlen: number) =>
  padSequences(sentences.map((tokens) => vocabulary.encode(tokens)), { maxlen: maxlen, padding: "post", truncating: "post" });
const idsTensor = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], "int32");

const example = negation.test[0]!;
const exampleIds = encodeSentences(wordVocabulary, [example.tokens], MAXLEN);
console.log(`${negation.train.length} training, ${negation.test.length} test sentences; vocabulary ${wordVocabulary.size} ids (0 = <pad>, 1 = <unk>)`);
console.log(`"${example.text}" (label ${example.label})\n→ ids  ${exampleIds[0]!.join(" ")}\n→ mask ${paddingMask(exampleIds)[0]!.join(" ")}`);
check("the vocabulary covers every test token: the held-out templates reuse training words", negation.test.every((s) => s.tokens.every((token) => wordVocabulary.has(token))));

// %% [markdown]
// The model. `maskZero: true` makes the Embedding layer emit a mask (id ≠ 0) that Keras and tfjs pass to the
// LSTM, which then **skips** masked steps: it carries its state through them unchanged, so its last state is
// the state after the last real word. Padding goes at the end ("post") here on purpose: without a mask, an
// LSTM that reads ten padding vectors *after* the sentence has ten steps in which to forget it.

// %%
interface ClassifierOptions { vocabularySize: number; units: number; maskZero: boolean; seed: number }
/** Embedding(16, mask) → LSTM(units), its last state → Dense(1, sigmoid): P(positive). */
function buildLstmClassifier(options: ClassifierOptions): tf.Sequential {
  const { vocabularySize, units, maskZero, seed } = options;
  const model = tf.sequential({ layers: [
    tf.layers.embedding({ inputDim: vocabularySize, outputDim: 16, maskZero: maskZero, inputShape: [null], embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed }) }),
    tf.layers.lstm({ units: units, recurrentActivation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 2 }) }),
    tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) }),
  ] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "binaryCrossentropy", metrics: ["accuracy"] });
  return model;
}
/** P(positive) for each row of ids. */
const predictPositive = (model: tf.LayersModel, ids: number[][]): number[] => {
  const x = idsTensor(ids);
  const p = model.predict(x) as tf.Tensor;
  const values = Array.from(p.dataSync());
  tf.dispose([x, p]);
  return values;
};
const accuracyOf = (probabilities: readonly number[], labels: readonly number[]) => probabilities.filter((p, i) => Number(p > 0.5) === labels[i]).length / labels.length;

const classifier = buildLstmClassifier({ vocabularySize: wordVocabulary.size, units: 16, maskZero: true, seed: SEED });
const xNegation = idsTensor(encodeSentences(wordVocabulary, negation.train.map((s) => s.tokens), MAXLEN));
const yNegation = tf.tensor2d(negation.train.map((s) => [s.label]));
const negationHistory = await fitEpochs(classifier, xNegation, yNegation, { epochs: 8, batchSize: 32 });
const negationSeconds = negationHistory.reduce((total, record) => total + record.seconds, 0);
tf.dispose([xNegation, yNegation]);
const tensorsAfterTraining = tf.memory().numTensors;
const testIds = encodeSentences(wordVocabulary, negation.test.map((s) => s.tokens), MAXLEN);
const lstmProbabilities = predictPositive(classifier, testIds);
const lstmAccuracy = accuracyOf(lstmProbabilities, negation.test.map((s) => s.label));
console.log(`Embedding(16) + LSTM(16): ${classifier.countParams()} parameters; training loss by epoch ${negationHistory.map((record) => record.loss.toFixed(3)).join(", ")}`);
console.log(`test accuracy on the 4 held-out templates: ${lstmAccuracy.toFixed(3)}`);
const liveTensors = negationHistory.map((record) => record.liveTensors);
check("tf.memory().numTensors is flat across epochs 2–8 (epoch 1 creates Adam's moment tensors) and after prediction", liveTensors.slice(1).every((n) => n === liveTensors[1]) && tf.memory().numTensors === tensorsAfterTraining, { liveTensors: liveTensors });

// %% tags=["volatile-output"]
console.log(`training: 8 epochs × 600 sentences in ${negationSeconds.toFixed(1)} s (${tfSetup.backend})`);

// %% [markdown]
// ## 2. Masking: padding must not change a prediction
//
// Append 10 more padding ids to every test sentence (length 16 → 26). With the mask the LSTM skips them, so
// every probability must stay the same to float32 rounding (1e-6). The independent control: the **same
// weights** in a model built with `maskZero: false`. It reads the padding as words, and its predictions must
// move, so this check can fail.

// %%
const longerIds = testIds.map((row) => [...row, ...new Array<number>(10).fill(PAD_ID)]);
const maskedShift = Math.max(...predictPositive(classifier, longerIds).map((p, i) => Math.abs(p - lstmProbabilities[i]!)));
const unmasked = buildLstmClassifier({ vocabularySize: wordVocabulary.size, units: 16, maskZero: false, seed: SEED });
unmasked.setWeights(classifier.getWeights());
const unmaskedShort = predictPositive(unmasked, testIds);
const unmaskedShift = Math.max(...predictPositive(unmasked, longerIds).map((p, i) => Math.abs(p - unmaskedShort[i]!)));
const unmaskedAccuracy = accuracyOf(unmaskedShort, negation.test.map((s) => s.label));
console.log(`largest change of P(positive) over ${testIds.length} test sentences after 10 more padding ids: with mask ${maskedShift.toExponential(1)}, same weights without mask ${unmaskedShift.toFixed(3)}`);
console.log(`accuracy of the same weights without the mask (padding read as words): ${unmaskedAccuracy.toFixed(3)}`);
check("with mask_zero, 10 extra padding ids change no prediction by more than 1e-6", maskedShift <= 1e-6, { maskedShift });
check("without the mask, the same weights change some prediction by more than 1e-3 (the check can fail)", unmaskedShift > 1e-3, { unmaskedShift });

// %% [markdown]
// ## 3. The LSTM against a bag of words: word order is the difference
//
// The baseline an interviewer expects first: `CountVectorizer` (lib/text/vectorizers.ts, equal to
// scikit-learn's) + `LogisticRegression`. A bag of words counts words and forgets their order, so two sentences
// with the same words get the same vector, hence the same prediction, **whatever their labels**. The proof on
// the test set: swap the two adjectives of every "contrast" sentence ("i would not call the film *dull* , i found
// it *lovely*" ↔ "… *lovely* , i found it *dull*"). The label flips; the bag of words cannot, so it gets at most
// one sentence of each pair right. The LSTM's prediction must depend on the order: swapping the adjectives of
// the contrast sentences it was trained on must flip it.

// %%
const bagOfWords = new CountVectorizer().fit(negation.train.map((s) => s.text));
const bowModel = new LogisticRegression({ C: 1 }).fit(bagOfWords.transform(negation.train.map((s) => s.text)), negation.train.map((s) => s.label));
const bowProbabilities = (texts: string[]) => bowModel.predictProba(bagOfWords.transform(texts)).map((p) => p[1]!);
const bowTestProbabilities = bowProbabilities(negation.test.map((s) => s.text));
const bowAccuracy = accuracyOf(bowTestProbabilities, negation.test.map((s) => s.label));

const ADJECTIVES = new Set([...POSITIVE_WORDS, ...NEGATIVE_WORDS]);
/** The same tokens with the two adjectives exchanged: the same bag of words, the opposite label. */
const swapAdjectives = (tokens: string[]): string[] => {
  const [first, second] = tokens.flatMap((token, i) => (ADJECTIVES.has(token) ? [i] : []));
  return tokens.map((token, i) => (i === first ? tokens[second!]! : i === second ? tokens[first!]! : token));
};
const contrastPairs = negation.test.filter((s) => s.kind === "contrast").map((s) => ({ original: s, swapped: swapAdjectives(s.tokens) }));
const swappedTexts = contrastPairs.map((pair) => pair.swapped.join(" "));
const sameBags = contrastPairs.every((pair, k) => {
  const [original, swapped] = bagOfWords.transform([pair.original.text, swappedTexts[k]!]);
  return original!.every((count, j) => count === swapped![j]);
});
const bowOriginal = bowProbabilities(contrastPairs.map((pair) => pair.original.text));
const bowSwapped = bowProbabilities(swappedTexts);
/** Share of sentences whose predicted label changes when their two adjectives are swapped. */
const lstmFlipRate = (sentences: LabelledSentence[]) => {
  const original = predictPositive(classifier, encodeSentences(wordVocabulary, sentences.map((s) => s.tokens), MAXLEN));
  const swapped = predictPositive(classifier, encodeSentences(wordVocabulary, sentences.map((s) => swapAdjectives(s.tokens)), MAXLEN));
  return original.filter((p, k) => (p > 0.5) !== (swapped[k]! > 0.5)).length / sentences.length;
};
const lstmFlips = lstmFlipRate(negation.train.filter((s) => s.kind === "contrast"));
const heldOutFlips = lstmFlipRate(contrastPairs.map((pair) => pair.original));
console.log(`${contrastPairs.length} contrast sentences in the test set; e.g. "${contrastPairs[0]!.original.text}" ↔ "${swappedTexts[0]}"`);
check("each swapped sentence has exactly the bag of words of its original", sameBags);
check("…so the bag-of-words model gives both the same probability (and one of the two labels is wrong)", bowOriginal.every((p, k) => p === bowSwapped[k]));
check("the LSTM reads order: swapping the adjectives flips ≥ 90 % of its predictions on the training contrast sentences", lstmFlips >= 0.9, { lstmFlips });
console.log(`on the held-out contrast template the LSTM flips ${(100 * heldOutFlips).toFixed(0)} % of its predictions (calibration below)`);

// %% [markdown]
// Accuracy per held-out template, and overall. **Calibration** (this recipe, data and initialisation seeds
// 0–4, measured while writing the notebook): LSTM 0.90–1.00 on the test templates, bag of words 0.51–0.60
// (chance is 0.5); the smallest gap was 36 points. The design targets, checked below, are LSTM ≥ 0.82 and ≥ bag
// of words + 15 points. Generalising to a *new phrasing* is the fragile part: on seed 4 the LSTM scored 0.58 on
// the held-out contrast template (it flipped none of those pairs, while flipping every training-template pair),
// and 0.90 overall; with 32 units instead of 16 the overall range was 0.77–1.00, so the smaller model stays.
// Every training-template contrast pair flipped on all five seeds.

// %%
const testTemplates = [...new Set(negation.test.map((s) => s.template))];
const accuracyOnTemplate = (probabilities: number[], template: string | null) => {
  const rows = negation.test.flatMap((s, i) => (template === null || s.template === template ? [i] : []));
  return accuracyOf(rows.map((i) => probabilities[i]!), rows.map((i) => negation.test[i]!.label));
};
const templateRows = [...testTemplates, null].map((template) => ({
  "test template": template ?? "all held-out templates",
  sentences: template === null ? negation.test.length : negation.test.filter((s) => s.template === template).length,
  "bag of words + LR": accuracyOnTemplate(bowTestProbabilities, template),
  "LSTM": accuracyOnTemplate(lstmProbabilities, template),
}));
showTable(templateRows, { caption: "Accuracy on templates never seen in training (chance = 0.5)", digits: 3 });
await showFigure({
  data: (["bag of words + LR", "LSTM"] as const).map((model) => ({ type: "bar" as const, name: model, x: templateRows.map((r) => r["test template"]), y: templateRows.map((r) => r[model]) })),
  layout: { title: { text: "Negation set: accuracy on held-out templates, bag of words vs LSTM" }, barmode: "group", xaxis: { title: { text: "test template" }, automargin: true }, yaxis: { title: { text: "accuracy (fraction correct)" }, range: [0, 1] }, height: 480 },
});
check("LSTM beats bag-of-words logistic regression by ≥ 15 points on held-out templates", lstmAccuracy >= bowAccuracy + 0.15, { lstmAccuracy: lstmAccuracy, bowAccuracy: bowAccuracy });
check("LSTM test accuracy ≥ 0.82 on held-out templates", lstmAccuracy >= 0.82, { lstmAccuracy: lstmAccuracy });

// %% [markdown]
// ## 4. Real sentences, few of them: why TF-IDF + a linear model still wins on small data
//
// The templated set is built so that order decides. Real reviews are the other extreme: `loadSentiment()` holds
// 351 hand-written sentences in 43 phrasing families ("but-turn", "despite", "too-to", …, each family with both
// labels). Split **by family** (`groupTrainTestSplit`), so the test set holds phrasings the models never saw.
// The catalog asks for ≥ 0.8 from both models here. **That is not reachable, and the measurement says why.**
// Over split seeds 0–4, TF-IDF + logistic regression scored 0.54–0.64 and bag of words 0.53–0.62 (a
// stratified random split instead of the family split: 0.50–0.60); the LSTM below (full size, this recipe)
// scored 0.46–0.64 on split seeds 0–4. Both reach training accuracy 1.0 on every seed. The test families
// bring words the training part never had (a quarter of all test words, measured below), and the words that
// decide a sentence ("worth a detour", "swears by") are phrases seen once or never. No model trained from scratch on 260 sentences can know them; the remedy is pretrained word vectors
// or a pretrained encoder (notebooks 15, 17 and 23), not a bigger recurrent network.
//
// The follow-up question "why does TF-IDF still win on small data?" is answered by the learning curve: at
// every size tried the two are within noise of each other (with 94 test sentences, one standard error of an
// accuracy near 0.55 is ≈ 0.05), and TF-IDF + LR fits in milliseconds with one hyper-parameter, while the LSTM
// takes seconds, needs a learning rate, an epoch count and a seed, and has ≈ 16,000 parameters (mostly its
// embedding table) for 260 sentences. The LSTM earns its cost when there is enough data to learn what the bag
// of words cannot represent, as on the 600-sentence negation set above, where word order decides.

// %%
const sentiment = loadSentiment();
const familySplit = groupTrainTestSplit(sentiment.groups, { testFraction: 0.25, seed: 0 });
const [trainTexts, testTexts] = [take(sentiment.texts, familySplit.train), take(sentiment.texts, familySplit.test)];
const [trainLabels, testLabels] = [take(sentiment.labels, familySplit.train), take(sentiment.labels, familySplit.test)];
const [trainTokens, testTokens] = [trainTexts.map((t) => tokenizeWords(t)), testTexts.map((t) => tokenizeWords(t))];
const seenWords = new Set(trainTokens.flat());
const testWords = testTokens.flat();
const unseenShare = testWords.filter((w) => !seenWords.has(w)).length / testWords.length;
console.log(`${trainTexts.length} training sentences, ${testTexts.length} test sentences from ${familySplit.testGroups.length} unseen families; ${(100 * unseenShare).toFixed(0)} % of the test words never occur in training`);

const SENTENCE_MAXLEN = Math.max(...trainTokens.map((t) => t.length));
const sizeOrder = new Random(1).permutation(trainTexts.length);
const sentimentRows: { "training sentences": number; "TF-IDF + LR, test": number; "LSTM, test": number; "TF-IDF + LR, train": number; "LSTM, train": number }[] = [];
const sentimentStarted = performance.now();
for (const size of [64, 128, trainTexts.length]) {
  const rows = sizeOrder.slice(0, size);
  const [texts, labels] = [take(trainTexts, rows), take(trainLabels, rows)];
  const tfidf = new TfidfVectorizer().fit(texts);
  const linear = new LogisticRegression({ C: 10 }).fit(tfidf.transform(texts), labels);
  const vocabulary = new Vocabulary().fit(take(trainTokens, rows));
  const model = buildLstmClassifier({ vocabularySize: vocabulary.size, units: 16, maskZero: true, seed: SEED });
  const [x, y] = [idsTensor(encodeSentences(vocabulary, take(trainTokens, rows), SENTENCE_MAXLEN)), tf.tensor2d(labels.map((v) => [v]))];
  await model.fit(x, y, { epochs: 10, batchSize: 32, shuffle: true, verbose: 0 });
  tf.dispose([x, y]);
  sentimentRows.push({
    "training sentences": size,
    "TF-IDF + LR, test": linear.score(tfidf.transform(testTexts), testLabels),
    "LSTM, test": accuracyOf(predictPositive(model, encodeSentences(vocabulary, testTokens, SENTENCE_MAXLEN)), testLabels),
    "TF-IDF + LR, train": linear.score(tfidf.transform(texts), labels),
    "LSTM, train": accuracyOf(predictPositive(model, encodeSentences(vocabulary, take(trainTokens, rows), SENTENCE_MAXLEN)), labels),
  });
  model.dispose();
}
const sentimentSeconds = (performance.now() - sentimentStarted) / 1000;
showTable(sentimentRows, { caption: `Hand-written sentiment set, test = ${testTexts.length} sentences of unseen phrasing families (chance ≈ 0.5)`, digits: 3 });
await showFigure(lineFigure(
  (["TF-IDF + LR, test", "LSTM, test", "TF-IDF + LR, train", "LSTM, train"] as const).map((column) => ({ name: column, x: sentimentRows.map((r) => r["training sentences"]), y: sentimentRows.map((r) => r[column]) })),
  { title: "Learning curve on the hand-written sentiment set (family split)", xTitle: "training sentences", yTitle: "accuracy (fraction correct)" },
));
const full = sentimentRows.at(-1)!;
check("both models fit their training sentences (train accuracy ≥ 0.95 at full size)", full["TF-IDF + LR, train"] >= 0.95 && full["LSTM, train"] >= 0.95, full);
check("…and both memorise rather than generalise: train − test accuracy ≥ 0.25 for each", full["TF-IDF + LR, train"] - full["TF-IDF + LR, test"] >= 0.25 && full["LSTM, train"] - full["LSTM, test"] >= 0.25, full);
check("the reason: ≥ 20 % of the test words never occur in the training sentences (0 % on the negation set)", unseenShare >= 0.2, { unseenShare });

// %% tags=["volatile-output"]
console.log(`three TF-IDF fits and three LSTM trainings (10 epochs each) in ${sentimentSeconds.toFixed(1)} s`);

// %% [markdown]
// ## 5. S3-Q14 · Sequence labelling: one label per token
//
// **Question.** Explain sequence labelling in NLP and list common sequence-labelling tasks
// (请解释自然语言处理中的序列标注。).
//
// **Short answer.** Sequence labelling assigns a label to **every token**: y₁ … y_T for x₁ … x_T. Tasks:
// part-of-speech tagging, named-entity recognition (BIO tags: B-PER starts a person, I-PER continues it, O is
// outside), chunking, word segmentation for Chinese (B/M/E/S per character), slot filling in dialogue. Models:
// HMM, linear-chain **CRF**, BiLSTM with a softmax per token, **BiLSTM-CRF**, a Transformer encoder with a
// token-classification head. Entities are scored by **entity-level** precision, recall and F1 (seqeval): an
// entity counts only with exactly the right type, start and end.
//
// **What the seed gets wrong.** (1) It lists *sentiment analysis* that "assigns a polarity to a sentence or
// paragraph" as sequence labelling: one label per sentence is **classification** (sections 1–4); only
// aspect-level sentiment tagged per token would be labelling. (2) It proposes an **SVM** as the model next to
// CRF: an SVM classifies each token on its own and ignores the dependency between neighbouring tags (I-PER
// cannot follow O); HMM, CRF and BiLSTM(-CRF) are the sequence models. (3) Word-sense disambiguation is usually
// a per-word classification rather than a tagging of every token. (4) It evaluates "accuracy, recall, F1"
// without saying of what: token accuracy flatters a tagger, since most tokens are O.
//
// The hand check of the evaluation first: two sentences, counted on paper.
//
// | sentence | true entities | predicted entities | correct |
// |---|---|---|---|
// | anna smith lives in new york | PER(0–1), LOC(4–5) | PER(0–0), LOC(4–5) | LOC only (PER ends too early) |
// | acme hired tom | ORG(0), PER(2) | ORG(0), LOC(2), PER(1) | ORG only |
//
// 4 true, 5 predicted, 2 correct: precision 2/5, recall 2/4, F1 = 2·0.4·0.5/0.9 = 4/9, while token accuracy is
// 6/9 (three wrong tags of nine).

// %%
const fixtureTrue = [["B-PER", "I-PER", "O", "O", "B-LOC", "I-LOC"], ["B-ORG", "O", "B-PER"]];
const fixturePredicted = [["B-PER", "O", "O", "O", "B-LOC", "I-LOC"], ["B-ORG", "B-PER", "B-LOC"]];
const fixtureScores = entityScores(fixtureTrue, fixturePredicted);
console.log(`entities of the second predicted sentence: ${JSON.stringify(extractEntities(fixturePredicted[1]!))}`);
check("entityScores on the fixture = the hand count: 4 true, 5 predicted, 2 correct", fixtureScores.support === 4 && fixtureScores.predicted === 5 && fixtureScores.correct === 2);
checkClose("entity precision = 2/5", fixtureScores.precision, 2 / 5, { abs: 1e-12 });
checkClose("entity recall = 2/4", fixtureScores.recall, 2 / 4, { abs: 1e-12 });
checkClose("entity F1 = 4/9", fixtureScores.f1, 4 / 9, { abs: 1e-12 });
const fixtureTokens = fixtureTrue.flatMap((tags, s) => tags.map((tag, t) => tag === fixturePredicted[s]![t]));
checkClose("token accuracy on the same fixture = 6/9: it flatters the tagger", fixtureTokens.filter(Boolean).length / fixtureTokens.length, 6 / 9, { abs: 1e-12 });

// %% [markdown]
// The tagger: the same Embedding (with mask), a **bidirectional** LSTM that returns its state at every step
// (`returnSequences: true`), and a softmax over the 7 tags at each step (`timeDistributed(dense)`). Targets are
// one-hot [sentences, steps, tags]; at padding steps the target row is all zeros, so those steps add nothing
// to the cross-entropy −Σ y·log p. The data: `makeTaggingCorpus`, sentences from a grammar with PER, LOC and ORG
// names of one to three words; the 300 test sentences come from four templates never used in training
// ("in {LOC} {ORG} hired {PER}"). **Calibration** (seeds 0–4, BiLSTM): token accuracy 0.997–1.000, entity F1
// 0.99–1.00 after 8 epochs; after 5 epochs one seed of five fell to F1 0.86, so 8 it is. The catalog's targets
// are 0.95 and 0.9.

// %%
const tagging = makeTaggingCorpus({ nTrain: 300, nTest: 300, seed: SEED });
const tagVocabulary = new Vocabulary().fit(tagging.train.map((s) => s.tokens));
const TAG_MAXLEN = Math.max(...[...tagging.train, ...tagging.test].map((s) => s.tokens.length));
const tagIds = (sentences: TaggedSentence[]) => encodeSentences(tagVocabulary, sentences.map((s) => s.tokens), TAG_MAXLEN);
/** [sentences][TAG_MAXLEN][tags] one-hot; all-zero rows at padding steps. */
const tagTargets = (sentences: TaggedSentence[]) => tf.tensor3d(sentences.map((s) => Array.from({ length: TAG_MAXLEN }, (_, t) => TAG_NAMES.map((name) => Number(s.tags[t] === name)))));

function buildTagger(bidirectional: boolean, seed: number): tf.Sequential {
  const lstm = tf.layers.lstm({ units: 16, returnSequences: true, recurrentActivation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 2 }) });
  const model = tf.sequential({ layers: [
    tf.layers.embedding({ inputDim: tagVocabulary.size, outputDim: 16, maskZero: true, inputShape: [null], embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed }) }),
    bidirectional ? tf.layers.bidirectional({ layer: lstm as tf.layers.RNN }) : lstm,
    tf.layers.timeDistributed({ layer: tf.layers.dense({ units: TAG_NAMES.length, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) }) }),
  ] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
  return model;
}
/** [sentences][steps][tags] tag probabilities for rows of ids. */
const tagProbabilities = (model: tf.LayersModel, ids: number[][]): number[][][] => {
  const x = idsTensor(ids);
  const p = model.predict(x) as tf.Tensor;
  const values = p.arraySync() as number[][][];
  tf.dispose([x, p]);
  return values;
};
const argmax = (row: number[]) => row.indexOf(Math.max(...row));
/** The most probable tag at each real (unpadded) token. */
const greedyTags = (probabilities: number[][][], sentences: TaggedSentence[]) => sentences.map((s, i) => s.tokens.map((_, t) => TAG_NAMES[argmax(probabilities[i]![t]!)]!));
const tokenAccuracy = (predicted: string[][], sentences: TaggedSentence[]) => {
  const pairs = sentences.flatMap((s, i) => s.tags.map((tag, t) => tag === predicted[i]![t]));
  return pairs.filter(Boolean).length / pairs.length;
};

const taggingStarted = performance.now();
const taggers = { bidirectional: buildTagger(true, SEED), forward: buildTagger(false, SEED) };
const [xTags, yTags] = [idsTensor(tagIds(tagging.train)), tagTargets(tagging.train)];
for (const model of [taggers.bidirectional, taggers.forward]) await model.fit(xTags, yTags, { epochs: 8, batchSize: 32, shuffle: true, verbose: 0 });
tf.dispose([xTags, yTags]);
const taggingSeconds = (performance.now() - taggingStarted) / 1000;
const testTagIds = tagIds(tagging.test);
const biProbabilities = tagProbabilities(taggers.bidirectional, testTagIds);
const biTags = greedyTags(biProbabilities, tagging.test);
const forwardTags = greedyTags(tagProbabilities(taggers.forward, testTagIds), tagging.test);
const trueTags = tagging.test.map((s) => s.tags);
const taggerRows = [["BiLSTM(16 + 16)", biTags], ["forward LSTM(16)", forwardTags]].map(([name, predicted]) => {
  const scores = entityScores(trueTags, predicted as string[][]);
  return { tagger: name as string, "token accuracy": tokenAccuracy(predicted as string[][], tagging.test), "entity precision": scores.precision, "entity recall": scores.recall, "entity F1": scores.f1 };
});
showTable(taggerRows, { caption: `${tagging.test.length} test sentences from 4 unseen templates`, digits: 3 });
check("S3-Q14's distinction in shapes: the tagger emits one distribution per token, [batch, steps, 7]; the sentence classifier one label per sentence, [batch, 1]",
  taggers.bidirectional.outputs[0]!.shape.join() === `,,${TAG_NAMES.length}` && classifier.outputs[0]!.shape.join() === ",1");
check("BiLSTM tagger: token accuracy ≥ 0.95 on held-out templates", taggerRows[0]!["token accuracy"] >= 0.95, taggerRows[0]);
check("BiLSTM tagger: entity-level F1 ≥ 0.9 on held-out templates", taggerRows[0]!["entity F1"] >= 0.9, taggerRows[0]);
check("the tagger's padding is masked too: 10 extra padding ids change no tag probability by more than 1e-6",
  Math.max(...tagProbabilities(taggers.bidirectional, testTagIds.map((row) => [...row, ...new Array<number>(10).fill(PAD_ID)])).flatMap((sentence, i) => sentence.slice(0, TAG_MAXLEN).flatMap((step, t) => step.map((p, k) => Math.abs(p - biProbabilities[i]![t]![k]!))))) <= 1e-6);

// %% tags=["volatile-output"]
console.log(`two taggers, 8 epochs × 300 sentences each, in ${taggingSeconds.toFixed(1)} s`);

// %% [markdown]
// Per-token tags of three test sentences: the truth, the BiLSTM and the forward LSTM (cells that differ from
// the truth are outlined), and the confusion matrix of the BiLSTM over all test tokens (rows: true tag,
// columns: predicted tag).

// %%
const shownSentences = tagging.test.map((s, i) => i).filter((i) => forwardTags[i]!.join() !== trueTags[i]!.join()).slice(0, 3);
for (const i of shownSentences) {
  displayBundle(taggedTokensBundle(tagging.test[i]!.tokens, [{ name: "true", tags: trueTags[i]! }, { name: "BiLSTM", tags: biTags[i]! }, { name: "forward LSTM", tags: forwardTags[i]! }], { caption: `test sentence ${i}` }));
}
const tagIndex = (tag: string) => TAG_NAMES.indexOf(tag);
const tagConfusion = confusionMatrix(trueTags.flat().map(tagIndex), biTags.flat().map(tagIndex), TAG_NAMES.map((_, k) => k));
await showFigure(heatmapFigure(tagConfusion, { title: "BiLSTM tagger: confusion matrix over tags (test tokens)", xTitle: "predicted tag", yTitle: "true tag", xLabels: TAG_NAMES, yLabels: TAG_NAMES }));
check("the confusion matrix counts every test token once: row sums = true tag counts", tagConfusion.every((row, k) => row.reduce((a, b) => a + b, 0) === trueTags.flat().filter((tag) => tag === TAG_NAMES[k]).length));

// %% [markdown]
// ## 6. Follow-up: bidirectional RNNs, and why they cannot forecast
//
// A forward LSTM at step t has read only x₁ … x_t. A **bidirectional** layer runs a second LSTM from the end
// and concatenates the two states, so its output at t depends on the whole sentence. In real text that is what
// types an ambiguous word: "Washington" in "Washington said" vs "in Washington" needs the words around it, and
// "Bank" in "Bank of England" is B-ORG only because of what follows. In this grammar every name belongs to one
// type, so the word itself gives most of it and the forward tagger comes close (table above). Its errors, in
// the tag tables, are exactly where the right-hand context decides: "the" is O everywhere except at the start
// of "the daily planet", and in the unseen template "in {LOC} {ORG} hired …" a name follows a name directly,
// so "umbrella" after "buenos aires" looks like a third word of the place. That is right for tagging a finished sentence and
// **wrong for forecasting**: a model asked for x_{t+1} would read it through the backward half (notebook 16,
// section 6). The leak, on the two trained taggers: change the word at step 3 and compare the outputs at
// steps 0–2.

// %%
const probeRows = testTagIds.slice(0, 50);
const PROBE_STEP = 3;
const replacement = tagVocabulary.idOf("yesterday");
const changedRows = probeRows.map((row) => row.map((id, t) => (t === PROBE_STEP ? (id === replacement ? tagVocabulary.idOf("with") : replacement) : id)));
const earlierChange = (model: tf.LayersModel) => {
  const [before, after] = [tagProbabilities(model, probeRows), tagProbabilities(model, changedRows)];
  return Math.max(...before.flatMap((sentence, i) => sentence.slice(0, PROBE_STEP).flatMap((step, t) => step.map((p, k) => Math.abs(p - after[i]![t]![k]!)))));
};
const [forwardLeak, bidirectionalLeak] = [earlierChange(taggers.forward), earlierChange(taggers.bidirectional)];
console.log(`largest change of a tag probability at steps 0–${PROBE_STEP - 1} when the word at step ${PROBE_STEP} changes (50 sentences): forward ${forwardLeak}, bidirectional ${bidirectionalLeak.toFixed(3)}`);
check("a forward LSTM is causal: its outputs before step 3 do not move at all", forwardLeak === 0);
check("a BiLSTM reads the future: its outputs before step 3 move by > 0.01", bidirectionalLeak > 0.01, { bidirectionalLeak });

// %% [markdown]
// ## 7. Viterbi: the best tag *sequence* of an HMM or a CRF
//
// A per-token softmax picks each tag on its own and can output "O I-PER", which no sentence has. An **HMM**
// (P(y₁)·∏P(y_t | y_{t−1})·∏P(x_t | y_t)) or a **linear-chain CRF** (learned scores for each tag at each step
// plus a K×K matrix of transition scores) scores whole sequences; the best of the K^T sequences is found by
// **Viterbi** in O(T·K²): δ_t(j) = max_i [δ_{t−1}(i) + transition(i, j)] + emission_t(j), remembering the argmax,
// then following the pointers back. The forward algorithm is the same recursion with log-sum-exp instead of
// max and gives the CRF's log partition function (its training loss needs it). Both live in
// `lib/sequence/viterbi.ts`; the independent truth is **enumerating all 3⁵ = 243 sequences**, here over 200
// random HMMs (3 tags, 4 symbols, 5 observations) and 200 random CRF score tables (3 tags, length 5).

// %%
const chainRng = new Random(18);
const randomDistribution = (n: number) => {
  const weights = chainRng.array(n, (r) => -Math.log(1 - r.random())); // exponential draws → a uniform Dirichlet
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
};
let viterbiAgreements = 0, partitionError = 0, chains = 0;
for (let trial = 0; trial < 400; trial++) {
  const isHmm = trial < 200;
  const hmm: HiddenMarkovModel = { initial: randomDistribution(3), transition: [0, 1, 2].map(() => randomDistribution(3)), emission: [0, 1, 2].map(() => randomDistribution(4)) };
  const scores = isHmm
    ? hmmScores(hmm, chainRng.array(5, (r) => r.int(0, 4)))
    : { emissions: [0, 1, 2, 3, 4].map(() => chainRng.array(3, (r) => r.normal(0, 2))), transitions: [0, 1, 2].map(() => chainRng.array(3, (r) => r.normal(0, 2))), start: chainRng.array(3, (r) => r.normal()), end: chainRng.array(3, (r) => r.normal()) };
  const fast = viterbi(scores.emissions, scores.transitions, { start: scores.start, end: scores.end });
  const truth = bruteForceDecode(scores.emissions, scores.transitions, { start: scores.start, end: scores.end });
  if (fast.path.join() === truth.path.join() && Math.abs(fast.score - truth.score) <= 1e-9) viterbiAgreements++;
  partitionError = Math.max(partitionError, Math.abs(forwardLogPartition(scores.emissions, scores.transitions, { start: scores.start, end: scores.end }) - truth.logPartition));
  chains++;
}
console.log(`${chains} chains of length 5 with 3 tags, each checked against all ${3 ** 5} tag sequences`);
check("Viterbi's path and score equal brute-force enumeration on all 400 random chains (200 HMMs, 200 CRFs)", viterbiAgreements === chains, { viterbiAgreements, chains });
check("the forward algorithm's log partition equals the log-sum-exp over all 243 sequences (≤ 1e-9)", partitionError <= 1e-9, { partitionError });

// %% [markdown]
// ## 8. S4-C10 · An RNN text-classification model
//
// **Question.** Implement an RNN text-classification model (实现一个基于循环神经网络的文本分类模型).
//
// **Short answer.** Section 1's model: Embedding(vocabulary size, d, mask_zero) → LSTM (or GRU) returning its
// **last** state → Dense(1, sigmoid), trained with binary cross-entropy on padded id sequences, validated on a
// split of the training data and tested once on held-out data. The seed's answer cannot run: its `Embedding`
// gets a shape tuple where the vocabulary size belongs, and its LSTM returns a state per step before a
// sentence-level label. Exercise 1 takes it apart, with checks in tfjs.

// %% [markdown]
// ## Recap
//
// * Text → tokens → ids (vocabulary from training text only, 0 = padding, 1 = unknown) → padded rows → Embedding
//   with **mask_zero**; with the mask, 10 more padding ids changed no prediction (≤ 1e-6), without it they did.
// * Sentence classification: the LSTM's last state → Dense. On sentences whose label depends on word order it
//   beat bag-of-words logistic regression by ≥ 36 points on unseen phrasings (seeds 0–4); a bag of words gives identical
//   predictions to sentences with the same words. On 260 real sentences from unseen phrasing families neither
//   model generalises (≈ 0.5–0.6): a quarter of the test words are new. That is the small-data regime where
//   TF-IDF + a linear model is the honest first answer, and pretrained representations the real fix.
// * Sequence labelling (S3-Q14): a label per token (POS, NER with BIO tags, segmentation), *not* sentence
//   sentiment. BiLSTM + per-step softmax reached the targets; score entities with seqeval-style F1 (4/9 on the
//   fixture where token accuracy says 6/9). A bidirectional layer reads the future: right for tagging, wrong for
//   forecasting. Viterbi finds the best tag sequence of an HMM/CRF exactly (equal to enumerating all 243).
// * S4-C10: `Embedding`'s first argument is the vocabulary size, and a sentence label needs
//   `return_sequences=False` (or pooling).
//
// ## Exercises
//
// 1. **Spot the bug (S4-C10).** The seed's "RNN text-classification model":
//
//    ```python
//    def create_rnn_model(input_shape, num_units):
//        model = tf.keras.Sequential([
//            tf.keras.layers.Embedding(input_shape, 64),
//            tf.keras.layers.LSTM(num_units, return_sequences=True),
//            tf.keras.layers.Dense(64, activation='relu'),
//            tf.keras.layers.Dense(1, activation='sigmoid')
//        ])
//        model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
//        return model
//
//    model = create_rnn_model(input_shape=(timesteps, features), num_units=50)
//    model.fit(x_train, y_train, epochs=10, batch_size=32, validation_data=(x_test, y_test))
//    ```
//
//    What fails, and where? What shape does the model output, and what shape are the labels? Fix it.
// 2. **Spot the bug (S1-C26).** The seed's "LSTM text classifier":
//
//    ```python
//    model = Sequential()
//    model.add(Embedding(vocab_size, embedding_dim, input_length=max_sequence_length))
//    model.add(LSTM(units=128, dropout=0.2, recurrent_dropout=0.2))
//    model.add(Dense(num_classes, activation='softmax'))
//    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
//    model.fit(x_train, y_train, epochs=10, batch_size=64, validation_data=(x_val, y_val))
//    y_pred = model.predict(x_test)
//    ```
//
//    Which label format does `categorical_crossentropy` need, and which loss takes integer labels? Show that the
//    two losses agree on one-hot labels. What else is missing or costly (padding, `recurrent_dropout`)?
// 3. **A CRF-style constraint.** Decode the *forward* tagger's log-probabilities with Viterbi and a transition
//    matrix that forbids (−∞) every move into I-X except from B-X or I-X, and a start into any I- tag. Check that
//    every decoded sequence is valid BIO, and compare its entity F1 with the greedy one.
// 4. **Tokenisation trade-offs.** On the sentiment family split, measure the share of test tokens unknown to a
//    vocabulary built on the training part, for word tokens and for character tokens. What do subword tokenisers
//    (BPE, WordPiece) trade between the two?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** (1) `Embedding`'s first argument is `input_dim`, the **vocabulary size** (an integer); the seed passes
// the tuple `(timesteps, features)`, so the layer cannot build its [vocabulary, 64] table (in TypeScript the
// call does not even type-check without a cast). (2) `return_sequences=True` makes the LSTM emit its state at
// **every step**, so the Dense layers act per step and the model outputs [batch, timesteps, 1] against one
// label per sentence [batch]: Keras refuses the targets or, with some shapes, broadcasts them and trains on
// the wrong thing. A sentence label needs the last state (`return_sequences=False`) or a pooling over steps.
// (3) No mask, no data, no tokeniser; and the test set is passed as validation data, so any tuning on it
// leaks into the reported score. The fix is section 1's classifier.

// %% tags=["solution"]
let embeddingError = "";
const seedEmbedding = tf.layers.embedding({ inputDim: [30, 1] as unknown as number, outputDim: 64 });
const seedInput = tf.zeros([2, 30], "int32");
try {
  seedEmbedding.apply(seedInput);
} catch (error) {
  embeddingError = (error as Error).message;
}
console.log(`Embedding(input_shape=(30, 1), 64): ${embeddingError}`);
check("Embedding with a shape tuple as inputDim fails to build its table", embeddingError.includes("shape"));

const perStepModel = tf.sequential({ layers: [
  tf.layers.embedding({ inputDim: wordVocabulary.size, outputDim: 16, inputShape: [MAXLEN] }),
  tf.layers.lstm({ units: 8, returnSequences: true }),
  tf.layers.dense({ units: 8, activation: "relu" }),
  tf.layers.dense({ units: 1, activation: "sigmoid" }),
] });
perStepModel.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
let targetError = "";
const [seedX, seedY] = [idsTensor(testIds.slice(0, 8)), tf.tensor2d(negation.test.slice(0, 8).map((s) => [s.label]))];
try {
  await perStepModel.fit(seedX, seedY, { epochs: 1, verbose: 0 });
} catch (error) {
  targetError = (error as Error).message;
}
tf.dispose([seedInput, seedX, seedY]);
const perStepShape = perStepModel.outputs[0]!.shape;
perStepModel.dispose();
console.log(`return_sequences=True: output shape ${JSON.stringify(perStepShape)}; fit with one label per sentence: ${targetError}`);
check("return_sequences=True gives one output per step, [batch, 16, 1]", perStepShape.join() === `,${MAXLEN},1`);
check("…and fit refuses one label per sentence", targetError.includes("3 dimension"));
check("the fix (section 1): the last state gives [batch, 1], and it reached ≥ 0.82 on held-out templates", classifier.outputs[0]!.shape.join() === ",1" && lstmAccuracy >= 0.82);

// %% [markdown] tags=["solution"]
// **2.** `categorical_crossentropy` needs one-hot targets [batch, num_classes]; the seed never makes them, and with
// integer labels Keras fails on the shapes. Integer labels go with `sparse_categorical_crossentropy` (or, for two
// classes, one sigmoid unit with binary cross-entropy, as in section 1). The two losses agree on one-hot labels
// (checked below). Also: `vocab_size`, `max_sequence_length` and every dataset are undefined, there is no
// tokeniser, no padding and no `mask_zero=True`, so padding is read as words (section 2); `recurrent_dropout`
// disables the fused cuDNN kernel, which makes training several times slower on a GPU; `input_length` is
// deprecated in Keras 3; and `y_pred` is computed and never evaluated.

// %% tags=["solution"]
const lossLabels = [2, 0, 1, 2];
const lossProbabilities = [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.3, 0.3, 0.4]];
const categoricalLoss = tf.tidy(() => tf.metrics.categoricalCrossentropy(tf.oneHot(tf.tensor1d(lossLabels, "int32"), 3), tf.tensor2d(lossProbabilities)).arraySync() as number[]);
const sparseLoss = lossLabels.map((label, i) => -Math.log(lossProbabilities[i]![label]!)); // what sparse_categorical_crossentropy computes from integer labels
check("categorical cross-entropy on one-hot labels = −log p[label], the sparse loss on integer labels", categoricalLoss.every((v, i) => Math.abs(v - sparseLoss[i]!) < 1e-6), { categoricalLoss: categoricalLoss, sparseLoss: sparseLoss });

// %% [markdown] tags=["solution"]
// **3.** A CRF's transition scores do exactly this, learned rather than fixed: an impossible move gets −∞ (in a
// trained CRF, a very low score). Viterbi then returns the best *valid* sequence: no "O I-ORG" or "I-LOC I-ORG"
// any more. Here that repairs most of the forward tagger's errors (entity F1 below), because they were
// exactly such invalid sequences: "O I-ORG I-ORG" for "the daily planet" can only be mended into
// "B-ORG I-ORG I-ORG" once "O" may not precede "I-ORG". This is the "CRF" in BiLSTM-CRF: the per-token network
// scores each tag, and a transition matrix scores how tags follow each other, decoded jointly by Viterbi.

// %% tags=["solution"]
const allowedMove = (from: string | null, to: string) => !to.startsWith("I-") || (from !== null && from !== "O" && from.slice(2) === to.slice(2));
const bioTransitions = TAG_NAMES.map((from) => TAG_NAMES.map((to) => (allowedMove(from, to) ? 0 : -Infinity)));
const bioStart = TAG_NAMES.map((to) => (allowedMove(null, to) ? 0 : -Infinity));
const forwardProbabilities = tagProbabilities(taggers.forward, testTagIds);
const constrainedTags = tagging.test.map((s, i) =>
  viterbi(s.tokens.map((_, t) => forwardProbabilities[i]![t]!.map(Math.log)), bioTransitions, { start: bioStart }).path.map((k) => TAG_NAMES[k]!));
const isValidBio = (tags: string[]) => tags.every((tag, t) => allowedMove(t === 0 ? null : tags[t - 1]!, tag));
const constrainedF1 = entityScores(trueTags, constrainedTags).f1;
console.log(`forward tagger, entity F1: greedy ${taggerRows[1]!["entity F1"].toFixed(3)}, Viterbi with BIO constraints ${constrainedF1.toFixed(3)}; invalid greedy sequences ${forwardTags.filter((tags) => !isValidBio(tags)).length} of ${forwardTags.length}`);
check("every constrained sequence is valid BIO", constrainedTags.every(isValidBio));

// %% [markdown] tags=["solution"]
// **4.** Words: a quarter of the test tokens are unknown (`<unk>`), and the model learns nothing about them.
// Characters: essentially none are unknown, but sequences are ~5× longer and the model must learn spelling
// before meaning. Subwords (BPE, WordPiece, unigram) keep frequent words whole and split rare ones into known
// pieces ("un ##believ ##able"): no unknowns, short sequences, and shared pieces between related words, which is
// why every modern language model uses them.

// %% tags=["solution"]
const unknownShare = (tokenize: (text: string) => string[]) => {
  const known = new Set(trainTexts.flatMap(tokenize));
  const tokens = testTexts.flatMap(tokenize);
  return tokens.filter((token) => !known.has(token)).length / tokens.length;
};
const [wordUnknown, charUnknown] = [unknownShare((t) => tokenizeWords(t)), unknownShare((t) => tokenizeChars(t, { lowercase: true }))];
console.log(`unknown test tokens: words ${(100 * wordUnknown).toFixed(1)} %, characters ${(100 * charUnknown).toFixed(2)} %`);
check("characters leave (almost) nothing unknown: < 1 % vs words ≥ 20 %", charUnknown < 0.01 && wordUnknown >= 0.2, { wordUnknown, charUnknown });
