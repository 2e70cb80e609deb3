/** Priority tiers: P1..P4, index 0..3, a lower index has precedence. */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const TIERS = PRIORITIES.length;

export function priorityIndex(name: string): number {
  return PRIORITIES.indexOf(name as Priority);
}
