/** Shared test helpers: temp dirs, the reference python, running the CLI as a child process. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');
export const cmapssFile = resolve(root, '../shared/data/cmapss/train_FD001.txt');
export const numpyScript = resolve(root, '../shared/bench/numpy_features.py');
export const python = '/usr/bin/python3';

export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `leadtime-${name}-`));

/** Whether /usr/bin/python3 with numpy and scipy can run the reference; why not, when it cannot. */
export function referenceUnavailable(): string | undefined {
  if (!existsSync(numpyScript)) return `reference script ${numpyScript} not found`;
  if (!existsSync(python)) return `${python} not found`;
  try {
    execFileSync(python, ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${python} lacks numpy/scipy (apt-get install -y python3-numpy python3-scipy)`;
  }
}

// the answer does not change within a file: asked once (each ask starts python and imports numpy)
let unavailable: { why: string | undefined } | undefined;

/** Skips when the reference is unavailable, printing why; under CI a missing reference is a failure. */
export function needsReference(): boolean {
  unavailable ??= { why: referenceUnavailable() };
  const why = unavailable.why;
  if (!why) return true;
  if (process.env.CI) throw new Error(`CI is set but the numpy reference cannot run: ${why}`);
  console.warn(`skipping numpy comparison: ${why}`);
  return false;
}

/**
 * Runs numpy_features.py once per argument list (`['make', ...]`, `['features', ...]`), in order,
 * all in one python process: the script's own main() with its own argument parsing, imported
 * once, instead of a python start and a numpy + scipy import (~1 s of CPU) per command.
 */
export function numpyReference(commands: string[][]): void {
  const driver = [
    'import importlib.util, json, sys',
    "spec = importlib.util.spec_from_file_location('numpy_features', sys.argv[1])",
    'nf = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(nf)',
    'for argv in json.loads(sys.argv[2]):',
    '    sys.argv = [spec.origin, *argv]',
    '    nf.main()',
  ].join('\n');
  execFileSync(python, ['-c', driver, numpyScript, JSON.stringify(commands)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

// bin/leadtime.js: the compiled dist/ when it is fresh (CI builds it on npm ci), else tsx
const cli = resolve(root, 'bin/leadtime.js');

/** The CLI in one node process (no wrapper process), so a signal reaches the ingester itself. */
export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [cli, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawnCli(args);
    let stdout = '',
      stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** Parses a CSV with a header into column -> values. */
export function readCsvColumns(text: string): Record<string, number[]> {
  const [head, ...rows] = text.trim().split('\n');
  const names = head.split(',');
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const r of rows) r.split(',').forEach((v, i) => out[names[i]].push(Number(v)));
  return out;
}
