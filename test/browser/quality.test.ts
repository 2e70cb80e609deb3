/**
 * The dashboard's data-quality page in Chromium, against a `leadtime serve --mqtt` live loop fed
 * with messages whose sequence numbers and times have known holes: the KPIs, the gap chart, the
 * series table and the publisher table show them; changing k re-judges the series. Skips with a
 * reason when /usr/bin/chromium is absent, except in CI (CI=1), where it fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../api/commands/serve.ts';
import { stampPayload } from '../../ingest/index.ts';
import { startTestBroker, type TestBroker } from '../../bench/ingest-broker.lib.ts';
import { tempHome, waitFor } from '../api/server-helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && !process.env.CI)
  console.log(`test/browser: skipped: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does)`);
const artifacts = resolve(import.meta.dirname, '../../.leadtime/artifacts');
const T0 = Date.UTC(2026, 0, 5);
const MIN = 60_000;

describe.skipIf(!present && !process.env.CI)('data-quality page in Chromium', () => {
  let broker: TestBroker;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const id = `lt-quality-page-${process.pid}-${Date.now().toString(36)}`;
  const errors: string[] = [];

  beforeAll(async () => {
    broker = await startTestBroker();
    server = await startServer({
      home: tempHome('lt-browser-quality-'),
      port: 0,
      host: '127.0.0.1',
      mqtt: { url: broker.url, topics: [`${id}/+/telemetry`], clientId: id },
      log: () => {},
    });
    const status = async () =>
      (await (await fetch(`${server.url}/v1/status`)).json()) as {
        live: { subscribed: boolean; stored: number };
      };
    await waitFor(status, (s) => s.live.subscribed);
    // P: seq 0..29 at minute seq, 10-12 and 20 left out (4 missing; a 4-interval gap in its series);
    // Q: seq 0..4, then silent (stopped 25 minutes before P's newest sample)
    const client = await mqtt.connectAsync(broker.url, { clientId: `${id}-pub`, clean: true });
    for (const [asset, pub, n, left] of [
      ['p', 'P', 30, new Set([10, 11, 12, 20])],
      ['q', 'Q', 5, new Set<number>()],
    ] as const)
      for (let seq = 0; seq < n; seq++) {
        if (left.has(seq)) continue;
        const msg = JSON.stringify({ asset, channel: 'x', t: T0 + seq * MIN, value: seq });
        await client.publishAsync(`${id}/${asset}/telemetry`, stampPayload(msg, pub, seq) as string, {
          qos: 1,
        });
      }
    await client.endAsync();
    await waitFor(status, (s) => s.live.stored === 31);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    mkdirSync(artifacts, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    const c = await mqtt.connectAsync(broker.url, { clientId: id, clean: true }).catch(() => undefined);
    await c?.endAsync();
    await broker?.close();
  });

  it('shows the series that skip or stop, the gap chart and the publishers with what never arrived', async () => {
    await page.goto(`${server.url}/`);
    await page.click('nav a[data-nav=quality]');
    await page.waitForSelector('#chart-gaps[data-rendered]', { timeout: 30_000 });
    expect(await page.getAttribute('#chart-gaps', 'data-rendered')).toBe('true');
    // one bar for P's gap, one for Q's silence
    expect(await page.locator('#chart-gaps svg .mark-rect path').count()).toBe(2);
    expect(await page.textContent('#kpi-series')).toBe('2');
    expect(await page.textContent('#kpi-gaps')).toBe('1');
    expect(await page.textContent('#kpi-stopped')).toBe('1');
    expect(await page.textContent('#kpi-missing')).toBe('3');
    const rows = await page.locator('#quality-series tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/p\s*x\s*gaps\s*26\s*1 min\s*1\s*3/);
    expect(rows[0]).toMatch(/2026-01-05 00:09 → 2026-01-05 00:13 \(4\.0 intervals\)/);
    expect(rows[1]).toMatch(/q\s*x\s*stopped/);
    const pubs = await page.locator('#publishers tbody tr').allTextContents();
    expect(pubs[0]).toMatch(/P\s*26\s*0\.\.29\s*0\s*4\s*10\.\.12, 20/);
    expect(pubs[1]).toMatch(/Q\s*5\s*0\.\.4\s*0\s*0/);
    await page.screenshot({ path: join(artifacts, 'dashboard-quality.png'), fullPage: true });
  });

  it('a larger k re-judges the series: the 4-interval gap is no longer one', async () => {
    await page.fill('#quality-form input[name=k]', '5');
    await page.click('#quality-form button');
    await page.waitForURL(/#\/quality\?k=5/);
    await page.locator('#kpi-gaps', { hasText: /^0$/ }).waitFor();
    expect(await page.textContent('#kpi-stopped')).toBe('1');
    expect(await page.locator('#quality-series tbody tr').count()).toBe(1);
  });

  it('a slow page answering after the user moved on does not draw over the page now shown', async () => {
    // the fleet overview's asset list held back 1.5 s: the quality page, clicked meanwhile, must stay
    await page.route('**/v1/assets', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    try {
      await page.goto(`${server.url}/#/`);
      await page.click('nav a[data-nav=quality]');
      await page.waitForSelector('#chart-gaps[data-rendered]', { timeout: 30_000 });
      await page.waitForResponse('**/v1/assets');
      await new Promise((r) => setTimeout(r, 300));
      expect(await page.textContent('#view h1')).toBe('Data quality');
      expect(await page.locator('#chart-gaps').count()).toBe(1);
    } finally {
      await page.unroute('**/v1/assets');
    }
  });

  it('logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
