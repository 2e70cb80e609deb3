/**
 * The notebooks on small inputs: each writes one self-contained HTML report (SVG charts rendered
 * headless, no scripts, nothing fetched from the network) with the numbers it computed; one is run
 * from the command line the way the README says.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bearingHealth } from '../../notebooks/bearing-health.ts';
import { cmapssRul, DEFAULT_TRAIN } from '../../notebooks/cmapss-rul.ts';
import { staffingPlan } from '../../notebooks/staffing-plan.ts';
import { toSvg } from '../../notebooks/report.ts';
import { tempHome } from '../api/server-helpers.ts';

const repo = join(import.meta.dirname, '../..');

/** Self-contained: no scripts, no external references (the SVG namespace URI is not a fetch). */
function checkSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
  expect(html).not.toMatch(/@import|url\(\s*["']?http/i);
}
const svgCount = (html: string) => (html.match(/<svg/g) ?? []).length;

describe('notebooks', () => {
  it('renders a Vega-Lite spec to SVG without a browser', async () => {
    const svg = await toSvg({
      data: {
        values: [
          { x: 1, y: 2 },
          { x: 2, y: 5 },
        ],
      },
      mark: 'line',
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toMatch(/class="mark-line/);
  });

  it('bearing-health: indicators, alert lead times and walk-forward RUL on a small fleet', async () => {
    const home = tempHome('lt-nb-');
    const out = await bearingHealth({ home, assets: 5, interval: '12h', snapshotSeconds: 0.1, seed: 2 });
    expect(out.file).toBe(join(home, 'notebooks', 'bearing-health.html'));
    const html = readFileSync(out.file, 'utf8');
    checkSelfContained(html);
    expect(svgCount(html)).toBe(out.charts);
    expect(out.charts).toBe(4);
    expect(html).toContain(`Detection rate ${Math.round(100 * out.report.detectionRate)}%`);
    for (const a of out.report.perAsset) expect(html).toContain(a.asset);
  });

  it('staffing-plan: SLA vs staffing, a peak, reactive vs predictive', async () => {
    const home = tempHome('lt-nb-');
    const out = await staffingPlan({ home, replications: 2, horizon: '5d', experts: [2, 4], workers: 1 });
    const html = readFileSync(out.file, 'utf8');
    checkSelfContained(html);
    expect(out.charts).toBe(3);
    expect(svgCount(html)).toBe(3);
    expect(out.sweep.map((s) => s.label)).toEqual(['experts 2', 'experts 4']);
    // a 50% demand peak brings more tickets than the baseline
    const count = (i: number) =>
      Object.values(out.peakRuns[i].result.priorities).reduce((s, p) => s + (p!.count.mean ?? 0), 0);
    expect(count(1)).toBeGreaterThan(count(0));
    expect(html).toMatch(/Reactive against predictive maintenance/);
    // the fleet's failures, replayed: every one a breakdown in the reactive log
    expect(out.logs.breakdownsReactive).toBe(12);
    expect(out.logs.breakdownsPredictive).toBeLessThan(out.logs.breakdownsReactive);
  });

  it.skipIf(!existsSync(DEFAULT_TRAIN))(
    'cmapss-rul: sensor ranking, HI and CV on a subset of FD001',
    async () => {
      const home = tempHome('lt-nb-');
      // small input: the first 15 engines
      const lines = readFileSync(DEFAULT_TRAIN, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '' && Number(l.trim().split(/\s+/)[0]) <= 15);
      const train = join(home, 'train_small.txt');
      writeFileSync(train, lines.join('\n') + '\n');
      const out = await cmapssRul({ home, train, folds: 3, models: ['similarity', 'weibull'] });
      expect(out.reports.map((r) => r.model).sort()).toEqual(['similarity', 'weibull']);
      expect(out.reports[0].n).toBe(15);
      expect(out.reports[0].rmse).toBeLessThanOrEqual(out.reports[1].rmse);
      const html = readFileSync(out.file, 'utf8');
      checkSelfContained(html);
      expect(svgCount(html)).toBe(out.charts);
      expect(html).toContain(out.reports[0].rmse.toFixed(2));
      await expect(cmapssRul({ home, train, folds: 3, models: ['nope'] })).rejects.toThrow(
        /unknown model "nope"/,
      );
    },
  );

  it('runs from the command line and says where the report is', () => {
    const home = tempHome('lt-nb-');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repo, 'notebooks/staffing-plan.ts'),
        '--home',
        home,
        '--replications',
        '2',
        '--horizon',
        '3d',
        '--experts',
        '2,3',
        '--workers',
        '1',
      ],
      { encoding: 'utf8', cwd: repo },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`staffing-plan: ${join(home, 'notebooks', 'staffing-plan.html')}`);
    expect(existsSync(join(home, 'notebooks', 'staffing-plan.html'))).toBe(true);
  });
});
