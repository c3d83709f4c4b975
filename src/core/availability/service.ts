/**
 * Availability for a signed-in user: reads calendars through the `Calendars` port, then finds slots. The
 * organizer — the caller, or the colleague booked for — counts as a required attendee unless the request
 * lists them otherwise or excludes them: a time is never offered when the person it is booked for is busy.
 */
import type { Actor } from "../actor.ts";
import type { Calendars, People, Policies, Rooms } from "../booking/ports.ts";
import { assertKnownRooms } from "../booking/rooms.ts";
import type { Clock } from "../clock.ts";
import type { AvailabilityRequest, AvailabilityResult } from "./model.ts";
import { findAvailability, validateAvailabilityRequest } from "./slot-finder.ts";

const MINUTE = 60_000;

export interface AvailabilityDeps {
  readonly calendars: Calendars;
  readonly policies: Policies;
  /** Finds the caller's mailbox address (their UPN may differ from it). */
  readonly people: Pick<People, "find">;
  /** Only addresses listed as rooms are read as rooms. */
  readonly rooms: Rooms;
  readonly clock: Clock;
}

export interface OrganizerChoice {
  /** The colleague booked for (address), or null/absent for the caller. */
  readonly organizer?: string | null;
  /** Leave the organizer's calendar out (e.g. looking for a time for others only). */
  readonly excludeOrganizer?: boolean;
}

const lower = (s: string) => s.toLowerCase();

export async function availabilityFor(
  deps: AvailabilityDeps,
  actor: Actor,
  asked: AvailabilityRequest,
  choice: OrganizerChoice = {},
): Promise<AvailabilityResult> {
  validateAvailabilityRequest(asked);
  await assertKnownRooms(deps.rooms, actor.tenantId, "rooms", asked.rooms ?? []);
  const request = await withOrganizer(deps, actor, asked, choice);
  const addresses = [
    ...new Set([...request.required, ...(request.optional ?? []), ...(request.rooms ?? [])]),
  ];
  const [policy, schedules] = await Promise.all([
    deps.policies.availabilityPolicy(actor.tenantId),
    deps.calendars.getSchedule({
      tenantId: actor.tenantId,
      asUser: actor.userId,
      schedules: addresses,
      // Buffers look past the window's edges.
      start: request.window.start - (request.bufferBeforeMinutes ?? 0) * MINUTE,
      end: request.window.end + (request.bufferAfterMinutes ?? 0) * MINUTE,
      intervalMinutes: request.granularityMinutes,
    }),
  ]);
  return findAvailability(request, schedules, policy, deps.clock);
}

/** The request with the organizer among the required attendees, unless it lists or excludes them. */
async function withOrganizer(
  deps: AvailabilityDeps,
  actor: Actor,
  request: AvailabilityRequest,
  choice: OrganizerChoice,
): Promise<AvailabilityRequest> {
  if (choice.excludeOrganizer) return request;
  const organizer =
    choice.organizer ?? (await deps.people.find(actor.tenantId, actor.upn))?.email ?? actor.upn;
  const listed = [...request.required, ...(request.optional ?? []), ...(request.rooms ?? [])].map(lower);
  if (listed.includes(lower(organizer)) || (!choice.organizer && listed.includes(lower(actor.upn))))
    return request;
  return { ...request, required: [organizer, ...request.required] };
}
