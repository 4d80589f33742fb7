/**
 * Turning iopub messages into nbformat outputs the way nbclient does, and tslab's stderr text into an
 * nbformat `error` output (tslab never sends `error` messages).
 */
import type { DisplayDataOutput, ErrorOutput, ExecuteResultOutput, MimeBundle, Output } from "./ipynb";
import type { JsonObject } from "./notebook-source";

/**
 * Display ids are notebook-wide: `update_display_data` may target an output of an earlier cell, so one
 * registry lives as long as the kernel and each cell gets its own collector on top of it.
 */
export class DisplayRegistry {
  private readonly byId = new Map<string, Array<DisplayDataOutput | ExecuteResultOutput>>();

  register(displayId: string, output: DisplayDataOutput | ExecuteResultOutput): void {
    this.byId.set(displayId, [...(this.byId.get(displayId) ?? []), output]);
  }

  /** Replaces every output shown under `displayId` in place; false when the id is unknown. */
  update(displayId: string, data: MimeBundle, metadata: JsonObject): boolean {
    const outputs = this.byId.get(displayId);
    for (const output of outputs ?? []) {
      output.data = data;
      output.metadata = metadata;
    }
    return outputs !== undefined;
  }
}

/** One cell's outputs: streams coalesced, display updates applied, clear_output honoured. */
export class OutputCollector {
  readonly outputs: Output[] = [];
  /** Every stderr text of the cell, in order (the error text tslab prints lives here). */
  stderrText = "";
  private clearOnNextOutput = false;

  constructor(private readonly displays: DisplayRegistry) {}

  /** Applies an iopub message; returns the output it produced, if any (for orphan reporting). */
  handle(msgType: string, content: Record<string, unknown>): Output | null {
    switch (msgType) {
      case "stream": {
        const name = String(content["name"]);
        const text = String(content["text"]);
        if (name === "stderr") this.stderrText += text;
        this.prepareForOutput();
        const last = this.outputs.at(-1);
        if (last?.output_type === "stream" && last.name === name) {
          last.text += text;
          return { output_type: "stream", name, text };
        }
        return this.push({ output_type: "stream", name, text });
      }
      case "display_data":
      case "execute_result": {
        this.prepareForOutput();
        const bundle = { data: (content["data"] ?? {}) as MimeBundle, metadata: (content["metadata"] ?? {}) as JsonObject };
        const output: DisplayDataOutput | ExecuteResultOutput =
          msgType === "display_data"
            ? { output_type: "display_data", ...bundle }
            : { output_type: "execute_result", ...bundle, execution_count: (content["execution_count"] as number | null) ?? null };
        const displayId = (content["transient"] as { display_id?: string } | undefined)?.display_id;
        if (displayId !== undefined) this.displays.register(displayId, output);
        return this.push(output);
      }
      case "update_display_data": {
        const displayId = (content["transient"] as { display_id?: string } | undefined)?.display_id;
        if (displayId !== undefined) this.displays.update(displayId, (content["data"] ?? {}) as MimeBundle, (content["metadata"] ?? {}) as JsonObject);
        return { output_type: "display_data", data: (content["data"] ?? {}) as MimeBundle, metadata: {} };
      }
      case "error":
        this.prepareForOutput();
        return this.push({ output_type: "error", ename: String(content["ename"]), evalue: String(content["evalue"]), traceback: (content["traceback"] ?? []) as string[] });
      case "clear_output":
        if (content["wait"] === true) this.clearOnNextOutput = true;
        else this.outputs.length = 0;
        return null;
      default:
        return null;
    }
  }

  /**
   * For a failed cell: the final stderr stream (tslab's error text) becomes an `error` output, which Jupyter,
   * nbconvert and GitHub show as a traceback and which carries ename/evalue for reports.
   */
  convertStderrToError(kernelCwd: string): void {
    const last = this.outputs.at(-1);
    const text = last?.output_type === "stream" && last.name === "stderr" ? last.text : "";
    if (text !== "") this.outputs.pop();
    this.outputs.push(errorFromStderr(cleanTraceback(text, kernelCwd)));
  }

  private prepareForOutput(): void {
    if (this.clearOnNextOutput) this.outputs.length = 0;
    this.clearOnNextOutput = false;
  }

  private push(output: Output): Output {
    this.outputs.push(output);
    return output;
  }
}

/** Frames inside Node and tslab say nothing about the notebook. */
const INTERNAL_FRAME = /^\s+at (?:.*\()?(?:node:|[^()]*\/node_modules\/tslab\/)/;

/** Drops internal stack frames and shortens paths under the kernel's folder, so stored errors read the same on every machine. */
export function cleanTraceback(text: string, kernelCwd: string): string {
  const prefix = kernelCwd.endsWith("/") ? kernelCwd : `${kernelCwd}/`;
  return text
    .split("\n")
    // Node prints an error's own properties after its last frame ("    at … {"): keep that brace.
    .flatMap((line) => (!INTERNAL_FRAME.test(line) ? [line] : line.endsWith(" {") ? ["{"] : []))
    .join("\n")
    .split(prefix)
    .join("");
}

const TS_DIAGNOSTIC = /^(?:\S+ )?\d+:\d+ - (.*)$/;
const ERROR_LINE = /^((?:[A-Za-z_$][\w$.]*)?(?:Error|Exception)): ?(.*)$/;
const STACK_FRAME = /^\s+at /;

/**
 * tslab prints a type error as `1:7 - message` (`lib/x.ts 1:7 - …` inside modules) and a runtime error as
 * Node's stack (`RangeError: message` then `    at …` lines). The error message keeps its continuation
 * lines (a failed check's details), up to the stack frames.
 */
export function errorFromStderr(stderr: string): ErrorOutput {
  const lines = stderr.replace(/\n$/, "").split("\n");
  const traceback = stderr === "" ? [] : lines;
  const diagnostic = lines.map((line) => TS_DIAGNOSTIC.exec(line)).find((match) => match !== null);
  if (diagnostic) return { output_type: "error", ename: "TypeScriptError", evalue: diagnostic[1] ?? "", traceback };
  const at = lines.findIndex((line) => ERROR_LINE.test(line));
  if (at < 0) return { output_type: "error", ename: "Error", evalue: lines.find((line) => line.trim() !== "") ?? "(no error text)", traceback };
  const [, ename = "Error", first = ""] = ERROR_LINE.exec(lines[at] ?? "") ?? [];
  const continuation = [];
  for (const line of lines.slice(at + 1)) {
    if (STACK_FRAME.test(line) || line.trim() === "") break;
    continuation.push(line);
  }
  return { output_type: "error", ename, evalue: [first, ...continuation].join("\n"), traceback };
}
