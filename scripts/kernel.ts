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

export interface StartOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  startupTimeoutMs?: number;
}

const READY_POLL_MS = 100;
const INTERRUPT_GRACE_MS = 3000;
const SHUTDOWN_GRACE_MS = 2000;
/** Output already sent by a kernel that exits can still be in flight. */
const DEATH_DRAIN_MS = 50;
const TSLAB = require.resolve("tslab/bin/tslab");
const WATCHDOG = join(__dirname, "kernel-watchdog.cjs");

interface Request {
  reply: Message | null;
  idle: boolean;
  /** Resolves once both the shell reply and the iopub idle status arrived, or the kernel died. */
  done: Promise<void>;
  finish: () => void;
  collector: OutputCollector | null;
  executeIndex: number | null;
}

export class TslabKernel {
  private readonly session = randomUUID();
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
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
  private readonly exited: Promise<void>;

  private constructor(
    private readonly cwd: string,
    private readonly child: ChildProcess,
    private readonly key: string,
    private readonly runtimeDir: string,
    ports: ConnectionPorts,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => {
      this.exitReason = signal ? `killed by ${signal}` : `exited with code ${code}`;
      liveKernels.delete(child);
      setTimeout(() => {
        for (const request of this.requests.values()) request.finish();
        resolve();
      }, DEATH_DRAIN_MS);
    }));
    // The kernel's own stdout/stderr (not cell output): startup failures and crashes are reported from here.
    const keepTail = (chunk: Buffer): void => void (this.processOutput = (this.processOutput + chunk.toString()).slice(-4000));
    child.stdout?.on("data", keepTail);
    child.stderr?.on("data", keepTail);
    this.shell.connect(`tcp://127.0.0.1:${ports.shell_port}`);
    this.control.connect(`tcp://127.0.0.1:${ports.control_port}`);
    this.iopub.connect(`tcp://127.0.0.1:${ports.iopub_port}`);
    this.iopub.subscribe();
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

  /** Starts tslab in `cwd` and resolves once it answers kernel_info on shell and iopub; retries once (port race). */
  static async start(options: StartOptions): Promise<TslabKernel> {
    try {
      return await TslabKernel.startOnce(options);
    } catch (error) {
      if (!/EADDRINUSE|Address already in use/i.test(String(error))) throw error;
      return TslabKernel.startOnce(options);
    }
  }

  private static async startOnce({ cwd, env = process.env, startupTimeoutMs = 60_000 }: StartOptions): Promise<TslabKernel> {
    const ports = await freePorts();
    const key = randomUUID();
    const runtimeDir = mkdtempSync(join(tmpdir(), "tslab-runner-"));
    const connectionFile = join(runtimeDir, "kernel.json");
    const connection = { ...ports, transport: "tcp", ip: "127.0.0.1", key, signature_scheme: "hmac-sha256", kernel_name: "tslab" };
    writeFileSync(connectionFile, JSON.stringify(connection));
    const child = spawn(process.execPath, ["--require", WATCHDOG, TSLAB, "kernel", "--config-path", connectionFile], {
      cwd,
      env: { ...env, TSLAB_RUNNER_PID: String(process.pid) }, // the watchdog ends the kernel when this process is gone
      stdio: ["ignore", "pipe", "pipe"],
    });
    installExitCleanup();
    liveKernels.add(child);
    const kernel = new TslabKernel(resolve(cwd), child, key, runtimeDir, ports);
    try {
      await kernel.waitUntilReady(startupTimeoutMs);
      return kernel;
    } catch (error) {
      await kernel.shutdown();
      const tail = kernel.processOutput.trim();
      throw new Error(`${(error as Error).message}${tail ? `\n${tail}` : ""}`);
    }
  }

  /** Resolves when a kernel_info request got both its reply and its iopub idle (so iopub is subscribed). */
  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const attempts: Request[] = [];
    for (;;) {
      if (this.exitReason !== null) throw new Error(`tslab kernel ${this.exitReason} while starting`);
      const answered = attempts.find((request) => request.reply !== null && request.idle);
      if (answered?.reply) {
        this.kernelInfo = answered.reply.content;
        return;
      }
      if (Date.now() > deadline) throw new Error(`tslab kernel was not ready after ${Math.round(timeoutMs / 1000)} s`);
      attempts.push(await this.send(this.shell, "kernel_info_request", {}));
      await Promise.race([sleep(READY_POLL_MS), ...attempts.map((request) => request.done)]);
    }
  }

  async execute(code: string, { timeoutMs = 120_000 }: { timeoutMs?: number } = {}): Promise<CellResult> {
    const started = performance.now();
    const executeIndex = this.executeCount++;
    const collector = new OutputCollector(this.displays);
    const result = (status: CellStatus, executionCount: number | null = null): CellResult => {
      if (status === "error" || status === "timeout") collector.convertStderrToError(this.cwd);
      return { status, outputs: collector.outputs, executionCount, durationMs: performance.now() - started, stderrText: collector.stderrText, executeIndex };
    };
    if (this.exitReason !== null) return result("dead");

    const content = { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true };
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
   * Waits `graceMs`, then for one kernel_info round trip: output the kernel produced before answering (e.g. an
   * unhandled rejection right after the last cell) has then arrived and is among the orphans.
   */
  async settle(graceMs = 100): Promise<void> {
    if (this.exitReason !== null) return;
    await sleep(graceMs);
    if (this.exitReason !== null) return;
    const request = await this.send(this.shell, "kernel_info_request", {});
    await within(request.done, 2000);
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
    await this.exited;
    for (const socket of [this.shell, this.control, this.iopub]) socket.close();
    rmSync(this.runtimeDir, { recursive: true, force: true });
  }

  private async interruptOrKill(request: Request): Promise<void> {
    this.child.kill("SIGINT");
    if (await within(request.done, INTERRUPT_GRACE_MS)) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  private async waitForExit(ms: number): Promise<boolean> {
    return within(this.exited, ms);
  }

  private async send(socket: zmq.Dealer, msgType: string, content: Record<string, unknown>, collector: OutputCollector | null = null, executeIndex: number | null = null): Promise<Request> {
    const message = newMessage(msgType, this.session, content);
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const request: Request = { reply: null, idle: false, done, finish, collector, executeIndex };
    this.requests.set(message.header.msg_id, request);
    await socket.send(encodeMessage(this.key, message));
    return request;
  }

  private onReply(message: Message): void {
    const request = this.requests.get(message.parent_header.msg_id ?? "");
    if (request === undefined) return;
    request.reply = message;
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

const liveKernels = new Set<ChildProcess>();
let cleanupInstalled = false;

/** Kills every live kernel when this process exits, normally, on an uncaught error or on a signal. */
function installExitCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = (): void => {
    for (const child of liveKernels) child.kill("SIGKILL");
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
