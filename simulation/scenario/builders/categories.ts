/** Ticket categories, in order of first mention by an arrival source (replayed logs included). */
import { InputError } from '../../../core/index.ts';
import { loadReplay, type PreparedReplay } from '../../sources/replay-source.ts';
import type { BuildContext } from './context.ts';

export interface Categories {
  categories: string[];
  /** the prepared log of each replay source (null for other sources) */
  replays: (PreparedReplay | null)[];
  categoryIndex(name: string, field: string): number;
}

export function buildCategories({ scenario, baseDir }: BuildContext): Categories {
  const categories: string[] = [];
  const replays: (PreparedReplay | null)[] = scenario.arrivals.map((a, i) =>
    a.replay ? loadReplay(a.replay, `arrivals[${i}].replay`, baseDir) : null,
  );
  scenario.arrivals.forEach((a, i) => {
    const names =
      replays[i]?.categories ?? Object.keys((a.poisson ?? a.renewal ?? a.profile)?.categories ?? {});
    for (const c of names) if (!categories.includes(c)) categories.push(c);
  });
  const categoryIndex = (name: string, field: string): number => {
    const i = categories.indexOf(name);
    if (i < 0)
      throw new InputError(
        `${field}: unknown category "${name}" (arrivals define ${categories.join(', ') || 'none'})`,
      );
    return i;
  };

  return { categories, replays, categoryIndex };
}
