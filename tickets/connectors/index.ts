/**
 * The connector registry: name -> how to build it from its config, its vendor's default endpoint,
 * and (for the status-back route) how the vendor authenticates and reports a status.
 */
import { InputError, validate } from '../../core/index.ts';
import { ConnectorConfig, CONNECTOR_NAMES, type Connector, type ConnectorName } from './connector.ts';
import { jiraSmConnector, JIRA_SM_PATH } from './jira-sm.ts';
import { pagerdutyConnector, PAGERDUTY_URL } from './pagerduty.ts';
import { servicenowEmConnector, SERVICENOW_EM_PATH } from './servicenow-em.ts';
import { servicenowIncidentConnector, SERVICENOW_INCIDENT_PATH } from './servicenow-incident.ts';
import { webhookConnector } from './webhook.ts';
import { zendeskConnector, ZENDESK_PATH } from './zendesk.ts';

export * from './connector.ts';
export * from './http.ts';
export * from './priority-map.ts';
export * from './ticket-text.ts';
export * from './webhook.ts';
export * from './pagerduty.ts';
export * from './servicenow-em.ts';
export * from './servicenow-incident.ts';
export * from './jira-sm.ts';
export * from './zendesk.ts';

const FACTORIES: Record<ConnectorName, (c: ConnectorConfig, env: NodeJS.ProcessEnv) => Connector> = {
  webhook: webhookConnector,
  pagerduty: pagerdutyConnector,
  'servicenow-em': servicenowEmConnector,
  'servicenow-incident': servicenowIncidentConnector,
  'jira-sm': jiraSmConnector,
  zendesk: zendeskConnector,
};

/** Each vendor's documented endpoint (placeholders in angle brackets are the customer's). */
export const DEFAULT_ENDPOINTS: Record<ConnectorName, string> = {
  webhook: '(your receiver)',
  pagerduty: PAGERDUTY_URL,
  'servicenow-em': `https://<instance>.service-now.com${SERVICENOW_EM_PATH}`,
  'servicenow-incident': `https://<instance>.service-now.com${SERVICENOW_INCIDENT_PATH}`,
  'jira-sm': `https://<site>.atlassian.net${JIRA_SM_PATH}`,
  zendesk: `https://<subdomain>.zendesk.com${ZENDESK_PATH}`,
};

export const isConnectorName = (s: string): s is ConnectorName =>
  (CONNECTOR_NAMES as readonly string[]).includes(s);

/**
 * A connector for one destination. The config is validated (errors name `source` and the field);
 * a missing credential names the option and its environment variable, never a value.
 */
export function createConnector(
  config: unknown,
  source = 'connector config',
  env: NodeJS.ProcessEnv = process.env,
): Connector {
  const c = validate(ConnectorConfig, config, source);
  try {
    return FACTORIES[c.connector](c, env);
  } catch (err) {
    throw new InputError(`${source}: ${(err as Error).message}`);
  }
}
