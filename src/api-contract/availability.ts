/**
 * `GET /api/availability?...` (query) or `POST /api/availability` (JSON body, for long attendee lists):
 * the grid per attendee/room and ranked suggestions. Times in are ISO 8601 with an offset; times out are
 * UTC epoch milliseconds. Addresses may repeat a query key (`required=a&required=b`) or be comma-separated.
 */
import { z } from "zod";

const addresses = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    (v === undefined ? [] : Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(","))
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.email("must be e-mail addresses")).max(1000));

const instant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with an offset" })
  .transform((s) => Date.parse(s));
const minutes = (max: number) => z.coerce.number().int().min(0).max(max);
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const availabilityQuery = z
  .object({
    required: addresses,
    optional: addresses,
    rooms: addresses,
    start: instant,
    end: instant,
    durationMinutes: z.coerce.number().int().min(5).max(1440).default(30),
    /** Slot step and grid cell, in minutes. */
    intervalMinutes: z.coerce.number().int().min(5).max(1440).default(15),
    bufferBeforeMinutes: minutes(240).default(0),
    bufferAfterMinutes: minutes(240).default(0),
    minimumNoticeMinutes: minutes(60 * 24 * 14).default(0),
    horizonDays: z.coerce.number().int().min(1).max(365).optional(),
    /** The organizer's IANA zone (business hours of attendees whose zone is unknown). */
    timeZone: z.string().min(1).default("UTC"),
    maxSuggestions: z.coerce.number().int().min(1).max(50).default(10),
    includeGrid: flag.default(true),
    /**
     * Whose calendar the meeting goes into: a colleague's address when a scheduler books for them, else the
     * caller. The organizer counts as a required attendee unless `excludeOrganizer` is true.
     */
    organizer: z.email("must be an e-mail address").optional(),
    excludeOrganizer: flag.default(false),
  })
  .refine((q) => q.end > q.start, { message: "end must be after start", path: ["end"] })
  .refine((q) => q.required.length + q.optional.length > 0, {
    message: "name at least one attendee",
    path: ["required"],
  })
  .refine((q) => q.end - q.start <= 62 * 86_400_000, {
    message: "the window can span at most 62 days",
    path: ["end"],
  });
export type AvailabilityQuery = z.infer<typeof availabilityQuery>;

const workingHours = z.object({
  timeZone: z.string(),
  daysOfWeek: z.array(z.number()),
  startMinute: z.number(),
  endMinute: z.number(),
});

const hoursNote = z.object({
  startMinute: z.number().int(),
  endMinute: z.number().int(),
  timeZone: z.string(),
});

/** Why an attendee is not plainly free at a slot: a code (with the hours, for the outside-hours ones). */
export const verdictReason = z.discriminatedUnion("code", [
  z.object({ code: z.literal("CALENDAR_UNREADABLE") }),
  z.object({ code: z.literal("OUT_OF_OFFICE") }),
  z.object({ code: z.literal("BUSY") }),
  z.object({ code: z.literal("TENTATIVE") }),
  z.object({ code: z.literal("WORKING_ELSEWHERE") }),
  z.object({ code: z.literal("STATUS_UNKNOWN") }),
  z.object({ code: z.literal("OUTSIDE_WORKING_HOURS"), hours: hoursNote }),
  z.object({ code: z.literal("OUTSIDE_BUSINESS_HOURS"), hours: hoursNote }),
]);
export type VerdictReasonBody = z.infer<typeof verdictReason>;

/** Why a search found no time (see EmptyReason in src/core/availability/model.ts). */
export const emptyReason = z.discriminatedUnion("code", [
  z.object({ code: z.literal("NO_SLOT_IN_WINDOW") }),
  z.object({
    code: z.literal("ATTENDEES_UNAVAILABLE"),
    attendees: z.array(z.object({ id: z.string(), reason: verdictReason })),
  }),
  z.object({ code: z.literal("NO_COMMON_TIME") }),
  z.object({ code: z.literal("NO_ROOM_FREE") }),
]);
export type EmptyReasonBody = z.infer<typeof emptyReason>;

export const availabilityResponse = z.object({
  window: z.object({ start: z.number(), end: z.number() }),
  intervalMinutes: z.number(),
  /** Meaning of each character of `grid[].view`. */
  legend: z.record(z.string(), z.string()),
  grid: z.array(
    z.object({
      id: z.string(),
      role: z.enum(["required", "optional", "room"]),
      view: z.string(),
      workingHours: workingHours.nullable(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
  suggestions: z.array(
    z.object({
      start: z.number(),
      end: z.number(),
      room: z.string().nullable(),
      uncertain: z.number(),
      optionalAvailable: z.number(),
      attendees: z.array(
        z.object({
          id: z.string(),
          role: z.enum(["required", "optional", "room"]),
          status: z.string(),
          reason: verdictReason.nullable(),
        }),
      ),
    }),
  ),
  emptyReason: emptyReason.nullable(),
});
export type AvailabilityResponse = z.infer<typeof availabilityResponse>;

const dailyHours = z.object({
  daysOfWeek: z.array(z.number().int().min(0).max(6)).min(1),
  startMinute: z.number().int().min(0).max(1439),
  endMinute: z.number().int().min(1).max(1440),
});

/**
 * `GET` / `PUT /api/admin/availability-policy` (owner or admin): how the tenant reads calendars.
 * `businessHours` apply in each attendee's zone (0 = Sunday; minutes since midnight); null = none.
 */
export const availabilityPolicyBody = z.object({
  tentativeIsBusy: z.boolean(),
  outOfOfficeIsBusy: z.boolean(),
  workingElsewhereIsBusy: z.boolean(),
  businessHours: dailyHours.nullable(),
});
export type AvailabilityPolicyBody = z.infer<typeof availabilityPolicyBody>;
