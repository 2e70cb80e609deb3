/**
 * Error classes that carry the process exit code the CLI should use:
 * 1 for failures of the work itself, 2 for bad usage or bad input (the caller can fix it).
 */
export class LeadtimeError extends Error {
  readonly exitCode: number = 1;
}

/** Bad command-line usage: unknown option values, missing arguments. Exit code 2. */
export class UsageError extends LeadtimeError {
  override readonly exitCode = 2;
}

/** Bad input data or config. Exit code 2. The message names the record or field. */
export class InputError extends LeadtimeError {
  override readonly exitCode = 2;
}

/** One problem found while validating a config file or body, located by a JSON pointer-like path. */
export interface FieldProblem {
  /** dotted path to the field, e.g. `pools.engineers.size` (empty for the root) */
  field: string;
  /** what was expected there, in words */
  expected: string;
  /** the offending value, when there is one */
  got?: unknown;
  /** 1-based line in the source file, when known */
  line?: number;
}

/** A config file (or API body) failed validation; lists every problem, each naming its field. */
export class ConfigError extends InputError {
  constructor(
    readonly source: string,
    readonly problems: FieldProblem[],
  ) {
    super(
      `${source}: invalid configuration\n` +
        problems
          .map(
            (p) =>
              `  - ${p.field || '(root)'}${p.line ? ` (line ${p.line})` : ''}: expected ${p.expected}` +
              (p.got === undefined ? '' : `, got ${JSON.stringify(p.got)}`),
          )
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** A file-system error in words, without the absolute paths and stack Node puts in its message. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code ?? (err as Error).message;
  }
}
