/** From what a caller asks for to what the store and the calendar get: validation, attendees, the event. */
import { isTimeZone } from "../availability/zones.ts";
import { DomainError } from "../errors.ts";
import type { Booking, BookingAttendee, BookingDraft } from "./model.ts";
import type { EventInput } from "./ports.ts";

const DAY = 86_400_000;

export const lower = (s: string) => s.trim().toLowerCase();
const uniq = (xs: readonly string[]) => [...new Set(xs.map(lower))];

export function validateDraft(d: BookingDraft): void {
  const fail = (m: string) => {
    throw new DomainError("VALIDATION_FAILED", m);
  };
  if (!Number.isFinite(d.start) || !Number.isFinite(d.end) || d.end <= d.start)
    fail("The meeting must end after it starts.");
  if (d.end - d.start > DAY) fail("A meeting can last at most 24 hours.");
  if (!isTimeZone(d.timeZone)) fail(`Unknown time zone "${d.timeZone}".`);
  if (d.required.length + d.optional.length > 500) fail("A meeting can have at most 500 attendees.");
}

export function attendeesOf(
  organizerEmail: string,
  required: readonly string[],
  optional: readonly string[],
): BookingAttendee[] {
  const org = lower(organizerEmail);
  const req = uniq(required).filter((e) => e !== org);
  const opt = uniq(optional).filter((e) => e !== org && !req.includes(e));
  return [
    { email: org, type: "organizer" },
    ...req.map((email) => ({ email, type: "required" as const })),
    ...opt.map((email) => ({ email, type: "optional" as const })),
  ];
}

export const eventOf = (b: Booking): EventInput => ({
  subject: b.subject,
  body: b.body,
  start: b.start,
  end: b.end,
  timeZone: b.timeZone,
  required: b.attendees.filter((a) => a.type === "required").map((a) => a.email),
  optional: b.attendees.filter((a) => a.type === "optional").map((a) => a.email),
  room: b.room,
  location: b.location,
  reminderMinutes: b.reminderMinutes,
  isOnlineMeeting: b.isOnlineMeeting,
});
