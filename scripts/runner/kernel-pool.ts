/**
 * Kernels started ahead of need. A tslab kernel spends about a second building its TypeScript compiler host
 * before it answers; a suite run hides that by starting the kernels of the next notebooks while the current
 * ones execute. Each kernel still belongs to exactly one notebook: it is started in that notebook's folder,
 * taken once, and shut down by that notebook's run. A kernel never taken (the notebook needed none) is
 * killed if still starting, else shut down, by discard() or close().
 */
import { dirname } from "node:path";
import { TslabKernel } from "./kernel";

type Starter = (cwd: string, signal: AbortSignal) => Promise<TslabKernel>;

interface Starting {
  kernel: Promise<TslabKernel>;
  abort: AbortController;
}

export class KernelPrestarter {
  private readonly starting = new Map<string, Starting>();
  private readonly discarding = new Set<Promise<void>>();

  constructor(private readonly start: Starter = (cwd, signal) => TslabKernel.start({ cwd, signal })) {}

  /** Starts the kernel for the notebook at `notebookPath` (in its folder) unless one is already starting. */
  prestart(notebookPath: string): void {
    if (this.starting.has(notebookPath)) return;
    const abort = new AbortController();
    const kernel = this.start(dirname(notebookPath), abort.signal);
    kernel.catch(() => undefined); // reported when taken; never an unhandled rejection meanwhile
    this.starting.set(notebookPath, { kernel, abort });
  }

  /** The kernel started for this notebook, or a new one; each is handed out once. */
  take(notebookPath: string): Promise<TslabKernel> {
    const started = this.starting.get(notebookPath);
    this.starting.delete(notebookPath);
    return started?.kernel ?? this.start(dirname(notebookPath), new AbortController().signal);
  }

  /** Ends, in the background, the kernel started for this notebook if its run never took it. */
  discard(notebookPath: string): void {
    const started = this.starting.get(notebookPath);
    this.starting.delete(notebookPath);
    if (started === undefined) return;
    started.abort.abort();
    const ending = started.kernel.then((kernel) => kernel.shutdown(), () => undefined).finally(() => this.discarding.delete(ending));
    this.discarding.add(ending);
  }

  /** Ends every kernel not taken and waits until all have ended. */
  async close(): Promise<void> {
    for (const path of [...this.starting.keys()]) this.discard(path);
    await Promise.all([...this.discarding]);
  }
}
