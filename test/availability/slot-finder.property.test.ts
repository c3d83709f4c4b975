/**
 * Properties of the slot finder over generated calendars, zones (DST ones included) and requests. Working
 * hours are checked with an oracle that reads wall clocks through Intl directly, not through our zone code.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, test } from "vitest";
import {
  type AvailabilityPolicy,
  type AvailabilityRequest,
  type DailyHours,
  defaultAvailabilityPolicy,
  type Schedule,
  type ScheduleItem,
  scheduleStatuses,
} from "../../src/core/availability/model.ts";
import { findAvailability } from "../../src/core/availability/slot-finder.ts";
import { fixedClock } from "../../src/core/clock.ts";

const MINUTE = 60_000;
const zones = [
  "Europe/Stockholm",
  "Europe/Paris",
  "Australia/Sydney",
  "America/Sao_Paulo",
  "America/New_York",
  "Asia/Kolkata",
  "UTC",
];
/** Window starts near DST transitions and ordinary days. */
const windowStarts = [
  "2026-03-27T00:00:00Z",
  "2026-04-03T00:00:00Z",
  "2026-10-02T00:00:00Z",
  "2026-10-23T00:00:00Z",
  "2026-11-23T00:00:00Z",
].map((s) => Date.parse(s));
const WINDOW_DAYS = 3;

const itemArb = (start: number) =>
  fc
    .record({
      offset: fc.integer({ min: 0, max: (WINDOW_DAYS * 24 * 60) / 5 }),
      length: fc.integer({ min: 1, max: 48 }),
      status: fc.constantFrom(...scheduleStatuses),
    })
    .map(
      ({ offset, length, status }): ScheduleItem => ({
        start: start + offset * 5 * MINUTE,
        end: start + (offset + length) * 5 * MINUTE,
        status,
      }),
    );

const hoursArb: fc.Arbitrary<DailyHours> = fc
  .record({
    start: fc.integer({ min: 5 * 4, max: 11 * 4 }),
    length: fc.integer({ min: 4, max: 12 * 4 }),
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
  })
  .map(({ start, length, days }) => ({
    startMinute: start * 15,
    endMinute: Math.min(1440, (start + length) * 15),
    daysOfWeek: days,
  }));

const scenarioArb = fc
  .record({
    windowStart: fc.constantFrom(...windowStarts),
    people: fc.integer({ min: 1, max: 5 }),
    requiredCount: fc.integer({ min: 1, max: 5 }),
    duration: fc.constantFrom(15, 30, 45, 60, 90),
    granularity: fc.constantFrom(5, 15, 30),
    bufferBefore: fc.constantFrom(0, 5, 15),
    bufferAfter: fc.constantFrom(0, 10),
    tentativeIsBusy: fc.boolean(),
    business: fc.option(hoursArb, { nil: null }),
    noticeMinutes: fc.constantFrom(0, 90),
  })
  .chain((s) =>
    fc
      .array(
        fc.record({
          zone: fc.constantFrom(...zones),
          hours: fc.option(hoursArb, { nil: null }),
          items: fc.array(itemArb(s.windowStart), { maxLength: 12 }),
        }),
        { minLength: s.people, maxLength: s.people },
      )
      .chain((people) =>
        fc
          .record({
            failedIndex: fc.option(fc.integer({ min: 0, max: people.length - 1 }), { nil: null, freq: 4 }),
            order: fc.shuffledSubarray(
              people.map((_, i) => i),
              { minLength: people.length, maxLength: people.length },
            ),
          })
          .map((extra) => ({ ...s, people, ...extra })),
      ),
  );

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function build(sc: Scenario) {
  const ids = sc.people.map((_, i) => `p${i}@contoso.com`);
  const required = ids.slice(0, Math.min(sc.requiredCount, ids.length));
  const optional = ids.slice(required.length);
  const schedules: Schedule[] = sc.people.map((p, i) =>
    i === sc.failedIndex
      ? { id: ids[i]!, error: { code: "ErrorMailboxBusy", message: "The mailbox threw." } }
      : {
          id: ids[i]!,
          items: p.items,
          workingHours: p.hours ? { ...p.hours, timeZone: p.zone } : null,
        },
  );
  const request: AvailabilityRequest = {
    required,
    optional,
    durationMinutes: sc.duration,
    window: { start: sc.windowStart, end: sc.windowStart + WINDOW_DAYS * 86_400_000 },
    granularityMinutes: sc.granularity,
    bufferBeforeMinutes: sc.bufferBefore,
    bufferAfterMinutes: sc.bufferAfter,
    minimumNoticeMinutes: sc.noticeMinutes,
    organizerTimeZone: "Europe/Stockholm",
    maxSuggestions: 1000,
  };
  const policy: AvailabilityPolicy = {
    ...defaultAvailabilityPolicy,
    tentativeIsBusy: sc.tentativeIsBusy,
    businessHours: sc.business,
  };
  return { ids, required, optional, schedules, request, policy };
}

const clock = fixedClock(windowStarts[0]! - 86_400_000 + 7 * MINUTE);

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const oracleFormatters = new Map<string, Intl.DateTimeFormat>();
/** Wall clock via Intl only: [local date key, weekday, minute of day]. */
function wallClock(zone: string, t: number): [string, number, number] {
  let f = oracleFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    oracleFormatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(t).map((p) => [p.type, p.value]));
  return [
    `${parts.year}-${parts.month}-${parts.day}`,
    weekdayIndex[parts.weekday!]!,
    Number(parts.hour) * 60 + Number(parts.minute),
  ];
}

/** The slot [s, e) lies within `hours` on one local day in `zone`. */
function insideHours(zone: string, hours: DailyHours, s: number, e: number): boolean {
  const [day, weekday, startMinute] = wallClock(zone, s);
  const [endDay, , lastMinute] = wallClock(zone, e - MINUTE);
  return (
    day === endDay &&
    hours.daysOfWeek.includes(weekday) &&
    startMinute >= hours.startMinute &&
    lastMinute + 1 <= hours.endMinute
  );
}

const overlaps = (a: number, b: number, c: number, d: number) => a < d && c < b;

describe("slot finder properties", () => {
  test("no suggested slot overlaps a required attendee's busy time (with buffers), and all lie in the window", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const { schedules, request, policy, required } = build(sc);
        const result = findAvailability(request, schedules, policy, clock);
        const hard = new Set(["busy", "oof", ...(policy.tentativeIsBusy ? ["tentative"] : [])]);
        for (const s of result.suggestions) {
          assert.ok(s.start >= request.window.start && s.end <= request.window.end);
          assert.equal(s.end - s.start, request.durationMinutes * MINUTE);
          assert.ok(s.start >= clock.now() + (request.minimumNoticeMinutes ?? 0) * MINUTE);
          const from = s.start - (request.bufferBeforeMinutes ?? 0) * MINUTE;
          const to = s.end + (request.bufferAfterMinutes ?? 0) * MINUTE;
          for (const sched of schedules) {
            if (!required.includes(sched.id) || "error" in sched) continue;
            for (const it of sched.items) {
              if (hard.has(it.status))
                assert.ok(!overlaps(from, to, it.start, it.end), `overlap ${sched.id}`);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test("every suggested slot lies inside each required attendee's working hours and business hours", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const { schedules, request, policy, required } = build(sc);
        const result = findAvailability(request, schedules, policy, clock);
        for (const s of result.suggestions) {
          for (const sched of schedules) {
            if (!required.includes(sched.id) || "error" in sched) continue;
            const zone = sched.workingHours?.timeZone ?? request.organizerTimeZone;
            if (sched.workingHours)
              assert.ok(insideHours(zone, sched.workingHours, s.start, s.end), "working");
            if (policy.businessHours)
              assert.ok(insideHours(zone, policy.businessHours, s.start, s.end), "business");
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test("a failed calendar is never free: every suggestion counts it as uncertain", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const { schedules, request, policy, ids } = build(sc);
        const result = findAvailability(request, schedules, policy, clock);
        if (sc.failedIndex === null) return;
        const failedId = ids[sc.failedIndex]!;
        for (const s of result.suggestions) {
          const v = s.attendees.find((a) => a.id === failedId)!;
          assert.equal(v.status, "unknown");
          assert.deepEqual(v.reason, { code: "CALENDAR_UNREADABLE" });
          if (request.required.includes(failedId)) assert.ok(s.uncertain >= 1);
        }
        const row = result.grid.find((r) => r.id === failedId)!;
        assert.ok(/^9+$/.test(row.view));
      }),
      { numRuns: 150 },
    );
  });

  test("results are stable under the order of attendees and of items", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const { schedules, request, policy, required, optional } = build(sc);
        const a = findAvailability(request, schedules, policy, clock);
        const reordered = sc.order.map((i) => {
          const s = schedules[i]!;
          return "error" in s ? s : { ...s, items: [...s.items].reverse() };
        });
        const b = findAvailability(
          { ...request, required: [...required].reverse(), optional: [...optional].reverse() },
          reordered,
          policy,
          clock,
        );
        assert.deepEqual(b, a);
      }),
      { numRuns: 150 },
    );
  });

  test("suggestions are ranked: fewer uncertain first, then more optional attendees, then earlier", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const { schedules, request, policy } = build(sc);
        const { suggestions } = findAvailability(request, schedules, policy, clock);
        for (let k = 1; k < suggestions.length; k++) {
          const p = suggestions[k - 1]!;
          const q = suggestions[k]!;
          const order =
            p.uncertain - q.uncertain || q.optionalAvailable - p.optionalAvailable || p.start - q.start;
          assert.ok(order < 0);
        }
      }),
      { numRuns: 150 },
    );
  });

  test("a suggested room is free for the slot and its buffers", () => {
    const roomArb = fc.array(itemArb(windowStarts[4]!), { maxLength: 15 });
    fc.assert(
      fc.property(
        fc.array(roomArb, { minLength: 1, maxLength: 3 }),
        fc.array(itemArb(windowStarts[4]!), { maxLength: 10 }),
        fc.boolean(),
        (roomItems, personItems, tentativeIsBusy) => {
          const rooms = roomItems.map((items, i) => ({
            id: `room${i}@contoso.com`,
            items,
            workingHours: null,
          }));
          const request: AvailabilityRequest = {
            required: ["p@contoso.com"],
            rooms: rooms.map((r) => r.id),
            durationMinutes: 30,
            window: { start: windowStarts[4]!, end: windowStarts[4]! + 2 * 86_400_000 },
            granularityMinutes: 15,
            bufferAfterMinutes: 10,
            organizerTimeZone: "Europe/Stockholm",
            maxSuggestions: 1000,
          };
          const policy = { ...defaultAvailabilityPolicy, tentativeIsBusy };
          const hard = new Set(["busy", "oof", ...(tentativeIsBusy ? ["tentative"] : [])]);
          const { suggestions } = findAvailability(
            request,
            [{ id: "p@contoso.com", items: personItems, workingHours: null }, ...rooms],
            policy,
            clock,
          );
          for (const s of suggestions) {
            const room = rooms.find((r) => r.id === s.room);
            assert.ok(room, "a room is always picked when rooms are asked for");
            for (const it of room.items) {
              if (hard.has(it.status)) assert.ok(!overlaps(s.start, s.end + 10 * MINUTE, it.start, it.end));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
