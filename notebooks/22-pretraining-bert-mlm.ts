// %% [markdown]
// # 22 · Pre-training: BERT and the masked-language-model task
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S1-Q18 | What is pre-training? | 什么是预训练（Pre-training）？ |
// | S2-Q4 | Explain BERT's structure and how it works | 讲解BERT模型的结构和工作原理 |
// | S2-Q7 | Explain BERT's masked-language-model task | 讲解BERT中的Masked Language Model（MLM）任务 |
// | S3-Q8 | How do you use pretrained language models in NLP? | 如何在NLP中使用预训练语言模型？ |
//
// **The short answer an interviewer wants.** Pre-training trains a large network on a **self-supervised** objective
// over unlabelled text (the text is its own label), so that a task with few labels can start from its weights instead
// of from random ones. BERT is a stack of **Transformer encoder** blocks (bidirectional self-attention, no causal
// mask) over WordPiece tokens laid out as `[CLS] A [SEP] B [SEP]`, each input vector the sum of a token, a
// **segment** (A/B) and a position embedding. It is pre-trained with **masked language modelling**: 15 % of the
// tokens are selected, of those 80 % replaced by `[MASK]`, 10 % by a random token, 10 % left as they are, and the
// model predicts the original token at the selected positions only (the original BERT added next-sentence prediction,
// which RoBERTa showed can be dropped). Then it is **fine-tuned**: a small head on the `[CLS]` (or mean-pooled) vector
// or on every token, trained with the whole network on the labelled task (notebook 23).
//
// BERT-base has 110 M parameters (12 layers, d = 768, 12 heads, 30,522 WordPiece tokens) and was pre-trained on
// 3.3 B words (BooksCorpus and English Wikipedia) for 1 M steps of 256 sequences of 512 tokens. No such weights can be
// downloaded here, so everything below is a **miniature of the same mechanism** built in this repository: a WordPiece
// vocabulary of 1,024 pieces and a 2-layer, d = 64 encoder (≈ 138 k parameters) pre-trained with MLM on Shakespeare
// for 600 steps (about a minute) by `scripts/data/pretrain-tiny-bert.ts`, shipped in `data/pretrained/tiny-bert-mlm/`
// and rebuilt bit for bit in CI. It shows every mechanism and measures that pre-training learned something a
// frequency count cannot; it cannot show BERT-level language knowledge.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkClose } from "./lib/check";
import { loadTinyShakespeare } from "./lib/data";
import { WordPieceTokenizer, preTokenize, MASK_ID, PAD_ID, UNK_ID } from "./lib/text/wordpiece";
import { maskTokens } from "./lib/text/mlm-masking";
import { bertInputs, bertInputTensors, loadPretrainedBert, mlmHeadLayers } from "./lib/attention/bert";
import { SPECIAL_IDS, BERT_MASKING, evaluateMlm, heldOutMaskedBatch, splitCorpus, unigramBaseline } from "./lib/attention/mlm-pretraining";
import { cosineSimilarity } from "./lib/math/similarity";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %% [markdown]
// ## 1. S1-Q18 · What pre-training is
//
// **Question.** What is pre-training? (什么是预训练（Pre-training）？)
//
// **Short answer.** Training a model on a large, cheap, general source task before training it on the task you
// care about. For language the source task is **self-supervised**: predict hidden parts of raw text from the rest,
// masked tokens for encoders (BERT), the next token for decoders (GPT), corrupted spans for encoder–decoders (T5).
// Nothing is labelled by hand, so the corpus can be billions of words. The weights then start the downstream
// training (**fine-tuning**), or serve as a fixed feature extractor. It helps most when labels are few (notebook 23
// measures it), because the network already encodes word meaning, syntax and co-occurrence.
//
// **What the seed gets wrong.** It says pre-training learns "language features" and stops there. Pre-training is
// not specific to language (ImageNet CNNs are the classic case, notebook 15), and what matters is the
// **objective**, which the seed never names, and the **transfer**: a pre-trained model is only useful because its
// weights initialise another task.
//
// The source task here is MLM on Shakespeare. The corpus is cut at a line break after 90 % of its characters.
// The first part trains the tokenizer and the model, and the rest is held out. Every score below is measured on the
// held-out text.

// %%
const bert = await loadPretrainedBert("tiny-bert-mlm");
const recipe = bert.recipe;
const recipeData = recipe.data as { heldOutFraction: number; train: { tokens: number }; heldOut: { tokens: number } };
const recipeResults = recipe.results as {
  heldOut: { accuracy: number; loss: number; windows: number; length: number; maskSeed: number };
  lossCurve: { step: number; loss: number }[];
};
const corpus = loadTinyShakespeare();
const { train: trainText, heldOut: heldOutText } = splitCorpus(corpus, recipeData.heldOutFraction);
console.log(`${corpus.length} characters: ${trainText.length} to train, ${heldOutText.length} held out; held-out text starts ${JSON.stringify(heldOutText.slice(0, 60))}`);

// %% [markdown]
// ## 2. S2-Q4 · BERT's structure, part 1: WordPiece tokens
//
// **Question.** Explain BERT's structure and how it works. (讲解BERT模型的结构和工作原理)
//
// **Short answer.** Input: WordPiece subword tokens, `[CLS] A [SEP] B [SEP]`, each embedded as token + segment +
// position vectors, then LayerNorm. Body: N Transformer **encoder** blocks (multi-head self-attention over all
// positions, with only the padding masked, then a feed-forward layer, each with a residual connection and LayerNorm).
// Output: one contextual vector per token. Pre-training heads: MLM (a dense layer and the token-embedding matrix
// transposed, giving vocabulary logits at each position) and, in the original, next-sentence prediction on `[CLS]`.
// "Bidirectional" means every token's vector depends on both its left and its right context, which a left-to-right
// language model cannot give. **What the seed omits:** `[CLS]`/`[SEP]`, segment embeddings, WordPiece, NSP, and that
// BERT is encoder-only. Its code does not run (`input_ids` is never made) and treats `pooler_output` as "the sentence
// vector" (exercise 2).
//
// **WordPiece** (`lib/text/wordpiece.ts`) learns a subword vocabulary from the corpus: start from characters, then
// repeatedly merge the most frequent adjacent pair, marking pieces that continue a word with `##`. It encodes each
// word greedily, taking the longest vocabulary piece from its start. Frequent words become one token, and rare ones
// split into known pieces. A word never seen in training still encodes, so `[UNK]` is left for characters never
// seen. Our pre-tokeniser keeps a word's leading space as the marker `▁` (as SentencePiece does) and keeps case,
// so decoding gives back the text exactly. BERT's uncased tokenizer lowercases and loses spacing.
//
// Training the tokenizer again on the training text must give the shipped vocabulary: the training is deterministic.

// %%
const VOCABULARY_SIZE = bert.tokenizer.size;
const tokenizer = WordPieceTokenizer.train(trainText, { vocabularySize: VOCABULARY_SIZE });
check("the WordPiece vocabulary trained here equals the artefact's vocab.json", JSON.stringify(tokenizer.vocabulary) === JSON.stringify(bert.tokenizer.vocabulary), { size: VOCABULARY_SIZE });
const sample = "Thou art a kingdom, unkindest Romeo!";
const sampleEncoding = tokenizer.encode(sample);
showTable(sampleEncoding.tokens.map((token, i) => ({ token: token, id: sampleEncoding.ids[i]!, offsets: `[${sampleEncoding.offsets[i]!.join(", ")})`, text: sample.slice(...sampleEncoding.offsets[i]!) })), { caption: `"${sample}" as WordPiece tokens` });

// %% [markdown]
// The claims, on the held-out text: every line round-trips exactly, no `[UNK]` appears (every held-out character was
// seen in training), and a word costs far fewer tokens than characters. The plot shows the trade-off the vocabulary
// size controls. With 256 pieces (about the alphabet) WordPiece is nearly character-level, and every merge after that
// shortens the sequences, at the price of a bigger embedding table. A vocabulary trained to 4,096 pieces holds the
// smaller ones as prefixes (merges are learned in order), so one training gives the whole curve.

// %%
const heldOutLines = heldOutText.split("\n").filter((line) => line.length > 0);
const roundTrips = heldOutLines.filter((line) => tokenizer.decode(tokenizer.encode(line).ids) === line).length;
const heldOutEncoding = tokenizer.encode(heldOutText);
check(`every held-out line round-trips: decode(encode(s)) === s (${heldOutLines.length} lines)`, roundTrips === heldOutLines.length, { roundTrips, lines: heldOutLines.length });
check("no [UNK] in the held-out text", !heldOutEncoding.ids.includes(UNK_ID));
const heldOutWords = preTokenize(heldOutText).filter((p) => /\p{L}/u.test(p.word)).map((p) => heldOutText.slice(p.start, p.end));
const tokensPerWord = (t: WordPieceTokenizer) => heldOutWords.reduce((sum, word) => sum + t.encode(word).ids.length, 0) / heldOutWords.length;
const charactersPerWord = heldOutWords.reduce((sum, word) => sum + word.trim().length, 0) / heldOutWords.length;
const ourTokensPerWord = tokensPerWord(tokenizer);
console.log(`held-out words: ${heldOutWords.length}; ${ourTokensPerWord.toFixed(3)} tokens per word with ${VOCABULARY_SIZE} pieces, ${charactersPerWord.toFixed(3)} characters per word`);
check("WordPiece needs under half as many tokens per word as characters", ourTokensPerWord < 0.5 * charactersPerWord, { tokensPerWord: ourTokensPerWord, charactersPerWord });

// %%
const bigVocabulary = WordPieceTokenizer.train(trainText, { vocabularySize: 4096 }).vocabulary;
check("the smaller vocabulary is a prefix of the bigger one (merges are learned in order)", JSON.stringify(bigVocabulary.slice(0, VOCABULARY_SIZE)) === JSON.stringify(tokenizer.vocabulary));
const vocabularySizes = [160, 256, 512, 1024, 2048, 3072, 4096];
const costs = vocabularySizes.map((size) => tokensPerWord(new WordPieceTokenizer(bigVocabulary.slice(0, size))));
await showFigure(lineFigure([
  { name: "WordPiece tokens per word", x: vocabularySizes, y: costs },
  { name: "characters per word", x: [vocabularySizes[0]!, vocabularySizes.at(-1)!], y: [charactersPerWord, charactersPerWord] },
], { title: "Held-out Shakespeare: sequence length per word against vocabulary size", xTitle: "vocabulary size (pieces)", yTitle: "tokens per word" }));
check("more pieces, fewer tokens per word: the curve falls at every size", costs.every((c, i) => i === 0 || c < costs[i - 1]!), { costs });
showTable(vocabularySizes.map((size, i) => ({ vocabulary: size, "tokens per word": costs[i]! })), { caption: "Tokens per held-out word", digits: 3 });

// %% [markdown]
// The catalog's target for this corpus was ≤ 1.5 tokens per word with about 2,000 pieces. This lossless, cased
// vocabulary needs about 3,000 for that (table), because it holds `King`, `king` and `▁king` as separate pieces, where
// an uncased BERT vocabulary needs only `king`. The shipped model uses 1,024 pieces to keep its embedding table
// (1,024 × 64 floats, 256 KB) within the artefact's size budget.
//
// ## 3. S2-Q4 · BERT's structure, part 2: `[CLS] A [SEP] B [SEP]`, segments and the padding mask
//
// Every input is one or two texts: `[CLS]`, the tokens of A, `[SEP]`, then those of B and a second `[SEP]`, padded
// with `[PAD]` (id 0) to a common length. The **segment id** is 0 for `[CLS]`, A and its `[SEP]`, and 1 for B and its
// `[SEP]`. The **attention mask** is 1 on real tokens and 0 on padding. Inside every attention layer, keys where it
// is 0 get weight exactly 0 (`lib/attention/attention.ts`). `bertInputs` (`lib/attention/bert.ts`) makes all of it,
// with the character offsets of each token in its own text. Notebook 23 needs these offsets for extractive
// question answering.

// %%
const pairA = "Where is the king?";
const pairB = "He is in the tower.";
const pair = bertInputs(tokenizer, pairA, pairB, 16);
showTable(pair.tokens.map((token, i) => ({ position: i, token: token, id: pair.ids[i]!, segment: pair.segmentIds[i]!, mask: pair.mask[i]!, offsets: pair.offsets[i] ? `[${pair.offsets[i]!.join(", ")})` : "" })), { caption: "bertInputs(tokenizer, A, B, 16)" });
const tokensA = tokenizer.encode(pairA).ids, tokensB = tokenizer.encode(pairB).ids;
const realLength = 3 + tokensA.length + tokensB.length;
// The fixture written out by hand from the two encodings: where each special token, segment and pad must be.
const expectedIds = [2, ...tokensA, 3, ...tokensB, 3, ...new Array<number>(16 - realLength).fill(PAD_ID)];
const expectedSegments = [...new Array<number>(tokensA.length + 2).fill(0), ...new Array<number>(tokensB.length + 1).fill(1), ...new Array<number>(16 - realLength).fill(0)];
check("ids = [CLS] A [SEP] B [SEP] [PAD]…", JSON.stringify(pair.ids) === JSON.stringify(expectedIds));
check("segment ids: 0 up to and including the first [SEP], 1 for B and its [SEP], 0 on padding", JSON.stringify(pair.segmentIds) === JSON.stringify(expectedSegments));
check("mask: 1 on the real tokens, 0 on the padding", pair.mask.every((m, i) => m === (i < realLength ? 1 : 0)));
check("each token's offsets select its text in A or B", pair.offsets.every((o, i) => o === null || (pair.sequenceIds[i] === 0 ? pairA : pairB).slice(...o) === pair.tokens[i]!.replace(/^(##|▁)/, "")));

// %% [markdown]
// The mask must make padding invisible. The encoder's vectors for the real tokens must not change when more padding
// follows, or when the padding carries other segment ids. That is the independent truth: the same sentence, run
// without any padding at all.

// %%
const hiddenOf = (input: ReturnType<typeof bertInputs>) => tf.tidy(() => {
  const [ids, segments] = bertInputTensors([input]);
  return (bert.encoder.predict([ids, segments]) as tf.Tensor).arraySync() as number[][][];
})[0]!;
const unpadded = hiddenOf(bertInputs(tokenizer, pairA, pairB, realLength));
const padded = hiddenOf(bertInputs(tokenizer, pairA, pairB, 40));
const paddedOtherSegments = hiddenOf({ ...pair, segmentIds: pair.segmentIds.map((s, i) => (pair.mask[i] ? s : 1)) });
const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.slice(0, realLength).flatMap((row, t) => row.map((v, j) => Math.abs(v - b[t]![j]!))));
check("real tokens' vectors are the same with 0 or 24 pads (max |Δ| < 1e-5)", maxDifference(unpadded, padded) < 1e-5, { maxDifference: maxDifference(unpadded, padded) });
check("…and whatever segment ids the padding holds (max |Δ| < 1e-5)", maxDifference(unpadded, paddedOtherSegments) < 1e-5, { maxDifference: maxDifference(unpadded, paddedOtherSegments) });

// %% [markdown]
// ## 4. S2-Q4 · BERT's structure, part 3: the encoder and its size
//
// The shipped encoder, built by `bertEncoder` and `bertMlmModel` (`lib/attention/bert.ts`):
// token embedding (1,024 × 64, tied to the MLM output layer as in BERT) + segment embedding (2 × 64) → LayerNorm →
// 2 Transformer encoder blocks (4 heads, feed-forward 128, GELU) → LayerNorm. Then the MLM head:
// Dense(64, GELU) → LayerNorm → the embedding matrix transposed → + a bias per vocabulary entry.
//
// Two measured departures from BERT-base, both recorded in the recipe. The blocks are **pre-norm** (y = x + MHA(LN(x)),
// as GPT-2 and most later models), where BERT has post-norm (y = LN(x + MHA(x))). Positions are **rotary** (RoPE on
// queries and keys, as in RoFormer), where BERT has a learned table. With 600 steps, BERT's exact recipe stayed on the
// unigram plateau: 9.1 % held-out accuracy with post-norm and a learned table, 10.6 % with pre-norm and a learned table,
// against 20.8 % with pre-norm and RoPE (seed 0). A learned position table starts as noise, and the model must first
// learn what "next to me" means before context can help. BERT-base could afford its 10,000 warm-up steps. We cannot.

// %%
const config = bert.config;
const headParameters = mlmHeadLayers(bert.mlm).reduce((sum, layer) => sum + (layer.name.endsWith("token_embedding") ? 0 : layer.countParams()), 0);
showTable([
  { part: "token embedding (shared with the MLM output)", parameters: config.vocabularySize * config.dModel },
  { part: "segment embedding", parameters: 2 * config.dModel },
  { part: "LayerNorms and the 2 encoder blocks", parameters: bert.encoder.countParams() - (config.vocabularySize + 2) * config.dModel },
  { part: "MLM head (dense, LayerNorm, output bias)", parameters: headParameters },
  { part: "total", parameters: bert.mlm.countParams() },
], { caption: `tiny BERT: ${JSON.stringify({ layers: config.layers, dModel: config.dModel, numHeads: config.numHeads, ffDim: config.ffDim, positions: config.positions, normFirst: config.normFirst })}` });
check("the MLM model adds only its head to the encoder: the output matrix is the token embedding (tied)", bert.mlm.countParams() === bert.encoder.countParams() + headParameters);
console.log(`BERT-base: ≈ 110,000,000 parameters, ${Math.round(110e6 / bert.mlm.countParams())}× this one`);

// %% [markdown]
// ## 5. S2-Q7 · The masked-language-model task
//
// **Question.** Explain BERT's masked-language-model (MLM) task. (讲解BERT中的Masked Language Model（MLM）任务)
//
// **Short answer.** Corrupt the input and train the encoder to restore it. Each ordinary token is **selected** with
// probability 15 %, and special tokens and padding never are. A selected token is replaced by `[MASK]` 80 % of the
// time, by a random token 10 %, and kept 10 %. The loss is the cross-entropy of the original token at the **selected
// positions only**. Why 80/10/10: `[MASK]` never occurs at fine-tuning time, so a model trained only on `[MASK]`
// positions could ignore real tokens. The random and kept 10 % force it to keep a useful vector for every token,
// since any token might be a corrupted one. Why only 15 %: more masking leaves less context per prediction, and
// less gives fewer training signals per sequence (BERT's trade-off; later work found 40 % fine for large models).
// **What the seed gets wrong:** it omits all three numbers and that the loss covers only the selected positions. Its
// code calls a method that does not exist (section 8).
//
// `maskTokens` (`lib/text/mlm-masking.ts`) implements the rule. The claims are measured on 20,000+ held-out tokens,
// laid out as the model sees them (`[CLS] A [SEP] B [SEP]` windows of 64).

// %%
const evaluationBatch = heldOutMaskedBatch(heldOutEncoding.ids, { windows: recipeResults.heldOut.windows, length: recipeResults.heldOut.length, vocabularySize: VOCABULARY_SIZE, maskSeed: recipeResults.heldOut.maskSeed });
const unmaskedRows = evaluationBatch.labels; // the held-out windows before corruption
const masking = maskTokens(unmaskedRows, { ...BERT_MASKING, maskId: MASK_ID, vocabularySize: VOCABULARY_SIZE, specialIds: SPECIAL_IDS, random: new Random(2024) });
let ordinaryCount = 0, specialSelected = 0;
const actionCounts = { mask: 0, random: 0, keep: 0 };
let weightOutsideSelection = 0;
unmaskedRows.forEach((row, r) => row.forEach((id, t) => {
  const action = masking.actions[r]![t];
  if (SPECIAL_IDS.includes(id)) {
    if (action !== null) specialSelected++;
    return;
  }
  ordinaryCount++;
  if (action !== null && action !== undefined) actionCounts[action]++;
  if ((masking.weights[r]![t] === 1) !== (action !== null)) weightOutsideSelection++;
}));
const selectedCount = actionCounts.mask + actionCounts.random + actionCounts.keep;
showTable([
  { measure: "ordinary tokens", value: ordinaryCount },
  { measure: "selected (share of ordinary)", value: selectedCount / ordinaryCount },
  { measure: "[MASK] (share of selected)", value: actionCounts.mask / selectedCount },
  { measure: "random token (share of selected)", value: actionCounts.random / selectedCount },
  { measure: "kept (share of selected)", value: actionCounts.keep / selectedCount },
], { caption: "BERT's masking rule on held-out windows", digits: 4 });
check("at least 20,000 ordinary tokens measured", ordinaryCount >= 20_000, { ordinaryCount });
check("15 % ± 1 % of ordinary tokens selected", Math.abs(selectedCount / ordinaryCount - 0.15) <= 0.01, { share: selectedCount / ordinaryCount });
check("among the selected: [MASK] / random / kept = 80 / 10 / 10 % ± 3 %", Math.abs(actionCounts.mask / selectedCount - 0.8) <= 0.03 && Math.abs(actionCounts.random / selectedCount - 0.1) <= 0.03 && Math.abs(actionCounts.keep / selectedCount - 0.1) <= 0.03, actionCounts);
check("no special token or padding is ever selected", specialSelected === 0, { specialSelected });
check("the loss weight is 1 exactly at the selected positions", weightOutsideSelection === 0, { weightOutsideSelection });

// %% [markdown]
// **Did pre-training learn anything?** A model that ignores the context can do no better than the **unigram
// baseline**: always predict the most frequent training token (here the line break `\n`, 8.9 % of masked positions),
// with the unigram distribution as its probabilities. We measure the pre-trained model on the held-out windows, masked
// once with a fixed seed. The claim is a margin over that baseline, calibrated on the script run with four seeds
// (`--seed 0 … 3`, same data and steps). Held-out accuracy was 20.8 %, 21.7 %, 21.7 % and 21.2 % (2.34–2.44× the
// baseline's 8.9 %). The loss was 4.40, 4.40, 4.58 and 4.69 nats (1.12–1.42 below the unigram cross-entropy of 5.81).
// So the checks ask for ≥ 2× the baseline's accuracy and a loss ≥ 0.8 nats below the unigram entropy. Every seed
// meets both, with room.

// %%
const measured = evaluateMlm(bert.mlm, evaluationBatch, { k: 5 });
const baseline = unigramBaseline(tokenizer.encode(trainText).ids, VOCABULARY_SIZE, evaluationBatch, { k: 5 });
showTable([
  { model: "unigram baseline", "top-1 accuracy": baseline.accuracy, "top-5 accuracy": baseline.topKAccuracy, "cross-entropy (nats)": baseline.crossEntropy },
  { model: "tiny BERT, pre-trained", "top-1 accuracy": measured.accuracy, "top-5 accuracy": measured.topKAccuracy, "cross-entropy (nats)": measured.loss },
], { caption: `Held-out masked-token prediction (${measured.maskedTokens} masked positions in ${evaluationBatch.ids.length} windows)`, digits: 4 });
check("held-out masked-token accuracy ≥ 2× the unigram baseline (calibrated: 2.34–2.44× over seeds 0–3)", measured.accuracy >= 2 * baseline.accuracy, { model: measured.accuracy, baseline: baseline.accuracy });
check("held-out MLM loss ≥ 0.8 nats below the unigram cross-entropy (calibrated: 1.12–1.42 below over seeds 0–3)", measured.loss <= baseline.crossEntropy - 0.8, { model: measured.loss, unigram: baseline.crossEntropy });
checkClose("the accuracy measured here equals the one the pre-training script recorded", measured.accuracy, recipeResults.heldOut.accuracy, { abs: 1e-9 });

// %%
const curve = recipeResults.lossCurve;
await showFigure(lineFigure([
  { name: "MLM training loss (mean of 20 steps)", x: curve.map((p) => p.step), y: curve.map((p) => p.loss) },
  { name: "unigram cross-entropy (held out)", x: [0, curve.at(-1)!.step], y: [baseline.crossEntropy, baseline.crossEntropy] },
  { name: "pre-trained model (held out)", x: [curve.at(-1)!.step], y: [measured.loss] },
], { title: "Pre-training the tiny BERT: masked-token loss against the unigram entropy", xTitle: "Adam step (batches of 32 windows of 64 tokens)", yTitle: "cross-entropy at masked positions (nats)" }));

// %% [markdown]
// The curve sits on the unigram line for about 200 steps (the model first learns token frequencies), then falls as
// attention starts reading the neighbours.
//
// **Top-5 predictions for masked words.** The rows below are the first held-out positions where a whole word (a
// `▁`-piece of four or more letters) was replaced by `[MASK]`, shown with the context the model read (other
// positions of the window may be corrupted too, as in training). The table lists the true piece and the model's five
// most likely pieces. Over all held-out masked positions, the true piece is among the model's top 5 far more often
// than among the 5 most frequent tokens. Calibrated over seeds 0–3, that ratio was 1.67–1.81×, so the check asks ≥ 1.5×.

// %%
check("the true piece is in the model's top 5 ≥ 1.5× as often as in the unigram top 5 (calibrated: 1.67–1.81×)", measured.topKAccuracy >= 1.5 * baseline.topKAccuracy, { model: measured.topKAccuracy, unigram: baseline.topKAccuracy });
const wordPositions: { row: number; t: number }[] = [];
evaluationBatch.ids.forEach((row, r) => row.forEach((id, t) => {
  const piece = tokenizer.vocabulary[evaluationBatch.labels[r]![t]!]!;
  if (id === MASK_ID && /^▁\p{L}{4,}$/u.test(piece) && wordPositions.length < 8) wordPositions.push({ row: r, t: t });
}));
const topFive = wordPositions.map(({ row, t }) => {
  const ids = evaluationBatch.ids[row]!;
  const probabilities = tf.tidy(() => {
    const logits = bert.mlm.predict([tf.tensor2d([ids], [1, ids.length], "int32"), tf.tensor2d([evaluationBatch.segments[row]!], [1, ids.length], "int32")]) as tf.Tensor3D;
    return Array.from(tf.softmax(logits.slice([0, t, 0], [1, 1, -1]).reshape([-1])).dataSync());
  });
  const order = probabilities.map((p, id) => [p, id] as const).sort((a, b) => b[0] - a[0]).slice(0, 5);
  // A masked piece is shown as [MASK], with the space its true piece stood for.
  const labels = evaluationBatch.labels[row]!;
  const context = ids.slice(0, t + 5).map((id, k) => (id === MASK_ID ? `${tokenizer.vocabulary[labels[k]!]!.startsWith("▁") ? " " : ""}[MASK]` : tokenizer.decode([id]))).slice(Math.max(1, t - 10)).join("").replace(/\n/g, " / ");
  return { context: context, truth: tokenizer.vocabulary[evaluationBatch.labels[row]![t]!]!, predictions: order.map(([p, id]) => `${tokenizer.vocabulary[id]!.replace("\n", "\\n")} ${(100 * p).toFixed(1)} %`) };
});
showTable(topFive.map((row) => ({ context: row.context, truth: row.truth, "top 1": row.predictions[0]!, "top 2": row.predictions[1]!, "top 3": row.predictions[2]!, "top 4": row.predictions[3]!, "top 5": row.predictions[4]! })), { caption: "Top-5 predictions of the tiny BERT at masked held-out words" });

// %% [markdown]
// At this scale the model mostly learns which **kind** of piece goes where. Where a word starts it proposes frequent
// word-initial pieces (`▁the`, `▁a`, `▁my`, `▁lord`), after a name a comma, and inside a word a continuation.
// Punctuation and line breaks give most of its 20.8 % top-1 accuracy. It seldom finds the exact word: that
// takes real BERT's 110 M parameters and 3.3 B words.
//
// **NSP or no NSP?** The original BERT also trained **next-sentence prediction**: for half of the pairs B was the
// sentence that follows A, for the other half a random sentence, and a classifier on `[CLS]` had to tell which.
// RoBERTa (Liu et al. 2019) compared inputs with and without NSP and found that dropping it **matched or improved**
// downstream results, as long as the inputs were full, contiguous text. NSP can be solved from topic alone, since a
// random sentence is usually about something else, so it teaches little about coherence. ALBERT replaced it with
// sentence-**order** prediction (A and B swapped), which cannot be solved that way. Our tiny BERT follows RoBERTa:
// no NSP loss. Its inputs are still `[CLS] A [SEP] B [SEP]` pairs of consecutive text, split at a random point, so the
// segment embedding is trained and pair tasks such as question answering (notebook 23) can use it.
//
// ## 6. S3-Q8 · Using a pre-trained language model in NLP
//
// **Question.** How do you use pretrained language models in NLP? (如何在NLP中使用预训练语言模型？)
//
// **Short answer.** There are three ways, from cheapest to strongest. (1) **Feature extraction**: freeze the model and
// feed its `[CLS]`, mean-pooled or per-token vectors to a small classifier. (2) **Fine-tuning**: add a task head (a
// sequence classifier on `[CLS]`, a token classifier for NER, start/end logits for extractive QA) and train
// everything with a small learning rate (2e-5 to 5e-5 for BERT) for a few epochs. Parameter-efficient variants
// (adapters, LoRA) train a small fraction of the weights. (3) **Prompting** a generative LLM with instructions or
// examples, with no training at all. Tokenize with the model's own tokenizer and input format, or the embeddings are
// meaningless. **What the seed gets wrong:** it groups Word2Vec and GloVe with BERT. Those are **static** word
// vectors, one vector per word type whatever the sentence. They are not language models and are not fine-tuned with
// a task network. BERT's vectors are **contextual**. The check below makes this visible: the input embedding of
// `▁king` is one row of a table, but the encoder's vector for it differs between sentences.

// %%
const kingId = tokenizer.idOf("▁king")!;
const contextualKing = (text: string) => {
  const input = bertInputs(tokenizer, text, null, 24);
  const position = input.ids.indexOf(kingId);
  return hiddenOf(input)[position]!;
};
const kingSentences = ["Long live the king!", "The king is dead, and we must bury him.", "Here comes the king of Naples."];
const kingVectors = kingSentences.map(contextualKing);
const embeddingTable = bert.mlm.getLayer(`${config.name ?? "bert"}_token_embedding`).getWeights()[0]!;
const staticKing = tf.tidy(() => Array.from(embeddingTable.slice([kingId, 0], [1, -1]).dataSync()));
const pairs = [[0, 1], [0, 2], [1, 2]] as const;
const contextualSimilarities = pairs.map(([i, j]) => cosineSimilarity(kingVectors[i]!, kingVectors[j]!));
showTable(pairs.map(([i, j], k) => ({ "sentence A": kingSentences[i]!, "sentence B": kingSentences[j]!, "cosine of the two ▁king vectors": contextualSimilarities[k]!, "static embedding": 1 })), { caption: "One word, three contexts", digits: 4 });
check("a static embedding gives ▁king one vector everywhere (cosine with itself 1)", Math.abs(cosineSimilarity(staticKing, staticKing) - 1) < 1e-12);
check("the encoder gives ▁king a different vector in each sentence (cosine < 0.99)", contextualSimilarities.every((c) => c < 0.99), { contextualSimilarities });

// %% [markdown]
// ## 7. Spot the bug (S2-Q7): the seed's MLM example
//
// > ```python
// > from transformers import BertTokenizer, BertModel
// > tokenizer = BertTokenizer.from_pretrained('bert-base-uncased')
// > model = BertModel.from_pretrained('bert-base-uncased')
// > text = "The quick brown fox jumps over the lazy dog"
// > masked_text = tokenizer.mask_tokenization(text)
// > predictions = model.predict(masked_text)
// > predicted_words = tokenizer.decode(predictions)
// > ```
//
// **Question.** Name the three bugs that stop this from predicting masked words, and what the example fails to
// show about MLM.
//
// (Answer in the solutions, exercise 3.)

// %% [markdown]
// ## Recap
//
// - **Pre-training** (S1-Q18) is self-supervised training on unlabelled data whose weights start another task. For
//   text the objective is MLM (encoders), next-token prediction (decoders) or span corruption (encoder–decoders).
// - **BERT** (S2-Q4) is a bidirectional Transformer encoder over WordPiece tokens in `[CLS] A [SEP] B [SEP]` form,
//   with token + segment + position embeddings and a padding mask. Padding changes nothing (checked to 1e-5).
// - **WordPiece** round-trips the held-out text exactly and cuts a word from ≈ 4.5 characters to ≈ 1.9 tokens with
//   1,024 pieces, and ≈ 1.5 with about 3,000.
// - **MLM** (S2-Q7): 15 % selected, 80/10/10 `[MASK]`/random/kept, loss at the selected positions only (each measured
//   on 20k+ tokens). The tiny BERT beats the unigram baseline ≥ 2× on held-out masked tokens. No NSP needed (RoBERTa).
// - **Using it** (S3-Q8): feature extraction, fine-tuning (notebook 23), or prompting. Vectors are contextual, which
//   static Word2Vec/GloVe vectors are not.

// %% [markdown]
// ## Exercises
//
// 1. **Masking arithmetic.** A batch holds 32 sequences of 64 positions, each with `[CLS]`, two `[SEP]` and no padding.
//    How many positions does the MLM loss read on average, and how many of the inputs are `[MASK]`? Check against
//    `maskTokens` on such a batch (mean over 50 seeds).
// 2. **Spot the bug (S2-Q4).** In the seed's BERT example, `input_ids` is never created and `output.pooler_output` is
//    called "the sentence vector". Fix the first, and say why the second is a poor sentence embedding without
//    fine-tuning. Compute a masked mean-pooled sentence vector with the tiny BERT, and show that it does not depend on
//    the padding.
// 3. **Spot the bug (S2-Q7).** Section 7's question. Write the fixed pipeline: mask a word of a sentence, run the
//    **MLM** model (not the bare encoder), and decode the argmax at the `[MASK]` position only.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** There are 64 − 3 = 61 ordinary positions per sequence, so 32 · 61 = 1,952 per batch. 15 % are selected, so
// the loss reads 292.8 positions on average, and 80 % of those, 234.2, become `[MASK]`.

// %% tags=["solution"]
const exerciseRows = Array.from({ length: 32 }, (_, r) => [2, ...Array.from({ length: 30 }, (_, t) => 5 + ((r * 61 + t) % (VOCABULARY_SIZE - 5))), 3, ...Array.from({ length: 31 }, (_, t) => 5 + ((r * 61 + 30 + t) % (VOCABULARY_SIZE - 5))), 3]);
const selectedPerBatch: number[] = [], maskedPerBatch: number[] = [];
for (let seed = 0; seed < 50; seed++) {
  const m = maskTokens(exerciseRows, { ...BERT_MASKING, maskId: MASK_ID, vocabularySize: VOCABULARY_SIZE, specialIds: SPECIAL_IDS, random: new Random(seed) });
  selectedPerBatch.push(m.weights.flat().reduce((a, b) => a + b, 0));
  maskedPerBatch.push(m.inputIds.flat().filter((id) => id === MASK_ID).length);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
// Standard error of the mean over 50 batches: √(1952 · 0.15 · 0.85 / 50) ≈ 2.2 selected; bounds at about 4.5 of them.
check("mean selected per batch ≈ 0.15 · 1952 = 292.8 (± 10)", Math.abs(mean(selectedPerBatch) - 292.8) < 10, { mean: mean(selectedPerBatch) });
check("mean [MASK] inputs per batch ≈ 0.8 · 292.8 = 234.2 (± 10)", Math.abs(mean(maskedPerBatch) - 234.2) < 10, { mean: mean(maskedPerBatch) });

// %% [markdown] tags=["solution"]
// **2.** Make the inputs with the tokenizer: `inputs = tokenizer(text, return_tensors="pt")`, then
// `bert_model(**inputs)`, which also passes `attention_mask` and `token_type_ids`. `pooler_output` is
// tanh(W · h_[CLS]), a layer trained only for next-sentence prediction. Without fine-tuning it is a poor general
// sentence vector (Reimers & Gurevych 2019 found it worse than averaging GloVe vectors), and masked mean pooling of
// the last hidden states does better. Mean pooling must skip the padding.

// %% tags=["solution"]
const meanPooled = (text: string, maxLength: number) => {
  const input = bertInputs(tokenizer, text, null, maxLength);
  const hidden = hiddenOf(input);
  const sum = new Array<number>(config.dModel).fill(0);
  let count = 0;
  input.mask.forEach((m, t) => {
    if (m === 1) {
      hidden[t]!.forEach((v, j) => (sum[j]! += v));
      count++;
    }
  });
  return sum.map((v) => v / count);
};
const pooledShort = meanPooled("Long live the king!", 12);
const pooledLong = meanPooled("Long live the king!", 40);
check("the masked mean-pooled sentence vector does not depend on padding (max |Δ| < 1e-5)", Math.max(...pooledShort.map((v, j) => Math.abs(v - pooledLong[j]!))) < 1e-5);

// %% [markdown] tags=["solution"]
// **3.** (a) `BertTokenizer` has no `mask_tokenization` (*AttributeError*): the masked text is written with the
// tokenizer's `[MASK]` token, or made by a data collator. (b) `BertModel` is the bare encoder with **no MLM head**,
// and PyTorch models have no `.predict`. You need `BertForMaskedLM` called on the encoded inputs. (c)
// `tokenizer.decode(predictions)` on hidden states (768 floats per token) is meaningless. Decode the **argmax over
// the vocabulary logits at the `[MASK]` positions only**. The example also shows none of MLM itself: no 15 %
// selection, no 80/10/10, no loss restricted to the selected positions.
//
// The same three fixes with the tiny model: the encoder's output has d = 64 features per token, not vocabulary
// scores, so only the MLM model can be decoded. The argmax at the `[MASK]` position gives exactly one piece.

// %% tags=["solution"]
const fixedText = "Give me thy hand, my good lord.";
const target = " hand";
const at = fixedText.indexOf(target);
const maskedInput = fixedText.slice(0, at) + " [MASK]" + fixedText.slice(at + target.length);
const [maskedBefore, maskedAfter] = maskedInput.split(" [MASK]") as [string, string];
const maskedIds = [2, ...tokenizer.encode(maskedBefore).ids, MASK_ID, ...tokenizer.encode(maskedAfter).ids, 3];
const maskPosition = maskedIds.indexOf(MASK_ID);
const maskedTensors = [tf.tensor2d([maskedIds], [1, maskedIds.length], "int32"), tf.zeros([1, maskedIds.length], "int32")];
const encoderOutput = bert.encoder.predict(maskedTensors) as tf.Tensor3D;
const mlmOutput = bert.mlm.predict(maskedTensors) as tf.Tensor3D;
const encoderWidth = encoderOutput.shape[2];
const mlmWidth = mlmOutput.shape[2];
const predictedId = tf.tidy(() => mlmOutput.slice([0, maskPosition, 0], [1, 1, -1]).reshape([-1]).argMax().dataSync()[0]!);
tf.dispose([...maskedTensors, encoderOutput, mlmOutput]);
console.log(`masked input: ${JSON.stringify(maskedInput)}; predicted piece: ${JSON.stringify(tokenizer.vocabulary[predictedId])}; ${JSON.stringify(tokenizer.decode([...maskedIds.slice(0, maskPosition), predictedId, ...maskedIds.slice(maskPosition + 1)], { skipSpecialTokens: true }))}`);
check("the bare encoder outputs d = 64 features per token, not vocabulary scores: nothing to decode", encoderWidth === config.dModel && encoderWidth !== VOCABULARY_SIZE);
check("the MLM model outputs one score per vocabulary piece", mlmWidth === VOCABULARY_SIZE);
check("the argmax at the [MASK] position is one ordinary piece", !SPECIAL_IDS.includes(predictedId));
