import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../core/index.ts';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['365d', 365 * 86_400_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('reads bare numbers in the given unit', () => {
    expect(parseDuration(2, 'x', 'h')).toBe(7_200_000);
    expect(parseDuration(5)).toBe(5);
  });

  it.each(['', '15', 'm15', '15 minutes', '1h-2m', '-3m'])('rejects %j with the field named', (bad) => {
    expect(() => parseDuration(bad, 'priorities.P1.respond')).toThrow(
      /priorities\.P1\.respond: expected a duration/,
    );
  });

  it('formats compactly', () => {
    expect(formatDuration(900_000)).toBe('15m');
    expect(formatDuration(93_600_000)).toBe('1d 2h');
    expect(formatDuration(2500)).toBe('2.5s');
  });
});
