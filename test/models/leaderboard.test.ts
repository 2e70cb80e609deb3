import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chooseFamily,
  fingerprint,
  formatReports,
  labelledReport,
  readCmapss,
  readLeaderboard,
  recordReports,
  RUL_FAMILIES,
  SHIPPED_LEADERBOARD,
  summarise,
  writeLeaderboard,
  type Leaderboard,
  type LeaderboardEntry,
} from '../../models/index.ts';

const TRAIN = join(import.meta.dirname, '../../../shared/data/cmapss/train_FD001.txt');
const known = Object.keys(RUL_FAMILIES);
const entry = (rmse: number, folds = 5): LeaderboardEntry => ({
  rmseRawTruth: rmse,
  coverage: 0.9,
  n: 100,
  folds,
  at: '',
});

describe('CV leaderboard: which family evaluate uses without --model', () => {
  const fp = 'f'.repeat(64);
  const train = { source: '/data/train_FD001.txt', fingerprint: fp };

  it('takes the lowest raw-truth RMSE over the home and the shipped rows of the same data', () => {
    const home: Leaderboard = {
      [fp]: { source: 'x.txt', fingerprint: fp, families: { similarity: entry(18) } },
    };
    const shipped: Leaderboard = {
      [fp]: {
        source: 'train_FD001.txt',
        fingerprint: fp,
        families: { 'gbt-window': entry(12.5), weibull: entry(37) },
      },
    };
    const c = chooseFamily(train, { home, shipped }, known);
    expect(c.family).toBe('gbt-window');
    expect(c.from).toBe('shipped');
    expect(c.reason).toBe(
      'lowest 5-fold CV RMSE of 3 result(s) on this training data (the shipped leaderboard, train_FD001.txt): 12.50 vs raw truth',
    );
    // a better home row wins over the shipped one
    home[fp].families['mlp-window'] = entry(11);
    expect(chooseFamily(train, { home, shipped }, known)).toMatchObject({
      family: 'mlp-window',
      from: 'home',
    });
    // a family this build does not know is skipped
    home[fp].families['retired-family'] = entry(1);
    expect(chooseFamily(train, { home, shipped }, known).family).toBe('mlp-window');
  });

  it('other data: a file of the same name in the home (old boards), then any file, then the fallback', () => {
    const other = 'a'.repeat(64);
    const shipped: Leaderboard = {
      [other]: { source: 'train_FD001.txt', fingerprint: other, families: { 'gbt-window': entry(12.5) } },
    };
    // the shipped row is for other data: it never counts
    expect(chooseFamily(train, { home: {}, shipped }, known)).toEqual({
      family: 'similarity',
      from: 'default',
      reason: 'no CV results yet',
    });
    const home: Leaderboard = {
      'train_FD001.txt': {
        source: 'train_FD001.txt',
        families: { weibull: entry(30), similarity: entry(20) },
      },
      [other]: { source: 'b.txt', fingerprint: other, families: { 'linear-degradation': entry(5) } },
    };
    expect(chooseFamily(train, { home, shipped }, known).family).toBe('similarity');
    delete home['train_FD001.txt'];
    const c = chooseFamily(train, { home, shipped }, known);
    expect(c.family).toBe('linear-degradation');
    expect(c.reason).toContain('another training file (b.txt); none for this one');
  });

  it('records CV reports by fingerprint, replacing a family row and keeping the others; reads boards of the older layout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-board-'));
    const file = join(dir, 'cv-leaderboard.json');
    const report = summarise(
      'similarity',
      [{ unit: '1', rul: 100, lower: 80, upper: 140, truth: 130 }],
      0.9,
      2,
      0.1,
    );
    let board = recordReports({}, train, 5, 5, [report], 'then');
    board = recordReports(board, train, 5, 1, [{ ...report, model: 'weibull', rmse: 40 }], 'now');
    writeLeaderboard(file, board);
    const back = readLeaderboard(file)[fp];
    expect(back.source).toBe('train_FD001.txt');
    expect(back.families.similarity).toMatchObject({
      rmseRawTruth: 30,
      rmseCappedTruth: 25,
      cap: 125,
      folds: 5,
      cuts: 5,
      at: 'then',
    });
    expect(back.families.weibull).toMatchObject({ rmseRawTruth: 40, cuts: 1 });
    writeFileSync(
      file,
      JSON.stringify({
        'old.txt': { weibull: { rmse: 15, score: 1, coverage: 0.9, n: 9, folds: 3, at: 'x' } },
      }),
    );
    expect(readLeaderboard(file)['old.txt']).toEqual({
      source: 'old.txt',
      families: { weibull: expect.objectContaining({ rmseRawTruth: 15, folds: 3 }) },
    });
    writeFileSync(file, '{ not json');
    expect(() => readLeaderboard(file)).toThrow(`${file}: not a JSON leaderboard`);
    expect(readLeaderboard(join(dir, 'missing.json'))).toEqual({});
  });

  it('the text table and the JSON name the truth each figure was scored against', () => {
    const r = summarise(
      'gbt-window',
      [{ unit: '1', rul: 100, lower: 80, upper: 140, truth: 130 }],
      0.9,
      2,
      0.1,
    );
    const [header, row, legend] = formatReports([r]).split('\n');
    const labels = [
      'model',
      'RMSE raw',
      'RMSE cap125',
      'PHM08 raw',
      'PHM08 cap125',
      'MAE raw',
      'cover (90%)',
      'width',
      'train s',
    ];
    const at = labels.map((l) => header.indexOf(l));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    // d = -30 raw, -25 capped: exp(30/13) - 1 and exp(25/13) - 1
    expect(row.split(/\s+/)).toEqual([
      'gbt-window',
      '30.00',
      '25.00',
      '9',
      '6',
      '30.00',
      '100.0%',
      '60.0',
      '1',
      '2.0',
    ]);
    expect(legend).toContain('cap125: against min(125, truth)');
    const j = labelledReport(r);
    expect(j.rmseRawTruth).toBe(30);
    expect(j.rmseCappedTruth).toBe(25);
    expect(j.phm08ScoreRawTruth).toBeCloseTo(Math.exp(30 / 13) - 1, 12);
    expect(j.phm08ScoreCappedTruth).toBeCloseTo(Math.exp(25 / 13) - 1, 12);
  });

  it('the shipped board holds FD001 by its fingerprint, with the command that reproduces it, so a fresh home picks its best family', async () => {
    const trajs = (await readCmapss(TRAIN, true)).trajectories;
    const fd001 = { source: TRAIN, fingerprint: fingerprint(trajs) };
    const shipped = readLeaderboard(SHIPPED_LEADERBOARD);
    const row = shipped[fd001.fingerprint];
    expect(row.source).toBe('train_FD001.txt');
    expect(row.command).toMatch(/^npx leadtime evaluate cmapss --train \S*train_FD001.txt --cv 5/);
    const best = Object.entries(row.families).sort((a, b) => a[1].rmseRawTruth - b[1].rmseRawTruth)[0];
    const c = chooseFamily(fd001, { home: {}, shipped }, known);
    expect(c.family).toBe(best[0]);
    expect(c.from).toBe('shipped');
  });
});
