/**
 * The runner stops when whoever started it goes away. CI systems cancel a job by signalling the command they
 * started, often `npm run notebooks`, and npm exits at once without passing the signal on: the runner, its
 * kernels and its writes would carry on for minutes with nobody waiting. The same holds when the starting
 * process is SIGKILLed, or when the pipe it read our output from closes.
 *
 * Watched: the parent and, while the watched process is only a launcher (npm, npx, tsx's CLI, `sh -c`), its
 * parent too, up to the first process that is not a launcher (the user's shell, a CI agent, a test). When any
 * of them is gone (no such pid, a zombie, a pid reused by another process), or our parent pid changes (we
 * were re-parented), or stdout/stderr is a pipe whose reader is gone (EPIPE), the runner exits at once with
 * status 129 (as after SIGHUP) and without writing anything: its exit handler (kernel.ts) kills every kernel
 * and everything the kernels started. Linux reads /proc; elsewhere only the parent pid is watched.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const CHECK_EVERY_MS = 250;
/** As a shell reports a process ended by SIGHUP, the signal for "the controlling process went away". */
export const PARENT_GONE_EXIT_STATUS = 129;

interface Watched {
  pid: number;
  /** Start time (clock ticks since boot, /proc/<pid>/stat field 22): tells a reused pid from the original. */
  startTime: string | null;
  command: string;
}

/** Parent pid, start time and state of a process from /proc/<pid>/stat, or null when there is no such process. */
function processStat(pid: number): { ppid: number; startTime: string; state: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2, the command name, may contain spaces and parentheses: fields are counted after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", ppid: Number(fields[1]), startTime: fields[19] ?? "" };
  } catch {
    return null;
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((arg) => arg !== "");
  } catch {
    return [];
  }
}

/** npm, npx, tsx's CLI or `sh -c …`: a process that only starts another command and waits for it. */
export function isLauncher(argv: string[]): boolean {
  // A process title (npm sets "npm run notebooks") may replace the whole command line by one string.
  const [program = "", first = ""] = argv.length === 1 ? (argv[0] ?? "").split(" ") : argv;
  const name = basename(program);
  if (["sh", "bash", "dash"].includes(name) && first === "-c") return true;
  if (["npm", "npx", "tsx"].includes(name)) return true;
  // Node running the CLI script of npm, npx or tsx (not a plain `node --import tsx …`, which runs its own program).
  return /^node(js)?$/.test(name) && /(^|[\\/])(npm-cli|npx-cli)\.js$|[\\/]\.bin[\\/]tsx$|[\\/]tsx[\\/]dist[\\/]cli\.[cm]?js$/.test(first);
}

/** The processes to watch, nearest first: the parent, and the parents of launchers up to the first non-launcher. */
export function watchedAncestors(pid = process.pid): Watched[] {
  const chain: Watched[] = [];
  let current = processStat(pid)?.ppid ?? process.ppid;
  for (let depth = 0; depth < 16 && current > 1; depth++) {
    const argv = commandLine(current);
    chain.push({ pid: current, startTime: processStat(current)?.startTime ?? null, command: argv.join(" ") || `pid ${current}` });
    if (!isLauncher(argv)) break;
    current = processStat(current)?.ppid ?? 0;
  }
  return chain;
}

function gone(watched: Watched): boolean {
  if (process.platform !== "linux") {
    try {
      process.kill(watched.pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ESRCH";
    }
  }
  const stat = processStat(watched.pid);
  return stat === null || stat.state === "Z" || (watched.startTime !== null && stat.startTime !== watched.startTime);
}

let started = false;

/** Starts watching (once per process); `stop` is called with the reason when a watched process is gone. */
export function stopWhenParentGoes(stop: (reason: string) => void = exitNow): void {
  if (started) return;
  started = true;
  const parent = process.ppid;
  const chain = watchedAncestors();
  const check = (): void => {
    if (process.ppid !== parent) return stop(`its parent process ${parent} is gone`);
    const missing = chain.find(gone);
    if (missing !== undefined) stop(`the process that started it is gone (pid ${missing.pid}: ${missing.command.slice(0, 120)})`);
  };
  setInterval(check, CHECK_EVERY_MS).unref();
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") stop(`its output pipe was closed`);
      else throw error;
    });
  }
}

function exitNow(reason: string): void {
  try {
    process.stderr.write(`notebook runner: stopping, ${reason}; nothing more is written\n`);
  } catch {
    // nobody is reading any more
  }
  process.exit(PARENT_GONE_EXIT_STATUS); // the exit handler of kernel.ts kills the kernels
}
