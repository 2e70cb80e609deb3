/**
 * `leadtime roster`: the cheapest shift roster covering an hourly requirement over the week, solved
 * as an integer program by HiGHS (simulation/experiments/roster.ts). The requirement comes from a
 * CSV (`day,hour,required`) or from a scenario's demand by Erlang C per hour; `--into` writes the
 * roster as a pool's shifts into a scenario, which is then checked by building its model.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { YAMLMap, YAMLSeq } from 'yaml';
import { parseDuration } from '../../core/duration.ts';
import { InputError, UsageError } from '../../core/errors.ts';
import type { RosterResult, rosterShifts } from '../../simulation/index.ts';
import { action, emit } from '../cli-support.ts';

interface RosterOptions {
  requirements?: string;
  scenario?: string;
  shifts: string;
  pool?: string;
  serviceLevel?: number;
  maxOccupancy?: number;
  timeLimit: number;
  json?: string | boolean;
  into?: string;
  out?: string;
}

const shareOption = (name: string) => (value: string) => {
  const n = Number(value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : value);
  if (!(n > 0 && n <= 1))
    throw new InvalidArgumentError(`${name} expects a share in (0, 1] (or a percentage), got "${value}"`);
  return n;
};

const secondsOption = (value: string) => {
  try {
    const s = parseDuration(value, '--time-limit', 's') / 1000;
    if (!(s > 0)) throw new Error(`--time-limit expects a duration > 0, got "${value}"`);
    return s;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

/** The JSON contract: shifts [{ name, staff, cost, breaks? }], cost, lpBound, coverage [{ day, hour, required, covered }]. */
export function rosterJson(r: RosterResult, source: Record<string, unknown>) {
  return {
    status: r.status,
    cost: r.cost,
    lpBound: r.lpBound,
    shifts: r.shifts,
    surplusHours: r.surplusHours,
    ...source,
    coverage: r.coverage,
  };
}

function describe(r: RosterResult): string {
  const money = (x: number) => x.toFixed(2);
  const lines = [
    `roster: weekly cost ${money(r.cost)} (${r.status}; LP relaxation bound ${money(r.lpBound)})`,
    ...r.shifts.map(
      (s) =>
        `  ${s.name.padEnd(16)} ${String(s.staff).padStart(4)} staff  ${money(s.cost).padStart(10)}` +
        (s.breaks && s.breaks.length > 0
          ? `  breaks ${s.breaks.map((b) => `${b.staff} at ${b.start}`).join(', ')}`
          : ''),
    ),
    `coverage (covered/required per hour; ${r.surplusHours} staff-hours above the requirement):`,
    `      ${Array.from({ length: 24 }, (_, h) => String(h).padStart(6)).join('')}`,
  ];
  for (let d = 0; d < 7; d++) {
    const cells = r.coverage
      .slice(d * 24, d * 24 + 24)
      .map((c) => `${c.covered}/${c.required}`.padStart(6))
      .join('');
    lines.push(`  ${r.coverage[d * 24].day} ${cells}`);
  }
  return lines.join('\n');
}

/** Writes the roster as `pools.<pool>.shifts` (and size 0 outside them) into a scenario file. */
async function writeInto(
  file: string,
  out: string,
  pool: string,
  result: RosterResult,
  shifts: ReturnType<typeof rosterShifts>,
): Promise<void> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) throw new InputError(`${file}: ${doc.errors[0].message}`);
  if (!doc.hasIn(['pools', pool]))
    throw new InputError(`${file}: pools.${pool}: no such pool to write the roster into`);
  // hours the roster leaves uncovered have no requirement: nobody on duty then
  const size = doc.createNode(0);
  size.comment = ' leadtime roster: nobody on duty outside the shifts';
  doc.setIn(['pools', pool, 'size'], size);
  const node = doc.createNode(shifts) as YAMLSeq;
  // one shift per line, as the example scenarios write them
  for (const item of node.items) (item as YAMLMap).flow = true;
  node.commentBefore = ` leadtime roster: weekly cost ${result.cost.toFixed(2)} (${result.status}), pieces around breaks are separate entries`;
  doc.setIn(['pools', pool, 'shifts'], node);
  writeFileSync(out, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
}

export function registerRoster(program: Command): void {
  program
    .command('roster')
    .description(
      'cheapest shift roster covering an hourly requirement (integer program solved by HiGHS), optionally written into a scenario',
    )
    .requiredOption(
      '--shifts <file>',
      'shift templates (YAML): shifts: [{ name, days, from, to, costPerHour, breaks? }]',
    )
    .option('--requirements <file>', 'hourly requirement CSV with columns day,hour,required')
    .option('--scenario <file>', "derive the requirement from this scenario's demand by Erlang C per hour")
    .option('--pool <name>', "with --scenario or --into: the pool to staff (default: the first stage's pool)")
    .option(
      '--service-level <share>',
      "with --scenario: share of tickets to answer within their tier's respond target",
      shareOption('--service-level'),
    )
    .option(
      '--max-occupancy <share>',
      'with --scenario: the highest occupancy allowed',
      shareOption('--max-occupancy'),
    )
    .option('--time-limit <duration>', 'time HiGHS may spend on the integer program', secondsOption, 60)
    .option('--json [file]', 'write the roster as JSON (to stdout, or to a file)')
    .option('--into <scenario>', "write the roster as the pool's shifts into this scenario (YAML)")
    .option('--out <file>', 'with --into: write the updated scenario here instead of in place')
    .addHelpText(
      'after',
      `\nExamples:\n  leadtime roster --requirements data/roster/requirements.csv --shifts data/roster/shifts.yaml\n  leadtime roster --scenario plan.yaml --shifts data/roster/shifts.yaml --into plan.yaml`,
    )
    .action(
      action(async (opts: RosterOptions) => {
        const {
          checkScenario,
          loadScenario,
          readRequirements,
          readShiftTemplates,
          requirementsFromScenario,
          rosterShifts,
          solveRoster,
        } = await import('../../simulation/index.ts');
        if ((opts.requirements === undefined) === (opts.scenario === undefined))
          throw new UsageError('give either --requirements REQ.csv or --scenario S.yaml');
        if (opts.out && !opts.into) throw new UsageError('--out needs --into (the scenario to update)');
        if (
          opts.scenario === undefined &&
          (opts.serviceLevel !== undefined || opts.maxOccupancy !== undefined)
        )
          throw new UsageError(
            '--service-level and --max-occupancy apply to a requirement derived with --scenario',
          );
        const templates = readShiftTemplates(opts.shifts);
        let required: Int32Array;
        let source: Record<string, unknown>;
        let pool = opts.pool;
        if (opts.scenario !== undefined) {
          const loaded = loadScenario(opts.scenario);
          const req = requirementsFromScenario(loaded.scenario, {
            pool: opts.pool,
            serviceLevel: opts.serviceLevel,
            maxOccupancy: opts.maxOccupancy,
            baseDir: loaded.baseDir,
          });
          required = req.required;
          pool = req.pool;
          source = {
            requirement: {
              scenario: opts.scenario,
              pool: req.pool,
              shrinkage: req.shrinkage,
              serviceLevel: opts.serviceLevel ?? 0.8,
              maxOccupancy: opts.maxOccupancy ?? null,
              onDuty: Array.from(req.onDuty),
              perHour: Array.from(req.perHour),
            },
          };
        } else {
          required = readRequirements(opts.requirements!);
          source = { requirement: { file: opts.requirements } };
        }
        const result = await solveRoster(templates, required, { timeLimit: opts.timeLimit });
        if (result.status !== 'optimal')
          process.stderr.write(
            `leadtime: HiGHS stopped (${result.status}) before proving optimality; the roster is feasible, its cost within [${result.lpBound.toFixed(2)}, ${result.cost.toFixed(2)}]\n`,
          );
        emit(opts.json, rosterJson(result, source), () => describe(result));
        if (opts.into) {
          const target = opts.out ?? opts.into;
          if (pool === undefined) pool = loadScenario(opts.into).scenario.flow[0].pool;
          await writeInto(opts.into, target, pool, result, rosterShifts(templates, result));
          // the written scenario must load and build, or the user hears now
          const written = loadScenario(target);
          checkScenario(written.scenario, written.baseDir);
          process.stdout.write(
            `wrote the roster into ${target} (pools.${pool}.shifts, size 0 outside them)\n`,
          );
        } else if (typeof opts.json === 'string' && opts.json !== '-') {
          process.stdout.write(`${describe(result)}\nwrote ${opts.json}\n`);
        }
      }),
    );
}
