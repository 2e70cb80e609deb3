/**
 * Lines of a text file with their 1-based line numbers, streamed in chunks, with a cap on line
 * length so one runaway line (a missing newline in a multi-gigabyte file) cannot exhaust memory:
 * an over-long line is yielded as `oversize` with its first bytes and its length.
 */
import { createReadStream } from 'node:fs';

export interface TextLine {
  line: number;
  text: string;
  /** byte offset of the line's first byte in the file */
  offset: number;
  /**
   * how the line ended: '\n', '\r\n', or for a last line without a newline '' (or '\r' when it
   * ended in a carriage return); a \r before the end is never in text
   */
  end: '\r\n' | '\n' | '\r' | '';
  /** set when the line was longer than maxBytes; text holds its beginning only */
  oversize?: number;
}

export async function* readLines(file: string, maxBytes = 16 * 1024 * 1024): AsyncGenerator<TextLine> {
  let line = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let oversize = 0;
  // byte offset of the current chunk, and of the line being gathered from parts
  let base = 0,
    lineStart = 0;
  const flush = (newline: boolean): TextLine => {
    line++;
    const buf = Buffer.concat(parts);
    let text = buf.toString('utf8');
    // a UTF-8 byte-order mark (editors on Windows write one) is not part of the first record
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let end: TextLine['end'] = newline ? '\n' : '';
    if (text.endsWith('\r')) {
      text = text.slice(0, -1);
      end = newline ? '\r\n' : '\r';
    }
    const out: TextLine =
      oversize > 0
        ? { line, text, offset: lineStart, end, oversize: oversize + partBytes }
        : { line, text, offset: lineStart, end };
    parts = [];
    partBytes = 0;
    oversize = 0;
    return out;
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl >= 0 && partBytes === 0 && oversize === 0 && nl - start <= maxBytes) {
        // the common case, a whole line inside the chunk: decode it straight from the chunk
        line++;
        const cr = nl > start && chunk[nl - 1] === 13;
        yield {
          line,
          text: chunk.toString('utf8', start, cr ? nl - 1 : nl),
          offset: base + start,
          end: cr ? '\r\n' : '\n',
        };
        start = nl + 1;
        continue;
      }
      if (partBytes === 0 && oversize === 0) lineStart = base + start;
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (partBytes + piece.length > maxBytes) {
        // keep only a prefix of an oversize line; count the rest
        const room = Math.max(0, maxBytes - partBytes);
        if (room > 0) {
          parts.push(Buffer.from(piece.subarray(0, room)));
          partBytes += room;
        }
        oversize += piece.length - room;
      } else if (piece.length > 0) {
        parts.push(Buffer.from(piece));
        partBytes += piece.length;
      }
      if (nl < 0) break;
      yield flush(true);
      start = nl + 1;
    }
    base += chunk.length;
  }
  if (partBytes > 0 || oversize > 0) yield flush(false);
}
