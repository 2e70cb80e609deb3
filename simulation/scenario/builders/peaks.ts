/** The peak calendar: windows of extra demand (their staffing changes are the pools'). */
import { InputError } from '../../../core/index.ts';
import { PeakCalendar, type PeakWindow } from '../../engine/peak-calendar.ts';
import { minutes, type BuildContext } from './context.ts';

export function buildPeaks({ scenario }: BuildContext): { windows: PeakWindow[]; peaks: PeakCalendar } {
  const windows: PeakWindow[] = (scenario.peaks ?? []).map((w, i) => {
    const from = minutes(w.from, `peaks[${i}].from`);
    const to = minutes(w.to, `peaks[${i}].to`);
    if (!(to > from)) throw new InputError(`peaks[${i}].to: must be after from (${JSON.stringify(w.from)})`);
    return { name: w.name, from, to, demand: w.demand ?? 1 };
  });
  const peaks = new PeakCalendar(windows);
  return { windows, peaks };
}
