/** The names of the benchmark's workloads, apart from their models so that the parent process loads no TensorFlow.js. */
export const WORKLOADS = ["mlp", "cnn", "lstm", "gru", "transformer", "lm"] as const;
export type Workload = (typeof WORKLOADS)[number];
/** The workloads whose step is a sequence model (what scripts/bench/profile.ts looks at). */
export const SEQUENCE_WORKLOADS = ["lstm", "gru", "transformer", "lm"] as const satisfies readonly Workload[];

/** The names in a comma-separated list, or an error that names the unknown one and the known ones. */
export function parseWorkloads(list: string, allowed: readonly Workload[] = WORKLOADS): Workload[] {
  const names = list.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
  if (unknown.length || names.length === 0) throw new Error(`unknown workload "${unknown[0] ?? list}": choose from ${allowed.join(", ")}`);
  return names as Workload[];
}
