/**
 * npx tsx scripts/book/import-catalog.ts CATALOG.md
 *
 * Writes data/questions.json, the project's list of the 147 seed items, from §0.1 (the five question banks) and
 * §1 (one table row per item: ID, Kind, English title, Original title, Topic, …) of the project catalog, which
 * lives outside the repository. Run once when the catalog changes; the site and its tests read only the JSON.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../runner/files";
import { serializeQuestionData, validateQuestionData, type Bank, type Item, type ItemKind, type QuestionData } from "./questions";

const ROOT = join(__dirname, "..", "..");

function tableCells(line: string): string[] {
  return line.replace(/^\|/, "").replace(/\|\s*$/, "").split("|").map((cell) => cell.trim());
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, "$1");

export function parseCatalog(text: string): QuestionData {
  const lines = text.split("\n");
  const banks: Bank[] = [];
  const items: Item[] = [];
  let section = "";
  for (const [index, line] of lines.entries()) {
    if (line.startsWith("#")) section = line;
    const where = `catalog line ${index + 1}`;
    if (section.startsWith("### 0.1") && /^\| S[0-4] \|/.test(line)) {
      const [id, file, original, english] = tableCells(line);
      banks.push({ id: id!, file: unquote(file!), original: original!, english: english! });
    }
    if (section.startsWith("### 1.") && /^\| S[0-4]-[QC]\d+ \|/.test(line)) {
      const cells = tableCells(line);
      if (cells.length !== 7) throw new Error(`${where}: expected 7 cells, found ${cells.length}`);
      const [id, kind, english, original, topic] = cells as [string, string, string, string, string];
      items.push({ id, bank: id.slice(0, 2), kind: kind as ItemKind, english, original, topic });
    }
  }
  const data: QuestionData = {
    source: "Seed catalog §0.1 (banks) and §1 (items) of the project's planning notes, imported by scripts/book/import-catalog.ts",
    banks,
    items,
  };
  const problems = validateQuestionData(data);
  if (problems.length > 0) throw new Error(`the catalog does not give a valid item list:\n  ${problems.join("\n  ")}`);
  return data;
}

if (require.main === module) {
  const [catalog] = process.argv.slice(2);
  if (!catalog) {
    console.error("Usage: npx tsx scripts/book/import-catalog.ts CATALOG.md");
    process.exit(2);
  }
  const data = parseCatalog(readFileSync(catalog, "utf8"));
  writeFileAtomic(join(ROOT, "data", "questions.json"), serializeQuestionData(data));
  console.log(`data/questions.json: ${data.items.length} items in ${data.banks.length} banks`);
}
