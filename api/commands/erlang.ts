/**
 * `leadtime erlang c|a`: instant analytic staffing. Erlang C (M/M/c) finds the fewest agents that
 * answer `--target` of calls within `--within`; Erlang A (M/M/c+M) does the same with callers who
 * hang up after an exponential patience of mean `--patience`, and adds P(abandon). `--agents N`
 * evaluates N agents instead of searching. Exact birth-death computation (simulation/erlang-a.ts).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { parseDuration } from '../../core/duration.ts';
import { UsageError } from '../../core/errors.ts';
import type { ErlangAnswer, ErlangQuery } from '../../simulation/index.ts';
import { action, emit, intOption } from '../cli-support.ts';

interface ErlangOptions {
  calls: number;
  interval: number;
  aht: number;
  target?: number;
  within: number;
  patience?: number;
  agents?: number;
  shrinkage?: number;
  maxOccupancy?: number;
  json?: string | boolean;
}

/** A duration option in minutes (a bare number is minutes), with an error naming the option. */
const durationOption = (name: string) => (value: string) => {
  try {
    return parseDuration(value, name, 'm') / 60_000;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

const positiveNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!(n > 0 && Number.isFinite(n)))
    throw new InvalidArgumentError(`${name} expects a number > 0, got "${value}"`);
  return n;
};

const share = (value: string) => {
  const n = Number(value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : value);
  if (!(n > 0 && n < 1))
    throw new InvalidArgumentError(
      `--target expects a share between 0 and 1 (or a percentage), got "${value}"`,
    );
  return n;
};

/** A share in [0, 1) for --shrinkage, or (0, 1] for --max-occupancy; 30% is accepted. */
const shareOption = (name: string, zeroOk: boolean, oneOk: boolean) => (value: string) => {
  const n = Number(value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : value);
  if (!((zeroOk ? n >= 0 : n > 0) && (oneOk ? n <= 1 : n < 1)))
    throw new InvalidArgumentError(
      `${name} expects a share ${zeroOk ? '>= 0' : '> 0'} and ${oneOk ? '<= 1' : '< 1'} (or a percentage), got "${value}"`,
    );
  return n;
};

/**
 * The JSON contract: agents (on duty), scheduled (= ceil(agents / (1 - shrinkage))), pWait,
 * serviceLevel, asa (seconds), occupancy, pAbandon (Erlang A).
 */
export function erlangJson(a: ErlangAnswer) {
  return {
    model: a.model,
    traffic: a.traffic,
    agents: a.agents,
    scheduled: a.scheduled,
    shrinkage: a.shrinkage,
    pWait: a.pWait,
    serviceLevel: a.serviceLevel,
    asa: a.asa * 60,
    occupancy: a.occupancy,
    ...(a.pAbandon === undefined
      ? {}
      : { pAbandon: a.pAbandon, serviceLevelAnswered: a.serviceLevelAnswered }),
    meetsTarget: a.meetsTarget,
  };
}

function describe(a: ErlangAnswer, q: ErlangQuery): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `${a.model === 'erlang-c' ? 'Erlang C' : 'Erlang A'}: ${q.calls} calls per ${q.interval} min, AHT ${q.aht} min = ${a.traffic.toFixed(2)} Erlangs` +
      (q.patience === undefined ? '' : `, mean patience ${q.patience} min`),
    `  agents        ${a.agents}${q.agents === undefined ? ` (fewest with ${[q.target === undefined ? '' : `${pct(q.target)} answered within ${(q.within * 60).toFixed(0)} s`, q.maxOccupancy === undefined ? '' : `occupancy <= ${pct(q.maxOccupancy)}`].filter(Boolean).join(' and ')})` : ''}`,
    `  scheduled     ${a.scheduled}${a.shrinkage > 0 ? ` (${pct(a.shrinkage)} shrinkage: ceil(agents / (1 - shrinkage)))` : ''}`,
    `  P(wait)       ${pct(a.pWait)}`,
    `  service level ${pct(a.serviceLevel)} answered within ${(q.within * 60).toFixed(0)} s`,
    `  ASA           ${(a.asa * 60).toFixed(1)} s`,
    `  occupancy     ${pct(a.occupancy)}`,
  ];
  if (a.pAbandon !== undefined) lines.push(`  P(abandon)    ${pct(a.pAbandon)}`);
  return lines.join('\n');
}

export function registerErlang(program: Command): void {
  const erlang = program
    .command('erlang')
    .description('analytic staffing calculators: erlang c (no abandonment), erlang a (with patience)');
  for (const model of ['c', 'a'] as const) {
    const cmd = erlang
      .command(model)
      .description(
        model === 'c'
          ? 'Erlang C (M/M/c): fewest agents meeting a service level, with P(wait), ASA and occupancy'
          : 'Erlang A (M/M/c+M): as Erlang C, with exponential patience, adds P(abandon)',
      )
      .requiredOption('--calls <n>', 'calls offered per interval', positiveNumber('--calls'))
      .option(
        '--interval <duration>',
        'length of the interval (e.g. 30m, 1h)',
        durationOption('--interval'),
        60,
      )
      .requiredOption('--aht <duration>', 'average handling time (e.g. 3m, 180s)', durationOption('--aht'))
      .option('--target <share>', 'service-level target: share answered within --within (0.8 or 80%)', share)
      .option(
        '--within <duration>',
        'service-level answer time (e.g. 20s)',
        durationOption('--within'),
        1 / 3,
      )
      .option('--agents <n>', 'evaluate this many agents instead of searching', intOption('--agents', 1))
      .option(
        '--shrinkage <share>',
        'share of paid time not on duty (breaks, training, absence); scheduled = ceil(agents / (1 - shrinkage))',
        shareOption('--shrinkage', true, false),
      )
      .option(
        '--max-occupancy <share>',
        'raise agents until occupancy (traffic / agents) is at most this share',
        shareOption('--max-occupancy', false, true),
      )
      .option('--json [file]', 'write the result as JSON (to stdout, or to a file)');
    if (model === 'a')
      cmd.requiredOption(
        '--patience <duration>',
        'mean patience before hanging up (e.g. 5m)',
        durationOption('--patience'),
      );
    cmd
      .addHelpText(
        'after',
        `\nExample:\n  leadtime erlang ${model} --calls 100 --interval 30m --aht 3m --target 0.8 --within 20s${model === 'a' ? ' --patience 5m' : ''} --shrinkage 0.3 --max-occupancy 0.85`,
      )
      .action(
        action(async (opts: ErlangOptions) => {
          // the calculator alone (pure arithmetic), not the simulation entry with its schemas: instant
          const { erlangStaffing } = await import('../../simulation/queueing/erlang-calculator.ts');
          if (opts.target === undefined && opts.agents === undefined && opts.maxOccupancy === undefined)
            throw new UsageError(
              'give --target or --max-occupancy (to find the fewest agents) or --agents (to evaluate a number)',
            );
          const q: ErlangQuery = {
            calls: opts.calls,
            interval: opts.interval,
            aht: opts.aht,
            target: opts.target,
            within: opts.within,
            patience: model === 'a' ? opts.patience : undefined,
            agents: opts.agents,
            shrinkage: opts.shrinkage,
            maxOccupancy: opts.maxOccupancy,
          };
          let answer: ErlangAnswer;
          try {
            answer = erlangStaffing(q);
          } catch (err) {
            if (err instanceof RangeError) throw new UsageError(err.message);
            throw err;
          }
          emit(opts.json, erlangJson(answer), () => describe(answer, q));
          if (typeof opts.json === 'string' && opts.json !== '-')
            process.stdout.write(`${describe(answer, q)}\nwrote ${opts.json}\n`);
        }),
      );
  }
}
