// Writes that cannot complete (a full disk, a short write, a read-only mount, no permission) leave the old
// file whole and fail with a message that names the file and the cause: injected faults always, a real tiny
// tmpfs where this machine lets us mount one.
import { after, mock, test } from "node:test";
import * as assert from "node:assert/strict";
import fs from "node:fs";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertWritable, FileWriteError, writeAll, writeFileAtomic, writeFilesAtomic } from "../../scripts/runner/files";
import { fillUp, mountTmpfs } from "../helpers/small-filesystem";

const dir = mkdtempSync(join(tmpdir(), "files-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An errno-style error as fs throws them. */
const systemError = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code });

/** Runs `fn` while fs.writeSync writes at most `limit` bytes per call and throws `code` once `budget` bytes are written. */
function withFaultyWrites(options: { limit?: number; budget?: number; code?: string; zeroAt?: number }, fn: () => void): void {
  const real = fs.writeSync;
  let written = 0;
  const writes = mock.method(fs, "writeSync", (fd: number, bytes: Uint8Array, offset = 0, length = bytes.length - offset) => {
    if (options.zeroAt !== undefined && written >= options.zeroAt) return 0;
    if (options.budget !== undefined && written >= options.budget) throw systemError(options.code ?? "ENOSPC");
    const n = real(fd, bytes, offset, Math.min(length, options.limit ?? length, (options.budget ?? Infinity) - written));
    written += n;
    return n;
  });
  try {
    fn();
  } finally {
    writes.mock.restore();
  }
}

test("writeAll writes every byte however short each write is, and refuses a write that makes no progress", () => {
  const bytes = Buffer.from("0123456789abcdefghij");
  const received: number[] = [];
  writeAll(3, bytes, (_fd, chunk, offset, length) => {
    const n = Math.min(length, 3);
    received.push(...chunk.subarray(offset, offset + n));
    return n;
  });
  assert.equal(Buffer.from(received).toString(), bytes.toString());
  assert.throws(() => writeAll(3, bytes, (_fd, _chunk, _offset, length) => (length > 5 ? 5 : 0)), { code: "short-write" });
});

test("short writes (a signal, a nearly full disk) still store the whole file", () => {
  const file = join(dir, "short.ipynb");
  const text = "é".repeat(5000); // multi-byte characters: bytes, not characters, are counted
  withFaultyWrites({ limit: 777 }, () => writeFileAtomic(file, text));
  assert.equal(readFileSync(file, "utf8"), text);
});

test("a write that fails part-way leaves the old file untouched, no temporary, and names the file and cause", () => {
  const file = join(dir, "notebook.ipynb");
  for (const [fault, cause] of [
    [{ budget: 1000, code: "ENOSPC" }, /no space left on the device \(ENOSPC\)/],
    [{ budget: 0, code: "EDQUOT" }, /disk quota is exhausted \(EDQUOT\)/],
    [{ budget: 10, code: "EIO" }, /input\/output error of the device \(EIO\)/],
    [{ limit: 1000, zeroAt: 1000 }, /the device accepted no more bytes \(short-write\)/],
  ] as const) {
    writeFileSync(file, "the good old notebook");
    withFaultyWrites(fault, () => {
      assert.throws(() => writeFileAtomic(file, "x".repeat(5000)), (error: unknown) => {
        assert.ok(error instanceof FileWriteError);
        assert.match(error.message, new RegExp(`^cannot write ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
        assert.match(error.message, cause);
        return true;
      });
    });
    assert.equal(readFileSync(file, "utf8"), "the good old notebook");
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes("notebook")), ["notebook.ipynb"]);
  }
});

test("open, rename and permission failures are named too: missing folder, a folder in the way, no permission", () => {
  assert.throws(() => writeFileAtomic(join(dir, "missing", "b.ipynb"), "x"), /cannot write \S*missing\/b\.ipynb: its folder does not exist \(ENOENT\)/);
  const folder = join(dir, "a-folder");
  fs.mkdirSync(folder);
  assert.throws(() => writeFileAtomic(folder, "x"), /cannot write \S*a-folder: it is a folder \(EISDIR\)/);
  writeFileSync(join(dir, "plain"), "");
  assert.throws(() => writeFileAtomic(join(dir, "plain", "x.json"), "x"), /a part of its path is not a folder \(ENOTDIR\)/);
  const open = mock.method(fs, "openSync", () => {
    throw systemError("EACCES");
  });
  try {
    assert.throws(() => writeFileAtomic(join(dir, "locked.json"), "x"), /cannot write \S*locked\.json: permission denied \(EACCES\)/);
  } finally {
    open.mock.restore();
  }
  assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith(".tmp")), []);
});

test("writeFilesAtomic stores all files or none: a failure in the last leaves the first ones old", () => {
  const files = ["weights.bin", "model.json", "recipe.json"].map((name) => join(dir, name));
  files.forEach((file, i) => writeFileSync(file, `old ${i}`));
  withFaultyWrites({ budget: 2 * 400 + 100, code: "ENOSPC" }, () => {
    assert.throws(() => writeFilesAtomic(files.map((file) => [file, "n".repeat(400)] as [string, string])), /cannot write \S*recipe\.json: no space left/);
  });
  files.forEach((file, i) => assert.equal(readFileSync(file, "utf8"), `old ${i}`));
  assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith(".tmp")), []);
  writeFilesAtomic(files.map((file, i) => [file, `new ${i}`] as [string, string]));
  files.forEach((file, i) => assert.equal(readFileSync(file, "utf8"), `new ${i}`));
});

test("assertWritable: a creatable file passes and leaves nothing; a missing folder or a folder in the way fails", () => {
  const before = readdirSync(dir).sort();
  assertWritable(join(dir, "report.html"));
  assert.deepEqual(readdirSync(dir).sort(), before);
  assert.throws(() => assertWritable(join(dir, "nope", "junit.xml")), /cannot write \S*nope\/junit\.xml: its folder does not exist \(ENOENT\)/);
  assert.throws(() => assertWritable(dir), /it is a folder \(EISDIR\)/);
});

const small = mountTmpfs(64);
after(() => typeof small !== "string" && small.unmount());

test("on a real full disk and a read-only mount the old file stays whole", { skip: typeof small === "string" ? small : false }, () => {
  if (typeof small === "string") return;
  const file = join(small.dir, "notebook.ipynb");
  const old = "o".repeat(20_000);
  writeFileAtomic(file, old);
  fillUp(small.dir);
  const noSpace = /cannot write \S*notebook\.ipynb: no space left on the device \(ENOSPC\)/;
  assert.throws(() => writeFileAtomic(file, "n".repeat(100)), noSpace);
  assert.equal(readFileSync(file, "utf8"), old);
  // Two pages free again: the next write is short (8 kB of 30 kB), then fails: what truncated a notebook once.
  const filler = join(small.dir, "filler");
  fs.truncateSync(filler, fs.statSync(filler).size - 8192);
  assert.throws(() => writeFileAtomic(file, "n".repeat(30_000)), noSpace);
  assert.equal(readFileSync(file, "utf8"), old);
  assert.deepEqual(readdirSync(small.dir).sort(), ["filler", "notebook.ipynb"]);
  rmSync(join(small.dir, "filler"));
  small.setReadOnly(true);
  try {
    assert.throws(() => writeFileAtomic(file, "new"), /cannot write \S*notebook\.ipynb: the file system is read-only \(EROFS\)/);
    assert.throws(() => assertWritable(join(small.dir, "junit.xml")), /the file system is read-only \(EROFS\)/);
    assert.equal(readFileSync(file, "utf8"), old);
  } finally {
    small.setReadOnly(false);
  }
});
