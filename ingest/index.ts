/**
 * Public entry of ingest/: readers for every telemetry source, validation and dead-lettering,
 * waveform -> condition-indicator features, the telemetry store, and the synthetic fleet.
 * Imports only core/.
 */
export * from './synthetic/index.ts';
export * from './dsp/fft.ts';
export * from './dsp/real-fft.ts';
export * from './dsp/envelope.ts';
export * from './contracts.ts';
export * from './features/columns.ts';
export * from './features/extractor.ts';
export * from './features/features-file.ts';
export * from './waveform/f32-file.ts';
export * from './waveform/machine-context.ts';
export * from './validate/bounds.ts';
export * from './validate/timestamp.ts';
export * from './validate/rejection.ts';
export * from './validate/storable.ts';
export * from './readers/reader.ts';
export * from './readers/cmapss.ts';
export * from './readers/csv.ts';
export * from './readers/csv-config.ts';
export * from './readers/ndjson.ts';
export * from './readers/telemetry-json.ts';
export * from './readers/f32.ts';
export * from './readers/ims.ts';
export * from './store/batch.ts';
export * from './store/schema.ts';
export * from './store/telemetry-store.ts';
export * from './store/duckdb-telemetry-store.ts';
export * from './store/pg-telemetry-store.ts';
export * from './store/open-telemetry-store.ts';
export * from './pipeline/ingest-run.ts';
export * from './mqtt/subscriber.ts';
export * from './mqtt/publisher.ts';
export * from './validate/channel-limits.ts';
export * from './mqtt/sequence-gaps.ts';
export * from './quality/series-gaps.ts';
