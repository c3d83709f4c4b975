/**
 * Bookings over HTTP: `POST /api/bookings` (header `Idempotency-Key`), `GET /api/bookings?from&to`,
 * `GET /api/bookings/:id`, `GET /api/bookings/:id/history`, `PATCH /api/bookings/:id`,
 * `DELETE /api/bookings/:id?comment=`. See src/api-contract/bookings.ts. `createSchedulingServices` wires
 * the availability and booking services to Graph and the database (shared with the bot).
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import {
  type BookingResponse,
  bookingEtag,
  cancelBookingQuery,
  createBookingBody,
  idempotencyKeyHeader,
  listBookingsQuery,
  readIfMatch,
  updateBookingBody,
} from "../../api-contract/bookings.ts";
import type { AvailabilityDeps } from "../../core/availability/service.ts";
import type { Booking } from "../../core/booking/model.ts";
import type { Notifier } from "../../core/booking/ports.ts";
import { BookingService } from "../../core/booking/service.ts";
import type { Clock } from "../../core/clock.ts";
import { createGraphCalendars } from "../../graph/calendars.ts";
import type { GraphGateway } from "../../graph/gateway.ts";
import { createGraphRooms } from "../../graph/places.ts";
import { DrizzlePeople, DrizzlePolicies } from "../../store/booking-directory.ts";
import { DrizzleBookingStore } from "../../store/bookings.ts";
import type { Database } from "../../store/db.ts";
import { countriesByAddress } from "../../store/members.ts";
import { authenticate, requireConsented } from "../auth.ts";

export interface SchedulingServices {
  readonly availability: AvailabilityDeps;
  readonly bookings: BookingService;
  /** The tenant availability policy, readable and writable (admin route). */
  readonly policies: DrizzlePolicies;
}

export function createSchedulingServices(deps: {
  database: Database;
  graph: GraphGateway;
  clock: Clock;
  notifier: Notifier;
}): SchedulingServices {
  const calendars = createGraphCalendars(deps.graph, (tenantId, addresses) =>
    countriesByAddress(deps.database.db, tenantId, addresses),
  );
  const policies = new DrizzlePolicies(deps.database);
  const people = new DrizzlePeople(deps.database);
  const rooms = createGraphRooms(deps.graph, deps.clock);
  return {
    policies,
    availability: { calendars, policies, people, rooms, clock: deps.clock },
    bookings: new BookingService({
      calendars,
      store: new DrizzleBookingStore(deps.database),
      people,
      rooms,
      notifier: deps.notifier,
      policies,
      clock: deps.clock,
      newId: randomUUID,
    }),
  };
}

export function toBookingResponse(b: Booking): BookingResponse {
  return {
    id: b.id,
    status: b.status,
    subject: b.subject,
    start: b.start,
    end: b.end,
    timeZone: b.timeZone,
    organizer: { userId: b.organizerUserId, email: b.organizerEmail },
    createdByUserId: b.createdByUserId,
    attendees: [...b.attendees],
    room: b.room,
    location: b.location,
    isOnlineMeeting: b.isOnlineMeeting,
    joinUrl: b.joinUrl,
    webLink: b.webLink,
    eventId: b.eventId,
    version: b.version,
  };
}

export function bookingRoutes(service: BookingService) {
  return async function register(app: FastifyInstance): Promise<void> {
    const onRequest = [authenticate, requireConsented];

    app.post("/api/bookings", { onRequest }, async (request, reply) => {
      const key = idempotencyKeyHeader.parse(request.headers["idempotency-key"]);
      const body = createBookingBody.parse(request.body);
      const result = await service.book(request.actor, body, key);
      reply.header("etag", bookingEtag(result.booking.version));
      return reply.status(result.replayed ? 200 : 201).send({
        ...toBookingResponse(result.booking),
        replayed: result.replayed,
        notification: result.notification,
      });
    });

    app.get("/api/bookings", { onRequest }, async (request) => {
      const q = listBookingsQuery.parse(request.query);
      const list = await service.list(request.actor, q.from, q.to);
      return { bookings: list.map(toBookingResponse) };
    });

    app.get<{ Params: { id: string } }>("/api/bookings/:id", { onRequest }, async (request, reply) => {
      const booking = await service.get(request.actor, request.params.id);
      reply.header("etag", bookingEtag(booking.version));
      return toBookingResponse(booking);
    });

    app.get<{ Params: { id: string } }>("/api/bookings/:id/history", { onRequest }, async (request) => ({
      history: await service.history(request.actor, request.params.id),
    }));

    app.patch<{ Params: { id: string } }>("/api/bookings/:id", { onRequest }, async (request, reply) => {
      const ifVersion = readIfMatch(request.headers["if-match"]);
      const patch = updateBookingBody.parse(request.body);
      const booking = await service.reschedule(request.actor, request.params.id, {
        ...patch,
        ...(ifVersion === undefined ? {} : { ifVersion }),
      });
      reply.header("etag", bookingEtag(booking.version));
      return toBookingResponse(booking);
    });

    app.delete<{ Params: { id: string } }>("/api/bookings/:id", { onRequest }, async (request, reply) => {
      const ifVersion = readIfMatch(request.headers["if-match"]);
      const q = cancelBookingQuery.parse(request.query);
      const booking = await service.cancel(request.actor, request.params.id, q.comment ?? null, ifVersion);
      reply.header("etag", bookingEtag(booking.version));
      return toBookingResponse(booking);
    });
  };
}
