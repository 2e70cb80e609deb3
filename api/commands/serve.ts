/**
 * `leadtime serve`: the HTTP API, the OpenAPI page (/docs) and the dashboard (/), on the home's
 * telemetry store (which the server holds open while it runs).
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { LeadtimeError, UsageError } from '../../core/errors.ts';
import { removeServerMarker, writeServerMarker } from '../../core/home.ts';
import type { App } from '../server/index.ts';
import type { LiveMqttOptions } from '../server/live-mqtt.ts';
import { action, globals } from '../cli-support.ts';

export interface ServeOptions {
  home: string;
  /** shared store URL (postgres://...); default LEADTIME_STORE, else the home's DuckDB files */
  store?: string;
  config?: string;
  port?: number;
  host?: string;
  failures?: string;
  /** design-prior file of the fleet's RUL model (app/fleet-health.ts) */
  designPrior?: string;
  /** ticket webhooks (the dispatcher runs inside the server) */
  webhooks?: string[];
  /** with no token configured, make one up and print it (the demo, a local run) */
  generateToken?: boolean;
  /** the live loop: subscribe to an MQTT broker and ingest into the server's store */
  mqtt?: LiveMqttOptions;
  log?: (line: string) => void;
}

export interface RunningServer extends App {
  url: string;
  token?: string;
  close(): Promise<void>;
}

/** Starts the server and resolves once it listens; `close()` stops it (and closes the store). */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const { buildApp, resolveServerConfig } = await import('../server/index.ts'); // fastify: only when serving
  const log = o.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  const config = resolveServerConfig(o.config, {
    port: o.port,
    host: o.host,
    failures: o.failures,
    designPrior: o.designPrior,
  });
  if (o.webhooks?.length) config.webhooks.urls = [...config.webhooks.urls, ...o.webhooks];
  let token: string | undefined;
  if (config.tokens.length === 0 && o.generateToken) {
    token = randomBytes(18).toString('base64url');
    config.tokens.push(token);
  }
  const built = await buildApp({ home: o.home, config, mqtt: o.mqtt, storeUrl: o.store });
  let address: string;
  try {
    address = await built.app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await built.app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new LeadtimeError(
        `cannot listen on ${config.host}:${config.port} (${code === 'EADDRINUSE' ? 'the port is in use' : code}): choose another with --port N`,
      );
    throw err;
  }
  const url = address.replace('://[::1]', '://localhost');
  log(`leadtime serve: listening on ${url}`);
  log(`  dashboard ${url}/${token ? `#token=${token}` : ''}`);
  log(`  API docs  ${url}/docs`);
  log(`  store     ${built.ctx.store.location}`);
  const prior = built.ctx.health.prior;
  if (prior) log(`  RUL prior ${prior.source}`);
  if (config.webhooks.urls.length)
    log(
      `  tickets   delivered to ${config.webhooks.urls.join(', ')} every ${config.webhooks.intervalSeconds} s`,
    );
  if (o.mqtt)
    log(
      `  live      subscribing to ${o.mqtt.topics.join(', ')} at ${o.mqtt.url}${o.mqtt.share ? ` (shared group ${o.mqtt.share})` : ''}`,
    );
  writeServerMarker(o.home, { url, pid: process.pid, startedAt: new Date().toISOString() });
  if (token) log(`  write token (this run only): ${token}`);
  else if (config.tokens.length === 0)
    log('  no write tokens configured (LEADTIME_TOKENS or --config): writes answer 401');
  return {
    ...built,
    url,
    token,
    close: async () => {
      removeServerMarker(o.home);
      await built.app.close();
    },
  };
}

const portOption = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`--port expects an integer in [0, 65535], got "${v}"`);
  return n;
};

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (/v1), its OpenAPI page (/docs) and the dashboard (/)')
    .option('-p, --port <n>', 'port (default 8080; 0 picks a free one)', portOption)
    .option(
      '--host [address]',
      'address to listen on (default 127.0.0.1; --host alone: 0.0.0.0, every interface)',
    )
    .option(
      '-c, --config <file>',
      'server config (YAML/JSON): port, host, tokens, readsOpen, bodyLimit, rateLimit, failures, designPrior',
    )
    .option(
      '--failures <csv>',
      'asset,failureT of assets that ran to failure (RUL library), e.g. a fleet truth.csv',
    )
    .option(
      '--design-prior <json>',
      "the RUL model starts from this design prior (the same bearing type's failures elsewhere; leadtime demo writes one beside its fleet)",
    )
    .option('--webhook <url...>', 'deliver ticket events to these URLs (the dispatcher runs in the server)')
    .option('--generate-token', 'when no token is configured, make one for this run and print it')
    .option(
      '--mqtt <url>',
      'the live loop: subscribe to this broker (QoS 1, persistent session) and ingest into the store',
    )
    .option('--topic <filter...>', "with --mqtt: topic filter(s), e.g. 'plant/+/+/telemetry'")
    .option(
      '--share <group>',
      'with --mqtt: an MQTT 5 shared subscription ($share/GROUP/topic), so several servers split one stream',
    )
    .option('--client-id <id>', 'with --mqtt: the persistent session identity (default leadtime-serve)')
    .action(
      action(
        async (
          o: {
            webhook?: string[];
            port?: number;
            host?: string | boolean;
            config?: string;
            failures?: string;
            designPrior?: string;
            generateToken?: boolean;
            mqtt?: string;
            topic?: string[];
            share?: string;
            clientId?: string;
          },
          cmd: Command,
        ) => {
          const g = globals(cmd);
          if (!o.mqtt && (o.topic || o.share || o.clientId))
            throw new UsageError('--topic, --share and --client-id need --mqtt URL');
          if (o.mqtt && !o.topic?.length)
            throw new UsageError("--mqtt needs --topic (e.g. 'plant/+/+/telemetry')");
          const server = await startServer({
            home: g.home,
            store: g.store,
            config: o.config,
            port: o.port,
            host: o.host === true ? '0.0.0.0' : o.host || undefined,
            failures: o.failures,
            designPrior: o.designPrior,
            generateToken: o.generateToken,
            webhooks: o.webhook,
            ...(o.mqtt && { mqtt: { url: o.mqtt, topics: o.topic!, share: o.share, clientId: o.clientId } }),
          });
          await new Promise<void>((resolveStop) => {
            const stop = () => {
              process.stdout.write('leadtime serve: stopping\n');
              server.close().then(resolveStop, resolveStop);
            };
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        },
      ),
    );
}
