/** Availability for a signed-in user: reads calendars through the `Calendars` port, then finds slots. */
import type { Actor } from "../actor.ts";
import type { Calendars, Policies } from "../booking/ports.ts";
import type { Clock } from "../clock.ts";
import type { AvailabilityRequest, AvailabilityResult } from "./model.ts";
import { findAvailability, validateAvailabilityRequest } from "./slot-finder.ts";

const MINUTE = 60_000;

export interface AvailabilityDeps {
  readonly calendars: Calendars;
  readonly policies: Policies;
  readonly clock: Clock;
}

export async function availabilityFor(
  deps: AvailabilityDeps,
  actor: Actor,
  request: AvailabilityRequest,
): Promise<AvailabilityResult> {
  validateAvailabilityRequest(request);
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
