/**
 * The clock date-dependent tests run on: a pinned "now" that then moves on with real time, so what a test
 * finds in the demo calendars (generated around the clock's week) never depends on the day it runs.
 *
 * `QUORUM_TEST_NOW` picks the instant (ISO, e.g. `2026-12-31T23:30:00Z`, or one of the names of
 * `PINNED_DAYS`); unset, tests run on `PINNED_DAYS.monday`. `npm test -- --pinned-days` runs the
 * date-sensitive suites once on each of `PINNED_DAYS` (scripts/test.mjs).
 */
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import type { Clock } from "../../src/core/clock.ts";
import { DEMO_WEEK } from "../../src/emulator/seed.ts";
import { startOfWeekUtc } from "../../src/emulator/time.ts";

/** Days chosen for what goes wrong on them; times in UTC. */
export const PINNED_DAYS = {
  /** A Monday morning in Europe, night in the Americas. */
  monday: "2026-12-07T10:30:00Z",
  /** A Friday afternoon, in the week Europe has left summer time and the United States not yet. */
  friday: "2026-10-30T16:00:00Z",
  /** A Sunday: the morning New York leaves summer time. */
  sunday: "2026-11-01T12:00:00Z",
  /** The day before Europe's change to summer time (a Saturday), with New York already on it. */
  "dst-eve": "2027-03-27T10:30:00Z",
  /** New Year's Eve, late: already 1 January in Stockholm and Paris, still 2026 in the Americas. */
  "new-years-eve": "2026-12-31T23:30:00Z",
} as const;

export type PinnedDay = keyof typeof PINNED_DAYS;

/** The pinned start instant of this test run (epoch ms). */
export function pinnedNow(): number {
  const raw = process.env.QUORUM_TEST_NOW?.trim() || "monday";
  const iso = raw in PINNED_DAYS ? PINNED_DAYS[raw as PinnedDay] : raw;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T10:30:00Z` : iso);
  if (Number.isNaN(ms)) {
    throw new Error(
      `QUORUM_TEST_NOW=${raw} is neither an ISO date or instant nor one of ${Object.keys(PINNED_DAYS).join(", ")}`,
    );
  }
  return ms;
}

/** A clock that reads `start` now and moves on with real time (timers, waits and timeouts still work). */
export function movingClock(start: number): Clock {
  const t0 = performance.now();
  return { now: () => Math.floor(start + (performance.now() - t0)) };
}

/** The clock of this test run: the pinned instant, moving on with real time. */
export function testClock(): Clock {
  return movingClock(pinnedNow());
}

/**
 * The calendar date (YYYY-MM-DD) `offset` days after the Monday of the demo week at `now` — the week the
 * emulator generates its demo calendars around (src/emulator/seed.ts `DEMO_WEEK`).
 */
export function demoWeekDay(now: number, offset: number): string {
  return new Date(startOfWeekUtc(now) + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The first working day (Monday–Friday, by UTC date) at least `minDaysAhead` days after `now` on which
 * every well-known demo person is in: Erik's designed out-of-office days are skipped.
 */
export function demoWorkingDay(now: number, minDaysAhead: number): string {
  const anchor = startOfWeekUtc(now);
  const away = DEMO_WEEK.erikOutOfOffice;
  for (let day = Math.floor(now / 86_400_000) + minDaysAhead; ; day++) {
    const ms = day * 86_400_000;
    const dow = new Date(ms).getUTCDay();
    const offset = Math.round((ms - anchor) / 86_400_000);
    if (dow === 0 || dow === 6 || (offset >= away.firstDay && offset <= away.lastDay)) continue;
    return new Date(ms).toISOString().slice(0, 10);
  }
}

/**
 * A browser context whose clock reads what the service's and the emulator's clock read (the run's pinned
 * day), moving on with real time, so pages compute "today" as the service does.
 */
export async function pinnedContext(
  browser: Browser,
  clock: Clock,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.clock.install({ time: clock.now() });
  return context;
}
