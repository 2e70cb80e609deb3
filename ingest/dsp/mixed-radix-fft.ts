/**
 * Mixed-radix complex FFT for lengths whose prime factors are small: a Stockham autosort
 * decimation-in-frequency transform (Stockham 1966; Van Loan, Computational Frameworks for the Fast
 * Fourier Transform, SIAM 1992, sec. 1.7 and 2.3) with butterflies for radix 4, 2, 3, 5 and a generic
 * odd-prime butterfly that folds the DFT's symmetric pairs (Singleton, IEEE Trans. Audio
 * Electroacoust. 17 (1969) 93-103). Each stage reads one buffer and writes the other in natural
 * order, so there is no bit-reversal pass; twiddles W_L^{pk} for every stage are computed once per
 * plan (angles reduced mod L so they stay exact for large L).
 *
 * A stage of radix R on a sub-transform of length L = R m with stride s maps
 *   y[q + s (R p + k)] = W_L^{pk} sum_r x[q + s (p + r m)] w_R^{rk},  p < m, q < s, k < R,
 * then the next stage takes L' = m and s' = R s. Buffers are interleaved [re0, im0, re1, im1, ...].
 */

/** The prime factors of n, ascending (with multiplicity). */
export function primeFactors(n: number): number[] {
  const out: number[] = [];
  let m = n;
  for (let p = 2; p * p <= m; p += p === 2 ? 1 : 2) {
    while (m % p === 0) {
      out.push(p);
      m /= p;
    }
  }
  if (m > 1) out.push(m);
  return out;
}

/**
 * The radices of the plan: 4s first (the cheapest butterfly per point), a 2 for an odd power of
 * two, then the odd primes ascending.
 */
export function radixPlan(n: number): number[] {
  const primes = primeFactors(n);
  const twos = primes.filter((p) => p === 2).length;
  const radices: number[] = [];
  for (let i = 0; i < twos >> 1; i++) radices.push(4);
  if (twos % 2 === 1) radices.push(2);
  for (const p of primes) if (p !== 2) radices.push(p);
  return radices;
}

/**
 * Whether the mixed-radix transform is the cheaper way to do length n, against Bluestein's three
 * power-of-two transforms of length M >= 2n - 1 plus its pointwise passes. Costs are per point, in
 * units of one radix-4 pass: radix 2 to 5 about 0.6-1.3 units, a generic radix p about 0.65 p (its
 * butterfly is (p-1)^2/4 complex multiply-adds for p points), Bluestein (3 log4 M + 4) M / n. The
 * constants come from timing both paths on this machine (crossover near prime factors of 80-100).
 */
export function mixedRadixSuits(n: number): boolean {
  if (!Number.isInteger(n) || n < 1) return false;
  let mixed = 0;
  for (const r of radixPlan(n)) mixed += r === 2 ? 0.6 : r <= 4 ? 1 : r === 5 ? 1.3 : 0.65 * r;
  let m = 2;
  while (m < 2 * n - 1) m *= 2;
  const bluestein = ((3 * Math.log2(m)) / 2 + 4) * (m / n);
  return mixed <= bluestein;
}

interface Stage {
  radix: number;
  /** L / radix */
  m: number;
  /** stride of this stage's input */
  s: number;
  /** W_L^{pk} for p < m, k = 1..radix-1, interleaved, (p (radix-1) + k - 1) pairs */
  tw: Float64Array;
}

// Twiddle tables are read-only, so instances of the same length share them (a fleet's extractors,
// the forward and inverse plans of a real FFT); bounded so odd lengths cannot grow it forever.
const planCache = new Map<number, Stage[]>();
const PLAN_CACHE_SIZE = 32;

function planStages(n: number, radices: readonly number[]): Stage[] {
  const cached = planCache.get(n);
  if (cached) return cached;
  const stages: Stage[] = [];
  let len = n,
    s = 1;
  for (const radix of radices) {
    const m = len / radix;
    const tw = new Float64Array(2 * m * (radix - 1));
    for (let p = 0; p < m; p++) {
      for (let k = 1; k < radix; k++) {
        const a = (-2 * Math.PI * ((p * k) % len)) / len;
        const at = 2 * (p * (radix - 1) + k - 1);
        tw[at] = Math.cos(a);
        tw[at + 1] = Math.sin(a);
      }
    }
    stages.push({ radix, m, s, tw });
    len = m;
    s *= radix;
  }
  if (planCache.size >= PLAN_CACHE_SIZE) planCache.delete(planCache.keys().next().value!);
  planCache.set(n, stages);
  return stages;
}

export class MixedRadixFft {
  readonly n: number;
  readonly radices: readonly number[];
  private readonly stages: Stage[];
  private readonly work: Float64Array;
  private readonly copy: Float64Array;
  // generic-radix scratch: per-radix cos/sin of 2 pi j / R, and the folded pairs
  private readonly rootCos = new Map<number, Float64Array>();
  private readonly rootSin = new Map<number, Float64Array>();
  private readonly ar: Float64Array;
  private readonly ai: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`FFT length must be a positive integer, got ${n}`);
    this.n = n;
    this.radices = radixPlan(n);
    this.stages = planStages(n, this.radices);
    let maxRadix = 1;
    for (const radix of this.radices) {
      maxRadix = Math.max(maxRadix, radix);
      if (radix > 5 && !this.rootCos.has(radix)) {
        const c = new Float64Array(radix),
          si = new Float64Array(radix);
        for (let j = 0; j < radix; j++) {
          c[j] = Math.cos((2 * Math.PI * j) / radix);
          si[j] = Math.sin((2 * Math.PI * j) / radix);
        }
        this.rootCos.set(radix, c);
        this.rootSin.set(radix, si);
      }
    }
    this.work = new Float64Array(2 * n);
    this.copy = new Float64Array(2 * n);
    this.ar = new Float64Array(2 * maxRadix);
    this.ai = new Float64Array(2 * maxRadix);
  }

  /** Forward transform: out[k] = sum_j in[j] exp(-2 pi i jk/n). */
  forward(out: Float64Array, input: Float64Array): void {
    this.run(out, input, -1);
  }

  /** Inverse transform including the 1/n factor. */
  inverse(out: Float64Array, input: Float64Array): void {
    this.run(out, input, 1);
    const scale = 1 / this.n;
    for (let i = 0; i < 2 * this.n; i++) out[i] *= scale;
  }

  /** sg = -1 forward, +1 inverse (unscaled). */
  private run(out: Float64Array, input: Float64Array, sg: number): void {
    const stages = this.stages;
    if (stages.length === 0) {
      out[0] = input[0];
      out[1] = input[1];
      return;
    }
    let src = input;
    if (input === out) {
      this.copy.set(input.subarray(0, 2 * this.n));
      src = this.copy;
    }
    // write so that the last stage lands in out
    let dst = stages.length % 2 === 1 ? out : this.work;
    for (const st of stages) {
      switch (st.radix) {
        case 4:
          radix4(src, dst, st.s, st.m, st.tw, sg);
          break;
        case 2:
          radix2(src, dst, st.s, st.m, st.tw, sg);
          break;
        case 3:
          radix3(src, dst, st.s, st.m, st.tw, sg);
          break;
        case 5:
          radix5(src, dst, st.s, st.m, st.tw, sg);
          break;
        default:
          this.radixOdd(src, dst, st, sg);
      }
      src = dst;
      dst = dst === out ? this.work : out;
    }
  }

  /** Generic odd radix R: c_k = a0 + sum_{r<=h} (a_r + a_{R-r}) cos(2 pi rk/R) + i sg (a_r - a_{R-r}) sin(2 pi rk/R). */
  private radixOdd(x: Float64Array, y: Float64Array, st: Stage, sg: number): void {
    const { radix: R, m, s, tw } = st;
    const h = (R - 1) >> 1;
    const cs = this.rootCos.get(R)!,
      sn = this.rootSin.get(R)!;
    // ar/ai hold sums (index r) and differences (index h + r) of the pairs
    const sumR = this.ar,
      sumI = this.ai;
    const ms = m * s;
    const conj = -sg;
    for (let p = 0; p < m; p++) {
      const twBase = 2 * p * (R - 1);
      for (let q = 0; q < s; q++) {
        const i0 = 2 * (q + s * p);
        const a0r = x[i0],
          a0i = x[i0 + 1];
        let c0r = a0r,
          c0i = a0i;
        for (let r = 1; r <= h; r++) {
          const ia = i0 + 2 * r * ms,
            ib = i0 + 2 * (R - r) * ms;
          const xr = x[ia],
            xi = x[ia + 1],
            zr = x[ib],
            zi = x[ib + 1];
          sumR[r] = xr + zr;
          sumI[r] = xi + zi;
          sumR[h + r] = xr - zr;
          sumI[h + r] = xi - zi;
          c0r += xr + zr;
          c0i += xi + zi;
        }
        const o0 = 2 * (q + s * R * p);
        y[o0] = c0r;
        y[o0 + 1] = c0i;
        for (let k = 1; k <= h; k++) {
          let Ar = a0r,
            Ai = a0i,
            Br = 0,
            Bi = 0;
          let rk = 0;
          for (let r = 1; r <= h; r++) {
            rk += k;
            if (rk >= R) rk -= R;
            const c = cs[rk],
              sv = sn[rk];
            Ar += sumR[r] * c;
            Ai += sumI[r] * c;
            Br += sumR[h + r] * sv;
            Bi += sumI[h + r] * sv;
          }
          // c_k = A + i sg B, c_{R-k} = A - i sg B; i (Br + i Bi) = -Bi + i Br
          const ukr = Ar - sg * Bi,
            uki = Ai + sg * Br;
          const vkr = Ar + sg * Bi,
            vki = Ai - sg * Br;
          // stored twiddles are the forward ones; the inverse uses their conjugates
          let t = twBase + 2 * (k - 1);
          let wr = tw[t],
            wi = conj * tw[t + 1];
          let o = 2 * (q + s * (R * p + k));
          y[o] = ukr * wr - uki * wi;
          y[o + 1] = ukr * wi + uki * wr;
          t = twBase + 2 * (R - k - 1);
          wr = tw[t];
          wi = conj * tw[t + 1];
          o = 2 * (q + s * (R * p + R - k));
          y[o] = vkr * wr - vki * wi;
          y[o + 1] = vkr * wi + vki * wr;
        }
      }
    }
  }
}

function radix2(x: Float64Array, y: Float64Array, s: number, m: number, tw: Float64Array, sg: number): void {
  const ms2 = 2 * m * s;
  const conj = -sg;
  for (let p = 0; p < m; p++) {
    const wr = tw[2 * p],
      wi = conj * tw[2 * p + 1];
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * p);
      const i1 = i0 + ms2;
      const ar = x[i0],
        ai = x[i0 + 1],
        br = x[i1],
        bi = x[i1 + 1];
      const o = 2 * (q + 2 * s * p);
      y[o] = ar + br;
      y[o + 1] = ai + bi;
      const dr = ar - br,
        di = ai - bi;
      y[o + 2 * s] = dr * wr - di * wi;
      y[o + 2 * s + 1] = dr * wi + di * wr;
    }
  }
}

function radix4(x: Float64Array, y: Float64Array, s: number, m: number, tw: Float64Array, sg: number): void {
  const ms2 = 2 * m * s,
    s2 = 2 * s;
  // sg picks the twiddle's conjugate for the inverse: W = (wr, sgn * wi) with sgn = -sg
  const conj = -sg;
  for (let p = 0; p < m; p++) {
    const t = 6 * p;
    const w1r = tw[t],
      w1i = conj * tw[t + 1],
      w2r = tw[t + 2],
      w2i = conj * tw[t + 3],
      w3r = tw[t + 4],
      w3i = conj * tw[t + 5];
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * p);
      const i1 = i0 + ms2,
        i2 = i1 + ms2,
        i3 = i2 + ms2;
      const a0r = x[i0],
        a0i = x[i0 + 1],
        a1r = x[i1],
        a1i = x[i1 + 1],
        a2r = x[i2],
        a2i = x[i2 + 1],
        a3r = x[i3],
        a3i = x[i3 + 1];
      const s02r = a0r + a2r,
        s02i = a0i + a2i,
        d02r = a0r - a2r,
        d02i = a0i - a2i,
        s13r = a1r + a3r,
        s13i = a1i + a3i,
        // sg * i * (a1 - a3)
        jr = -sg * (a1i - a3i),
        ji = sg * (a1r - a3r);
      const o = 2 * (q + 4 * s * p);
      y[o] = s02r + s13r;
      y[o + 1] = s02i + s13i;
      const c1r = d02r + jr,
        c1i = d02i + ji,
        c2r = s02r - s13r,
        c2i = s02i - s13i,
        c3r = d02r - jr,
        c3i = d02i - ji;
      y[o + s2] = c1r * w1r - c1i * w1i;
      y[o + s2 + 1] = c1r * w1i + c1i * w1r;
      y[o + 2 * s2] = c2r * w2r - c2i * w2i;
      y[o + 2 * s2 + 1] = c2r * w2i + c2i * w2r;
      y[o + 3 * s2] = c3r * w3r - c3i * w3i;
      y[o + 3 * s2 + 1] = c3r * w3i + c3i * w3r;
    }
  }
}

const SIN60 = Math.sqrt(3) / 2;

function radix3(x: Float64Array, y: Float64Array, s: number, m: number, tw: Float64Array, sg: number): void {
  const ms2 = 2 * m * s,
    s2 = 2 * s;
  const conj = -sg;
  const k = sg * SIN60;
  for (let p = 0; p < m; p++) {
    const t = 4 * p;
    const w1r = tw[t],
      w1i = conj * tw[t + 1],
      w2r = tw[t + 2],
      w2i = conj * tw[t + 3];
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * p);
      const i1 = i0 + ms2,
        i2 = i1 + ms2;
      const a0r = x[i0],
        a0i = x[i0 + 1];
      const sr = x[i1] + x[i2],
        si = x[i1 + 1] + x[i2 + 1];
      const dr = k * (x[i1] - x[i2]),
        di = k * (x[i1 + 1] - x[i2 + 1]);
      const hr = a0r - 0.5 * sr,
        hi = a0i - 0.5 * si;
      const o = 2 * (q + 3 * s * p);
      y[o] = a0r + sr;
      y[o + 1] = a0i + si;
      // c1 = h + i d, c2 = h - i d
      const c1r = hr - di,
        c1i = hi + dr,
        c2r = hr + di,
        c2i = hi - dr;
      y[o + s2] = c1r * w1r - c1i * w1i;
      y[o + s2 + 1] = c1r * w1i + c1i * w1r;
      y[o + 2 * s2] = c2r * w2r - c2i * w2i;
      y[o + 2 * s2 + 1] = c2r * w2i + c2i * w2r;
    }
  }
}

const C1 = Math.cos((2 * Math.PI) / 5),
  C2 = Math.cos((4 * Math.PI) / 5),
  S1 = Math.sin((2 * Math.PI) / 5),
  S2 = Math.sin((4 * Math.PI) / 5);

function radix5(x: Float64Array, y: Float64Array, s: number, m: number, tw: Float64Array, sg: number): void {
  const ms2 = 2 * m * s,
    s2 = 2 * s;
  const conj = -sg;
  const s1 = sg * S1,
    s2k = sg * S2;
  for (let p = 0; p < m; p++) {
    const t = 8 * p;
    const w1r = tw[t],
      w1i = conj * tw[t + 1],
      w2r = tw[t + 2],
      w2i = conj * tw[t + 3],
      w3r = tw[t + 4],
      w3i = conj * tw[t + 5],
      w4r = tw[t + 6],
      w4i = conj * tw[t + 7];
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * p);
      const i1 = i0 + ms2,
        i2 = i1 + ms2,
        i3 = i2 + ms2,
        i4 = i3 + ms2;
      const a0r = x[i0],
        a0i = x[i0 + 1];
      const p1r = x[i1] + x[i4],
        p1i = x[i1 + 1] + x[i4 + 1],
        m1r = x[i1] - x[i4],
        m1i = x[i1 + 1] - x[i4 + 1],
        p2r = x[i2] + x[i3],
        p2i = x[i2 + 1] + x[i3 + 1],
        m2r = x[i2] - x[i3],
        m2i = x[i2 + 1] - x[i3 + 1];
      const o = 2 * (q + 5 * s * p);
      y[o] = a0r + p1r + p2r;
      y[o + 1] = a0i + p1i + p2i;
      // k = 1, 4: A1 = a0 + p1 C1 + p2 C2, B1 = m1 S1 + m2 S2 (times sg)
      const A1r = a0r + p1r * C1 + p2r * C2,
        A1i = a0i + p1i * C1 + p2i * C2,
        B1r = m1r * s1 + m2r * s2k,
        B1i = m1i * s1 + m2i * s2k;
      // k = 2, 3: A2 = a0 + p1 C2 + p2 C1, B2 = m1 S2 - m2 S1
      const A2r = a0r + p1r * C2 + p2r * C1,
        A2i = a0i + p1i * C2 + p2i * C1,
        B2r = m1r * s2k - m2r * s1,
        B2i = m1i * s2k - m2i * s1;
      // c_k = A + i B, c_{5-k} = A - i B
      const c1r = A1r - B1i,
        c1i = A1i + B1r,
        c4r = A1r + B1i,
        c4i = A1i - B1r,
        c2r = A2r - B2i,
        c2i = A2i + B2r,
        c3r = A2r + B2i,
        c3i = A2i - B2r;
      y[o + s2] = c1r * w1r - c1i * w1i;
      y[o + s2 + 1] = c1r * w1i + c1i * w1r;
      y[o + 2 * s2] = c2r * w2r - c2i * w2i;
      y[o + 2 * s2 + 1] = c2r * w2i + c2i * w2r;
      y[o + 3 * s2] = c3r * w3r - c3i * w3i;
      y[o + 3 * s2 + 1] = c3r * w3i + c3i * w3r;
      y[o + 4 * s2] = c4r * w4r - c4i * w4i;
      y[o + 4 * s2 + 1] = c4r * w4i + c4i * w4r;
    }
  }
}
