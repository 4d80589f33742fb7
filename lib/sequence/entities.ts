/**
 * Entity-level evaluation of BIO tag sequences, as seqeval (the library every NER paper's F1 comes from)
 * computes it: tags are grouped into entity spans, and a predicted entity counts only if a true entity has
 * exactly the same type, start and end. Token accuracy flatters a tagger (most tokens are O); this does not.
 *
 *   extractEntities(["B-PER", "I-PER", "O", "B-LOC"])   // [{ type: "PER", start: 0, end: 2 }, { type: "LOC", start: 3, end: 4 }]
 *   entityScores(trueTags, predictedTags).f1           // micro-averaged over all entities
 *
 * Two ways to read an ill-formed sequence, both seqeval's:
 * - "conlleval" (seqeval's default, and the CoNLL script's): an I-X with no B-X before it starts an entity,
 *   and I-Y right after B-X/I-X ends the X entity and starts a Y one.
 * - "strict" (seqeval's `mode="strict", scheme=IOB2`): an entity is B-X followed by I-X…; an I- tag that does
 *   not continue an entity of its own type belongs to none.
 */

export interface Entity {
  type: string;
  /** first token */
  start: number;
  /** one past the last token (end − start tokens) */
  end: number;
}

export type EntityMode = "conlleval" | "strict";

interface ParsedTag {
  prefix: "B" | "I" | "O";
  type: string;
}

function parseTag(tag: unknown, where: string): ParsedTag {
  if (tag === "O") return { prefix: "O", type: "" };
  if (typeof tag === "string") {
    const match = /^([BI])-(.+)$/.exec(tag);
    if (match) return { prefix: match[1] as "B" | "I", type: match[2]! };
  }
  throw new RangeError(`${where} is ${JSON.stringify(tag)}; BIO tags are "O", "B-TYPE" or "I-TYPE"`);
}

/** The entity spans of one sentence's BIO tags, in order. */
export function extractEntities(tags: readonly string[], options: { mode?: EntityMode } = {}): Entity[] {
  const { mode = "conlleval" } = options;
  if (mode !== "conlleval" && mode !== "strict") throw new RangeError(`extractEntities: mode must be "conlleval" or "strict", got ${JSON.stringify(mode)}`);
  if (!Array.isArray(tags)) throw new TypeError(`extractEntities: tags must be an array of strings, got ${typeof tags}`);
  const parsed = tags.map((tag, i) => parseTag(tag, `extractEntities: tags[${i}]`));
  const entities: Entity[] = [];
  let open: Entity | null = null;
  const close = () => {
    if (open) entities.push(open);
    open = null;
  };
  parsed.forEach(({ prefix, type }, i) => {
    const continues = prefix === "I" && open !== null && open.type === type;
    if (continues) {
      open!.end = i + 1;
      return;
    }
    close();
    if (prefix === "B" || (prefix === "I" && mode === "conlleval")) open = { type, start: i, end: i + 1 };
  });
  close();
  return entities;
}

export interface EntityCounts {
  /** entities in the truth */
  support: number;
  /** entities predicted */
  predicted: number;
  /** predicted entities with exactly the true type, start and end */
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EntityReport extends EntityCounts {
  /** the same counts for each entity type (in the truth or the predictions), sorted by type */
  perType: Record<string, EntityCounts>;
}

function counts(support: number, predicted: number, correct: number): EntityCounts {
  // seqeval returns 0 (with a warning) where a ratio is 0/0
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = support === 0 ? 0 : correct / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { support, predicted, correct, precision, recall, f1 };
}

/**
 * Micro-averaged entity precision, recall and F1 over sentences (seqeval's `precision_score`, `recall_score`,
 * `f1_score`), with per-type counts (its `classification_report`). Sentences are scored separately, so an
 * entity never runs across a sentence boundary.
 */
export function entityScores(yTrue: readonly (readonly string[])[], yPred: readonly (readonly string[])[], options: { mode?: EntityMode } = {}): EntityReport {
  if (!Array.isArray(yTrue) || !Array.isArray(yPred)) throw new TypeError("entityScores: yTrue and yPred must be arrays of tag arrays, one per sentence");
  if (yTrue.length !== yPred.length) throw new RangeError(`entityScores: yTrue has ${yTrue.length} sentences but yPred has ${yPred.length}`);
  const key = (e: Entity) => `${e.type}\u0000${e.start}\u0000${e.end}`;
  const tally = new Map<string, [number, number, number]>();
  const bump = (type: string, slot: 0 | 1 | 2) => {
    const entry = tally.get(type) ?? [0, 0, 0];
    entry[slot]++;
    tally.set(type, entry);
  };
  yTrue.forEach((trueTags, s) => {
    const predTags = yPred[s]!;
    if (!Array.isArray(trueTags) || !Array.isArray(predTags)) throw new TypeError(`entityScores: sentence ${s} must be an array of tags in yTrue and yPred`);
    if (trueTags.length !== predTags.length) throw new RangeError(`entityScores: sentence ${s} has ${trueTags.length} true tags but ${predTags.length} predicted`);
    const named = (tags: readonly string[], which: string) => {
      try {
        return extractEntities(tags, options);
      } catch (error) {
        throw new RangeError(`entityScores: ${which}[${s}]: ${(error as Error).message.replace(/^extractEntities: /, "")}`);
      }
    };
    const truth = named(trueTags, "yTrue");
    const predicted = named(predTags, "yPred");
    const trueKeys = new Set(truth.map(key));
    for (const e of truth) bump(e.type, 0);
    for (const e of predicted) {
      bump(e.type, 1);
      if (trueKeys.has(key(e))) bump(e.type, 2);
    }
  });
  const perType: Record<string, EntityCounts> = {};
  let [support, predicted, correct] = [0, 0, 0];
  for (const type of [...tally.keys()].sort()) {
    const [s, p, c] = tally.get(type)!;
    perType[type] = counts(s, p, c);
    support += s;
    predicted += p;
    correct += c;
  }
  return { ...counts(support, predicted, correct), perType };
}
