/**
 * Seeded, templated text data for the text notebooks, each built so that one claim can be tested:
 * - `makeSynonymCorpus`: classes of interchangeable words that share their contexts (skip-gram and PPMI
 *   should put each class together);
 * - `makeNegationSentiment`: sentences whose label depends on word order ("not bad" vs "bad", "good, not
 *   bad" vs "bad, not good"), so a bag of words cannot separate them and a recurrent model can;
 * - `makeTaggingCorpus`: sentences with BIO tags for PER / LOC / ORG, multi-token names included;
 * - `makeParaphrasePairs`: pairs of requests, paraphrases when intent and city agree.
 * The supervised sets come split by template: the test part uses templates never seen in training (made
 * only of words the training templates use), so a score on it measures generalisation to new phrasings.
 *
 *   const { train, test } = makeNegationSentiment({ nTrain: 2000, nTest: 500, seed: 0 });
 */
import { Random } from "../random";
import { tokenizeWords } from "./tokenize";

function checkCount(caller: string, name: string, value: number, minimum = 1): void {
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${caller}: ${name} must be an integer ≥ ${minimum}, got ${value}`);
}

function checkSeed(caller: string, seed: number): void {
  if (!Number.isInteger(seed)) throw new TypeError(`${caller}: seed must be an integer, got ${seed}`);
}

/** The options every split generator takes: sizes of the two parts and the seed. */
export interface SplitSizes {
  nTrain: number;
  nTest: number;
  seed: number;
}

function checkSplitSizes(caller: string, { nTrain, nTest, seed }: SplitSizes): void {
  checkCount(caller, "nTrain", nTrain);
  checkCount(caller, "nTest", nTest);
  checkSeed(caller, seed);
}

/** Replaces each `{slot}` by `fill(slot)`, left to right. */
function fillTemplate(template: string, fill: (slot: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => fill(slot));
}

// ---------------------------------------------------------------------------------------------------------
// Planted synonym classes

/** Each class: interchangeable words and the sentence frames they (and only they) appear in. */
export const SYNONYM_CLASSES: Record<string, { words: string[]; frames: string[] }> = {
  animal: {
    words: ["cat", "dog", "horse", "rabbit"],
    frames: ["the {w} ate its food", "my {w} sleeps in the barn", "a hungry {w} runs across the farm", "we feed the {w} every morning", "the old {w} chased a mouse"],
  },
  colour: {
    words: ["red", "blue", "green", "yellow"],
    frames: ["she painted the wall {w}", "the {w} paint dried slowly", "he wore a bright {w} shirt", "my favourite colour is {w}", "the flag is {w} and white"],
  },
  vehicle: {
    words: ["car", "truck", "bus", "van"],
    frames: ["the {w} drove down the road", "we parked the {w} in the garage", "a fast {w} burns fuel", "the driver washed the {w}", "the {w} stopped at the light"],
  },
  fruit: {
    words: ["apple", "pear", "plum", "peach"],
    frames: ["she bought a ripe {w}", "the {w} tree grows in the orchard", "a sweet {w} lay in the basket", "we picked a {w} from the tree", "he cut the {w} in half"],
  },
  number: {
    words: ["two", "three", "four", "five"],
    frames: ["i counted {w} birds", "{w} people came to the party", "she has {w} brothers", "they waited {w} hours", "the recipe needs {w} eggs"],
  },
  weather: {
    words: ["rain", "snow", "wind", "fog"],
    frames: ["the {w} came in the night", "we stayed inside because of the {w}", "heavy {w} closed the school", "the forecast promised {w} tomorrow", "the {w} lasted all week"],
  },
};

export interface SynonymCorpus {
  /** [sentences][tokens] */
  sentences: string[][];
  /** class name → its interchangeable words */
  classes: Record<string, string[]>;
  /** word → class name, for every planted word */
  classOf: Map<string, string>;
}

/**
 * Sentences in which the words of one class are interchangeable: each sentence takes a class, one of its
 * frames and one of its words, uniformly. Words of a class share all their contexts and no content word with
 * another class (the function words "the", "a", "in" … are shared by all, as in real text).
 */
export function makeSynonymCorpus(options: { nSentences: number; seed: number }): SynonymCorpus {
  const { nSentences, seed } = options;
  checkCount("makeSynonymCorpus", "nSentences", nSentences);
  checkSeed("makeSynonymCorpus", seed);
  const rng = new Random(seed);
  const names = Object.keys(SYNONYM_CLASSES);
  const sentences = Array.from({ length: nSentences }, () => {
    const { words, frames } = SYNONYM_CLASSES[rng.choice(names)]!;
    const word = rng.choice(words);
    return tokenizeWords(fillTemplate(rng.choice(frames), () => word));
  });
  const classes = Object.fromEntries(names.map((name) => [name, [...SYNONYM_CLASSES[name]!.words]]));
  const classOf = new Map(names.flatMap((name) => SYNONYM_CLASSES[name]!.words.map((w) => [w, name] as [string, string])));
  return { sentences, classes, classOf };
}

// ---------------------------------------------------------------------------------------------------------
// Negation sentiment

export const POSITIVE_WORDS = ["good", "great", "fun", "lovely", "excellent", "enjoyable"];
export const NEGATIVE_WORDS = ["bad", "boring", "awful", "dull", "terrible", "bland"];
const SUBJECTS = ["film", "meal", "book", "hotel", "show", "concert", "service", "game"];

/**
 * kind "plain": the label is the adjective's; "negated": the opposite; "contrast": the label is that of
 * `{pos}`/`{neg}` in the slot the template names as decisive: the same bag of words with the two
 * adjectives swapped has the other label. `heldOut` templates form the test set.
 */
interface NegationTemplate {
  text: string;
  kind: "plain" | "negated" | "contrast";
  heldOut?: boolean;
}

export const NEGATION_TEMPLATES: NegationTemplate[] = [
  { text: "the {noun} was {adj}", kind: "plain" },
  { text: "what a {adj} {noun}", kind: "plain" },
  { text: "i found the {noun} {adj}", kind: "plain" },
  { text: "i found the {noun} really {adj}", kind: "plain", heldOut: true },
  { text: "the {noun} was not {adj}", kind: "negated" },
  { text: "the {noun} was never {adj}", kind: "negated" },
  { text: "i would not call the {noun} {adj}", kind: "negated" },
  { text: "the {noun} was not {adj} at all", kind: "negated" },
  { text: "the {noun} was never really {adj}", kind: "negated", heldOut: true },
  { text: "i found the {noun} not {adj} at all", kind: "negated", heldOut: true },
  // contrast: {first} carries the label, {second} is negated
  { text: "the {noun} was {first} , not {second}", kind: "contrast" },
  { text: "not {second} , the {noun} was {first}", kind: "contrast" },
  { text: "the {noun} was never {second} , it was really {first}", kind: "contrast" },
  { text: "i would not call the {noun} {second} , i found it {first}", kind: "contrast", heldOut: true },
];

export interface LabelledSentence {
  text: string;
  /** [tokens] of `text` (tokenizeWords) */
  tokens: string[];
  /** 1 positive, 0 negative */
  label: number;
  /** the template it was made from */
  template: string;
  /** plain: the adjective's sentiment; negated: its opposite; contrast: two opposite adjectives, order decides */
  kind: "plain" | "negated" | "contrast";
}

export interface TemplatedSplit<T> {
  train: T[];
  test: T[];
  /** the templates only the test part uses */
  testTemplates: string[];
}

/**
 * Sentiment whose label needs word order. Adjectives are drawn half positive, half negative; templates
 * uniformly within their part; labels come out balanced. Every sentence of kind "contrast" holds one positive
 * and one negative adjective, and plain/negated pairs differ by "not"/"never" only, so a linear model on
 * word counts is near chance on them.
 */
export function makeNegationSentiment(options: SplitSizes): TemplatedSplit<LabelledSentence> {
  const { nTrain, nTest, seed } = options;
  checkSplitSizes("makeNegationSentiment", options);
  const rng = new Random(seed);
  const make = (templates: NegationTemplate[]): LabelledSentence => {
    const template = rng.choice(templates);
    const positive = rng.random() < 0.5;
    const adjective = rng.choice(positive ? POSITIVE_WORDS : NEGATIVE_WORDS);
    const other = rng.choice(positive ? NEGATIVE_WORDS : POSITIVE_WORDS);
    const noun = rng.choice(SUBJECTS);
    const text = fillTemplate(template.text, (slot) => (slot === "noun" ? noun : slot === "second" ? other : adjective));
    const label = template.kind === "negated" ? Number(!positive) : Number(positive);
    return { text, tokens: tokenizeWords(text), label, template: template.text, kind: template.kind };
  };
  const trainTemplates = NEGATION_TEMPLATES.filter((t) => !t.heldOut);
  const testTemplates = NEGATION_TEMPLATES.filter((t) => t.heldOut);
  return {
    train: Array.from({ length: nTrain }, () => make(trainTemplates)),
    test: Array.from({ length: nTest }, () => make(testTemplates)),
    testTemplates: testTemplates.map((t) => t.text),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Tagging grammar (BIO, PER / LOC / ORG)

export const ENTITY_NAMES: Record<"PER" | "LOC" | "ORG", string[]> = {
  PER: ["anna", "maria garcia", "john smith", "li wei", "fatima", "tom", "sara jones", "kenji sato", "olga", "david brown"],
  LOC: ["paris", "new york", "tokyo", "cairo", "buenos aires", "berlin", "lagos", "san francisco", "oslo", "mumbai"],
  ORG: ["acme", "globex corporation", "initech", "stark industries", "umbrella corp", "wayne enterprises", "hooli", "the daily planet"],
};

const TAGGING_TEMPLATES: { text: string; heldOut?: boolean }[] = [
  { text: "{PER} works at {ORG}" },
  { text: "{PER} lives in {LOC}" },
  { text: "{ORG} opened an office in {LOC}" },
  { text: "yesterday {PER} flew to {LOC}" },
  { text: "{PER} met {PER} in {LOC}" },
  { text: "the new head of {ORG} is {PER}" },
  { text: "i visited {LOC} with {PER}" },
  { text: "{ORG} hired {PER} last year" },
  { text: "we flew from {LOC} to {LOC}" },
  { text: "last year {PER} flew to {LOC} with {PER}", heldOut: true },
  { text: "{PER} works at {ORG} in {LOC}", heldOut: true },
  { text: "in {LOC} {ORG} hired {PER}", heldOut: true },
  { text: "yesterday {ORG} opened an office with {PER}", heldOut: true },
];

export interface TaggedSentence {
  /** [tokens] */
  tokens: string[];
  /** [tokens] BIO tags: "O", "B-PER", "I-PER", … */
  tags: string[];
  template: string;
}

/** Every tag the grammar can emit, "O" first (a fixed tag ↔ id order for a tagger). */
export const TAG_NAMES = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"];

/** Sentences with BIO tags from the grammar; the test part uses only held-out templates. */
export function makeTaggingCorpus(options: SplitSizes): TemplatedSplit<TaggedSentence> {
  const { nTrain, nTest, seed } = options;
  checkSplitSizes("makeTaggingCorpus", options);
  const rng = new Random(seed);
  const make = (templates: { text: string }[]): TaggedSentence => {
    const template = rng.choice(templates).text;
    const tokens: string[] = [];
    const tags: string[] = [];
    for (const piece of template.split(" ")) {
      const slot = /^\{(PER|LOC|ORG)\}$/.exec(piece)?.[1] as keyof typeof ENTITY_NAMES | undefined;
      if (!slot) {
        tokens.push(piece);
        tags.push("O");
        continue;
      }
      rng.choice(ENTITY_NAMES[slot]).split(" ").forEach((word, k) => {
        tokens.push(word);
        tags.push(`${k === 0 ? "B" : "I"}-${slot}`);
      });
    }
    return { tokens, tags, template };
  };
  const testTemplates = TAGGING_TEMPLATES.filter((t) => t.heldOut);
  return {
    train: Array.from({ length: nTrain }, () => make(TAGGING_TEMPLATES.filter((t) => !t.heldOut))),
    test: Array.from({ length: nTest }, () => make(testTemplates)),
    testTemplates: testTemplates.map((t) => t.text),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Paraphrase pairs

/** Phrasings of each intent; the last of each list is held out for the test pairs. */
export const PARAPHRASE_INTENTS: Record<string, string[]> = {
  weather: ["what is the weather in {city}", "how is the weather in {city} today", "tell me the forecast for {city}", "will it rain in {city} today", "what is the forecast for {city} today"],
  flight: ["book a flight to {city}", "i need a plane ticket to {city}", "find me flights to {city}", "i want to fly to {city}", "find me a plane ticket to {city}"],
  hotel: ["find a hotel in {city}", "book a room in {city}", "i need somewhere to stay in {city}", "where can i sleep in {city}", "i need a hotel room in {city}"],
  restaurant: ["where can i eat in {city}", "recommend a restaurant in {city}", "find me a good place for dinner in {city}", "i want to have dinner in {city}", "where can i find a good restaurant in {city}"],
  time: ["what time is it in {city}", "tell me the local time in {city}", "what is the time in {city} now", "how late is it in {city}", "what is the local time in {city} now"],
};
const CITIES = ["paris", "tokyo", "cairo", "berlin", "lima", "oslo", "delhi", "rome"];

export interface SentencePair {
  a: string;
  b: string;
  /** 1 if a and b ask the same thing (same intent and city) */
  label: number;
  intentA: string;
  intentB: string;
}

/**
 * Pairs of requests: half paraphrases (same intent and city, two different phrasings), a quarter with
 * another intent in the same city and a quarter with the same intent in another city. Training pairs use
 * only training phrasings; each test pair has a held-out phrasing on at least one side.
 */
export function makeParaphrasePairs(options: SplitSizes): { train: SentencePair[]; test: SentencePair[]; testPhrasings: string[] } {
  const { nTrain, nTest, seed } = options;
  checkSplitSizes("makeParaphrasePairs", options);
  const rng = new Random(seed);
  const intents = Object.keys(PARAPHRASE_INTENTS);
  const phrasings = (intent: string, heldOut: boolean) => {
    const all = PARAPHRASE_INTENTS[intent]!;
    return heldOut ? all.slice(-1) : all.slice(0, -1);
  };
  const make = (test: boolean): SentencePair => {
    const intentA = rng.choice(intents);
    const city = rng.choice(CITIES);
    const draw = rng.random();
    const intentB = draw < 0.75 ? intentA : rng.choice(intents.filter((i) => i !== intentA));
    const cityB = draw >= 0.5 && draw < 0.75 ? rng.choice(CITIES.filter((c) => c !== city)) : city;
    const templateA = rng.choice(phrasings(intentA, test));
    // a paraphrase is a different phrasing; a test pair's second side may be a training phrasing
    const choicesB = (test ? [...phrasings(intentB, false), ...phrasings(intentB, true)] : phrasings(intentB, false)).filter((t) => t !== templateA);
    const templateB = rng.choice(choicesB);
    const a = fillTemplate(templateA, () => city);
    const b = fillTemplate(templateB, () => cityB);
    const pair = { a, b, label: Number(intentA === intentB && city === cityB), intentA, intentB };
    return rng.random() < 0.5 ? pair : { ...pair, a: b, b: a, intentA: intentB, intentB: intentA };
  };
  return {
    train: Array.from({ length: nTrain }, () => make(false)),
    test: Array.from({ length: nTest }, () => make(true)),
    testPhrasings: intents.map((intent) => phrasings(intent, true)[0]!),
  };
}
