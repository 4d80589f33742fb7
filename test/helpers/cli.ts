/** Running the notebook runner's command line from tests: as a child process, or main() in this process. */
import { mock } from "node:test";
import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { main } from "../../scripts/runner/run-notebooks";

/** Resolves when `child` has closed, with its exit code or signal and all it printed. */
export function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Runs main() in this process and captures what it prints through console.log and console.error. */
export async function mainOutput(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = mock.method(console, "log", (...parts: unknown[]) => void lines.push(parts.join(" ")));
  const error = mock.method(console, "error", (...parts: unknown[]) => void lines.push(parts.join(" ")));
  try {
    return { code: await main(args), out: lines.join("\n") };
  } finally {
    log.mock.restore();
    error.mock.restore();
  }
}

/** Polls `probe` every 50 ms until it returns a value; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
