// Types of shared.js (plain JavaScript, so that pages load it as it is).
import type MiniSearch from "minisearch";
import type { Options, SearchResult } from "minisearch";

export interface GlossaryEntry {
  zh: string;
  en: string;
}
export function tokenize(text: string): string[];
export function processTerm(term: string): string;
export const indexOptions: Options<Record<string, unknown>>;
export function expandQuery(query: string, glossary: GlossaryEntry[]): string[];
export function search(miniSearch: MiniSearch<Record<string, unknown>>, query: string, glossary: GlossaryEntry[]): SearchResult[];
export function seededOrder<T>(items: readonly T[], seed: number): T[];
