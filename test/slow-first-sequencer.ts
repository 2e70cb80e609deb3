/**
 * A vitest sequencer that starts the known-long test files first. vitest orders files by the
 * durations in its cache, but a fresh clone (CI) has no cache and gets them by file size, which put
 * the 1-test demo file (91 s) and the shared-store chaos test among the last to start: the run then
 * ended with one or two long files on their own. Listed files go first, longest first; the rest
 * follow in vitest's own order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files of 15 s or more in a full run (`npx vitest run --reporter=json`, 3 workers on 2 cores),
 * longest first. A file not listed only starts later; a listed file that is gone is ignored.
 */
export const SLOW_FILES = [
  'test/models/neural.test.ts',
  'test/models/cmapss-models.test.ts',
  'test/tickets/connectors.test.ts',
  'test/api/demo.test.ts',
  'test/hardening/fuzz.test.ts',
  'test/api/startup-imports.test.ts',
  'test/simulation/queueing-theory.test.ts',
  'test/api/read-through-server.test.ts',
  'test/hardening/live-loop-chaos.test.ts',
  'test/ingest/mqtt.test.ts',
  'test/browser/dashboard.test.ts',
  'test/hardening/dispatcher-idle.test.ts',
  'test/simulation/queue.test.ts',
  'test/ingest/crash.test.ts',
  'test/tickets/delivery.test.ts',
  'test/tickets/shared-store-chaos.test.ts',
  'test/notebooks/notebooks.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = SLOW_FILES.findIndex((s) => f.moduleId.endsWith(`/${s}`));
      return i < 0 ? SLOW_FILES.length : i;
    };
    // a stable sort: unlisted files keep vitest's order among themselves
    return base
      .map((f, i) => ({ f, i, r: rank(f) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.f);
  }
}
