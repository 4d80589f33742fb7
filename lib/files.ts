/**
 * Writing files so that nothing is ever half-written: used for notebooks, reports and timings (scripts/) and for
 * pretrained weights (lib/nn/pretrained.ts).
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes through a temporary file in the same directory, flushed to disk, then a rename, so readers never see
 * half a file and a failed write leaves the old file (and no temporary) behind.
 */
export function writeFileAtomic(file: string, contents: Uint8Array | string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fd = openSync(temporary, "w");
    try {
      if (typeof contents === "string") writeSync(fd, contents);
      else writeSync(fd, contents, 0, contents.length);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
