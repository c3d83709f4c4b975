/**
 * Bookings API: `POST /api/bookings` (header `Idempotency-Key`, one per draft), `GET /api/bookings?from&to`,
 * `GET /api/bookings/:id`, `PATCH /api/bookings/:id` (reschedule / edit), `DELETE /api/bookings/:id`
 * (cancel, optional `?comment=`). Times in are ISO 8601 with an offset; times out are UTC epoch ms.
 */
import { z } from "zod";

const instant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with an offset" })
  .transform((s) => Date.parse(s));
const emails = z.array(z.email("must be e-mail addresses")).max(500);

export const idempotencyKeyHeader = z
  .string({ message: "the Idempotency-Key header is required (one key per booking draft)" })
  .trim()
  .min(1, "the Idempotency-Key header is required (one key per booking draft)")
  .max(200);

/**
 * The optional `If-Match` header of PATCH and DELETE: the booking's ETag as GET, POST and PATCH return it
 * (`"<version>"`, weak form accepted). Absent: the change applies to whatever version is current.
 */
export const ifMatchHeader = z
  .string()
  .trim()
  .regex(/^(W\/)?"\d+"$/, 'the If-Match header must be the booking\'s ETag as returned, e.g. "3"')
  .transform((s) => Number(s.replace(/^(W\/)?"/, "").replace(/"$/, "")))
  .optional();

/** Reads If-Match so a bad value is reported under the header's name. */
export const readIfMatch = (value: unknown): number | undefined =>
  z.object({ "If-Match": ifMatchHeader }).parse({ "If-Match": value })["If-Match"];

/** The ETag of a booking: its version, which every change raises. */
export const bookingEtag = (version: number): string => `"${version}"`;

export const createBookingBody = z
  .object({
    subject: z.string().trim().min(1).max(255),
    body: z.string().max(32_000).nullable().default(null),
    start: instant,
    end: instant,
    /** IANA zone the meeting is shown in. */
    timeZone: z.string().min(1),
    required: emails.default([]),
    optional: emails.default([]),
    room: z.email().nullable().default(null),
    location: z.string().max(255).nullable().default(null),
    reminderMinutes: z.number().int().min(0).max(40_320).nullable().default(15),
    isOnlineMeeting: z.boolean().default(true),
    /** A colleague's address to book into their calendar (scheduler role). */
    organizer: z.email().nullable().default(null),
  })
  .refine((b) => b.end > b.start, { message: "end must be after start", path: ["end"] });
export type CreateBookingBody = z.infer<typeof createBookingBody>;

export const updateBookingBody = z
  .object({
    subject: z.string().trim().min(1).max(255).optional(),
    body: z.string().max(32_000).nullable().optional(),
    start: instant.optional(),
    end: instant.optional(),
    timeZone: z.string().min(1).optional(),
    required: emails.optional(),
    optional: emails.optional(),
    room: z.email().nullable().optional(),
    location: z.string().max(255).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "change at least one field" });
export type UpdateBookingBody = z.infer<typeof updateBookingBody>;

export const listBookingsQuery = z
  .object({ from: instant, to: instant })
  .refine((q) => q.to > q.from, { message: "to must be after from", path: ["to"] });

export const cancelBookingQuery = z.object({ comment: z.string().max(2000).optional() });

export const bookingResponse = z.object({
  id: z.string(),
  status: z.enum(["creating", "confirmed", "cancelled", "failed"]),
  subject: z.string(),
  start: z.number(),
  end: z.number(),
  timeZone: z.string(),
  organizer: z.object({ userId: z.string(), email: z.string() }),
  createdByUserId: z.string(),
  attendees: z.array(z.object({ email: z.string(), type: z.enum(["organizer", "required", "optional"]) })),
  room: z.string().nullable(),
  location: z.string().nullable(),
  isOnlineMeeting: z.boolean(),
  joinUrl: z.string().nullable(),
  webLink: z.string().nullable(),
  eventId: z.string().nullable(),
  version: z.number(),
});
export type BookingResponse = z.infer<typeof bookingResponse>;

export const createBookingResponse = bookingResponse.extend({
  /** True when this repeats the answer to an earlier request with the same Idempotency-Key. */
  replayed: z.boolean(),
  notification: z.object({ status: z.string(), message: z.string().optional() }),
});

export type CreateBookingResponse = z.infer<typeof createBookingResponse>;

export const listBookingsResponse = z.object({ bookings: z.array(bookingResponse) });

/** `details` of a SLOT_NO_LONGER_FREE error. */
export const slotNoLongerFreeDetails = z.object({
  busy: z.array(z.string()),
  alternatives: z.array(z.object({ start: z.number(), end: z.number(), room: z.string().nullable() })),
});
