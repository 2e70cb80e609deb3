/**
 * What every notebook shares: the HTML report (api/report/html-report.ts) written under
 * `<home>/notebooks/`, and command-line parsing.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveHome } from '../core/index.ts';

export { num, Report, toSvg, type Cell } from '../api/report/html-report.ts';

/** Command-line options of a notebook: `--home DIR` plus its own `--key value` options. */
export function notebookArgs<
  T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>,
>(argv: string[], options: T): { home: string; values: Record<keyof T, string | boolean | undefined> } {
  const { values } = parseArgs({
    args: argv,
    options: { home: { type: 'string' }, ...options },
    strict: true,
  });
  const v = values as Record<string, string | boolean | undefined>;
  return {
    home: resolveHome(v.home as string | undefined),
    values: v as Record<keyof T, string | boolean | undefined>,
  };
}

/** Runs a notebook's main when its file is the one invoked (`npx tsx notebooks/<name>.ts`). */
export function isMain(url: string): boolean {
  return Boolean(process.argv[1]) && url === pathToFileURL(resolve(process.argv[1])).href;
}
