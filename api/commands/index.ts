/** The list of subcommands. Add a line here when a stage brings its own command file. */
import type { Command } from 'commander';
import { registerGenerate } from './generate.ts';
import { registerDemo } from './demo.ts';
import { registerIngest } from './ingest.ts';
import { registerFeatures } from './features.ts';
import { registerRejected } from './rejected.ts';
import { registerSimulate } from './simulate.ts';
import { registerErlang } from './erlang.ts';
import { registerFit } from './fit.ts';
import { registerOptimize } from './optimize.ts';
import { registerBacktest } from './backtest.ts';
import { registerModels } from './models.ts';
import { registerServe } from './serve.ts';
import { registerTickets } from './tickets.ts';
import { registerRoster } from './roster.ts';
import { registerWorker } from './worker.ts';

export function registerCommands(program: Command): void {
  registerGenerate(program);
  registerDemo(program);
  registerIngest(program);
  registerFeatures(program);
  registerRejected(program);
  registerSimulate(program);
  registerErlang(program);
  registerFit(program);
  registerOptimize(program);
  registerRoster(program);
  registerModels(program); // after registerFeatures: adds `features rank`
  registerBacktest(program);
  registerTickets(program);
  registerServe(program);
  registerWorker(program);
}
