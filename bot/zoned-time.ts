/**
 * The bot's calendar words over the one zone library, `src/core/availability/zones.ts`: the wall clock
 * of an instant in an IANA zone and back (DST handled there), whole-day steps and ISO weekdays on
 * calendar dates, and instants formatted for a person. Instants are UTC epoch ms.
 */
import { fromLocal, toLocal } from "../src/core/availability/zones.ts";

export interface WallClock {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** The wall clock in `timeZone` at the instant `epochMs`. */
export function wallClockAt(epochMs: number, timeZone: string): WallClock {
  const { year, month, day, hour, minute } = toLocal(timeZone, epochMs);
  return { year, month, day, hour, minute };
}

/**
 * The UTC instant of a wall-clock time in `timeZone`: a time skipped when clocks go forward moves on by
 * the gap, a time repeated when they go back is its first occurrence (`fromLocal`).
 */
export function zonedToUtc(wall: WallClock, timeZone: string): number {
  return fromLocal(timeZone, wall.year, wall.month, wall.day, wall.hour * 60 + wall.minute);
}

/** Adds whole calendar days to a date (month and year roll over; calendar arithmetic is UTC's, zone-free). */
export function addDays(wall: WallClock, days: number): WallClock {
  return wallClockAt(Date.UTC(wall.year, wall.month - 1, wall.day + days, wall.hour, wall.minute), "UTC");
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(wall: WallClock): number {
  return toLocal("UTC", Date.UTC(wall.year, wall.month - 1, wall.day)).weekday || 7;
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
