/**
 * What a connector is: the send step for one destination (map an outbox event onto the vendor's
 * documented payload, deduplicate with the vendor's own key derived from the stable ticket id,
 * and say how it went), and optionally how the vendor's status reports come back. Retries,
 * backoff and dead letters stay in the dispatcher; a connector makes one attempt per call.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { OutboxRecord } from '../store/ticket-store.ts';
import type { Ticket, TicketEventKind, TicketStatus } from '../ticket.ts';
import type { DeliveryOutcome } from './http.ts';
import { PriorityOverride } from './priority-map.ts';
import { CONNECTOR_NAMES } from './connector-names.ts';

export { CONNECTOR_NAMES };
export type ConnectorName = (typeof CONNECTOR_NAMES)[number];

/** One destination: a connector, its full endpoint URL and its options (YAML/JSON or server config). */
export const ConnectorConfig = Type.Object(
  {
    connector: Type.Union(
      CONNECTOR_NAMES.map((n) => Type.Literal(n)),
      { description: 'which vendor API to speak' },
    ),
    url: Type.String({
      pattern: '^https?://',
      description: "the full endpoint URL (see each connector's default)",
    }),
    secret: Type.Optional(
      Type.String({ minLength: 1, description: 'webhook: HMAC secret (or LEADTIME_WEBHOOK_SECRET)' }),
    ),
    routingKey: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'pagerduty: the integration (routing) key (or LEADTIME_PAGERDUTY_ROUTING_KEY)',
      }),
    ),
    username: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'servicenow-*: basic-auth user (or LEADTIME_SERVICENOW_USER)',
      }),
    ),
    password: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'servicenow-*: basic-auth password (or LEADTIME_SERVICENOW_PASSWORD)',
      }),
    ),
    email: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'jira-sm / zendesk: the API user (or LEADTIME_JIRA_EMAIL / LEADTIME_ZENDESK_EMAIL)',
      }),
    ),
    apiToken: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'jira-sm / zendesk: the API token (or LEADTIME_JIRA_API_TOKEN / LEADTIME_ZENDESK_API_TOKEN)',
      }),
    ),
    serviceDeskId: Type.Optional(Type.String({ minLength: 1, description: 'jira-sm: the service desk id' })),
    requestTypeId: Type.Optional(Type.String({ minLength: 1, description: 'jira-sm: the request type id' })),
    transitions: Type.Optional(
      Type.Object(
        {
          acknowledged: Type.Optional(Type.String({ minLength: 1 })),
          in_progress: Type.Optional(Type.String({ minLength: 1 })),
          resolved: Type.Optional(Type.String({ minLength: 1 })),
          closed: Type.Optional(Type.String({ minLength: 1 })),
        },
        {
          additionalProperties: false,
          description:
            'jira-sm: the transition name to take for each leadtime status (defaults in the README)',
        },
      ),
    ),
    source: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'pagerduty / servicenow-em: the event source (default "leadtime")',
      }),
    ),
    keyPrefix: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_.-]{1,40}$',
        description: 'prefix of the vendor dedup key, "<prefix>-<ticket id>" (default "leadtime")',
      }),
    ),
    linkBase: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description: "the leadtime server's public URL, to turn chart links into absolute links",
      }),
    ),
    priorities: Type.Optional(PriorityOverride),
  },
  { additionalProperties: false },
);
export type ConnectorConfig = Static<typeof ConnectorConfig>;

/** The event body the outbox holds (fixed when written). */
export interface EventBody {
  event: TicketEventKind;
  idempotencyKey: string;
  occurredAt: string;
  ticket: Ticket;
}

export interface SendContext {
  timeoutMs: number;
  /** 1, 2, ... */
  attempt: number;
}

export interface Connector {
  readonly name: ConnectorName;
  /** the destination's URL as given (the outbox records deliveries per URL) */
  readonly url: string;
  /** one attempt at delivering one outbox event */
  deliver(ev: OutboxRecord, ctx: SendContext): Promise<DeliveryOutcome>;
}

/** A vendor status report mapped onto leadtime: which ticket, which status, and the vendor's event id. */
export interface StatusReport {
  /** the vendor's id of this notification (replay detection) */
  eventId: string;
  /** leadtime's ticket id, from the vendor's dedup key */
  ticketId: string;
  status: Exclude<TicketStatus, 'open'>;
  faultConfirmed?: boolean | null;
  note: string;
}

export const parseEvent = (ev: OutboxRecord): EventBody => JSON.parse(ev.body) as EventBody;

/** `leadtime-LT-000012`: the vendor-side key of a ticket, the same for every event and retry. */
export const vendorKey = (ticketId: string, prefix = 'leadtime'): string => `${prefix}-${ticketId}`;

/** The ticket id back from a vendor key (null when it is not one of ours). */
export function ticketIdFromKey(key: string, prefix = 'leadtime'): string | null {
  const m = new RegExp(`^${prefix.replace(/[.-]/g, '\\$&')}-(LT-\\d+)$`).exec(key.trim());
  return m ? m[1] : null;
}

/** The lifecycle step of an event kind: 'open' for created / upgraded, else the status reached. */
export const lifecycle = (kind: TicketEventKind): TicketStatus =>
  kind === 'ticket.created' || kind === 'ticket.upgraded'
    ? 'open'
    : (kind.slice('ticket.'.length) as TicketStatus);

/** A configured secret, else the environment's; the error names the option and the variable, never a value. */
export function credential(
  value: string | undefined,
  env: NodeJS.ProcessEnv,
  variable: string,
  what: string,
): string {
  const v = value ?? env[variable];
  if (!v) throw new Error(`${what} is not set (set it in the connector config or ${variable})`);
  return v;
}
