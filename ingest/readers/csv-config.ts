/** The CSV mapping config file (`leadtime ingest csv FILE --config mapping.yaml`), validated with errors that name the field. */
import { Type, type Static } from '@sinclair/typebox';

export const CsvIngestConfig = Type.Object(
  {
    layout: Type.Optional(
      Type.Union([Type.Literal('long'), Type.Literal('wide')], {
        description: 'long: asset,t,channel,value; wide: asset,t,<channels>',
      }),
    ),
    mapping: Type.Optional(
      Type.Object(
        {
          asset: Type.Optional(Type.String()),
          t: Type.Optional(Type.String()),
          channel: Type.Optional(Type.String()),
          value: Type.Optional(Type.String()),
        },
        { additionalProperties: false, description: 'header name of each role' },
      ),
    ),
    channels: Type.Optional(
      Type.Array(Type.String(), { description: 'wide layout: channel columns to read' }),
    ),
    asset: Type.Optional(
      Type.String({ minLength: 1, description: 'fixed asset when the file has no asset column' }),
    ),
    timestamp: Type.Optional(
      Type.String({ description: 'iso, epoch-ms, epoch-s, cycle, or a YYYY-MM-DD HH:mm:ss pattern' }),
    ),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
    bounds: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object(
          { min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) },
          { additionalProperties: false },
        ),
        {
          description: 'per-channel value bounds',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CsvIngestConfig = Static<typeof CsvIngestConfig>;
