/**
 * Simulator speed against SimPy on the same M/M/c (c = 10, load 0.9, exponential service of mean
 * 1 h, 1,000,000 tickets, one replication), run in the same session: `npx tsx bench/simulation.ts`
 * or `npm run bench -- simulation`.
 *
 * Our side goes through `runExperiment`, the code path of `leadtime simulate` (scenario schema,
 * model build, replication, aggregation; one replication runs in the calling thread). Each size runs in a fresh child process so its peak
 * RSS is its own; 100,000 and 1,000,000 tickets show that memory does not grow with the count.
 * Reported speeds: the engine's (event loop only, comparable to SimPy's `env.run()`) and end to
 * end (scenario checks, model build and aggregation included).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseScenario, runExperiment } from '../simulation/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const simpyScript = join(root, '../shared/bench/simpy_mmc.py');
const PYTHON = '/usr/bin/python3';
const SERVERS = 10;
const RHO = 0.9;
const TICKETS = 1_000_000;

/** M/M/c with a ticket budget: the run ends when the last of `tickets` is resolved. */
export function mmcScenario(tickets: number) {
  const perHour = RHO * SERVERS;
  return parseScenario({
    name: `bench-mm${SERVERS}`,
    seed: 1,
    replications: 1,
    horizon: `${Math.ceil((tickets / perHour) * 2)}h`, // never reached: the ticket budget ends the run
    priorities: { P1: { respond: '15m', resolve: '2h' } },
    arrivals: [{ poisson: { perHour, mix: { P1: 1 }, count: tickets } }],
    pools: { engineers: { size: SERVERS } },
    flow: [{ stage: 'work', pool: 'engineers', duration: { exponential: { mean: '1h' } } }],
  });
}

interface OurRun {
  tickets: number;
  engineTicketsPerSecond: number;
  endToEndTicketsPerSecond: number;
  wallSeconds: number;
  meanWaitMinutes: number;
  pWait: number;
  maxRssMB: number;
}

/** Runs in a child process: one experiment of `tickets`, then prints its figures and peak RSS as JSON. */
async function child(tickets: number): Promise<void> {
  const r = await runExperiment(mmcScenario(tickets)); // defaults, as `leadtime simulate` uses them
  const p1 = r.priorities.P1!;
  const out: OurRun = {
    tickets: r.tickets,
    engineTicketsPerSecond: r.engineTicketsPerSecond,
    endToEndTicketsPerSecond: r.ticketsPerSecond,
    wallSeconds: r.wallSeconds,
    meanWaitMinutes: p1.respond.mean.mean!,
    pWait: p1.respond.delayed.mean!,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

function runChild(tickets: number): OurRun {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(tickets)],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`benchmark child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as OurRun;
}

interface SimpyRun {
  engine: string;
  customers_per_s: number;
  wall_s: number;
  mean_wait: number;
  p_wait: number;
  erlang_c_mean_wait: number;
  erlang_c_p_wait: number;
}

function runSimpy(): SimpyRun | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  if (!existsSync(simpyScript)) return `${simpyScript} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import simpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'SimPy is not installed (apt-get install -y python3-simpy3)';
  const args = [
    simpyScript,
    '--servers',
    String(SERVERS),
    '--rho',
    String(RHO),
    '--customers',
    String(TICKETS),
    '--seed',
    '1',
  ];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (r.status !== 0) return `simpy_mmc.py failed: ${r.stderr.trim()}`;
  return JSON.parse(r.stdout.trim()) as SimpyRun;
}

export interface SimulationBench {
  ours: OurRun;
  small: OurRun;
  simpy: SimpyRun | null;
  simpySkipped?: string;
  engineRatio: number | null;
  endToEndRatio: number | null;
}

export async function benchSimulation(): Promise<SimulationBench> {
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`M/M/${SERVERS}, load ${RHO}, exponential service, one replication, seed 1`);
  const small = runChild(TICKETS / 10);
  const ours = runChild(TICKETS);
  const simpy = runSimpy();
  // Erlang C in minutes, for a sanity check of both engines (mean service 1 h = 60 min)
  const ok = typeof simpy !== 'string';
  console.log(
    `leadtime  ${fmt(ours.tickets)} tickets: engine ${fmt(ours.engineTicketsPerSecond)} tickets/s, ` +
      `end to end ${fmt(ours.endToEndTicketsPerSecond)} tickets/s (${ours.wallSeconds.toFixed(2)} s); ` +
      `mean wait ${ours.meanWaitMinutes.toFixed(2)} min, P(wait) ${ours.pWait.toFixed(4)}`,
  );
  if (ok) {
    console.log(
      `SimPy     ${fmt(TICKETS)} customers: ${fmt(simpy.customers_per_s)} customers/s (${simpy.wall_s} s, ${simpy.engine}); ` +
        `mean wait ${(simpy.mean_wait * 60).toFixed(2)} min, P(wait) ${simpy.p_wait.toFixed(4)}`,
    );
    console.log(
      `Erlang C  mean wait ${(simpy.erlang_c_mean_wait * 60).toFixed(2)} min, P(wait) ${simpy.erlang_c_p_wait.toFixed(4)}`,
    );
    console.log(
      `ratio     engine ${(ours.engineTicketsPerSecond / simpy.customers_per_s).toFixed(1)}x SimPy, ` +
        `end to end ${(ours.endToEndTicketsPerSecond / simpy.customers_per_s).toFixed(1)}x`,
    );
  } else {
    console.log(`SimPy     skipped: ${simpy}`);
  }
  console.log(
    `peak RSS  ${ours.maxRssMB.toFixed(0)} MB for ${fmt(ours.tickets)} tickets, ${small.maxRssMB.toFixed(0)} MB for ${fmt(small.tickets)} ` +
      `(whole process: Node and tsx included)`,
  );
  return {
    ours,
    small,
    simpy: ok ? simpy : null,
    ...(!ok && { simpySkipped: simpy }),
    engineRatio: ok ? ours.engineTicketsPerSecond / simpy.customers_per_s : null,
    endToEndRatio: ok ? ours.endToEndTicketsPerSecond / simpy.customers_per_s : null,
  };
}

const invokedDirectly = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invokedDirectly) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) await child(Number(process.argv[at + 1]));
  else await benchSimulation();
}
