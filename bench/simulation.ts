/**
 * Simulator speed against SimPy on the same M/M/c (c = 10, load 0.9, exponential service of mean
 * 1 h, 1,000,000 tickets, one replication, seed 1): `npx tsx bench/simulation.ts [--rounds 3]` or
 * `npm run bench -- simulation`.
 *
 * Each round runs our side and SimPy one after the other; the ratios (SimPy's time over ours) are
 * computed per round and the median over rounds is reported. Our side runs the compiled JavaScript
 * in dist/, as users run it (`npm run build` first when dist/ is stale: bin/dist-stamp.js), in a
 * fresh `node` process per measurement, and times its phases:
 *
 * - event loop: `ServiceModel.run` of the replication, as events/s and tickets/s; compared with
 *   SimPy's `env.run()`, which is all SimPy's script times.
 * - in-process run: `runExperiment` (scenario checks, model build, the replication, aggregation).
 * - whole process: spawn to exit, both sides: a plain `node` script that imports the compiled
 *   simulator, validates the scenario and runs it (Node, our imports and the scenario schema's
 *   validation on ours; Python and `import simpy` on SimPy's). Start-up is everything before the
 *   run: the child says how long Node took to reach its first line, its imports, and the validation.
 * - CLI: `node bin/leadtime.js simulate` (the `leadtime` command, LEADTIME_ENTRY=dist so it
 *   refuses to fall back to tsx) on the same scenario written as a file, spawn to exit: what a user
 *   waits for.
 *
 * Wall times are what users feel; CPU times (every thread of the process, from the kernel's
 * accounting of finished children) are reported beside them because other jobs on a shared machine
 * disturb them less. The 100,000-ticket child shows that peak memory does not grow with the count.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { staleReason } from '../bin/dist-stamp.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const simpyScript = join(root, '../shared/bench/simpy_mmc.py');
const PYTHON = '/usr/bin/python3';
const SERVERS = 10;
const RHO = 0.9;
const TICKETS = 1_000_000;

/** M/M/c with a ticket budget: the run ends when the last of `tickets` is resolved. */
export function mmcSpec(tickets: number) {
  const perHour = RHO * SERVERS;
  return {
    name: `bench-mm${SERVERS}`,
    seed: 1,
    replications: 1,
    horizon: `${Math.ceil((tickets / perHour) * 2)}h`, // never reached: the ticket budget ends the run
    priorities: { P1: { respond: '15m', resolve: '2h' } },
    arrivals: [{ poisson: { perHour, mix: { P1: 1 }, count: tickets } }],
    pools: { engineers: { size: SERVERS } },
    flow: [{ stage: 'work', pool: 'engineers', duration: { exponential: { mean: '1h' } } }],
  };
}

/** What the child reports; times in seconds. */
interface OurRun {
  tickets: number;
  events: number;
  /** Node up to the child's first line */
  bootSeconds: number;
  importSeconds: number;
  /** the scenario's schema validation (ajv compiles the schema on first use) */
  validateSeconds: number;
  /** runExperiment: checks, model build, the replication, aggregation */
  runSeconds: number;
  /** its CPU time, every thread of the process (the compiler's background threads too) */
  runCpuSeconds: number;
  /** ServiceModel.run of the replication */
  loopSeconds: number;
  meanWaitMinutes: number;
  pWait: number;
  maxRssMB: number;
}

/**
 * The child: a plain ES module for `node --input-type=module -e` (no tsx, no TypeScript), that
 * imports the compiled simulator, runs one experiment of `tickets` and prints an OurRun as JSON.
 */
function childScript(tickets: number): string {
  const entry = pathToFileURL(join(root, 'dist/simulation/index.js')).href;
  return `
const t0 = performance.now(); // milliseconds since the process started
const { parseScenario, runExperiment } = await import(${JSON.stringify(entry)});
const t1 = performance.now();
const scenario = parseScenario(${JSON.stringify(mmcSpec(tickets))});
const t2 = performance.now();
const c0 = process.cpuUsage();
const r = await runExperiment(scenario); // defaults, as leadtime simulate uses them
const c = process.cpuUsage(c0);
const t3 = performance.now();
const rep = r.perReplication[0];
const p1 = r.priorities.P1;
process.stdout.write(JSON.stringify({
  tickets: rep.tickets,
  events: rep.events,
  bootSeconds: t0 / 1000,
  importSeconds: (t1 - t0) / 1000,
  validateSeconds: (t2 - t1) / 1000,
  runSeconds: (t3 - t2) / 1000,
  runCpuSeconds: (c.user + c.system) / 1e6,
  loopSeconds: rep.wallSeconds,
  meanWaitMinutes: p1.respond.mean.mean,
  pWait: p1.respond.delayed.mean,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
}) + '\\n');
`;
}

/** CPU seconds of this process's finished children (Linux: cutime + cstime of /proc/self/stat), or NaN. */
function childrenCpu(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

interface Timed {
  /** spawn to exit */
  wholeSeconds: number;
  /** CPU time of the process, all its threads */
  wholeCpuSeconds: number;
}

/** Spawns a process and times it from spawn to exit. */
function timed(command: string, args: string[], env?: NodeJS.ProcessEnv): Timed & { stdout: string } {
  const cpu0 = childrenCpu();
  const t0 = performance.now();
  const r = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  const wholeSeconds = (performance.now() - t0) / 1000;
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ').slice(0, 200)} failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, wholeSeconds, wholeCpuSeconds: childrenCpu() - cpu0 };
}

type OurProcess = OurRun & Timed;

function runOurs(tickets: number): OurProcess {
  const { stdout, ...time } = timed(process.execPath, ['--input-type=module', '-e', childScript(tickets)]);
  return { ...(JSON.parse(stdout.trim().split('\n').pop()!) as OurRun), ...time };
}

interface SimpyRun {
  engine: string;
  customers_per_s: number;
  /** env.run() only */
  wall_s: number;
  mean_wait: number;
  p_wait: number;
  erlang_c_mean_wait: number;
  erlang_c_p_wait: number;
}

type SimpyProcess = SimpyRun &
  Timed & {
    /** CPU time of `python3 -c "import simpy"`: SimPy's start-up, taken off its whole CPU time for its run */
    startCpuSeconds: number;
  };

/** Why SimPy cannot run here, or null. */
function simpyMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  if (!existsSync(simpyScript)) return `${simpyScript} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import simpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'SimPy is not installed (apt-get install -y python3-simpy3)';
  return null;
}

function runSimpy(): SimpyProcess {
  const args = [
    '--servers',
    String(SERVERS),
    '--rho',
    String(RHO),
    '--customers',
    String(TICKETS),
    '--seed',
    '1',
  ];
  const start = timed(PYTHON, ['-c', 'import simpy']);
  const { stdout, ...time } = timed(PYTHON, [simpyScript, ...args]);
  return { ...(JSON.parse(stdout.trim()) as SimpyRun), ...time, startCpuSeconds: start.wholeCpuSeconds };
}

interface CliRun extends Timed {
  /** the replications' wall time as the CLI's result reports it */
  simulationSeconds: number;
}

/** `leadtime simulate` on the same scenario, from a file, spawn to exit, on the compiled dist/. */
function runCli(file: string): CliRun {
  const bin = join(root, 'bin/leadtime.js');
  const { stdout, ...time } = timed(
    process.execPath,
    [bin, 'simulate', file, '-r', '1', '-w', '1', '--json'],
    { LEADTIME_ENTRY: 'dist' },
  );
  const result = JSON.parse(stdout) as { wallSeconds: number; tickets: number };
  if (result.tickets !== TICKETS)
    throw new Error(`leadtime simulate ran ${result.tickets} tickets, not ${TICKETS}`);
  return { ...time, simulationSeconds: result.wallSeconds };
}

interface Ratios {
  loop: number;
  run: number;
  whole: number;
  cli: number;
}

interface Round {
  ours: OurProcess;
  small: OurProcess;
  simpy: SimpyProcess | null;
  cli: CliRun | string;
  /** SimPy's wall time over ours: event loop, in-process run, whole process, CLI spawn to exit */
  ratios: Ratios | null;
  /** the same in CPU time (none for the event loop alone: the run's CPU time covers it) */
  cpuRatios: Omit<Ratios, 'loop'> | null;
}

export interface SimulationBench {
  rounds: Round[];
  simpySkipped?: string;
  /** medians over rounds */
  ratios: Ratios | null;
  cpuRatios: Omit<Ratios, 'loop'> | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function oneRound(file: string, withSimpy: boolean): Round {
  const small = runOurs(TICKETS / 10);
  const ours = runOurs(TICKETS);
  const simpy = withSimpy ? runSimpy() : null;
  let cli: CliRun | string;
  try {
    cli = runCli(file);
  } catch (err) {
    cli = (err as Error).message.split('\n')[0];
  }
  const cliRun = typeof cli === 'string' ? null : cli;
  const ratios = simpy && {
    loop: simpy.wall_s / ours.loopSeconds,
    run: simpy.wall_s / ours.runSeconds,
    whole: simpy.wholeSeconds / ours.wholeSeconds,
    cli: cliRun ? simpy.wholeSeconds / cliRun.wholeSeconds : NaN,
  };
  const cpuRatios = simpy && {
    run: (simpy.wholeCpuSeconds - simpy.startCpuSeconds) / ours.runCpuSeconds,
    whole: simpy.wholeCpuSeconds / ours.wholeCpuSeconds,
    cli: cliRun ? simpy.wholeCpuSeconds / cliRun.wholeCpuSeconds : NaN,
  };
  return { ours, small, simpy, cli, ratios, cpuRatios };
}

/** Builds dist/ when it is not the build of the current sources: the bench measures compiled code. */
function ensureBuild(): void {
  const stale = staleReason();
  if (stale === null) return;
  console.log(`dist/ is stale (${stale}): building it first`);
  const b = spawnSync(process.execPath, [join(root, 'bin/build.js')], { stdio: 'inherit' });
  if (b.status !== 0 || staleReason() !== null) throw new Error('npm run build failed');
}

export async function benchSimulation(rounds = 3): Promise<SimulationBench> {
  ensureBuild();
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const s = (x: number) => x.toFixed(2);
  const x = (r: number) => `${r.toFixed(1)}x`;
  const missing = simpyMissing();
  const dir = mkdtempSync(join(tmpdir(), 'leadtime-bench-'));
  const file = join(dir, 'mm10.json');
  writeFileSync(file, JSON.stringify(mmcSpec(TICKETS)));
  console.log(
    `M/M/${SERVERS}, load ${RHO}, exponential service, ${fmt(TICKETS)} tickets, one replication, seed 1; ` +
      `${rounds} round(s); ratio = SimPy's time / ours in the same round (load average ${loadavg()[0].toFixed(1)})`,
  );
  const done: Round[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const r = oneRound(file, missing === null);
      done.push(r);
      const cli = typeof r.cli === 'string' ? null : r.cli;
      console.log(
        `round ${i + 1}: leadtime loop ${s(r.ours.loopSeconds)} s, run ${s(r.ours.runSeconds)} s, ` +
          `whole ${s(r.ours.wholeSeconds)} s` +
          (cli ? `, CLI ${s(cli.wholeSeconds)} s` : '') +
          (r.simpy ? `; SimPy env.run() ${s(r.simpy.wall_s)} s, whole ${s(r.simpy.wholeSeconds)} s` : '') +
          (r.ratios
            ? ` -> loop ${x(r.ratios.loop)}, run ${x(r.ratios.run)}, whole ${x(r.ratios.whole)}, CLI ${x(r.ratios.cli)}`
            : ''),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const med = (f: (r: Round) => number) => median(done.map(f));
  const loop = med((r) => r.ours.loopSeconds);
  const events = done[0].ours.events;
  const boot = med((r) => r.ours.bootSeconds);
  const imports = med((r) => r.ours.importSeconds);
  const validate = med((r) => r.ours.validateSeconds);
  console.log(`medians over ${done.length} round(s):`);
  console.log(
    `  event loop     leadtime ${(events / loop / 1e6).toFixed(2)} M events/s, ` +
      `${(TICKETS / loop / 1e6).toFixed(2)} M tickets/s (${s(loop)} s, ${fmt(events)} events)` +
      (missing ? '' : `; SimPy ${fmt(TICKETS / med((r) => r.simpy!.wall_s))} customers/s`),
  );
  console.log(
    `  in-process     leadtime runExperiment ${s(med((r) => r.ours.runSeconds))} s ` +
      `(${s(med((r) => r.ours.runCpuSeconds))} s CPU; checks, model build, the replication, aggregation)`,
  );
  console.log(
    `  whole process  leadtime ${s(med((r) => r.ours.wholeSeconds))} s (${s(med((r) => r.ours.wholeCpuSeconds))} s CPU): ` +
      `start-up ${s(boot + imports + validate)} s (Node ${s(boot)}, imports ${s(imports)}, ` +
      `scenario validation ${s(validate)}), then the run` +
      (missing
        ? ''
        : `; SimPy ${s(med((r) => r.simpy!.wholeSeconds))} s (${s(med((r) => r.simpy!.wholeCpuSeconds))} s CPU, ` +
          `of which Python and import simpy ${s(med((r) => r.simpy!.startCpuSeconds))} s)`),
  );
  const clis = done.map((r) => r.cli).filter((c): c is CliRun => typeof c !== 'string');
  if (clis.length > 0) {
    const whole = median(clis.map((c) => c.wholeSeconds));
    const sim = median(clis.map((c) => c.simulationSeconds));
    console.log(
      `  CLI            leadtime simulate ${s(whole)} s spawn to exit (${s(median(clis.map((c) => c.wholeCpuSeconds)))} s CPU), ` +
        `of which ${s(sim)} s simulating: start-up and output ${s(whole - sim)} s`,
    );
  } else console.log(`  CLI            skipped: ${done[0].cli as string}`);
  if (!missing) {
    const p = done[done.length - 1];
    console.log(
      `  accuracy       leadtime mean wait ${p.ours.meanWaitMinutes.toFixed(2)} min, P(wait) ${p.ours.pWait.toFixed(4)}; ` +
        `SimPy ${(p.simpy!.mean_wait * 60).toFixed(2)} min, ${p.simpy!.p_wait.toFixed(4)}; ` +
        `Erlang C ${(p.simpy!.erlang_c_mean_wait * 60).toFixed(2)} min, ${p.simpy!.erlang_c_p_wait.toFixed(4)} (${p.simpy!.engine})`,
    );
  }
  console.log(
    `  peak RSS       leadtime ${med((r) => r.ours.maxRssMB).toFixed(0)} MB at ${fmt(TICKETS)} tickets, ` +
      `${med((r) => r.small.maxRssMB).toFixed(0)} MB at ${fmt(TICKETS / 10)} (whole process, Node included)`,
  );
  const ratios: Ratios | null = missing
    ? null
    : {
        loop: med((r) => r.ratios!.loop),
        run: med((r) => r.ratios!.run),
        whole: med((r) => r.ratios!.whole),
        cli: med((r) => r.ratios!.cli),
      };
  const cpuRatios = missing
    ? null
    : {
        run: med((r) => r.cpuRatios!.run),
        whole: med((r) => r.cpuRatios!.whole),
        cli: med((r) => r.cpuRatios!.cli),
      };
  if (ratios && cpuRatios) {
    console.log(
      `ratio (wall)   event loop ${x(ratios.loop)} SimPy, in-process run ${x(ratios.run)}, ` +
        `whole process ${x(ratios.whole)}, CLI ${x(ratios.cli)}`,
    );
    console.log(
      `ratio (CPU)    in-process run ${x(cpuRatios.run)}, whole process ${x(cpuRatios.whole)}, CLI ${x(cpuRatios.cli)}`,
    );
  } else console.log(`ratio          SimPy skipped: ${missing}`);
  return { rounds: done, ...(missing ? { simpySkipped: missing } : {}), ratios, cpuRatios };
}

const invokedDirectly = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invokedDirectly) {
  const roundsAt = process.argv.indexOf('--rounds');
  await benchSimulation(roundsAt >= 0 ? Number(process.argv[roundsAt + 1]) : 3);
}
