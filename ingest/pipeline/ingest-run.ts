/**
 * Runs a reader into the store: validates every record, computes condition indicators for
 * waveforms, and commits in batches (by size, and by age for live sources) so that everything a
 * batch holds is either stored, counted as a duplicate, or rejected, in one transaction. Records a
 * reader asks to be settled (MQTT messages) are acknowledged only after their batch has committed:
 * a crash before that leaves them with the broker, to be read again.
 */
import type { TimeUnit } from '../contracts.ts';
import type { ReaderRecord, RowRecord, TelemetryReader } from '../readers/reader.ts';
import { batchItems, emptyBatch, type SampleColumns, type StoreBatch } from '../store/batch.ts';
import type { TelemetryStore } from '../store/telemetry-store.ts';
import { boundsProblem, type ChannelBounds } from '../validate/bounds.ts';
import { RecordProblem } from '../validate/rejection.ts';
import { sampleProblem, valueProblem } from '../validate/sample-checks.ts';
import { timeRangeProblem } from '../validate/storable.ts';
import { WaveformFeaturizer } from './waveform-features.ts';

export interface IngestOptions {
  /** items per batch (default 200,000: fewer, larger transactions cost DuckDB much less per item) */
  batchSize?: number;
  /** commit a non-empty batch at the latest this long after its first record (live sources), ms */
  maxBatchAgeMs?: number;
  bounds?: ChannelBounds;
  /** expected waveform length; other lengths are rejected */
  waveformLength?: number;
  /** what to record as the run's options */
  runOptions?: unknown;
  onCommit?: (progress: IngestProgress) => void;
  /** a live run (maxBatchAgeMs set) writes the reader's report on its run at most this often, ms (default 5,000) */
  reportEveryMs?: number;
  /** stop reading when aborted; what was read is committed */
  signal?: AbortSignal;
}

export interface IngestProgress {
  runId: number;
  records: number;
  items: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

export interface IngestSummary extends IngestProgress {
  source: string;
  format: string;
  timeUnit: TimeUnit;
  status: 'finished' | 'interrupted';
  seconds: number;
}

const keyOf = (asset: string, channel: string, t: number): string => `${asset}\u0000${channel}\u0000${t}`;

export async function ingest(
  reader: TelemetryReader,
  store: TelemetryStore,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const batchSize = options.batchSize ?? 200_000;
  // live sources commit small batches by age: do not allocate a full batch's columns for them
  const capacity = options.maxBatchAgeMs === undefined ? Math.min(batchSize, 1 << 20) : 0;
  const bounds = options.bounds ?? {};
  const featurizer = new WaveformFeaturizer(options.waveformLength);
  const t0 = performance.now();
  const runId = await store.beginRun(reader.source, reader.format, reader.timeUnit, options.runOptions);
  const totals: IngestProgress = { runId, records: 0, items: 0, stored: 0, duplicates: 0, rejected: 0 };
  let batch: StoreBatch = emptyBatch(capacity);
  let settles: (() => void)[] = [];
  let seenWaveforms = new Map<string, string>();
  let batchStarted = 0;
  // the reader's report on the run record: at the end, and while a live source runs (so a process
  // killed mid-stream leaves what it had seen)
  const reportEvery = options.maxBatchAgeMs === undefined ? Infinity : (options.reportEveryMs ?? 5000);
  let reportedAt = performance.now();
  const writeReport = async (): Promise<void> => {
    if (!reader.report) return;
    reportedAt = performance.now();
    await store.reportRun(runId, reader.report());
  };

  const reject = (position: string, raw: string, reason: string, field?: string): void => {
    batch.rejected.push({ source: reader.source, position, raw, reason, field });
  };

  /** Puts a checked sample in the batch, unless it repeats one already there (counted or rejected). */
  const place = (
    rec: ReaderRecord,
    ref: number,
    id: number,
    asset: string,
    channel: string,
    t: number,
    value: number,
  ): void => {
    const cols = batch.samples;
    const prior = cols.indexOf(id, t);
    if (prior < 0) {
      cols.push(id, t, value, ref);
      return;
    }
    const priorValue = cols.value[prior];
    if (priorValue === value) batch.duplicates++;
    else {
      const first = batch.refs[cols.ref[prior]].position;
      reject(
        rec.position,
        rec.raw,
        `conflicting duplicate: ${asset}/${channel} at t=${t} has value ${priorValue} at ${first} of this input and ${value} here; correct one of them`,
        channel,
      );
    }
  };

  /**
   * A wide row: the same checks as sampleProblem per value, with the asset and t checked once for
   * the row and its series ids resolved once per asset (SampleColumns.seriesIds).
   */
  const anyBounds = Object.keys(bounds).length > 0;
  // the last channels array of a row seen, and whether all its names are usable
  let namedChannels: readonly string[] | undefined;
  let channelsNamed = false;
  const addRow = (rec: RowRecord, ref: number): void => {
    const { asset, t, channels, values } = rec;
    for (const p of rec.problems ?? []) reject(rec.position, rec.raw, p.reason, p.field);
    const rowProblem =
      typeof asset !== 'string' || asset === ''
        ? new RecordProblem('missing asset', 'asset')
        : timeRangeProblem(t, reader.timeUnit);
    const ids = rowProblem ? undefined : batch.samples.seriesIds(asset, channels);
    if (channels !== namedChannels) {
      namedChannels = channels;
      channelsNamed = channels.every((c) => typeof c === 'string' && c !== '');
    }
    for (let i = 0; i < channels.length; i++) {
      const value = values[i],
        channel = channels[i];
      // the usual cell, checked as below in fewer steps
      if (
        ids &&
        channelsNamed &&
        Number.isFinite(value) &&
        (!anyBounds || !boundsProblem(channel, value, bounds))
      ) {
        place(rec, ref, ids[i], asset, channel, t, value);
        continue;
      }
      // NaN marks a cell the reader rejected already (in problems); any other NaN is rejected below
      if (Number.isNaN(value) && rec.problems?.some((p) => p.field === channel)) continue;
      const problem =
        rowProblem ??
        (typeof channel !== 'string' || channel === ''
          ? new RecordProblem('missing channel', 'channel')
          : valueProblem(channel, value, bounds));
      if (problem) {
        reject(rec.position, rec.raw, problem.message, problem.field);
        continue;
      }
      place(rec, ref, ids![i], asset, channel, t, value);
    }
  };

  const add = (rec: ReaderRecord): void => {
    batch.records++;
    if (rec.settle) settles.push(rec.settle);
    if (rec.kind === 'rejected') {
      reject(rec.position, rec.raw, rec.reason, rec.field);
      return;
    }
    const ref = batch.refs.length;
    batch.refs.push({ position: rec.position, raw: rec.raw });
    if (rec.kind === 'samples') {
      for (const p of rec.problems ?? []) reject(rec.position, rec.raw, p.reason, p.field);
      for (const s of rec.samples) {
        const problem = sampleProblem(s, reader.timeUnit, bounds);
        if (problem) {
          reject(rec.position, rec.raw, problem.message, problem.field);
          continue;
        }
        place(rec, ref, batch.samples.seriesId(s.asset, s.channel), s.asset, s.channel, s.t, s.value);
      }
      return;
    }
    if (rec.kind === 'row') {
      addRow(rec, ref);
      return;
    }
    const w = rec.waveform;
    try {
      const { values, sha1 } = featurizer.featurize(w);
      const key = keyOf(w.asset, w.channel, w.t);
      const prior = seenWaveforms.get(key);
      if (prior !== undefined) {
        if (prior === sha1) batch.duplicates++;
        else
          reject(
            rec.position,
            rec.raw,
            `conflicting duplicate: another ${w.asset}/${w.channel} snapshot at t=${w.t} appears earlier in this input`,
            w.channel,
          );
        return;
      }
      seenWaveforms.set(key, sha1);
      batch.features.push({
        asset: w.asset,
        channel: w.channel,
        t: w.t,
        sampleRateHz: w.sampleRateHz,
        length: w.samples.length,
        waveformSha1: sha1,
        values,
        ref,
      });
    } catch (err) {
      if (!(err instanceof RecordProblem)) throw err;
      reject(rec.position, rec.raw, err.message, err.field);
    }
  };

  // A full batch commits while the next one is read: the store works on its own threads (DuckDB's
  // pool, PostgreSQL's server) while parsing and checking go on in this one. Batches still commit
  // one at a time and in order: a commit starts only after the one before it has finished.
  let committing: Promise<void> = Promise.resolve();
  let spare: SampleColumns | undefined;
  let commitFailed: { error: unknown } | undefined;
  const storeBatch = async (b: StoreBatch, toSettle: (() => void)[]): Promise<void> => {
    const outcome = await store.commit(runId, reader.source, reader.timeUnit, b);
    // the store is done with the batch: its sample columns can take the one after next
    if (capacity > 0) spare = b.samples;
    totals.records += b.records;
    totals.items += outcome.stored + outcome.duplicates + outcome.rejected;
    totals.stored += outcome.stored;
    totals.duplicates += outcome.duplicates;
    totals.rejected += outcome.rejected;
    for (const settle of toSettle) settle();
    options.onCommit?.({ ...totals });
    if (performance.now() - reportedAt >= reportEvery) await writeReport();
  };
  /** Starts committing the batch (after the commit in flight, whose failure it throws); see `committed`. */
  const commit = async (): Promise<void> => {
    await committing;
    if (batch.records === 0) return;
    committing = storeBatch(batch, settles);
    // noted here, thrown by the reading loop and by the next commit
    committing.catch((error: unknown) => (commitFailed ??= { error }));
    batch = emptyBatch(capacity, spare);
    spare = undefined;
    settles = [];
    seenWaveforms = new Map();
  };
  /** Commits what is left and waits until every batch is stored. */
  const committed = async (): Promise<void> => {
    await commit();
    await committing;
  };

  const it = reader.records()[Symbol.asyncIterator]();
  let status: IngestSummary['status'] = 'finished';
  const signal = options.signal;
  try {
    let pending: Promise<IteratorResult<ReaderRecord>> | undefined;
    for (;;) {
      if (commitFailed) throw commitFailed.error;
      pending ??= it.next();
      const ageLeft =
        options.maxBatchAgeMs !== undefined && batch.records > 0
          ? Math.max(0, batchStarted + options.maxBatchAgeMs - performance.now())
          : undefined;
      const next = signal?.aborted ? 'aborted' : await nextOrEvent(pending, signal, ageLeft);
      if (next === 'aborted') {
        status = 'interrupted';
        break;
      }
      if (next === 'age') {
        await commit();
        continue;
      }
      pending = undefined;
      if (next.done) break;
      if (batch.records === 0) batchStarted = performance.now();
      add(next.value);
      if (batchItems(batch) >= batchSize) await commit();
    }
    await committed();
  } catch (err) {
    await committed().catch(() => {});
    await writeReport().catch(() => {});
    await store.finishRun(runId, 'interrupted').catch(() => {});
    await reader.close?.();
    throw err;
  }
  await reader.close?.();
  await writeReport();
  await store.finishRun(runId, status);
  return {
    ...totals,
    source: reader.source,
    format: reader.format,
    timeUnit: reader.timeUnit,
    status,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * The reader's next record, or 'aborted' / 'age' if the signal fires or the batch's age runs out
 * first. Listeners and timers are per call and removed after it: racing every record against one
 * long-lived abort promise would leave a reaction on it per record (memory and GC time that grew
 * with the input). With neither a signal nor an age limit, the record is awaited directly.
 */
function nextOrEvent<T>(
  pending: Promise<T>,
  signal: AbortSignal | undefined,
  ageLeftMs: number | undefined,
): Promise<T | 'aborted' | 'age'> {
  if (!signal && ageLeftMs === undefined) return pending;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => done('aborted');
    const done = (v: T | 'aborted' | 'age'): void => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (ageLeftMs !== undefined) timer = setTimeout(() => done('age'), ageLeftMs);
    pending.then(done, (err: unknown) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
  });
}
