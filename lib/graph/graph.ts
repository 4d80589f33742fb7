/**
 * Undirected simple graphs as edge lists, and the matrices graph neural networks use (float64, number[][]):
 *
 *   const g: Graph = { nodeCount: 4, edges: [[0, 1], [0, 2], [0, 3]] };
 *   adjacencyMatrix(g);        // A, symmetric 0/1, zero diagonal
 *   normalizedAdjacency(g);    // Â = D̃^−½ (A + I) D̃^−½, the GCN propagation matrix (Kipf & Welling 2017)
 *   meanAggregation(g);        // D^−1 A, GraphSAGE's mean over neighbours
 *   forceLayout(g, { seed: 0 }); // 2-D coordinates for drawing
 *   randomGraph(30, 0.2, new Random(0)); // Erdős–Rényi G(n, p)
 *
 * Every function checks the graph first (node ids in range, no self-loops, no repeated edges) and names the edge at fault.
 */
import { symmetricEigen, type Matrix } from "../math/linalg";
import { Random } from "../random";

export interface Graph {
  nodeCount: number;
  /** Undirected edges [a, b], a ≠ b, each pair at most once (in either order). */
  edges: ReadonlyArray<readonly [number, number]>;
}

export function checkGraph(graph: Graph, where = "graph"): void {
  if (!Number.isInteger(graph.nodeCount) || graph.nodeCount < 1) throw new RangeError(`${where}: nodeCount must be an integer ≥ 1, got ${graph.nodeCount}`);
  const seen = new Set<string>();
  graph.edges.forEach(([a, b], e) => {
    for (const node of [a, b]) {
      if (!Number.isInteger(node) || node < 0 || node >= graph.nodeCount) throw new RangeError(`${where}: edge ${e} [${a}, ${b}] names node ${node}, outside 0 … ${graph.nodeCount - 1}`);
    }
    if (a === b) throw new RangeError(`${where}: edge ${e} is a self-loop on node ${a}`);
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) throw new RangeError(`${where}: edge ${e} [${a}, ${b}] repeats an earlier edge`);
    seen.add(key);
  });
}

export function adjacencyMatrix(graph: Graph): Matrix {
  checkGraph(graph);
  const a = Array.from({ length: graph.nodeCount }, () => new Array<number>(graph.nodeCount).fill(0));
  for (const [u, v] of graph.edges) a[u]![v] = a[v]![u] = 1;
  return a;
}

export function degrees(graph: Graph): number[] {
  checkGraph(graph);
  const d = new Array<number>(graph.nodeCount).fill(0);
  for (const [u, v] of graph.edges) {
    d[u]! += 1;
    d[v]! += 1;
  }
  return d;
}

/** Â = D̃^−½ (A + I) D̃^−½ with D̃ the degrees of A + I: symmetric, eigenvalues in (−1, 1], the top one 1. */
export function normalizedAdjacency(graph: Graph): Matrix {
  const a = adjacencyMatrix(graph);
  const scale = degrees(graph).map((d) => 1 / Math.sqrt(d + 1));
  return a.map((row, i) => row.map((v, j) => (v + (i === j ? 1 : 0)) * scale[i]! * scale[j]!));
}

/** D^−1 A: row i averages node i's neighbours (a node without neighbours gets a zero row). */
export function meanAggregation(graph: Graph): Matrix {
  const a = adjacencyMatrix(graph);
  const d = degrees(graph);
  return a.map((row, i) => row.map((v) => (d[i]! === 0 ? 0 : v / d[i]!)));
}

/** An Erdős–Rényi graph G(n, p): each of the n(n − 1)/2 pairs linked with probability p, drawn from `rng`. */
export function randomGraph(nodeCount: number, density: number, rng: Random): Graph {
  if (!Number.isInteger(nodeCount) || nodeCount < 1) throw new RangeError(`randomGraph: nodeCount must be an integer ≥ 1, got ${nodeCount}`);
  if (!(density >= 0 && density <= 1)) throw new RangeError(`randomGraph: density must be in [0, 1], got ${density}`);
  const edges: [number, number][] = [];
  for (let i = 0; i < nodeCount; i++) for (let j = i + 1; j < nodeCount; j++) if (rng.random() < density) edges.push([i, j]);
  return { nodeCount, edges };
}

/** The same graph with node i renamed permutation[i]. */
export function permuteGraph(graph: Graph, permutation: readonly number[]): Graph {
  checkGraph(graph);
  const sorted = [...permutation].sort((x, y) => x - y);
  if (sorted.length !== graph.nodeCount || sorted.some((v, i) => v !== i)) throw new RangeError(`permuteGraph: permutation must hold 0 … ${graph.nodeCount - 1} once each`);
  return { nodeCount: graph.nodeCount, edges: graph.edges.map(([a, b]) => [permutation[a]!, permutation[b]!] as const) };
}

/**
 * A force-directed layout (Fruchterman & Reingold 1991), seeded: linked nodes attract (d²/k), all pairs repel
 * (k²/d), and the step ("temperature") cools linearly, so nodes with the same neighbours (which every spectral
 * layout puts on one point) end apart. Coordinates are centred and scaled to [−1, 1].
 */
export function forceLayout(graph: Graph, options: { seed: number; iterations?: number }): { x: number[]; y: number[] } {
  checkGraph(graph);
  const n = graph.nodeCount;
  const iterations = options.iterations ?? 300;
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`forceLayout: iterations must be an integer ≥ 1, got ${iterations}`);
  const rng = new Random(options.seed);
  const x = Array.from({ length: n }, () => rng.uniform(-1, 1));
  const y = Array.from({ length: n }, () => rng.uniform(-1, 1));
  const k = Math.sqrt(4 / n); // ideal edge length in a 2 × 2 box
  for (let step = 0; step < iterations; step++) {
    const temperature = 0.1 * (1 - step / iterations);
    const dx = new Array<number>(n).fill(0), dy = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const [ex, ey] = [x[i]! - x[j]!, y[i]! - y[j]!];
        const distance = Math.max(1e-9, Math.hypot(ex, ey));
        const push = (k * k) / distance / distance;
        dx[i]! += ex * push; dy[i]! += ey * push;
        dx[j]! -= ex * push; dy[j]! -= ey * push;
      }
    }
    for (const [a, b] of graph.edges) {
      const [ex, ey] = [x[a]! - x[b]!, y[a]! - y[b]!];
      const pull = Math.hypot(ex, ey) / k;
      dx[a]! -= ex * pull; dy[a]! -= ey * pull;
      dx[b]! += ex * pull; dy[b]! += ey * pull;
    }
    for (let i = 0; i < n; i++) {
      const length = Math.hypot(dx[i]!, dy[i]!);
      if (length > 0) {
        x[i]! += (dx[i]! / length) * Math.min(length, temperature);
        y[i]! += (dy[i]! / length) * Math.min(length, temperature);
      }
    }
  }
  const scale = (values: number[]) => {
    const mid = (Math.max(...values) + Math.min(...values)) / 2;
    const half = Math.max(1e-12, (Math.max(...values) - Math.min(...values)) / 2);
    return values.map((v) => (v - mid) / half);
  };
  return { x: scale(x), y: scale(y) };
}
