/** Arrival sources: Poisson, renewal, profile (non-homogeneous Poisson) and ticket-log replay. */
import { Exponential, InputError, PRIORITIES } from '../../../core/index.ts';
import type { PeakCalendar } from '../../engine/peak-calendar.ts';
import { DONE } from '../../engine/routing.ts';
import { ArrivalSource } from '../../sources/arrival-source.ts';
import { ProfileSource } from '../../sources/profile-source.ts';
import { ReplaySource } from '../../sources/replay-source.ts';
import type { TicketSource } from '../../sources/ticket-source.ts';
import type { Categories } from './categories.ts';
import { minutes, PROBABILITY_TOLERANCE, type BuildContext } from './context.ts';
import type { Stages } from './stages.ts';
import type { Tiers } from './tiers.ts';

export function buildSources(
  { scenario, stream, dist }: BuildContext,
  { defined, requireTier }: Tiers,
  { categories, replays }: Categories,
  { stageIndex }: Stages,
  peaks: PeakCalendar,
): TicketSource[] {
  const sources = scenario.arrivals.map((a, i): TicketSource => {
    const entryOf = (stage: string | undefined, field: string) => {
      const entry = stage === undefined ? 0 : stageIndex(stage, `${field}.stage`);
      if (entry === DONE) throw new InputError(`${field}.stage: tickets must enter a stage, not "done"`);
      return entry;
    };
    const replay = replays[i];
    if (replay) {
      const field = `arrivals[${i}].replay`;
      for (let k = 0; k < replay.tiers.length; k++) {
        const tier = replay.tiers[k];
        if (!defined.has(PRIORITIES[tier])) {
          throw new InputError(
            `${field}: ${replay.file} line ${replay.lines[k]} has priority ${PRIORITIES[tier]}, which is not defined under priorities (has ${[...defined].join(', ')})`,
          );
        }
      }
      const shift = a.replay!.shift === undefined ? 0 : minutes(a.replay!.shift, `${field}.shift`);
      return new ReplaySource(
        i,
        replay.times.map((t) => t + shift),
        replay.tiers,
        Int16Array.from(replay.categoryNames, (c) => (c === null ? -1 : categories.indexOf(c))),
        replay.work,
        a.replay!.scale ?? 1,
        stream(`replay/${i}`),
        peaks,
        a.replay!.count ?? Infinity,
        entryOf(a.replay!.stage, field),
      );
    }
    const kind = a.poisson ? 'poisson' : a.renewal ? 'renewal' : 'profile';
    const spec = (a.poisson ?? a.renewal ?? a.profile)!;
    const field = `arrivals[${i}].${kind}`;
    const interarrival = a.renewal
      ? dist(a.renewal.interarrival, `${field}.interarrival`)
      : new Exponential(60 / (a.poisson ?? a.profile)!.perHour);
    const mix = Object.entries(spec.mix).filter(([, p]) => p! > 0);
    const mixTotal = mix.reduce((sum, [, p]) => sum + p!, 0);
    if (Math.abs(mixTotal - 1) > PROBABILITY_TOLERANCE) {
      throw new InputError(`${field}.mix: probabilities must sum to 1, got ${mixTotal}`);
    }
    let cum = 0;
    const tierCum = Float64Array.from(mix.map(([, p]) => (cum += p!)));
    const tierOf = Int8Array.from(mix.map(([p]) => requireTier(p, `${field}.mix.${p}`)));
    const cats = Object.entries(spec.categories ?? {});
    const catTotal = cats.reduce((sum, [, p]) => sum + p, 0);
    if (cats.length > 0 && Math.abs(catTotal - 1) > PROBABILITY_TOLERANCE) {
      throw new InputError(`${field}.categories: probabilities must sum to 1, got ${catTotal}`);
    }
    cum = 0;
    const catCum = Float64Array.from(cats.map(([, p]) => (cum += p)));
    const catOf = Int16Array.from(cats.map(([c]) => categories.indexOf(c)));
    const entry = entryOf(spec.stage, field);
    const source = new ArrivalSource(
      i,
      interarrival,
      stream(`arrivals/${i}`),
      stream(`mix/${i}`),
      tierCum,
      tierOf,
      catCum,
      catOf,
      spec.count ?? Infinity,
      entry,
    );
    for (const key of ['hourOfDay', 'dayOfWeek'] as const) {
      const weights = a.profile?.[key];
      if (weights && !weights.some((w) => w > 0))
        throw new InputError(`${field}.${key}: the weights cannot all be 0 (use a smaller perHour)`);
    }
    if (a.profile || (a.poisson && !peaks.empty)) {
      // non-homogeneous Poisson: the plain source only draws the mix
      const profile = a.profile;
      return new ProfileSource(
        i,
        (a.poisson ?? a.profile)!.perHour,
        profile?.hourOfDay,
        profile?.dayOfWeek,
        profile?.overdispersion ?? 0,
        stream(`arrivals/${i}`),
        stream(`dispersion/${i}`),
        peaks,
        source,
        spec.count ?? Infinity,
        entry,
      );
    }
    if (!peaks.empty) source.peaks = peaks;
    return source;
  });

  return sources;
}
