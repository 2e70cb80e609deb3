/**
 * Nesting depth of a JSON text, found by one scan of its brackets (outside strings) before any
 * parsing, so a 100,000-deep body is refused in linear time instead of overflowing a recursive
 * walk later (JSON.stringify, schema validation).
 */

/** The deepest nesting of arrays/objects in `text`, stopping early once it exceeds `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
