/**
 * Bookings whose attempt was lost (the process died between the claim and Graph's answer) are settled by
 * a job: once at start-up, and every minute on a cron tick shared by every replica (one schedule per
 * deployment). The job confirms each with its event or fails it, freeing its slot (core/booking/reconcile.ts).
 */
import type { Logger } from "pino";
import { reconcileStaleBookings } from "../../core/booking/reconcile.ts";
import type { Clock } from "../../core/clock.ts";
import { createGraphCalendars } from "../../graph/calendars.ts";
import type { GraphGateway } from "../../graph/gateway.ts";
import { DrizzleBookingStore } from "../../store/bookings.ts";
import type { Database } from "../../store/db.ts";
import type { JobQueue } from "../../store/queue.ts";

export const BOOKING_RECONCILE_JOB = "bookings.reconcile";
/** Every minute (UTC): with the two-minute claim timeout, a lost claim is settled within three. */
export const BOOKING_RECONCILE_CRON = "* * * * *";

export async function startBookingReconciler(deps: {
  database: Database;
  graph: GraphGateway;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}): Promise<void> {
  const { queue, logger } = deps;
  const calendars = createGraphCalendars(deps.graph);
  const store = new DrizzleBookingStore(deps.database);
  await queue.work(
    BOOKING_RECONCILE_JOB,
    async () => {
      const report = await reconcileStaleBookings({ calendars, store, clock: deps.clock });
      for (const b of report.confirmed)
        logger.info(
          { tenantId: b.tenantId, bookingId: b.id, eventId: b.eventId },
          "booking whose attempt was lost confirmed: its event is in the organizer's calendar",
        );
      for (const b of report.failed)
        logger.info(
          { tenantId: b.tenantId, bookingId: b.id },
          "booking whose attempt was lost failed: no event in the organizer's calendar, its slot is free",
        );
      for (const { booking: b, error } of report.unsettled)
        logger.warn(
          { err: error, tenantId: b.tenantId, bookingId: b.id },
          "booking whose attempt was lost stays creating: the organizer's calendar could not be read",
        );
    },
    { pollingIntervalSeconds: 2 },
  );
  await queue.schedule(BOOKING_RECONCILE_JOB, BOOKING_RECONCILE_CRON);
  // Claims a crash left behind are settled at start-up, not only at the next tick.
  await queue.send(BOOKING_RECONCILE_JOB, {}, { retryLimit: 0 });
}
