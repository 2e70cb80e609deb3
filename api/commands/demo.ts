/**
 * `leadtime demo` (what `npm start` runs): the main job end to end on the embedded default. Each
 * stage adds its step here as it lands; today: generate the synthetic fleet into the home.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createProgress, validate } from '../../core/index.ts';
import { FleetConfig, writeFleet } from '../../ingest/index.ts';
import { action, globals } from '../cli-support.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline on generated data into the home directory (what npm start runs)')
    .action(
      action((_opts: unknown, cmd: Command) => {
        const g = globals(cmd);
        const out = resolve(g.home, 'demo', 'fleet');
        process.stderr.write(`leadtime demo: home ${g.home}\n[1/1] synthetic fleet -> ${out}\n`);
        let bar: ReturnType<typeof createProgress> | undefined;
        const fleet = writeFleet(validate(FleetConfig, {}, 'defaults'), out, (done, total) => {
          bar ??= createProgress({ total, label: '  snapshots', quiet: g.quiet });
          bar.update(done);
        });
        bar?.stop();
        process.stdout.write(
          `fleet: ${fleet.assets} assets, ${fleet.snapshots} vibration snapshots + scalars, truth in ${resolve(out, 'truth.csv')}\n`,
        );
      }),
    );
}
