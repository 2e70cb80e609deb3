/** The code version stamped on results and manifests: package version plus git commit when known. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot as root } from './package-root.ts';

export const packageVersion: string = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
).version;

let cached: string | undefined;

/** `0.1.0+abc1234` inside a git checkout, `0.1.0` elsewhere. */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    cached = sha ? `${packageVersion}+${sha}` : packageVersion;
  } catch {
    cached = packageVersion;
  }
  return cached;
}
