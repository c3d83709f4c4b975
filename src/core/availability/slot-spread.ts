/**
 * Spacing of suggestions: from the ranked candidate slots to the few offered, so that the first
 * suggestions are different times worth choosing between.
 */
import { DAY, MINUTE } from "./slot-grid.ts";
import { offsetAt } from "./zones.ts";

/**
 * Picks up to `max` of the ranked candidate slots so that they spread over the window. Rank comes first:
 * a slot of a better tier (fewer uncertain attendees, more optional ones free) always goes before any slot
 * of a worse one. Within a tier, the slots at least an hour (or the meeting's length, if longer) from every
 * slot taken, and on a day that has not had its share yet, are taken first; the rest of the tier fills up
 * in rank order, and the tier's picks keep their rank order. So the first suggestions are different times worth choosing between, not
 * consecutive quarter-hours.
 */
export function spread(
  ranked: readonly number[],
  max: number,
  tierOf: (i: number) => number,
  startOf: (i: number) => number,
  duration: number,
  zone: string,
): number[] {
  if (ranked.length <= 1 || max <= 1) return ranked.slice(0, max);
  const gap = Math.max(duration, 60 * MINUTE);
  const dayOf = (i: number) => Math.floor((startOf(i) + offsetAt(zone, startOf(i))) / DAY);
  const share = Math.max(1, Math.ceil(max / new Set(ranked.map(dayOf)).size));
  const perDay = new Map<number, number>();
  const taken: number[] = [];
  for (let k = 0; k < ranked.length && taken.length < max; ) {
    // One tier: ranked[k .. end) share a tier (the ranking sorts by tier first).
    const tier = tierOf(ranked[k]!);
    let end = k;
    while (end < ranked.length && tierOf(ranked[end]!) === tier) end++;
    const picked = new Set<number>();
    const room = max - taken.length;
    for (let n = k; n < end && picked.size < room; n++) {
      const i = ranked[n]!;
      const day = dayOf(i);
      if ((perDay.get(day) ?? 0) >= share) continue;
      if (taken.some((j) => Math.abs(startOf(j) - startOf(i)) < gap)) continue;
      if ([...picked].some((j) => Math.abs(startOf(j) - startOf(i)) < gap)) continue;
      picked.add(i);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    for (let n = k; n < end && picked.size < room; n++) picked.add(ranked[n]!);
    // The tier's picks keep their rank order.
    for (let n = k; n < end; n++) if (picked.has(ranked[n]!)) taken.push(ranked[n]!);
    k = end;
  }
  return taken;
}
