/**
 * What business-hours SLA clocks cost: the M/M/10 of `bench/simulation.ts` (load 0.9, 1,000,000
 * tickets, one replication) with its tier's clocks 24/7 (the reference) and in a Mon-Fri 08-18
 * calendar with holidays, alternating, CPU time of the replication (less sensitive than wall time
 * to other jobs on the machine); then the calendar alone, ns per `elapsed` on rising times as the
 * simulator asks. `npx tsx bench/business-hours.ts` or `npm run bench -- business-hours`.
 */
import { BusinessCalendar } from '../core/index.ts';
import { parseScenario, runReplication } from '../simulation/index.ts';

const TICKETS = 1_000_000;
const calendar = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '08:00',
  to: '18:00',
  holidays: ['3d', '40d', '100d', '200d', '300d'],
};

function scenario(business: boolean) {
  return parseScenario({
    name: 'bench-business-hours',
    seed: 1,
    replications: 1,
    horizon: `${Math.ceil((TICKETS / 9) * 2)}h`,
    priorities: { P1: { respond: '15m', resolve: '2h', ...(business ? { calendar: 'business' } : {}) } },
    ...(business ? { calendars: { business: calendar } } : {}),
    arrivals: [{ poisson: { perHour: 9, mix: { P1: 1 }, count: TICKETS } }],
    pools: { engineers: { size: 10 } },
    flow: [{ stage: 'work', pool: 'engineers', duration: { exponential: { mean: '1h' } } }],
  });
}

function cpuSeconds(business: boolean): number {
  const s = scenario(business);
  const c0 = process.cpuUsage();
  runReplication(s, { replication: 0, seed: 1 });
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

cpuSeconds(false); // warm-up (JIT)
cpuSeconds(true);
const runs = { plain: [] as number[], business: [] as number[] };
for (let i = 0; i < 5; i++) {
  runs.plain.push(cpuSeconds(false));
  runs.business.push(cpuSeconds(true));
}
const plain = median(runs.plain);
const business = median(runs.business);
console.log(`M/M/10, ${TICKETS.toLocaleString('en')} tickets, CPU seconds of one replication (median of 5):`);
console.log(
  `  24/7 clocks (reference)   ${plain.toFixed(3)} s  [${runs.plain.map((x) => x.toFixed(2)).join(' ')}]`,
);
console.log(
  `  business-hours clocks     ${business.toFixed(3)} s  [${runs.business.map((x) => x.toFixed(2)).join(' ')}]`,
);
console.log(
  `  ratio business / 24/7     ${(business / plain).toFixed(2)}x (${(((business - plain) / TICKETS) * 1e9).toFixed(0)} ns more per ticket, two clocks stopped each)`,
);

const cal = new BusinessCalendar({
  days: [0, 1, 2, 3, 4],
  from: 480,
  to: 1080,
  holidays: [3, 40, 100, 200, 300],
});
const N = 5_000_000;
const times = new Float64Array(N);
for (let i = 1; i < N; i++) times[i] = times[i - 1] + (0.1 * ((i * 2654435761) % 1000)) / 1000;
let sink = 0;
const perCall: number[] = [];
for (let rep = 0; rep < 5; rep++) {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) sink += cal.elapsed(times[i], times[i] + 90);
  perCall.push(((performance.now() - t0) * 1e6) / N);
}
console.log(
  `calendar elapsed(a, b): ${median(perCall).toFixed(0)} ns per call (median of 5; checksum ${sink > 0})`,
);
