/**
 * Expansion of recurring series into occurrences, in the series' own time zone (so a 09:15 stand-up stays
 * at 09:15 local across a DST change): daily, weekly, absolute/relative monthly and yearly patterns with
 * endDate / numbered / noEnd ranges, exceptions (moved or edited occurrences) and cancelled occurrences.
 */
import type { EmEvent, OccurrenceOverride } from "../model.ts";
import { DAY, parseWall, toIana, utcToWall, WEEKDAYS, wallToUtc } from "../time.ts";

export interface Occurrence {
  /** Original start (UTC ms) — the key of exceptions and part of the occurrence id. */
  originalStart: number;
  start: number;
  end: number;
  override: OccurrenceOverride | undefined;
}

const INDEX = { first: 0, second: 1, third: 2, fourth: 3, last: -1 } as const;
const MAX_DAYS = 366 * 5;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

export function seriesZone(event: EmEvent): string {
  return toIana(event.recurrence?.range.recurrenceTimeZone || event.timeZone) ?? "UTC";
}

const cache = new WeakMap<EmEvent, { key: string; until: number; starts: number[] }>();
const HORIZON = 180 * DAY;

/** Original starts (UTC ms) of every occurrence of the series up to `until` (exclusive), in order. */
export function occurrenceStarts(event: EmEvent, until: number): number[] {
  const key = `${event.version}|${event.startUtc}|${event.endUtc}`;
  const hit = cache.get(event);
  if (hit && hit.key === key && hit.until >= until) {
    let n = hit.starts.length;
    while (n > 0 && (hit.starts[n - 1] ?? 0) >= until) n--;
    return n === hit.starts.length ? hit.starts : hit.starts.slice(0, n);
  }
  const horizon = until + HORIZON;
  const starts = computeStarts(event, horizon);
  cache.set(event, { key, until: horizon, starts });
  return occurrenceStarts(event, until);
}

function computeStarts(event: EmEvent, until: number): number[] {
  const rec = event.recurrence;
  if (!rec) return [];
  const zone = seriesZone(event);
  const startWall = utcToWall(event.startUtc, zone);
  const firstDay = parseWall(rec.range.startDate) ?? Math.floor(startWall / DAY) * DAY;
  const timeOfDay = startWall - Math.floor(startWall / DAY) * DAY;
  const endDay = rec.range.type === "endDate" && rec.range.endDate ? parseWall(rec.range.endDate) : undefined;
  const limit =
    rec.range.type === "numbered" ? (rec.range.numberOfOccurrences ?? 0) : Number.POSITIVE_INFINITY;
  const p = rec.pattern;
  const interval = Math.max(1, p.interval || 1);
  const days = new Set((p.daysOfWeek ?? []).map((d) => WEEKDAYS.indexOf(d)));
  const firstDow = WEEKDAYS.indexOf(p.firstDayOfWeek ?? "sunday");
  const first = new Date(firstDay);
  const firstWeekStart = firstDay - ((first.getUTCDay() - firstDow + 7) % 7) * DAY;
  const out: number[] = [];
  for (let i = 0; i < MAX_DAYS * interval && out.length < limit; i++) {
    const day = firstDay + i * DAY;
    if (endDay !== undefined && day > endDay) break;
    const d = new Date(day);
    const dow = d.getUTCDay();
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth();
    const date = d.getUTCDate();
    const monthsDiff = (year - first.getUTCFullYear()) * 12 + (month - first.getUTCMonth());
    let match = false;
    switch (p.type) {
      case "daily":
        match = i % interval === 0;
        break;
      case "weekly": {
        const week = Math.floor((day - firstWeekStart) / (7 * DAY));
        match = week % interval === 0 && days.has(dow);
        break;
      }
      case "absoluteMonthly":
        match =
          monthsDiff % interval === 0 &&
          date === Math.min(p.dayOfMonth ?? first.getUTCDate(), daysInMonth(year, month));
        break;
      case "relativeMonthly":
        match =
          monthsDiff % interval === 0 &&
          days.has(dow) &&
          relativeIndexMatches(p.index ?? "first", date, daysInMonth(year, month));
        break;
      case "absoluteYearly":
        match =
          (year - first.getUTCFullYear()) % interval === 0 &&
          month + 1 === (p.month ?? first.getUTCMonth() + 1) &&
          date === (p.dayOfMonth ?? first.getUTCDate());
        break;
      case "relativeYearly":
        match =
          (year - first.getUTCFullYear()) % interval === 0 &&
          month + 1 === (p.month ?? first.getUTCMonth() + 1) &&
          days.has(dow) &&
          relativeIndexMatches(p.index ?? "first", date, daysInMonth(year, month));
        break;
    }
    if (!match) continue;
    const start = wallToUtc(day + timeOfDay, zone);
    if (start >= until) break;
    out.push(start);
  }
  return out;
}

function relativeIndexMatches(index: keyof typeof INDEX, date: number, monthDays: number): boolean {
  const n = INDEX[index];
  if (n === -1) return date + 7 > monthDays;
  return Math.floor((date - 1) / 7) === n;
}

/** Occurrences overlapping [from, to), exceptions applied, cancelled ones left out. */
export function expandSeries(event: EmEvent, from: number, to: number): Occurrence[] {
  const duration = event.endUtc - event.startUtc;
  // Moved exceptions may land in the window from outside it: look a month beyond on both sides.
  const starts = occurrenceStarts(event, to + 31 * DAY);
  const out: Occurrence[] = [];
  for (const originalStart of starts) {
    if (originalStart + duration < from - 31 * DAY) continue;
    const override = event.exceptions[String(originalStart)];
    if (override?.cancelled) continue;
    const start = override?.startUtc ?? originalStart;
    const end = override?.endUtc ?? originalStart + duration;
    if (start < to && end > from) out.push({ originalStart, start, end, override });
  }
  return out;
}

/** Whether `originalStart` is an occurrence of the series (used to validate occurrence ids). */
export function isOccurrence(event: EmEvent, originalStart: number): boolean {
  return occurrenceStarts(event, originalStart + 1).includes(originalStart);
}
