/**
 * The project's seed items (data/questions.json): each interview question or coding problem with its id, bank,
 * kind, English title, original (Chinese) title and the topic, `NN-slug`, of the notebook meant to answer it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type ItemKind = "Q" | "Q+code" | "C";

export interface Bank {
  /** S0 … S4 */
  id: string;
  /** The seed file it was read from. */
  file: string;
  original: string;
  english: string;
}

export interface Item {
  /** `S0-Q12`: bank, Q (question) or C (coding problem), the bank's own number. */
  id: string;
  bank: string;
  kind: ItemKind;
  english: string;
  original: string;
  /** The notebook meant to answer it: `16-rnn-lstm-time-series`. */
  topic: string;
}

export interface QuestionData {
  source: string;
  banks: Bank[];
  items: Item[];
}

export const QUESTIONS_FILE = join(__dirname, "..", "..", "data", "questions.json");

export const KIND_NAMES: Record<ItemKind, string> = {
  Q: "question",
  "Q+code": "question with seed code",
  C: "coding problem",
};

const ITEM_ID = /^S[0-4]-[QC][1-9]\d*$/;
const TOPIC = /^\d\d-[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every problem with the data, each naming the item (or bank) and the field; empty when valid. */
export function validateQuestionData(data: QuestionData): string[] {
  const problems: string[] = [];
  if (typeof data.source !== "string" || data.source === "") problems.push("source: missing (say where the list comes from)");
  if (!Array.isArray(data.banks) || !Array.isArray(data.items)) return [...problems, "banks and items must be arrays"];
  const bankIds = new Set<string>();
  for (const [index, bank] of data.banks.entries()) {
    const name = `bank ${index + 1} (${String(bank.id)})`;
    if (!/^S[0-4]$/.test(String(bank.id))) problems.push(`${name}: id must be S0 … S4`);
    if (bankIds.has(bank.id)) problems.push(`${name}: listed twice`);
    bankIds.add(bank.id);
    for (const field of ["file", "original", "english"] as const) {
      if (typeof bank[field] !== "string" || bank[field] === "") problems.push(`${name}: ${field} is empty`);
    }
  }
  const seen = new Set<string>();
  for (const [index, item] of data.items.entries()) {
    const name = `item ${index + 1} (${String(item.id)})`;
    if (!ITEM_ID.test(String(item.id))) {
      problems.push(`${name}: id must look like S0-Q12 or S4-C3`);
      continue;
    }
    if (seen.has(item.id)) problems.push(`${name}: listed twice`);
    seen.add(item.id);
    if (item.bank !== item.id.slice(0, 2) || !bankIds.has(item.bank)) problems.push(`${name}: bank ${String(item.bank)} is not its id's bank or is not listed`);
    const coding = item.id[3] === "C";
    if (!(item.kind in KIND_NAMES)) problems.push(`${name}: kind ${JSON.stringify(item.kind)} is not one of Q, Q+code, C`);
    else if (coding !== (item.kind === "C")) problems.push(`${name}: kind ${item.kind} does not match its id (C ids are coding problems)`);
    if (!TOPIC.test(String(item.topic))) problems.push(`${name}: topic ${JSON.stringify(item.topic)} is not a notebook name like 16-rnn-lstm-time-series`);
    for (const field of ["english", "original"] as const) {
      if (typeof item[field] !== "string" || item[field].trim() === "") problems.push(`${name}: ${field} title is empty`);
    }
  }
  const topicsByNumber = new Map<string, string>();
  for (const item of data.items) {
    const number = String(item.topic).slice(0, 2);
    const other = topicsByNumber.get(number);
    if (other !== undefined && other !== item.topic) problems.push(`item ${item.id}: topic ${item.topic} and ${other} share the number ${number}`);
    topicsByNumber.set(number, item.topic);
  }
  return problems;
}

/** Reads and validates the item list; throws one error listing every problem. */
export function loadQuestionData(file = QUESTIONS_FILE): QuestionData {
  let data: QuestionData;
  try {
    data = JSON.parse(readFileSync(file, "utf8")) as QuestionData;
  } catch (error) {
    throw new Error(`${file}: cannot read the item list (${(error as Error).message})`);
  }
  const problems = validateQuestionData(data);
  if (problems.length > 0) throw new Error(`${file}: invalid item list:\n  ${problems.join("\n  ")}`);
  return data;
}

/** The topics in study order (by their number), from the items. */
export function topicsOf(data: QuestionData): string[] {
  return [...new Set(data.items.map((item) => item.topic))].sort();
}

/** One item per line, so that a diff shows the item that changed. */
export function serializeQuestionData(data: QuestionData): string {
  const line = (value: unknown) => `    ${JSON.stringify(value)}`;
  return [
    "{",
    `  "source": ${JSON.stringify(data.source)},`,
    `  "banks": [\n${data.banks.map(line).join(",\n")}\n  ],`,
    `  "items": [\n${data.items.map(line).join(",\n")}\n  ]`,
    "}",
    "",
  ].join("\n");
}
