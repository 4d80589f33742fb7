/** How busy the machine is, printed beside every benchmark figure. */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";

/** The "some" line of /proc/pressure/cpu without its total, e.g. "avg10=3.20 avg60=1.05 avg300=0.40"; "n/a" elsewhere. */
export function cpuPressure(): string {
  try {
    const line = readFileSync("/proc/pressure/cpu", "utf8").split("\n")[0] ?? "";
    return line.replace(/^some /, "").replace(/ total=\d+/, "");
  } catch {
    return "n/a";
  }
}

/** The 1-, 5- and 15-minute load averages. */
export function loadAverage(): string {
  return loadavg().map((v) => v.toFixed(2)).join(" ");
}
