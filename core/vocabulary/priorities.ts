/** Priority tiers P1..P4 (index 0..3): a lower index has precedence. Shared by the ticket stage and the simulator. */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const TIERS = PRIORITIES.length;

/** 0 for P1 .. 3 for P4; -1 for a name that is not a tier. */
export function priorityIndex(name: string): number {
  return PRIORITIES.indexOf(name as Priority);
}

/** 1 for P1 (most urgent) .. 4 for P4; lower is worse. */
export const rank = (p: Priority): number => priorityIndex(p) + 1;
