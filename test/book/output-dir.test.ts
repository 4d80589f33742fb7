// The book's output folder: written only when it is ours (missing, empty, or marked by a previous build);
// a rebuild removes only files that build wrote, never a file someone else put there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MARKER_FILE, OutputDirError, previousBuildFiles, writeSite } from "../../scripts/book/output-dir";

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "book-out-"));
}

const site = (entries: Record<string, string>) => new Map(Object.entries(entries));

test("a new folder is made; a rebuild rewrites only what changed and removes only its own old files", (t) => {
  const root = scratch();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, "site");
  assert.deepEqual(writeSite(dir, site({ "index.html": "a", "img/x/figure-1.png": "png", "old.html": "old" })), { written: 3, removed: 0 });
  writeFileSync(join(dir, "notes.txt"), "mine");
  mkdirSync(join(dir, "img", "mine"));
  writeFileSync(join(dir, "img", "mine", "keep.png"), "mine too");
  assert.deepEqual(writeSite(dir, site({ "index.html": "b", "img/x/figure-1.png": "png" })), { written: 1, removed: 1 });
  assert.equal(existsSync(join(dir, "old.html")), false);
  assert.equal(readFileSync(join(dir, "index.html"), "utf8"), "b");
  assert.equal(readFileSync(join(dir, "notes.txt"), "utf8"), "mine");
  assert.equal(readFileSync(join(dir, "img", "mine", "keep.png"), "utf8"), "mine too");
  // A build without the figures removes them and the folder they leave empty, not a folder holding other files.
  writeSite(dir, site({ "index.html": "b" }));
  assert.equal(existsSync(join(dir, "img", "x")), false);
  assert.equal(existsSync(join(dir, "img", "mine", "keep.png")), true);
  assert.deepEqual(previousBuildFiles(dir), ["index.html"]);
});

test("a folder the build did not make is refused before anything is written or removed", (t) => {
  const root = scratch();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, "site");
  mkdirSync(dir);
  writeFileSync(join(dir, "index.html"), "my own page");
  assert.throws(() => writeSite(dir, site({ "index.html": "book" })), (error: unknown) => error instanceof OutputDirError && /was not made by npm run book/.test(error.message));
  assert.deepEqual(readdirSync(dir), ["index.html"]);
  assert.equal(readFileSync(join(dir, "index.html"), "utf8"), "my own page");

  writeFileSync(join(dir, MARKER_FILE), "{ not json");
  assert.throws(() => writeSite(dir, site({ "index.html": "book" })), /is not valid JSON/);
  writeFileSync(join(dir, MARKER_FILE), JSON.stringify({ builtBy: "someone else", files: ["index.html"] }));
  assert.throws(() => writeSite(dir, site({ "index.html": "book" })), /was not written by npm run book/);
  // A marker that lists a path outside the folder is refused, and the file outside survives.
  writeFileSync(join(root, "outside.txt"), "outside");
  writeFileSync(join(dir, MARKER_FILE), JSON.stringify({ builtBy: "npm run book (ml-interview-notebooks)", files: ["../outside.txt"] }));
  assert.throws(() => writeSite(dir, site({ "index.html": "book" })), /refusing the path "\.\.\/outside\.txt"/);
  assert.equal(readFileSync(join(root, "outside.txt"), "utf8"), "outside");
  assert.equal(readFileSync(join(dir, "index.html"), "utf8"), "my own page");

  const link = join(root, "link");
  symlinkSync(root, link);
  assert.throws(() => writeSite(link, site({ "index.html": "book" })), /symbolic link/);
  const file = join(root, "file");
  writeFileSync(file, "x");
  assert.throws(() => writeSite(file, site({ "index.html": "book" })), /is not a folder/);
});

test("npm run book refuses a foreign --output-dir with exit 2 and leaves it as it was", (t) => {
  const root = scratch();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, "thesis.tex"), "precious");
  const result = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "scripts", "book", "build.ts"), "--output-dir", root], { encoding: "utf8" });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /exists and was not made by npm run book/);
  assert.deepEqual(readdirSync(root), ["thesis.tex"]);
  const unknown = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "scripts", "book", "build.ts"), "--outdir", root], { encoding: "utf8" });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown argument --outdir/);
});
