/**
 * The dashboard in a real browser (playwright-core driving Debian's Chromium) against a running
 * `leadtime serve` with an ingested run-to-failure fleet: each page loads, its charts render to SVG,
 * nothing is fetched from outside the server (offline), and screenshots go to
 * `.leadtime/artifacts/` (git-ignored). Skips with a reason when /usr/bin/chromium is absent, except
 * in CI (CI=1), where it fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../api/commands/serve.ts';
import { ingestFleet, tempHome } from '../api/server-helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && !process.env.CI)
  console.log(`test/browser: skipped: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does)`);
const artifacts = resolve(import.meta.dirname, '../../.leadtime/artifacts');

describe.skipIf(!present && !process.env.CI)('dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const home = tempHome('lt-browser-');
    const { truth } = await ingestFleet(home, 6);
    server = await startServer({
      home,
      port: 0,
      host: '127.0.0.1',
      failures: truth,
      generateToken: true,
      log: () => {},
    });
    // two tickets through the API: the policy opens a P1 on the second urgent evaluation in a row
    const { assets } = (await (await fetch(`${server.url}/v1/assets`)).json()) as {
      assets: { asset: string; last: number }[];
    };
    const H = 3_600_000;
    for (const a of assets.slice(0, 2)) {
      const r = await fetch(`${server.url}/v1/tickets/evaluations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          [2, 1].map((k) => ({
            asset: a.asset,
            t: a.last - k * H,
            at: a.last - k * H,
            rul: 20 * H,
            lower: 8 * H,
            upper: 30 * H,
          })),
        ),
      });
      if (!r.ok) throw new Error(`evaluations: ${r.status} ${await r.text()}`);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    mkdirSync(artifacts, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const rendered = async (ids: string[]) => {
    for (const id of ids) {
      await page.waitForSelector(`#${id}[data-rendered]`, { timeout: 30_000 });
      expect(await page.getAttribute(`#${id}`, 'data-rendered'), id).toBe('true');
      expect(
        await page.locator(`#${id} svg .mark-rect, #${id} svg .mark-line, #${id} svg .mark-area`).count(),
        id,
      ).toBeGreaterThan(0);
    }
  };

  it('fleet overview: KPIs, the asset table and two charts', async () => {
    await page.goto(`${server.url}/#token=${server.token}`);
    await rendered(['chart-hi', 'chart-rul', 'chart-tickets']);
    expect(await page.locator('#assets tbody tr').count()).toBe(6);
    expect(await page.textContent('#kpi-tickets')).toBe('2');
    expect(await page.textContent('#kpi-assets')).toBe('6');
    expect(await page.textContent('#status')).toMatch(/write token set/);
    await page.screenshot({ path: join(artifacts, 'dashboard-fleet.png'), fullPage: true });
  });

  it('asset page: HI with threshold, anomaly score, RUL band, indicators', async () => {
    await page.click('#assets tbody tr:first-child a'); // the lowest RUL
    await page.waitForURL(/#\/asset\//);
    await rendered(['chart-hi', 'chart-anomaly', 'chart-rul', 'chart-indicators']);
    expect(await page.locator('#chart-rul svg .mark-area').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'dashboard-asset.png'), fullPage: true });
  });

  it('tickets page: the list with priority and SLA', async () => {
    await page.click('nav a[data-nav=tickets]');
    await page.waitForSelector('#tickets tbody tr');
    expect(await page.locator('#tickets tbody tr').count()).toBe(2);
    expect(await page.textContent('#tickets tbody tr:first-child')).toMatch(/LT-000002.*P1.*open/s);
    await page.screenshot({ path: join(artifacts, 'dashboard-tickets.png'), fullPage: true });
    // the ticket's asset page shows it as a marker and in its table
    await page.click('#tickets tbody tr:first-child td:nth-child(2) a');
    await rendered(['chart-hi']);
    expect(await page.locator('#asset-tickets tbody tr').count()).toBe(1);
    // the ticket's opening is a marker on the HI chart (its legend names it)
    expect(await page.textContent('#chart-hi')).toMatch(/ticket P1/);
  });

  it('simulation page: runs a staffing sweep, shows progress and SLA vs staffing', async () => {
    await page.goto(`${server.url}/#/simulations`);
    await page.waitForSelector('#sim-form');
    await page.selectOption('select[name=example]', 'mmc');
    await page.selectOption('select[name=pool]', 'engineers');
    // the sizes start around the pool's staff level (mmc: 10 engineers)
    expect(await page.inputValue('input[name=sizes]')).toBe('9,10,11');
    expect(await page.textContent('#staff-hint')).toMatch(/engineers: 10 on duty at peak/);
    await page.fill('input[name=sizes]', '10,11');
    await page.fill('input[name=replications]', '2');
    await page.click('#run');
    await page.waitForSelector('#job-progress', { timeout: 10_000 });
    await rendered(['chart-sla', 'chart-wait', 'chart-cost']);
    expect(await page.textContent('#job-state')).toMatch(/done/);
    expect(await page.textContent('#jobs tbody')).toMatch(/done.*"example":"mmc"/s);

    // 2 replications give no usable interval: each run says so, in the warning list
    const warnings = await page.locator('#warnings li').allTextContents();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^few-replications \(engineers=10\): 2 replications: no usable confidence interval/,
    );
    expect(warnings[1]).toMatch(/^few-replications \(engineers=11\)/);

    // mmc's goals (targets: P1.respond.sla>=0.9, P2.respond.sla>=0.8) as lines on the SLA chart:
    // the y scale runs 0-100% over the 240-pixel plot, so the lines sit 24 and 48 pixels down
    const goalYs = await page.$$eval('#chart-sla svg .goal_marks line', (lines) =>
      lines.map((l) => Number(/translate\([^,]+,([^)]+)\)/.exec(l.getAttribute('transform') ?? '')?.[1])),
    );
    expect(goalYs.sort((a, b) => a - b).map((y) => Math.round(y))).toEqual([24, 48]);
    // the respond time targets (15 and 30 minutes) on the waiting chart
    expect(await page.locator('#chart-wait svg .time_target_marks line').count()).toBe(2);
    // a staff count is a whole number: the x axis labels are the sizes asked for
    const labels = await page
      .locator('#chart-sla svg .role-axis-label')
      .first()
      .locator('text')
      .allTextContents();
    expect(labels).toEqual(['10', '11']);
    expect(await page.textContent('#chart-sla')).toMatch(/engineers staff at peak \(shifts scaled\)/);
    expect(await page.textContent('#chart-cost')).toMatch(/cost per week, EUR/);
    // the tier's SLA clock beside its figures
    expect(await page.textContent('#sla-table tbody')).toMatch(/P1\s*24\/7/);
    await page.screenshot({ path: join(artifacts, 'dashboard-simulations.png'), fullPage: true });

    // one run (no sizes): a bar per priority, each goal a line across its own bar
    await page.fill('input[name=sizes]', '');
    await page.click('#run');
    // the second job done: the jobs table lists two, both done, and the page shows the new result
    await expect
      .poll(
        async () =>
          (await page.locator('#jobs tbody tr').allTextContents()).filter((t) => /done/.test(t)).length,
        {
          timeout: 60_000,
          interval: 500,
        },
      )
      .toBe(2);
    await page.waitForSelector('#chart-cost', { state: 'detached' });
    await rendered(['chart-sla', 'chart-wait']);
    expect(await page.locator('#warnings li').allTextContents()).toEqual([
      expect.stringMatching(/^few-replications: 2 replications/),
    ]);
    const bars = await page.$$eval('#chart-sla svg .goal_marks line', (lines) =>
      lines.map((l) => ({
        y: Number(/translate\([^,]+,([^)]+)\)/.exec(l.getAttribute('transform') ?? '')?.[1]),
        width: Number(l.getAttribute('x2')),
      })),
    );
    expect(bars.map((b) => Math.round(b.y)).sort((a, b) => a - b)).toEqual([24, 48]);
    for (const b of bars) expect(b.width).toBeGreaterThan(20); // across the bar, not a point
    await page.screenshot({ path: join(artifacts, 'dashboard-simulation-run.png'), fullPage: true });
  }, 120_000);

  it('API docs page: Swagger UI lists the routes, offline', async () => {
    await page.goto(`${server.url}/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(
      expect.arrayContaining(['/v1/telemetry', '/v1/assets/{id}/health']),
    );
    await page.screenshot({ path: join(artifacts, 'docs.png') });
  });

  it('fetched nothing from outside the server and logged no errors', () => {
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });
});
