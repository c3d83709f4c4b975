/**
 * Ingest of Graph schedule items (1,000 attendees x 40 items, times as Graph's seven-digit-fraction
 * strings) into numbers, done once per call: our parser vs `Date.parse` on the same strings, measured in
 * the same run, next to the slot finder on the parsed numbers.
 */
import { defaultAvailabilityPolicy, type ReadSchedule } from "../../src/core/availability/model.ts";
import { findAvailability } from "../../src/core/availability/slot-finder.ts";
import { fixedClock } from "../../src/core/clock.ts";
import { parseGraphDateTime } from "../../src/graph/calendars.ts";
import { opsPerSecond, reportBench } from "../support/bench.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const start = Date.parse("2026-11-23T00:00:00Z");
const graphTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}.0000000`;

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const raw = Array.from({ length: 1000 }, (_, p) => ({
  scheduleId: `user${p}@contoso.com`,
  scheduleItems: Array.from({ length: 40 }, (_, k) => {
    const s = start + Math.floor(k / 8) * DAY + (360 + Math.floor(random() * 44) * 15) * MINUTE;
    return {
      status: "busy",
      start: { dateTime: graphTime(s), timeZone: "UTC" },
      end: { dateTime: graphTime(s + 30 * MINUTE), timeZone: "UTC" },
    };
  }),
}));

const ingest = (parse: (dateTime: string, zone: string) => number): ReadSchedule[] =>
  raw.map((r) => ({
    id: r.scheduleId,
    items: r.scheduleItems.map((i) => ({
      start: parse(i.start.dateTime, i.start.timeZone),
      end: parse(i.end.dateTime, i.end.timeZone),
      status: "busy" as const,
    })),
    workingHours: {
      timeZone: "Europe/Stockholm",
      daysOfWeek: [1, 2, 3, 4, 5],
      startMinute: 480,
      endMinute: 1020,
    },
  }));

const ours = ingest(parseGraphDateTime);
const viaDateParse = ingest((dt) => Date.parse(`${dt.slice(0, 23)}Z`));
if (JSON.stringify(ours) !== JSON.stringify(viaDateParse)) throw new Error("the two parsers disagree");

const oursOps = await opsPerSecond(() => ingest(parseGraphDateTime), 1500);
const baseOps = await opsPerSecond(() => ingest((dt) => Date.parse(`${dt.slice(0, 23)}Z`)), 1500);
const ids = ours.map((s) => s.id);
const findOps = await opsPerSecond(
  () =>
    findAvailability(
      {
        required: ids.slice(0, 3),
        optional: ids.slice(3),
        durationMinutes: 30,
        window: { start, end: start + 5 * DAY },
        granularityMinutes: 15,
        organizerTimeZone: "Europe/Stockholm",
        includeGrid: false,
      },
      ours,
      defaultAvailabilityPolicy,
      fixedClock(start - DAY),
    ),
  1500,
);
reportBench({
  name: "Graph schedule ingest, 1,000 attendees x 40 items to epoch ms",
  unit: "ops/s",
  ours: oursOps,
  baseline: baseOps,
  baselineName: "Date.parse on the same strings",
  higherIsBetter: true,
  notes: `${(1000 / oursOps).toFixed(2)} ms per ingest; the slot finder on the parsed numbers takes ${(1000 / findOps).toFixed(2)} ms`,
});
