#!/usr/bin/env node
// The `leadtime` command. Runs the compiled JavaScript in dist/ (bin/build.js, run by `npm install`
// through `prepare`) when it is the build of the current sources, and otherwise the TypeScript
// sources through tsx's loader, so `npx leadtime` works without a build step and an edited source
// is never shadowed by a stale build (how freshness is judged: dist-stamp.js).
// LEADTIME_ENTRY=source forces tsx; LEADTIME_ENTRY=dist refuses to run anything but a fresh build.
import { staleReason } from './dist-stamp.js';

const want = process.env.LEADTIME_ENTRY;
const stale = want === 'source' ? 'LEADTIME_ENTRY=source' : staleReason();
if (want === 'dist' && stale !== null) {
  process.stderr.write(`leadtime: LEADTIME_ENTRY=dist but dist/ is stale: ${stale}\n`);
  process.exit(1);
}
let main;
if (stale === null) {
  ({ main } = await import('../dist/api/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../api/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
