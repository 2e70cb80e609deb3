/**
 * `leadtime fit arrivals LOG.csv`: fits synthetic demand (hour-of-day x day-of-week Poisson
 * profile, priority and category mixes) to a ticket log and writes it as an arrival source, into a
 * scenario file (`--into`) or on stdout. Unreadable rows are reported with line and reason.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { Document, Node } from 'yaml';
import { InputError, UsageError } from '../../core/errors.ts';
import type { FittedProfile } from '../../simulation/index.ts';
import { action, emit } from '../cli-support.ts';

interface FitOptions {
  format?: string;
  column: Record<string, string>;
  priorityMap: Record<string, string>;
  delimiter?: string;
  into?: string;
  out?: string;
  append?: boolean;
  json?: string | boolean;
}

const COLUMN_KEYS = ['id', 'openedAt', 'priority', 'category', 'skill', 'resolvedAt'];

const pairs =
  (name: string, keys?: string[]) =>
  (value: string, previous: Record<string, string>): Record<string, string> => {
    const at = value.lastIndexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`${name} expects KEY=VALUE, got "${value}"`);
    const [k, v] =
      name === '--column'
        ? [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)]
        : [value.slice(0, at), value.slice(at + 1)];
    if (keys && !keys.includes(k))
      throw new InvalidArgumentError(`${name}: "${k}" is not one of ${keys.join(', ')}`);
    return { ...previous, [k]: v };
  };

/** Lists of numbers (the profile's weights) on one line each. */
async function flowNumbers(node: Node | Document): Promise<void> {
  const { isScalar, visit } = await import('yaml');
  visit(node, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item) && typeof item.value === 'number')) seq.flow = true;
    },
  });
}

/** The arrival source a fitted profile becomes in a scenario. */
export function profileArrival(fit: FittedProfile) {
  return {
    profile: {
      perHour: fit.perHour,
      hourOfDay: fit.hourOfDay,
      dayOfWeek: fit.dayOfWeek,
      mix: fit.mix,
      ...(fit.categories ? { categories: fit.categories } : {}),
    },
  };
}

export function registerFit(program: Command): void {
  const fit = program.command('fit').description('fit simulation inputs to data');
  fit
    .command('arrivals')
    .description(
      'fit an hour-of-day x day-of-week arrival profile to a ticket log and write it into a scenario',
    )
    .argument('<log>', 'ticket log (CSV)')
    .option('--format <format>', 'timestamp format: iso (default) or a pattern like "DD-MM-YYYY HH:mm"')
    .option(
      '--column <field=name>',
      `map a field (${COLUMN_KEYS.join(', ')}) to a column; repeatable`,
      pairs('--column', COLUMN_KEYS),
      {},
    )
    .option(
      '--priority-map <label=P1>',
      'map a priority label to a tier; repeatable',
      pairs('--priority-map'),
      {},
    )
    .option('--delimiter <char>', 'field delimiter (default ,)')
    .option('--into <scenario>', 'write the profile as the arrivals of this scenario (YAML)')
    .option('--out <file>', 'with --into: write the updated scenario here instead of in place')
    .option('--append', 'with --into: add the profile to the existing arrivals instead of replacing them')
    .option('--json [file]', 'write the fitted profile as JSON')
    .addHelpText(
      'after',
      `\nExample:\n  leadtime fit arrivals incidents.csv --format "DD-MM-YYYY HH:mm" --column id=Number --column openedAt=Opened \\\n    --column priority=Priority --priority-map "1 - Critical=P1" --priority-map "2 - High=P2" --into plan.yaml`,
    )
    .action(
      action(async (file: string, opts: FitOptions) => {
        const { Document, parseDocument } = await import('yaml');
        const { fitArrivalProfile, readTicketLog } = await import('../../simulation/index.ts');
        if (opts.out && !opts.into) throw new UsageError('--out needs --into (the scenario to update)');
        const log = readTicketLog(file, {
          columns: opts.column,
          format: opts.format,
          priorities: opts.priorityMap,
          delimiter: opts.delimiter,
          field: 'log',
        });
        for (const r of log.rejected.slice(0, 20))
          process.stderr.write(`leadtime: ${file}:${r.line}: ${r.reason}\n`);
        if (log.rejected.length > 20)
          process.stderr.write(`leadtime: ... and ${log.rejected.length - 20} more rejected rows\n`);
        if (log.tickets.length === 0) throw new InputError(`${file}: no readable ticket to fit`);
        const profile = fitArrivalProfile(log.tickets);
        const summary = `fitted ${profile.tickets} tickets (${log.rows} rows, ${log.duplicates} duplicate rows merged, ${log.rejected.length} rejected) from ${profile.from.slice(0, 10)} to ${profile.to.slice(0, 10)}: ${profile.perHour} per hour on average`;
        if (opts.into) {
          const text = readFileSync(opts.into, 'utf8');
          const doc = parseDocument(text);
          if (doc.errors.length > 0) throw new InputError(`${opts.into}: ${doc.errors[0].message}`);
          const arrival = profileArrival(profile);
          const existing = doc.get('arrivals');
          if (opts.append && existing && typeof existing === 'object' && 'add' in existing)
            (existing as { add: (v: unknown) => void }).add(doc.createNode(arrival));
          else doc.set('arrivals', doc.createNode([arrival]));
          // tiers the log has but the scenario does not define get an entry (no targets yet)
          const added: string[] = [];
          for (const tier of Object.keys(profile.mix)) {
            if (!doc.hasIn(['priorities', tier])) {
              doc.setIn(['priorities', tier], doc.createNode({}));
              added.push(tier);
            }
          }
          if (added.length > 0)
            process.stdout.write(`added ${added.join(', ')} to priorities (no SLA targets yet: set them)\n`);
          await flowNumbers(doc);
          const target = opts.out ?? opts.into;
          writeFileSync(target, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
          process.stdout.write(`${summary}\nwrote the profile into ${target}\n`);
          if (opts.json !== undefined)
            emit(
              opts.json,
              { ...profile, log: { rows: log.rows, duplicates: log.duplicates, rejected: log.rejected } },
              () => '',
            );
          return;
        }
        const out = new Document({ arrivals: [profileArrival(profile)] });
        await flowNumbers(out);
        emit(
          opts.json,
          { ...profile, log: { rows: log.rows, duplicates: log.duplicates, rejected: log.rejected } },
          () => `# ${summary}\n${out.toString({ lineWidth: 0, flowCollectionPadding: false })}`,
        );
      }),
    );
}
