/**
 * What every CLI command shares: global options, JSON vs human output, and turning errors into
 * exit codes (0 ok, 1 failure, 2 bad usage or input).
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
// core's small modules, not its index: every command's --help loads this file
import { describeFsError, LeadtimeError } from '../core/errors.ts';
import { resolveHome } from '../core/home.ts';

export interface GlobalOptions {
  home: string;
  quiet: boolean;
  /** the shared store URL (`--store`, else LEADTIME_STORE); undefined: the DuckDB files under the home */
  store: string | undefined;
}

/** Global options (`--home`, `--quiet`, `--store`) as seen from inside any subcommand. */
export function globals(cmd: Command): GlobalOptions {
  const opts = cmd.optsWithGlobals<{ home?: string; quiet?: boolean; store?: string }>();
  return {
    home: resolveHome(opts.home),
    quiet: Boolean(opts.quiet),
    store: opts.store || process.env.LEADTIME_STORE || undefined,
  };
}

/**
 * Writes a command's result: with `--json` (no file or `-`) as JSON on stdout; `--json FILE` to the
 * file; otherwise the human text.
 */
export function emit(json: string | boolean | undefined, result: unknown, human: () => string): void {
  if (json === undefined || json === false) {
    process.stdout.write(human().replace(/\n?$/, '\n'));
    return;
  }
  const text = JSON.stringify(result, null, 2) + '\n';
  if (json === true || json === '-') process.stdout.write(text);
  else writeFileSync(json, text);
}

/** Wraps a command action so that errors print one clear message and set the exit code. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}

/** File-system error codes that mean the path the user gave is wrong: input errors, exit 2. */
const PATH_ERRORS = new Set(['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG']);

export function reportError(err: unknown): number {
  if (err instanceof LeadtimeError) {
    process.stderr.write(`leadtime: ${err.message}\n`);
    return err.exitCode;
  }
  // a missing file or a directory where a file was expected, from wherever the command opened it
  const fsErr = err as NodeJS.ErrnoException;
  if (fsErr?.code && PATH_ERRORS.has(fsErr.code) && typeof fsErr.path === 'string') {
    process.stderr.write(`leadtime: ${fsErr.path}: ${describeFsError(fsErr)}\n`);
    return 2;
  }
  process.stderr.write(`leadtime: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** Parses an integer option, with an error naming the option (commander passes strings). */
export function intOption(name: string, min = -Infinity): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(
        `${name} expects an integer${min > -Infinity ? ` >= ${min}` : ''}, got "${value}"`,
      );
    }
    return n;
  };
}
