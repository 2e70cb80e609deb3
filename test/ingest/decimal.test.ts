import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { plainDecimal } from '../../ingest/readers/decimal.ts';

describe('plainDecimal (numbers read in place from a line)', () => {
  it('gives exactly what Number() gives for plain decimals, and declines everything else', () => {
    const s = new RandomStream(11, 'decimal');
    const digits = (n: number): string => Array.from({ length: n }, () => String(s.int(10))).join('');
    let answered = 0;
    for (let k = 0; k < 50_000; k++) {
      const sign = ['', '-', '+'][s.int(3)];
      const int = digits(s.int(12)),
        frac = digits(s.int(12));
      const text = `${sign}${int}${s.uniform() < 0.8 ? '.' : ''}${frac}`;
      // inside a line, as the C-MAPSS reader calls it
      const line = `x ${text} y`;
      const v = plainDecimal(line, 2, 2 + text.length);
      const n = Number(text);
      if (int.length + frac.length === 0 || int.length + frac.length > 15) expect(v).toBeUndefined();
      else {
        expect(Object.is(v, n)).toBe(true);
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(30_000);
    // -0 keeps its sign, as Number('-0.0') does
    expect(Object.is(plainDecimal('-0.0', 0, 4), -0)).toBe(true);
    for (const text of [
      '1e5',
      '0x1A',
      'Infinity',
      'NaN',
      '.',
      '-',
      '',
      '1.2.3',
      '12a',
      ' 1',
      '1_0',
      '1234567890123456',
    ])
      expect(plainDecimal(text, 0, text.length)).toBeUndefined();
  });
});
