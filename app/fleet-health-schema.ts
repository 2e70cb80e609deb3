/** The health of one asset as the API answers it (the schema is the validation, the type and the docs). */
import { Type, type Static } from '@sinclair/typebox';

const Point = Type.Object({ t: Type.Number(), value: Type.Number() });

export const HealthAnswer = Type.Object({
  asset: Type.String(),
  t: Type.Number({ description: 'time of the latest row used' }),
  timeUnit: Type.String(),
  healthIndex: Type.Union([Type.Number(), Type.Null()], { description: '1 healthy, 0 at failure' }),
  failureThreshold: Type.Number({ description: 'HI at failure' }),
  anomaly: Type.Object({
    detector: Type.String(),
    score: Type.Number(),
    threshold: Type.Number(),
    alarm: Type.Boolean(),
    firstAlertT: Type.Union([Type.Number(), Type.Null()]),
    contributors: Type.Array(Type.Object({ channel: Type.String(), contribution: Type.Number() })),
  }),
  rul: Type.Union([
    Type.Object({
      estimate: Type.Number(),
      lower: Type.Number(),
      upper: Type.Number(),
      coverage: Type.Number(),
      model: Type.String(),
      ageOnly: Type.Boolean({
        description:
          "true: made before the model's first predicting time (no sign of the asset's own wear yet): the fleet's remaining life at its age, which opens no ticket by default",
      }),
    }),
    Type.Null(),
  ]),
  rulReason: Type.Optional(Type.String({ description: 'why there is no RUL' })),
  failureT: Type.Union([Type.Number(), Type.Null()], { description: 'known failure time, if any' }),
  history: Type.Object({
    healthIndex: Type.Array(Point),
    anomalyScore: Type.Array(Point),
    rul: Type.Array(
      Type.Object({
        t: Type.Number(),
        rul: Type.Number(),
        lower: Type.Number(),
        upper: Type.Number(),
        ageOnly: Type.Boolean(),
      }),
    ),
  }),
});
export type HealthAnswer = Static<typeof HealthAnswer>;
