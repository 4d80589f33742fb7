/**
 * Recommendation as link prediction on a user–item graph (issue 22, notebook 31):
 *
 *   const data = makeTasteGraph({ users: 200, items: 120, seed: 0 });   // two taste communities
 *   const { train, test } = splitUserItemEdges(data.edges, { testFraction: 0.2, seed: 1 });
 *   const model = new LightGCN({ users: 200, items: 120, dim: 16, layers: 2, seed: 0 });
 *   model.fit(train, { steps: 200 });                                     // BPR loss, sampled negatives
 *   recallAtK(model.scores(), train, test, 10);                           // vs popularityScores(train, …)
 *
 * LightGCN (He et al. 2020) is a GCN without weights or non-linearities: each user's and item's embedding is the
 * mean of its learned embedding propagated 0 … K hops over the symmetric-normalised bipartite adjacency; a pair
 * scores the dot product of its two embeddings. BPR (Rendle et al. 2009) trains the ranking directly: a seen item
 * should outscore an item the user has not interacted with.
 */
import { tf } from "../tf";
import { Random } from "../random";

export type UserItemEdge = readonly [user: number, item: number];

export interface TasteGraph {
  users: number;
  items: number;
  edges: UserItemEdge[];
  /** Community (taste) of each user and each item. */
  userCommunity: number[];
  itemCommunity: number[];
}

export interface TasteGraphOptions {
  users: number;
  items: number;
  seed: number;
  communities?: number;
  /** Items each user has interacted with (default 12). */
  itemsPerUser?: number;
  /** Probability that an interaction falls in the user's own community (default 0.85). */
  inCommunity?: number;
  /** Zipf exponent of item popularity within a community (default 0.8): a few items are much more popular. */
  popularityExponent?: number;
}

function integerAtLeast(where: string, name: string, value: number, low: number): void {
  if (!Number.isInteger(value) || value < low) throw new RangeError(`${where}: ${name} must be an integer ≥ ${low}, got ${value}`);
}

/** A seeded bipartite graph: users of a community mostly pick the community's items, popular items more often. */
export function makeTasteGraph(options: TasteGraphOptions): TasteGraph {
  const where = "makeTasteGraph";
  const communities = options.communities ?? 2;
  const perUser = options.itemsPerUser ?? 12;
  const inCommunity = options.inCommunity ?? 0.85;
  const exponent = options.popularityExponent ?? 0.8;
  integerAtLeast(where, "users", options.users, 1);
  integerAtLeast(where, "communities", communities, 1);
  integerAtLeast(where, "items", options.items, communities);
  integerAtLeast(where, "itemsPerUser", perUser, 1);
  if (perUser > options.items / communities) throw new RangeError(`${where}: itemsPerUser ${perUser} exceeds the ${Math.floor(options.items / communities)} items of a community`);
  if (!(inCommunity >= 0 && inCommunity <= 1)) throw new RangeError(`${where}: inCommunity must be in [0, 1], got ${inCommunity}`);
  const rng = new Random(options.seed);
  const itemCommunity = Array.from({ length: options.items }, (_, i) => i % communities);
  const userCommunity = Array.from({ length: options.users }, () => rng.int(0, communities));
  // Popularity rank within each community, in a random order so that item ids carry no information.
  const weight = new Array<number>(options.items).fill(0);
  for (let c = 0; c < communities; c++) {
    const members = itemCommunity.flatMap((k, i) => (k === c ? [i] : []));
    rng.permutation(members.length).forEach((rank, m) => (weight[members[m]!] = 1 / (rank + 1) ** exponent));
  }
  const edges: UserItemEdge[] = [];
  for (let u = 0; u < options.users; u++) {
    const chosen = new Set<number>();
    while (chosen.size < perUser) {
      const own = rng.random() < inCommunity;
      const pool = itemCommunity.flatMap((k, i) => ((k === userCommunity[u]) === own && !chosen.has(i) ? [i] : []));
      if (pool.length === 0) continue;
      const total = pool.reduce((s, i) => s + weight[i]!, 0);
      let r = rng.random() * total;
      const pick = pool.find((i) => (r -= weight[i]!) < 0) ?? pool.at(-1)!;
      chosen.add(pick);
    }
    [...chosen].sort((a, b) => a - b).forEach((i) => edges.push([u, i]));
  }
  return { users: options.users, items: options.items, edges, userCommunity, itemCommunity };
}

/** Holds out about testFraction of each user's interactions (at least one kept for training, one held out when the user has ≥ 2). */
export function splitUserItemEdges(edges: readonly UserItemEdge[], options: { testFraction: number; seed: number }): { train: UserItemEdge[]; test: UserItemEdge[] } {
  if (!(options.testFraction > 0 && options.testFraction < 1)) throw new RangeError(`splitUserItemEdges: testFraction must be in (0, 1), got ${options.testFraction}`);
  const rng = new Random(options.seed);
  const byUser = new Map<number, UserItemEdge[]>();
  edges.forEach((e) => byUser.set(e[0], [...(byUser.get(e[0]) ?? []), e]));
  const train: UserItemEdge[] = [], test: UserItemEdge[] = [];
  for (const user of [...byUser.keys()].sort((a, b) => a - b)) {
    const own = byUser.get(user)!;
    const held = own.length < 2 ? 0 : Math.min(own.length - 1, Math.max(1, Math.round(options.testFraction * own.length)));
    const order = rng.permutation(own.length);
    order.forEach((k, position) => (position < held ? test : train).push(own[k]!));
  }
  return { train, test };
}

/** The symmetric-normalised adjacency D^−½ A D^−½ of the bipartite graph, users first then items (no self-loops). */
export function bipartiteNormalizedAdjacency(users: number, items: number, edges: readonly UserItemEdge[]): number[][] {
  const n = users + items;
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const [u, i] of edges) {
    if (!(u >= 0 && u < users && i >= 0 && i < items)) throw new RangeError(`bipartiteNormalizedAdjacency: edge [${u}, ${i}] is outside ${users} users × ${items} items`);
    a[u]![users + i] = a[users + i]![u] = 1;
  }
  const d = a.map((row) => row.reduce((s, v) => s + v, 0));
  return a.map((row, r) => row.map((v, c) => (v === 0 ? 0 : v / Math.sqrt(d[r]! * d[c]!))));
}

export interface LightGcnParams {
  users: number;
  items: number;
  dim: number;
  /** Propagation hops K (0 = plain matrix factorisation). */
  layers: number;
  seed: number;
}

export class LightGCN {
  readonly params: LightGcnParams;
  readonly embeddings: tf.Variable;
  private propagation: tf.Tensor2D | null = null;

  constructor(params: LightGcnParams) {
    integerAtLeast("LightGCN", "users", params.users, 1);
    integerAtLeast("LightGCN", "items", params.items, 1);
    integerAtLeast("LightGCN", "dim", params.dim, 1);
    integerAtLeast("LightGCN", "layers", params.layers, 0);
    this.params = params;
    const rng = new Random(params.seed);
    const n = params.users + params.items;
    this.embeddings = tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from({ length: n * params.dim }, () => rng.normal(0, 0.1)), [n, params.dim]), true));
  }

  /** Final embeddings: the mean of Â^k E for k = 0 … K. */
  private propagate(): tf.Tensor2D {
    if (this.propagation === null) throw new Error("LightGCN: call fit first (the graph comes with the training edges)");
    const embeddings = this.embeddings as tf.Tensor as tf.Tensor2D;
    let h = embeddings;
    let sum = embeddings;
    for (let k = 0; k < this.params.layers; k++) {
      h = this.propagation.matMul(h) as tf.Tensor2D;
      sum = sum.add(h) as tf.Tensor2D;
    }
    return sum.div(this.params.layers + 1) as tf.Tensor2D;
  }

  /** BPR with one sampled negative per training edge and step (an item the user has not interacted with in training). */
  fit(train: readonly UserItemEdge[], options: { steps: number; learningRate?: number; l2?: number; seed?: number }): number[] {
    integerAtLeast("LightGCN.fit", "steps", options.steps, 1);
    const { users, items } = this.params;
    this.propagation?.dispose();
    this.propagation = tf.tensor2d(bipartiteNormalizedAdjacency(users, items, train));
    const seen = new Set(train.map(([u, i]) => u * items + i));
    const rng = new Random(options.seed ?? this.params.seed + 1);
    const userIndex = tf.tensor1d(train.map(([u]) => u), "int32");
    const positiveIndex = tf.tensor1d(train.map(([, i]) => users + i), "int32");
    const optimizer = tf.train.adam(options.learningRate ?? 0.05);
    const l2 = options.l2 ?? 1e-4;
    const losses: number[] = [];
    try {
      for (let step = 0; step < options.steps; step++) {
        const negatives = train.map(([u]) => {
          for (;;) {
            const j = rng.int(0, items);
            if (!seen.has(u * items + j)) return users + j;
          }
        });
        const negativeIndex = tf.tensor1d(negatives, "int32");
        const loss = optimizer.minimize(() => {
          const e = this.propagate();
          const eu = e.gather(userIndex);
          const margin = eu.mul(e.gather(positiveIndex)).sum(1).sub(eu.mul(e.gather(negativeIndex)).sum(1));
          return tf.softplus(margin.neg()).mean().add(this.embeddings.square().sum().mul(l2 / train.length)) as tf.Scalar;
        }, true, [this.embeddings])!;
        losses.push(loss.dataSync()[0]!);
        tf.dispose([loss, negativeIndex]);
      }
    } finally {
      optimizer.dispose();
      tf.dispose([userIndex, positiveIndex]);
    }
    return losses;
  }

  /** scores[u][i] = e_u · e_i. */
  scores(): number[][] {
    return tf.tidy(() => {
      const e = this.propagate();
      const [u, i] = [e.slice([0, 0], [this.params.users, -1]), e.slice([this.params.users, 0], [this.params.items, -1])];
      return u.matMul(i, false, true).arraySync() as number[][];
    });
  }

  dispose(): void {
    tf.dispose([this.embeddings, ...(this.propagation ? [this.propagation] : [])]);
    this.propagation = null;
  }
}

/** Every user gets the same score per item: its number of training interactions. */
export function popularityScores(train: readonly UserItemEdge[], users: number, items: number): number[][] {
  const count = new Array<number>(items).fill(0);
  train.forEach(([, i]) => (count[i]! += 1));
  return Array.from({ length: users }, () => [...count]);
}

/**
 * Mean over users with held-out items of |top-k ∩ held-out| / min(k, |held-out|), ranking only items the user has
 * not interacted with in training (ties broken by the lower item id, so the value is deterministic).
 */
export function recallAtK(scores: number[][], train: readonly UserItemEdge[], test: readonly UserItemEdge[], k: number): number {
  integerAtLeast("recallAtK", "k", k, 1);
  const trained = new Set(train.map(([u, i]) => `${u},${i}`));
  const heldOut = new Map<number, Set<number>>();
  test.forEach(([u, i]) => heldOut.set(u, (heldOut.get(u) ?? new Set()).add(i)));
  if (heldOut.size === 0) throw new RangeError("recallAtK: no held-out interaction");
  let total = 0;
  for (const [u, items] of heldOut) {
    const row = scores[u];
    if (!row) throw new RangeError(`recallAtK: no scores for user ${u}`);
    const candidates = row.map((s, i) => [s, i] as const).filter(([, i]) => !trained.has(`${u},${i}`));
    candidates.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const hits = candidates.slice(0, k).filter(([, i]) => items.has(i)).length;
    total += hits / Math.min(k, items.size);
  }
  return total / heldOut.size;
}

/** Held-out edges (label 1) and as many random user–item pairs that are edges neither in training nor held out (label 0). */
export function linkPredictionPairs(graph: { users: number; items: number }, train: readonly UserItemEdge[], test: readonly UserItemEdge[], seed: number): { pairs: UserItemEdge[]; labels: number[] } {
  const known = new Set([...train, ...test].map(([u, i]) => u * graph.items + i));
  if (known.size + test.length > graph.users * graph.items) throw new RangeError("linkPredictionPairs: not enough non-edges to sample from");
  const rng = new Random(seed);
  const negatives: UserItemEdge[] = [];
  const drawn = new Set<number>();
  while (negatives.length < test.length) {
    const [u, i] = [rng.int(0, graph.users), rng.int(0, graph.items)];
    const key = u * graph.items + i;
    if (known.has(key) || drawn.has(key)) continue;
    drawn.add(key);
    negatives.push([u, i]);
  }
  return { pairs: [...test, ...negatives], labels: [...test.map(() => 1), ...negatives.map(() => 0)] };
}
