/**
 * Which cell an error that arrives late belongs to. kernel-cell-origin.cjs (preloaded into the kernel) writes
 * `[tslab-runner:origin=N]` on stderr just before tslab reports an uncaught exception or unhandled rejection,
 * N being the runner's index of the execute request whose code scheduled the failing callback. These helpers
 * take those lines out of the outputs and report the indexes, so the error is blamed on the cell that caused
 * it whatever ran when it arrived (deterministic under any machine load), and the mark never reaches a stored
 * notebook.
 */
import type { Output } from "./ipynb";
import type { Orphan } from "./kernel";

const ORIGIN_LINE = /^\[tslab-runner:origin=(\d+)\]\n/gm;
const TRAILING_MARK = /(?:^|\n)\[tslab-runner:origin=\d+\]\n$/;

/** The text without origin lines, and the request indexes they named, in order. */
export function takeOriginLines(text: string): { text: string; origins: number[] } {
  const origins = [...text.matchAll(ORIGIN_LINE)].map((match) => Number(match[1]));
  return { text: origins.length === 0 ? text : text.replace(ORIGIN_LINE, ""), origins };
}

export interface AttributedOrphan extends Orphan {
  /** The request that scheduled the code which produced this output, when the kernel said (else null). */
  origin: number | null;
}

/**
 * Reads the marks of one kernel, in the order its messages arrived. tslab sends a mark and the error text after
 * it as two messages, and the pair may be split: the mark at the end of a cell's outputs and the text after it
 * as late output, or the two in successive batches of late output. A mark with nothing after it yet waits for
 * the next output.
 */
export class OriginTracker {
  private pending: number | null = null;

  /**
   * One cell's outputs without marks (a stream left empty is dropped), and the requests the marks named: those
   * before error text in this cell's stderr, and a mark seen earlier if this cell's stderr holds the text it named.
   */
  fromCell(outputs: Output[]): { outputs: Output[]; origins: number[] } {
    const origins: number[] = [];
    const kept = outputs.flatMap((output): Output[] => {
      if (output.output_type !== "stream" || output.name !== "stderr") return [output];
      const taken = takeOriginLines(output.text);
      // A mark seen earlier names the first error text after it.
      if (this.pending !== null && taken.text !== "" && !output.text.startsWith("[tslab-runner:origin=")) origins.push(this.pending);
      this.pending = null;
      origins.push(...taken.origins);
      return taken.text === "" ? [] : [{ ...output, text: taken.text }];
    });
    // A mark that ends the cell's outputs names what comes next (late output), nothing in this cell.
    const last = outputs.at(-1);
    if (last?.output_type === "stream" && last.name === "stderr" && TRAILING_MARK.test(last.text)) this.pending = origins.pop() ?? null;
    return { outputs: kept, origins };
  }

  /** Late outputs with the request behind each (the mark before it), marks dropped. */
  fromOrphans(orphans: Orphan[]): AttributedOrphan[] {
    const attributed: AttributedOrphan[] = [];
    for (const orphan of orphans) {
      let output = orphan.output;
      if (output.output_type === "stream" && output.name === "stderr") {
        const taken = takeOriginLines(output.text);
        if (taken.origins.length > 0) this.pending = taken.origins.at(-1) ?? null;
        if (taken.text === "") continue; // only a mark: it names the next output
        output = { ...output, text: taken.text };
      }
      attributed.push({ ...orphan, output, origin: this.pending });
      this.pending = null;
    }
    return attributed;
  }

}
