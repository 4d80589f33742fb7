// The question index's rules, on the real notebooks (coverage) and on small made-up notebooks (each violation
// is an error that names the item and the notebook).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Notebook } from "../../scripts/runner/ipynb";
import { findAnswers, missingAnswers } from "../../scripts/book/answers";
import { notebookFiles, parseNotebookFile, parseNotebookForBook, shortAnswer } from "../../scripts/book/notebooks";
import { loadQuestionData, topicsOf } from "../../scripts/book/questions";

const data = loadQuestionData();

test("the written notebooks: every item answered at most once, each notebook answers all items of its topic", () => {
  const notebooks = notebookFiles().map(parseNotebookFile);
  const index = findAnswers(data, notebooks);
  assert.deepEqual(index.problems, []);
  // At most once: count the declarations across all notebooks directly, not through findAnswers.
  const declaredIn = new Map<string, string[]>();
  for (const notebook of notebooks) for (const { id } of notebook.declared) declaredIn.set(id, [...(declaredIn.get(id) ?? []), notebook.slug]);
  for (const [id, where] of declaredIn) assert.equal(where.length, 1, `${id} is declared in ${where.join(", ")}`);
  // Each written notebook answers every item its topic lists.
  for (const notebook of notebooks) {
    const expected = data.items.filter((item) => item.topic === notebook.slug).map((item) => item.id).sort();
    assert.deepEqual(notebook.declared.map((row) => row.id).sort(), expected, `notebooks/${notebook.slug}.ipynb`);
  }
  assert.deepEqual(missingAnswers(data, index), []);
  const written = new Set(notebooks.map((notebook) => notebook.slug));
  const planned = data.items.filter((item) => !written.has(item.topic)).length;
  assert.equal(index.answers.size + planned, data.items.length);
  console.log(`question index: ${index.answers.size} of ${data.items.length} items answered in ${notebooks.length} notebooks, ${planned} planned in ${topicsOf(data).length - notebooks.length} notebooks`);
});

test("notebook 16 answers S0-Q12 at its own section, with that section's short answer", () => {
  const notebook = parseNotebookFile(notebookFiles().find((file) => file.includes("16-rnn-lstm-time-series"))!);
  const answer = findAnswers(data, [notebook]).answers.get("S0-Q12")!;
  assert.match(answer.heading!.text, /^1\. S0-Q12 · What is an RNN\?/);
  assert.match(shortAnswer(notebook, answer.heading)!, /^A network with a loop/);
});

/** A notebook with a question table listing `declared` and one `##` heading per entry of `headings`. */
function notebook(slug: string, declared: string[], headings: string[] = []): ReturnType<typeof parseNotebookForBook> {
  const table = ["**Questions this notebook answers**", "", "| id | question | 原题 |", "|---|---|---|", ...declared.map((id) => `| ${id} | q | 题 |`)];
  const cells = [
    { cell_type: "markdown" as const, metadata: {}, source: [`# ${slug.slice(0, 2)} · Title`, "", ...table, "", "**The short answer an interviewer wants.** Top answer."].join("\n") },
    ...headings.map((heading) => ({ cell_type: "markdown" as const, metadata: {}, source: `## ${heading}\n\n**Short answer.** Answer of ${heading}.` })),
  ];
  const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
  return parseNotebookForBook(`/x/${slug}.ipynb`, nb);
}

test("an item answered in two notebooks is an error naming both", () => {
  const index = findAnswers(data, [notebook("16-rnn-lstm-time-series", ["S0-Q12"]), notebook("17-word-embeddings-and-text-similarity", ["S1-Q16", "S0-Q12"])]);
  assert.deepEqual(index.problems, [
    "S0-Q12 is answered twice: in notebooks/16-rnn-lstm-time-series.ipynb and in notebooks/17-word-embeddings-and-text-similarity.ipynb (its topic is 16-rnn-lstm-time-series)",
  ]);
  assert.equal(index.answers.has("S0-Q12"), false);
});

test("an item listed twice in one table, in the wrong topic, unknown, or named by a heading only: errors naming item and notebook", () => {
  const twice = findAnswers(data, [notebook("16-rnn-lstm-time-series", ["S0-Q12", "S1-Q5", "S0-Q12"])]);
  assert.deepEqual(twice.problems, ["S0-Q12 is answered twice: listed twice in the question table of notebooks/16-rnn-lstm-time-series.ipynb"]);

  const wrongTopic = findAnswers(data, [notebook("17-word-embeddings-and-text-similarity", ["S1-Q16", "S0-Q12"])]);
  assert.equal(wrongTopic.problems.length, 1);
  assert.match(wrongTopic.problems[0]!, /^S0-Q12 is answered in notebooks\/17-word-embeddings-and-text-similarity\.ipynb, but its topic is 16-rnn-lstm-time-series/);
  assert.equal(wrongTopic.answers.has("S0-Q12"), false);

  const unknown = findAnswers(data, [notebook("16-rnn-lstm-time-series", ["S0-Q99"])]);
  assert.match(unknown.problems[0]!, /^S0-Q99, listed in the question table of notebooks\/16-rnn-lstm-time-series\.ipynb \(first cell, line \d+\), is not an item/);

  const headingOtherTopic = findAnswers(data, [notebook("17-word-embeddings-and-text-similarity", ["S1-Q16"], ["2. S0-Q12 · RNNs again"])]);
  assert.match(headingOtherTopic.problems[0]!, /^S0-Q12 is answered in notebooks\/17-word-embeddings-and-text-similarity\.ipynb \(heading "2\. S0-Q12 · RNNs again"\), but its topic is 16-rnn-lstm-time-series/);

  const headingNotListed = findAnswers(data, [notebook("16-rnn-lstm-time-series", ["S0-Q12"], ["S1-Q5 · LSTM"])]);
  assert.match(headingNotListed.problems[0]!, /^S1-Q5 is named by the heading "S1-Q5 · LSTM" in notebooks\/16-rnn-lstm-time-series\.ipynb, but the notebook's question table does not list it/);
});

test("statuses: answered at the first heading naming the item (else the top), missing in a written notebook, planned otherwise", () => {
  const nb = notebook("16-rnn-lstm-time-series", ["S0-Q12", "S1-Q5"], ["1. S0-Q12 · RNN", "Spot the bug (S0-Q12)"]);
  const index = findAnswers(data, [nb]);
  assert.deepEqual(index.problems, []);
  const q12 = index.answers.get("S0-Q12")!;
  assert.equal(q12.anchor, "1-s0-q12-rnn");
  assert.deepEqual(q12.alsoAt.map((heading) => heading.id), ["spot-the-bug-s0-q12"]);
  assert.equal(shortAnswer(nb, q12.heading), "Answer of 1. S0-Q12 · RNN.");
  const q5 = index.answers.get("S1-Q5")!;
  assert.equal(q5.anchor, "questions");
  assert.equal(shortAnswer(nb, q5.heading), "Top answer.");
  assert.equal(index.status.get("S0-C4"), "missing");
  assert.match(missingAnswers(data, index).join("\n"), /S0-C4 \(topic 16-rnn-lstm-time-series\) is not answered/);
  assert.equal(index.status.get("S0-Q1"), "planned");
});

test("a `# comment` inside a fenced code block is not a heading: the short answer is still found after it", () => {
  const nb = notebook("16-rnn-lstm-time-series", ["S0-Q12"]);
  nb.notebook.cells.push({ cell_type: "markdown", metadata: {}, source: "```bash\n# not a heading\n```\n\n## 1. S0-Q12 · RNN\n\n**Short answer.** The real one." });
  const parsed = parseNotebookForBook(nb.file, nb.notebook);
  const answer = findAnswers(data, [parsed]).answers.get("S0-Q12")!;
  assert.equal(shortAnswer(parsed, answer.heading), "The real one.");
});
