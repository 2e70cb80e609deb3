/**
 * The telemetry contracts every reader produces and the store keeps (DESIGN.md, "Contracts").
 * `t` is epoch milliseconds, or an integer cycle index when the source counts cycles (C-MAPSS);
 * the source declares which with its time unit.
 */
export type TimeUnit = 'ms' | 'cycle';

/** One scalar reading. */
export interface Sample {
  asset: string;
  channel: string;
  t: number;
  value: number;
}

/** Machine context that turns bearing geometry and shaft speed into defect frequencies. */
export interface MachineContext {
  shaftHz?: number;
  bearing?: {
    pitchDiameterMm: number;
    ballDiameterMm: number;
    ballCount: number;
    contactAngleDeg: number;
  };
  /** explicit defect frequencies, Hz, by name (bpfo, bpfi, bsf, ftf); used when no geometry */
  defectFrequenciesHz?: Partial<Record<DefectName, number>>;
}

export const DEFECT_NAMES = ['bpfo', 'bpfi', 'bsf', 'ftf'] as const;
export type DefectName = (typeof DEFECT_NAMES)[number];

/** One vibration snapshot. */
export interface Waveform {
  asset: string;
  channel: string;
  t: number;
  sampleRateHz: number;
  samples: Float32Array;
  context?: MachineContext;
}

/** Condition indicators of one snapshot. */
export interface FeatureRow {
  asset: string;
  channel: string;
  t: number;
  features: Record<string, number>;
}

/** An input record that was not stored, with where it came from and what to do about it. */
export interface RejectedRecord {
  /** file path, directory, or broker URL */
  source: string;
  /** where in the source: `line 12`, `snapshot 3 (byte 393216)`, `topic plant/a/telemetry message 17` */
  position: string;
  /** the raw input text (a waveform's metadata, not its samples; oversize input cut to a prefix) */
  raw: string;
  /** a reason a person can act on, naming the field */
  reason: string;
  /** the offending field, when one is to blame */
  field?: string;
}
