/**
 * The working home: one git-ignored directory for everything leadtime generates (stores, reports,
 * model registry). Chosen by `--home`, else `LEADTIME_HOME`, else `./.leadtime`.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.LEADTIME_HOME ?? '.leadtime');
}

/** Resolves a path inside the home and creates its directory. */
export function homeDir(home: string, ...parts: string[]): string {
  const dir = resolve(home, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
