/**
 * The ticket log: the contract between the ticket stage (which exports it) and the simulator (which
 * replays it). One CSV row per ticket, times ISO 8601, priorities P1..P4; `resolvedAt` empty while
 * unresolved. Any other export (ServiceNow, Jira, Zendesk) is replayed through a column mapping onto
 * these names.
 */
export const TICKET_LOG_COLUMNS = {
  id: 'id',
  openedAt: 'openedAt',
  priority: 'priority',
  category: 'category',
  skill: 'skill',
  asset: 'asset',
  faultMode: 'faultMode',
  resolvedAt: 'resolvedAt',
} as const;

/** The columns `leadtime tickets export` writes, in order. */
export const EXPORTED_TICKET_LOG_COLUMNS = [
  TICKET_LOG_COLUMNS.id,
  TICKET_LOG_COLUMNS.openedAt,
  TICKET_LOG_COLUMNS.priority,
  TICKET_LOG_COLUMNS.category,
  TICKET_LOG_COLUMNS.asset,
  TICKET_LOG_COLUMNS.faultMode,
  TICKET_LOG_COLUMNS.resolvedAt,
] as const;
