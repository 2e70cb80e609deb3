/**
 * Gaps in what a publisher sent: leadtime's own publisher (publisher.ts) numbers its messages
 * 0, 1, 2, ... under an id of its own; the subscriber marks each number it receives, and every
 * number missing between the first and the last one seen is a message the broker acknowledged to
 * the publisher but never delivered (e.g. dropped past Mosquitto's max_queued_messages while the
 * subscriber was away). Losses after the last message received only show once a later one arrives.
 */

/** What arrived from one publisher. `missing` is null for one worker of a shared subscription:
 * the others received the rest, so only the union (combinePublisherGaps) tells. */
export interface PublisherGaps {
  publisher: string;
  /** distinct sequence numbers received */
  received: number;
  /** messages received again (QoS 1 redelivery) */
  duplicates: number;
  first: number;
  last: number;
  missing: number | null;
  /** the first missing ranges, inclusive [from, to] (at most 20) */
  missingRanges: [number, number][];
}

const MAX_RANGES = 20;

/** Sequence numbers seen per publisher, one bit each. */
export class SequenceTracker {
  private readonly seen = new Map<
    string,
    { bits: Uint8Array; received: number; duplicates: number; first: number; last: number }
  >();

  see(publisher: string, seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < 0) return;
    let s = this.seen.get(publisher);
    if (!s) {
      s = { bits: new Uint8Array(1024), received: 0, duplicates: 0, first: seq, last: seq };
      this.seen.set(publisher, s);
    }
    const byte = seq >>> 3;
    if (byte >= s.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, s.bits.length * 2));
      grown.set(s.bits);
      s.bits = grown;
    }
    const mask = 1 << (seq & 7);
    if (s.bits[byte] & mask) {
      s.duplicates++;
      return;
    }
    s.bits[byte] |= mask;
    s.received++;
    if (seq < s.first) s.first = seq;
    if (seq > s.last) s.last = seq;
  }

  /** Per publisher, in the order first heard from; `shared`: this is one worker of a group. */
  report(shared = false): PublisherGaps[] {
    return [...this.seen.entries()].map(([publisher, s]) => {
      const ranges: [number, number][] = [];
      if (!shared) {
        let from = -1;
        for (let q = s.first; q <= s.last + 1; q++) {
          const has = q > s.last || (s.bits[q >>> 3] & (1 << (q & 7))) !== 0;
          if (!has && from < 0) from = q;
          else if (has && from >= 0) {
            if (ranges.length < MAX_RANGES) ranges.push([from, q - 1]);
            from = -1;
          }
        }
      }
      return {
        publisher,
        received: s.received,
        duplicates: s.duplicates,
        first: s.first,
        last: s.last,
        missing: shared ? null : s.last - s.first + 1 - s.received,
        missingRanges: ranges,
      };
    });
  }
}

/**
 * The union of the workers of a shared subscription (each message went to one of them): per
 * publisher, missing = numbers in [first, last] - distinct received by all. Assumes no message was
 * received by two workers, which holds while none is restarted mid-stream.
 */
export function combinePublisherGaps(reports: readonly (readonly PublisherGaps[])[]): PublisherGaps[] {
  const by = new Map<string, PublisherGaps>();
  for (const r of reports)
    for (const p of r) {
      const u = by.get(p.publisher);
      if (!u) by.set(p.publisher, { ...p, missingRanges: [] });
      else {
        u.received += p.received;
        u.duplicates += p.duplicates;
        u.first = Math.min(u.first, p.first);
        u.last = Math.max(u.last, p.last);
      }
    }
  return [...by.values()].map((u) => ({ ...u, missing: u.last - u.first + 1 - u.received }));
}

/** `{"publisher":"<id>","seq":<n>,` at the start of a payload (what publisher.ts writes). */
const STAMP = /^\{"publisher":("(?:[^"\\]|\\.)*"),"seq":(\d+)[,}]/;

export function readStamp(payload: Buffer): { publisher: string; seq: number } | undefined {
  if (payload[0] !== 0x7b) return undefined;
  const m = STAMP.exec(payload.subarray(0, 512).toString('utf8'));
  if (!m) return undefined;
  try {
    return { publisher: JSON.parse(m[1]) as string, seq: Number(m[2]) };
  } catch {
    return undefined;
  }
}

/** The payload with the stamp in front (JSON objects only; anything else is sent as it is). */
export function stampPayload(payload: string | Buffer, publisher: string, seq: number): string | Buffer {
  const head = `{"publisher":${JSON.stringify(publisher)},"seq":${seq}`;
  if (typeof payload === 'string') {
    if (!payload.startsWith('{')) return payload;
    return head + (/^\{\s*\}/.test(payload) ? payload.slice(1) : ',' + payload.slice(1));
  }
  if (payload[0] !== 0x7b) return payload;
  return Buffer.concat([Buffer.from(head + ','), payload.subarray(1)]);
}
