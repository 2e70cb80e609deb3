/** The connectors by name (apart from connector.ts so the CLI's help needs no schema library). */
export const CONNECTOR_NAMES = [
  'webhook',
  'pagerduty',
  'servicenow-em',
  'servicenow-incident',
  'jira-sm',
  'zendesk',
] as const;
