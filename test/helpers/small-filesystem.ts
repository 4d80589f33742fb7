/**
 * A real, tiny file system for tests of full disks and read-only mounts: a tmpfs of a few kilobytes mounted
 * at a fresh folder. Mounting needs root (or CAP_SYS_ADMIN) on Linux; where it is impossible, `mountTmpfs`
 * returns the reason and the tests that need it skip, saying why (the injected-fault tests always run).
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SmallFilesystem {
  dir: string;
  /** Remounts it read-only (or writable again). */
  setReadOnly(readOnly: boolean): void;
  unmount(): void;
}

function mount(args: string[]): void {
  execFileSync("mount", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Mounts a tmpfs of `kilobytes` at a new folder inside `parent`; a string says why that is impossible here. */
export function mountTmpfs(kilobytes: number, parent = tmpdir()): SmallFilesystem | string {
  if (process.platform !== "linux") return "tmpfs mounts need Linux";
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "small-fs-"));
  try {
    mount(["-t", "tmpfs", "-o", `size=${kilobytes}k,mode=0755`, "tmpfs", dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
  return {
    dir,
    setReadOnly: (readOnly) => mount(["-o", `remount,${readOnly ? "ro" : "rw"}`, dir]),
    unmount: () => {
      execFileSync("umount", ["-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the file system holding `dir` until a write fails with ENOSPC, with a file named `name`. */
export function fillUp(dir: string, name = "filler"): void {
  const chunk = Buffer.alloc(1024, 7);
  const fd = openSync(join(dir, name), "a");
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}
