/**
 * Is the compiled copy in dist/ the build of the sources as they are now? `node bin/build.js`
 * writes dist/.stamp.json after tsc succeeds: every source file it compiled (the folders of
 * tsconfig.build.json's "include", plus the two tsconfig files) with its size, mtime and SHA-1,
 * taken before tsc ran. dist/ is fresh when the same files exist with the same contents: a file
 * whose size and mtime match is taken as unchanged (a stat per file, a few ms for the ~280
 * sources); one whose stat differs is hashed, so a touched but unchanged file (git checkout back
 * and forth) does not make the build stale. A new or removed source, a changed one, a missing
 * stamp (never built, or a build that failed or was interrupted) all make it stale, and then
 * bin/leadtime.js runs the sources through tsx instead: compiled code is never run stale.
 *
 * Plain JavaScript with only node: imports, since it runs before anything is compiled.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file is bin/dist-stamp.js). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const STAMP = join(DIST, '.stamp.json');
/** Compiler settings: a change to either recompiles. */
export const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json'];

const sha1 = (file) => createHash('sha1').update(readFileSync(file)).digest('hex');

/** The source files under `dirs` (relative to root, forward slashes, sorted), and the config files. */
export function sourceFiles(root, dirs) {
  // plain string paths: this runs on every start, and path.join per file shows in the profile
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(`${root}/${rel}`, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${rel}/${e.name}`);
      else if (e.name.endsWith('.ts')) out.push(`${rel}/${e.name}`);
    }
  };
  for (const d of dirs) if (existsSync(`${root}/${d}`)) walk(d);
  out.sort();
  return [...out, ...CONFIG_FILES.filter((f) => existsSync(`${root}/${f}`))];
}

/** The stamp of the sources as they are now: { dirs, files: { path: [size, mtimeMs, sha1] } }. */
export function takeStamp(root, dirs) {
  const files = {};
  for (const f of sourceFiles(root, dirs)) {
    const st = statSync(`${root}/${f}`);
    files[f] = [st.size, st.mtimeMs, sha1(`${root}/${f}`)];
  }
  return { dirs, files };
}

/**
 * Why the build recorded in `stampFile` does not match the sources under `root`, or null when it
 * does.
 */
export function staleReason(root = ROOT, stampFile = STAMP) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return `no finished build (${relative(root, stampFile)} missing; run npm run build)`;
  }
  const now = sourceFiles(root, stamp.dirs);
  const built = stamp.files;
  for (const f of now) {
    const was = built[f];
    if (!was) return `${f} is newer than the build (added)`;
    const st = statSync(`${root}/${f}`);
    if ((st.size !== was[0] || st.mtimeMs !== was[1]) && sha1(`${root}/${f}`) !== was[2])
      return `${f} changed since the build`;
  }
  if (now.length !== Object.keys(built).length) {
    const gone = Object.keys(built).find((f) => !now.includes(f));
    return `${gone} was removed since the build`;
  }
  return null;
}
