/**
 * Is the slot still free? The re-check just before a booking is written, and the refusal when it is not:
 * SLOT_NO_LONGER_FREE with the busy addresses and the next best alternatives.
 */
import type { Actor } from "../actor.ts";
import type { AvailabilityPolicy, Schedule } from "../availability/model.ts";
import { findAvailability } from "../availability/slot-finder.ts";
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import { lower } from "./drafts.ts";
import type { Booking } from "./model.ts";
import type { Calendars, Policies } from "./ports.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SlotCheckDeps {
  readonly calendars: Calendars;
  readonly policies: Policies;
  readonly clock: Clock;
}

export interface Alternative {
  readonly start: number;
  readonly end: number;
  readonly room: string | null;
}

const hardStatuses = (p: AvailabilityPolicy) =>
  new Set<string>([
    "busy",
    ...(p.outOfOfficeIsBusy ? ["oof"] : []),
    ...(p.tentativeIsBusy ? ["tentative"] : []),
    ...(p.workingElsewhereIsBusy ? ["workingElsewhere"] : []),
  ]);

/**
 * Addresses among the organizer, required attendees and the room that are busy during the booking.
 * When moving a booking, its own occurrence at the old time is not counted. A calendar that cannot be
 * read does not block (it was shown as unknown when the slot was picked).
 */
export async function busyAt(
  deps: SlotCheckDeps,
  actor: Actor,
  b: Booking,
  policy: AvailabilityPolicy,
  previous: Booking | null,
): Promise<string[]> {
  const addresses = [
    ...b.attendees.filter((a) => a.type !== "optional").map((a) => a.email),
    ...(b.room ? [b.room] : []),
  ];
  const schedules = await deps.calendars.getSchedule({
    tenantId: actor.tenantId,
    asUser: actor.userId,
    schedules: addresses,
    start: b.start,
    end: b.end,
    intervalMinutes: Math.max(5, Math.min(1440, Math.round((b.end - b.start) / MINUTE))),
  });
  const hard = hardStatuses(policy);
  const busy: string[] = [];
  for (const s of schedules) {
    if ("error" in s) continue;
    const own = (i: { start: number; end: number }) =>
      previous !== null && i.start === previous.start && i.end === previous.end;
    if (s.items.some((i) => hard.has(i.status) && i.start < b.end && b.start < i.end && !own(i)))
      busy.push(lower(s.id));
  }
  return busy;
}

/** The refusal for a slot someone else holds, with the next best times that are free for everyone. */
export async function slotTaken(
  deps: SlotCheckDeps,
  actor: Actor,
  b: Booking,
  busy: string[],
  now: number,
  knownPolicy?: AvailabilityPolicy,
): Promise<DomainError> {
  const policy = knownPolicy ?? (await deps.policies.availabilityPolicy(actor.tenantId));
  const duration = b.end - b.start;
  const windowStart = Math.max(Math.ceil(now / (15 * MINUTE)) * 15 * MINUTE, b.start - 2 * HOUR);
  const windowEnd = Math.max(windowStart + duration, b.start + 3 * DAY);
  const required = b.attendees.filter((a) => a.type !== "optional").map((a) => a.email);
  const optional = b.attendees.filter((a) => a.type === "optional").map((a) => a.email);
  let alternatives: Alternative[] = [];
  let alternativesError: string | null = null;
  try {
    const schedules: Schedule[] = await deps.calendars.getSchedule({
      tenantId: actor.tenantId,
      asUser: actor.userId,
      schedules: [...required, ...optional, ...(b.room ? [b.room] : [])],
      start: windowStart,
      end: windowEnd,
      intervalMinutes: 15,
    });
    const found = findAvailability(
      {
        required,
        optional,
        rooms: b.room ? [b.room] : [],
        durationMinutes: Math.max(5, Math.round(duration / MINUTE)),
        window: { start: windowStart, end: windowEnd },
        granularityMinutes: 15,
        organizerTimeZone: b.timeZone,
        maxSuggestions: 10,
        includeGrid: false,
      },
      schedules,
      policy,
      deps.clock,
    );
    // Never the refused time itself: another booking holds it even while its event is not in Outlook yet.
    alternatives = found.suggestions
      .filter((s) => s.uncertain === 0 && (s.end <= b.start || s.start >= b.end))
      .slice(0, 3)
      .map((s) => ({ start: s.start, end: s.end, room: s.room }));
  } catch (error) {
    // The slot is still taken; the answer says why no alternatives could be offered.
    alternativesError = error instanceof Error ? error.message : String(error);
  }
  return new DomainError("SLOT_NO_LONGER_FREE", undefined, {
    details: { busy, alternatives, ...(alternativesError ? { alternativesError } : {}) },
  });
}
