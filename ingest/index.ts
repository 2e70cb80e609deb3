/** Public entry of ingest/. */
export * from './synthetic/index.ts';
export * from './dsp/fft.ts';
export * from './dsp/envelope.ts';
