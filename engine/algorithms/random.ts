/**
 * Seeded randomness for every stochastic routine (sampling, node orders, cascades, generators).
 *
 * xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018):
 * 32-bit state words so it runs on V8 small integers without BigInt, period 2^128 - 1, and passes
 * BigCrush. The state is seeded through splitmix32 so nearby seeds give unrelated streams.
 * `deriveSeed(seed, stream)` gives each worker / task its own reproducible stream: the same
 * (seed, stream) always yields the same numbers, whatever thread runs it.
 */

export type Rng = () => number;

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniform doubles in [0, 1) with 32 bits of randomness each. */
export function createRng(seed: number): Rng {
  const next = createRngU32(seed);
  return () => next() / 4294967296;
}

/** Uniform unsigned 32-bit integers. */
export function createRngU32(seed: number): () => number {
  const sm = splitmix32(seed >>> 0 ^ Math.floor(seed / 4294967296));
  let s0 = sm(), s1 = sm(), s2 = sm(), s3 = sm();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A uniform integer in [0, n) (n <= 2^32), without modulo bias worth measuring for n << 2^32. */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Independent, reproducible seed for stream `stream` of a run seeded with `seed`. */
export function deriveSeed(seed: number, stream: number): number {
  const sm = splitmix32((seed ^ Math.imul(stream + 1, 0x632be5ab)) >>> 0);
  sm();
  return sm();
}

/** Fisher-Yates shuffle in place. */
export function shuffle(a: Int32Array | number[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
