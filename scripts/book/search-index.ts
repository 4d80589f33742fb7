/**
 * The search index, built once at build time with MiniSearch and loaded as it is by the search page: one document
 * per item (its id, English question and 原题, linking to its answer) and one per notebook section (heading and
 * prose). Tokenizer and query rules live in assets/shared.js, which the page uses too.
 */
import MiniSearch from "minisearch";
import { indexOptions } from "./assets/shared";
import type { AnswerIndex } from "./answers";
import { answerHref } from "./index-pages";
import type { SearchSection } from "./notebook-page";
import { pageName } from "./notebook-page";
import type { ParsedNotebook } from "./notebooks";
import type { QuestionData } from "./questions";

export interface SearchDocument {
  [field: string]: unknown;
  key: string;
  kind: "question" | "section";
  href: string;
  ids: string;
  title: string;
  original: string;
  text: string;
  where: string;
  snippet: string;
}

const SNIPPET = 220;

export function searchDocuments(
  data: QuestionData,
  index: AnswerIndex,
  pages: { notebook: ParsedNotebook; sections: SearchSection[] }[],
): SearchDocument[] {
  const documents: SearchDocument[] = data.items.map((item) => {
    const answer = index.answers.get(item.id);
    const status = index.status.get(item.id);
    return {
      key: item.id,
      kind: "question",
      href: answerHref(index, item),
      ids: item.id,
      title: `${item.id} · ${item.english}`,
      original: item.original,
      text: "",
      where: answer ? `${answer.notebook.number} · ${answer.notebook.title}` : `${item.topic.slice(0, 2)} · ${status} notebook`,
      snippet: item.original,
    };
  });
  for (const { notebook, sections } of pages) {
    for (const section of sections) {
      documents.push({
        key: `${notebook.slug}#${section.anchor}`,
        kind: "section",
        href: `${pageName(notebook.slug)}#${section.anchor}`,
        ids: section.items.join(" "),
        title: section.heading,
        original: "",
        text: section.text,
        where: `${notebook.number} · ${notebook.title}`,
        snippet: section.text.length > SNIPPET ? `${section.text.slice(0, SNIPPET).replace(/\s+\S*$/, "")} …` : section.text,
      });
    }
  }
  return documents;
}

export function buildSearchIndex(documents: SearchDocument[]): MiniSearch<SearchDocument> {
  const miniSearch = new MiniSearch<SearchDocument>(indexOptions as never);
  miniSearch.addAll(documents);
  return miniSearch;
}
