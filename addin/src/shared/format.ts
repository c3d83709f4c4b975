/** Dates and times in the mailbox user's locale and zone (Intl only). */

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
  return new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    timeZone,
  }).format(at);
}

/** Offset of a zone from UTC at an instant, in minutes. */
function offsetMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60000);
}

/** The instant of local midnight plus `minutes` on the day of `at` in `timeZone`. */
export function localTimeOnDay(at: number, minutes: number, timeZone: string): number {
  const [y, m, d] = dayKey(at, timeZone).split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, 0, minutes);
  const first = guess - offsetMinutes(guess, timeZone) * 60000;
  return guess - offsetMinutes(first, timeZone) * 60000;
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
