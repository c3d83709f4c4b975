/**
 * Slot finding for 10 / 100 / 1,000 attendees over 5 days at 15-minute granularity, 8 busy blocks per
 * attendee per day, against a naive minute-by-minute scan measured in the same run. Both get the same
 * working-hours intervals (computed once per zone) and produce the same top suggestions.
 */

import {
  type AvailabilityRequest,
  defaultAvailabilityPolicy,
  type ReadSchedule,
  type ScheduleItem,
  type ScheduleStatus,
} from "../../src/core/availability/model.ts";
import { findAvailability } from "../../src/core/availability/slot-finder.ts";
import { hoursIntervals } from "../../src/core/availability/slot-grid.ts";
import { fixedClock } from "../../src/core/clock.ts";
import { opsPerSecond, reportBench } from "../support/bench.ts";

/** Operations per second (wall clock) and CPU milliseconds per operation (robust on a busy machine). */
async function measure(fn: () => unknown): Promise<{ ops: number; cpuMs: number }> {
  let calls = 0;
  const counted = () => {
    calls++;
    return fn();
  };
  const cpu0 = process.cpuUsage();
  const ops = await opsPerSecond(counted, 1500);
  const cpu = process.cpuUsage(cpu0);
  return { ops, cpuMs: (cpu.user + cpu.system) / 1000 / calls };
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const start = Date.parse("2026-11-23T00:00:00Z");
const end = start + 5 * DAY;
const zones = ["Europe/Stockholm", "Europe/London", "Europe/Paris", "Europe/Berlin"];

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

function scenario(n: number) {
  const schedules: ReadSchedule[] = [];
  for (let p = 0; p < n; p++) {
    const items: ScheduleItem[] = [];
    for (let d = 0; d < 5; d++) {
      for (let k = 0; k < 8; k++) {
        const s = start + d * DAY + (6 * 60 + Math.floor(random() * 44) * 15) * MINUTE;
        const status: ScheduleStatus = random() < 0.8 ? "busy" : "tentative";
        items.push({ start: s, end: s + (1 + Math.floor(random() * 4)) * 15 * MINUTE, status });
      }
    }
    schedules.push({
      id: `user${p}@contoso.com`,
      items,
      workingHours: {
        timeZone: zones[p % zones.length]!,
        daysOfWeek: [1, 2, 3, 4, 5],
        startMinute: 480,
        endMinute: 1020,
      },
    });
  }
  const ids = schedules.map((s) => s.id);
  const request: AvailabilityRequest = {
    required: ids.slice(0, 3),
    optional: ids.slice(3),
    durationMinutes: 30,
    window: { start, end },
    granularityMinutes: 15,
    organizerTimeZone: "Europe/Stockholm",
    maxSuggestions: 10,
  };
  return { schedules, request };
}

/** The baseline: a minute-resolution busy map per attendee, scanned minute by minute for every slot. */
function naive(schedules: ReadSchedule[], request: AvailabilityRequest): number[] {
  const minutes = (end - start) / MINUTE;
  const policy = defaultAvailabilityPolicy;
  const zoneHours = new Map<string, Uint8Array>();
  const workMap = (zone: string) => {
    let m = zoneHours.get(zone);
    if (!m) {
      m = new Uint8Array(minutes);
      const work = hoursIntervals(
        zone,
        { daysOfWeek: [1, 2, 3, 4, 5], startMinute: 480, endMinute: 1020 },
        start - DAY,
        end + DAY,
      );
      const business = hoursIntervals(zone, policy.businessHours!, start - DAY, end + DAY);
      for (const [a, b] of work)
        for (let t = Math.max(a, start); t < Math.min(b, end); t += MINUTE) m[(t - start) / MINUTE] = 1;
      for (let i = 0; i < minutes; i++) {
        const t = start + i * MINUTE;
        if (m[i] && !business.some(([a, b]) => t >= a && t < b)) m[i] = 0;
      }
      zoneHours.set(zone, m);
    }
    return m;
  };
  const free = schedules.map((s) => {
    const m = workMap(s.workingHours!.timeZone).slice();
    for (const it of s.items) {
      for (let t = Math.max(it.start, start); t < Math.min(it.end, end); t += MINUTE)
        m[(t - start) / MINUTE] = 0;
    }
    return m;
  });
  const required = new Set(request.required);
  const scored: { i: number; optional: number }[] = [];
  const d = request.durationMinutes;
  for (let slot = 0; slot + d <= minutes; slot += request.granularityMinutes) {
    let ok = true;
    let optional = 0;
    for (let p = 0; p < schedules.length; p++) {
      let all = true;
      for (let m = slot; m < slot + d; m++) {
        if (!free[p]![m]) {
          all = false;
          break;
        }
      }
      if (required.has(schedules[p]!.id)) {
        if (!all) {
          ok = false;
          break;
        }
      } else if (all) optional++;
    }
    if (ok) scored.push({ i: slot, optional });
  }
  scored.sort((a, b) => b.optional - a.optional || a.i - b.i);
  return scored.slice(0, request.maxSuggestions).map((s) => start + s.i * MINUTE);
}

const clock = fixedClock(start - DAY);
for (const n of [10, 100, 1000]) {
  const { schedules, request } = scenario(n);
  const suggestionsOnly = { ...request, includeGrid: false };
  const ours = findAvailability(suggestionsOnly, schedules, defaultAvailabilityPolicy, clock);
  const theirs = naive(schedules, request);
  const same = JSON.stringify(ours.suggestions.map((s) => s.start)) === JSON.stringify(theirs);
  if (!same) throw new Error(`the two implementations disagree for ${n} attendees`);
  const naiveRun = await measure(() => naive(schedules, request));
  const oursRun = await measure(() =>
    findAvailability(suggestionsOnly, schedules, defaultAvailabilityPolicy, clock),
  );
  const gridRun = await measure(() => findAvailability(request, schedules, defaultAvailabilityPolicy, clock));
  reportBench({
    name: `slot finder, ${n} attendees, 5 days at 15 min, 8 busy blocks/day (suggestions)`,
    unit: "ops/s",
    ours: oursRun.ops,
    baseline: naiveRun.ops,
    baselineName: "naive minute-by-minute scan",
    higherIsBetter: true,
    ...(n === 1000 ? { goal: 200 } : {}),
    notes: `${(1000 / oursRun.ops).toFixed(2)} ms wall, ${oursRun.cpuMs.toFixed(2)} ms CPU per call; naive ${naiveRun.cpuMs.toFixed(2)} ms CPU`,
  });
  reportBench({
    name: `slot finder, ${n} attendees, 5 days at 15 min, 8 busy blocks/day (grid + suggestions)`,
    unit: "ops/s",
    ours: gridRun.ops,
    baseline: naiveRun.ops,
    baselineName: "naive minute-by-minute scan, suggestions only",
    higherIsBetter: true,
    notes: `${(1000 / gridRun.ops).toFixed(2)} ms wall, ${gridRun.cpuMs.toFixed(2)} ms CPU per call`,
  });
}
