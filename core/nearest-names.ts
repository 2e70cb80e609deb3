/**
 * "Did you mean": the candidates closest to a name the user typed, for error messages that list
 * the nearest valid paths, pools or metrics. Closeness is the edit distance to the whole candidate
 * or to a run of as many of its dotted segments as were typed (so `agents` finds
 * `pools.agents.size`), plus half a point per segment left out.
 */

/** Levenshtein distance (insertions, deletions, substitutions each cost 1); two rows of memory. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

const segments = (path: string) => path.split(/[.[\]]+/).filter(Boolean);

function closeness(typed: string, candidate: string): number {
  const t = segments(typed.toLowerCase());
  const c = segments(candidate.toLowerCase());
  // the typed segments against every window of as many consecutive segments of the candidate,
  // plus half a point per segment the user left out
  let best = editDistance(t.join('.'), c.join('.'));
  for (let k = 0; k + t.length <= c.length; k++)
    best = Math.min(
      best,
      editDistance(t.join('.'), c.slice(k, k + t.length).join('.')) + 0.5 * (c.length - t.length),
    );
  return best;
}

/** The `n` candidates closest to `typed`, closest first (ties: the shorter, then alphabetical). */
export function nearestNames(typed: string, candidates: readonly string[], n = 5): string[] {
  return [...new Set(candidates)]
    .map((name) => ({ name, d: closeness(typed, name) }))
    .sort((x, y) => x.d - y.d || x.name.length - y.name.length || x.name.localeCompare(y.name))
    .slice(0, n)
    .map((x) => x.name);
}
