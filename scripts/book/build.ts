/**
 * npm run book [-- --output-dir DIR]
 *
 * Builds the study site from the notebooks' stored outputs: one page per notebook, the question index (also the
 * coverage report), search and flash cards. No kernel, no network: every script and style comes from
 * node_modules and is copied into the site, so the folder works from file:// or any static host. Fails, naming
 * item and notebook, when an item is answered twice or in a notebook its topic does not name.
 * Exit status: 0 built, 1 the notebooks break a rule or cannot be rendered, 2 a bad argument or output folder.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { findAnswers, missingAnswers, type AnswerIndex } from "./answers";
import type { GlossaryEntry } from "./assets/shared";
import {
  cardsDataScript,
  coverageOf,
  flashCards,
  renderCardsPage,
  renderHomePage,
  renderQuestionsPage,
  renderSearchPage,
  searchIndexScript,
  type Coverage,
} from "./index-pages";
import { pageName, renderNotebookPage } from "./notebook-page";
import { notebookFiles, NOTEBOOKS_DIR, parseNotebookFile, type ParsedNotebook } from "./notebooks";
import { OutputDirError, previousBuildFiles, writeSite } from "./output-dir";
import { loadQuestionData, QUESTIONS_FILE, type QuestionData } from "./questions";
import { buildSearchIndex, searchDocuments } from "./search-index";

const ROOT = join(__dirname, "..", "..");
export const DEFAULT_OUTPUT_DIR = join(ROOT, "site");
export const GLOSSARY_FILE = join(ROOT, "data", "glossary.json");
const ASSETS_DIR = join(__dirname, "assets");

export class BookRuleError extends Error {
  constructor(readonly problems: string[]) {
    super(`the notebooks break the question index's rules:\n  ${problems.join("\n  ")}`);
  }
}

export interface BookInputs {
  notebooksDir?: string;
  questionsFile?: string;
  glossaryFile?: string;
}

export interface BuiltBook {
  files: Map<string, string | Buffer>;
  data: QuestionData;
  notebooks: ParsedNotebook[];
  answers: AnswerIndex;
  coverage: Coverage;
  /** Items of written notebooks that are not answered (reported, not fatal). */
  missing: string[];
  plots: number;
}

export function loadGlossary(file = GLOSSARY_FILE): GlossaryEntry[] {
  const { terms } = JSON.parse(readFileSync(file, "utf8")) as { terms: GlossaryEntry[] };
  return terms;
}

/** Everything the site holds, in memory; nothing is written. Throws BookRuleError on a broken rule. */
export function buildBook(inputs: BookInputs = {}): BuiltBook {
  const data = loadQuestionData(inputs.questionsFile ?? QUESTIONS_FILE);
  const notebooks = notebookFiles(inputs.notebooksDir ?? NOTEBOOKS_DIR).map(parseNotebookFile);
  const answers = findAnswers(data, notebooks);
  if (answers.problems.length > 0) throw new BookRuleError(answers.problems);
  const glossary = loadGlossary(inputs.glossaryFile);

  const files = new Map<string, string | Buffer>();
  const pages: { notebook: ParsedNotebook; sections: ReturnType<typeof renderNotebookPage>["sections"] }[] = [];
  let plots = 0;
  notebooks.forEach((notebook, index) => {
    const link = (other: ParsedNotebook | undefined) => other && { href: pageName(other.slug), label: `${other.number} · ${other.title}` };
    const page = renderNotebookPage(notebook, { previous: link(notebooks[index - 1]), next: link(notebooks[index + 1]) });
    files.set(pageName(notebook.slug), page.html);
    for (const [path, bytes] of page.images) files.set(path, bytes);
    pages.push({ notebook, sections: page.sections });
    plots += page.plots;
  });

  files.set("index.html", renderHomePage(data, answers, notebooks));
  files.set("questions.html", renderQuestionsPage(data, answers, notebooks));
  const cards = flashCards(data, answers);
  files.set("cards.html", renderCardsPage(cards));
  files.set("assets/cards-data.js", cardsDataScript(cards));
  files.set("search.html", renderSearchPage());
  const index = buildSearchIndex(searchDocuments(data, answers, pages));
  files.set("assets/search-index.js", searchIndexScript(index.toJSON(), glossary));
  for (const [path, bytes] of assetFiles()) files.set(path, bytes);

  return { files, data, notebooks, answers, coverage: coverageOf(data, answers, notebooks), missing: missingAnswers(data, answers), plots };
}

/** The site's own scripts and styles, and the packages' files it needs, copied from node_modules. */
export function assetFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(ASSETS_DIR).filter((name) => /\.(js|css)$/.test(name)).sort()) {
    files.set(`assets/${name}`, readFileSync(join(ASSETS_DIR, name)));
  }
  const katexDist = join(dirname(require.resolve("katex/package.json")), "dist");
  files.set("assets/vendor/katex/katex.min.css", readFileSync(join(katexDist, "katex.min.css")));
  // Browsers load the first format they support, woff2 in all current ones; the older formats are left out.
  for (const font of readdirSync(join(katexDist, "fonts")).filter((name) => name.endsWith(".woff2")).sort()) {
    files.set(`assets/vendor/katex/fonts/${font}`, readFileSync(join(katexDist, "fonts", font)));
  }
  files.set("assets/vendor/highlight/github.min.css", readFileSync(join(dirname(require.resolve("highlight.js/package.json")), "styles", "github.min.css")));
  files.set("assets/vendor/plotly.min.js", readFileSync(require.resolve("plotly.js-dist-min")));
  files.set("assets/vendor/minisearch.js", readFileSync(join(dirname(require.resolve("minisearch")), "..", "umd", "index.js")));
  return files;
}

function usage(): string {
  return `Usage: npm run book [-- --output-dir DIR]

Builds the study site into DIR (default: site/, git-ignored) from the notebooks' stored outputs. Open
DIR/index.html in a browser; the folder works from disk or any static host. The build writes only into a
folder it made (or an empty one) and removes only files it wrote there.`;
}

function main(argv: string[]): number {
  let outputDir = DEFAULT_OUTPUT_DIR;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      console.log(usage());
      return 0;
    } else if (arg === "--output-dir" && argv[i + 1] !== undefined) outputDir = resolve(argv[++i]!);
    else if (arg.startsWith("--output-dir=")) outputDir = resolve(arg.slice("--output-dir=".length));
    else {
      console.error(`npm run book: unknown argument ${arg}\n\n${usage()}`);
      return 2;
    }
  }
  const started = process.hrtime.bigint();
  try {
    previousBuildFiles(outputDir); // refuse a folder that is not ours before any work
    const book = buildBook();
    const { written, removed } = writeSite(outputDir, book.files);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const bytes = [...book.files.values()].reduce((sum, contents) => sum + Buffer.byteLength(contents), 0);
    const { coverage } = book;
    console.log(
      `book: ${coverage.written} notebooks, ${book.plots} interactive charts; questions ${coverage.answered} answered, ` +
        `${coverage.missing} missing, ${coverage.planned} planned (of ${coverage.items})`,
    );
    for (const message of book.missing) console.warn(`  missing: ${message}`);
    console.log(
      `book: ${book.files.size} files, ${(bytes / 1e6).toFixed(1)} MB in ${relative(process.cwd(), outputDir) || "."}/ ` +
        `(${written} written, ${removed} removed) in ${seconds.toFixed(1)} s; open ${join(relative(process.cwd(), outputDir) || ".", "index.html")}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof OutputDirError) {
      console.error(`npm run book: ${error.message}`);
      return 2;
    }
    console.error(`npm run book: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

