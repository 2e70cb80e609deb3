/**
 * Leadtime priority -> each vendor's severity / urgency, in one table. The defaults follow each
 * vendor's own scale: PagerDuty Events API v2 `payload.severity` (critical, error, warning, info);
 * ServiceNow Event Management severity (1 Critical, 2 Major, 3 Minor, 4 Warning, 5 Info; 0 is
 * Clear); ServiceNow incident urgency and impact (1 High, 2 Medium, 3 Low; the instance's priority
 * lookup rules turn them into the incident priority); the Jira priority name; Zendesk ticket
 * priority (urgent, high, normal, low). A connector's `priorities` config overrides any cell.
 */
import { Type, type Static } from '@sinclair/typebox';
import { PRIORITIES, type Priority } from '../../core/index.ts';

const Cell = Type.Object(
  {
    pagerduty: Type.Optional(
      Type.Union([
        Type.Literal('critical'),
        Type.Literal('error'),
        Type.Literal('warning'),
        Type.Literal('info'),
      ]),
    ),
    servicenowEm: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    urgency: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    impact: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    jira: Type.Optional(Type.String({ minLength: 1 })),
    zendesk: Type.Optional(
      Type.Union([Type.Literal('urgent'), Type.Literal('high'), Type.Literal('normal'), Type.Literal('low')]),
    ),
  },
  { additionalProperties: false },
);

export const PriorityOverride = Type.Object(
  { P1: Type.Optional(Cell), P2: Type.Optional(Cell), P3: Type.Optional(Cell), P4: Type.Optional(Cell) },
  {
    additionalProperties: false,
    description: 'per leadtime priority, the vendor values to use instead of the defaults',
  },
);
export type PriorityOverride = Static<typeof PriorityOverride>;

export interface VendorPriority {
  pagerduty: 'critical' | 'error' | 'warning' | 'info';
  servicenowEm: number;
  urgency: number;
  impact: number;
  jira: string;
  zendesk: 'urgent' | 'high' | 'normal' | 'low';
}

export const DEFAULT_PRIORITY_MAP: Readonly<Record<Priority, VendorPriority>> = {
  P1: { pagerduty: 'critical', servicenowEm: 1, urgency: 1, impact: 1, jira: 'Highest', zendesk: 'urgent' },
  P2: { pagerduty: 'error', servicenowEm: 2, urgency: 1, impact: 2, jira: 'High', zendesk: 'high' },
  P3: { pagerduty: 'warning', servicenowEm: 3, urgency: 2, impact: 2, jira: 'Medium', zendesk: 'normal' },
  P4: { pagerduty: 'info', servicenowEm: 4, urgency: 3, impact: 3, jira: 'Low', zendesk: 'low' },
};

/** The defaults with the override's cells laid over them. */
export function priorityMap(override: PriorityOverride = {}): Record<Priority, VendorPriority> {
  return Object.fromEntries(
    PRIORITIES.map((p) => [p, { ...DEFAULT_PRIORITY_MAP[p], ...(override[p] ?? {}) }]),
  ) as Record<Priority, VendorPriority>;
}
