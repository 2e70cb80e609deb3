/**
 * The server's config: a YAML/JSON file validated against `ServerConfig` (errors name the field
 * and line), then `LEADTIME_TOKENS` (comma-separated) added to its tokens, then command-line
 * overrides.
 */
import { loadConfigFile, validate } from '../../core/index.ts';
import { ServerConfig } from './schemas.ts';

export function resolveServerConfig(
  file: string | undefined,
  overrides: Partial<ServerConfig> = {},
  env: NodeJS.ProcessEnv = process.env,
): ServerConfig {
  const base: Record<string, unknown> = file ? { ...loadConfigFile(file, ServerConfig) } : {};
  const envTokens = (env.LEADTIME_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const merged = {
    ...base,
    ...defined,
    tokens: [...((base.tokens as string[] | undefined) ?? []), ...envTokens, ...(overrides.tokens ?? [])],
  };
  return validate(
    ServerConfig,
    merged,
    file ? `${file} (with LEADTIME_TOKENS and options)` : 'server options',
  );
}
