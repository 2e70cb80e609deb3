/**
 * Durations as people write them in config files: `500ms`, `30s`, `15m`, `2h`, `1d`, `1w`,
 * decimals (`1.5h`) and compounds (`1h30m`). Internally every duration is milliseconds.
 */
import { InputError } from './errors.ts';

export const MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export type DurationUnit = keyof typeof MS;

const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d|w)/gy;

/**
 * Parses a duration into milliseconds. A bare number is read in `numberUnit` (default: ms).
 * Throws an InputError naming `field` when the text is not a duration.
 */
export function parseDuration(value: unknown, field = 'duration', numberUnit: DurationUnit = 'ms'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new InputError(`${field}: expected a duration >= 0, got ${value}`);
    return value * MS[numberUnit];
  }
  if (typeof value !== 'string') {
    throw new InputError(
      `${field}: expected a duration like "30s", "15m", "2h" or "1d", got ${JSON.stringify(value)}`,
    );
  }
  const text = value.trim();
  let total = 0;
  let pos = 0;
  PART.lastIndex = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) break;
    total += Number(m[1]) * MS[m[2] as DurationUnit];
    pos = PART.lastIndex;
    while (text[pos] === ' ') pos++;
  }
  if (text.length === 0 || pos !== text.length) {
    throw new InputError(
      `${field}: expected a duration like "30s", "15m", "2h" or "1d", got ${JSON.stringify(value)}`,
    );
  }
  return total;
}

/** Formats milliseconds compactly (`1d 2h`, `15m`, `2.5s`), for messages and reports. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, sec] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / sec);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * sec;
  }
  return parts.slice(0, 2).join(' ');
}
