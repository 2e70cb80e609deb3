/**
 * The project's root (the directory holding package.json), for the files the code reads at run
 * time (package.json, data/, the dashboard's pages). Found by walking up from this module, so the
 * TypeScript sources (core/) and their compiled copy (dist/core/, see bin/build.js) agree.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function rootAbove(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new Error(`leadtime: no package.json above ${dir}`);
  }
}

export const packageRoot: string = rootAbove(dirname(fileURLToPath(import.meta.url)));
