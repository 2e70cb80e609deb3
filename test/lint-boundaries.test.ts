/** The dependency rule is enforced by lint: planted imports across a boundary fail with the rule's name. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('boundaries (npm run lint)', () => {
  it('simulation/ importing models/ fails, naming the rule', async () => {
    const m = await messagesFor(
      'simulation/engine/planted.ts',
      "import { FLEET_CHANNELS } from '../../models/index.ts';\nexport const x = FLEET_CHANNELS;\n",
    );
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(
      /boundary rule "simulation may import only core".*simulation\/ must not import models\//,
    );
  });

  it('ingest/ importing tickets/ fails; a deep relative path or a type-only import does too', async () => {
    expect(
      await messagesFor(
        'ingest/planted.ts',
        "import { ticketPolicy } from '../tickets/index.ts';\nexport const p = ticketPolicy;\n",
      ),
    ).toHaveLength(1);
    expect(
      await messagesFor(
        'ingest/store/planted.ts',
        "import type { Ticket } from '../../tickets/ticket.ts';\nexport type T = Ticket;\n",
      ),
    ).toHaveLength(1);
  });

  it('core/ imports nothing of ours; models/ may not reach up to app/ or api/', async () => {
    expect(
      await messagesFor('core/planted.ts', "export { ingest } from '../ingest/index.ts';\n"),
    ).toHaveLength(1);
    expect(
      await messagesFor('models/planted.ts', "export { runDemo } from '../app/demo.ts';\n"),
    ).toHaveLength(1);
    expect(
      await messagesFor('tickets/planted.ts', "export { startServer } from '../api/commands/serve.ts';\n"),
    ).toHaveLength(1);
  });

  it('the allowed directions pass', async () => {
    expect(
      await messagesFor('tickets/planted.ts', "export { backtest } from '../models/index.ts';\n"),
    ).toEqual([]);
    expect(
      await messagesFor('app/planted.ts', "export { runExperiment } from '../simulation/index.ts';\n"),
    ).toEqual([]);
    expect(await messagesFor('simulation/planted.ts', "export { MS } from '../core/index.ts';\n")).toEqual(
      [],
    );
  });
});
