/**
 * The hand-written sentiment set shipped in data/sentiment/sentences.tsv (351 short English review sentences
 * about films, food, products and places, written for this repository, CC0; see data/README.md). Each
 * sentence belongs to a phrasing family (`group`: "but-turn", "negation", "despite", …), so a split by group
 * (`groupTrainTestSplit`) tests on phrasings the model never saw.
 *
 *   const { texts, labels, groups } = loadSentiment();
 *   const { train, test } = groupTrainTestSplit(groups, { testFraction: 0.25, seed: 0 });
 */
import { readDataText } from "../data";

export const SENTIMENT_FILE = "sentiment/sentences.tsv";
export const SENTIMENT_LABELS = ["negative", "positive"] as const;

export interface SentimentDataset {
  name: string;
  /** [n] the sentences as written */
  texts: string[];
  /** [n] 1 = positive, 0 = negative */
  labels: number[];
  /** [n] phrasing family of each sentence */
  groups: string[];
  /** label names, index = label */
  targetNames: string[];
}

/** Parses the TSV (header `text	label	group`); any malformed line is an error naming file and line. */
export function parseSentimentTsv(content: string, file: string = SENTIMENT_FILE): SentimentDataset {
  const lines = content.split(/\r?\n/);
  if (lines[0] !== "text\tlabel\tgroup") throw new Error(`${file}:1: expected the header "text<TAB>label<TAB>group", found ${JSON.stringify(lines[0])}`);
  const data: SentimentDataset = { name: "sentiment", texts: [], labels: [], groups: [], targetNames: [...SENTIMENT_LABELS] };
  lines.slice(1).forEach((line, i) => {
    const where = `${file}:${i + 2}`;
    if (line.trim() === "") return;
    const cells = line.split("\t");
    if (cells.length !== 3) throw new Error(`${where}: expected 3 tab-separated columns (text, label, group), found ${cells.length}`);
    const [text, label, group] = cells as [string, string, string];
    if (text.trim() === "") throw new Error(`${where}: empty text`);
    const id = SENTIMENT_LABELS.indexOf(label as (typeof SENTIMENT_LABELS)[number]);
    if (id < 0) throw new Error(`${where}: label ${JSON.stringify(label)} is not "negative" or "positive"`);
    if (group.trim() === "") throw new Error(`${where}: empty group`);
    data.texts.push(text);
    data.labels.push(id);
    data.groups.push(group);
  });
  if (data.texts.length === 0) throw new Error(`${file}: no sentences after the header`);
  return data;
}

/** Loads data/sentiment/sentences.tsv; a missing file is an error saying how to restore it. */
export function loadSentiment(): SentimentDataset {
  return parseSentimentTsv(readDataText(SENTIMENT_FILE));
}
