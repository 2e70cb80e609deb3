/**
 * `webhook`: leadtime's own signed JSON, as before connectors: the event body as written in the
 * outbox, `Idempotency-Key: <ticket id>:<version>`, `X-Leadtime-Signature: sha256=<hex HMAC>`
 * (with a secret), `X-Leadtime-Event`, `X-Leadtime-Delivery-Attempt`. The receiver de-duplicates.
 */
import { sign } from '../delivery/signature.ts';
import type { ConnectorConfig, Connector } from './connector.ts';
import { failure, guarded, httpCall, safeUrl } from './http.ts';

export function webhookConnector(c: ConnectorConfig, env: NodeJS.ProcessEnv = process.env): Connector {
  const secret = c.secret ?? env.LEADTIME_WEBHOOK_SECRET;
  return {
    name: 'webhook',
    url: c.url,
    deliver: (ev, ctx) =>
      guarded(
        async () => {
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            'idempotency-key': ev.idempotencyKey,
            'x-leadtime-event': ev.kind,
            'x-leadtime-delivery-attempt': String(ctx.attempt),
          };
          if (secret) headers['x-leadtime-signature'] = sign(ev.body, secret);
          const a = await httpCall('POST', c.url, { headers, body: ev.body, timeoutMs: ctx.timeoutMs });
          return a.status >= 200 && a.status < 300
            ? { ok: true, status: a.status }
            : failure(a, safeUrl(c.url));
        },
        secret ? [secret] : [],
      ),
  };
}
