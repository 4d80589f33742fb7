/**
 * Seeded, templated extractive-QA data (a SQuAD miniature): a context of a few one-sentence facts about different
 * people, a question about one fact, and the answer as a character span of the context.
 *
 *   const { train, test } = makeTemplatedQa({ nTrain: 2000, nTest: 200, seed: 0 });
 *   const { context, question, answer, answerStart, answerEnd } = train[0];
 *   context.slice(answerStart, answerEnd) === answer;   // always
 *
 * The test part uses fact and question phrasings never seen in training (held-out templates, made of the
 * training phrasings' words in new orders), so exact match on it measures more than memorised phrasings. Half the contexts (by default) hold two facts of the *same* relation
 * about different people, so the question's name, not its wording alone, decides the answer. Reading
 * comprehension here is trivial next to SQuAD; the task teaches the span formulation, not understanding.
 */
import { Random } from "../random";
import { type SplitSizes } from "./corpora";

export type QaRelation = "lives" | "serves";

interface Template {
  text: string;
  heldOut?: boolean;
}

/**
 * People, places and masters. The names are Shakespeare's, so that an encoder pretrained on his plays
 * (notebooks 22–23) knows their sub-words; nothing else depends on that.
 */
export const QA_ENTITIES = {
  people: ["Romeo", "Juliet", "Hamlet", "Ophelia", "Portia", "Brutus", "Horatio", "Viola", "Antonio", "Miranda", "Lucio", "Helena"],
  places: ["Verona", "Padua", "Venice", "Rome", "Milan", "London", "Athens", "Mantua", "Vienna", "Naples", "Sicilia", "Bohemia"],
  masters: ["the Duke", "the King", "the Queen", "the Prince", "Lord Capulet", "the Earl", "Lady Macbeth", "the Cardinal", "the Senate", "Lord Angelo"],
};

/** Fact sentences per relation: {PER} the person, {X} the answer (a place or a master). */
export const QA_FACT_TEMPLATES: Record<QaRelation, Template[]> = {
  lives: [
    { text: "{PER} lives in {X}." },
    { text: "{PER} has a house in {X}." },
    { text: "{PER} went to {X} last year." },
    { text: "Last year {PER} went to {X}.", heldOut: true },
    { text: "{PER} lives in a house in {X}.", heldOut: true },
  ],
  serves: [
    { text: "{PER} serves {X}." },
    { text: "{PER} is a servant of {X}." },
    { text: "{X} took {PER} into service." },
    { text: "Last year {X} took {PER} into service.", heldOut: true },
    { text: "{PER} serves {X} in the house.", heldOut: true },
  ],
};

/** Questions per relation. */
export const QA_QUESTION_TEMPLATES: Record<QaRelation, Template[]> = {
  lives: [
    { text: "Where does {PER} live?" },
    { text: "In which city does {PER} live?" },
    { text: "Which city does {PER} live in?", heldOut: true },
  ],
  serves: [
    { text: "Whom does {PER} serve?" },
    { text: "Who is the master of {PER}?" },
    { text: "Who is {PER} a servant of?", heldOut: true },
  ],
};

const ANSWERS: Record<QaRelation, string[]> = { lives: QA_ENTITIES.places, serves: QA_ENTITIES.masters };

export interface QaExample {
  question: string;
  context: string;
  /** The answer text, equal to context.slice(answerStart, answerEnd). */
  answer: string;
  /** [answerStart, answerEnd): characters of the answer in the context. */
  answerStart: number;
  answerEnd: number;
  relation: QaRelation;
  /** The fact template of the answering sentence and the question template. */
  factTemplate: string;
  questionTemplate: string;
}

export interface TemplatedQaOptions extends SplitSizes {
  /** Facts per context (default 2), each about a different person. */
  facts?: number;
  /** Probability that every fact of a context has the question's relation (default 0.5). */
  sameRelation?: number;
}

/** Train and test QA examples; test examples use only held-out fact and question templates. */
export function makeTemplatedQa(options: TemplatedQaOptions): { train: QaExample[]; test: QaExample[] } {
  const { nTrain, nTest, seed } = options;
  const facts = options.facts ?? 2;
  const sameRelation = options.sameRelation ?? 0.5;
  for (const [name, value, minimum] of [["nTrain", nTrain, 1], ["nTest", nTest, 1], ["facts", facts, 1]] as const) {
    if (!Number.isInteger(value) || value < minimum) throw new RangeError(`makeTemplatedQa: ${name} must be an integer ≥ ${minimum}, got ${value}`);
  }
  if (facts > QA_ENTITIES.people.length) throw new RangeError(`makeTemplatedQa: facts must be ≤ ${QA_ENTITIES.people.length} (one person each), got ${facts}`);
  if (!Number.isInteger(seed)) throw new TypeError(`makeTemplatedQa: seed must be an integer, got ${seed}`);
  if (!(sameRelation >= 0 && sameRelation <= 1)) throw new RangeError(`makeTemplatedQa: sameRelation must be in [0, 1], got ${options.sameRelation}`);
  const rng = new Random(seed);
  const relations: QaRelation[] = ["lives", "serves"];
  const make = (heldOut: boolean): QaExample => {
    const pick = (templates: Template[]) => rng.choice(templates.filter((t) => Boolean(t.heldOut) === heldOut)).text;
    const people = rng.sampleIndices(QA_ENTITIES.people.length, facts).map((i) => QA_ENTITIES.people[i]!);
    const asked = rng.int(0, facts);
    const relation = rng.choice(relations);
    const same = rng.random() < sameRelation;
    const sentences: { text: string; answerOffset: number; answer: string; template: string }[] = people.map((person, k) => {
      const factRelation = k === asked || same ? relation : relations.find((r) => r !== relation)!;
      const template = pick(QA_FACT_TEMPLATES[factRelation]);
      const answer = rng.choice(ANSWERS[factRelation]);
      const text = template.replace("{PER}", person).replace("{X}", answer);
      // {X} is filled after {PER}: its position is in the filled text, wherever the template puts it
      const answerOffset = template.indexOf("{X}") < template.indexOf("{PER}") ? template.indexOf("{X}") : template.indexOf("{X}") - "{PER}".length + person.length;
      return { text, answerOffset, answer, template };
    });
    let context = "";
    let answerStart = -1;
    sentences.forEach((sentence, k) => {
      if (k > 0) context += " ";
      if (k === asked) answerStart = context.length + sentence.answerOffset;
      context += sentence.text;
    });
    const questionTemplate = pick(QA_QUESTION_TEMPLATES[relation]);
    const answered = sentences[asked]!;
    return {
      question: questionTemplate.replace("{PER}", people[asked]!),
      context,
      answer: answered.answer,
      answerStart,
      answerEnd: answerStart + answered.answer.length,
      relation,
      factTemplate: answered.template,
      questionTemplate,
    };
  };
  return { train: Array.from({ length: nTrain }, () => make(false)), test: Array.from({ length: nTest }, () => make(true)) };
}
