// Everything a kernel started, found and killed: used by kernel.ts when a kernel ends (shutdown, death,
// timeout, the runner exiting) and by kernel-watchdog.cjs when the runner itself is gone. A cell may start
// processes (child_process.spawn, a browser for figures, `detached: true`, a double fork, `setsid`) that
// would otherwise outlive the notebook. Three nets, because each alone has a hole:
// - the kernel runs in its own session and process group (spawned detached), so killing the group (-pid)
//   takes every ordinary descendant, even one whose parent already exited;
// - a descendant that left the group (detached: true, setpgid) but not the session is found by its session id;
// - one that also left the session (setsid, a double fork) still carries the kernel's marker in its
//   environment (TSLAB_RUNNER_KERNEL, inherited unless a program clears its environment on purpose).
// The /proc scans run on Linux only; elsewhere the process group is killed.
"use strict";
const fs = require("node:fs");

const MARKER_VARIABLE = "TSLAB_RUNNER_KERNEL";

/** Pids of processes (never this one) in `kernelPid`'s session or process group, or whose environment holds `marker`. */
function kernelProcesses(kernelPid, marker) {
  if (process.platform !== "linux") return [];
  const tag = marker ? Buffer.from(`${MARKER_VARIABLE}=${marker}\0`) : null;
  const found = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces and parentheses): state ppid pgrp session …
      const [state, , pgrp, session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state === "Z") continue; // already ended, waiting to be reaped
      if (Number(pgrp) === kernelPid || Number(session) === kernelPid) found.push(Number(entry));
      else if (tag !== null && fs.readFileSync(`/proc/${entry}/environ`).includes(tag)) found.push(Number(entry));
    } catch {
      // ended while we looked, or not ours to read
    }
  }
  return found;
}

/** SIGKILLs the kernel's process group and every process kernelProcesses() finds; synchronous (usable in an exit handler). */
function killKernelProcesses(kernelPid, marker) {
  const kill = (pid) => {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  for (const pid of kernelProcesses(kernelPid, marker)) kill(pid);
  if (kernelPid > 0) kill(-kernelPid); // last: called from the kernel's own watchdog, this ends the caller too
}

module.exports = { MARKER_VARIABLE, kernelProcesses, killKernelProcesses };
