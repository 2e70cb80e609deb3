/** The backlog at time zero: tickets already waiting, with their age, tier, category and stage. */
import { InputError } from '../../../core/index.ts';
import { DONE } from '../../engine/routing.ts';
import type { BacklogTicket } from '../../engine/service-model.ts';
import type { Categories } from './categories.ts';
import { minutes, type BuildContext } from './context.ts';
import type { Stages } from './stages.ts';
import type { Tiers } from './tiers.ts';

export function buildBacklog(
  { scenario }: BuildContext,
  { requireTier }: Tiers,
  { categoryIndex }: Categories,
  { stageIndex }: Stages,
): BacklogTicket[] {
  const backlog: BacklogTicket[] = [];
  scenario.backlog.forEach((b, i) => {
    const field = `backlog[${i}]`;
    const ticket = {
      tier: requireTier(b.priority, `${field}.priority`),
      age: minutes(b.age, `${field}.age`),
      category: b.category === undefined ? -1 : categoryIndex(b.category, `${field}.category`),
      stage: b.stage === undefined ? 0 : stageIndex(b.stage, `${field}.stage`),
    };
    if (ticket.stage === DONE)
      throw new InputError(`${field}.stage: a backlog ticket must wait at a stage, not "done"`);
    for (let k = 0; k < b.count; k++) backlog.push(ticket);
  });

  return backlog;
}
