/**
 * The `leadtime` command line. Each subcommand lives in `api/commands/<name>.ts` and registers
 * itself on the program; this file only wires them and maps errors to exit codes.
 *
 * Start-up: building the program loads only commander and small modules (the command tree with
 * its options and help); each command's action imports what it runs when it runs
 * (`await import(...)`), so `--help`, `--version` or `erlang` never load TensorFlow.js, DuckDB,
 * Vega or fastify. test/api/startup-imports.test.ts checks what each path loads.
 */
import { Command, CommanderError } from 'commander';
import { packageVersion, codeVersion } from '../core/version.ts';
import { reportError } from './cli-support.ts';
import { registerCommands } from './commands/index.ts';

export function buildProgram(argv: readonly string[] = []): Command {
  // the git commit costs a child process: looked up only when the version is printed
  const version = argv.some((a) => a === '-V' || a === '--version')
    ? `${packageVersion} (${codeVersion()})`
    : packageVersion;
  const program = new Command('leadtime')
    .description(
      'Predictive maintenance and service staffing: telemetry -> health models -> predictive tickets -> staffing simulation',
    )
    .version(version, '-V, --version')
    .option(
      '--home <dir>',
      'working directory for stores, models and reports (env LEADTIME_HOME, default ./.leadtime)',
    )
    .option(
      '--store <url>',
      'shared store for telemetry and tickets: postgres://user@host:port/db (env LEADTIME_STORE; default the DuckDB files under the home)',
    )
    .option('-q, --quiet', 'no progress output on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  // Every subcommand (and sub-subcommand) exits through our handler, so usage errors exit 2.
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version "errors" are normal exits; everything else is bad usage
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version'
        ? 0
        : 2;
    }
    return reportError(err);
  }
}

const invokedDirectly = process.argv[1] && /(?:^|[\\/])cli\.[jt]s$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
