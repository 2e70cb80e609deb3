import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DistributionSpec,
  distributionFromSpec,
  InputError,
  loadConfigFile,
  validate,
} from '../../core/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'leadtime-core-'));
const HOUR = 3_600_000;

describe('distributionFromSpec', () => {
  it('reads durations into the requested unit', () => {
    expect(distributionFromSpec({ exponential: { mean: '30m' } }, { unitMs: HOUR }).mean).toBeCloseTo(
      0.5,
      12,
    );
    expect(distributionFromSpec({ fixed: '90s' }, { unitMs: 1000 }).mean).toBe(90);
    expect(distributionFromSpec({ fixed: 2 }, { unitMs: HOUR }).mean).toBe(2);
    const w = distributionFromSpec({ weibull: { shape: 1, scale: '2h' } }, { unitMs: HOUR });
    expect(w.mean).toBeCloseTo(2, 9);
  });

  it('reads an empirical column from a CSV file relative to baseDir', () => {
    writeFileSync(join(dir, 'times.csv'), 'id,minutes\n1,10\n2,20\n3,30m\n');
    const d = distributionFromSpec(
      { empirical: { file: 'times.csv', column: 'minutes' } },
      { baseDir: dir, unitMs: 60_000 },
    );
    // bare numbers are read in the unit (minutes), durations converted: mean (10 + 20 + 30) / 3
    expect(d.mean).toBeCloseTo(20, 12);
  });

  it('names the field when a value or kind is wrong', () => {
    expect(() =>
      distributionFromSpec({ exponential: { mean: 'soon' } }, { field: 'flow[0].duration' }),
    ).toThrow(/flow\[0\]\.duration\.exponential\.mean: expected a duration/);
    expect(() => distributionFromSpec({ triangular: { min: 5, mode: 1, max: 9 } }, { field: 'd' })).toThrow(
      InputError,
    );
    expect(() =>
      distributionFromSpec(
        { empirical: { file: 'times.csv', column: 'hours' } },
        { baseDir: dir, field: 'd' },
      ),
    ).toThrow(/d\.empirical\.column: "hours" is not a column/);
  });
});

describe('config loading', () => {
  const Schema = Type.Object(
    {
      name: Type.String(),
      pools: Type.Record(
        Type.String(),
        Type.Object(
          { size: Type.Integer({ minimum: 0 }), costPerHour: Type.Number({ default: 0 }) },
          { additionalProperties: false },
        ),
      ),
      duration: DistributionSpec,
    },
    { additionalProperties: false },
  );

  it('fills defaults and returns the typed value', () => {
    const f = join(dir, 'ok.yaml');
    writeFileSync(f, 'name: x\npools:\n  engineers: { size: 3 }\nduration: { exponential: { mean: 1h } }\n');
    expect(loadConfigFile(f, Schema).pools.engineers).toEqual({ size: 3, costPerHour: 0 });
  });

  it('reports every bad field with file, path, line and expectation', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'name: x\npools:\n  engineers:\n    size: ten\n    colour: red\nduration: { exponentiel: { mean: 1h } }\n',
    );
    let err: unknown;
    try {
      loadConfigFile(f, Schema);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain(f);
    expect(msg).toMatch(/pools\.engineers\.size \(line 4\): expected type integer, got "ten"/);
    expect(msg).toMatch(/pools\.engineers\.colour \(line 5\): expected no such field/);
    expect(msg).toMatch(/duration\.exponentiel \(line 6\): expected no such field/);
  });

  it('reports a missing required field and a YAML syntax error with its line', () => {
    expect(() => validate(Schema, { pools: {}, duration: { fixed: 1 } }, 'body')).toThrow(
      /body: invalid configuration\n {2}- name: expected a value/,
    );
    const f = join(dir, 'syntax.yaml');
    writeFileSync(f, 'name: x\npools: [1, 2\n');
    expect(() => loadConfigFile(f, Schema)).toThrow(/syntax\.yaml:\d+: not valid YAML/);
    expect(() => loadConfigFile(join(dir, 'missing.yaml'), Schema)).toThrow(
      /missing\.yaml: cannot read config file: no such file or directory/,
    );
  });
});
