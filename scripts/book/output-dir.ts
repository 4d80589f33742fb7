/**
 * The book's output folder. The build writes only into a folder it made: one that is missing, empty, or holds
 * the marker file it leaves (`.book-site.json`, with the list of files it wrote). A rebuild removes only files on
 * that list; anything else found in the folder is left alone. Any other folder is refused before anything is
 * written.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";

export const MARKER_FILE = ".book-site.json";
const BUILT_BY = "npm run book (ml-interview-notebooks)";

export class OutputDirError extends Error {}

interface Marker {
  builtBy: string;
  files: string[];
}

/** A site path we may write or delete: relative, forward slashes, no `..`, not the marker. */
function assertSitePath(path: string, source: string): void {
  if (isAbsolute(path) || path.split("/").some((part) => part === ".." || part === "" || part === ".") || path === MARKER_FILE || normalize(path).split(sep).join("/") !== path) {
    throw new OutputDirError(`${source}: refusing the path ${JSON.stringify(path)} (not a plain relative path inside the site)`);
  }
}

/** The files a previous build wrote here (empty for a new or empty folder); throws when the folder is not ours. */
export function previousBuildFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink() || !stat.isDirectory()) throw new OutputDirError(`${dir} is not a folder (or is a symbolic link); choose another --output-dir`);
  const markerPath = join(dir, MARKER_FILE);
  if (!existsSync(markerPath)) {
    if (readdirSync(dir).length === 0) return [];
    throw new OutputDirError(`${dir} exists and was not made by npm run book (it has no ${MARKER_FILE}); move it away or choose another --output-dir`);
  }
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(markerPath, "utf8")) as Marker;
  } catch (error) {
    throw new OutputDirError(`${markerPath} is not valid JSON (${(error as Error).message}); remove the folder yourself if it is a book`);
  }
  if (marker.builtBy !== BUILT_BY || !Array.isArray(marker.files)) throw new OutputDirError(`${markerPath} was not written by npm run book`);
  for (const file of marker.files) assertSitePath(String(file), markerPath);
  return marker.files;
}

function writeMarker(dir: string, files: string[]): void {
  writeFileSync(join(dir, MARKER_FILE), `${JSON.stringify({ builtBy: BUILT_BY, files: [...files].sort() }, null, 1)}\n`);
}

/**
 * Writes the site: new and changed files are written, files of the previous build that this one does not make
 * are removed (with folders left empty by that), all else stays. Returns the number of files written.
 */
export function writeSite(dir: string, files: Map<string, string | Buffer>): { written: number; removed: number } {
  const previous = previousBuildFiles(dir);
  for (const path of files.keys()) assertSitePath(path, "the build");
  mkdirSync(dir, { recursive: true });
  // Until the end, the marker lists old and new files: an interrupted build stays recognisable and cleanable.
  writeMarker(dir, [...new Set([...previous, ...files.keys()])]);
  let removed = 0;
  for (const path of previous) {
    if (files.has(path)) continue;
    const full = join(dir, path);
    if (existsSync(full) && lstatSync(full).isFile()) {
      unlinkSync(full);
      removed += 1;
      removeEmptyFolders(dir, dirname(path));
    }
  }
  let written = 0;
  for (const [path, contents] of files) {
    const full = join(dir, path);
    const bytes = typeof contents === "string" ? Buffer.from(contents) : contents;
    if (existsSync(full) && lstatSync(full).isFile() && readFileSync(full).equals(bytes)) continue;
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    written += 1;
  }
  writeMarker(dir, [...files.keys()]);
  return { written, removed };
}

function removeEmptyFolders(dir: string, folder: string): void {
  for (let current = folder; current !== "." && current !== ""; current = dirname(current)) {
    const full = join(dir, current);
    if (!existsSync(full) || readdirSync(full).length > 0) return;
    rmdirSync(full);
  }
}
