// A small seeded generator so that resampling statistics are reproducible: same seed, same interval.
// xoshiro128** 1.1 (Blackman & Vigna 2018), its 128-bit state filled from the seed by a splitmix32 mix.

/** A source of uniform numbers in [0, 1), with the raw 32-bit output beside it. */
export interface SeededRandom {
  /** The next uniform number in [0, 1). */
  next(): number;
  /** The next raw 32-bit output, as an unsigned integer. */
  nextUint32(): number;
  /** A uniform integer in [0, bound). */
  nextIndex(bound: number): number;
}

const TWO_TO_32 = 4294967296;

/** xoshiro128** seeded from a 32-bit integer (other numbers are reduced modulo 2^32). */
export function seededRandom(seed: number): SeededRandom {
  let mix = seed >>> 0;
  const splitmix32 = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  // The four words come from a bijective mix of distinct inputs, so the state is never all zero.
  let s0 = splitmix32();
  let s1 = splitmix32();
  let s2 = splitmix32();
  let s3 = splitmix32();

  const nextUint32 = (): number => {
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
  const next = (): number => nextUint32() / TWO_TO_32;
  // Multiply-shift is biased by at most bound / 2^32, far below what a bootstrap can notice.
  const nextIndex = (bound: number): number => Math.floor(next() * bound);
  return { next, nextUint32, nextIndex };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
