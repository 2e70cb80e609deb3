/**
 * CLI start-up (issue 18): whole-process wall time of `leadtime --help`, `--version`, `erlang c`
 * and a 1,000-ticket `simulate` (one replication inline, and two of 500 on two worker threads),
 * each the median of 5 runs after a warm-up, as a ratio to the issue's target (0.5 s, 0.5 s,
 * 0.7 s, 1.5 s; <= 1 meets it). Through the published entry `bin/leadtime.js` on the compiled
 * dist/ (built first when stale), and for comparison through tsx (`LEADTIME_ENTRY=source`, what
 * runs without a build; median of 3). CPU time (user + system) and peak RSS come from
 * /usr/bin/time when it is there. The load average is printed, and `node -e ''` is measured the
 * same way as the floor: on a shared machine a wall time includes the wait for a core, the CPU
 * time does not.
 *
 * `npx tsx bench/startup.ts` or `npm run bench -- startup`. LEADTIME_BENCH_BIN=<path of another
 * checkout's bin/leadtime.js> measures that one instead (e.g. the code before the change).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, staleReason } from '../bin/dist-stamp.js';

const bin = process.env.LEADTIME_BENCH_BIN ?? join(ROOT, 'bin/leadtime.js');
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const dir = mkdtempSync(join(tmpdir(), 'lt-startup-'));

/** M/M/10 at load 0.9 with a ticket budget: `count` tickets per replication, exactly. */
function scenario(replications: number): string {
  const file = join(dir, `tickets-1000-r${replications}.yaml`);
  writeFileSync(
    file,
    [
      `name: startup-1000-r${replications}`,
      'seed: 1',
      `replications: ${replications}`,
      'horizon: 400h # never reached: the ticket budget ends each replication',
      'priorities: { P1: { respond: 15m, resolve: 2h }, P2: { respond: 30m, resolve: 4h } }',
      'arrivals:',
      `  - poisson: { perHour: 9, mix: { P1: 0.2, P2: 0.8 }, count: ${1000 / replications} }`,
      'pools:',
      '  engineers: { size: 10, costPerHour: 60 }',
      'flow:',
      '  - stage: work',
      '    pool: engineers',
      '    duration: { exponential: { mean: 1h } }',
      '',
    ].join('\n'),
  );
  return file;
}

interface Case {
  name: string;
  args: string[];
  /** seconds; null: a reference row */
  target: number | null;
  /** run node itself with `args` instead of the bin */
  bare?: boolean;
  /** the simulate cases: the JSON it wrote, to check the ticket count */
  json?: string;
}

const erlang = [
  'erlang',
  'c',
  '--calls',
  '100',
  '--interval',
  '30m',
  '--aht',
  '3m',
  '--target',
  '0.8',
  '--within',
  '20s',
];
const simJson = (r: number) => join(dir, `simulate-r${r}.json`);
const CASES: Case[] = [
  // the floor: what starting node alone takes on this machine at this moment
  { name: "node -e '' (no leadtime: the floor now)", args: ['-e', ''], target: null, bare: true },
  { name: 'leadtime --help', args: ['--help'], target: 0.5 },
  { name: 'leadtime --version', args: ['--version'], target: 0.5 },
  { name: 'leadtime erlang c ...', args: erlang, target: 0.7 },
  {
    name: 'simulate 1,000 tickets, 1 replication',
    args: ['simulate', scenario(1), '-q', '--json', simJson(1)],
    target: 1.5,
    json: simJson(1),
  },
  {
    name: 'simulate 1,000 tickets, 2 x 500 on 2 threads',
    args: ['simulate', scenario(2), '-q', '--json', simJson(2), '--workers', '2'],
    target: 1.5,
    json: simJson(2),
  },
];

interface Run {
  wall: number;
  cpu: number | null;
  rssMB: number | null;
}

function runOnce(c: Case, env: NodeJS.ProcessEnv): Run {
  const args = c.args;
  const command = c.bare ? [process.execPath, ...args] : [process.execPath, bin, ...args];
  const timeFile = join(dir, 'time.txt');
  const argv = hasTime ? [TIME, '-f', '%U %S %M', '-o', timeFile, ...command] : command;
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    env: { ...process.env, LEADTIME_HOME: join(dir, 'home'), ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`leadtime ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (!hasTime) return { wall, cpu: null, rssMB: null };
  const [user, sys, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys, rssMB: rss / 1024 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function measure(c: Case, runs: number, env: NodeJS.ProcessEnv) {
  runOnce(c, env); // warm-up: the file cache
  const rs = Array.from({ length: runs }, () => runOnce(c, env));
  const cpu = rs.every((r) => r.cpu !== null) ? median(rs.map((r) => r.cpu!)) : null;
  const rss = rs.every((r) => r.rssMB !== null) ? Math.max(...rs.map((r) => r.rssMB!)) : null;
  return { wall: median(rs.map((r) => r.wall)), cpu, rss };
}

if (!process.env.LEADTIME_BENCH_BIN && staleReason() !== null) {
  console.log(`dist/ is stale (${staleReason()}): building it first`);
  const b = spawnSync(process.execPath, [join(ROOT, 'bin/build.js')], { stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run build failed');
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
console.log(`bin ${bin}; load average ${load()} (1/5/15 min); medians; ratio = wall / target`);
const f = (x: number | null, d = 2) => (x === null ? '-' : x.toFixed(d));
console.log(
  `${'path'.padEnd(46)} ${'target'.padStart(6)} ${'wall s'.padStart(7)} ${'ratio'.padStart(6)} ${'cpu s'.padStart(6)} ${'RSS MB'.padStart(7)} | ${'tsx wall'.padStart(8)} ${'cpu'.padStart(5)} ${'RSS'.padStart(5)}`,
);
let missed = 0;
for (const c of CASES) {
  const compiled = measure(c, 5, process.env.LEADTIME_BENCH_BIN ? {} : { LEADTIME_ENTRY: 'dist' });
  const tickets = c.json ? (JSON.parse(readFileSync(c.json, 'utf8')) as { tickets: number }).tickets : null;
  const source =
    process.env.LEADTIME_BENCH_BIN || c.bare ? null : measure(c, 3, { LEADTIME_ENTRY: 'source' });
  const ratio = c.target === null ? null : compiled.wall / c.target;
  if (ratio !== null && ratio > 1) missed++;
  console.log(
    `${(c.name + (tickets !== null && tickets !== 1000 ? ` (${tickets} tickets!)` : '')).padEnd(46)} ${f(c.target, 1).padStart(6)} ${f(compiled.wall).padStart(7)} ${f(ratio).padStart(6)} ${f(compiled.cpu).padStart(6)} ${f(compiled.rss, 0).padStart(7)} | ${f(source?.wall ?? null).padStart(8)} ${f(source?.cpu ?? null).padStart(5)} ${f(source?.rss ?? null, 0).padStart(5)}`,
  );
}
const targets = CASES.filter((c) => c.target !== null).length;
console.log(`${targets - missed} of ${targets} within target; load average now ${load()}`);
