/**
 * A physically motivated run-to-failure fleet of rolling-bearing assets, with ground truth.
 *
 * Each asset has a shaft speed, a fault mode (outer race, inner race, ball), a defect onset time and
 * an exponential defect growth from `initialSeverity` at onset to 1 (the failure threshold) at
 * failure, with unit-to-unit variation in both times and noise on the observed severity. Vibration
 * snapshots carry broadband noise, shaft harmonics and impacts at the defect frequency ringing a
 * structural resonance (the classic bearing model of McFadden & Smith, J. Sound Vib. 96 (1984)):
 * inner-race impacts are amplitude-modulated at the shaft speed, ball impacts at the cage speed.
 * Scalars (temperature, load, speed) drift with damage. Streams are per asset and per purpose, so
 * asset 3 is the same whether the fleet has 5 assets or 50.
 */
import { distributionFromSpec, parseDuration, RandomStream, type Distribution } from '../../core/index.ts';
import { defectFrequencies, type DefectFrequencies } from './bearing.ts';
import type { FaultMode, FleetConfig } from './config.ts';

export interface AssetPlan {
  index: number;
  asset: string;
  faultMode: FaultMode;
  shaftHz: number;
  defects: DefectFrequencies;
  /** the defect frequency this asset's impacts repeat at, Hz */
  faultHz: number;
  resonanceHz: number;
  baseTemperatureC: number;
  nominalLoadKn: number;
  /** epoch ms */
  onsetT: number;
  failureT: number;
  /** snapshot times, epoch ms, the last one before failure */
  times: number[];
  /** true (noise-free) severity at each snapshot, 0 before onset, 1 at failure */
  severity: number[];
  /** severity as the sensors see it (with measurement noise) */
  observedSeverity: number[];
}

export interface FleetPlan {
  config: FleetConfig;
  snapshotLength: number;
  assets: AssetPlan[];
}

const pickFault = (rng: RandomStream, w: FleetConfig['faultModes']): FaultMode => {
  const total = w.outer + w.inner + w.ball;
  if (!(total > 0)) throw new RangeError('faultModes: at least one weight must be > 0');
  const u = rng.uniform() * total;
  return u < w.outer ? 'outer' : u < w.outer + w.inner ? 'inner' : 'ball';
};

/** Draws every asset's life (times, fault, speeds) without synthesising any waveform. */
export function planFleet(config: FleetConfig): FleetPlan {
  const start = Date.parse(config.start);
  const interval = parseDuration(config.interval, 'interval');
  if (!(interval > 0)) throw new RangeError('interval must be > 0');
  const onsetDist: Distribution = distributionFromSpec(config.onset, { field: 'onset' });
  const ttfDist: Distribution = distributionFromSpec(config.timeToFailure, { field: 'timeToFailure' });
  const assets: AssetPlan[] = [];
  for (let i = 0; i < config.assets; i++) {
    const rng = new RandomStream(config.seed, `fleet/asset/${i}/life`);
    const shaftHz = config.shaftHz.min + (config.shaftHz.max - config.shaftHz.min) * rng.uniform();
    const faultMode = pickFault(rng, config.faultModes);
    const defects = defectFrequencies(config.bearing, shaftHz);
    const onsetT = start + Math.max(0, onsetDist.sample(rng));
    const ttf = Math.max(interval, ttfDist.sample(rng));
    const failureT = onsetT + ttf;
    const growth = Math.log(1 / config.initialSeverity) / ttf; // per ms
    const noise = new RandomStream(config.seed, `fleet/asset/${i}/severity-noise`);
    const times: number[] = [];
    const severity: number[] = [];
    const observed: number[] = [];
    for (let t = start; t < failureT; t += interval) {
      const s = t < onsetT ? 0 : config.initialSeverity * Math.exp(growth * (t - onsetT));
      times.push(t);
      severity.push(s);
      observed.push(s * Math.exp(config.severityNoise * noise.normal()));
    }
    assets.push({
      index: i,
      asset: `${config.assetPrefix}${String(i + 1).padStart(3, '0')}`,
      faultMode,
      shaftHz,
      defects,
      faultHz: faultMode === 'outer' ? defects.bpfo : faultMode === 'inner' ? defects.bpfi : defects.bsf,
      resonanceHz: config.resonanceHz * (0.9 + 0.2 * rng.uniform()),
      baseTemperatureC: 35 + 10 * rng.uniform(),
      nominalLoadKn: 20 + 10 * rng.uniform(),
      onsetT,
      failureT,
      times,
      severity,
      observedSeverity: observed,
    });
  }
  return { config, snapshotLength: Math.round(config.sampleRateHz * config.snapshotSeconds), assets };
}

/** The vibration snapshot (acceleration, g) of one asset at snapshot index k. Deterministic. */
export function synthesizeSnapshot(plan: FleetPlan, asset: AssetPlan, k: number): Float32Array {
  const { config, snapshotLength: n } = plan;
  const fs = config.sampleRateHz;
  const rng = new RandomStream(config.seed, `fleet/asset/${asset.index}/snapshot/${k}`);
  const sev = asset.observedSeverity[k];
  const x = new Float64Array(n);
  const noise = config.noiseG * (1 + 0.5 * sev);
  const w1 = 2 * Math.PI * asset.shaftHz;
  const p1 = 2 * Math.PI * rng.uniform();
  const p2 = 2 * Math.PI * rng.uniform();
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    x[i] = noise * rng.normal() + 0.2 * Math.sin(w1 * t + p1) + 0.08 * Math.sin(2 * w1 * t + p2);
  }
  if (sev > 0) addImpacts(x, fs, asset, config, sev, rng);
  return Float32Array.from(x);
}

/** Adds decaying resonance rings at the defect rate, with slip jitter and the fault's modulation. */
function addImpacts(
  x: Float64Array,
  fs: number,
  asset: AssetPlan,
  config: FleetConfig,
  sev: number,
  rng: RandomStream,
): void {
  const n = x.length;
  const wn = 2 * Math.PI * asset.resonanceHz;
  const zeta = config.dampingRatio;
  const decay = zeta * wn; // 1/s
  const wd = wn * Math.sqrt(1 - zeta * zeta);
  const ringSamples = Math.min(n, Math.ceil((7 / decay) * fs)); // ~e^-7 left
  const period = 1 / asset.faultHz;
  const modHz =
    asset.faultMode === 'inner' ? asset.shaftHz : asset.faultMode === 'ball' ? asset.defects.ftf : 0;
  const modPhase = 2 * Math.PI * rng.uniform();
  const amp = config.impactAmplitudeG * sev;
  const duration = n / fs;
  for (let tau = period * rng.uniform(); tau < duration; tau += period * (1 + config.slip * rng.normal())) {
    // inner race passes through the load zone once per shaft turn; a ball defect once per cage turn
    const m = modHz > 0 ? 0.5 * (1 + Math.cos(2 * Math.PI * modHz * tau + modPhase)) : 1;
    const a = amp * m;
    const first = Math.ceil(tau * fs);
    const last = Math.min(n, first + ringSamples);
    for (let i = first; i < last; i++) {
      const dt = i / fs - tau;
      x[i] += a * Math.exp(-decay * dt) * Math.sin(wd * dt);
    }
  }
}

export interface ScalarReading {
  temperature: number;
  load: number;
  speed: number;
}

/** Temperature (C), load (kN) and speed (rpm) at snapshot k: friction heat and speed loss grow with damage. */
export function scalarReading(plan: FleetPlan, asset: AssetPlan, k: number): ScalarReading {
  const rng = new RandomStream(plan.config.seed, `fleet/asset/${asset.index}/scalars/${k}`);
  const sev = asset.observedSeverity[k];
  return {
    temperature: asset.baseTemperatureC + 25 * sev + 0.5 * rng.normal(),
    load: asset.nominalLoadKn * (1 + 0.03 * rng.normal()),
    speed: asset.shaftHz * 60 * (1 - 0.01 * sev) + 2 * rng.normal(),
  };
}
