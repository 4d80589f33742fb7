/**
 * A throwaway copy of test/fixtures/notebooks for runner tests: inside the repository (tslab resolves
 * "tslab" and @types from the ancestors' node_modules) under the ignored .cache/, with the same lib symlink
 * that notebooks/ has.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "notebooks");

export function makeScratch(prefix: string): { dir: string; remove: () => void } {
  const base = join(ROOT, ".cache", "test-runs");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  cpSync(FIXTURES, dir, { recursive: true });
  symlinkSync("../../../lib", join(dir, "lib"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Whether a process is alive; a zombie (killed, not yet reaped by an init that does not reap) is not. */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
