/**
 * The working home: one git-ignored directory for everything leadtime generates (stores, reports,
 * model registry). Chosen by `--home`, else `LEADTIME_HOME`, else `./.leadtime`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.LEADTIME_HOME ?? '.leadtime');
}

/** Resolves a path inside the home and creates its directory. */
export function homeDir(home: string, ...parts: string[]): string {
  const dir = resolve(home, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** What a running server says about itself in its home (`<home>/server.json`), for the CLI. */
export interface ServerMarker {
  url: string;
  pid: number;
  startedAt: string;
}

const markerPath = (home: string) => join(home, 'server.json');

export function writeServerMarker(home: string, m: ServerMarker): void {
  writeFileSync(markerPath(homeDir(home)), JSON.stringify(m) + '\n');
}

export function removeServerMarker(home: string): void {
  rmSync(markerPath(home), { force: true });
}

/** The server holding this home, if one says so and its process is alive. */
export function readServerMarker(home: string): ServerMarker | null {
  try {
    const m = JSON.parse(readFileSync(markerPath(home), 'utf8')) as ServerMarker;
    process.kill(m.pid, 0); // throws when no such process
    return m;
  } catch {
    return null;
  }
}
