/**
 * Time-zone arithmetic for the emulator: Windows <-> IANA names (CLDR table from `windows-iana`), wall
 * clock <-> UTC instants through Intl, and Graph's `dateTimeTimeZone` formatting ("2026-11-23T09:00:00.0000000").
 */
import { findIana, findWindows } from "windows-iana";

const DAY_MS = 86_400_000;
export const DAY = DAY_MS;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

const knownZones = new Map<string, string | null>();

/** Resolves a Windows or IANA zone name (or "UTC") to an IANA name; undefined when unknown. */
export function toIana(name: string): string | undefined {
  const cached = knownZones.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let result: string | undefined;
  const trimmed = name.trim();
  if (/^(utc|gmt|z|coordinated universal time)$/i.test(trimmed)) result = "UTC";
  else {
    const iana = findIana(trimmed)[0];
    if (iana) result = iana;
    else {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: trimmed });
        result = trimmed;
      } catch {
        result = undefined;
      }
    }
  }
  knownZones.set(name, result ?? null);
  return result;
}

/** The Windows name of an IANA zone ("Europe/Paris" -> "Romance Standard Time"). */
export function toWindows(iana: string): string {
  if (iana === "UTC") return "UTC";
  return findWindows(iana)[0] ?? iana;
}

const offsetCache = new Map<string, number>();
const OFFSET_BUCKET_MS = 15 * 60_000;

/** Offset of `zone` from UTC at instant `utcMs`, in milliseconds (positive east of Greenwich). */
export function zoneOffset(utcMs: number, zone: string): number {
  if (zone === "UTC") return 0;
  // Zone offsets change on quarter-hour boundaries at the finest, so quarter-hour buckets are exact.
  const key = `${zone}|${Math.floor(utcMs / OFFSET_BUCKET_MS)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const offset = computeOffset(utcMs, zone);
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

function computeOffset(utcMs: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant of a wall-clock time (given as if it were UTC milliseconds) in `zone`. */
export function wallToUtc(wallMs: number, zone: string): number {
  if (zone === "UTC") return wallMs;
  let guess = wallMs - zoneOffset(wallMs, zone);
  const off2 = zoneOffset(guess, zone);
  guess = wallMs - off2;
  return guess;
}

/** The wall-clock time of `utcMs` in `zone`, as if it were UTC milliseconds. */
export function utcToWall(utcMs: number, zone: string): number {
  return utcMs + zoneOffset(utcMs, zone);
}

/** Parses a Graph local date-time ("2026-11-23T09:00:00" with optional fraction) to wall milliseconds. */
export function parseWall(dateTime: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(dateTime.trim());
  if (!m) return undefined;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    ms,
  );
}

/** Parses a Graph `dateTimeTimeZone` to a UTC instant; undefined when the date or zone is unknown. */
export function parseDateTimeTimeZone(
  value: { dateTime?: unknown; timeZone?: unknown } | undefined,
): number | undefined {
  if (!value || typeof value.dateTime !== "string") return undefined;
  const text = value.dateTime.trim();
  // An explicit offset or Z wins over timeZone.
  if (/(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : t;
  }
  const wall = parseWall(text);
  if (wall === undefined) return undefined;
  const zone = toIana(typeof value.timeZone === "string" && value.timeZone ? value.timeZone : "UTC");
  if (!zone) return undefined;
  return wallToUtc(wall, zone);
}

/** Parses a query-string instant (ISO 8601; no offset means UTC, as Graph does). */
export function parseQueryInstant(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) {
    const t = Date.parse(text.trim());
    return Number.isNaN(t) ? undefined : t;
  }
  return parseWall(text);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Formats wall milliseconds as Graph does: "2026-11-23T09:00:00.0000000". */
export function formatWall(wallMs: number): string {
  const d = new Date(wallMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}0000`;
}

/** A `dateTimeTimeZone` for `utcMs` expressed in `zoneName` (Windows or IANA; the name is echoed back). */
export function toDateTimeTimeZone(utcMs: number, zoneName: string): { dateTime: string; timeZone: string } {
  const iana = toIana(zoneName) ?? "UTC";
  return { dateTime: formatWall(utcToWall(utcMs, iana)), timeZone: zoneName };
}

export function isoDate(wallMs: number): string {
  return formatWall(wallMs).slice(0, 10);
}

/** Monday 00:00 UTC of the week containing `utcMs`. */
export function startOfWeekUtc(utcMs: number): number {
  const day = Math.floor(utcMs / DAY_MS) * DAY_MS;
  const dow = new Date(day).getUTCDay(); // 0 Sunday
  return day - ((dow + 6) % 7) * DAY_MS;
}

/** "08:00:00.0000000" from minutes after midnight. */
export function timeOfDay(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:00.0000000`;
}

/** Reads `Prefer: outlook.timezone="..."`; defaults to UTC. */
export function preferredZone(prefer: string | undefined): string {
  if (!prefer) return "UTC";
  const m = /outlook\.timezone\s*=\s*"?([^",]+)"?/i.exec(prefer);
  const name = m?.[1]?.trim();
  return name && toIana(name) ? name : "UTC";
}

/** Reads `Prefer: odata.maxpagesize=N`. */
export function preferredPageSize(prefer: string | undefined): number | undefined {
  if (!prefer) return undefined;
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
  return m ? Number(m[1]) : undefined;
}

export const WEEKDAYS = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
] as const;
export type Weekday = (typeof WEEKDAYS)[number];
