/** Dates and times in the user's locale and time zone (Intl only; pt-BR and sv show 24-hour times). */
import { fromLocal, toLocal } from "../../src/core/availability/zones.ts";

const pad = (n: number) => String(n).padStart(2, "0");

export function formatTime(epochMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone }).format(epochMs);
}

export function formatDate(epochMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone,
  }).format(epochMs);
}

export function formatDateTime(epochMs: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  }).format(epochMs);
}

export function formatRange(startMs: number, endMs: number, locale: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  });
  return f.formatRange(startMs, endMs);
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function isoDateInZone(epochMs: number, timeZone: string): string {
  const local = toLocal(timeZone, epochMs);
  return `${local.year}-${pad(local.month)}-${pad(local.day)}`;
}

/** The instant of a wall-clock time (YYYY-MM-DD, minutes after midnight) in a zone (DST-safe, from core). */
export function zonedToEpoch(isoDate: string, minutes: number, timeZone: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return fromLocal(timeZone, y, m, d, minutes);
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
