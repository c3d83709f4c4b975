import { badRequest } from "../http.ts";
import type { Attendee, EmEvent, RecurrencePattern, RecurrenceRange, TenantState } from "../model.ts";
import type { EmulatorState } from "../state.ts";
import { formatWall, parseDateTimeTimeZone, toIana, utcToWall, WEEKDAYS } from "../time.ts";

export interface EventInput {
  subject?: string;
  body?: { contentType?: string; content?: string };
  start?: { dateTime?: string; timeZone?: string };
  end?: { dateTime?: string; timeZone?: string };
  isAllDay?: boolean;
  showAs?: EmEvent["showAs"];
  sensitivity?: EmEvent["sensitivity"];
  importance?: EmEvent["importance"];
  location?: { displayName?: string; locationEmailAddress?: string; locationType?: string };
  attendees?: { emailAddress?: { address?: string; name?: string }; type?: Attendee["type"] }[];
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: EmEvent["onlineMeetingProvider"];
  recurrence?: { pattern?: Partial<RecurrencePattern>; range?: Partial<RecurrenceRange> } | null;
  transactionId?: string;
  categories?: string[];
  reminderMinutesBeforeStart?: number;
  isReminderOn?: boolean;
  responseRequested?: boolean;
}

const SHOW_AS = ["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"];
const SENSITIVITY = ["normal", "personal", "private", "confidential"];

export function parseWhen(value: unknown, name: string): { utc: number; zone: string } {
  const v = value as { dateTime?: unknown; timeZone?: unknown } | undefined;
  if (!v || typeof v.dateTime !== "string")
    throw badRequest(
      `The ${name} property is required and must be a dateTimeTimeZone.`,
      "ErrorInvalidRequest",
    );
  const zone = typeof v.timeZone === "string" && v.timeZone ? v.timeZone : "UTC";
  if (!toIana(zone))
    throw badRequest(
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`,
      "TimeZoneNotSupportedException",
    );
  const utc = parseDateTimeTimeZone(v);
  if (utc === undefined)
    throw badRequest(
      `Cannot convert the literal '${v.dateTime}' to the expected type 'Edm.DateTimeOffset'.`,
      "ErrorInvalidRequest",
    );
  return { utc, zone };
}

export function validateInput(input: EventInput): void {
  if (input.showAs !== undefined && !SHOW_AS.includes(input.showAs))
    throw badRequest(`Invalid showAs '${input.showAs}'.`, "ErrorInvalidRequest");
  if (input.sensitivity !== undefined && !SENSITIVITY.includes(input.sensitivity))
    throw badRequest(`Invalid sensitivity '${input.sensitivity}'.`, "ErrorInvalidRequest");
  if (input.subject !== undefined && typeof input.subject !== "string")
    throw badRequest("subject must be a string.", "ErrorInvalidRequest");
  if (input.attendees !== undefined && !Array.isArray(input.attendees))
    throw badRequest("attendees must be an array.", "ErrorInvalidRequest");
  for (const a of input.attendees ?? []) {
    if (!a?.emailAddress?.address || !/^[^@\s]+@[^@\s]+$/.test(a.emailAddress.address)) {
      throw badRequest("Every attendee needs emailAddress.address.", "ErrorInvalidRecipients");
    }
  }
}

export function parseRecurrence(
  input: EventInput["recurrence"],
  startUtc: number,
  zone: string,
): EmEvent["recurrence"] {
  if (!input) return null;
  const p = input.pattern ?? {};
  const r = input.range ?? {};
  const types = ["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"];
  if (!p.type || !types.includes(p.type))
    throw badRequest("recurrence.pattern.type is not valid.", "ErrorInvalidRequest");
  if (
    (p.type === "weekly" || p.type.startsWith("relative")) &&
    (!p.daysOfWeek || p.daysOfWeek.length === 0)
  ) {
    throw badRequest("recurrence.pattern.daysOfWeek is required for this pattern.", "ErrorInvalidRequest");
  }
  for (const d of p.daysOfWeek ?? [])
    if (!WEEKDAYS.includes(d)) throw badRequest(`Invalid day '${d}'.`, "ErrorInvalidRequest");
  const iana = toIana(zone) ?? "UTC";
  const startDate = r.startDate ?? formatWall(utcToWall(startUtc, iana)).slice(0, 10);
  const rangeType = r.type ?? "noEnd";
  if (rangeType === "endDate" && !r.endDate)
    throw badRequest("recurrence.range.endDate is required.", "ErrorInvalidRequest");
  if (rangeType === "numbered" && !(Number(r.numberOfOccurrences) > 0))
    throw badRequest("recurrence.range.numberOfOccurrences is required.", "ErrorInvalidRequest");
  const pattern: RecurrencePattern = { type: p.type, interval: Math.max(1, Number(p.interval ?? 1)) };
  if (p.daysOfWeek) pattern.daysOfWeek = p.daysOfWeek;
  if (p.dayOfMonth) pattern.dayOfMonth = p.dayOfMonth;
  if (p.month) pattern.month = p.month;
  pattern.firstDayOfWeek = p.firstDayOfWeek ?? "sunday";
  if (p.index) pattern.index = p.index;
  const range: RecurrenceRange = {
    type: rangeType,
    startDate,
    recurrenceTimeZone: r.recurrenceTimeZone ?? zone,
  };
  if (r.endDate) range.endDate = r.endDate;
  if (r.numberOfOccurrences) range.numberOfOccurrences = Number(r.numberOfOccurrences);
  return { pattern, range };
}

export function resolveAttendees(
  state: EmulatorState,
  tenant: TenantState,
  input: EventInput["attendees"],
): Attendee[] {
  return (input ?? []).map((a) => {
    const address = a.emailAddress?.address ?? "";
    const user = state.findUser(tenant, address);
    const type = a.type ?? (user?.kind === "room" ? "resource" : "required");
    return {
      type,
      name: a.emailAddress?.name ?? user?.displayName ?? address,
      address: user?.mail ?? address,
      response: "none",
    };
  });
}
