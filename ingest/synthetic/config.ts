/**
 * The synthetic fleet's configuration schema (TypeBox, validated by core/config). Every field has a
 * default, so `{}` is a valid config; the defaults generate 5 assets in a few seconds.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DistributionSpec, Quantity } from '../../core/index.ts';
import { ZA2115 } from './bearing.ts';

export const FaultMode = Type.Union([Type.Literal('outer'), Type.Literal('inner'), Type.Literal('ball')]);
export type FaultMode = Static<typeof FaultMode>;

export const FleetConfig = Type.Object(
  {
    assets: Type.Integer({ minimum: 1, maximum: 10_000, default: 5, description: 'number of assets' }),
    seed: Type.Integer({ default: 1, description: 'random seed; same seed, same bytes' }),
    assetPrefix: Type.String({ default: 'bearing-', pattern: '^[A-Za-z0-9_.-]*$' }),
    start: Type.String({
      format: 'date-time',
      default: '2026-01-01T00:00:00Z',
      description: 'time of the first snapshot',
    }),
    interval: Type.Union([Quantity], { default: '12h', description: 'time between snapshots' }),
    sampleRateHz: Type.Number({ exclusiveMinimum: 0, default: 25_600 }),
    snapshotSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 60, default: 1 }),
    shaftHz: Type.Object(
      { min: Type.Number({ exclusiveMinimum: 0 }), max: Type.Number({ exclusiveMinimum: 0 }) },
      {
        default: { min: 25, max: 35 },
        additionalProperties: false,
        description: 'shaft speed range, drawn per asset',
      },
    ),
    bearing: Type.Object(
      {
        pitchDiameterMm: Type.Number({ exclusiveMinimum: 0 }),
        ballDiameterMm: Type.Number({ exclusiveMinimum: 0 }),
        ballCount: Type.Integer({ minimum: 3 }),
        contactAngleDeg: Type.Number({ minimum: 0, maximum: 60 }),
      },
      { default: ZA2115, additionalProperties: false },
    ),
    faultModes: Type.Object(
      {
        outer: Type.Number({ minimum: 0, default: 0.4 }),
        inner: Type.Number({ minimum: 0, default: 0.4 }),
        ball: Type.Number({ minimum: 0, default: 0.2 }),
      },
      { default: { outer: 0.4, inner: 0.4, ball: 0.2 }, additionalProperties: false, description: 'weights' },
    ),
    onset: Type.Union([DistributionSpec], {
      default: { uniform: { min: '4d', max: '12d' } },
      description: 'time from the first snapshot to defect onset',
    }),
    timeToFailure: Type.Union([DistributionSpec], {
      default: { lognormal: { mean: '8d', sd: '2d' } },
      description: 'time from onset to failure (unit-to-unit variation)',
    }),
    initialSeverity: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.02,
      description: 'defect size at onset, as a fraction of the failure threshold',
    }),
    severityNoise: Type.Number({
      minimum: 0,
      default: 0.1,
      description: 'sd of log-severity noise per snapshot',
    }),
    impactAmplitudeG: Type.Number({
      exclusiveMinimum: 0,
      default: 3,
      description: 'impact peak amplitude at failure, g',
    }),
    resonanceHz: Type.Number({
      exclusiveMinimum: 0,
      default: 3_500,
      description: 'structural resonance excited by impacts',
    }),
    dampingRatio: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.05 }),
    noiseG: Type.Number({ minimum: 0, default: 0.1, description: 'broadband noise rms, g' }),
    slip: Type.Number({
      minimum: 0,
      maximum: 0.1,
      default: 0.01,
      description: 'random jitter of impact spacing, fraction of a period',
    }),
  },
  { additionalProperties: false },
);
export type FleetConfig = Static<typeof FleetConfig>;
