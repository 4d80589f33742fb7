// %% [markdown]
// # 17 · Word embeddings and text similarity
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S1-Q16 | What is NLP? | 什么是自然语言处理（NLP）？ |
// | S1-Q17 | How do you implement word embeddings? | 如何实现词嵌入（Word Embedding）？ |
// | S3-Q5 | Explain word embeddings in NLP. | 请解释自然语言处理（NLP）中的词嵌入（Word Embedding） |
// | S4-C20 | Implement a word-embedding text-similarity model. | 实现一个基于词嵌入的文本相似度计算模型 |
//
// **The short answer an interviewer wants.** A model cannot read text, so NLP starts by turning it into
// numbers: split into tokens (words, subwords or characters), map each token to an id, then to a vector.
// **Bag-of-words** and **TF-IDF** give each *document* a sparse vector as long as the vocabulary, one count (or
// weight) per word; every two different words are orthogonal, so "cat" and "dog" are as unrelated as "cat" and
// "rain". A **word embedding** gives each *word* a dense vector of a few dozen to a few hundred numbers, far
// *fewer* than the vocabulary size, learned so that words used in similar contexts get similar vectors (the
// distributional hypothesis). **word2vec** learns them by prediction: **skip-gram** predicts the context words
// from the centre word, **CBOW** predicts the centre word from the (averaged) context, both trained cheaply with
// negative sampling. **GloVe** and PPMI + SVD factorise the co-occurrence counts instead and give similar
// vectors. Similarity is measured by the **cosine** of two vectors. A sentence-similarity model is **siamese**:
// one shared encoder (embed, pool over tokens, project) applied to both sentences, then the cosine.
//
// Every claim below is a check that would fail if it were false: BoW and TF-IDF against scikit-learn, the
// skip-gram gradient against finite differences, the learned vectors against planted synonym classes, two
// embedding methods against each other, the sentence encoder on paraphrases it has never seen.

// %%
import * as dfd from "danfojs-node";
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { loadTinyShakespeare } from "./lib/data";
import { svd } from "./lib/math/linalg";
import { gradientRelativeError, numericalGradient } from "./lib/math/gradcheck";
import { cosineSimilarity, cosineSimilarityMatrix, nearestNeighbours } from "./lib/math/similarity";
import { rocAucScore } from "./lib/ml/metrics";
import { sgnsLossAndGradients, trainSkipGram } from "./lib/ml/skipgram";
import { ppmiWordVectors } from "./lib/ml/word-vectors";
import { tokenizeChars, tokenizeWords, sklearnTokenize } from "./lib/text/tokenize";
import { Vocabulary, UNK_ID } from "./lib/text/vocabulary";
import { CountVectorizer, TfidfVectorizer } from "./lib/text/vectorizers";
import { makeParaphrasePairs, makeSynonymCorpus, type SentencePair } from "./lib/text/corpora";
import { learnBpe } from "./lib/text/bpe";
import { loadTextVectorizerFixture, vectorizerResult } from "./lib/fixtures/text-vectorizers";
import { showTable } from "./lib/display/display";
import { showFigure, type Figure } from "./lib/display/plot";
import { heatmapFigure, lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %% [markdown]
// ## 1. S1-Q16 · What is NLP?
//
// **Question.** What is natural language processing? (什么是自然语言处理（NLP）？)
//
// **Short answer.** The part of machine learning that reads and writes human language: classify it (sentiment,
// spam, intent), tag it (named entities, parts of speech), compare it (search, paraphrase detection), translate
// or summarise it, answer questions, and generate it (language models). Every one of these starts with the same
// pipeline: **text → tokens → ids → vectors → model**. The seed's list (language model, word vectors, NER,
// sentiment) is fine as a list of examples, but it calls word vectors a mapping into a "high-dimensional space":
// they are dense and *low*-dimensional compared with the vocabulary (section 2).
//
// The pipeline on one sentence, with the project's tokeniser and vocabulary (`lib/text/`): ids 0 and 1 are
// reserved for padding and for words never seen in training.

// %%
const pipelineTexts = ["The cat sat on the mat.", "The dog sat on the log."];
const pipelineVocabulary = new Vocabulary().fit(pipelineTexts.map((t) => tokenizeWords(t)));
const newSentence = "The cat sat on the sofa.";
const newTokens = tokenizeWords(newSentence);
const newIds = pipelineVocabulary.encode(newTokens);
console.log(`tokens: ${JSON.stringify(newTokens)}\nids:    ${JSON.stringify(newIds)}  (vocabulary of ${pipelineVocabulary.size} ids)`);
check("a word never seen in training (\"sofa\") maps to <unk>, every seen word to its own id", newIds[5] === UNK_ID && newIds.filter((id) => id === UNK_ID).length === 1);

// %% [markdown]
// ## 2. S3-Q5 · Bag-of-words and TF-IDF: document vectors, not word embeddings
//
// **Question.** Explain word embeddings in NLP and a few common methods. (请解释自然语言处理（NLP）中的词嵌入（Word
// Embedding）概念，并简要介绍几种常见的词嵌入方法。)
//
// **Short answer.** A word embedding maps each word to a dense vector of d numbers (d ≈ 50–300, against a
// vocabulary of 10⁴–10⁶ words) such that similar words have similar vectors; it is learned from co-occurrence,
// either by prediction (word2vec's skip-gram and CBOW, fastText) or by factorising counts (GloVe, PPMI + SVD),
// or as the first layer of a network trained for a task. **What the seed gets wrong:** it lists bag-of-words
// and TF-IDF as embedding methods and calls embeddings "high-dimensional dense" vectors. BoW and TF-IDF give a
// *document* a sparse vector with one entry per vocabulary word; they encode no similarity between words at all,
// and embeddings are *low*-dimensional (d ≪ vocabulary), which is the point of them.
//
// **TF-IDF by hand** on scikit-learn's defaults (`smooth_idf=True`, `norm="l2"`): for n documents, a term in df
// of them gets idf = ln((1 + n)/(1 + df)) + 1; a document's row is count × idf, divided by its Euclidean norm.
// The three documents below are the toy corpus of `test/fixtures/sklearn/text-vectorizers.py`, whose stored
// scikit-learn output is the independent truth for the hand formula and for `lib/text/vectorizers.ts`.

// %%
const vectorizerFixture = loadTextVectorizerFixture();
const skCounts = vectorizerResult(vectorizerFixture, "toy", "count", "default");
const skTfidf = vectorizerResult(vectorizerFixture, "toy", "tfidf", "default");
const toyDocuments = skTfidf.corpus.train;

// The hand version: tokens (scikit-learn's \b\w\w+\b), counts, document frequency, idf, normalised rows.
const toyTokens = toyDocuments.map((d) => sklearnTokenize(d));
const toyTerms = [...new Set(toyTokens.flat())].sort();
const handCounts = toyTokens.map((tokens) => toyTerms.map((term) => tokens.filter((t) => t === term).length));
const documentFrequency = toyTerms.map((_, j) => handCounts.filter((row) => row[j]! > 0).length);
const handIdf = documentFrequency.map((df) => Math.log((1 + toyDocuments.length) / (1 + df)) + 1);
const handTfidf = handCounts.map((row) => {
  const weighted = row.map((count, j) => count * handIdf[j]!);
  const norm = Math.hypot(...weighted);
  return weighted.map((w) => w / norm);
});

const libCounts = new CountVectorizer().fit(toyDocuments);
const libTfidf = new TfidfVectorizer().fit(toyDocuments);
check("hand and lib vocabularies = scikit-learn's feature names", JSON.stringify(toyTerms) === JSON.stringify(skTfidf.result.features) && JSON.stringify(libTfidf.getFeatureNamesOut()) === JSON.stringify(skTfidf.result.features));
checkAllClose(`bag-of-words: hand counts = CountVectorizer = scikit-learn ${vectorizerFixture.sklearn}`, [handCounts, libCounts.transform(toyDocuments)], [skCounts.result.train, skCounts.result.train], { abs: 0 });
checkAllClose("TF-IDF (smooth idf, l2 rows): hand formula = scikit-learn within 1e-12", handTfidf, skTfidf.result.train, { abs: 1e-12 });
checkAllClose("TF-IDF: lib/text/vectorizers.ts = scikit-learn within 1e-12, on the training and on unseen documents", [libTfidf.transform(toyDocuments), libTfidf.transform(skTfidf.corpus.test)], [skTfidf.result.train, skTfidf.result.test], { abs: 1e-12 });
checkClose("one entry by hand: \"cat\" in document 0 = (ln 2 + 1) / ‖row 0‖", handTfidf[0]![toyTerms.indexOf("cat")]!, (Math.log(2) + 1) / Math.hypot(...handCounts[0]!.map((c, j) => c * handIdf[j]!)), { rel: 1e-15 });

const tfidfFrame = new dfd.DataFrame(handTfidf.map((row) => row.map((v) => Number(v.toFixed(3)))), { columns: toyTerms, index: toyDocuments });
showTable(tfidfFrame, { caption: "TF-IDF of the three documents (rows L2-normalised); idf is largest for words in one document only" });

// %% [markdown]
// Why these are not word embeddings, in numbers: in a bag-of-words, word j *is* the unit vector eⱼ, so every two
// different words have cosine 0, whatever they mean, and a vector has as many entries as the vocabulary.

// %%
const oneHot = (term: string) => toyTerms.map((t) => (t === term ? 1 : 0));
const bowSimilarities = [["cat", "cats"], ["cat", "dog"], ["cat", "log"]].map(([a, b]) => ({ pair: `${a} / ${b}`, "BoW cosine": cosineSimilarity(oneHot(a!), oneHot(b!)) }));
showTable(bowSimilarities, { caption: "In bag-of-words space no two words are similar" });
check("BoW: 'cat' is as far from 'cats' and 'dog' as from 'log' (all cosines 0)", bowSimilarities.every((row) => row["BoW cosine"] === 0));
const zeroShare = handCounts.flat().filter((c) => c === 0).length / handCounts.flat().length;
console.log(`dimension = vocabulary size = ${toyTerms.length}; ${(100 * zeroShare).toFixed(0)} % of the entries are 0 even on 3 tiny documents (a real vocabulary of 50,000 words leaves > 99.9 % zeros)`);

// %% [markdown]
// ## 3. S1-Q17 · How do you implement word embeddings? Skip-gram with negative sampling
//
// **Question.** How do you implement word embeddings? (如何实现词嵌入（Word Embedding）？)
//
// **Short answer.** Train word2vec. Each word w has an input vector v_w (its embedding) and an output vector
// u_w. **Skip-gram** takes each centre word c and each word o within a window of it and raises the probability
// that o appears near c; **CBOW** averages the context vectors and predicts the centre word from them (faster;
// skip-gram is better for rare words). A softmax over the whole vocabulary is too expensive, so **negative
// sampling** turns it into k + 1 binary questions: "is o a real context of c?" (yes) and "is nᵢ?" (no) for k
// words drawn from the unigram distribution raised to ¾:
//
// L = −log σ(u_o·v_c) − Σᵢ log σ(−u_{nᵢ}·v_c).
//
// Its gradient is short: with σ_o = σ(u_o·v_c) and σᵢ = σ(u_{nᵢ}·v_c),
// ∂L/∂v_c = (σ_o − 1)·u_o + Σᵢ σᵢ·u_{nᵢ}, ∂L/∂u_o = (σ_o − 1)·v_c, ∂L/∂u_{nᵢ} = σᵢ·v_c.
// **What the seed gets wrong:** it lists bag-of-words as an embedding method, describes CBOW as predicting "the
// centre word's vector" (CBOW predicts the centre *word*, a class over the vocabulary; the vectors are the
// parameters, not the target), describes word2vec as a separate model that "predicts the centre word's vector"
// (word2vec *is* CBOW and skip-gram; skip-gram predicts the *context* from the centre), and again says
// "high-dimensional".
//
// The loss and gradient of one example, written out, then checked against central differences
// (`lib/math/gradcheck.ts`) and against `sgnsLossAndGradients` of `lib/ml/skipgram.ts`, the module that trains.

// %%
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const dotProduct = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
/** SGNS loss of one (centre v, context uContext, negatives uNegatives) example and its gradient. */
function sgnsExample(v: number[], uContext: number[], uNegatives: number[][]) {
  const positive = sigmoid(dotProduct(uContext, v));
  const negative = uNegatives.map((u) => sigmoid(dotProduct(u, v)));
  const loss = -Math.log(positive) - negative.reduce((s, p) => s + Math.log(1 - p), 0);
  const gradV = v.map((_, j) => (positive - 1) * uContext[j]! + uNegatives.reduce((s, u, k) => s + negative[k]! * u[j]!, 0));
  const gradContext = v.map((x) => (positive - 1) * x);
  const gradNegatives = negative.map((p) => v.map((x) => p * x));
  return { loss, gradient: [...gradV, ...gradContext, ...gradNegatives.flat()] };
}

const rng = new Random(17);
const DIM = 6, NEGATIVES = 4;
const exampleParams = rng.array(DIM * (NEGATIVES + 2), (r) => r.normal(0, 0.7));
const unpack = (p: number[]) => ({ v: p.slice(0, DIM), u: p.slice(DIM, 2 * DIM), negatives: Array.from({ length: NEGATIVES }, (_, k) => p.slice((2 + k) * DIM, (3 + k) * DIM)) });
const exampleParts = unpack(exampleParams);
const handExample = sgnsExample(exampleParts.v, exampleParts.u, exampleParts.negatives);
const numericGradient = numericalGradient((p) => { const parts = unpack(p); return sgnsExample(parts.v, parts.u, parts.negatives).loss; }, exampleParams);
const gradientError = gradientRelativeError(handExample.gradient, numericGradient);
console.log(`loss ${handExample.loss.toFixed(4)}; relative error of the hand gradient vs finite differences: ${gradientError.toExponential(1)}`);
check("SGNS gradient (all 36 numbers) = central differences, relative error < 1e-7", gradientError < 1e-7, { gradientError });
const libExample = sgnsLossAndGradients(exampleParts.v, exampleParts.u, exampleParts.negatives);
checkAllClose("the hand loss and gradient = lib/ml/skipgram.ts's sgnsLossAndGradients", [handExample.loss, ...handExample.gradient], [libExample.loss, ...libExample.center, ...libExample.context, ...libExample.negatives.flat()], { abs: 1e-12 });

// %% [markdown]
// **Training on planted synonyms.** `makeSynonymCorpus` (`lib/text/corpora.ts`) writes sentences in which six
// classes of four words (animals, colours, vehicles, fruit, numbers, weather) are interchangeable: a word of
// a class appears in that class's sentence frames and nowhere else ("the {w} ate its food", "she painted the
// wall {w}"), while function words ("the", "a", "in") are shared by all, as in real text. Nothing tells the
// model the classes; if skip-gram learns from context, the four words of a class must end up closer to each
// other than to any word of another class. `trainSkipGram` (`lib/ml/skipgram.ts`) is word2vec's algorithm in
// float64: window 2, 5 negatives from unigram^¾, SGD with the learning rate decayed linearly.

// %%
const synonymCorpus = makeSynonymCorpus({ nSentences: 2000, seed: 0 });
const skipGramStarted = performance.now();
const skipGram = trainSkipGram(synonymCorpus.sentences, { dimensions: 16, window: 2, negatives: 5, epochs: 8, seed: 0 });
const skipGramSeconds = (performance.now() - skipGramStarted) / 1000;
const plantedWords = [...synonymCorpus.classOf.keys()];
const classOfWord = (w: string) => synonymCorpus.classOf.get(w);
const skipGramVector = (w: string) => skipGram.vectors[skipGram.index.get(w)!]!;
console.log(`${synonymCorpus.sentences.length} sentences, ${skipGram.vocabulary.length} distinct words → 16-dimensional vectors; 8 epochs in ${skipGramSeconds.toFixed(1)} s`);

const classMargins = plantedWords.map((w) => {
  const classmates = plantedWords.filter((x) => x !== w && classOfWord(x) === classOfWord(w)).map((x) => cosineSimilarity(skipGramVector(w), skipGramVector(x)));
  const outsiders = plantedWords.filter((x) => classOfWord(x) !== classOfWord(w)).map((x) => cosineSimilarity(skipGramVector(w), skipGramVector(x)));
  return { word: w, "least similar classmate": Math.min(...classmates), "most similar outsider": Math.max(...outsiders) };
});
showTable(classMargins.slice(0, 8), { caption: "Cosine of each planted word to its classmates and to the 20 words of other classes (first 8 of 24)", digits: 3 });
check("for every planted word, every classmate is more similar than any word of another class", classMargins.every((row) => row["least similar classmate"] > row["most similar outsider"]), { smallestMargin: Math.min(...classMargins.map((row) => row["least similar classmate"] - row["most similar outsider"])) });
const lossDrops = skipGram.epochLosses.slice(1).map((loss, i) => skipGram.epochLosses[i]! - loss);
console.log(`mean loss per (centre, context) example, epochs 1–8: ${skipGram.epochLosses.map((l) => l.toFixed(3)).join(", ")}`);
check("the training loss (the mean over each epoch, a smoothed curve) falls every epoch", lossDrops.every((drop) => drop > 0), { losses: skipGram.epochLosses });

// %% [markdown]
// **Calibration.** Over corpus and training seeds 0–4 (same sizes), the smallest margin (least similar classmate −
// most similar outsider, over all 24 words) was 0.40–0.46, and the epoch loss fell every epoch on every seed.
// A negative-sampling table built wrongly (drawing negatives from the wrong distribution) collapses all vectors
// to one direction, cosine ≈ 1 everywhere, and fails the first check; the unit test of `lib/ml/skipgram.ts`
// catches the same.
//
// **Pictures.** A 2-D PCA of the 24 planted words' vectors (directions of largest variance, computed with the
// SVD of the centred matrix), and the cosine matrix of two words per class: blocks on the diagonal are the
// classes. The PCA loses most of 16 dimensions, so classes may overlap there that are separated in the cosine.

// %%
const centred = (rows: number[][]) => {
  const mean = rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  return rows.map((r) => r.map((v, j) => v - mean[j]!));
};
const plantedMatrix = centred(plantedWords.map(skipGramVector));
const pcaParts = svd(plantedMatrix);
const pcaCoordinates = pcaParts.u.map((row) => [row[0]! * pcaParts.s[0]!, row[1]! * pcaParts.s[1]!]);
const varianceShare = (pcaParts.s[0]! ** 2 + pcaParts.s[1]! ** 2) / pcaParts.s.reduce((s, v) => s + v * v, 0);
const classNames = Object.keys(synonymCorpus.classes);
const pcaFigure: Figure = {
  data: classNames.map((name) => {
    const members = plantedWords.map((w, i) => ({ w: w, i: i })).filter(({ w }) => classOfWord(w) === name);
    return { type: "scatter", mode: "text+markers", name: name, x: members.map(({ i }) => pcaCoordinates[i]![0]!), y: members.map(({ i }) => pcaCoordinates[i]![1]!), text: members.map(({ w }) => w), textposition: "top center" };
  }),
  layout: { title: { text: `Skip-gram vectors of the planted words, 2-D PCA (${(100 * varianceShare).toFixed(0)} % of the variance)` }, xaxis: { title: { text: "principal component 1 (embedding units)" } }, yaxis: { title: { text: "principal component 2" } } },
};
await showFigure(pcaFigure);

const heatmapWords = classNames.flatMap((name) => synonymCorpus.classes[name]!.slice(0, 2));
const heatmapValues = cosineSimilarityMatrix(heatmapWords.map(skipGramVector)).map((row) => row.map((v) => Number(v.toFixed(2))));
await showFigure(heatmapFigure(heatmapValues, { title: "Cosine similarity of skip-gram vectors", xLabels: heatmapWords, yLabels: heatmapWords, xTitle: "word", yTitle: "word" }));

// %% [markdown]
// ## 4. Cosine similarity, and what it guarantees
//
// cos(a, b) = a·b / (‖a‖‖b‖) is the angle between two vectors, blind to their lengths (a frequent word tends to
// get a long vector; its meaning is in the direction). Three properties any implementation must have, checked on
// 2,000 random pairs of random dimension (1–64) and scale: it is **symmetric**, it is **1 for identical** (and
// positively scaled) vectors, and it lies in **[−1, 1]** (Cauchy–Schwarz). And the Keras/tfjs layer the siamese
// model of section 6 uses, `tf.layers.dot({ axes: 1, normalize: true })`, must compute exactly this.

// %%
const randomPairs = Array.from({ length: 2000 }, () => {
  const n = rng.int(1, 65), scale = Math.exp(rng.normal(0, 3));
  return [rng.array(n, (r) => r.normal(0, scale)), rng.array(n, (r) => r.normal(0, 1))] as [number[], number[]];
});
const cosines = randomPairs.map(([a, b]) => cosineSimilarity(a, b));
check("symmetric: cos(a, b) = cos(b, a) exactly, 2,000 random pairs", randomPairs.every(([a, b], i) => cosineSimilarity(b, a) === cosines[i]));
check("identical and positively scaled vectors: cos(a, a) = cos(a, 7.5·a) = 1 within 1e-12", randomPairs.every(([a]) => Math.abs(cosineSimilarity(a, a) - 1) < 1e-12 && Math.abs(cosineSimilarity(a, a.map((v) => 7.5 * v)) - 1) < 1e-12));
check("bounded: −1 ≤ cos ≤ 1, and cos(a, −a) = −1", cosines.every((c) => c >= -1 && c <= 1) && randomPairs.every(([a]) => Math.abs(cosineSimilarity(a, a.map((v) => -v)) + 1) < 1e-12));
const layerPairs = Array.from({ length: 200 }, () => [rng.array(8, (r) => r.normal()), rng.array(8, (r) => r.normal())]);
const layerCosines = tf.tidy(() => (tf.layers.dot({ axes: 1, normalize: true }).apply([tf.tensor2d(layerPairs.map((p) => p[0]!)), tf.tensor2d(layerPairs.map((p) => p[1]!))]) as tf.Tensor).dataSync());
checkAllClose("tf.layers.dot({ axes: 1, normalize: true }) = cosineSimilarity on 200 pairs (float32)", Array.from(layerCosines), layerPairs.map(([a, b]) => cosineSimilarity(a!, b!)), { abs: 1e-5 });

// %% [markdown]
// ## 5. Counting instead of predicting: PPMI + truncated SVD
//
// Skip-gram with negative sampling implicitly factorises a co-occurrence statistic (Levy & Goldberg 2014: the PMI
// matrix shifted by log k); GloVe and PPMI + SVD factorise counts explicitly. So count directly: PPMI(a, b) =
// max(0, log P(a, b)/(P(a)P(b)))
// over words that share a sentence, then keep the top 16 singular directions (`ppmiWordVectors`,
// `lib/ml/word-vectors.ts`, which notebook 15 uses as its pretrained encoder). Two different methods on the same
// corpus should find the same structure. The words of a class are exchangeable by construction, so *which*
// classmate comes out nearest is noise (a one-in-three guess if both methods find the class); the claim is that
// the top-1 neighbour, searched over the whole vocabulary of 114 words, falls in the **same class** for both
// methods, for at least 70 % of the planted words.

// %%
const ppmi = ppmiWordVectors(synonymCorpus.sentences.map((s) => s.join(" ")), 16);
const neighbourRows = plantedWords.map((w) => {
  const bySkipGram = skipGram.vocabulary[nearestNeighbours(skipGram.vectors, skipGram.index.get(w)!, 1)[0]!]!;
  const byPpmi = ppmi.vocabulary[nearestNeighbours(ppmi.vectors, ppmi.index.get(w)!, 1)[0]!]!;
  return { word: w, "skip-gram top-1": bySkipGram, "PPMI + SVD top-1": byPpmi, "same class": classOfWord(bySkipGram) !== undefined && classOfWord(bySkipGram) === classOfWord(byPpmi) };
});
showTable(neighbourRows.slice(0, 8), { caption: "Nearest neighbour (cosine, whole vocabulary) by each method (first 8 of 24)" });
const classAgreement = neighbourRows.filter((row) => row["same class"]).length / neighbourRows.length;
const exactAgreement = neighbourRows.filter((row) => row["skip-gram top-1"] === row["PPMI + SVD top-1"]).length / neighbourRows.length;
console.log(`top-1 neighbour in the same planted class: ${(100 * classAgreement).toFixed(0)} %; the very same word: ${(100 * exactAgreement).toFixed(0)} % (about 33 % expected by chance among 3 exchangeable classmates)`);
check("PPMI + SVD agrees with skip-gram on the top-1 neighbour's class for ≥ 70 % of planted words", classAgreement >= 0.7, { classAgreement });

// %% [markdown]
// Measured over seeds 0–4: class agreement 100 % on every seed; exact-word agreement 46–58 %. Analogies
// ("king − man + woman ≈ queen") need corpora of millions of words and cannot be reproduced at this scale;
// the planted classes are the checkable part of the same idea.
//
// ## 6. S4-C20 · A word-embedding text-similarity model: spot the bug, then a siamese encoder
//
// **Question.** Implement a text-similarity model based on word embeddings. (实现一个基于词嵌入的文本相似度计算模型)
//
// **Short answer.** Two sentences go through **one shared encoder** (siamese): embed the tokens, **pool** over
// the tokens (mean of the embeddings) into one vector per sentence, optionally project, then compare the two
// vectors with the **cosine**. Train on labelled pairs (paraphrase or not) and evaluate the ranking on pairs
// whose phrasings the model has never seen (AUC).
//
// The seed's answer:
//
// ```python
// def create_text_similarity_model(embedding_size, hidden_size):
//     embedding = tf.keras.layers.Embedding(input_vocab_size, embedding_size)
//     dense = tf.keras.layers.Dense(hidden_size, activation='tanh')
//     similarity = tf.keras.layers.Dot(axes=[2, 3])([dense(embedding(input_text1)), dense(embedding(input_text2))])
//     model = tf.keras.Model(inputs=input_text1, outputs=similarity)
//     model.compile(optimizer='adam', loss='mean_squared_error')
//     return model
// ```
//
// **Spot the bug.** (1) `input_vocab_size`, `input_text1`, `input_text2` are never defined: there are no `Input`
// layers. (2) Each branch is rank 3, [batch, tokens, hidden]: `Dot(axes=[2, 3])` names an axis 3 that does not
// exist; `axes=2` would run but give a [tokens × tokens] matrix of word-pair scores, not one similarity per pair.
// The sentences must be **pooled** to [batch, hidden] first and compared with `Dot(axes=1, normalize=True)`
// (the cosine); without pooling or normalisation, longer sentences simply score higher. (3) `Model(inputs=
// input_text1, …)` leaves out the second input, so the graph is disconnected. Sharing `embedding` and `dense`
// across the two branches is right: that is what makes it siamese. The same mistakes in tfjs:

// %%
const TOKENS = 6;
const textA = tf.input({ shape: [TOKENS], dtype: "int32", name: "text_a" });
const textB = tf.input({ shape: [TOKENS], dtype: "int32", name: "text_b" });
const seedEmbedding = tf.layers.embedding({ inputDim: 50, outputDim: 8 });
const seedDense = tf.layers.dense({ units: 4, activation: "tanh" });
const branchA = seedDense.apply(seedEmbedding.apply(textA)) as tf.SymbolicTensor;
const branchB = seedDense.apply(seedEmbedding.apply(textB)) as tf.SymbolicTensor;
const errorOf = (build: () => unknown) => {
  try {
    build();
    return "";
  } catch (error) {
    return (error as Error).message;
  }
};
const axesError = errorOf(() => tf.layers.dot({ axes: [2, 3] }).apply([branchA, branchB]));
const tokenByToken = tf.layers.dot({ axes: 2 }).apply([branchA, branchB]) as tf.SymbolicTensor;
const pooledA = tf.layers.globalAveragePooling1d().apply(branchA) as tf.SymbolicTensor;
const pooledB = tf.layers.globalAveragePooling1d().apply(branchB) as tf.SymbolicTensor;
const fixedSimilarity = tf.layers.dot({ axes: 1, normalize: true }).apply([pooledA, pooledB]) as tf.SymbolicTensor;
const disconnectedError = errorOf(() => tf.model({ inputs: textA, outputs: fixedSimilarity }));
console.log(`branch shape ${JSON.stringify(branchA.shape)}\nDot(axes=[2, 3]): ${axesError}\nDot(axes=2) output shape: ${JSON.stringify(tokenByToken.shape)}\nModel with one input: ${disconnectedError.slice(0, 90)}…`);
check("the seed's Dot(axes=[2, 3]) on rank-3 branches is refused", axesError.length > 0);
check("Dot(axes=2) runs but scores every token pair: output [batch, 6, 6], not [batch, 1]", JSON.stringify(tokenByToken.shape) === JSON.stringify([null, TOKENS, TOKENS]));
check("a model given only the first input is refused as a disconnected graph", /disconnected/i.test(disconnectedError));
const fixedSeedModel = tf.model({ inputs: [textA, textB], outputs: fixedSimilarity });
check("the fix (two inputs, mean pooling, Dot(axes=1, normalize=true)) gives one cosine per pair: output [batch, 1]", JSON.stringify(fixedSeedModel.outputs[0]!.shape) === JSON.stringify([null, 1]));

// %% [markdown]
// **The repaired model, trained.** Data: `makeParaphrasePairs` (`lib/text/corpora.ts`): requests of five intents
// (weather, flight, hotel, restaurant, time) about eight cities; a pair is a paraphrase when intent *and* city
// agree; half the pairs are paraphrases, a quarter change the intent, a quarter the city. Test pairs use a
// phrasing of each intent that **no training pair uses** (made of training words), so a high score means the
// encoder learned which words signal an intent, not the templates.
//
// Mean pooling without padding trouble: the mean of a sentence's word embeddings is its normalised bag of words
// (each word's count / sentence length) times the embedding table, so the first shared layer is a bias-free
// `dense` whose kernel *is* the embedding table. The check below confirms that this equals `tf.gather` of the
// rows and their mean. Then a shared tanh projection, and the cosine, trained by MSE towards the label (the
// seed's loss, which is fine here).

// %%
const paraphrases = makeParaphrasePairs({ nTrain: 2000, nTest: 600, seed: 0 });
const pairTokens = (pairs: SentencePair[]) => pairs.flatMap((p) => [tokenizeWords(p.a), tokenizeWords(p.b)]);
const pairVocabulary = new Vocabulary().fit(pairTokens(paraphrases.train));
/** [sentences][vocabulary] rows: each word's count / the sentence's length, so row · E = the mean embedding. */
const meanPoolingRows = (texts: string[], vocabulary: Vocabulary) => tf.tensor2d(texts.map((text) => {
  const row = new Array<number>(vocabulary.size).fill(0);
  const ids = vocabulary.encode(tokenizeWords(text));
  for (const id of ids) row[id]! += 1 / ids.length;
  return row;
}));
const unknownInTest = pairTokens(paraphrases.test).flat().filter((t) => !pairVocabulary.has(t)).length;
console.log(`${paraphrases.train.length} training pairs, ${paraphrases.test.length} test pairs; vocabulary ${pairVocabulary.size}; held-out phrasings: ${paraphrases.testPhrasings.join(" | ")}`);
check("the test pairs' words are all training words (only the phrasings are new)", unknownInTest === 0);

function buildSiameseEncoder(vocabularySize: number, seed: number) {
  const embedding = tf.layers.dense({ units: 16, useBias: false, name: "embedding", kernelInitializer: tf.initializers.randomNormal({ stddev: 0.3, seed: seed }) });
  const projection = tf.layers.dense({ units: 16, activation: "tanh", name: "projection", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) });
  const encode = (x: tf.SymbolicTensor) => projection.apply(embedding.apply(x)) as tf.SymbolicTensor;
  const inputA = tf.input({ shape: [vocabularySize], name: "sentence_a" });
  const inputB = tf.input({ shape: [vocabularySize], name: "sentence_b" });
  const similarity = tf.layers.dot({ axes: 1, normalize: true }).apply([encode(inputA), encode(inputB)]) as tf.SymbolicTensor;
  const siamese = tf.model({ inputs: [inputA, inputB], outputs: similarity });
  siamese.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError" });
  return { siamese: siamese, encoder: tf.model({ inputs: inputA, outputs: encode(inputA) }), embedding: embedding };
}
const pairTensors = (pairs: SentencePair[], vocabulary: Vocabulary) => [meanPoolingRows(pairs.map((p) => p.a), vocabulary), meanPoolingRows(pairs.map((p) => p.b), vocabulary)];
async function trainSiamese(pairs: SentencePair[], vocabulary: Vocabulary, seed: number, epochs: number) {
  const model = buildSiameseEncoder(vocabulary.size, seed);
  const inputs = pairTensors(pairs, vocabulary);
  const labels = tf.tensor2d(pairs.map((p) => [p.label]));
  const tensorsPerEpoch: number[] = [];
  const history = await model.siamese.fit(inputs, labels, { epochs: epochs, batchSize: 64, shuffle: true, verbose: 0, callbacks: { onEpochEnd: async () => { tensorsPerEpoch.push(tf.memory().numTensors); } } });
  tf.dispose([...inputs, labels]);
  return { ...model, losses: history.history.loss as number[], tensorsPerEpoch: tensorsPerEpoch };
}
const scorePairs = (siamese: tf.LayersModel, pairs: SentencePair[], vocabulary: Vocabulary) => {
  const inputs = pairTensors(pairs, vocabulary);
  const output = siamese.predict(inputs) as tf.Tensor;
  const scores = Array.from(output.dataSync());
  tf.dispose([...inputs, output]);
  return scores;
};
/** The baseline: cosine of TF-IDF vectors fitted on the training sentences (0 when a side has no known word). */
const tfidfCosines = (trainPairs: SentencePair[], pairs: SentencePair[]) => {
  const vectorizer = new TfidfVectorizer().fit(trainPairs.flatMap((p) => [p.a, p.b]));
  return pairs.map((p) => {
    const [a, b] = vectorizer.transform([p.a, p.b]);
    return a!.some((v) => v !== 0) && b!.some((v) => v !== 0) ? cosineSimilarity(a!, b!) : 0;
  });
};

const siameseStarted = performance.now();
const trained = await trainSiamese(paraphrases.train, pairVocabulary, 0, 20);
const siameseSeconds = (performance.now() - siameseStarted) / 1000;
const testLabels = paraphrases.test.map((p) => p.label);
const siameseAuc = rocAucScore(testLabels, scorePairs(trained.siamese, paraphrases.test, pairVocabulary));
const tfidfAuc = rocAucScore(testLabels, tfidfCosines(paraphrases.train, paraphrases.test));
const untrained = buildSiameseEncoder(pairVocabulary.size, 0); // the trained model's starting point
const untrainedAuc = rocAucScore(testLabels, scorePairs(untrained.siamese, paraphrases.test, pairVocabulary));
untrained.siamese.dispose();
console.log(`siamese encoder: ${trained.siamese.countParams()} parameters, 20 epochs in ${siameseSeconds.toFixed(1)} s (${tfSetup.backend}); final training MSE ${trained.losses.at(-1)!.toFixed(3)}`);
showTable([
  { "similarity score": "TF-IDF cosine (no training on labels)", "test AUC": tfidfAuc },
  { "similarity score": "the same encoder, untrained (random embeddings)", "test AUC": untrainedAuc },
  { "similarity score": "siamese mean-pooled encoder, cosine", "test AUC": siameseAuc },
], { caption: "Ranking the 600 held-out pairs: paraphrases above non-paraphrases", digits: 3 });
check("the bar is above both baselines: TF-IDF cosine and the untrained encoder score AUC < 0.85", tfidfAuc < 0.85 && untrainedAuc < 0.85, { tfidfAuc, untrainedAuc });
check("the siamese encoder ranks held-out paraphrases above non-paraphrases: AUC ≥ 0.85", siameseAuc >= 0.85, { siameseAuc });
check("tf.memory().numTensors is flat across the 20 epochs", trained.tensorsPerEpoch.every((n) => n === trained.tensorsPerEpoch[0]), { tensorsPerEpoch: trained.tensorsPerEpoch });

// %% [markdown]
// **Calibration.** Over seeds 0–4 of the pairs and the initialisation, this recipe's test AUC was 0.980–0.999
// (TF-IDF cosine 0.829–0.842; the untrained encoder 0.70–0.77 on seeds 0–2; one epoch of training already 0.94–0.96):
// 0.85 leaves a wide margin below the trained model and sits above both baselines. TF-IDF fails on pairs that share
// most words but differ in the one word that matters ("weather in paris" vs "weather in rome") and on paraphrases
// that share few words; the encoder learns from the labels which words carry the intent and the city.
//
// Two identities of the model, checked on test sentences: the bag-times-table layer is the mean of the gathered
// embedding rows, and the siamese output is the float64 cosine of the two encodings.

// %%
const probePairs = paraphrases.test.slice(0, 5);
const table = trained.embedding.getWeights()[0]!;
const gatheredMeans = tf.tidy(() => tf.stack(probePairs.map((p) => tf.gather(table, pairVocabulary.encode(tokenizeWords(p.a))).mean(0))).arraySync() as number[][]);
const bagTimesTable = tf.tidy(() => tf.matMul(meanPoolingRows(probePairs.map((p) => p.a), pairVocabulary), table).arraySync() as number[][]);
checkAllClose("mean pooling: normalised bag × embedding table = mean of the gathered embedding rows", bagTimesTable, gatheredMeans, { abs: 1e-6 });
const encodingsOf = (texts: string[]) => tf.tidy(() => (trained.encoder.predict(meanPoolingRows(texts, pairVocabulary)) as tf.Tensor).arraySync() as number[][]);
const [encodedA, encodedB] = [encodingsOf(probePairs.map((p) => p.a)), encodingsOf(probePairs.map((p) => p.b))];
checkAllClose("siamese output = cosineSimilarity (float64) of the shared encoder's two outputs", scorePairs(trained.siamese, probePairs, pairVocabulary), encodedA.map((a, i) => cosineSimilarity(a, encodedB[i]!)), { abs: 1e-5 });

// %% [markdown]
// ## 7. Follow-up: word, subword or character tokens?
//
// The trade-off an interviewer asks about next. **Words**: short sequences, but a huge vocabulary (every
// inflection is a new entry) and unknown words at test time, which all collapse to `<unk>`. **Characters**: a tiny
// vocabulary and (almost) no unknowns, but sequences 4–5× longer, and the model must learn spelling before
// meaning. **Subwords** (BPE, WordPiece, unigram LM; `lib/text/bpe.ts` is Sennrich et al.'s BPE): a vocabulary of
// chosen size, frequent words whole and rare ones in pieces (printed below), no unknowns beyond unseen
// characters; every modern LLM uses them. Measured on tinyshakespeare: vocabularies learned on the first 90 %,
// applied to the last 10 %.

// %%
const shakespeare = loadTinyShakespeare();
const cut = Math.floor(0.9 * shakespeare.length);
const [shakespeareTrain, shakespeareTest] = [shakespeare.slice(0, cut), shakespeare.slice(cut)];
const trainWords = tokenizeWords(shakespeareTrain), testWords = tokenizeWords(shakespeareTest);
const wordVocabulary = new Vocabulary().fit([trainWords]);
const charVocabulary = new Vocabulary().fit([tokenizeChars(shakespeareTrain)]);
const bpeStarted = performance.now();
const bpe = learnBpe(trainWords, 300);
const bpeSeconds = (performance.now() - bpeStarted) / 1000;
const bpeSymbols = new Set(bpe.symbols);
const testPieces = testWords.flatMap((w) => bpe.encode(w));
const testChars = tokenizeChars(shakespeareTest);
const unknownShare = (ids: number[]) => ids.filter((id) => id === UNK_ID).length / ids.length;
const tokenisers = [
  { tokens: "words", "vocabulary size": wordVocabulary.size, "held-out tokens": testWords.length, "unknown share (%)": 100 * unknownShare(wordVocabulary.encode(testWords)) },
  { tokens: "BPE subwords (300 merges)", "vocabulary size": bpe.symbols.length, "held-out tokens": testPieces.length, "unknown share (%)": (100 * testPieces.filter((p) => !bpeSymbols.has(p)).length) / testPieces.length },
  { tokens: "characters", "vocabulary size": charVocabulary.size, "held-out tokens": testChars.length, "unknown share (%)": 100 * unknownShare(charVocabulary.encode(testChars)) },
];
console.log(`BPE learned in ${bpeSeconds.toFixed(1)} s; "unkindest" → ${JSON.stringify(bpe.encode("unkindest"))}; "tyrannous" → ${JSON.stringify(bpe.encode("tyrannous"))}`);
showTable(tokenisers, { caption: `tinyshakespeare: learned on ${trainWords.length.toLocaleString("en")} training words, applied to the last 10 % of the text`, digits: 3 });
const [wordRow, bpeRow, charRow] = tokenisers;
check("vocabulary size: words > subwords > characters", wordRow!["vocabulary size"] > bpeRow!["vocabulary size"] && bpeRow!["vocabulary size"] > charRow!["vocabulary size"]);
check("sequence length: characters > subwords > words", charRow!["held-out tokens"] > bpeRow!["held-out tokens"] && bpeRow!["held-out tokens"] > wordRow!["held-out tokens"]);
check("unknown tokens: words > 1 %, subwords and characters 0 on the held-out text", wordRow!["unknown share (%)"] > 1 && bpeRow!["unknown share (%)"] === 0 && charRow!["unknown share (%)"] === 0, { unknownShares: tokenisers.map((row) => row["unknown share (%)"]) });

// %% [markdown]
// Characters have no unknowns here only because the held-out text uses no new character. A character never seen
// in training (an accent, an emoji) is `<unk>` for a character vocabulary and for BPE built on characters.
// **Byte-level** BPE (GPT-2) starts from the 256 byte values of UTF-8 instead, so *nothing* can be unknown:

// %%
const foreignText = "naïve café 😀";
const unseenCharacters = tokenizeChars(foreignText).filter((c) => !charVocabulary.has(c));
const utf8Bytes = Array.from(new TextEncoder().encode(foreignText));
console.log(`characters never seen in tinyshakespeare: ${JSON.stringify(unseenCharacters)}; the same text is ${utf8Bytes.length} UTF-8 bytes`);
check("the character vocabulary has unknowns on new characters; every UTF-8 byte is one of 256 known symbols", unseenCharacters.length > 0 && utf8Bytes.every((b) => Number.isInteger(b) && b >= 0 && b < 256));

// %% [markdown]
// ## Recap
//
// * NLP = text → tokens → ids → vectors → model. The choice of token (word, subword, character) trades vocabulary
//   size against sequence length and unknown words; subwords are the usual answer, byte-level ones never see an
//   unknown.
// * Bag-of-words and TF-IDF are sparse *document* vectors, one entry per vocabulary word; they equal scikit-learn
//   here to 1e-12, and they say nothing about which words are alike. They are not word embeddings.
// * Word embeddings are dense and low-dimensional (16 numbers here for 114 words; 100–300 for 10⁵ words). word2vec:
//   skip-gram predicts the context from the centre word, CBOW the centre word from the averaged context; negative
//   sampling replaces the softmax by k + 1 logistic questions. Trained on planted synonyms, every class came out
//   together; counting (PPMI + SVD) found the same classes.
// * Compare vectors by cosine (symmetric, 1 for identical directions, in [−1, 1]). A similarity model is siamese:
//   one shared encoder, pooled over tokens, then the cosine: Dot(axes=1, normalize=true) on [batch, hidden], not
//   Dot(axes=[2, 3]) on [batch, tokens, hidden]. On held-out phrasings it beat TF-IDF clearly.
//
// ## Exercises
//
// 1. **Spot the bug (S1-Q17 and S3-Q5, the texts).** The seeds list as word-embedding methods: "bag-of-words: text
//    as a frequency vector", "TF-IDF", "CBOW: predicts the centre word's vector from the context", "Word2Vec: learns
//    word vectors by predicting the centre word's vector", and call embeddings "high-dimensional dense vectors".
//    Correct each line, and give the dimensions of section 3's embedding against its vocabulary.
// 2. **CBOW with negative sampling.** CBOW averages the input vectors of the 2·window context words into h and
//    scores the centre word: L = −log σ(u_c·h) − Σᵢ log σ(−u_{nᵢ}·h). Write its gradient with respect to each
//    context word's input vector and check it against finite differences. (Hint: `sgnsLossAndGradients` with h in
//    place of v_c gives ∂L/∂h.)
// 3. **Why TF-IDF still wins on small data.** Train the siamese encoder of section 6 on only 40 training pairs
//    (`makeParaphrasePairs({ nTrain: 40, … })`, seeds 0–4) and compare its test AUC with TF-IDF cosine fitted on
//    the same 40 pairs. Which wins, and why?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** Bag-of-words and TF-IDF are not word embeddings: they represent a *document* by a sparse vector with one
// entry per vocabulary word (counts, or counts × idf), and in that space every two words are orthogonal (section 2).
// CBOW predicts the centre **word** (a softmax, or negative sampling, over the vocabulary) from the average of the
// context words' vectors; the vectors are what is learned, not the target. "Word2Vec" is not a third method beside
// CBOW: it is the family {CBOW, skip-gram}, and skip-gram predicts the **context words from the centre word**. GloVe
// (the fourth item) is right in spirit: a weighted least-squares factorisation of log co-occurrence counts, close
// to section 5's PPMI + SVD. And embeddings are *low*-dimensional: d is far below the vocabulary size.

// %% tags=["solution"]
console.log(`section 3: ${skipGram.vocabulary.length} words, each a ${skipGram.vectors[0]!.length}-dimensional dense vector (a one-hot or BoW axis per word would need ${skipGram.vocabulary.length})`);
check("the embedding has fewer dimensions than the vocabulary has words", skipGram.vectors[0]!.length < skipGram.vocabulary.length);

// %% [markdown] tags=["solution"]
// **2.** h = (1/C) Σⱼ v_j over the C context words, so by the chain rule ∂L/∂v_j = (1/C)·∂L/∂h for every context
// word, where ∂L/∂h = (σ(u_c·h) − 1)·u_c + Σᵢ σ(u_{nᵢ}·h)·u_{nᵢ}, exactly skip-gram's ∂L/∂v_c with h in place of v_c.

// %% tags=["solution"]
const CONTEXT = 4;
const cbowParams = rng.array(DIM * (CONTEXT + 1 + NEGATIVES), (r) => r.normal(0, 0.7));
const cbowParts = (p: number[]) => ({
  contexts: Array.from({ length: CONTEXT }, (_, j) => p.slice(j * DIM, (j + 1) * DIM)),
  center: p.slice(CONTEXT * DIM, (CONTEXT + 1) * DIM),
  negatives: Array.from({ length: NEGATIVES }, (_, k) => p.slice((CONTEXT + 1 + k) * DIM, (CONTEXT + 2 + k) * DIM)),
});
const averaged = (vectors: number[][]) => vectors[0]!.map((_, d) => vectors.reduce((s, v) => s + v[d]!, 0) / vectors.length);
const cbowLoss = (p: number[]) => { const parts = cbowParts(p); return sgnsLossAndGradients(averaged(parts.contexts), parts.center, parts.negatives).loss; };
const cbowAtStart = cbowParts(cbowParams);
const gradientOfH = sgnsLossAndGradients(averaged(cbowAtStart.contexts), cbowAtStart.center, cbowAtStart.negatives).center;
const cbowContextGradient = cbowAtStart.contexts.flatMap(() => gradientOfH.map((g) => g / CONTEXT));
const cbowNumeric = numericalGradient(cbowLoss, cbowParams).slice(0, CONTEXT * DIM);
check("CBOW: ∂L/∂v_j = ∂L/∂h / C for each of the 4 context words = central differences (relative error < 1e-7)", gradientRelativeError(cbowContextGradient, cbowNumeric) < 1e-7);

// %% [markdown] tags=["solution"]
// **3.** With 40 pairs TF-IDF wins: it needs no labels (only word statistics), so it cannot overfit, while the
// encoder has about a thousand parameters, sees each word in a handful of pairs, and learns the 40 pairs rather
// than what makes two requests alike. It also meets more unknown words at test time. With 2,000 pairs (section 6)
// the order reverses. One seed can go either way at this size, so the check compares the means over five. On small data, start from TF-IDF (or from embeddings
// pretrained elsewhere) and fine-tune only when labelled data grows.

// %% tags=["solution"]
const smallDataRows: { seed: number; "siamese AUC": number; "TF-IDF AUC": number }[] = [];
for (const seed of [0, 1, 2, 3, 4]) {
  const fewPairs = makeParaphrasePairs({ nTrain: 40, nTest: 600, seed: seed });
  const fewVocabulary = new Vocabulary().fit(pairTokens(fewPairs.train)); // test words absent from the 40 pairs become <unk>
  const fewModel = await trainSiamese(fewPairs.train, fewVocabulary, seed, 20);
  const fewLabels = fewPairs.test.map((p) => p.label);
  smallDataRows.push({ seed: seed, "siamese AUC": rocAucScore(fewLabels, scorePairs(fewModel.siamese, fewPairs.test, fewVocabulary)), "TF-IDF AUC": rocAucScore(fewLabels, tfidfCosines(fewPairs.train, fewPairs.test)) });
  fewModel.siamese.dispose();
}
showTable(smallDataRows, { caption: "40 training pairs, 600 held-out pairs, seeds 0–4", digits: 3 });
const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const [fewSiameseMean, fewTfidfMean] = [meanOf(smallDataRows.map((row) => row["siamese AUC"])), meanOf(smallDataRows.map((row) => row["TF-IDF AUC"]))];
check("with 40 training pairs TF-IDF cosine ranks the held-out pairs better than the trained encoder, on average over 5 seeds", fewTfidfMean > fewSiameseMean, { fewSiameseMean, fewTfidfMean });
