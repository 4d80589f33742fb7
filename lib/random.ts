/**
 * Seeded randomness for everything that happens outside TensorFlow.js ops: shuffles, splits, synthetic data,
 * initial weights of hand-written models. The same seed gives the same stream on every machine.
 *
 * The generator is xoshiro128** (Blackman & Vigna, 2018), seeded through splitmix32 so that nearby seeds
 * (0, 1, 2, …) give unrelated streams. It is fast, has a 2^128 − 1 period and passes BigCrush; it is not
 * for cryptography.
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new TypeError(`Random: seed must be an integer, got ${seed}`);
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits, like Math.random. */
  random(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    if (!(high >= low)) throw new RangeError(`uniform: need low ≤ high, got low=${low}, high=${high}`);
    return low + (high - low) * this.random();
  }

  /** Uniform integer in [low, high), without modulo bias. */
  int(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new RangeError(`int: need integers low < high, got low=${low}, high=${high}`);
    }
    return low + Math.floor(this.random() * (high - low));
  }

  /** Normal(mean, std) by the Box–Muller transform; the second value of each pair is kept for the next call. */
  normal(mean = 0, std = 1): number {
    if (!(std >= 0)) throw new RangeError(`normal: std must be ≥ 0, got ${std}`);
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.random(); // log(0) would be -Infinity
    const v = this.random();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return mean + std * radius * Math.cos(2 * Math.PI * v);
  }

  /** An array of n draws from `draw`. */
  array(n: number, draw: (rng: Random) => number): number[] {
    return Array.from({ length: n }, () => draw(this));
  }

  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** A random permutation of 0 … n−1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** One element, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("choice: empty array");
    return items[this.int(0, items.length)]!;
  }

  /** k distinct indices from 0 … n−1 (partial Fisher–Yates). */
  sampleIndices(n: number, k: number): number[] {
    if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`sampleIndices: need 0 ≤ k ≤ n, got k=${k}, n=${n}`);
    const pool = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = this.int(i, n);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, k);
  }

  /** An independent generator derived from this one (for a sub-task that must not shift this stream). */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// The engine's own Math.random, kept across re-evaluations of this module (tslab recompiles edited files).
const NATIVE_RANDOM = Symbol.for("ml-notebooks.nativeMathRandom");
const globalState = globalThis as typeof globalThis & { [NATIVE_RANDOM]?: () => number };
globalState[NATIVE_RANDOM] ??= Math.random;

/**
 * Runs `work` with the engine's unseeded Math.random. Libraries that draw from Math.random at times that
 * depend on I/O (playwright, while rendering a plot) would otherwise shift the seeded stream, and the
 * notebook's results would depend on whether a browser was available.
 */
export async function withUnseededMathRandom<T>(work: () => Promise<T>): Promise<T> {
  const seeded = Math.random;
  Math.random = globalState[NATIVE_RANDOM]!;
  try {
    return await work();
  } finally {
    Math.random = seeded;
  }
}

/**
 * Makes Math.random deterministic. TensorFlow.js draws its default seeds (layer initializers, dropout,
 * shuffling in model.fit) from Math.random, so seeding it is what makes a whole notebook repeatable.
 * Returns a function that restores the original.
 */
export function seedMathRandom(seed: number): () => void {
  const original = Math.random;
  const rng = new Random(seed);
  Math.random = () => rng.random();
  return () => {
    Math.random = original;
  };
}
