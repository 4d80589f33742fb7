// %% [markdown]
// # 23 · Fine-tuning pretrained encoders: classification, sentiment and question answering
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S3-Q10 | How do you use BERT for text classification? | 如何在文本分类任务中使用BERT？ |
// | S3-Q15 | How do you use BERT for text classification? | 如何使用BERT进行文本分类？ |
// | S3-Q30 | How do you use BERT for text classification? | 如何在文本分类任务中使用BERT？ |
// | S1-C29 | Implement a BERT text classifier | 实现一个基于BERT的文本分类模型 |
// | S2-Q10 | How do you use BERT for sentiment analysis? | 讲解如何使用BERT进行情感分析 |
// | S2-Q9 | How do you do transfer learning with a pretrained model? | 讲解如何使用预训练模型进行迁移学习 |
// | S2-Q14 | How do you use BERT for question answering? | 讲解如何使用BERT进行问答 |
// | S2-Q15 | How do you use RoBERTa for text classification? | 讲解如何使用RoBERTa模型进行文本分类 |
// | S3-Q23 | How do you use BERT in NLP? | 如何在自然语言处理中使用BERT？ |
//
// **The short answer an interviewer wants.** BERT is an **encoder-only** Transformer pretrained without labels
// (masked-language modelling, notebook 22). To use it for a task you keep the pretrained encoder, add a small
// **task head**, and **fine-tune** on labelled data: for classification, the hidden vector of the `[CLS]` token
// (or the masked mean of the token vectors) → one dense layer → logits [batch, classes] → softmax cross-entropy;
// prediction is the **argmax** of the softmax. For extractive question answering, question and passage go in as
// one pair `[CLS] question [SEP] passage [SEP]` (segment ids 0/1), a dense layer gives every token a start and an
// end logit, and the answer is the best span with start ≤ end inside the passage, mapped back to characters with
// the tokenizer's offsets. Fine-tune the whole network with a small learning rate (2e-5 – 5e-5 for BERT-base,
// 3–4 epochs), or freeze the encoder and train only the head (cheaper, usually worse), or train a few added
// parameters (LoRA, adapters). Pretraining pays off most when labels are few; the gap shrinks as labels grow.
// RoBERTa is the same architecture with a better pretraining recipe (no next-sentence prediction, dynamic masking,
// 10× more data, bigger batches, byte-level BPE), used exactly like BERT.
//
// **What the seeds get wrong** (each is shown below): "load BERT's encoder *and decoder*" (BERT has no decoder),
// "pre-train BERT yourself" as step 1, a head that is never given to the optimizer, `pred > 0.5` on two logits,
// question and passage encoded separately with token indices used as word indices, and a `Flatten` head.
//
// **The miniature.** No hub weights can be downloaded here. BERT-base has 110 M parameters pretrained on 3.3 B
// words; ours (`data/pretrained/tiny-bert-mlm/`, made by notebook 22's script) has 2 layers, d = 64 and a
// WordPiece vocabulary learned from Shakespeare. It cannot show BERT's accuracy or its linguistic knowledge; it
// shows the mechanisms, and every claim is a check against an independent truth (brute force, a second
// implementation, bytes on disk, a random-initialisation baseline over several seeds with a calibrated margin).

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkClose } from "./lib/check";
import { loadSentiment } from "./lib/text/sentiment-data";
import { loadTinyShakespeare, readDataText } from "./lib/data";
import { splitCorpus } from "./lib/attention/mlm-pretraining";
import { groupTrainTestSplit, take } from "./lib/split";
import { bertEncoder, bertInputs, bertInputTensors, loadPretrainedBert, type BertInput } from "./lib/attention/bert";
import { classifyLogits, encoderClassificationHead } from "./lib/nn/classification-head";
import { MaskedMeanPooling } from "./lib/sequence/pooling";
import { auditOptimizerVariables } from "./lib/nn/parameter-audit";
import { float32Bytes, trainableParameterCount } from "./lib/nn/weights";
import { fitMinibatchLoss } from "./lib/nn/minibatch";
import { addAttentionLora } from "./lib/attention/attention-lora";
import { MultiHeadAttention } from "./lib/attention/multi-head";
import { LogisticRegression } from "./lib/ml/linear";
import { accuracyScore, exactMatchScore } from "./lib/ml/metrics";
import { mean } from "./lib/ml/stats";
import { bestSpan, bruteForceBestSpan, charSpanToTokenSpan, tokenSpanToCharSpan } from "./lib/text/extractive-qa";
import { makeTemplatedQa, type QaExample } from "./lib/text/qa-data";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %% [markdown]
// ## 1. S3-Q10 · Text classification with BERT: the recipe
//
// **Question.** Briefly introduce BERT and explain how to use it for text classification. (如何在文本分类任务中使用BERT？)
//
// **Short answer.** Tokenise each text with the model's **own** tokenizer into `[CLS] text [SEP]` (ids, segment
// ids, attention mask; pad/truncate to a length), load the **pretrained** encoder, put a classification head on the
// `[CLS]` vector (or the masked mean of all token vectors), and fine-tune encoder and head together with
// cross-entropy, a small learning rate (2e-5 – 5e-5 with warm-up for BERT-base) for 2–4 epochs; choose the
// epoch on a validation split, report on the test split. **What the seed gets wrong:** its step 1 is "pre-train BERT
// on a large corpus" (you download a pretrained checkpoint; pretraining BERT-base took 4 days on 16 TPUs), it lists
// "fine-tune" and "train" as two separate steps (they are the same step), and it preprocesses the data *after*
// fine-tuning.
//
// The pretrained encoder is loaded like `from_pretrained`: the files are checked against the sizes and SHA-256
// hashes in their recipe, which also records how they were made.

// %%
const pretrained = await loadPretrainedBert("tiny-bert-mlm");
const { tokenizer, config } = pretrained;
const training = pretrained.recipe.training as { steps: number; batchSize: number };
const results = pretrained.recipe.results as { heldOut: { accuracy: number }; unigramBaseline: { accuracy: number } };
showTable([
  { what: "architecture", value: `${config.layers} encoder blocks, d = ${config.dModel}, ${config.numHeads} heads, feed-forward ${config.ffDim}, ≤ ${config.maxLength} tokens` },
  { what: "vocabulary", value: `${tokenizer.size} WordPiece entries` },
  { what: "parameters", value: pretrained.encoder.countParams().toLocaleString("en") },
  { what: "pretraining", value: `masked-language modelling, ${training.steps} steps of ${training.batchSize} sequences (${pretrained.recipe.createdBy})` },
  { what: "held-out masked tokens", value: `accuracy ${results.heldOut.accuracy.toFixed(3)} (unigram baseline ${results.unigramBaseline.accuracy.toFixed(3)})` },
], { caption: "The pretrained encoder (recipe.json)", maxCellChars: 200 });

// %% [markdown]
// A classifier is the encoder plus a head: `[CLS]`'s hidden vector → dense → 2 logits (`lib/nn/classification-head.ts`).
// The model's inputs are the encoder's (token ids and segment ids; the padding mask is computed from the ids
// inside). Two properties any correct implementation has, checked here: the head adds exactly (d + 1)·C
// parameters, and padding a sentence further does not change its logits (the attention mask keeps `[PAD]`
// invisible; a `Flatten` head, the S1-C29 seed, fails both, section 8).

// %%
const CLASSES = 2;
const MAX_TOKENS = 40; // [CLS] + the longest sentence of the data set (35 tokens) + [SEP], rounded up

/** Encoder → pooled vector → dense → logits [batch, CLASSES]; the head's layers are returned to be trained or audited. */
function textClassifier(encoder: tf.LayersModel, seed: number) {
  const { logits, layers } = encoderClassificationHead(encoder.outputs[0]!, null, { pooling: "cls", classes: CLASSES, seed: seed });
  return { model: tf.model({ inputs: encoder.inputs, outputs: logits }), head: layers };
}
const demo = textClassifier((await loadPretrainedBert("tiny-bert-mlm")).encoder, 0);
const demoText = "What a lovely, moving film.";
const shortInput = bertInputs(tokenizer, demoText, null, tokenizer.encode(demoText).ids.length + 2); // no padding at all
const paddedInput = bertInputs(tokenizer, demoText, null, MAX_TOKENS);
const logitsOf = (model: tf.LayersModel, inputs: readonly BertInput[]) => tf.tidy(() => (model.predict(bertInputTensors(inputs)) as tf.Tensor).arraySync() as number[][]);
const shortLogits = logitsOf(demo.model, [shortInput])[0]!;
const paddedLogits = logitsOf(demo.model, [paddedInput])[0]!;
console.log(`${shortInput.tokens.join(" ")}\n→ logits ${shortLogits.map((v) => v.toFixed(4)).join(", ")} (untrained head)`);
check(`the head adds (d + 1)·C = (${config.dModel} + 1)·${CLASSES} parameters to the encoder's ${pretrained.encoder.countParams()}`,
  demo.model.countParams() - pretrained.encoder.countParams() === (config.dModel + 1) * CLASSES, { total: demo.model.countParams() });
checkClose(`padding "${demoText}" from ${shortInput.ids.length} to ${MAX_TOKENS} tokens leaves the logits unchanged (attention mask)`, Math.max(...shortLogits.map((v, k) => Math.abs(v - paddedLogits[k]!))), 0, { abs: 1e-5 });

// %% [markdown]
// ## 2. S2-Q10 · Sentiment analysis with BERT: softmax, then argmax
//
// **Question.** Explain how to use BERT for sentiment analysis, with a simplified example. (讲解如何使用BERT进行情感分析)
//
// **Short answer.** Sentiment analysis is text classification with labels such as negative / positive: encode
// the labelled sentences in a batch (`tokenizer(texts, padding=True, truncation=True)`), fine-tune
// `BertForSequenceClassification` (encoder + a dense head on `[CLS]`, C logits) with cross-entropy, and predict
// with `softmax(logits).argmax(-1)`. The probability of "positive" is the softmax's second entry; the decision is
// the class with the larger logit. **What the seed gets wrong:** besides calling `.fit` / `.predict` on a PyTorch
// model (they do not exist there) and training on two sentences, it decodes with
// `'Positive' if pred > 0.5 else 'Negative'` where `pred` is a row of **two logits**: in NumPy that comparison is
// a 2-element array (*ValueError: the truth value of an array … is ambiguous*), and any reading of it that
// thresholds one raw logit at 0.5 is not the model's decision. Logits are unnormalised scores: only their
// difference matters, and 0.5 means nothing on their scale.
//
// A constructed case: two logit rows where "is the positive logit above 0.5?" and the argmax disagree.

// %%
const constructedLogits = [[2.0, 1.0], [-3.0, -1.0]];
const { probabilities: constructedProbabilities, classes: constructedClasses } = classifyLogits(constructedLogits);
const thresholdReading = constructedLogits.map((row) => (row[1]! > 0.5 ? 1 : 0)); // the seed's rule on the positive logit
showTable(constructedLogits.map((row, i) => ({
  logits: `[${row.join(", ")}]`, "softmax": `[${constructedProbabilities[i]!.map((p) => p.toFixed(3)).join(", ")}]`,
  "argmax (the model's class)": constructedClasses[i]!, "positive logit > 0.5 (seed)": thresholdReading[i]!,
})));
check("softmax + argmax and the seed's threshold disagree on both constructed rows", constructedClasses.every((c, i) => c !== thresholdReading[i]));
checkClose("softmax([2, 1])₀ = 1/(1 + e⁻¹), the logistic of the logit difference", constructedProbabilities[0]![0]!, 1 / (1 + Math.exp(-1)), { rel: 1e-12 });
check("argmax of the softmax = argmax of the logits (softmax is monotone)", constructedClasses.every((c, i) => c === (constructedLogits[i]![1]! > constructedLogits[i]![0]! ? 1 : 0)));

// %% [markdown]
// **The data.** `data/sentiment/`: 351 hand-written sentences about films, food, products and trips, labelled
// negative / positive, each in a *phrasing family* ("I would (not) recommend …"). The test split holds whole
// families the training split never saw (`groupTrainTestSplit`), so a score measures more than memorised phrasings.
// Each task's inputs are padded to its own longest text (at most `MAX_TOKENS`): padding is invisible to the model
// (section 1's check), and shorter rows make every step cheaper.

// %%
/** A labelled text-classification set, encoded once: inputs, tensors, and which rows train and test. */
interface TextTask { name: string; inputs: BertInput[]; ids: tf.Tensor2D; segments: tf.Tensor2D; labels: number[]; labelTensor: tf.Tensor1D; train: number[]; test: number[] }
function makeTask(name: string, texts: readonly string[], labels: readonly number[], train: readonly number[], test: readonly number[], taskTokenizer = tokenizer): TextTask {
  const longest = Math.max(...texts.map((text) => taskTokenizer.encode(text).ids.length + 2)); // + [CLS], [SEP]
  const inputs = texts.map((text) => bertInputs(taskTokenizer, text, null, Math.min(longest, MAX_TOKENS)));
  const [ids, segments] = bertInputTensors(inputs);
  return { name: name, inputs: inputs, ids: ids, segments: segments, labels: [...labels], labelTensor: tf.tensor1d([...labels], "int32"), train: [...train], test: [...test] };
}
const sentimentData = loadSentiment();
const sentimentSplit = groupTrainTestSplit(sentimentData.groups, { testFraction: 0.35, seed: 0 });
const sentiment = makeTask("sentiment", sentimentData.texts, sentimentData.labels, sentimentSplit.train, sentimentSplit.test);
console.log(`${sentiment.train.length} training sentences, ${sentiment.test.length} test sentences in ${sentimentSplit.testGroups.length} unseen phrasing families; longest: ${Math.max(...sentiment.inputs.map((x) => x.mask.reduce((a, b) => a + b, 0)))} tokens`);
check(`every sentence fits ${MAX_TOKENS} tokens without truncation`, sentiment.inputs.every((x) => x.truncated[0] === 0));

// %% [markdown]
// **Fine-tuning.** The loop below is all of it: a batch of sentences → logits → softmax cross-entropy → Adam
// on the variables we name (here every weight of encoder and head). `fitMinibatchLoss` (lib/nn/minibatch.ts)
// seeds the batch order. The pretrained encoder fine-tuned on the whole training split:

// %%
const FINE_TUNE = { epochs: 6, batchSize: 16, learningRate: 5e-4 };

/** Trains `variables` of `model` on the task's examples `rows` with softmax cross-entropy (seeded); the loss per epoch. */
function fineTune(model: tf.LayersModel, variables: tf.Variable[], task: TextTask, rows: readonly number[], seed: number, epochs = FINE_TUNE.epochs, learningRate = FINE_TUNE.learningRate): number[] {
  return fitMinibatchLoss((batch) => {
    const index = tf.tensor1d(batch.map((i) => rows[i]!), "int32");
    const logits = model.apply([task.ids.gather(index), task.segments.gather(index)], { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(tf.oneHot(task.labelTensor.gather(index), CLASSES), logits) as tf.Scalar;
  }, { examples: rows.length, epochs: epochs, batchSize: FINE_TUNE.batchSize, learningRate: learningRate, seed: seed, variables: variables });
}
const testAccuracy = (model: tf.LayersModel, task: TextTask) => accuracyScore(take(task.labels, task.test), classifyLogits(logitsOf(model, take(task.inputs, task.test))).classes);
const allVariables = (model: tf.LayersModel) => model.trainableWeights.map((w) => w.read() as tf.Variable);

const sentimentRun = textClassifier((await loadPretrainedBert("tiny-bert-mlm")).encoder, 0);
const sentimentLosses = fineTune(sentimentRun.model, allVariables(sentimentRun.model), sentiment, sentiment.train, 0, 2);
const sentimentAccuracy = testAccuracy(sentimentRun.model, sentiment);
const sentimentExamples = take(sentimentData.texts, sentiment.test.slice(0, 4));
const exampleProbabilities = classifyLogits(logitsOf(sentimentRun.model, take(sentiment.inputs, sentiment.test.slice(0, 4)))).probabilities;
showTable(sentimentExamples.map((text, i) => ({ sentence: text, "P(positive)": exampleProbabilities[i]![1]!, predicted: exampleProbabilities[i]![1]! > exampleProbabilities[i]![0]! ? "positive" : "negative", truth: sentimentData.labels[sentiment.test[i]!] === 1 ? "positive" : "negative" })), { digits: 3 });
sentimentRun.model.dispose();
console.log(`training loss per epoch ${sentimentLosses.map((l) => l.toFixed(3)).join(", ")}; test accuracy ${sentimentAccuracy.toFixed(3)} on ${sentiment.test.length} sentences of unseen phrasing families`);

// %% [markdown]
// The training loss falls slowly and the test accuracy stays at chance (0.5): nothing the encoder brings helps it
// tell a positive review from a negative one. That is not a bug in the recipe; it is the scale gap. BERT-base has seen 3.3 B words of modern
// English, so "recommend", "worst" and "soggy" arrive with meaning; our encoder has seen 1 MB of Shakespeare and
// knows none of them. Section 3 measures this, and shows the same recipe on a task where the pretraining *does* help.

// %% [markdown]
// ## 3. S2-Q9 · Transfer learning with a pretrained model: when does it pay?
//
// **Question.** Explain how to use a pretrained model for transfer learning, with a simplified example. (讲解如何使用预训练模型进行迁移学习)
//
// **Short answer.** Load a model pretrained on a large source task (for text: a language model trained on
// unlabelled text), replace its output layer by a head for the target task, then either train the head on the
// frozen model's features (*feature extraction*) or fine-tune everything with a small learning rate. It helps most
// when the target task has **few labels** and lies in the **domain the model was pretrained on**; from scratch
// needs many more labels for the same accuracy; and it does nothing when source and target are unrelated
// (notebook 15 shows that failure for images). **What the seed gets wrong:** it mixes PyTorch and Keras
// (`BertForSequenceClassification` has no `.fit` / `.predict`; `tf` is not imported), uses `train_labels` before
// defining it, and `tokenizer.encode(list_of_texts)` does not batch: it treats the list as one pre-split sequence,
// so N texts become one input with N labels. Batch with `tokenizer(texts, padding=True, truncation=True, return_tensors="pt")`.
//
// **A task in the pretraining domain: is this line in Shakespeare's word order?** (GLUE's CoLA asks the same of
// English: is the sentence acceptable?) Lines of 6–12 words from the **held-out** tenth of the plays (never seen in
// pretraining), half as written, half with their words shuffled; a bag of words cannot tell the two apart, a
// masked-language model has learned which orders are likely.

// %%
const corpusText = loadTinyShakespeare();
const heldOutText = splitCorpus(corpusText, 0.1).heldOut; // the pretraining recipe's held-out 10 %
const orderRng = new Random(0);
const heldOutLines = orderRng.shuffle([...new Set(heldOutText.split("\n").map((line) => line.trim()))].filter((line) => /[a-z]/.test(line) && !line.endsWith(":") && line.split(" ").length >= 6 && line.split(" ").length <= 12)).slice(0, 600);
const orderTexts = heldOutLines.map((line, i) => {
  if (i % 2 === 0) return line;
  let shuffled = line;
  while (shuffled === line) shuffled = orderRng.shuffle(line.split(" ")).join(" ");
  return shuffled;
});
const wordOrder = makeTask("word order", orderTexts, heldOutLines.map((_, i) => (i % 2 === 0 ? 1 : 0)), Array.from({ length: 400 }, (_, i) => i), Array.from({ length: 200 }, (_, i) => 400 + i));
showTable(orderTexts.slice(0, 4).map((text, i) => ({ line: text, label: wordOrder.labels[i] === 1 ? "as written" : "shuffled" })));
check(`${heldOutLines.length} distinct held-out lines, none truncated at ${MAX_TOKENS} tokens`, new Set(heldOutLines).size === heldOutLines.length && wordOrder.inputs.every((x) => x.truncated[0] === 0));

// %% [markdown]
// **The learning curves.** Fine-tuning a model per point costs seconds each, so the curves use the cheap form of
// transfer, *feature extraction*: each encoder (pretrained, or randomly initialised with seed s) runs once over
// all texts, the masked mean of its token vectors is a text's feature vector, and a logistic-regression head is
// fitted on N labelled examples (5 draws s = 0…4 of the labelled set, each with its own random encoder).

// %%
/** n training rows of the task, drawn with `seed`. */
const labelledSubset = (task: TextTask, n: number, seed: number) => new Random(seed).shuffle([...task.train]).slice(0, n);
const randomEncoder = (seed: number, encoderConfig = config) => bertEncoder({ ...encoderConfig, seed: 1000 + seed });
/** Every text's masked-mean hidden vector under `encoder` [n][d] (a frozen feature extractor). */
function sentenceFeatures(encoder: tf.LayersModel, task: TextTask): number[][] {
  return tf.tidy(() => {
    const hidden = encoder.predict([task.ids, task.segments]) as tf.Tensor;
    return (new MaskedMeanPooling().apply([hidden, task.ids.notEqual(0).toFloat()]) as tf.Tensor).arraySync() as number[][];
  });
}
const CURVE_SEEDS = [0, 1, 2, 3, 4];
function learningCurve(task: TextTask, sizes: number[], source: { encoder: tf.LayersModel; config: typeof config } = pretrained) {
  const pretrainedFeatures = sentenceFeatures(source.encoder, task);
  const randomFeatures = CURVE_SEEDS.map((seed) => sentenceFeatures(randomEncoder(seed, source.config), task));
  const probe = (features: number[][], n: number, seed: number) => {
    const rows = labelledSubset(task, n, seed);
    return new LogisticRegression({ C: 1, maxIter: 300 }).fit(take(features, rows), take(task.labels, rows)).score(take(features, task.test), take(task.labels, task.test));
  };
  return sizes.map((n) => {
    const pretrainedScores = CURVE_SEEDS.map((seed) => probe(pretrainedFeatures, n, seed));
    const randomScores = CURVE_SEEDS.map((seed) => probe(randomFeatures[seed]!, n, seed));
    return { n: n, pretrained: mean(pretrainedScores), random: mean(randomScores), gaps: pretrainedScores.map((p, k) => p - randomScores[k]!) };
  });
}
const orderCurve = learningCurve(wordOrder, [25, 50, 100, 200, 400]);
const sentimentCurve = learningCurve(sentiment, [25, 50, 100, sentiment.train.length]);
showTable([...orderCurve.map((r) => ({ task: "word order", ...r })), ...sentimentCurve.map((r) => ({ task: "sentiment", ...r }))].map((r) => ({
  task: r.task, "labelled examples": r.n, "pretrained": r.pretrained, "random init": r.random, "gap (mean)": r.pretrained - r.random, "gap per draw": r.gaps.map((g) => g.toFixed(2)).join(" "),
})), { caption: "Test accuracy of a logistic head on frozen features (mean of 5 draws; chance = 0.5)", digits: 3 });
await showFigure(lineFigure([
  { name: "word order, pretrained", x: orderCurve.map((r) => r.n), y: orderCurve.map((r) => r.pretrained) },
  { name: "word order, random init", x: orderCurve.map((r) => r.n), y: orderCurve.map((r) => r.random) },
  { name: "sentiment, pretrained", x: sentimentCurve.map((r) => r.n), y: sentimentCurve.map((r) => r.pretrained) },
  { name: "sentiment, random init", x: sentimentCurve.map((r) => r.n), y: sentimentCurve.map((r) => r.random) },
], { title: "Learning curves: pretrained vs randomly initialised encoder (frozen features, logistic head)", xTitle: "labelled training examples", yTitle: "test accuracy" }));
const orderAt100 = orderCurve.find((r) => r.n === 100)!;
const sentimentAt100 = sentimentCurve.find((r) => r.n === 100)!;
check("word order, N = 100: the pretrained encoder beats random initialisation in every draw and by ≥ 0.05 on average (calibrated)", orderAt100.gaps.every((g) => g > 0) && orderAt100.pretrained - orderAt100.random >= 0.05, { gaps: orderAt100.gaps.map((g) => g.toFixed(3)).join(" ") });
check("sentiment, N = 100: no transfer: the mean gap is within ±0.1 and neither encoder reaches 0.65", Math.abs(sentimentAt100.pretrained - sentimentAt100.random) < 0.1 && Math.max(sentimentAt100.pretrained, sentimentAt100.random) < 0.65, { pretrained: sentimentAt100.pretrained, random: sentimentAt100.random });

// %% [markdown]
// **What the curves show** (the table above is the measurement; the check's margins were set from it and from a
// second, independently pretrained encoder of the same size, 1,200 steps, not shipped, whose five N = 100 gaps were
// 0.07–0.16). On **word order** the pretrained
// features beat random ones at every N, in every draw. The gap does **not** shrink as N grows to 400 — it widens: a
// logistic head on *frozen random* features cannot learn word order at any N (the mean of randomly mixed token
// vectors hardly depends on the order), while the pretrained features carry it, and more labels use them better.
// The textbook picture, a gap that closes as labels grow, belongs to *fine-tuning*, where a randomly initialised
// encoder can learn the task itself from enough labels; within this notebook's time budget we measure fine-tuning at
// one point (N = 100, below; each further point costs two more fine-tuning runs). On **sentiment** neither encoder helps at
// N = 100 (both near chance): Shakespeare and modern reviews share little vocabulary, and the encoder is a thousand
// times smaller than BERT-base. A pretrained model transfers what its source taught it, and no more.
//
// **Full fine-tuning** (every weight trained, 6 epochs) on the same 100 word-order examples, pretrained against
// random initialisation:

// %%
const N_LABELS = 100;
const orderRows = labelledSubset(wordOrder, N_LABELS, 0);
const fineTuneRuns: { init: string; accuracy: number; losses: number[] }[] = [];
for (const init of ["pretrained", "random init"]) {
  const classifier = textClassifier(init === "pretrained" ? (await loadPretrainedBert("tiny-bert-mlm")).encoder : randomEncoder(0), 0);
  const losses = fineTune(classifier.model, allVariables(classifier.model), wordOrder, orderRows, 0);
  fineTuneRuns.push({ init: init, accuracy: testAccuracy(classifier.model, wordOrder), losses: losses });
  classifier.model.dispose();
}
showTable(fineTuneRuns.map((r) => ({ encoder: r.init, "final training loss": r.losses[r.losses.length - 1]!, "test accuracy": r.accuracy })),
  { caption: `Full fine-tuning on ${N_LABELS} word-order examples (${FINE_TUNE.epochs} epochs, Adam ${FINE_TUNE.learningRate}, seed 0)`, digits: 3 });

// %% [markdown]
// ## 4. S3-Q15 · Freezing, and what the optimizer actually updates
//
// **Question.** Briefly explain how to use BERT for text classification (PyTorch, `bert-base-chinese`). (如何使用BERT进行文本分类？)
//
// **Short answer.** As in section 1, with one rule the seed breaks: every parameter that must learn has to be in
// the optimizer's parameter list. In PyTorch put the head inside an `nn.Module` with the encoder (or use
// `BertForSequenceClassification`) and pass `model.parameters()`; to freeze the encoder set
// `requires_grad = False` on its parameters (tfjs / Keras: `layer.trainable = false` before building the
// variable list) and give the optimizer only the head's. **What the seed gets wrong:** it says BERT is loaded
// "including encoder and decoder" (BERT is encoder-only); it creates `nn.Linear(768, 2)` inline on a throw-away
// forward pass, so the head is in no optimizer and stays random; `BertModel` outputs have no `.logits`
// (*AttributeError*); the head is applied to every token ([batch, T, 2]) instead of the pooled vector; no
// attention mask is passed, so padding is attended; and test accuracy is printed per batch, never aggregated.
//
// `auditOptimizerVariables` (lib/nn/parameter-audit.ts) compares an optimizer's variable list with the layers
// that must train and those that must not: the seed's list (the encoder's parameters; a head built outside the
// model) against the correct head-only list (encoder layers frozen, the head in the model).

// %%
const seedEncoder = (await loadPretrainedBert("tiny-bert-mlm")).encoder;
const strayHead = tf.layers.dense({ units: CLASSES, name: "stray_head" }); // nn.Linear(768, 2) inside the loop
tf.tidy(() => strayHead.apply(seedEncoder.predict(bertInputTensors([shortInput])) as tf.Tensor) as tf.Tensor); // builds its weights
const seedAudit = auditOptimizerVariables(allVariables(seedEncoder), { train: [strayHead] });
seedEncoder.dispose();

const frozen = textClassifier(await loadPretrainedBert("tiny-bert-mlm").then((p) => p.encoder), 0);
const encoderLayers = frozen.model.layers.filter((layer) => !frozen.head.includes(layer));
encoderLayers.forEach((layer) => (layer.trainable = false)); // freeze first, then collect the variables
const headOnlyVariables = allVariables(frozen.model);
const frozenAudit = auditOptimizerVariables(headOnlyVariables, { train: frozen.head, freeze: encoderLayers });
showTable([
  { "optimizer's list": "seed: model.parameters(), head outside the model", "head weights missing": seedAudit.missing.join(", ") || "none", "frozen weights in the list": "—", "parameters updated": seedAudit.updatedParameters },
  { "optimizer's list": "encoder frozen, head in the model", "head weights missing": frozenAudit.missing.join(", ") || "none", "frozen weights in the list": frozenAudit.unfrozen.join(", ") || "none", "parameters updated": frozenAudit.updatedParameters },
]);
check("the seed's optimizer never sees its head (both of its weights are missing)", seedAudit.missing.length === 2, { missing: seedAudit.missing });
check(`head-only: every head weight is in the list, no encoder weight is, and it updates (d + 1)·C = ${(config.dModel + 1) * CLASSES} numbers`,
  frozenAudit.missing.length === 0 && frozenAudit.unfrozen.length === 0 && frozenAudit.updatedParameters === (config.dModel + 1) * CLASSES && trainableParameterCount(frozen.model) === frozenAudit.updatedParameters);

// %% [markdown]
// Train the head alone on the same 100 word-order examples, then compare every encoder weight with its bytes before
// training: frozen must mean *bit-identical*, not "close" (a weight nudged by 1e-7 every step is not frozen).

// %%
const encoderBytesBefore = encoderLayers.flatMap((layer) => layer.getWeights().map((w) => float32Bytes(w)));
const headBytesBefore = frozen.head.flatMap((layer) => layer.getWeights().map((w) => float32Bytes(w)));
const headOnlyLosses = fineTune(frozen.model, headOnlyVariables, wordOrder, orderRows, 0);
const encoderBytesAfter = encoderLayers.flatMap((layer) => layer.getWeights().map((w) => float32Bytes(w)));
const headOnlyAccuracy = testAccuracy(frozen.model, wordOrder);
check(`all ${encoderBytesBefore.length} encoder weights are bit-identical after ${FINE_TUNE.epochs} epochs of head training`,
  encoderBytesAfter.length === encoderBytesBefore.length && encoderBytesAfter.every((bytes, i) => bytes.equals(encoderBytesBefore[i]!)));
check("…while the head's weights changed", frozen.head.flatMap((layer) => layer.getWeights().map((w) => float32Bytes(w))).some((bytes, i) => !bytes.equals(headBytesBefore[i]!)));
const fullFineTuned = fineTuneRuns.find((r) => r.init === "pretrained")!;
showTable([
  { method: "head only (encoder frozen)", "trainable parameters": trainableParameterCount(frozen.model), "final training loss": headOnlyLosses[headOnlyLosses.length - 1]!, "test accuracy": headOnlyAccuracy },
  { method: "full fine-tuning", "trainable parameters": frozen.model.countParams(), "final training loss": fullFineTuned.losses[fullFineTuned.losses.length - 1]!, "test accuracy": fullFineTuned.accuracy },
], { caption: `Pretrained encoder, ${N_LABELS} word-order examples, seed 0, same optimizer and epochs`, digits: 3 });

// %% [markdown]
// Training only the head on `[CLS]` is far weaker here than fine-tuning, and weaker than section 3's head on the
// *mean* of the token vectors: nothing in our pretraining (masked tokens only, no next-sentence task) ever asked
// the `[CLS]` vector to summarise the input, so frozen, it carries little. Fine-tuning trains it for the task;
// for frozen features, pool the tokens. BERT-base's `[CLS]` is also a weak frozen sentence vector (Reimers &
// Gurevych 2019), for the same reason.

// %% [markdown]
// ### Follow-up: LoRA, a few trainable parameters inside the encoder
//
// **Question an interviewer asks next.** Full fine-tuning updates every weight; the head alone is cheap but weak.
// What do adapters / LoRA do, how many parameters do they train, and what do they cost in accuracy?
//
// **Short answer.** LoRA (Hu et al. 2021) freezes the pretrained weights and adds to chosen weight matrices a
// low-rank correction: W → W + (α/r)·A·B with A [d_in, r] random and B [r, d_out] **zero**, so the model starts
// exactly as pretrained and training moves only A and B: r·(d_in + d_out) numbers per matrix instead of d_in·d_out
// (BERT-base's 768 × 768 attention matrices at r = 8: 12,288 instead of 589,824). After training, ΔW = (α/r)·A·B is
// added into W once, so serving costs nothing extra; one frozen model can serve many tasks, each a few adapter
// files. Adapters (Houlsby et al. 2019) instead insert small bottleneck layers after each sub-layer, which stay in
// the forward pass. Both usually come close to full fine-tuning for a small share of the trainable parameters.
//
// Here: rank r = 4, α = 8 on all four attention projections (query, key, value, output) of both blocks
// (`addAttentionLora`, `lib/attention/attention-lora.ts`; the adapters live in `MultiHeadAttention`), the new head
// trained with them, everything else frozen; the same 100 word-order examples, the same 6 epochs of batches of 16
// (42 Adam steps) as full fine-tuning and the head alone above, at LoRA's customary larger learning rate (5·10⁻³,
// 10× full fine-tuning's: the adapters start from zero and are few). The checks: at the start the logits are the
// unadapted model's **bit for bit**; the trainable count is the formula; after training every frozen weight is
// bit-identical; folding ΔW into W gives a plain model with the same logits.

// %%
const LORA = { rank: 4, alpha: 8, projections: ["query", "key", "value", "output"] as const, learningRate: 5e-3 };
const loraRun = textClassifier((await loadPretrainedBert("tiny-bert-mlm")).encoder, 0);
const orderTestInputs = take(wordOrder.inputs, wordOrder.test);
const logitBits = (model: tf.LayersModel) => tf.tidy(() => Array.from(new Uint32Array(Float32Array.from((model.predict(bertInputTensors(orderTestInputs)) as tf.Tensor).dataSync()).buffer)));
const bitsBeforeLora = logitBits(loraRun.model);
const lora = addAttentionLora(loraRun.model, { ...LORA, projections: [...LORA.projections], seed: 0, train: loraRun.head });
check(`with B = 0 the adapted model's logits on the ${wordOrder.test.length} test lines are bit-identical to the pretrained model's`, logitBits(loraRun.model).every((b, i) => b === bitsBeforeLora[i]));
const adaptedMatrices = lora.layers.length * LORA.projections.length;
const loraFormula = adaptedMatrices * LORA.rank * (config.dModel + config.dModel) + (config.dModel + 1) * CLASSES;
check(`trainable parameters = ${adaptedMatrices} matrices · r·(d_in + d_out) + head = ${adaptedMatrices}·${LORA.rank}·(${config.dModel} + ${config.dModel}) + ${(config.dModel + 1) * CLASSES} = ${loraFormula}`,
  trainableParameterCount(loraRun.model) === loraFormula && lora.adapterParameters + (config.dModel + 1) * CLASSES === loraFormula, { counted: trainableParameterCount(loraRun.model) });
check("the optimizer's list holds the adapters' A and B and the head's kernel and bias, nothing else",
  loraRun.model.trainableWeights.every((w) => /lora_[AB]$/.test(w.originalName) || loraRun.head.some((layer) => w.originalName.startsWith(`${layer.name}/`))));
const frozenWeights = loraRun.model.layers.flatMap((layer) => layer.nonTrainableWeights);
const frozenBytesBefore = frozenWeights.map((w) => float32Bytes(w.read()));
const loraLosses = fineTune(loraRun.model, allVariables(loraRun.model), wordOrder, orderRows, 0, FINE_TUNE.epochs, LORA.learningRate);
const loraAccuracy = testAccuracy(loraRun.model, wordOrder);
check(`all ${frozenWeights.length} frozen weights (embeddings, W and b of every projection, LayerNorms, FFN) are bit-identical after LoRA training`,
  frozenWeights.every((w, i) => float32Bytes(w.read()).equals(frozenBytesBefore[i]!)));
// Merge: a fresh pretrained classifier whose attention kernels are W + (α/r)·A·B and whose head is the trained one.
const merged = textClassifier((await loadPretrainedBert("tiny-bert-mlm")).encoder, 0);
const attentionLayers = (model: tf.LayersModel) => model.layers.filter((layer): layer is MultiHeadAttention => layer instanceof MultiHeadAttention);
attentionLayers(loraRun.model).forEach((layer, i) => attentionLayers(merged.model)[i]!.setWeights(layer.mergedWeights()));
loraRun.head.forEach((layer, i) => merged.head[i]!.setWeights(layer.getWeights()));
const mergeGap = tf.tidy(() => (loraRun.model.predict(bertInputTensors(orderTestInputs)) as tf.Tensor).sub(merged.model.predict(bertInputTensors(orderTestInputs)) as tf.Tensor).abs().max().dataSync()[0]!);
checkClose(`merged into plain kernels (no adapters, ${merged.model.countParams()} parameters), the model gives the same logits (float32 rounding)`, mergeGap, 0, { abs: 1e-4 });
merged.model.dispose();
const fullParameters = frozen.model.countParams();
showTable([
  { method: "head only (encoder frozen)", "trainable parameters": trainableParameterCount(frozen.model), "share of full": trainableParameterCount(frozen.model) / fullParameters, "Adam learning rate": FINE_TUNE.learningRate, "final training loss": headOnlyLosses.at(-1)!, "test accuracy": headOnlyAccuracy },
  { method: `LoRA r = ${LORA.rank} on q, k, v, o + head`, "trainable parameters": loraFormula, "share of full": loraFormula / fullParameters, "Adam learning rate": LORA.learningRate, "final training loss": loraLosses.at(-1)!, "test accuracy": loraAccuracy },
  { method: "full fine-tuning", "trainable parameters": fullParameters, "share of full": 1, "Adam learning rate": FINE_TUNE.learningRate, "final training loss": fullFineTuned.losses.at(-1)!, "test accuracy": fullFineTuned.accuracy },
], { caption: `The same ${N_LABELS} word-order examples and ${FINE_TUNE.epochs} epochs (${FINE_TUNE.epochs * Math.ceil(N_LABELS / FINE_TUNE.batchSize)} Adam steps), seed 0`, digits: 3 });
loraRun.model.dispose();
check("LoRA beats the head alone by ≥ 0.09 (calibrated)", loraAccuracy - headOnlyAccuracy >= 0.09, { lora: loraAccuracy, headOnly: headOnlyAccuracy });
check("…and is within 0.1 of full fine-tuning (calibrated)", Math.abs(loraAccuracy - fullFineTuned.accuracy) <= 0.1, { lora: loraAccuracy, full: fullFineTuned.accuracy });

// %% [markdown]
// **Calibration.** Over seeds 0–4 (of the labelled subset, the head, the adapters' A and the batch order; same
// recipe), test accuracy was 0.765–0.845 for LoRA, 0.745–0.85 for full fine-tuning and 0.28–0.575 for the head
// alone. LoRA beat the head by 0.195–0.565 in every seed (the check asks for less than half the smallest, 0.09) and
// differed from full fine-tuning by −0.03 to +0.02 (the check allows 0.1: each accuracy on 200 lines has a standard
// error of about 0.03, their difference about 0.045). With 8 epochs instead of 6 the picture was the same (LoRA
// 0.745–0.84, full 0.72–0.84, head 0.35–0.635). So with **3 %** of the parameters trainable, LoRA matched full fine-tuning here within the seed-to-seed
// spread, and the adapters *inside* the encoder are what the frozen-encoder head lacked. A LoRA step is also cheaper
// than a full one (no weight gradients for the embedding table or the feed-forward layers, about 30× fewer Adam updates).

// %% [markdown]
// ## 5. S2-Q14 · Question answering with BERT: start and end logits over one pair
//
// **Question.** Explain how to use BERT for question answering, with a simplified example. (讲解如何使用BERT进行问答)
//
// **Short answer.** *Extractive* QA (SQuAD): the answer is a span of a given passage. Encode question and
// passage **together** as `[CLS] question [SEP] passage [SEP]` with segment ids 0 / 1, run the encoder, and let one
// dense layer give every token two logits: *start* and *end*. Training: cross-entropy of the softmax over
// positions against the answer's first and last token (found from its character span with the tokenizer's offset
// mapping). Inference: the span maximising start_logit[s] + end_logit[e] with s ≤ e, s and e inside the passage
// and e − s below a maximum length; the answer text is the passage's characters from s's first to e's last
// character. **What the seed gets wrong:** its text says a fully-connected layer "matches outputs to find the
// most relevant answer" (it predicts positions); its code encodes question and document **separately** and calls
// `model(question_ids, document_ids)`, which passes the document as the second positional argument,
// `attention_mask`; `bert-base-uncased` has a randomly initialised QA head (a SQuAD-fine-tuned checkpoint is
// needed); two independent argmaxes can give end < start; and it slices `document.split()` **words** with
// **token** positions that count `[CLS]`, the question and sub-words (plus `end_answer` is undefined,
// *NameError*).
//
// **Span selection** (`bestSpan`, lib/text/extractive-qa.ts) scans each end once and keeps the best start in its
// window with a monotonic queue; `bruteForceBestSpan` tries every pair. On random logits they agree, and the
// span always satisfies the constraints that two independent argmaxes violate:

// %%
const spanRng = new Random(3);
let separateArgmaxInvalid = 0;
let spanAgreements = 0;
const SPAN_TRIALS = 500;
for (let trial = 0; trial < SPAN_TRIALS; trial++) {
  const T = spanRng.int(8, 33);
  const startLogits = Array.from({ length: T }, () => spanRng.normal());
  const endLogits = Array.from({ length: T }, () => spanRng.normal());
  const passageFrom = spanRng.int(2, T - 2); // positions < passageFrom: [CLS], the question, [SEP]
  const allowed = startLogits.map((_, t) => t >= passageFrom && t < T - 1);
  const span = bestSpan(startLogits, endLogits, { maxLength: 5, allowed: allowed })!;
  const brute = bruteForceBestSpan(startLogits, endLogits, { maxLength: 5, allowed: allowed })!;
  spanAgreements += Number(span.start === brute.start && span.end === brute.end && span.score === brute.score && span.start <= span.end && span.end - span.start < 5 && allowed[span.start]!);
  const s = startLogits.indexOf(Math.max(...startLogits));
  const e = endLogits.indexOf(Math.max(...endLogits));
  separateArgmaxInvalid += Number(e < s || !allowed[s] || !allowed[e] || e - s >= 5);
}
check(`bestSpan equals brute-force enumeration on all ${SPAN_TRIALS} random logit sets, always start ≤ end < start + 5 inside the passage`, spanAgreements === SPAN_TRIALS, { agreements: spanAgreements });
check("two independent argmaxes (the seed) give an invalid span on most of the same logit sets (> 50 %)", separateArgmaxInvalid > SPAN_TRIALS / 2, { invalid: separateArgmaxInvalid });

// %% [markdown]
// **The data** (`makeTemplatedQa`, lib/text/qa-data.ts): a passage of two one-sentence facts about different
// people ("Romeo lives in Verona. Viola serves the Duke."), a question about one of them, the answer as a character
// span. In half of the passages both facts have the question's relation, so the *name* decides the answer. The
// test set uses fact and question phrasings that no training example uses ("Last year the Duke took Viola into service.",
// "Who is Viola a servant of?"). Reading comprehension here is trivial next to SQuAD; the task shows the span
// formulation, pair encoding and offset mapping.
//
// **Offsets.** Training targets come from characters → tokens, predictions go tokens → characters. Only passage
// tokens (segment 1) keep their offsets; `[CLS]`, the question, `[SEP]` and padding get none.

// %%
const qa = makeTemplatedQa({ nTrain: 800, nTest: 200, seed: 0, sameRelation: 0 });
const qaFresh = makeTemplatedQa({ nTrain: 200, nTest: 1, seed: 1, sameRelation: 0 }).train; // new passages, training phrasings
// the longest pair, so that nothing is truncated (within the encoder's learned positions)
const QA_TOKENS = Math.max(...[...qa.train, ...qa.test, ...qaFresh].map((e) => tokenizer.encode(e.question).ids.length + tokenizer.encode(e.context).ids.length + 3));
interface QaEncoded { example: QaExample; input: BertInput; passageOffsets: ([number, number] | null)[]; start: number; end: number }
function encodeQa(example: QaExample): QaEncoded {
  const input = bertInputs(tokenizer, example.question, example.context, QA_TOKENS);
  const passageOffsets = input.offsets.map((offset, t) => (input.sequenceIds[t] === 1 ? offset : null));
  const target = charSpanToTokenSpan(passageOffsets, example.answerStart, example.answerEnd);
  return { example: example, input: input, passageOffsets: passageOffsets, start: target.start, end: target.end };
}
const qaTrain = qa.train.map(encodeQa);
const qaTest = qa.test.map(encodeQa);
const qaFreshEncoded = qaFresh.map(encodeQa);
const roundTrips = [...qaTrain, ...qaTest].filter((e) => {
  const [a, b] = tokenSpanToCharSpan(e.passageOffsets, e.start, e.end);
  return e.example.context.slice(a, b) === e.example.answer;
}).length;
const first = qaTrain[0]!;
console.log(`${first.input.tokens.filter((t) => t !== "[PAD]").join(" ")}\nanswer "${first.example.answer}" = tokens ${first.start}…${first.end}: ${first.input.tokens.slice(first.start, first.end + 1).join(" ")}`);
check(`no pair is truncated; the longest, ${QA_TOKENS} tokens, fits the encoder's ${config.maxLength} positions`, [...qaTrain, ...qaTest].every((e) => e.input.truncated[0] + e.input.truncated[1] === 0) && QA_TOKENS <= config.maxLength);
check(`characters → tokens → characters gives back the answer text for all ${qaTrain.length + qaTest.length} examples`, roundTrips === qaTrain.length + qaTest.length, { roundTrips: roundTrips });

// %% [markdown]
// **The QA model**: the pretrained encoder, one dense layer to 2 logits per token, split into start and end
// logits [batch, T]. The loss is the mean of the two position cross-entropies; every weight is fine-tuned.
//
// **Calibration, and a target we did not reach reliably.** The catalog's target is exact match ≥ 0.8 on held-out
// phrasings. With 2 epochs over the 800 training pairs (50 Adam steps), seeds 0–3 of the head and the batch order
// (same data) gave 0.82, 0.495, 0.735 and 0.605 on the held-out phrasings, but 0.91–0.93 on new passages in the
// training phrasings for every seed. (4 epochs, twice the time, gave 0.87, 0.51, 0.92 and 0.785 held out and
// 0.93 on new passages: the unseen phrasings stay seed-dependent either way.) So the first check below asks what
// held for every seed, ≥ 0.85 in known phrasings; the second, above always answering from the first fact (0.55),
// held for seeds 0, 2 and 3 but not seed 1 (0.495), so it is this run's result, not a guarantee. The table shows
// where new phrasings break: generalising to unseen word orders is exactly what a 2-layer model pretrained on 1 MB
// does unreliably and what BERT's 3.3 B words buy. More training data or epochs would cost more than this
// notebook's time budget.

// %%
const QA_TRAINING = { epochs: 2, batchSize: 32, learningRate: 2e-3, seed: 0 };
const qaEncoder = (await loadPretrainedBert("tiny-bert-mlm")).encoder;
const spanLogits = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }), name: "qa_span_logits" }).apply(qaEncoder.outputs[0]!) as tf.SymbolicTensor;
const qaModel = tf.model({ inputs: qaEncoder.inputs, outputs: spanLogits }); // [batch, T, 2]: start, end
const [qaIds, qaSegments] = bertInputTensors(qaTrain.map((e) => e.input));
const qaStarts = tf.tensor1d(qaTrain.map((e) => e.start), "int32");
const qaEnds = tf.tensor1d(qaTrain.map((e) => e.end), "int32");
const tensorsAfterEpoch: number[] = [];
const qaLosses = fitMinibatchLoss((batch) => {
  const index = tf.tensor1d(batch, "int32");
  const logits = qaModel.apply([qaIds.gather(index), qaSegments.gather(index)], { training: true }) as tf.Tensor;
  const [startLogits, endLogits] = tf.split(logits, 2, 2).map((t) => t.squeeze([2]));
  const positionLoss = (scores: tf.Tensor, targets: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(targets.gather(index), QA_TOKENS), scores);
  return positionLoss(startLogits!, qaStarts).add(positionLoss(endLogits!, qaEnds)).div(2) as tf.Scalar;
}, { examples: qaTrain.length, epochs: QA_TRAINING.epochs, batchSize: QA_TRAINING.batchSize, learningRate: QA_TRAINING.learningRate, seed: QA_TRAINING.seed,
  onEpoch: () => tensorsAfterEpoch.push(tf.memory().numTensors) });

/** The answer text the model extracts for each encoded example, with the span chosen by bestSpan. */
function answerQuestions(model: tf.LayersModel, examples: readonly QaEncoded[]) {
  const logits = tf.tidy(() => (model.predict(bertInputTensors(examples.map((e) => e.input))) as tf.Tensor).arraySync() as number[][][]);
  return examples.map((e, i) => {
    const starts = logits[i]!.map((pair) => pair[0]!);
    const ends = logits[i]!.map((pair) => pair[1]!);
    const span = bestSpan(starts, ends, { maxLength: 6, allowed: e.passageOffsets.map((o) => o !== null) })!;
    const [a, b] = tokenSpanToCharSpan(e.passageOffsets, span.start, span.end);
    return { span: span, text: e.example.context.slice(a, b), separate: [starts.indexOf(Math.max(...starts)), ends.indexOf(Math.max(...ends))] };
  });
}
const qaPredictions = answerQuestions(qaModel, qaTest);
/** The passage with the predicted span's characters in ⟦ ⟧. */
function highlightSpan(e: QaEncoded, span: { start: number; end: number }): string {
  const [a, b] = tokenSpanToCharSpan(e.passageOffsets, span.start, span.end);
  return `${e.example.context.slice(0, a)}⟦${e.example.context.slice(a, b)}⟧${e.example.context.slice(b)}`;
}
const exactMatch = mean(qaPredictions.map((p, i) => exactMatchScore(p.text, qaTest[i]!.example.answer)));
const freshExactMatch = mean(answerQuestions(qaModel, qaFreshEncoded).map((p, i) => exactMatchScore(p.text, qaFresh[i]!.answer)));
const heldOutTemplates = [...new Set(qa.test.map((e) => e.factTemplate))];
showTable(qaTest.slice(0, 6).map((e, i) => ({
  question: e.example.question,
  passage: highlightSpan(e, qaPredictions[i]!.span),
  truth: e.example.answer,
})), { caption: "Held-out phrasings: the predicted span in ⟦ ⟧", maxCellChars: 100 });
console.log(`training loss per epoch: ${qaLosses.map((l) => l.toFixed(3)).join(", ")}`);
check(`no tensor leaks: ${tensorsAfterEpoch[0]} live tensors after each of the ${QA_TRAINING.epochs} epochs`, tensorsAfterEpoch.every((n) => n === tensorsAfterEpoch[0]), { counts: tensorsAfterEpoch.join(", ") });
check("every predicted span has start ≤ end inside the passage", qaPredictions.every((p, i) => p.span.start <= p.span.end && qaTest[i]!.passageOffsets[p.span.start] !== null));
showTable([
  { passages: `${qaFresh.length} new passages, training phrasings`, "exact match": freshExactMatch },
  ...heldOutTemplates.map((template) => {
    const rows = qa.test.map((e, i) => i).filter((i) => qa.test[i]!.factTemplate === template);
    return { passages: `held out: "${template}" (${rows.length})`, "exact match": mean(rows.map((i) => exactMatchScore(qaPredictions[i]!.text, qa.test[i]!.answer))) };
  }),
  { passages: `all ${qaTest.length} held-out phrasings`, "exact match": exactMatch },
], { digits: 3, maxCellChars: 80 });
check(`new passages in the training phrasings: exact match ≥ 0.85 (calibrated: 0.91–0.93 for seeds 0–3)`, freshExactMatch >= 0.85, { exactMatch: freshExactMatch });
const firstFactBaseline = mean(qa.test.map((e) => (e.answerEnd <= e.context.indexOf(".") ? 1 : 0))); // the answer is in the first fact
check(`held-out phrasings: exact match above always answering from the first fact (${firstFactBaseline.toFixed(3)})`, exactMatch > firstFactBaseline, { exactMatch: exactMatch });

// %% [markdown]
// ## 6. S2-Q15 · RoBERTa: the same encoder, a better pretraining recipe
//
// **Question.** Explain how to use RoBERTa for text classification, with a simplified example. (讲解如何使用RoBERTa模型进行文本分类)
//
// **Short answer.** Exactly like BERT: `RobertaForSequenceClassification` is the encoder plus a head on the first
// token (`<s>`, RoBERTa's `[CLS]`), fine-tuned with cross-entropy, predicted with softmax + argmax; use RoBERTa's
// own tokenizer. What differs is pretraining (Liu et al. 2019): **no next-sentence prediction** (inputs are full
// sentences packed up to 512 tokens); **dynamic masking** (a new 15 % mask each time a sequence is seen, instead of
// one mask fixed in preprocessing); **10× more data** (160 GB vs 16 GB) and longer training with **much larger
// batches** (8k sequences); a **byte-level BPE** vocabulary of 50k (GPT-2's) instead of a 30k WordPiece, so any
// text encodes without `[UNK]`; and no segment (token-type) embeddings in practice. Architecture and fine-tuning
// recipe are BERT's. **What the seed gets wrong:** the same code as S2-Q10 (no `.fit` / `.predict` on a PyTorch
// model, `encode` on a list, `pred > 0.5` on logits), and its text never names one of these differences.
//
// The byte-level point, measured on our WordPiece vocabulary (learned from Shakespeare): text with characters it
// never saw gets `[UNK]`, and the original text cannot be recovered; a byte-level vocabulary starts from the 256
// byte values, so every string is a sequence of known symbols and decodes back exactly.

// %%
const foreignText = "Café naïve — 很好 😀";
const wordPieceIds = tokenizer.encode(foreignText).ids;
const byteSymbols = [...new TextEncoder().encode(foreignText)]; // byte-level BPE's base alphabet: 0…255
console.log(`WordPiece: ${tokenizer.encode(foreignText).tokens.join(" ")}\nbytes: ${byteSymbols.length} symbols, all in 0…255`);
check("our WordPiece vocabulary maps some of this text to [UNK] and cannot decode it back", wordPieceIds.includes(1) && tokenizer.decode(wordPieceIds) !== foreignText);
check("its UTF-8 bytes (byte-level BPE's alphabet) decode back exactly", new TextDecoder().decode(Uint8Array.from(byteSymbols)) === foreignText && byteSymbols.every((b) => b >= 0 && b < 256));

// %% [markdown]
// ## 7. S3-Q23 · BERT across NLP tasks: one encoder, a head per task
//
// **Question.** Briefly explain how to use BERT in NLP. (如何在自然语言处理中使用BERT？)
//
// **Short answer.** BERT turns a sequence into contextual token vectors; each task adds the smallest head that
// reads them: **sentence classification** (sentiment, topic): dense on `[CLS]`; **sentence pairs** (entailment,
// paraphrase, QA): both texts in one input with segment ids, head on `[CLS]` (or on tokens for QA);
// **token classification** (NER, POS): a dense layer on every token vector, one label per (first) sub-word;
// **span extraction** (QA): start/end logits per token. Then fine-tune. Generation is **not** a BERT task: it
// has no decoder and its attention is bidirectional, so every position sees the whole input, later tokens
// included. **What the seed gets wrong:** "load BERT including encoder and decoder" (encoder-only), `Adam` is used
// but not imported (*NameError*), raw strings go into `BertModel`, the head (a tensor) is then called like a
// function, it is in no optimizer, its logits are per token, and NER is promised but never shown.
//
// Bidirectional, measured: change only the *last* word of a sentence and the *first* word's hidden vector moves
// (in a causal decoder, notebook 24, it could not). The token-level head's shape is the other half:

// %%
const probeA = bertInputs(tokenizer, "The king is dead.", null, 10);
const probeB = bertInputs(tokenizer, "The king is alive.", null, 10);
const firstWordVector = (input: BertInput) => tf.tidy(() => (pretrained.encoder.predict(bertInputTensors([input])) as tf.Tensor).arraySync() as number[][][])[0]![1]!;
const firstWordShift = Math.max(...firstWordVector(probeA).map((v, k) => Math.abs(v - firstWordVector(probeB)[k]!)));
check(`bidirectional: changing the last word moves the first word's hidden vector (max |Δ| = ${firstWordShift.toFixed(3)} > 1e-3)`, firstWordShift > 1e-3);
const tagHead = tf.layers.dense({ units: 7, name: "ner_tags" }); // a token-classification head: one label per token
const tagLogits = tf.tidy(() => (tagHead.apply(pretrained.encoder.predict(bertInputTensors([probeA, probeB])) as tf.Tensor) as tf.Tensor).shape);
check("a token-classification head gives [batch, T, tags] = [2, 10, 7]; a sentence head gives [batch, classes]", tagLogits.join() === "2,10,7");

// %% [markdown]
// ## 8. S1-C29 · Implementing a BERT classifier (Keras), and the seed's `Flatten` head
//
// **Question.** Implement a BERT-based text classification model. (实现一个基于BERT的文本分类模型)
//
// **Short answer.** Sections 1–4 are the implementation: tokenizer → `[CLS] text [SEP]` ids, segment ids and
// mask → pretrained encoder → `[CLS]` (or masked mean) → `Dense(num_classes)` logits → softmax cross-entropy
// (`SparseCategoricalCrossentropy(from_logits=True)` for integer labels) with Adam at 2e-5 – 5e-5 → argmax.
// **What the seed gets wrong:**
//
// > ```python
// > input_ids = Input(shape=(max_sequence_length,), dtype=tf.int32)
// > attention_mask = Input(shape=(max_sequence_length,), dtype=tf.int32)
// >  bert_output = bert_model(input_ids, attention_mask=attention_mask)
// > flatten = Flatten()(bert_output.last_hidden_state)
// > output = Dense(num_classes, activation='softmax')(flatten)
// > model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
// > ```
//
// The stray space before `bert_output` is an *IndentationError*; `max_sequence_length`, `num_classes` and the data
// are undefined and the tokenizer is never used. `Flatten` over all T×768 hidden values ties the model to one
// length and gives the head T·768·C weights, each reading one position (BERT-base at T = 128: 196,608 per class
// instead of 768); `optimizer='adam'` means lr = 1e-3, which for BERT-base wrecks the pretrained weights
// (2e-5 – 5e-5 is the norm); `categorical_crossentropy` needs one-hot labels. The `Flatten` head, built on our
// encoder:

// %%
const flatInput = tf.input({ shape: [MAX_TOKENS], dtype: "int32" });
const flatSegments = tf.input({ shape: [MAX_TOKENS], dtype: "int32" });
const flatEncoder = (await loadPretrainedBert("tiny-bert-mlm")).encoder;
const flatHidden = flatEncoder.apply([flatInput, flatSegments]) as tf.SymbolicTensor;
const flatLogits = tf.layers.dense({ units: CLASSES, name: "flatten_head" }).apply(tf.layers.flatten().apply(flatHidden) as tf.SymbolicTensor) as tf.SymbolicTensor;
const flattenModel = tf.model({ inputs: [flatInput, flatSegments], outputs: flatLogits });
const flattenHeadParameters = flattenModel.countParams() - flatEncoder.countParams();
check(`the Flatten head has T·d·C + C = ${MAX_TOKENS}·${config.dModel}·${CLASSES} + ${CLASSES} parameters, ${MAX_TOKENS}× the [CLS] head's`, flattenHeadParameters === MAX_TOKENS * config.dModel * CLASSES + CLASSES, { flattenHeadParameters: flattenHeadParameters });
let shorterInputError = "";
try {
  flattenModel.predict(bertInputTensors([shortInput]));
} catch (error) {
  shorterInputError = (error as Error).message;
}
flattenModel.dispose();
check(`…and refuses a ${shortInput.ids.length}-token input (the [CLS] head took it in section 1)`, shorterInputError.length > 0, { error: shorterInputError.slice(0, 120) });

// %% [markdown]
// ### `bert-base-chinese` (S3-Q15, S3-Q23): characters, not words
//
// The two PyTorch seeds load `bert-base-chinese`. Its tokenizer splits every CJK character into its own token
// before WordPiece runs (Chinese is written without spaces, and a vocabulary of ≈ 21k characters covers it), so a
// Chinese sentence of n characters is n tokens plus `[CLS]` / `[SEP]`; fine-tuning is otherwise identical. The
// miniature: `tiny-bert-chinese-char` (notebook 22's script, the same 2-layer encoder pretrained on the Chinese
// prose of this project's five question banks, `data/seeds-chinese.txt`, 41k characters). Its tokenizer follows the
// same rule, checked on the S3-Q15 seed's own sentence; then section 3's transfer test in Chinese: are the
// characters of a held-out sentence in their written order, or shuffled? *Calibration:* the five gaps at the
// largest N were 0.31–0.41 here and 0.21–0.43 on a first, smaller sentence set (sentences only, 55 training
// examples); the check asks for half the smallest, 0.15, on average, and a positive gap in every draw. With 116
// sentences the test set has 39, so each is worth 0.026 of accuracy.

// %%
const chinese = await loadPretrainedBert("tiny-bert-chinese-char");
const chineseSentence = "这是一个文本分类任务。"; // the S3-Q15 seed's example text
const chineseTokens = chinese.tokenizer.encode(chineseSentence).tokens;
const hanCount = (text: string) => [...text].filter((ch) => /\p{Script=Han}/u.test(ch)).length;
console.log(chineseTokens.join(" | "));
check(`one token per Chinese character: ${hanCount(chineseSentence)} characters → ${chineseTokens.filter((t) => hanCount(t) > 0).length} tokens, each a single character`,
  chineseTokens.filter((t) => hanCount(t) > 0).length === hanCount(chineseSentence) && chineseTokens.every((t) => hanCount(t) <= 1));

const chineseHeldOut = splitCorpus(readDataText("seeds-chinese.txt"), 0.1).heldOut; // the recipe's held-out 10 %
const chineseRng = new Random(1);
// sentences and clauses (split after 。！？；，) of 8–36 characters, at least 70 % of them Chinese (no code, no markup)
const chineseSentences = [...new Set(chineseHeldOut.split(/(?<=[。！？；，\n])/).map((t) => t.replace(/[*#>\-\s]/g, "")))]
  .filter((t) => [...t].length >= 8 && [...t].length <= 36 && hanCount(t) >= 0.7 * [...t].length);
const chineseTexts = chineseSentences.map((t, i) => {
  if (i % 2 === 0) return t;
  let shuffled = t;
  while (shuffled === t) shuffled = chineseRng.shuffle([...t]).join("");
  return shuffled;
});
const chineseSplit = Math.round((2 / 3) * chineseTexts.length);
const chineseOrder = makeTask("Chinese character order", chineseTexts, chineseTexts.map((_, i) => (i % 2 === 0 ? 1 : 0)),
  Array.from({ length: chineseSplit }, (_, i) => i), Array.from({ length: chineseTexts.length - chineseSplit }, (_, i) => chineseSplit + i), chinese.tokenizer);
const chineseCurve = learningCurve(chineseOrder, [25, 50, 100, chineseSplit].filter((n) => n <= chineseSplit), chinese);
showTable(chineseCurve.map((r) => ({ "labelled examples": r.n, pretrained: r.pretrained, "random init": r.random, "gap per draw": r.gaps.map((g) => g.toFixed(2)).join(" ") })),
  { caption: `Held-out Chinese sentences, as written or shuffled (${chineseOrder.train.length} train, ${chineseOrder.test.length} test; frozen features, logistic head, 5 draws)`, digits: 3 });
const chineseAtAll = chineseCurve[chineseCurve.length - 1]!;
check(`Chinese, all ${chineseSplit} labels: the character-level pretrained encoder beats random initialisation in every draw, by ≥ 0.15 on average (calibrated)`, chineseAtAll.gaps.every((g) => g > 0) && chineseAtAll.pretrained - chineseAtAll.random >= 0.15, { gaps: chineseAtAll.gaps.map((g) => g.toFixed(3)).join(" ") });

// %% [markdown]
// ## Recap
//
// * BERT is an encoder: it turns `[CLS] A [SEP] (B [SEP])` into contextual token vectors. A task adds a small head
//   (dense on `[CLS]` or the masked mean for sentences, on every token for tagging, start/end logits for QA) and
//   the whole network is fine-tuned with a small learning rate.
// * Predict with softmax + argmax over the class axis; a threshold of 0.5 on a logit is not the model's decision
//   (the two disagreed on a constructed case).
// * Transfer pays when the target lies in the source's domain and labels are few: on Shakespeare word order the
//   pretrained encoder beat random initialisation at every N (frozen features) and after fine-tuning at N = 100;
//   on modern-English sentiment a 2-layer encoder pretrained on 1 MB of Shakespeare gave nothing at N = 100.
// * Freezing is checkable: the optimizer's variable list holds every head weight and no encoder weight, and the
//   frozen encoder's bytes are unchanged after training. The seed's head, built outside the model, was in no list.
// * Extractive QA predicts start and end positions over one question–passage pair; the span is the best pair with
//   start ≤ end inside the passage (equal to brute force), mapped to characters by offsets (round-trip exact).
//   Fine-tuned on 800 templated pairs, the tiny model answered new passages in known phrasings (exact match ≥ 0.85
//   for every seed); on unseen phrasings it ranged from 0.50 to 0.82 over seeds: the catalog's 0.8 is not reliable
//   at this scale.
// * LoRA (rank 4 on the attention projections, base weights frozen bit for bit) trained 3 % of the parameters and
//   matched full fine-tuning on word order within the seed-to-seed spread, well above training the head alone;
//   folding ΔW = (α/r)·A·B into W gave the same logits.
// * RoBERTa = BERT's architecture with a better recipe: no NSP, dynamic masking, more data, bigger batches,
//   byte-level BPE (no `[UNK]`).
// * `bert-base-chinese` reads one token per character; a character-level miniature pretrained on the question
//   banks' Chinese transferred to a held-out Chinese word-order task exactly as the English one did.
//
// ## Exercises
//
// 1. **Spot the bug (S3-Q30 ≡ S3-Q23).** The seed's training code:
//
//    ```python
//    model = BertModel.from_pretrained('bert-base-chinese')
//    output = model([text1, text2])
//    output = nn.Linear(output.last_hidden_state.shape[-1], num_labels)(output.last_hidden_state)
//    optimizer = Adam(model.parameters(), lr=1e-5)
//    for batch in train_dataloader:
//        outputs = model(**{'input_ids': batch['input_ids']})
//        logits = output(outputs.last_hidden_state)
//        loss = criterion(logits, labels)
//    ```
//
//    List what stops it from running and what makes it learn nothing once it runs. Build the fixed model on our
//    encoder and show with `auditOptimizerVariables` that full fine-tuning updates every parameter, head included.
// 2. **Spot the bug (S3-Q15).** `loss = criterion(outputs.logits, labels)` with `outputs = BertModel(...)(**inputs)`,
//    and `print(f"Test Accuracy: {accuracy}")` inside the test loop. What does `BertModel` return, what shape
//    must the logits have for `CrossEntropyLoss` with labels [batch], and why is the mean of per-batch accuracies
//    not the test accuracy? Show the last point with batches of unequal size.
// 3. **Spot the bug (S2-Q14).** `answer_tokens = document.split()[answer_start:end_answer+1]`. Fix the name, then
//    show on one of our QA examples that token positions are not word positions in the passage, and that the
//    offset mapping gives the answer.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** It stops at `Adam` (never imported: *NameError*) and at `model([text1, text2])` (BertModel takes token
// ids, not strings); `output` is then a tensor, and `output(...)` calls a tensor (*TypeError*). Once those are
// fixed it still learns nothing useful: the `nn.Linear` is created inline and is not in `model.parameters()`, so
// the optimizer never updates it; its logits are per token ([batch, T, 2]) rather than pooled; no attention mask
// is passed. The fix puts the head in the model (on `[CLS]`) and gives the optimizer all parameters:

// %% tags=["solution"]
const fixedClassifier = textClassifier((await loadPretrainedBert("tiny-bert-mlm")).encoder, 0);
const fixedAudit = auditOptimizerVariables(allVariables(fixedClassifier.model), { train: fixedClassifier.model.layers });
const fixedParameters = fixedClassifier.model.countParams();
fixedClassifier.model.dispose();
check("full fine-tuning: no weight of encoder or head is missing from the optimizer's list", fixedAudit.missing.length === 0);
check(`…and it updates all ${fixedParameters} parameters`, fixedAudit.updatedParameters === fixedParameters);

// %% [markdown] tags=["solution"]
// **2.** `BertModel` returns `last_hidden_state` [batch, T, 768] and `pooler_output` [batch, 768]; `.logits`
// exists only on task models such as `BertForSequenceClassification` (*AttributeError*). `CrossEntropyLoss`
// with labels [batch] needs logits [batch, C]: pool first (`[CLS]` / pooler / masked mean), then the head. Per-batch
// accuracies averaged weight a small last batch like a full one; the test accuracy is total correct / total.

// %% tags=["solution"]
const batchCorrect = [[1, 1, 1, 1, 1, 1, 1, 1, 1, 0], [0, 0]]; // a batch of 10 and a last batch of 2
const meanOfBatchAccuracies = mean(batchCorrect.map((b) => mean(b)));
const overallAccuracy = mean(batchCorrect.flat());
check(`mean of per-batch accuracies (${meanOfBatchAccuracies.toFixed(3)}) ≠ correct / total (${overallAccuracy.toFixed(3)})`, Math.abs(meanOfBatchAccuracies - overallAccuracy) > 0.1);
const perTokenShape = tf.tidy(() => (tf.layers.dense({ units: CLASSES }).apply(pretrained.encoder.predict(bertInputTensors([shortInput, shortInput])) as tf.Tensor) as tf.Tensor).shape);
check("a head on every token gives [batch, T, 2], not the [batch, 2] that labels [batch] need", perTokenShape.length === 3 && perTokenShape[2] === CLASSES);

// %% [markdown] tags=["solution"]
// **3.** `end_answer` → `answer_end`. Then: the positions count `[CLS]`, the question's tokens, `[SEP]` and
// sub-words, so they are not indices into the passage's words. Offsets map token positions to characters:

// %% tags=["solution"]
const qaProbe = qaTest.find((e) => e.start > 3)!;
const wordSlice = qaProbe.example.context.split(" ").slice(qaProbe.start, qaProbe.end + 1).join(" ");
const [probeFrom, probeTo] = tokenSpanToCharSpan(qaProbe.passageOffsets, qaProbe.start, qaProbe.end);
console.log(`tokens ${qaProbe.start}…${qaProbe.end} as word indices: "${wordSlice}"; through the offsets: "${qaProbe.example.context.slice(probeFrom, probeTo)}"`);
check("token positions used as word indices miss the answer", wordSlice !== qaProbe.example.answer);
check("the offset mapping gives the answer", qaProbe.example.context.slice(probeFrom, probeTo) === qaProbe.example.answer);
