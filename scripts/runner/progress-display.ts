/**
 * What a person watching a run sees: on a terminal one live line (notebooks running, cell i/n, elapsed) above
 * which each finished notebook's result is printed; in CI logs (not a TTY) a line when a notebook starts and
 * its result block when it finishes, so a long run is never silent.
 */
import type { NotebookJob, NotebookResult } from "./execute-notebook";
import { jobName } from "./notebook-jobs";
import { formatResultText } from "./reports";

interface Running {
  name: string;
  startedAt: number;
  cell: string;
}

export class ProgressDisplay {
  private readonly running = new Map<NotebookJob, Running>();
  private finished = 0;
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream,
  ) {
    this.timer = stream.isTTY ? setInterval(() => this.render(), 250).unref() : null;
  }

  start(job: NotebookJob): void {
    this.running.set(job, { name: jobName(job), startedAt: performance.now(), cell: "starting kernel" });
    if (!this.stream.isTTY) this.stream.write(`start ${jobName(job)} (${this.finished + this.running.size} of ${this.total} started)\n`);
    this.render();
  }

  cell(job: NotebookJob, cellIndex: number, executedSoFar: number, toExecute: number): void {
    const running = this.running.get(job);
    if (running) running.cell = `cell ${cellIndex + 1} (${executedSoFar + 1}/${toExecute})`;
    this.render();
  }

  finish(result: NotebookResult): void {
    this.running.delete(result.job);
    this.finished++;
    this.clearLine();
    this.stream.write(formatResultText(result) + "\n");
    this.render();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.clearLine();
  }

  private render(): void {
    if (!this.stream.isTTY || this.running.size === 0) return;
    const now = performance.now();
    const parts = [...this.running.values()].map((r) => `${r.name} ${r.cell} ${((now - r.startedAt) / 1000).toFixed(0)}s`);
    const line = `[${this.finished}/${this.total}] ${parts.join(" | ")}`;
    this.stream.write(`\r\x1b[K${line.slice(0, (this.stream.columns || 80) - 1)}`);
  }

  private clearLine(): void {
    if (this.stream.isTTY) this.stream.write("\r\x1b[K");
  }
}
