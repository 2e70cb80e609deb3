/**
 * `leadtime tickets open|list|show|status|dispatch|failed|retry|export|labels|backtest`: predictive
 * tickets from evaluations, their delivery to webhooks through the outbox, status coming back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatDuration, parseDuration } from '../../core/duration.ts';
import { InputError, UsageError } from '../../core/errors.ts';
import { codeVersion } from '../../core/version.ts';
import type { Trajectory } from '../../models/index.ts';
import type {
  ApplyResult,
  Ticket,
  TicketEvent,
  TicketPolicy,
  TicketStatus,
  TicketStore,
} from '../../tickets/index.ts';
import { CONNECTOR_NAMES } from '../../tickets/connectors/connector-names.ts';
import { STATUSES } from '../../tickets/ticket.ts';
import { action, emit, globals, intOption, type GlobalOptions } from '../cli-support.ts';
import { localOrServer } from './through-server.ts';
import { fleetIndicators } from './backtest.ts';

type Json = string | boolean | undefined;

async function policyFrom(file?: string): Promise<TicketPolicy> {
  const { loadTicketPolicy, ticketPolicy } = await import('../../tickets/policy/ticket-policy.ts');
  return file ? loadTicketPolicy(file) : ticketPolicy({}, 'defaults');
}

async function withStore<T>(g: GlobalOptions, fn: (s: TicketStore) => Promise<T>): Promise<T> {
  const { openTicketStore } = await import('../../tickets/store/open-ticket-store.ts');
  const store = await openTicketStore(g.home, g.store);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

const line = (t: Ticket): string =>
  `${t.id}  ${t.priority}  ${t.status.padEnd(12)} ${t.asset}/${t.faultMode}  opened ${t.openedAt}  respond by ${t.sla.respondBy}` +
  (t.predictedFailureAt ? `  predicted failure ${t.predictedFailureAt}` : '');

function showTicket(t: Ticket): string {
  return [
    line(t),
    `  SLA: respond by ${t.sla.respondBy}, on site by ${t.sla.onsiteBy ?? 'planned'}, resolve by ${t.sla.resolveBy}`,
    t.rul
      ? `  RUL ${t.rul.estimate} [${t.rul.lower}, ${t.rul.upper}] ${t.rul.timeUnit} = ${t.rul.hours.estimate} h [${t.rul.hours.lower}, ${t.rul.hours.upper}]`
      : '  RUL: none',
    `  model: ${t.model ? `${t.model.name}@${t.model.version}` : '-'}`,
    `  why: ${t.evidence.reasons.join('; ')}`,
    `  indicators: ${t.evidence.indicators.map((i) => `${i.channel} (${+i.contribution.toPrecision(3)})`).join(', ') || '-'}`,
    `  plot: ${t.evidence.links.series}`,
    t.faultConfirmed === null ? '' : `  fault confirmed: ${t.faultConfirmed ? 'yes' : 'no'}`,
    '  history:',
    ...t.history.map(
      (h) =>
        `    ${h.seq}. ${h.at} ${h.kind}${h.from ? ` ${h.from} ->` : ''}${h.to ? ` ${h.to}` : ''}  ${h.note}`,
    ),
  ]
    .filter(Boolean)
    .join('\n');
}

const yesNo = (v: string): boolean => {
  if (/^(yes|y|true)$/i.test(v)) return true;
  if (/^(no|n|false)$/i.test(v)) return false;
  throw new UsageError(`--fault-confirmed expects yes or no, got "${v}"`);
};

interface OpenOptions {
  policy?: string;
  batchSize: number;
  json?: Json;
  logCommits?: boolean;
  timeUnit?: string;
  cycleHours?: string;
  faultMode?: string;
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new UsageError(`${name} expects a number > 0, got "${v}"`);
  return n;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The outcome of applying evaluations: rejections on stderr (exit 2), a line per evaluation that did something. */
function printApplied(results: ApplyResult[], json: Json, reason?: string): void {
  for (const r of results)
    if (r.action === 'rejected') process.stderr.write(`leadtime: rejected ${r.error}\n`);
  if (results.some((r) => r.action === 'rejected')) process.exitCode = 2;
  if (reason) process.stderr.write(`leadtime: ${reason}\n`);
  emit(
    json,
    { results, ...(reason && { reason }) },
    () =>
      results
        .filter((r) => r.action !== 'stale')
        .map(
          (r) =>
            `${r.asset.padEnd(16)} ${r.action.padEnd(9)} ${r.priority ?? '-'}${r.ticketId ? ` ${r.ticketId}` : ''}${r.reasons.length ? `  ${r.reasons.join('; ')}` : ''}${r.error ? `  ${r.error}` : ''}`,
        )
        .join('\n') || `${results.length} evaluations, nothing new`,
  );
}

export function registerTickets(program: Command): void {
  const tickets = program
    .command('tickets')
    .description('predictive tickets: open from predictions, deliver to webhooks, record status');

  tickets
    .command('open')
    .description(
      'apply evaluations (predictions, anomaly scores) through the ticket policy: open, upgrade or note tickets',
    )
    .argument(
      '<file>',
      'evaluations as a JSON array, one object or NDJSON (`leadtime predict --json` output works); - for stdin',
    )
    .option('-p, --policy <file>', 'ticket policy (YAML or JSON); see data/ticket-policy.example.yaml')
    .option('--json [file]', 'print the outcome per evaluation as JSON')
    .option('--log-commits', 'one JSON line per committed evaluation on stderr')
    .option('--batch-size <n>', 'evaluations per transaction', intOption('--batch-size', 1), 200)
    .option('--time-unit <unit>', 'time unit of records that name none: ms (default) or cycle')
    .option('--cycle-hours <h>', 'hours per cycle for cycle records that name none')
    .option('--fault-mode <mode>', 'fault mode of records that name none (else the policy default)')
    .action(
      action(async (file: string, o: OpenOptions, cmd: Command) => {
        if (o.timeUnit !== undefined && o.timeUnit !== 'ms' && o.timeUnit !== 'cycle')
          throw new UsageError(`--time-unit expects ms or cycle, got "${o.timeUnit}"`);
        const { parseEvaluations } = await import('../../tickets/evaluation.ts');
        const cycleHours = positive('--cycle-hours', o.cycleHours);
        const g = globals(cmd);
        const policy = await policyFrom(o.policy);
        const source = file === '-' ? 'stdin' : file;
        let text: string;
        try {
          text = readFileSync(file === '-' ? 0 : file, 'utf8');
        } catch (err) {
          throw new InputError(
            `${source}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          );
        }
        const batch = parseEvaluations(text, source, {
          timeUnit: o.timeUnit as 'ms' | 'cycle' | undefined,
          cycleHours,
          faultMode: o.faultMode,
        });
        const results = await withStore(g, (s) =>
          s.apply(batch.evaluations, policy, {
            positions: batch.positions,
            batchSize: o.batchSize,
            onCommit: o.logCommits
              ? (r) => process.stderr.write(JSON.stringify({ committed: r }) + '\n')
              : undefined,
          }),
        );
        for (const r of batch.rejected)
          process.stderr.write(`leadtime: rejected ${r.position}: ${r.reason}\n`);
        for (const r of results)
          if (r.action === 'rejected') process.stderr.write(`leadtime: rejected ${r.error}\n`);
        const rejected = batch.rejected.length + results.filter((r) => r.action === 'rejected').length;
        if (rejected) process.exitCode = 2;
        const count = (a: string) => results.filter((r) => r.action === a).length;
        emit(o.json, { results, rejected: batch.rejected }, () =>
          [
            ...results
              .filter((r) => r.action === 'open' || r.action === 'upgrade' || r.action === 'improved')
              .map(
                (r) =>
                  `${r.action.padEnd(8)} ${r.ticketId} ${r.priority ?? '-'} ${r.asset}/${r.faultMode}: ${r.reasons.join('; ')}`,
              ),
            `${results.length} evaluations: ${count('open')} opened, ${count('upgrade')} upgraded, ${count('improved')} improved (kept), ${count('pending')} pending hysteresis, ${count('cooldown')} in cool-down, ${count('none')} no change, ${count('stale')} already evaluated (skipped); ${rejected} rejected`,
          ].join('\n'),
        );
      }),
    );

  tickets
    .command('evaluate')
    .description(
      "evaluate stored assets and open tickets through the policy: with --model, a saved model at each asset's latest row (or a C-MAPSS file); without, the fleet assessment the server runs (anomaly at every new row, RUL once --failures names a failed asset or --design-prior gives a prior)",
    )
    .option('--model <ref>', 'NAME or NAME@VERSION (leadtime models list); default: the fleet assessment')
    .option(
      '--failures <csv>',
      "without --model: known failures (asset,failureT[,onsetT]), e.g. a fleet's truth.csv",
    )
    .option(
      '--design-prior <json>',
      'without --model: the RUL model starts from this design prior (leadtime demo writes one beside its fleet), so it predicts before any failure is known',
    )
    .option('--in <file>', 'C-MAPSS file of histories, in cycles (default: the telemetry store)')
    .option('--assets <list>', 'comma-separated assets (default: all)')
    .option('--anomaly-channels <list>', "channels of the anomaly detector (default: the model's channels)")
    .option('--no-anomaly', 'no anomaly score (RUL rules only)')
    .option('--cycle-hours <h>', 'hours per cycle for cycle-based assets (else the policy cycleHours)')
    .option('--fault-mode <mode>', 'fault mode of these evaluations (default: the policy defaultFaultMode)')
    .option('-p, --policy <file>', 'ticket policy (YAML or JSON)')
    .option('--dry-run', 'print the evaluations (JSON) instead of applying them')
    .option('--json [file]', 'print the outcome per evaluation as JSON')
    .action(
      action(
        async (
          o: {
            model?: string;
            failures?: string;
            designPrior?: string;
            in?: string;
            assets?: string;
            anomalyChannels?: string;
            anomaly: boolean;
            cycleHours?: string;
            faultMode?: string;
            policy?: string;
            dryRun?: boolean;
            json?: Json;
          },
          cmd: Command,
        ) => {
          const { evaluationsFor } = await import('../../tickets/index.ts');
          const { openTelemetryStore, withTelemetryStore } = await import('../../ingest/index.ts');
          const { ModelRegistry, readCmapss, trajectoriesFromStore } = await import('../../models/index.ts');
          const { evaluationsOf } = await import('../../app/fleet-assessment.ts');
          const { computeFleetHealth, readDesignPrior, readFailures } =
            await import('../../app/fleet-health.ts');
          const { openFleetTickets } = await import('../../app/fleet-tickets.ts');
          const g = globals(cmd);
          const policy = await policyFrom(o.policy);
          const cycleHours = positive('--cycle-hours', o.cycleHours);
          if (!o.model) {
            if (o.in || o.assets || o.anomalyChannels || o.faultMode || cycleHours !== undefined)
              throw new UsageError(
                '--in, --assets, --anomaly-channels, --fault-mode and --cycle-hours need --model',
              );
            const failures = o.failures ? readFailures(o.failures) : new Map();
            const prior = o.designPrior ? readDesignPrior(o.designPrior) : undefined;
            const outcome = await withTelemetryStore(
              g.home,
              async (store) => {
                const assessment = (await computeFleetHealth(store, failures, prior)).assessment;
                if (o.dryRun) return { dry: evaluationsOf(assessment) };
                return { applied: await withStore(g, (s) => openFleetTickets(assessment, s, policy)) };
              },
              g.store,
            );
            if (outcome.dry) return emit(o.json ?? true, outcome.dry, () => '');
            return printApplied(outcome.applied!.results, o.json, outcome.applied!.reason);
          }
          if (o.designPrior)
            throw new UsageError('--design-prior is for the fleet assessment (without --model)');
          const { model, manifest } = ModelRegistry.inHome(g.home).load(o.model);
          const wanted = o.assets?.split(',').map((a) => a.trim());
          const channels = [...manifest.features.settings, ...manifest.features.channels];
          let histories: Trajectory[];
          let unitOf: (asset: string) => 'ms' | 'cycle';
          if (o.in) {
            histories = (await readCmapss(o.in, false)).trajectories.filter(
              (t) => !wanted || wanted.includes(t.asset),
            );
            unitOf = () => 'cycle';
          } else {
            const store = await openTelemetryStore(g.home, g.store);
            try {
              histories = await trajectoriesFromStore(store, channels, wanted);
              const units = new Map((await store.assets()).map((a) => [a.asset, a.timeUnit]));
              unitOf = (a) => (units.get(a) === 'cycle' ? 'cycle' : 'ms');
            } finally {
              store.close();
            }
          }
          if (histories.length === 0)
            throw new InputError(
              `no assets with the channels ${manifest.name}@${manifest.version} needs (${channels.join(', ')})`,
            );
          const evaluations = evaluationsFor(histories, (h) => model.predict(h), {
            modelRef: `${manifest.name}@${manifest.version}`,
            anomalyChannels: o.anomaly
              ? (o.anomalyChannels?.split(',').map((c) => c.trim()) ?? manifest.features.channels)
              : [],
            timeUnit: unitOf,
            cycleHours,
            faultMode: o.faultMode,
            at: Date.now(),
          });
          if (o.dryRun) {
            emit(o.json ?? true, evaluations, () => '');
            return;
          }
          const results = await withStore(g, (s) =>
            s.apply(evaluations, policy, { positions: evaluations.map((e) => `asset ${e.asset}`) }),
          );
          printApplied(results, o.json);
        },
      ),
    );

  tickets
    .command('list')
    .description('list tickets')
    .option('--status <status>', `only this status (${STATUSES.join(', ')}, or active)`)
    .option('--asset <asset>', 'only this asset')
    .option('--json [file]', 'print a JSON array of tickets')
    .action(
      action(async (o: { status?: string; asset?: string; json?: Json }, cmd: Command) => {
        if (o.status && o.status !== 'active' && !STATUSES.includes(o.status as TicketStatus))
          throw new UsageError(`--status expects one of ${STATUSES.join(', ')}, active; got "${o.status}"`);
        const filter = { status: o.status as TicketStatus | 'active' | undefined, asset: o.asset };
        const g = globals(cmd);
        const list = await localOrServer(
          g.home,
          () => withStore(g, (s) => s.list(filter)),
          async (get) => {
            const all: Ticket[] = [];
            for (let since = ''; ;) {
              const page = await get<{ tickets: Ticket[]; next: string | null; more: boolean }>(
                `/v1/tickets?limit=1000${since ? `&since=${since}` : ''}`,
              );
              all.push(...page.tickets);
              if (!page.more || !page.next) break;
              since = page.next;
            }
            return all.filter(
              (t) =>
                (!filter.asset || t.asset === filter.asset) &&
                (!filter.status ||
                  (filter.status === 'active'
                    ? t.status !== 'resolved' && t.status !== 'closed'
                    : t.status === filter.status)),
            );
          },
        );
        emit(o.json, list, () => (list.length ? list.map(line).join('\n') : 'no tickets'));
      }),
    );

  tickets
    .command('show')
    .description('one ticket with its SLA, evidence and history')
    .argument('<id>')
    .option('--json [file]', 'print the ticket as JSON')
    .action(
      action(async (id: string, o: { json?: Json }, cmd: Command) => {
        const g = globals(cmd);
        const t = await localOrServer(
          g.home,
          () => withStore(g, (s) => s.get(id)),
          (get) => get<Ticket>(`/v1/tickets/${encodeURIComponent(id)}`),
        );
        if (!t) throw new InputError(`ticket ${id}: no such ticket`);
        emit(o.json, t, () => showTicket(t));
      }),
    );

  tickets
    .command('status')
    .description('record a status reported by the ticketing system')
    .argument('<id>')
    .requiredOption('--set <status>', `new status: ${STATUSES.filter((s) => s !== 'open').join(', ')}`)
    .option('--fault-confirmed <yes|no>', 'with resolved: did the technician find the predicted fault')
    .option('--note <text>', 'free text kept in the history')
    .option('--at <time>', 'when it happened (ISO time; default now)')
    .option('--json [file]', 'print the ticket as JSON')
    .action(
      action(
        async (
          id: string,
          o: { set: string; faultConfirmed?: string; note?: string; at?: string; json?: Json },
          cmd: Command,
        ) => {
          if (!STATUSES.includes(o.set as TicketStatus))
            throw new UsageError(`--set expects one of ${STATUSES.join(', ')}, got "${o.set}"`);
          const at = o.at === undefined ? undefined : Date.parse(o.at);
          if (at !== undefined && Number.isNaN(at))
            throw new UsageError(`--at expects an ISO time, got "${o.at}"`);
          const t = await withStore(globals(cmd), (s) =>
            s.setStatus(id, {
              status: o.set as TicketStatus,
              faultConfirmed: o.faultConfirmed === undefined ? undefined : yesNo(o.faultConfirmed),
              note: o.note,
              at,
            }),
          );
          emit(o.json, t, () => line(t));
        },
      ),
    );

  tickets
    .command('dispatch')
    .description(
      'deliver pending ticket events through a connector (webhook, pagerduty, servicenow-em, servicenow-incident, jira-sm, zendesk) with retries',
    )
    .requiredOption(
      '--url <url>',
      "the full endpoint URL (repeat for several); see each connector's default in tickets/README.md",
      collect,
    )
    .option('--connector <name>', `how to speak to the URLs: ${CONNECTOR_NAMES.join(', ')}`, 'webhook')
    .option(
      '--connector-config <file>',
      'YAML/JSON connector options (credentials, serviceDeskId, requestTypeId, transitions, priorities, keyPrefix, linkBase)',
    )
    .option(
      '--routing-key <key>',
      'pagerduty: routing key for trials (prefer LEADTIME_PAGERDUTY_ROUTING_KEY)',
    )
    .option(
      '--secret <secret>',
      'webhook: shared secret for X-Leadtime-Signature (env LEADTIME_WEBHOOK_SECRET)',
    )
    .option('--until-empty', 'keep retrying until every event is delivered or dead-lettered')
    .option('--timeout <duration>', 'per-request timeout', '10s')
    .option('--base-delay <duration>', 'first retry delay (doubles each retry, with jitter)', '1s')
    .option('--max-delay <duration>', 'cap of the retry delay', '5m')
    .option('--max-age <duration>', 'dead-letter an event undelivered this long after it was written', '24h')
    .option(
      '--lease <duration>',
      'how long a claimed event is held from other dispatchers on a shared store (default 2 x timeout x URLs, at least 60s)',
    )
    .option('--concurrency <n>', 'requests in flight at once', intOption('--concurrency', 1), 8)
    .option('--log-attempts', 'one JSON line per attempt on stderr')
    .option('--json [file]', 'print the summary as JSON')
    .action(
      action(
        async (
          o: {
            url: string[];
            connector: string;
            connectorConfig?: string;
            routingKey?: string;
            secret?: string;
            untilEmpty?: boolean;
            timeout: string;
            baseDelay: string;
            maxDelay: string;
            maxAge: string;
            lease?: string;
            concurrency: number;
            logAttempts?: boolean;
            json?: Json;
          },
          cmd: Command,
        ) => {
          const { loadConfigFile } = await import('../../core/index.ts');
          // the connectors and the dispatcher only: the tickets/ barrel also loads the models
          const { ConnectorConfig, createConnector, isConnectorName } =
            await import('../../tickets/connectors/index.ts');
          const { dispatch } = await import('../../tickets/delivery/dispatcher.ts');
          const { Type } = await import('@sinclair/typebox');
          // a --connector-config file: the connector options; connector and url come from the flags
          const DispatchConnectorFile = Type.Omit(ConnectorConfig, ['connector', 'url']);
          for (const u of o.url) {
            let ok = false;
            try {
              ok = ['http:', 'https:'].includes(new URL(u).protocol);
            } catch {
              ok = false;
            }
            if (!ok) throw new UsageError(`--url expects an http(s) URL, got "${u}"`);
          }
          if (!isConnectorName(o.connector))
            throw new UsageError(
              `--connector: expected one of ${CONNECTOR_NAMES.join(', ')}, got "${o.connector}"`,
            );
          const options = o.connectorConfig
            ? (loadConfigFile(o.connectorConfig, DispatchConnectorFile) as Record<string, unknown>)
            : {};
          // built before the store opens: a missing credential fails fast, naming its variable
          const destinations = o.url.map((url) =>
            createConnector(
              {
                ...options,
                connector: o.connector,
                url,
                ...(o.routingKey ? { routingKey: o.routingKey } : {}),
                ...(o.secret ? { secret: o.secret } : {}),
              },
              o.connectorConfig
                ? `${o.connectorConfig} (with --connector, --url)`
                : `--connector ${o.connector}`,
            ),
          );
          const g = globals(cmd);
          const { summary, dead } = await withStore(g, async (s) => {
            const summary = await dispatch(s, {
              destinations,
              untilEmpty: Boolean(o.untilEmpty),
              timeoutMs: parseDuration(o.timeout, '--timeout'),
              baseDelayMs: parseDuration(o.baseDelay, '--base-delay'),
              maxDelayMs: parseDuration(o.maxDelay, '--max-delay'),
              maxAgeMs: parseDuration(o.maxAge, '--max-age'),
              leaseMs: o.lease === undefined ? undefined : parseDuration(o.lease, '--lease'),
              concurrency: o.concurrency,
              onAttempt: o.logAttempts
                ? (a) => process.stderr.write(JSON.stringify({ attempt: a }) + '\n')
                : g.quiet
                  ? undefined
                  : (a) => {
                      if (!a.ok)
                        process.stderr.write(
                          `leadtime: ${a.idempotencyKey} attempt ${a.attempt}: ${a.error}${a.dead ? ' -> dead-lettered' : a.retryAt ? `; retry in ${formatDuration(a.retryAt - Date.now())}` : ''}\n`,
                        );
                    },
            });
            return { summary, dead: (await s.outbox('dead')).length };
          });
          if (dead > 0) process.exitCode = 1;
          emit(
            o.json,
            { ...summary, deadInOutbox: dead },
            () =>
              `delivered ${summary.delivered} events in ${summary.attempts} attempts (${summary.failedAttempts} failed), ${summary.deadLettered} dead-lettered now, ${summary.pending} still pending, ${dead} dead in the outbox` +
              (dead ? ' (leadtime tickets failed; leadtime tickets retry)' : ''),
          );
        },
      ),
    );

  tickets
    .command('events')
    .description(
      'the pull feed: ticket events after a cursor (for systems that pull instead of receiving webhooks)',
    )
    .option('--after <eventId>', 'cursor: the last event id already applied', intOption('--after', 0), 0)
    .option('--limit <n>', 'at most n events', intOption('--limit', 1), 100)
    .option('--json [file]', 'print { events: [{eventId, idempotencyKey, kind, ticket}], next } as JSON')
    .action(
      action(async (o: { after: number; limit: number; json?: Json }, cmd: Command) => {
        const g = globals(cmd);
        const { out, next } = await localOrServer(
          g.home,
          () =>
            withStore(g, async (s) => {
              const { events, next } = await s.feed(o.after, o.limit);
              const out = events.map((e) => ({
                eventId: e.eventId,
                idempotencyKey: e.idempotencyKey,
                kind: e.kind,
                ...(JSON.parse(e.body) as { occurredAt: string; ticket: Ticket }),
              }));
              return { out, next };
            }),
          async (get) => {
            const page = await get<{
              events: {
                cursor: number;
                event: TicketEvent['kind'];
                idempotencyKey: string;
                occurredAt: string;
                ticket: Ticket;
              }[];
              next: number;
            }>(`/v1/tickets/events?since=${o.after}&limit=${o.limit}`);
            const out = page.events.map((e) => ({
              eventId: e.cursor,
              idempotencyKey: e.idempotencyKey,
              kind: e.event,
              event: e.event,
              occurredAt: e.occurredAt,
              ticket: e.ticket,
            }));
            return { out, next: page.next };
          },
        );
        emit(o.json, { events: out, next }, () =>
          out.length
            ? [
                ...out.map(
                  (e) => `#${e.eventId} ${e.idempotencyKey} ${e.kind} ${e.ticket.priority} ${e.ticket.asset}`,
                ),
                `next cursor: --after ${next}`,
              ].join('\n')
            : `no events after ${o.after}`,
        );
      }),
    );

  tickets
    .command('failed')
    .description('list dead-lettered ticket events')
    .option('--json [file]', 'print as JSON')
    .action(
      action(async (o: { json?: Json }, cmd: Command) => {
        const dead = await withStore(globals(cmd), (s) => s.outbox('dead'));
        emit(
          o.json,
          dead.map(({ body: _body, ...rest }) => rest),
          () =>
            dead.length
              ? dead
                  .map(
                    (d) =>
                      `#${d.eventId} ${d.idempotencyKey} ${d.kind} attempts ${d.attempts}: ${d.lastError ?? '-'}`,
                  )
                  .join('\n')
              : 'no dead-lettered events',
        );
      }),
    );

  tickets
    .command('retry')
    .description('requeue dead-lettered events (of the given tickets, or all)')
    .argument('[ids...]', 'ticket ids (default: every dead-lettered event)')
    .option('--event <id>', 'only this outbox event (repeatable)', (v, prev: number[] = []) => [
      ...prev,
      intOption('--event', 1)(v),
    ])
    .action(
      action(async (ids: string[], o: { event?: number[] }, cmd: Command) => {
        const n = await withStore(globals(cmd), (s) => s.retry({ ticketIds: ids, eventIds: o.event }));
        process.stdout.write(`requeued ${n} events\n`);
      }),
    );

  tickets
    .command('export')
    .description(
      'write the ticket log for the simulator: id,openedAt,priority,category,asset,faultMode,resolvedAt',
    )
    .option('--format <format>', 'csv (the only format)', 'csv')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('-p, --policy <file>', 'ticket policy (its category column)')
    .action(
      action(async (o: { format: string; out?: string; policy?: string }, cmd: Command) => {
        if (o.format !== 'csv') throw new UsageError(`--format expects csv, got "${o.format}"`);
        const { ticketLogCsv } = await import('../../tickets/ticket-log-export.ts');
        const list = await withStore(globals(cmd), (s) => s.list());
        const csv = ticketLogCsv(list, (await policyFrom(o.policy)).category);
        if (o.out) writeFileSync(o.out, csv);
        else process.stdout.write(csv);
      }),
    );

  tickets
    .command('labels')
    .description('resolved tickets with "fault confirmed" as labels for model training')
    .option('--json [file]', 'print as JSON')
    .action(
      action(async (o: { json?: Json }, cmd: Command) => {
        const labels = await withStore(globals(cmd), (s) => s.labels());
        emit(o.json, labels, () =>
          labels.length
            ? labels
                .map(
                  (l) =>
                    `${l.ticketId} ${l.asset}/${l.faultMode} ${l.priority} fault confirmed ${l.faultConfirmed ? 'yes' : 'no'}`,
                )
                .join('\n')
            : 'no labels yet (resolve tickets with --fault-confirmed yes|no)',
        );
      }),
    );

  tickets
    .command('backtest')
    .description(
      'open tickets through the policy over a synthetic run-to-failure fleet, walking forward in time',
    )
    .option('-c, --config <file>', 'fleet config (YAML or JSON)')
    .option('-n, --assets <n>', 'number of assets', intOption('--assets', 3), 12)
    .option('-s, --seed <n>', 'random seed', intOption('--seed'), 1)
    .option('-p, --policy <file>', 'ticket policy (YAML or JSON)')
    .option('--lead-time <duration>', 'warning a ticket must give to count', '24h')
    .option('--design-prior', 'start the RUL model from the design fleet (the default)')
    .option(
      '--no-design-prior',
      "fit the RUL model on this fleet's own failures only, without the design fleet (seeds 101-105) it starts from by default",
    )
    .option(
      '--vary <key=values>',
      'sweep one policy field over comma-separated values, e.g. hysteresis=1,2,3 or anomaly.watchRatio=0.3,0.5,0.7',
    )
    .option('--json [file]', 'write the report as JSON')
    .action(
      action(
        async (
          o: {
            config?: string;
            assets: number;
            seed: number;
            policy?: string;
            leadTime: string;
            designPrior?: boolean;
            vary?: string;
            json?: Json;
          },
          cmd: Command,
        ) => {
          const { backtestFleetConfig, ticketBacktestFleet, ticketPolicySweep } =
            await import('../../app/fleet-backtest.ts');
          const { designFleetPrior } = await import('../../models/index.ts');
          const { formatSweep, formatTicketBacktest } = await import('../text/ticket-backtest-text.ts');
          const g = globals(cmd);
          const policy = await policyFrom(o.policy);
          const m = o.vary === undefined ? null : /^([A-Za-z0-9_.]+)=(.+)$/.exec(o.vary);
          if (o.vary !== undefined && !m)
            throw new UsageError(`--vary expects key=v1,v2,... (e.g. hysteresis=1,2,3), got "${o.vary}"`);
          const leadTimeMs = parseDuration(o.leadTime, '--lead-time');
          // the same fleet as `leadtime backtest`
          const config = backtestFleetConfig(o);
          const t0 = performance.now();
          const assets = await fleetIndicators(config, g.quiet);
          // as `leadtime backtest`: the RUL model starts from the design fleet unless told not to
          const prior = o.designPrior === false ? undefined : designFleetPrior(config);
          // what reproduces the run: fleet config (with its seed), design prior, policy, code version
          const run = () => ({
            fleet: config,
            designPrior: prior?.source ?? null,
            policy: policy.config,
            leadTime: o.leadTime,
            codeVersion: codeVersion(),
            seconds: +((performance.now() - t0) / 1000).toFixed(2),
          });
          if (m) {
            const rows = await ticketPolicySweep(assets, {
              policy,
              seed: config.seed,
              leadTimeMs,
              key: m[1],
              values: m[2].split(','),
              prior,
            });
            emit(o.json, { run: run(), vary: m[1], rows }, () => formatSweep(m[1], rows));
            return;
          }
          const report = await ticketBacktestFleet(assets, { policy, seed: config.seed, leadTimeMs, prior });
          const { ticketList: _t, ...summary } = report;
          if (!g.quiet && o.json) process.stderr.write(formatTicketBacktest(report) + '\n');
          emit(o.json, { run: run(), ...summary }, () => formatTicketBacktest(report));
        },
      ),
    );
}
