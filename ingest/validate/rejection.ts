/**
 * A record-level problem found while reading or validating: thrown by parsers, caught by readers
 * and turned into a rejected record, so one bad record never stops the rest.
 */
export class RecordProblem extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RecordProblem';
  }
}

/** Raw text kept with a rejection: the whole record up to this many characters. */
export const MAX_RAW_CHARS = 64 * 1024;

export function clipRaw(raw: string): string {
  return raw.length <= MAX_RAW_CHARS
    ? raw
    : `${raw.slice(0, MAX_RAW_CHARS)}... [${raw.length - MAX_RAW_CHARS} more characters not kept]`;
}
