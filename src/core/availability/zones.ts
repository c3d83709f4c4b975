/**
 * Time-zone arithmetic on UTC epoch milliseconds with IANA zone names, using only `Intl.DateTimeFormat`.
 * Windows zone names never reach this module: adapters convert them once at ingest.
 */
import { DomainError } from "../errors.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch (error) {
      throw new DomainError("VALIDATION_FAILED", `Unknown time zone "${zone}".`, { cause: error });
    }
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA time-zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock fields of an instant in a zone. `weekday` 0 = Sunday. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minuteOfDay: number;
}

function wallClockMs(zone: string, instant: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatterFor(zone).formatToParts(instant)) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        hour = Number(part.value);
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        second = Number(part.value);
        break;
      default:
        break;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function rawOffset(zone: string, instant: number): number {
  const floored = Math.floor(instant / 1000) * 1000;
  return wallClockMs(zone, floored) - floored;
}

const HOUR = 3_600_000;
/** Offsets of whole UTC hours in which a zone's offset does not change, by zone then hour number. */
const hourOffsets = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 200_000;
let cachedHours = 0;

/** The zone's offset from UTC at `instant`, in milliseconds (Stockholm in summer: +7,200,000). */
export function offsetAt(zone: string, instant: number): number {
  const hour = Math.floor(instant / HOUR);
  let byHour = hourOffsets.get(zone);
  const cached = byHour?.get(hour);
  if (cached !== undefined) return cached;
  const first = rawOffset(zone, hour * HOUR);
  const last = rawOffset(zone, (hour + 1) * HOUR - 1000);
  // An hour with a transition inside it is not cached; the instant itself is then asked for.
  if (first !== last) return rawOffset(zone, instant);
  if (cachedHours >= MAX_CACHED_HOURS) {
    hourOffsets.clear();
    cachedHours = 0;
  }
  if (!byHour) {
    byHour = new Map();
    hourOffsets.set(zone, byHour);
  }
  byHour.set(hour, first);
  cachedHours++;
  return first;
}

/** The wall-clock reading of `instant` in `zone`. */
export function toLocal(zone: string, instant: number): LocalTime {
  const wall = instant + offsetAt(zone, instant);
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
    minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes(),
  };
}

/** The wall-clock reading of `instant` in `zone` as ISO text without an offset: "2026-11-24T09:00:00.000". */
export function localIso(zone: string, instant: number): string {
  return new Date(instant + offsetAt(zone, instant)).toISOString().slice(0, 23);
}

/**
 * The instant at which the wall clock in `zone` reads the given local date and minute of day
 * (minutes may exceed 1440 to reach the next days). Resolves like RFC 5545 / Temporal "compatible":
 * a time repeated when clocks go back maps to its first occurrence; a time skipped when clocks go
 * forward maps to the same distance after the transition (02:30 on a spring-forward day is 03:30).
 */
export function fromLocal(
  zone: string,
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
  const before = offsetAt(zone, wall - DAY);
  const after = offsetAt(zone, wall + DAY);
  const first = wall - before;
  const firstValid = offsetAt(zone, first) === before;
  if (before === after) {
    // No transition nearby; still confirm, a zone may change twice within two days.
    if (firstValid) return first;
    const actual = offsetAt(zone, first);
    return wall - actual;
  }
  const second = wall - after;
  const secondValid = offsetAt(zone, second) === after;
  if (firstValid && secondValid) return Math.min(first, second);
  if (firstValid) return first;
  if (secondValid) return second;
  // In the gap: keep the pre-transition offset, which lands after the transition.
  return first;
}

/** "08:00" from minutes since midnight. */
export function formatMinuteOfDay(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** Local calendar dates (year, month, day, weekday) in `zone` covering [start, end), one extra day each side. */
export function localDatesCovering(
  zone: string,
  start: number,
  end: number,
): { year: number; month: number; day: number; weekday: number }[] {
  const first = toLocal(zone, start - DAY);
  const last = toLocal(zone, end + DAY);
  const lastKey = Date.UTC(last.year, last.month - 1, last.day);
  const out: { year: number; month: number; day: number; weekday: number }[] = [];
  for (let k = 0; ; k++) {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + k));
    if (d.getTime() > lastKey) break;
    out.push({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
    });
  }
  return out;
}
