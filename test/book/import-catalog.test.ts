// scripts/book/import-catalog.ts: the catalog's tables become data/questions.json, in the committed form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseCatalog } from "../../scripts/book/import-catalog";
import { QUESTIONS_FILE, loadQuestionData, serializeQuestionData } from "../../scripts/book/questions";

const CATALOG = `# Seed catalog

### 0.1 Seed files

| Code | File | Original title | English title |
|---|---|---|---|
| S0 | \`000_a.txt\` | 题库零 | Bank zero |
| S4 | \`004_e.txt\` | 题库四 | Bank four |

## 1. Inventory

### 1.1 S0 — \`000_a.txt\`

| ID | Kind | English title | Original title | Topic | Dup | Seed-answer flaws |
|---|---|---|---|---|---|---|
| S0-Q12 | Q | What is an RNN? | 什么是循环神经网络（RNN）？ | 16-rnn-lstm-time-series | D11 | Wrong: claims … |
| S0-C4 | C | Implement an RNN | 实现一个循环神经网络（RNN） | 16-rnn-lstm-time-series | — | §3 |

### 1.5 S4 — \`004_e.txt\`

| ID | Kind | English title | Original title | Topic | Dup | Seed-answer flaws |
|---|---|---|---|---|---|---|
| S4-C1 | C | Implement a naive Bayes classifier | 实现一个朴素贝叶斯分类器 | 09-naive-bayes | — | §3 |

## 3. What is wrong

| S0-Q12 | not an inventory row | x | y | z | w | v |
`;

test("the catalog's bank and item tables become the item list; rows outside §0.1 and §1 are ignored", () => {
  const data = parseCatalog(CATALOG);
  assert.deepEqual(data.banks, [
    { id: "S0", file: "000_a.txt", original: "题库零", english: "Bank zero" },
    { id: "S4", file: "004_e.txt", original: "题库四", english: "Bank four" },
  ]);
  assert.deepEqual(data.items, [
    { id: "S0-Q12", bank: "S0", kind: "Q", english: "What is an RNN?", original: "什么是循环神经网络（RNN）？", topic: "16-rnn-lstm-time-series" },
    { id: "S0-C4", bank: "S0", kind: "C", english: "Implement an RNN", original: "实现一个循环神经网络（RNN）", topic: "16-rnn-lstm-time-series" },
    { id: "S4-C1", bank: "S4", kind: "C", english: "Implement a naive Bayes classifier", original: "实现一个朴素贝叶斯分类器", topic: "09-naive-bayes" },
  ]);
});

test("a catalog that gives an invalid list is refused, naming the row or the item", () => {
  assert.throws(() => parseCatalog(CATALOG.replace("| S0-C4 | C |", "| S0-C4 | Q |")), /S0-C4\): kind Q does not match its id/);
  assert.throws(() => parseCatalog(CATALOG.replace("| 09-naive-bayes | — | §3 |", "| 09-naive-bayes | §3 |")), /catalog line \d+: expected 7 cells, found 6/);
});

test("data/questions.json is in the form the importer writes (one item per line)", () => {
  assert.equal(readFileSync(QUESTIONS_FILE, "utf8"), serializeQuestionData(loadQuestionData()));
});
