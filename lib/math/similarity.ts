/**
 * Cosine similarity, the standard way to compare embeddings: the angle between two vectors, blind to their
 * lengths (a word seen often gets a long vector; its meaning is in the direction).
 *
 *   cosineSimilarity([1, 0], [1, 1]);           // 0.7071…
 *   nearestNeighbours(vectors, 3, 2);          // the 2 rows most similar to row 3, row 3 excluded
 */

function checkVector(caller: string, name: string, v: readonly number[]): void {
  if (!Array.isArray(v) || v.length === 0) throw new TypeError(`${caller}: ${name} must be a non-empty array of numbers`);
}

/** a·b / (‖a‖ ‖b‖), clamped to [−1, 1] against round-off; a zero vector has no direction, so it is an error. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  checkVector("cosineSimilarity", "a", a);
  checkVector("cosineSimilarity", "b", b);
  if (a.length !== b.length) throw new RangeError(`cosineSimilarity: a has ${a.length} entries, b has ${b.length}`);
  let dot = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  if (aa === 0 || bb === 0) throw new RangeError(`cosineSimilarity: ${aa === 0 ? "a" : "b"} is the zero vector, which has no direction`);
  return Math.max(-1, Math.min(1, dot / Math.sqrt(aa * bb)));
}

/** [rows][rows] cosine similarities of the rows of `vectors` (symmetric, 1 on the diagonal). */
export function cosineSimilarityMatrix(vectors: readonly (readonly number[])[]): number[][] {
  return vectors.map((a, i) => vectors.map((b, j) => (i === j ? 1 : cosineSimilarity(a, b))));
}

/** Indices of the `k` rows most cosine-similar to row `index` (itself excluded), most similar first; ties by index. */
export function nearestNeighbours(vectors: readonly (readonly number[])[], index: number, k = 1): number[] {
  if (!Number.isInteger(index) || index < 0 || index >= vectors.length) throw new RangeError(`nearestNeighbours: index must be a row in 0..${vectors.length - 1}, got ${index}`);
  if (!Number.isInteger(k) || k < 1 || k >= vectors.length) throw new RangeError(`nearestNeighbours: k must be an integer in 1..${vectors.length - 1}, got ${k}`);
  const query = vectors[index]!;
  return vectors
    .map((v, j) => ({ j, similarity: j === index ? -Infinity : cosineSimilarity(query, v) }))
    .sort((x, y) => y.similarity - x.similarity || x.j - y.j)
    .slice(0, k)
    .map((x) => x.j);
}
