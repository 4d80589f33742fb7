/**
 * BERT's masked-language-model corruption (Devlin et al. 2019, §3.1 and Appendix A.1):
 *
 *   each ordinary token is SELECTED with probability 15 % (special tokens and padding never are);
 *   a selected token is replaced by [MASK] 80 % of the time, by a random ordinary token 10 %, and kept 10 %;
 *   the loss is the cross-entropy at the selected positions only (weight 1 there, 0 elsewhere).
 *
 *   const batch = maskTokens(idRows, { maskId: MASK_ID, vocabularySize: tokenizer.size, specialIds: [0, 1, 2, 3, 4], random: new Random(0) });
 *   // batch.inputIds: what the model reads; batch.labels: the original ids; batch.weights: 1 where the loss counts
 *
 * Selection is an independent coin per token (as Hugging Face's DataCollatorForLanguageModeling), so a sequence gets
 * 15 % on average, not exactly. Why 80/10/10: with [MASK] only, the model would learn nothing about real tokens at
 * positions it must represent for fine-tuning, where [MASK] never appears; the random and kept 10 % make it keep a
 * good representation of every input token. The random replacement is drawn uniformly from the ordinary tokens.
 */
import { Random } from "../random";

export interface MlmMaskingOptions {
  /** Id of [MASK]. */
  maskId: number;
  /** Ids are 0 … vocabularySize − 1. */
  vocabularySize: number;
  /** Ids never selected and never drawn as random replacements ([PAD], [UNK], [CLS], [SEP], [MASK]). */
  specialIds: readonly number[];
  /** Draws every coin. */
  random: Random;
  /** Probability that an ordinary token is selected (default 0.15). */
  selectProbability?: number;
  /** Of the selected: the share replaced by [MASK] (default 0.8) and by a random token (default 0.1); the rest is kept. */
  maskShare?: number;
  randomShare?: number;
}

/** What happened to each position. */
export type MaskAction = "mask" | "random" | "keep" | null;

export interface MaskedTokens {
  /** The corrupted ids the model reads. */
  inputIds: number[][];
  /** The original ids (the targets; read only where weights = 1). */
  labels: number[][];
  /** 1 at selected positions, 0 elsewhere: the loss weight. */
  weights: number[][];
  /** "mask", "random" or "keep" at selected positions, null elsewhere. */
  actions: MaskAction[][];
}

/** Corrupts rows of token ids for masked-language-model training (see the module comment). */
export function maskTokens(rows: readonly (readonly number[])[], options: MlmMaskingOptions): MaskedTokens {
  const { maskId, vocabularySize, specialIds, random, selectProbability = 0.15, maskShare = 0.8, randomShare = 0.1 } = options;
  if (!Number.isInteger(vocabularySize) || vocabularySize < 1) throw new RangeError(`maskTokens: vocabularySize must be an integer ≥ 1, got ${vocabularySize}`);
  if (!Number.isInteger(maskId) || maskId < 0 || maskId >= vocabularySize) throw new RangeError(`maskTokens: maskId must be an id in 0 … ${vocabularySize - 1}, got ${maskId}`);
  if (!specialIds.includes(maskId)) throw new RangeError(`maskTokens: specialIds must include maskId ${maskId} (a [MASK] in the input is never a target)`);
  for (const [name, value] of [["selectProbability", selectProbability], ["maskShare", maskShare], ["randomShare", randomShare]] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`maskTokens: ${name} must be in [0, 1], got ${value}`);
  }
  if (maskShare + randomShare > 1 + 1e-12) throw new RangeError(`maskTokens: maskShare + randomShare must be ≤ 1, got ${maskShare} + ${randomShare}`);
  if (!(random instanceof Random)) throw new TypeError("maskTokens: random must be a lib/random Random (seeded)");
  const special = new Set(specialIds);
  const ordinary: number[] = [];
  for (let id = 0; id < vocabularySize; id++) if (!special.has(id)) ordinary.push(id);
  if (ordinary.length === 0) throw new RangeError("maskTokens: every id is special, so there is nothing to mask or draw");
  const out: MaskedTokens = { inputIds: [], labels: [], weights: [], actions: [] };
  rows.forEach((row, r) => {
    const inputIds: number[] = [], weights: number[] = [], actions: MaskAction[] = [];
    row.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id >= vocabularySize) throw new RangeError(`maskTokens: rows[${r}][${t}] = ${id} is not an id in 0 … ${vocabularySize - 1}`);
      if (special.has(id) || random.random() >= selectProbability) {
        inputIds.push(id);
        weights.push(0);
        actions.push(null);
        return;
      }
      const u = random.random();
      const action: MaskAction = u < maskShare ? "mask" : u < maskShare + randomShare ? "random" : "keep";
      inputIds.push(action === "mask" ? maskId : action === "random" ? ordinary[random.int(0, ordinary.length)]! : id);
      weights.push(1);
      actions.push(action);
    });
    out.inputIds.push(inputIds);
    out.labels.push([...row]);
    out.weights.push(weights);
    out.actions.push(actions);
  });
  return out;
}
