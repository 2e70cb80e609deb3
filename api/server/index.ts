/** Public entry of api/server: the fastify app and its config. */
export { buildApp, type App, type AppOptions } from './app.ts';
export { ServerConfig } from './schemas.ts';
export { readFailures, computeFleetHealth, FleetHealth, type KnownFailure } from '../../app/fleet-health.ts';
export { resolveServerConfig } from './config.ts';
