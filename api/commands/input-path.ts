/**
 * Checks the path a command was given before any work starts (and before a store run is begun), so
 * a typo is exit 2 naming the path, never a raw ENOENT from deep inside a reader.
 */
import { statSync } from 'node:fs';
import { describeFsError, InputError } from '../../core/errors.ts';

/** Throws InputError unless `path` exists; a reader that expects a directory or a file says which. */
export function requireInputPath(path: string, kind?: 'file' | 'directory'): void {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new InputError(`${path}: ${describeFsError(err)}`);
  }
  if (kind === 'file' && isDir) throw new InputError(`${path}: is a directory; give a file`);
  if (kind === 'directory' && !isDir) throw new InputError(`${path}: is a file; give a directory`);
}
