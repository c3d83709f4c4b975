/**
 * Settling bookings whose attempt was lost. A booking is `creating` from its claim until Graph answers the
 * event creation; a process killed in between leaves it so, and an active booking holds its organizer,
 * required attendees and room. Once a claim is older than the claim timeout (far longer than an attempt
 * takes), the organizer's calendar is asked for the event by the booking's transactionId: found, the
 * booking is confirmed with it; absent, the booking failed and its slot is free. A calendar that cannot be
 * read leaves the booking as it is for the next round: a slot is never freed on a guess.
 */
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import type { Booking } from "./model.ts";
import type { BookingStore, Calendars } from "./ports.ts";

/** How long a claim may stay `creating` before reconciliation settles it. */
export const CLAIM_TIMEOUT_MS = 2 * 60_000;

export interface ReconcileDeps {
  readonly calendars: Calendars;
  readonly store: BookingStore;
  readonly clock: Clock;
  /** Default CLAIM_TIMEOUT_MS. */
  readonly claimTimeoutMs?: number;
  /** Most bookings settled per round (default 100); the next round takes the rest. */
  readonly batchSize?: number;
}

export interface ReconcileReport {
  /** Bookings whose event was found: confirmed with it. */
  readonly confirmed: readonly Booking[];
  /** Bookings without an event: failed, their slots free. */
  readonly failed: readonly Booking[];
  /** Bookings left `creating` because the organizer's calendar could not be read, with the reason. */
  readonly unsettled: readonly { readonly booking: Booking; readonly error: unknown }[];
}

export async function reconcileStaleBookings(deps: ReconcileDeps): Promise<ReconcileReport> {
  const now = deps.clock.now();
  const stale = await deps.store.staleClaims(
    now - (deps.claimTimeoutMs ?? CLAIM_TIMEOUT_MS),
    deps.batchSize ?? 100,
  );
  const confirmed: Booking[] = [];
  const failed: Booking[] = [];
  const unsettled: { booking: Booking; error: unknown }[] = [];
  for (const booking of stale) {
    let event: Awaited<ReturnType<Calendars["findEvent"]>>;
    try {
      event = await deps.calendars.findEvent({
        tenantId: booking.tenantId,
        organizer: booking.organizerUserId,
        transactionId: booking.transactionId,
      });
    } catch (error) {
      unsettled.push({ booking, error });
      continue;
    }
    try {
      const settled = await deps.store.update(
        booking.tenantId,
        booking.id,
        booking.version,
        event ? { status: "confirmed", ...event } : { status: "failed" },
        { action: event ? "created" : "failed", actorUserId: null, at: now },
      );
      (event ? confirmed : failed).push(settled);
    } catch (error) {
      // Its own attempt, or a retry of its key, settled it meanwhile: that answer stands.
      if (error instanceof DomainError && error.code === "CONFLICT") continue;
      throw error;
    }
  }
  return { confirmed, failed, unsettled };
}
