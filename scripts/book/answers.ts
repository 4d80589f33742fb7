/**
 * Which notebook answers which item, found in the notebooks themselves: an item is answered by the notebook
 * whose question table lists it, at the first heading that names its id (else at the notebook's top, where the
 * table and the short answer are). The rules the build enforces: an item is answered once, only by the notebook
 * its topic names, and only items of the list are named. Items of a written notebook that it does not list are
 * "missing"; items of notebooks not written yet are "planned".
 */
import type { Item, QuestionData } from "./questions";
import type { NotebookHeading, ParsedNotebook } from "./notebooks";
import { TOP_ANCHOR } from "./markdown";

export interface Answer {
  item: Item;
  notebook: ParsedNotebook;
  /** The heading that answers it; undefined = the notebook's top. */
  heading: NotebookHeading | undefined;
  /** Anchor on the notebook's page. */
  anchor: string;
  /** Other headings of the same notebook that name it (follow-ups, "spot the bug"). */
  alsoAt: NotebookHeading[];
}

export type ItemStatus = "answered" | "missing" | "planned";

export interface AnswerIndex {
  answers: Map<string, Answer>;
  status: Map<string, ItemStatus>;
  /** Violations of the rules; the build fails on any. */
  problems: string[];
}


export function findAnswers(data: QuestionData, notebooks: ParsedNotebook[]): AnswerIndex {
  const items = new Map(data.items.map((item) => [item.id, item]));
  const problems: string[] = [];
  const answers = new Map<string, Answer>();
  const written = new Set(notebooks.map((notebook) => notebook.slug));
  const where = (notebook: ParsedNotebook) => `notebooks/${notebook.slug}.ipynb`;

  // Which notebooks list each item in their question table (an item listed twice in one table counts once here).
  const listedIn = new Map<string, ParsedNotebook[]>();
  for (const notebook of notebooks) {
    const seen = new Set<string>();
    for (const { id, line } of notebook.declared) {
      if (!items.has(id)) problems.push(`${id}, listed in the question table of ${where(notebook)} (first cell, line ${line}), is not an item of data/questions.json`);
      else if (seen.has(id)) problems.push(`${id} is answered twice: listed twice in the question table of ${where(notebook)}`);
      else listedIn.set(id, [...(listedIn.get(id) ?? []), notebook]);
      seen.add(id);
    }
  }
  for (const [id, listing] of listedIn) {
    const item = items.get(id)!;
    if (listing.length > 1) {
      problems.push(`${id} is answered twice: in ${listing.map(where).join(" and in ")} (its topic is ${item.topic})`);
      continue;
    }
    const notebook = listing[0]!;
    if (item.topic !== notebook.slug) {
      problems.push(`${id} is answered in ${where(notebook)}, but its topic is ${item.topic}: move the answer there or change the item's topic in data/questions.json`);
      continue;
    }
    const headings = notebook.headings.filter((heading) => heading.items.includes(id));
    answers.set(id, { item, notebook, heading: headings[0], anchor: headings[0]?.id ?? TOP_ANCHOR, alsoAt: headings.slice(1) });
  }
  // A heading that names an item answers it: it must be one its own table lists.
  for (const notebook of notebooks) {
    const listed = new Set(notebook.declared.map((row) => row.id));
    for (const heading of notebook.headings) {
      for (const id of heading.items) {
        if (listed.has(id)) continue;
        const item = items.get(id);
        if (!item) problems.push(`${id}, named by the heading "${heading.text}" in ${where(notebook)}, is not an item of data/questions.json`);
        else if (item.topic !== notebook.slug) {
          problems.push(`${id} is answered in ${where(notebook)} (heading "${heading.text}"), but its topic is ${item.topic}; a heading that names an item answers it, so cite it in the prose instead`);
        } else problems.push(`${id} is named by the heading "${heading.text}" in ${where(notebook)}, but the notebook's question table does not list it`);
      }
    }
  }

  const status = new Map<string, ItemStatus>();
  for (const item of data.items) {
    status.set(item.id, answers.has(item.id) ? "answered" : written.has(item.topic) ? "missing" : "planned");
  }
  return { answers, status, problems };
}

/** The items of written notebooks that their notebook does not answer, as messages naming both. */
export function missingAnswers(data: QuestionData, index: AnswerIndex): string[] {
  return data.items
    .filter((item) => index.status.get(item.id) === "missing")
    .map((item) => `${item.id} (topic ${item.topic}) is not answered: notebooks/${item.topic}.ipynb does not list it in its question table`);
}
