/**
 * Checks that read as claims. A notebook proves what it teaches with these: each passing check prints one
 * visible "✓ claim" line, and a failing one throws a CheckError that names the claim and the values, which
 * fails the notebook run (the runner treats any cell error as a failure).
 *
 *   check("Huber is robust: slope error < 0.1", slopeError < 0.1, { slopeError });
 *   checkClose("GD reaches the OLS weight", w, wStar, { abs: 1e-6 });
 *   checkAllClose("hand gradient = finite differences", handGrad, numericGrad, { rel: 1e-6 });
 */

/** Where passing checks are reported; tests swap it to capture the lines. */
let report: (line: string) => void = (line) => console.log(line);

export function setCheckReporter(reporter: (line: string) => void): () => void {
  const previous = report;
  report = reporter;
  return () => {
    report = previous;
  };
}

export class CheckError extends Error {
  constructor(
    readonly claim: string,
    readonly details: string,
  ) {
    super(`check failed: ${claim}${details ? `\n  ${details}` : ""}`);
    this.name = "CheckError";
  }
}

export type Details = string | Record<string, unknown>;

/** Passes when `condition` is true; otherwise throws with the claim and the details. */
export function check(claim: string, condition: boolean, details?: Details): void {
  if (typeof condition !== "boolean") {
    throw new TypeError(`check("${claim}"): condition must be a boolean, got ${describeValue(condition)}`);
  }
  if (!condition) throw new CheckError(claim, formatDetails(details));
  report(`✓ ${claim}${details === undefined ? "" : ` (${formatDetails(details)})`}`);
}

export interface Tolerance {
  /** Absolute tolerance: |actual − expected| ≤ abs passes. */
  abs?: number;
  /** Relative tolerance: |actual − expected| ≤ rel · |expected| passes. */
  rel?: number;
}

/** Default when neither is given: float64-tight relative tolerance, as in numpy.isclose's spirit. */
const DEFAULT_TOLERANCE: Required<Tolerance> = { abs: 0, rel: 1e-9 };

function resolveTolerance(tol: Tolerance | undefined): Required<Tolerance> {
  if (tol === undefined || (tol.abs === undefined && tol.rel === undefined)) return DEFAULT_TOLERANCE;
  const abs = tol.abs ?? 0;
  const rel = tol.rel ?? 0;
  if (!(abs >= 0) || !(rel >= 0)) throw new RangeError(`tolerance must be non-negative, got abs=${abs}, rel=${rel}`);
  return { abs, rel };
}

/** True when |a − b| ≤ max(abs, rel·|b|); NaN is never close, equal infinities are. */
export function isClose(actual: number, expected: number, tol?: Tolerance): boolean {
  const { abs, rel } = resolveTolerance(tol);
  if (Number.isNaN(actual) || Number.isNaN(expected)) return false;
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= Math.max(abs, rel * Math.abs(expected));
}

/** Relative error |a − b| / max(|b|, tiny): the number to print next to a tolerance. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
}

export function checkClose(claim: string, actual: number, expected: number, tol?: Tolerance): void {
  const t = resolveTolerance(tol);
  const ok = isClose(actual, expected, t);
  const details = `actual ${fmt(actual)}, expected ${fmt(expected)}, |diff| ${fmt(Math.abs(actual - expected))}, ${describeTolerance(t)}`;
  if (!ok) throw new CheckError(claim, details);
  report(`✓ ${claim} (|diff| ${fmt(Math.abs(actual - expected))}, ${describeTolerance(t)})`);
}

/** Anything with numbers in it: nested arrays, typed arrays, or a tensor-like with shape and dataSync(). */
export type NumericArrayLike = number | ArrayLike<unknown> | TensorLike;
interface TensorLike {
  shape: number[];
  dataSync(): ArrayLike<number>;
}

function isTensorLike(x: unknown): x is TensorLike {
  return typeof x === "object" && x !== null && "dataSync" in x && "shape" in x;
}

/** Flattens to values plus shape; ragged nested arrays are an error, not a silent mismatch. */
export function flatten(x: NumericArrayLike, where = "value"): { values: number[]; shape: number[] } {
  if (typeof x === "number") return { values: [x], shape: [] };
  if (isTensorLike(x)) return { values: Array.from(x.dataSync()), shape: [...x.shape] };
  const items = Array.from(x as ArrayLike<unknown>);
  if (items.length === 0) return { values: [], shape: [0] };
  if (items.every((v) => typeof v === "number")) return { values: items as number[], shape: [items.length] };
  const parts = items.map((item, i) => {
    if (typeof item !== "number" && (typeof item !== "object" || item === null)) {
      throw new TypeError(`${where}[${i}] is ${describeValue(item)}, not a number or array`);
    }
    return flatten(item as NumericArrayLike, `${where}[${i}]`);
  });
  const inner = parts[0]!.shape;
  parts.forEach((p, i) => {
    if (p.shape.join(",") !== inner.join(",")) {
      throw new TypeError(`${where} is ragged: ${where}[0] has shape [${inner}] but ${where}[${i}] has [${p.shape}]`);
    }
  });
  return { values: parts.flatMap((p) => p.values), shape: [items.length, ...inner] };
}

/** Element-wise closeness with equal shapes; the failure names the worst element. */
export function checkAllClose(claim: string, actual: NumericArrayLike, expected: NumericArrayLike, tol?: Tolerance): void {
  const t = resolveTolerance(tol);
  const a = flatten(actual, "actual");
  const e = flatten(expected, "expected");
  if (a.shape.join(",") !== e.shape.join(",")) {
    throw new CheckError(claim, `shape mismatch: actual [${a.shape}] vs expected [${e.shape}]`);
  }
  let worst = -1;
  let worstExcess = -Infinity;
  let maxDiff = 0;
  let failures = 0;
  a.values.forEach((v, i) => {
    const ev = e.values[i]!;
    const diff = Math.abs(v - ev);
    if (Number.isFinite(diff)) maxDiff = Math.max(maxDiff, diff);
    if (!isClose(v, ev, t)) {
      failures++;
      const excess = Number.isNaN(diff) ? Infinity : diff - Math.max(t.abs, t.rel * Math.abs(ev));
      if (excess > worstExcess) [worst, worstExcess] = [i, excess];
    }
  });
  if (failures > 0) {
    const index = unravel(worst, a.shape);
    throw new CheckError(
      claim,
      `${failures} of ${a.values.length} elements differ; worst at [${index}]: actual ${fmt(a.values[worst]!)}, expected ${fmt(e.values[worst]!)} (${describeTolerance(t)})`,
    );
  }
  report(`✓ ${claim} (${a.values.length} values, max |diff| ${fmt(maxDiff)}, ${describeTolerance(t)})`);
}

function unravel(flatIndex: number, shape: number[]): number[] {
  const index: number[] = [];
  let rest = flatIndex;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    index.unshift(rest % size);
    rest = Math.floor(rest / size);
  }
  return index;
}

function describeTolerance(t: Required<Tolerance>): string {
  const parts = [];
  if (t.abs > 0) parts.push(`abs ${fmt(t.abs)}`);
  if (t.rel > 0) parts.push(`rel ${fmt(t.rel)}`);
  return `tolerance ${parts.join(" or ") || "exact"}`;
}

/** Short, stable number formatting for check lines. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e6) return String(Number(x.toPrecision(6)));
  return x.toExponential(2);
}

function formatDetails(details: Details | undefined): string {
  if (details === undefined) return "";
  if (typeof details === "string") return details;
  return Object.entries(details)
    .map(([k, v]) => `${k} = ${typeof v === "number" ? fmt(v) : describeValue(v)}`)
    .join(", ");
}

function describeValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.slice(0, 6).map((x) => (typeof x === "number" ? fmt(x) : describeValue(x))).join(", ")}${v.length > 6 ? ", …" : ""}]`;
  if (typeof v === "number") return fmt(v);
  return String(v);
}
