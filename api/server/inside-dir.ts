/**
 * Whether a client-named path stays inside a folder the server lets clients read, with symbolic
 * links resolved first: a link inside the folder that points elsewhere counts as elsewhere.
 */
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** The real path of `rel` under `root`, or undefined when it (or a link on its way) leads outside. */
export function resolveInside(root: string, rel: string): string | undefined {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return undefined;
  }
  const full = resolve(root, rel);
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    // not there (yet): judged by its text; reading it later fails as a missing file
    real = resolve(realRoot, full.slice(resolve(root).length + 1));
    if (!full.startsWith(resolve(root) + sep)) return undefined;
  }
  return real.startsWith(realRoot + sep) ? real : undefined;
}
