/**
 * Count-based word vectors learned from unlabelled text: the positive pointwise mutual information (PPMI) of
 * words that occur in the same document, factorised by a truncated SVD (the count-based cousin of word2vec;
 * Levy & Goldberg 2014). Words that occur in similar company get similar vectors.
 *
 *   const encoder = ppmiWordVectors(["the plot was dull", "the music was bland"], 4);
 *   encoder.vectors[encoder.index.get("dull")!];   // 4 numbers
 */
import { svd } from "../math/linalg";

export interface WordVectors {
  /** The distinct words, sorted. */
  vocabulary: string[];
  /** word → its row in `ppmi` and `vectors`. */
  index: Map<string, number>;
  /** PPMI(a, b) = max(0, log(c_ab · total / (c_a · c_b))) over document co-occurrence counts; 0 where c_ab = 0. */
  ppmi: number[][];
  /** Row i = u_i · √s (the first `dimensions` components of the SVD PPMI = U S Vᵀ). */
  vectors: number[][];
}

/** Co-occurrence PPMI of the space-separated words of `documents`, and its rank-`dimensions` word vectors. */
export function ppmiWordVectors(documents: string[], dimensions: number): WordVectors {
  if (documents.length === 0) throw new RangeError("ppmiWordVectors: documents must not be empty");
  const vocabulary = [...new Set(documents.flatMap((d) => d.split(" ")))].sort();
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > vocabulary.length) {
    throw new RangeError(`ppmiWordVectors: dimensions must be an integer in 1..${vocabulary.length} (the vocabulary size), got ${dimensions}`);
  }
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const counts = vocabulary.map(() => new Array<number>(vocabulary.length).fill(0));
  for (const text of documents) {
    const ids = [...new Set(text.split(" "))].map((w) => index.get(w)!);
    for (const a of ids) for (const b of ids) if (a !== b) counts[a]![b]! += 1;
  }
  const rowSums = counts.map((row) => row.reduce((s, v) => s + v, 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  if (total === 0) throw new RangeError("ppmiWordVectors: no document has two distinct words, so nothing co-occurs");
  const ppmi = counts.map((row, i) => row.map((c, j) => (c > 0 ? Math.max(0, Math.log((c * total) / (rowSums[i]! * rowSums[j]!))) : 0)));
  const { u, s } = svd(ppmi);
  const vectors = vocabulary.map((_, i) => Array.from({ length: dimensions }, (_, k) => u[i]![k]! * Math.sqrt(s[k]!)));
  return { vocabulary, index, ppmi, vectors };
}
