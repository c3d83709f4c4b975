/**
 * Dates and times as the Teams tab and the Outlook add-in show them: in the user's locale and time zone,
 * with Intl only (pt-BR and sv write 24-hour times). Zone arithmetic comes from the core's zone library.
 */
import { fromLocal, localIso } from "../core/availability/zones.ts";

const pad = (n: number) => String(n).padStart(2, "0");

const dayOptions = { weekday: "short", day: "numeric", month: "short" } as const;
const timeOptions = { hour: "numeric", minute: "2-digit" } as const;

/** The IANA zone this device is set to (what the views use until the mailbox's zone is known). */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function formatTime(epochMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { ...timeOptions, timeZone }).format(epochMs);
}

/** The hour alone ("9 AM", "09"), for the scale of an availability strip. */
export function formatHour(epochMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "numeric", timeZone }).format(epochMs);
}

export function formatDate(epochMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { ...dayOptions, timeZone }).format(epochMs);
}

/** The day spelled out ("Monday, November 23"), for captions. */
export function formatDay(epochMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone }).format(
    epochMs,
  );
}

export function formatDateTime(epochMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { ...dayOptions, ...timeOptions, timeZone }).format(epochMs);
}

/** "Mon, Nov 23, 9:00 – 9:30 AM": the day once when both ends fall on it. */
export function formatRange(startMs: number, endMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { ...dayOptions, ...timeOptions, timeZone }).formatRange(
    startMs,
    endMs,
  );
}

/** A time of day given in minutes after midnight ("08:00", "8:00 AM"); a day's end (1440) reads as midnight. */
export function formatTimeOfDay(minuteOfDay: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { ...timeOptions, timeZone: "UTC" }).format(
    (minuteOfDay % 1440) * 60_000,
  );
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function isoDateInZone(epochMs: number, timeZone: string): string {
  return localIso(timeZone, epochMs).slice(0, 10);
}

/** The instant of a wall-clock time (YYYY-MM-DD, minutes after midnight) in a zone (DST-safe, from core). */
export function zonedToEpoch(isoDate: string, minutes: number, timeZone: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return fromLocal(timeZone, y, m, d, minutes);
}

/** The instant of local midnight plus `minutes` on the day of `epochMs` in `timeZone`. */
export function localTimeOnDay(epochMs: number, minutes: number, timeZone: string): number {
  return zonedToEpoch(isoDateInZone(epochMs, timeZone), minutes, timeZone);
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Numeric calendar dates as the locale writes them: pt-BR 05/01/2026, sv 2026-01-05, en-US 1/5/2026. */
const numericDate = (locale: string) =>
  new Intl.DateTimeFormat(locale, { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" });

/** Formats a calendar date (YYYY-MM-DD) the way the locale writes it. */
export function formatIsoDate(isoDate: string, locale: string): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return numericDate(locale).format(Date.UTC(y, m - 1, d));
}

/** Reads a date typed the way the locale writes it ("21/11/2026" in pt-BR); also takes YYYY-MM-DD. */
export function parseLocalDate(text: string, locale: string): string | undefined {
  const numbers = text.match(/\d+/g);
  if (numbers?.length !== 3) return undefined;
  let order: ("year" | "month" | "day")[];
  if ((numbers[0] ?? "").length === 4) order = ["year", "month", "day"];
  else {
    order = numericDate(locale)
      .formatToParts(Date.UTC(2026, 10, 21))
      .flatMap((p) => (p.type === "year" || p.type === "month" || p.type === "day" ? [p.type] : []));
  }
  const parts: Record<string, number> = {};
  order.forEach((type, i) => {
    parts[type] = Number(numbers[i]);
  });
  const { day = 0, month = 0 } = parts;
  let year = parts.year ?? 0;
  if (year < 100) year += 2000;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The locale's first day of the week, 0 = Sunday … 6 = Saturday (pt-BR and en-US Sunday, sv and fr Monday). */
export function firstDayOfWeek(locale: string): number {
  const info = new Intl.Locale(locale).maximize() as Intl.Locale & {
    getWeekInfo?: () => { firstDay: number };
    weekInfo?: { firstDay: number };
  };
  const firstDay = info.getWeekInfo?.().firstDay ?? info.weekInfo?.firstDay ?? 7;
  return firstDay % 7;
}

/** Month and weekday names in the locale, January and Sunday first. */
export function calendarNames(locale: string): {
  months: string[];
  shortMonths: string[];
  days: string[];
  shortDays: string[];
} {
  const names = (options: Intl.DateTimeFormatOptions, count: number, at: (i: number) => number) => {
    const f = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
    return Array.from({ length: count }, (_, i) => f.format(at(i)));
  };
  const month = (i: number) => Date.UTC(2026, i, 15);
  // 2026-11-01 is a Sunday.
  const day = (i: number) => Date.UTC(2026, 10, 1 + i);
  return {
    months: names({ month: "long" }, 12, month),
    // Without the abbreviation's dot ("jan." in pt-BR), so the short name stays part of the full one.
    shortMonths: names({ month: "short" }, 12, month).map((m) => m.replace(/\.$/, "")),
    days: names({ weekday: "long" }, 7, day),
    shortDays: names({ weekday: "narrow" }, 7, day),
  };
}

/** "Stockholm" and "GMT+1" for Europe/Stockholm at that instant (the offset follows daylight saving time). */
export function zoneLabel(timeZone: string, locale: string, at: number): { city: string; offset: string } {
  const city = (timeZone.split("/").pop() ?? timeZone).replaceAll("_", " ");
  const offset =
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "shortOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  return { city, offset };
}
