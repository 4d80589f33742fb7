/**
 * A fresh tslab kernel driven over the Jupyter wire protocol (zeromq), nbclient's life cycle in Node:
 * start → wait until ready → execute cells (outputs until reply + idle, timeout → interrupt → kill) → shutdown.
 *
 * tslab specifics handled here (measured in shared/notes/runner-feasibility.md):
 * - errors arrive only as stderr text with reply status "error"; `error` outputs are built from that text;
 * - output that arrives after its cell went idle (unhandled rejections, timers) is kept as an orphan;
 * - interrupt_request is not implemented: SIGINT interrupts a cell, SIGKILL ends a hung kernel;
 * - `process.exit()` in a cell kills the kernel: noticed from the child process' exit.
 * Every kernel is killed when the runner exits, however it exits; kernel-watchdog.cjs covers SIGKILL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import * as zmq from "zeromq";
import type { Output } from "./ipynb";
import { DisplayRegistry, OutputCollector } from "./kernel-outputs";
import { decodeMessage, encodeMessage, newMessage, type Message } from "./kernel-wire";

export type CellStatus = "ok" | "error" | "abort" | "timeout" | "dead";

export interface CellResult {
  status: CellStatus;
  outputs: Output[];
  /** The kernel's count from execute_reply (null when it sent none). */
  executionCount: number | null;
  durationMs: number;
  /** All stderr text of the cell: for tslab, where error messages are. */
  stderrText: string;
  /** 0-based index of this execute() call on the kernel; late output names it as `Orphan.afterExecute`. */
  executeIndex: number;
}

/** Output that arrived after its cell had finished; `afterExecute` is the 0-based index of that execute() call. */
export interface Orphan {
  /** The iopub message type: stream, display_data, update_display_data, … */
  msgType: string;
  output: Output;
  afterExecute: number;
}

/** The answer of probePendingWork(). */
export interface PendingWork {
  /** Timers and requests still pending in the kernel; null when the probe did not run cleanly. */
  pending: number | null;
  /** Outputs that arrived during the probe other than its own answer: late output of earlier cells. */
  lateOutputs: Output[];
  /** The probe's own execution (status "dead" when the kernel died after the last cell). */
  run: CellResult;
}

/** Resource kinds (process.getActiveResourcesInfo) that mean pending work which may still print or throw. */
const PENDING_KINDS = ["Timeout", "Immediate", "FSReqCallback", "FSReqPromise", "GetAddrInfoReqWrap"];
const PROBE_MARK = "[notebook runner] pending:";
/** Type-checks under tslab's options whatever the notebook declared (globalThis cannot be shadowed at top level). */
const PROBE = `"${PROBE_MARK} " + (globalThis as any).process.getActiveResourcesInfo().filter((kind: string) => ${JSON.stringify(PENDING_KINDS)}.includes(kind)).length`;

export interface StartOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  startupTimeoutMs?: number;
  /** Aborting it while the kernel starts kills the kernel (start() then rejects). */
  signal?: AbortSignal;
  /**
   * A kernelspec's argv ("{connection_file}" is replaced) and env to start instead of the runner's own command,
   * to check that a registered kernel starts (scripts/install-kernel.ts).
   */
  kernelspec?: { argv: string[]; env?: Record<string, string> };
}

/**
 * Readiness: the kernel builds its TypeScript compiler host (≈1 s), then binds its five sockets at once.
 * A request that reaches tslab while its sockets are still binding wedges it for good (zeromq's EBUSY
 * "Socket is blocked by a bind or unbind operation" ends tslab's shell loop), so nothing is sent until our
 * shell, control and iopub sockets have connected, and READY_AFTER_CONNECT_MS more. Once the first
 * kernel_info is answered, iopub may not be subscribed yet (PUB/SUB slow joiner): requests follow every
 * READY_FOLLOW_UP_MS until one also sees its iopub idle. One unanswered for READY_RESEND_MS is sent again.
 * A kernel wedged all the same (it prints that error) is killed and started afresh.
 */
const READY_AFTER_CONNECT_MS = 25;
const READY_FOLLOW_UP_MS = 10;
const READY_RESEND_MS = 500;
const WEDGED = "Socket is blocked by a bind or unbind operation";
const START_ATTEMPTS = 3;
/** zeromq retries a refused connect this often (its default, 100 ms, delays every start by up to that). */
const RECONNECT_MS = 10;
const INTERRUPT_GRACE_MS = 3000;
/** SIGINT is repeated this often within the grace: one that lands while tslab still compiles the cell is lost. */
const INTERRUPT_REPEAT_MS = 500;
const SHUTDOWN_GRACE_MS = 2000;
/** How long the first cell waits for the kernel's compiler host before its own clock starts regardless. */
const COMPILER_HOST_TIMEOUT_MS = 60_000;
/**
 * Output already sent by a kernel that exits can still be in flight. 50 ms lost a cell's last line once in a
 * loaded CI rehearsal (`console.log("bye"); process.exit(3)` came back with no output); a kernel death is rare
 * and already a failure, so waiting longer costs nothing in a passing run.
 */
const DEATH_DRAIN_MS = 500;
/** `tslab kernel` that answers before it builds its TypeScript compiler host (kernel-main.cjs). */
export const KERNEL_MAIN = join(__dirname, "kernel-main.cjs");
/** tslab's own command, which builds the host before it answers (for the benchmark's comparison). */
export const TSLAB_BIN = require.resolve("tslab/bin/tslab");
const WATCHDOG = join(__dirname, "kernel-watchdog.cjs");
const CODE_CACHE = join(__dirname, "kernel-code-cache.cjs");
/** Chains each zeromq socket's sends: tslab does not await them, and zeromq 6 drops a send made while one is in flight. */
const SEND_QUEUE = join(__dirname, "kernel-send-queue.cjs");
const CELL_ORIGIN = join(__dirname, "kernel-cell-origin.cjs");
/** Where kernel-code-cache.cjs keeps V8's compiled TypeScript compiler (git-ignored); "" in the env turns it off. */
const CODE_CACHE_DIR = join(__dirname, "..", "..", ".cache", "tslab-code-cache");
/**
 * How long a runner's kernel waits, after the last request of the readiness handshake, before it builds its compiler
 * host (kernel-main.cjs; Jupyter's clients get 250 ms): a little over the 10 ms between our readiness requests.
 */
const BUILD_WHEN_QUIET_MS = "30";
/** No TypeScript file watchers in the kernel: a burst of changes on disk made tslab throw and die. */
const NO_WATCH = join(__dirname, "kernel-no-watch.cjs");
const { MARKER_VARIABLE, killKernelProcesses } = require("./kernel-processes.cjs") as { MARKER_VARIABLE: string; killKernelProcesses: (kernelPid: number, marker: string | null) => void };

/** The runner's kernel command: this Node with the preloads, then `entry kernel --config-path FILE`. */
export function runnerKernelArgv(connectionFile: string, entry = KERNEL_MAIN): string[] {
  return [process.execPath, "--require", WATCHDOG, "--require", CODE_CACHE, "--require", SEND_QUEUE, "--require", NO_WATCH, "--require", CELL_ORIGIN, entry, "kernel", "--config-path", connectionFile];
}

interface Request {
  reply: Message | null;
  idle: boolean;
  /** Resolves once both the shell reply and the iopub idle status arrived, or the kernel died. */
  done: Promise<void>;
  finish: () => void;
  /** Resolves when the shell reply arrived. */
  replied: Promise<void>;
  markReplied: () => void;
  sentAt: number;
  collector: OutputCollector | null;
  executeIndex: number | null;
}

export class TslabKernel {
  private readonly session = randomUUID();
  private readonly shell = new zmq.Dealer({ linger: 0, reconnectInterval: RECONNECT_MS });
  private readonly control = new zmq.Dealer({ linger: 0, reconnectInterval: RECONNECT_MS });
  // No receive limit: a SUB socket silently drops messages beyond its high-water mark (1,000 by default), and a cell
  // may print thousands of lines faster than this process reads them.
  private readonly iopub = new zmq.Subscriber({ linger: 0, reconnectInterval: RECONNECT_MS, receiveHighWaterMark: 0 });
  private readonly requests = new Map<string, Request>();
  /** msg_id → index of finished execute requests, to attribute late output. */
  private readonly finished = new Map<string, number>();
  private readonly displays = new DisplayRegistry();
  private orphans: Orphan[] = [];
  private executeCount = 0;
  private processOutput = "";
  /** The content of tslab's kernel_info_reply (protocol version, language_info, banner). */
  kernelInfo: Record<string, unknown> = {};
  /** Why the kernel process ended ("exited with code 0", "killed by SIGKILL"), null while it runs. */
  exitReason: string | null = null;
  /** Resolves when the process has ended. */
  private readonly ended: Promise<void>;
  /** Resolves DEATH_DRAIN_MS after that, when output in flight has arrived and pending requests are finished. */
  private readonly exited: Promise<void>;
  /** Resolves when shell, control and iopub have connected to the kernel's bound sockets. */
  private readonly connected: Promise<void>;

  private constructor(
    private readonly cwd: string,
    private readonly child: ChildProcess,
    private readonly key: string,
    private readonly runtimeDir: string,
    ports: ConnectionPorts,
    marker: string,
  ) {
    this.ended = new Promise((resolve) => child.once("exit", (code, signal) => {
      this.exitReason = signal ? `killed by ${signal}` : `exited with code ${code}`;
      liveKernels.delete(child);
      killKernelProcesses(child.pid ?? -1, marker); // nothing a cell started outlives its kernel
      resolve();
    }));
    this.exited = this.ended.then(() => sleep(DEATH_DRAIN_MS)).then(() => {
      for (const request of this.requests.values()) request.finish();
    });
    // The kernel's own stdout/stderr (not cell output): startup failures and crashes are reported from here.
    const keepTail = (chunk: Buffer): void => void (this.processOutput = (this.processOutput + chunk.toString()).slice(-4000));
    child.stdout?.on("data", keepTail);
    child.stderr?.on("data", keepTail);
    this.shell.connect(`tcp://127.0.0.1:${ports.shell_port}`);
    this.control.connect(`tcp://127.0.0.1:${ports.control_port}`);
    this.iopub.connect(`tcp://127.0.0.1:${ports.iopub_port}`);
    this.iopub.subscribe();
    this.connected = Promise.all([this.shell, this.control, this.iopub].map((socket) => new Promise<void>((resolve) => socket.events.on("connect", () => resolve())))).then(() => undefined);
    void this.receive(this.shell, (message) => this.onReply(message));
    void this.receive(this.control, (message) => this.onReply(message));
    void this.receive(this.iopub, (message) => this.onIopub(message));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** What the kernel process itself printed last (outside cells), for diagnosing crashes. */
  get processOutputTail(): string {
    return this.processOutput;
  }

  /** Starts tslab in `cwd` and resolves once it answers kernel_info on shell and iopub; retries a port race or a wedged bind. */
  static async start(options: StartOptions): Promise<TslabKernel> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await TslabKernel.startOnce(options);
      } catch (error) {
        // Races worth another try: a port taken between choosing and binding it, a kernel wedged while binding.
        const retry = /EADDRINUSE|Address already in use/i.test(String(error)) || String(error).includes(WEDGED);
        if (!retry || attempt >= START_ATTEMPTS || options.signal?.aborted) throw error;
      }
    }
  }

  private static async startOnce({ cwd, env = process.env, startupTimeoutMs = 60_000, signal, kernelspec }: StartOptions): Promise<TslabKernel> {
    signal?.throwIfAborted();
    const ports = await freePorts();
    const key = randomUUID();
    const runtimeDir = mkdtempSync(join(tmpdir(), "tslab-runner-"));
    const connectionFile = join(runtimeDir, "kernel.json");
    const connection = { ...ports, transport: "tcp", ip: "127.0.0.1", key, signature_scheme: "hmac-sha256", kernel_name: "tslab" };
    writeFileSync(connectionFile, JSON.stringify(connection));
    const marker = randomUUID();
    const [command, ...args] = kernelspec
      ? kernelspec.argv.map((arg) => arg.replaceAll("{connection_file}", connectionFile))
      : runnerKernelArgv(connectionFile);
    const child = spawn(command as string, args, {
      cwd,
      // The watchdog ends the kernel when this process is gone; the marker finds what its cells started.
      env: { ...env, TSLAB_RUNNER_PID: String(process.pid), TSLAB_RUNNER_CODE_CACHE: env["TSLAB_RUNNER_CODE_CACHE"] ?? CODE_CACHE_DIR, TSLAB_RUNNER_BUILD_WHEN_QUIET_MS: env["TSLAB_RUNNER_BUILD_WHEN_QUIET_MS"] ?? BUILD_WHEN_QUIET_MS, [MARKER_VARIABLE]: marker, ...kernelspec?.env },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own session and process group, so that killing the group ends every process a cell started.
      detached: true,
    });
    installExitCleanup();
    liveKernels.set(child, marker);
    const kernel = new TslabKernel(resolve(cwd), child, key, runtimeDir, ports, marker);
    const kill = (): void => void child.kill("SIGKILL");
    signal?.addEventListener("abort", kill, { once: true });
    if (signal?.aborted) kill();
    try {
      await kernel.waitUntilReady(startupTimeoutMs);
      signal?.throwIfAborted();
      return kernel;
    } catch (error) {
      if (String(error).includes(WEDGED)) child.kill("SIGKILL"); // it would not answer a shutdown_request
      await kernel.shutdown();
      const tail = kernel.processOutput.trim();
      throw new Error(`${(error as Error).message}${tail ? `\n${tail}` : ""}`);
    } finally {
      signal?.removeEventListener("abort", kill);
    }
  }

  /** Resolves when a kernel_info request got both its reply and its iopub idle (so iopub is subscribed). */
  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const notReady = (): Error => new Error(`tslab kernel was not ready after ${Math.round(timeoutMs / 1000)} s`);
    if (!(await within(Promise.race([this.connected, this.ended]), timeoutMs))) throw notReady();
    await sleep(READY_AFTER_CONNECT_MS);
    const attempts: Request[] = [];
    for (;;) {
      if (this.exitReason !== null) throw new Error(`tslab kernel ${this.exitReason} while starting`);
      if (this.processOutput.includes(WEDGED)) throw new Error(`tslab kernel wedged while binding its sockets (${WEDGED})`);
      const answered = attempts.find((request) => request.reply !== null && request.idle);
      if (answered?.reply) {
        this.kernelInfo = answered.reply.content;
        return;
      }
      if (Date.now() > deadline) throw notReady();
      const last = attempts.at(-1);
      if (last === undefined || last.reply !== null || performance.now() - last.sentAt >= READY_RESEND_MS) {
        attempts.push(await this.send(this.shell, "kernel_info_request", {}));
      }
      const latest = attempts.at(-1) as Request;
      // Unanswered: wait for its reply. Answered without idle: give the idle a moment, then ask again.
      const [wait, event] = latest.reply === null ? [READY_RESEND_MS, [latest.replied]] : [READY_FOLLOW_UP_MS, []];
      await within(Promise.race([...event, this.exited, ...attempts.map((request) => request.done)]), wait);
    }
  }

  private compilerHost: Promise<void> | null = null;

  /**
   * Resolves once the kernel has its TypeScript compiler host. kernel-main.cjs answers kernel_info before it builds
   * the host (1–3 s), and a complete_request needs the host, so its reply means "built". Awaited before the first
   * cell's clock starts: a cell's timeout and time never include the build, as when tslab built it before ready.
   */
  private ensureCompilerHost(): Promise<void> {
    this.compilerHost ??= (async () => {
      if (this.exitReason !== null) return;
      const request = await this.send(this.shell, "complete_request", { code: "", cursor_pos: 0 });
      await within(Promise.race([request.replied, this.ended]), COMPILER_HOST_TIMEOUT_MS);
    })();
    return this.compilerHost;
  }

  async execute(code: string, { timeoutMs = 120_000 }: { timeoutMs?: number } = {}): Promise<CellResult> {
    await this.ensureCompilerHost();
    const started = performance.now();
    const executeIndex = this.executeCount++;
    const collector = new OutputCollector(this.displays);
    const result = (status: CellStatus, executionCount: number | null = null): CellResult => {
      if (status === "error" || status === "timeout") collector.convertStderrToError(this.cwd);
      return { status, outputs: collector.outputs, executionCount, durationMs: performance.now() - started, stderrText: collector.stderrText, executeIndex };
    };
    if (this.exitReason !== null) return result("dead");

    // runner_execute_index: for kernel-cell-origin.cjs, which names the request that scheduled a late error.
    const content = { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, runner_execute_index: executeIndex };
    const request = await this.send(this.shell, "execute_request", content, collector, executeIndex);
    if (!(await within(request.done, timeoutMs))) {
      await this.interruptOrKill(request);
      return result("timeout");
    }
    if (request.reply === null) return result("dead");
    const status = String(request.reply.content["status"]);
    const count = (request.reply.content["execution_count"] as number | undefined) ?? null;
    return result(status === "ok" ? "ok" : status === "abort" || status === "aborted" ? "abort" : "error", count);
  }

  /** Takes the output that arrived after its cell finished, since the last call. */
  takeOrphans(): Orphan[] {
    const taken = this.orphans;
    this.orphans = [];
    return taken;
  }

  /**
   * Asks the kernel, with a small cell of its own, how much work is still pending that could print: ref'd
   * timers and immediates, file-system and DNS requests (Node's getActiveResourcesInfo; tslab's own file
   * watchers and stdio pipes are not counted). Output other than the probe's answer that arrives while it
   * runs is late output of earlier cells; output after it is an orphan attributed to the probe's execute().
   */
  async probePendingWork(timeoutMs = 30_000): Promise<PendingWork> {
    const run = await this.execute(PROBE, { timeoutMs });
    if (run.status !== "ok") return { pending: null, lateOutputs: [], run };
    let pending: number | null = null;
    const lateOutputs: Output[] = [];
    for (const output of run.outputs) {
      if (output.output_type === "stream" && output.name === "stdout") {
        const lines = output.text.split(/(?<=\n)/);
        const mark = lines.findIndex((line) => line.startsWith(PROBE_MARK));
        if (mark >= 0) {
          pending = Number(lines[mark]?.slice(PROBE_MARK.length).trim());
          lines.splice(mark, 1);
        }
        if (lines.join("") !== "") lateOutputs.push({ ...output, text: lines.join("") });
      } else {
        lateOutputs.push(output);
      }
    }
    return { pending: Number.isInteger(pending) ? pending : null, lateOutputs, run };
  }

  /** Asks tslab to shut down, then escalates to SIGTERM and SIGKILL; always closes sockets and files. */
  async shutdown(): Promise<void> {
    if (this.exitReason === null) {
      await this.send(this.control, "shutdown_request", { restart: false }).catch(() => undefined);
      if (!(await this.waitForExit(SHUTDOWN_GRACE_MS))) {
        this.child.kill("SIGTERM");
        if (!(await this.waitForExit(1000))) this.child.kill("SIGKILL");
      }
    }
    await this.ended; // no drain: nothing is waited for any more
    for (const socket of [this.shell, this.control, this.iopub]) socket.close();
    rmSync(this.runtimeDir, { recursive: true, force: true });
  }

  private async interruptOrKill(request: Request): Promise<void> {
    for (let waited = 0; waited < INTERRUPT_GRACE_MS; waited += INTERRUPT_REPEAT_MS) {
      // tslab's SIGINT handler interrupts the running cell; while it still type-checks the cell (or is idle) a
      // SIGINT does nothing, so it is sent again until the cell ends.
      if (this.exitReason === null) this.child.kill("SIGINT");
      if (await within(request.done, INTERRUPT_REPEAT_MS)) return;
    }
    this.child.kill("SIGKILL");
    await this.exited;
  }

  private async waitForExit(ms: number): Promise<boolean> {
    return within(this.ended, ms);
  }

  private async send(socket: zmq.Dealer, msgType: string, content: Record<string, unknown>, collector: OutputCollector | null = null, executeIndex: number | null = null): Promise<Request> {
    const message = newMessage(msgType, this.session, content);
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    let markReplied = (): void => undefined;
    const replied = new Promise<void>((resolve) => (markReplied = resolve));
    const request: Request = { reply: null, idle: false, done, finish, replied, markReplied, sentAt: performance.now(), collector, executeIndex };
    this.requests.set(message.header.msg_id, request);
    await socket.send(encodeMessage(this.key, message));
    return request;
  }

  private onReply(message: Message): void {
    const request = this.requests.get(message.parent_header.msg_id ?? "");
    if (request === undefined) return;
    request.reply = message;
    request.markReplied();
    this.completeIfDone(message.parent_header.msg_id ?? "", request);
  }

  private onIopub(message: Message): void {
    const parentId = message.parent_header.msg_id ?? "";
    const request = this.requests.get(parentId);
    if (request !== undefined) {
      if (message.header.msg_type === "status" && message.content["execution_state"] === "idle") {
        request.idle = true;
        this.completeIfDone(parentId, request);
      } else {
        request.collector?.handle(message.header.msg_type, message.content);
      }
      return;
    }
    const afterExecute = this.finished.get(parentId);
    if (afterExecute === undefined) return;
    // Handled by a throwaway collector so late display updates still reach the stored outputs.
    const output = new OutputCollector(this.displays).handle(message.header.msg_type, message.content);
    if (output !== null) this.orphans.push({ msgType: message.header.msg_type, output, afterExecute });
  }

  private completeIfDone(msgId: string, request: Request): void {
    if (request.reply === null || !request.idle) return;
    this.requests.delete(msgId);
    if (request.executeIndex !== null) this.finished.set(msgId, request.executeIndex);
    request.finish();
  }

  private async receive(socket: zmq.Dealer | zmq.Subscriber, handle: (message: Message) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        try {
          handle(decodeMessage(this.key, frames));
        } catch (error) {
          this.processOutput += `\n[runner] dropped a malformed kernel message: ${(error as Error).message}`;
        }
      }
    } catch {
      // The socket was closed while receiving: the kernel is shutting down.
    }
  }
}

/** True when `promise` settles within `ms`, else false; the timer never outlives the race (it would keep the runner alive). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type ConnectionPorts = Record<"shell_port" | "iopub_port" | "stdin_port" | "control_port" | "hb_port", number>;

/** Five distinct free ports: all are held open together, then released for tslab to bind. */
async function freePorts(): Promise<ConnectionPorts> {
  const servers = await Promise.all(
    Array.from({ length: 5 }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = servers.map((server) => (server.address() as { port: number }).port) as [number, number, number, number, number];
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return { shell_port, iopub_port, stdin_port, control_port, hb_port };
}

/** Running kernels and their environment markers. */
const liveKernels = new Map<ChildProcess, string>();
let cleanupInstalled = false;

/** Kills every live kernel when this process exits, normally, on an uncaught error or on a signal. */
function installExitCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = (): void => {
    for (const [child, marker] of liveKernels) {
      child.kill("SIGKILL");
      killKernelProcesses(child.pid ?? -1, marker);
    }
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAll();
      // Re-raise so the process ends the way the signal asks (exit status 128 + n) now that our handler is gone.
      process.kill(process.pid, signal);
    });
  }
}
