/**
 * The bot's Scheduling port over the core availability and booking services: the same idempotent booking
 * path as the tab's /api/bookings. Translation only; the rules live in src/core.
 */
import type { AttendeeState, BookedMeeting, BotUser, Scheduling } from "../../../bot/ports.ts";
import type { AttendeeStatus, VerdictReason } from "../../core/availability/model.ts";
import { type AvailabilityDeps, availabilityFor } from "../../core/availability/service.ts";
import type { Booking } from "../../core/booking/model.ts";
import type { BookingService } from "../../core/booking/service.ts";

const stateOf = (status: AttendeeStatus): AttendeeState =>
  status === "outsideBusinessHours" ? "outsideWorkingHours" : status;

const reasonState: Record<VerdictReason["code"], AttendeeState> = {
  CALENDAR_UNREADABLE: "unknown",
  STATUS_UNKNOWN: "unknown",
  OUT_OF_OFFICE: "oof",
  BUSY: "busy",
  TENTATIVE: "tentative",
  WORKING_ELSEWHERE: "workingElsewhere",
  OUTSIDE_WORKING_HOURS: "outsideWorkingHours",
  OUTSIDE_BUSINESS_HOURS: "outsideWorkingHours",
};

const meetingOf = (b: Booking): BookedMeeting => ({
  bookingId: b.id,
  subject: b.subject,
  start: b.start,
  end: b.end,
  joinUrl: b.joinUrl,
  attendees: b.attendees.filter((a) => a.type !== "organizer").map((a) => a.email),
});

export function createBotScheduling(deps: {
  readonly availability: AvailabilityDeps;
  readonly bookings: BookingService;
  /** Suggestions per card. */
  readonly maxSuggestions?: number;
}): Scheduling {
  const organizerMail = (user: BotUser) => user.upn.toLowerCase();
  return {
    async suggest(user, request) {
      const required = request.attendees.map((p) => p.mail);
      const result = await availabilityFor(deps.availability, user, {
        required,
        durationMinutes: request.durationMinutes,
        window: { start: request.window.startMs, end: request.window.endMs },
        granularityMinutes: 15,
        organizerTimeZone: user.timeZone,
        maxSuggestions: deps.maxSuggestions ?? 5,
      });
      const byMail = new Map(request.attendees.map((p) => [p.mail.toLowerCase(), p]));
      const unreadable = result.grid
        .filter((row) => row.error)
        .flatMap((row) => {
          const person = byMail.get(row.id.toLowerCase());
          return person && row.error ? [{ person, message: row.error.message }] : [];
        });
      const empty = result.emptyReason;
      return {
        unreadable,
        unavailable:
          empty?.code === "ATTENDEES_UNAVAILABLE"
            ? empty.attendees.flatMap((a) => {
                const person = byMail.get(a.id.toLowerCase());
                return person ? [{ person, state: reasonState[a.reason.code] }] : [];
              })
            : [],
        suggestions: result.suggestions.map((s) => ({
          start: s.start,
          end: s.end,
          attendees: s.attendees.flatMap((a) => {
            const person = byMail.get(a.id.toLowerCase());
            return person ? [{ person, state: stateOf(a.status) }] : [];
          }),
        })),
      };
    },

    async book(user, request) {
      const result = await deps.bookings.book(
        user,
        {
          subject: request.subject,
          body: null,
          start: request.start,
          end: request.end,
          timeZone: user.timeZone,
          required: request.attendees
            .map((p) => p.mail)
            .filter((m) => m.toLowerCase() !== organizerMail(user)),
          optional: [],
          room: null,
          location: null,
          reminderMinutes: 15,
          isOnlineMeeting: true,
          organizer: null,
        },
        request.idempotencyKey,
      );
      return meetingOf(result.booking);
    },

    async meetings(user, window) {
      const bookings = await deps.bookings.list(user, window.startMs, window.endMs);
      return bookings.filter((b) => b.status === "confirmed" || b.status === "creating").map(meetingOf);
    },

    async cancel(user, bookingId) {
      await deps.bookings.cancel(user, bookingId, null);
    },
  };
}
