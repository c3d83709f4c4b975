/**
 * Wall-clock ↔ UTC conversion for an IANA zone, with nothing but Intl. Instants are UTC epoch ms.
 */

export interface WallClock {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at the instant `epochMs`. */
export function wallClockAt(epochMs: number, timeZone: string): WallClock & { second: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? "0");
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
    second: get("second"),
  };
}

function offsetAt(epochMs: number, timeZone: string): number {
  const w = wallClockAt(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The UTC instant of a wall-clock time in `timeZone` (a time in a DST gap moves forward by the gap). */
export function zonedToUtc(wall: WallClock, timeZone: string): number {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  return second;
}

/** Adds whole calendar days to a date (month/year roll-over handled by Date.UTC). */
export function addDays(wall: WallClock, days: number): WallClock {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days, wall.hour, wall.minute));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(wall: WallClock): number {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Formats an instant for a person: their locale and zone. */
export function formatInstant(
  epochMs: number,
  locale: string,
  timeZone: string,
  style: "datetime" | "time" | "date" = "datetime",
): string {
  const options: Intl.DateTimeFormatOptions =
    style === "time"
      ? { hour: "2-digit", minute: "2-digit" }
      : style === "date"
        ? { weekday: "short", day: "numeric", month: "short" }
        : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(epochMs));
}

/** "Mon 23 Nov 14:00–14:30" in the person's locale and zone. */
export function formatRange(startMs: number, endMs: number, locale: string, timeZone: string): string {
  return `${formatInstant(startMs, locale, timeZone)}–${formatInstant(endMs, locale, timeZone, "time")}`;
}
