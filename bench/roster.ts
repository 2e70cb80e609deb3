/**
 * Roster solver speed against SciPy's `milp` (native HiGHS) on the same integer programs, run in
 * the same session: `npx tsx bench/roster.ts` or `npm run bench -- roster`. Two instances: the
 * example week (data/roster: 8 templates, 22 columns with their break starts) and a large one (every
 * start hour x 3 weekly tours x break starts, hourly requirements from a two-peak day profile).
 * Our side is HiGHS compiled to WebAssembly (the `highs` package) behind `solveRoster` (model
 * building, LP text, the LP relaxation and the MIP); the MIP alone is also timed. Both sides must
 * reach the same optimum (a check of optimality by a second solver build).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import highsModule from 'highs';
import {
  readRequirements,
  readShiftTemplates,
  templatesFrom,
  type ShiftTemplate,
} from '../simulation/experiments/roster-input.ts';
import { rosterColumns, rosterLp } from '../simulation/experiments/roster-model.ts';
import { solveRoster } from '../simulation/experiments/roster.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const REPEATS = 5;
type Loader = typeof highsModule.default;
const loadHighs: Loader =
  (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Every start hour x (mon-fri, tue-sat, sat-sun) tours of 8 h with a 1 h break in hours 3-6. */
function largeInstance(): { templates: ShiftTemplate[]; required: Int32Array } {
  const tours = [
    ['mon', 'tue', 'wed', 'thu', 'fri'],
    ['tue', 'wed', 'thu', 'fri', 'sat'],
    ['sat', 'sun'],
  ];
  const shifts = tours.flatMap((days, k) =>
    Array.from({ length: 24 }, (_, h) => ({
      name: `t${k}-${h}`,
      days,
      from: `${h}h`,
      to: `${(h + 8) % 24 || 24}h`,
      costPerHour: 30 + (h < 6 || h >= 20 ? 6 : 0) + (k === 2 ? 4 : 0),
      breaks: { length: '1h', within: [`${(h + 3) % 24}h`, `${(h + 7) % 24 || 24}h`] },
    })),
  );
  const day = [2, 2, 2, 2, 2, 3, 5, 9, 14, 18, 20, 19, 15, 16, 19, 20, 17, 13, 9, 7, 5, 4, 3, 2];
  const required = new Int32Array(168);
  for (let d = 0; d < 7; d++)
    for (let h = 0; h < 24; h++) required[d * 24 + h] = Math.round(day[h] * [1.2, 1.1, 1, 1, 1, 0.5, 0.4][d]);
  return { templates: templatesFrom({ shifts }), required };
}

async function bench(name: string, templates: ShiftTemplate[], required: Int32Array) {
  const columns = rosterColumns(templates);
  const highs = await loadHighs();
  await solveRoster(templates, required); // warm-up (WebAssembly compile, JIT)
  const full: number[] = [];
  const mipOnly: number[] = [];
  let cost = NaN;
  let lpBound = NaN;
  for (let i = 0; i < REPEATS; i++) {
    let t = performance.now();
    const r = await solveRoster(templates, required);
    full.push((performance.now() - t) / 1000);
    cost = r.cost;
    lpBound = r.lpBound;
    t = performance.now();
    highs.solve(rosterLp(columns, required, true), { output_flag: false, mip_rel_gap: 0 });
    mipOnly.push((performance.now() - t) / 1000);
  }
  const rows: number[][] = [];
  const req: number[] = [];
  for (let s = 0; s < 168; s++) {
    if (!(required[s] > 0)) continue;
    rows.push(columns.flatMap((c, j) => (c.slots.includes(s) ? [j] : [])));
    req.push(required[s]);
  }
  const py = spawnSync('/usr/bin/python3', [join(here, 'roster-scipy.py')], {
    input: JSON.stringify({ cost: columns.map((c) => c.cost), rows, required: req, repeats: REPEATS }),
    encoding: 'utf8',
  });
  if (py.status !== 0) throw new Error(`roster-scipy.py failed: ${py.stderr}`);
  const ref = JSON.parse(py.stdout) as {
    objective: number;
    lpBound: number;
    mipSeconds: number;
    lpSeconds: number;
  };
  const ours = median(mipOnly);
  const oursFull = median(full);
  console.log(
    `\n${name}: ${templates.length} templates, ${columns.length} columns, ${rows.length} covering rows`,
  );
  console.log(
    `  optimum      ours ${cost.toFixed(2)}  scipy ${ref.objective.toFixed(2)}  ${Math.abs(cost - ref.objective) < 1e-6 ? 'same' : 'DIFFERENT'}`,
  );
  console.log(`  LP bound     ours ${lpBound.toFixed(2)}  scipy ${ref.lpBound.toFixed(2)}`);
  console.log(
    `  MIP solve    ours (wasm) ${(ours * 1000).toFixed(1)} ms  scipy (native) ${(ref.mipSeconds * 1000).toFixed(1)} ms  ratio ${(ours / ref.mipSeconds).toFixed(2)}x`,
  );
  console.log(
    `  solveRoster  ${(oursFull * 1000).toFixed(1)} ms (LP text, LP relaxation and MIP); scipy MIP + LP ${((ref.mipSeconds + ref.lpSeconds) * 1000).toFixed(1)} ms  ratio ${(oursFull / (ref.mipSeconds + ref.lpSeconds)).toFixed(2)}x`,
  );
}

await bench(
  'example week (data/roster)',
  readShiftTemplates(join(root, 'data/roster/shifts.yaml')),
  readRequirements(join(root, 'data/roster/requirements.csv')),
);
const large = largeInstance();
await bench('large week (72 templates with break windows)', large.templates, large.required);
