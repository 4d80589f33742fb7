/**
 * Totals per kernel name of a `tf.profile` record (scripts/bench/profile.ts).
 *
 * What tfjs 4.22 records: each kernel call's `kernelTimeMs` is the backend's `time(f)`; on wasm and cpu that is
 * synchronous wall time around the kernel function (plus the engine's few bookkeeping lines inside it: wrapping the
 * outputs, saving tensors for the gradient). A function with a custom gradient (`tf.customGrad`, e.g. tfjs's
 * softmax cross-entropy) is recorded too, under its scope's name, AFTER the kernels it ran: its time contains theirs.
 * Such scopes are not registered kernels, so `isKernel` tells them apart and they are kept out of the kernel total.
 * The records may span several identical steps (`steps`); every figure is then per step (the mean). A record's
 * `detail` (e.g. its input shapes) splits a kernel name into one row per detail.
 */

export interface KernelRecord {
  name: string;
  /** Milliseconds, or the backend's error when it could not time the call. */
  kernelTimeMs: number | { error: string };
  detail?: string;
}

export interface KernelTotal {
  name: string;
  detail?: string;
  /** Calls per step. */
  count: number;
  /** Milliseconds per step. */
  totalMs: number;
}

export interface KernelSummary {
  /** Registered kernels by total time, longest first (then by name). */
  kernels: KernelTotal[];
  /** Custom-gradient scopes: their time overlaps the kernels they ran, so it is not in `kernelMs`. */
  scopes: KernelTotal[];
  /** Kernel calls per step (scopes excluded). */
  calls: number;
  /** Time of all kernel calls per step (scopes excluded). */
  kernelMs: number;
  /** Calls the backend could not time (counted, not timed), over all steps. */
  untimed: number;
}

export function summariseKernels(records: readonly KernelRecord[], isKernel: (name: string) => boolean, steps = 1): KernelSummary {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`summariseKernels: steps must be an integer ≥ 1, got ${steps}`);
  const kernels = new Map<string, KernelTotal>();
  const scopes = new Map<string, KernelTotal>();
  let untimed = 0;
  for (const record of records) {
    const table = isKernel(record.name) ? kernels : scopes;
    const key = record.detail === undefined ? record.name : `${record.name}\u0000${record.detail}`;
    const total = table.get(key) ?? { name: record.name, ...(record.detail === undefined ? {} : { detail: record.detail }), count: 0, totalMs: 0 };
    total.count++;
    if (typeof record.kernelTimeMs === "number" && Number.isFinite(record.kernelTimeMs)) total.totalMs += record.kernelTimeMs;
    else untimed++;
    table.set(key, total);
  }
  const perStep = (t: KernelTotal): KernelTotal => ({ ...t, count: t.count / steps, totalMs: t.totalMs / steps });
  const label = (t: KernelTotal) => `${t.name} ${t.detail ?? ""}`;
  const byTime = (a: KernelTotal, b: KernelTotal) => b.totalMs - a.totalMs || (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0);
  const kernelList = [...kernels.values()].map(perStep).sort(byTime);
  return {
    kernels: kernelList,
    scopes: [...scopes.values()].map(perStep).sort(byTime),
    calls: kernelList.reduce((n, k) => n + k.count, 0),
    kernelMs: kernelList.reduce((ms, k) => ms + k.totalMs, 0),
    untimed,
  };
}
