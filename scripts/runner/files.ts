/**
 * Writing files so that nothing is ever half-written: used for notebooks, reports and timings (scripts/) and for
 * pretrained weights (lib/nn/pretrained.ts).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { basename, dirname, join } from "node:path";

/** Plain words for the errors a write meets on a healthy machine (full disk, read-only mount, permissions). */
const CAUSES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
  EFBIG: "the file is larger than the file system allows",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "its folder does not exist",
  ENOTDIR: "a part of its path is not a folder",
  EISDIR: "it is a folder",
  EIO: "an input/output error of the device",
};

/** A file that could not be written; the file that was there before (if any) is unchanged. */
export class FileWriteError extends Error {
  constructor(
    readonly file: string,
    /** The system error code (ENOSPC, EROFS, EACCES, …), or "short-write" when the device stopped accepting bytes. */
    readonly code: string,
    cause?: unknown,
  ) {
    const reason = CAUSES[code] ?? (code === "short-write" ? "the device accepted no more bytes" : String((cause as Error | undefined)?.message ?? code));
    super(`cannot write ${file}: ${reason} (${code})`, { cause });
    this.name = "FileWriteError";
  }

  static from(file: string, error: unknown): FileWriteError {
    if (error instanceof FileWriteError) return error.file === file ? error : new FileWriteError(file, error.code, error);
    return new FileWriteError(file, (error as NodeJS.ErrnoException | undefined)?.code ?? "unknown", error);
  }
}

/**
 * Writes all of `bytes` to `fd`: `writeSync` may write fewer bytes than asked (a nearly full disk, a signal) and
 * says so only by its return value, so it is called until every byte is written; a call that writes nothing
 * is a failure, not a reason to loop forever.
 */
export function writeAll(fd: number, bytes: Uint8Array, write: (fd: number, bytes: Uint8Array, offset: number, length: number) => number = fs.writeSync): void {
  for (let offset = 0; offset < bytes.length; ) {
    const written = write(fd, bytes, offset, bytes.length - offset);
    if (!(written > 0)) throw Object.assign(new Error(`wrote ${offset} of ${bytes.length} bytes`), { code: "short-write" });
    offset += written;
  }
}

/**
 * Writes through a temporary file in the same directory, flushed to disk, then a rename, so readers never see
 * half a file and a failed write leaves the old file (and no temporary) behind. Throws FileWriteError naming
 * the file and the cause.
 */
export function writeFileAtomic(file: string, contents: Uint8Array | string): void {
  writeFilesAtomic([[file, contents]]);
}

/**
 * Writes several files as one: every temporary file is written and flushed before the first rename, so a
 * write that fails (a full disk) leaves all the old files as they were, never a new one beside old ones. The
 * renames follow in the given order (they need no room on the disk).
 */
export function writeFilesAtomic(files: [file: string, contents: Uint8Array | string][]): void {
  const staged: [temporary: string, file: string][] = [];
  try {
    for (const [file, contents] of files) {
      const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
      try {
        writeTemporary(temporary, typeof contents === "string" ? Buffer.from(contents, "utf8") : contents);
      } catch (error) {
        removeQuietly(temporary);
        throw FileWriteError.from(file, error);
      }
      staged.push([temporary, file]);
    }
    for (const [temporary, file] of staged) {
      try {
        fs.renameSync(temporary, file);
      } catch (error) {
        throw FileWriteError.from(file, error);
      }
    }
  } finally {
    for (const [temporary] of staged) removeQuietly(temporary); // nothing left once renamed
  }
}

/** Removes a temporary file if it is there; its absence (or a path that cannot hold it) is no error. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // ENOTDIR and the like: there is nothing to remove
  }
}

function writeTemporary(temporary: string, bytes: Uint8Array): void {
  const fd = fs.openSync(temporary, "wx");
  try {
    writeAll(fd, bytes);
    fs.fsyncSync(fd); // a delayed-allocation file system may report ENOSPC only here
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Throws FileWriteError unless a file can be created beside `file` (its folder exists, is writable, is on a
 * writable file system) and `file` itself is not a folder: what a command checks before it runs anything,
 * so that a report path that cannot be written is found before the work, not after it.
 */
export function assertWritable(file: string): void {
  try {
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
    const probe = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.probe`);
    fs.closeSync(fs.openSync(probe, "wx"));
    removeQuietly(probe);
  } catch (error) {
    throw FileWriteError.from(file, error);
  }
}
