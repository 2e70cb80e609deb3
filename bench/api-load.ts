/**
 * A bounded load test of the HTTP API (autocannon against a server started in this process on
 * 127.0.0.1), printed, never asserted in tests:
 *   ingest   POST /v1/telemetry with 10 samples per request (each request new keys), 10
 *            connections for a fixed time: requests/s, samples/s, p50/p99 latency, error rate, and
 *            afterwards acknowledged <= stored <= sent (every sample a 200 answer acknowledged is in
 *            the store; requests still in flight when the load stops may be stored unanswered)
 *   reads    GET /v1/assets on the same store: requests/s and latency
 * Reference: a bare node:http server on the same machine answering every request with a fixed
 * JSON body (no parsing, no store) under the same autocannon load, the ceiling of what
 * loopback and the load generator allow; our rate is reported as a ratio of it.
 * Run alone: npx tsx bench/api-load.ts [seconds per phase, default 10]
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../core/index.ts';
import { buildApp, ServerConfig } from '../api/server/index.ts';

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface CannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}
interface CannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: CannonRequest) => CannonRequest;
  onResponse?: (status: number, body: string) => void;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests?: CannonRequest[];
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}) => Promise<CannonResult>;
// autocannon is CommonJS without bundled types
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const seconds = Number(process.argv[2] ?? 10);
const CONNECTIONS = 10;
const PER_REQUEST = 10;
const TOKEN = 'bench-token-0123456789abcdef';

function summary(name: string, r: CannonResult) {
  const total = r['2xx'] + r.non2xx + r.errors + r.timeouts;
  return {
    name,
    requestsPerSec: Math.round(r.requests.total / r.duration),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errorRate: total === 0 ? 0 : (r.non2xx + r.errors + r.timeouts) / total,
    requests: r.requests.total,
  };
}

async function main(): Promise<void> {
  // the reference: a bare http server answering a fixed body
  const answer = JSON.stringify({ runId: 1, records: PER_REQUEST, stored: PER_REQUEST, results: [] });
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
  const barePort = (bare.address() as { port: number }).port;
  const sampleBody = JSON.stringify(
    Array.from({ length: PER_REQUEST }, (_, i) => ({ asset: 'a', channel: `c${i}`, t: 0, value: i })),
  );
  const ref = await autocannon({
    url: `http://127.0.0.1:${barePort}/v1/telemetry`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: sampleBody,
  });
  await new Promise<void>((r) => bare.close(() => r()));

  const home = mkdtempSync(join(tmpdir(), 'lt-bench-api-'));
  const config = validate(
    ServerConfig,
    { tokens: [TOKEN], rateLimit: { max: 1_000_000_000, window: '1m' } },
    'bench config',
  );
  const { app, ctx } = await buildApp({ home, config });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let next = 0;
  let acknowledged = 0;
  const ingestRun = await autocannon({
    url: address,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/telemetry',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        // every request new keys: asset by connection-independent counter, so nothing is a duplicate
        setupRequest: (req) => {
          const t = 1_767_225_600_000 + next++ * 1000;
          return {
            ...req,
            body: JSON.stringify(
              Array.from({ length: PER_REQUEST }, (_, i) => ({
                asset: 'bench',
                channel: `c${i}`,
                t,
                value: i,
              })),
            ),
          };
        },
        onResponse: (status, body) => {
          if (status === 200) acknowledged += (JSON.parse(body) as { stored: number }).stored;
        },
      },
    ],
  });
  const stored = (await ctx.store.counts()).samples;
  const reads = await autocannon({
    url: `${address}/v1/assets`,
    connections: CONNECTIONS,
    duration: seconds,
  });
  await app.close();

  const ours = summary('POST /v1/telemetry', ingestRun);
  const reference = summary('bare node:http, fixed answer', ref);
  const result = {
    seconds,
    connections: CONNECTIONS,
    samplesPerRequest: PER_REQUEST,
    ingest: { ...ours, samplesPerSec: Math.round((ours.requestsPerSec * PER_REQUEST) | 0) },
    reads: summary('GET /v1/assets', reads),
    reference,
    ratioToReference: ours.requestsPerSec / reference.requestsPerSec,
    sent: next * PER_REQUEST,
    acknowledged,
    stored,
    acknowledgedAllStored: acknowledged <= stored && stored <= next * PER_REQUEST,
  };
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  console.log(`API load, ${CONNECTIONS} connections, ${seconds} s per phase, loopback`);
  for (const r of [result.ingest, result.reads, reference])
    console.log(
      `  ${r.name.padEnd(30)} ${String(r.requestsPerSec).padStart(7)} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  errors ${pct(r.errorRate)}`,
    );
  console.log(
    `  ingest: ${result.ingest.samplesPerSec} samples/s, ${(result.ratioToReference * 100).toFixed(1)}% of the bare-server ceiling`,
  );
  console.log(
    `  acknowledged ${acknowledged} <= stored ${stored} <= sent ${result.sent}: ${result.acknowledgedAllStored ? 'yes' : 'NO'}`,
  );
  console.log(JSON.stringify(result));
  if (!result.acknowledgedAllStored) process.exitCode = 1;
}

await main();
