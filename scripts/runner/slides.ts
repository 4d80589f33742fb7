/**
 * npm run slides -- [NN | notebook paths] [--output-dir DIR]
 *
 * Exports notebooks as reveal.js slide decks for teaching, with `jupyter nbconvert --to slides`: one slide per
 * `#`/`##` heading, sub-slides for `###` (the builder's rule, `slideType` in ipynb.ts), stored outputs included,
 * nothing executed. reveal.js comes from the pinned npm package, by a relative path, so a deck works offline.
 * Decks go to `slides/` (git-ignored), never into notebooks/. Exit status: 0 exported, 1 nbconvert failed,
 * 2 a bad argument or no nbconvert.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve, sep } from "node:path";
import { readNotebookFile, slideType, writeNotebookFile, type Notebook } from "./ipynb";

const USAGE = `Usage: npm run slides -- [NN | notebook paths] [--output-dir DIR]

Exports each notebook (default: all of notebooks/) to DIR/NN-slug.slides.html (default DIR: slides/), a
reveal.js deck with the stored outputs: every # or ## heading starts a slide, ### a sub-slide. Needs
\`jupyter nbconvert\` (Debian: apt-get install jupyter-nbconvert; elsewhere: pip install nbconvert).
Open the .html file in a browser; it loads reveal.js from this clone's node_modules/, no network needed.`;

const ROOT = join(__dirname, "..", "..");
const NOTEBOOKS = join(ROOT, "notebooks");
export const REVEAL_DIR = join(ROOT, "node_modules", "reveal.js");

class UsageError extends Error {}

/** The notebooks named by `args`: `03` (a notebook number), an .ipynb or its .ts source; none = every notebook. */
export function selectNotebooks(args: string[]): string[] {
  const all = readdirSync(NOTEBOOKS).filter((file) => /^\d\d-.*\.ipynb$/.test(file)).sort();
  if (args.length === 0) return all.map((file) => join(NOTEBOOKS, file));
  return args.map((arg) => {
    if (/^\d{1,2}$/.test(arg)) {
      const found = all.find((file) => file.startsWith(`${arg.padStart(2, "0")}-`));
      if (found === undefined) throw new UsageError(`no notebook number ${arg} in notebooks/`);
      return join(NOTEBOOKS, found);
    }
    const notebook = resolve(arg.replace(/\.ts$/, ".ipynb"));
    if (!notebook.endsWith(".ipynb") || !existsSync(notebook)) throw new UsageError(`no notebook ${arg}`);
    return notebook;
  });
}

/** The notebook with every cell's slide type set by the builder's rule (also for an .ipynb built before the rule). */
export function withSlideBreaks(notebook: Notebook): Notebook {
  const copy = structuredClone(notebook);
  copy.cells.forEach((cell, index) => {
    cell.metadata["slideshow"] = { slide_type: slideType({ type: cell.cell_type, source: cell.source }, index) };
  });
  return copy;
}

/** Exports one notebook; returns the deck's path. The temporary copy keeps nbconvert away from notebooks/. */
export function exportSlides(notebookPath: string, outputDir: string): string {
  const work = mkdtempSync(join(tmpdir(), "slides-"));
  try {
    const name = basename(notebookPath, ".ipynb");
    const copy = join(work, `${name}.ipynb`);
    writeNotebookFile(copy, withSlideBreaks(readNotebookFile(notebookPath)));
    // A relative URL, so the deck and the clone can move together; forward slashes on every platform.
    const revealPrefix = relative(outputDir, REVEAL_DIR).split(sep).join("/");
    const result = spawnSync(
      "jupyter",
      ["nbconvert", "--to", "slides", copy, "--output-dir", outputDir, `--SlidesExporter.reveal_url_prefix=${revealPrefix}`],
      { encoding: "utf8", shell: process.platform === "win32" },
    );
    if (result.status !== 0) throw new Error(`jupyter nbconvert failed for ${name}:\n${result.stderr || result.error?.message}`);
    return join(outputDir, `${name}.slides.html`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function nbconvertAvailable(): boolean {
  return spawnSync("jupyter", ["nbconvert", "--version"], { stdio: "ignore", shell: process.platform === "win32" }).status === 0;
}

function main(argv: string[]): number {
  let outputDir = join(ROOT, "slides");
  const selectors: string[] = [];
  let notebooks: string[];
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] as string;
      if (arg === "-h" || arg === "--help") return console.log(USAGE), 0;
      if (arg === "--output-dir") {
        const value = argv[++i];
        if (!value) throw new UsageError("--output-dir needs a folder");
        outputDir = resolve(value);
      } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      else selectors.push(arg);
    }
    notebooks = selectNotebooks(selectors);
    if (resolve(outputDir) === NOTEBOOKS) throw new UsageError("--output-dir must not be notebooks/");
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (!existsSync(join(REVEAL_DIR, "dist", "reveal.js"))) return console.error("node_modules/reveal.js is missing: run `npm ci` first."), 2;
  if (!nbconvertAvailable()) return console.error(`\`jupyter nbconvert\` was not found.\n\n${USAGE}`), 2;
  mkdirSync(outputDir, { recursive: true });
  for (const notebook of notebooks) {
    try {
      console.log(`slides: wrote ${relative(process.cwd(), exportSlides(notebook, outputDir))}`);
    } catch (error) {
      console.error((error as Error).message);
      return 1;
    }
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
