/** Shared fixtures for the ticket tests: a temp ticket store filled with a known set of tickets. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTicketStore, ticketPolicy, type Evaluation, type TicketStore } from '../../tickets/index.ts';

export const H = 3_600_000;
export const T0 = Date.parse('2026-01-05T00:00:00Z');

export const tempHome = (name: string): string => mkdtempSync(join(tmpdir(), `leadtime-${name}-`));

/**
 * `assets` assets, each: two P2 evaluations (hysteresis 2 opens a P2 ticket), then one P1 (upgrade).
 * Events: per asset `<id>:1` (created) and `<id>:2` (upgraded).
 */
export function fleetEvaluations(assets: number): Evaluation[] {
  const out: Evaluation[] = [];
  for (let step = 0; step < 3; step++)
    for (let a = 1; a <= assets; a++) {
      const lowerH = step < 2 ? 48 : 12;
      out.push({
        asset: `asset-${a}`,
        t: T0 + step * 6 * H,
        model: 'similarity@1',
        rul: (lowerH + 24) * H,
        lower: lowerH * H,
        upper: (lowerH + 96) * H,
        coverage: 0.9,
      });
    }
  return out;
}

/** `url`: a shared store URL ('' = the home's DuckDB file) */
export async function filledStore(home: string, assets: number, url = ''): Promise<TicketStore> {
  const store = await openTicketStore(home, url);
  await store.apply(fleetEvaluations(assets), ticketPolicy());
  return store;
}
