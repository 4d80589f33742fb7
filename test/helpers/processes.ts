/** Process-tree helpers for tests that prove no browser outlives its owner (Linux: reads /proc). */
import { readdirSync, readFileSync } from "node:fs";

/** Pids of all descendants of `pid`. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; field 2, the command name, may contain spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended while we listed it
    }
  }
  const found: number[] = [];
  const walk = (p: number): void => {
    for (const [child, ppid] of parentOf) {
      if (ppid === p) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Waits up to `timeoutMs` for all `pids` to end; returns those still running. */
export async function survivors(pids: number[], timeoutMs = 5000): Promise<number[]> {
  const alive = () => pids.filter(isRunning);
  const deadline = Date.now() + timeoutMs;
  while (alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return alive();
}

/** A zombie (state Z) has ended and only waits to be reaped by its new parent, which may be a lazy pid 1. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
