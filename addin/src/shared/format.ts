/** Dates and times in the mailbox user's locale and zone (Intl only). */
import { fromLocal, localIso, toLocal } from "../../../src/core/availability/zones.ts";

export function formatSlot(start: number, end: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  }).formatRange(start, end);
}

export function formatDay(at: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone }).format(
    at,
  );
}

export function formatHour(at: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "numeric", timeZone }).format(at);
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function dayKey(at: number, timeZone: string): string {
  return localIso(timeZone, at).slice(0, 10);
}

/** The instant of local midnight plus `minutes` on the day of `at` in `timeZone` (DST-safe, from core). */
export function localTimeOnDay(at: number, minutes: number, timeZone: string): number {
  const local = toLocal(timeZone, at);
  return fromLocal(timeZone, local.year, local.month, local.day, minutes);
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
