/**
 * Reads a plain decimal number (`-0.0007`, `518.67`, `392`) straight from a line's characters,
 * without cutting the cell out as a string first. It answers only where the result is provably the
 * one Number() gives: an optional sign, at most 15 digits with an optional point, no exponent. Then
 * the digits form an integer below 2^53 and the divisor is a power of ten up to 10^15, both exact
 * doubles, so the one IEEE division is correctly rounded, as Number() is (ECMA-262 §7.1.4.1.1).
 * Anything else (exponents, more digits, `Infinity`, hex, bad text) returns undefined and the caller
 * falls back to Number() and its checks, so the values and error messages stay the same.
 */
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

export function plainDecimal(text: string, start: number, end: number): number | undefined {
  let i = start;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0,
    digits = 0,
    fraction = -1;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 /* . */ && fraction < 0) fraction = 0;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  const v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
  return negative ? -v : v;
}
