/**
 * bin/leadtime.js runs dist/ only when it is the build of the current sources (bin/dist-stamp.js):
 * checked on a scratch tree with a stamp, against each way the sources can move on.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { staleReason, takeStamp } from '../../bin/dist-stamp.js';

let root: string;
let stampFile: string;

const write = (rel: string, text: string) => {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
};
const stamp = () => writeFileSync(stampFile, JSON.stringify(takeStamp(root, ['core', 'api'])));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lt-stamp-'));
  stampFile = join(root, 'dist', '.stamp.json');
  mkdirSync(join(root, 'dist'));
  write('core/a.ts', 'export const a = 1;\n');
  write('core/deep/b.ts', 'export const b = 2;\n');
  write('api/cli.ts', 'export const c = 3;\n');
  write('api/server/dashboard/app.js', '// a static asset, not compiled\n');
  write('tsconfig.json', '{}\n');
  write('tsconfig.build.json', '{}\n');
});

describe('dist/ freshness', () => {
  it('no stamp (never built, or a failed build) is stale', () => {
    expect(staleReason(root, stampFile)).toMatch(/no finished build/);
  });

  it('a stamp of the current sources is fresh', () => {
    stamp();
    expect(staleReason(root, stampFile)).toBeNull();
  });

  it('an edited source is stale, whatever its mtime (an older one included)', () => {
    stamp();
    write('core/deep/b.ts', 'export const b = 7;\n'); // same length
    expect(staleReason(root, stampFile)).toBe('core/deep/b.ts changed since the build');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'core/deep/b.ts'), old, old);
    expect(staleReason(root, stampFile)).toBe('core/deep/b.ts changed since the build');
  });

  it('a touched but unchanged source stays fresh (checked by content)', () => {
    stamp();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'api/cli.ts'), later, later);
    expect(staleReason(root, stampFile)).toBeNull();
  });

  it('an added or a removed source is stale; files other than .ts do not count', () => {
    stamp();
    write('api/server/dashboard/app.js', '// changed\n');
    expect(staleReason(root, stampFile)).toBeNull();
    write('api/new.ts', 'export {};\n');
    expect(staleReason(root, stampFile)).toBe('api/new.ts is newer than the build (added)');
    rmSync(join(root, 'api/new.ts'));
    rmSync(join(root, 'core/a.ts'));
    expect(staleReason(root, stampFile)).toBe('core/a.ts was removed since the build');
  });

  it('a changed compiler config is stale', () => {
    stamp();
    write('tsconfig.build.json', '{ "compilerOptions": { "target": "ES2020" } }\n');
    expect(staleReason(root, stampFile)).toBe('tsconfig.build.json changed since the build');
  });
});
