// data/glossary.json: each Chinese term leads search to English prose the book really has.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadGlossary } from "../../scripts/book/build";
import { notebookFiles } from "../../scripts/book/notebooks";
import { loadQuestionData } from "../../scripts/book/questions";
import { readNotebookFile } from "../../scripts/runner/ipynb";

test("every glossary term's English occurs in a written notebook or an item's English title; no Chinese term twice", () => {
  const normalise = (text: string) => text.toLowerCase().replace(/[-_]/g, " ");
  const corpus = normalise(
    [
      ...notebookFiles().flatMap((file) => readNotebookFile(file).cells.map((cell) => cell.source)),
      ...loadQuestionData().items.map((item) => item.english),
    ].join("\n"),
  );
  const terms = loadGlossary();
  assert.ok(terms.length > 50);
  for (const { zh, en } of terms) {
    assert.match(zh, /^\p{Script=Han}+$/u, `${zh} is a Chinese term`);
    assert.ok(corpus.includes(normalise(en)), `${zh} → "${en}": no notebook or question uses "${en}"`);
  }
  assert.equal(new Set(terms.map((term) => term.zh)).size, terms.length);
  // Longer terms first, so that 随机梯度下降 is translated before the 梯度下降 inside it.
  for (let i = 1; i < terms.length; i++) assert.ok(terms[i - 1]!.zh.length >= terms[i]!.zh.length, `${terms[i - 1]!.zh} before ${terms[i]!.zh}`);
});
