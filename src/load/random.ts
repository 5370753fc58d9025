// A seeded random source, so that a load test's arrivals and prompts can be replayed exactly.
// Math.random cannot be seeded; sfc32 (Chris Doty-Humphrey's small fast counter) passes
// PractRand and is a few lines, seeded through splitmix32 so nearby seeds diverge at once.

export interface Random {
  /** Uniform in [0, 1) with 53 random bits. */
  next(): number;
  /** Integer uniform in [min, max], both included. */
  integer(min: number, max: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /** Gamma with shape k and scale θ (mean kθ), Marsaglia–Tsang (2000). */
  gamma(shape: number, scale: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A random source from a 32-bit seed. */
export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();

  const next = (): number => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
  // (0, 1]: logarithms below must never see zero.
  const open = (): number => 1 - next();
  let spareNormal: number | null = null;

  const normal = (): number => {
    if (spareNormal !== null) {
      const value = spareNormal;
      spareNormal = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(open()));
    const angle = 2 * Math.PI * next();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  const gamma = (shape: number, scale: number): number => {
    if (shape < 1) {
      // Boost: Gamma(k) = Gamma(k + 1) · U^(1/k).
      return gamma(shape + 1, scale) * open() ** (1 / shape);
    }
    const d0 = shape - 1 / 3;
    const c0 = 1 / Math.sqrt(9 * d0);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c0 * x;
      } while (v <= 0);
      v = v * v * v;
      const u = open();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d0 * (1 - v + Math.log(v))) {
        return d0 * v * scale;
      }
    }
  };

  return {
    next,
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal,
    exponential: (rate) => -Math.log(open()) / rate,
    gamma,
  };
}
