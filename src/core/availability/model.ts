/**
 * The availability domain: schedules as read from calendars (instants as UTC epoch ms, zones as IANA
 * names), the tenant's availability policy, and what the slot finder answers.
 */

/** Free/busy status of a schedule item (Graph's scheduleItem.status vocabulary). */
export const scheduleStatuses = ["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"] as const;
export type ScheduleStatus = (typeof scheduleStatuses)[number];

export interface ScheduleItem {
  /** UTC epoch ms, inclusive. */
  readonly start: number;
  /** UTC epoch ms, exclusive. */
  readonly end: number;
  readonly status: ScheduleStatus;
}

/** Daily hours on some days of the week; 0 = Sunday. `endMinute <= startMinute` means the hours cross midnight. */
export interface DailyHours {
  readonly daysOfWeek: readonly number[];
  /** Minutes since local midnight, 0..1439. */
  readonly startMinute: number;
  /** Minutes since local midnight, 1..1440. */
  readonly endMinute: number;
}

export interface WorkingHours extends DailyHours {
  /** IANA zone name (converted from Windows names at ingest). */
  readonly timeZone: string;
}

/** A calendar that was read: its items (expanded occurrences, any order) and working hours if known. */
export interface ReadSchedule {
  /** SMTP address (case-insensitive). */
  readonly id: string;
  readonly items: readonly ScheduleItem[];
  readonly workingHours: WorkingHours | null;
}

/** A calendar that could not be read. It is never treated as free. */
export interface FailedSchedule {
  readonly id: string;
  readonly error: { readonly code: string; readonly message: string };
}

export type Schedule = ReadSchedule | FailedSchedule;

export const isFailedSchedule = (s: Schedule): s is FailedSchedule => "error" in s;

/** How a tenant reads calendars. */
export interface AvailabilityPolicy {
  /** Tentative counts as busy (default true). When false, tentative lowers a slot but does not exclude it. */
  readonly tentativeIsBusy: boolean;
  /** Out of office counts as busy (default true). */
  readonly outOfOfficeIsBusy: boolean;
  /** Working elsewhere counts as busy (default false). */
  readonly workingElsewhereIsBusy: boolean;
  /** Business hours applied in each attendee's own zone on top of their working hours; null = none. */
  readonly businessHours: DailyHours | null;
}

export const defaultAvailabilityPolicy: AvailabilityPolicy = Object.freeze({
  tentativeIsBusy: true,
  outOfOfficeIsBusy: true,
  workingElsewhereIsBusy: false,
  businessHours: Object.freeze({
    daysOfWeek: Object.freeze([1, 2, 3, 4, 5]),
    startMinute: 9 * 60,
    endMinute: 18 * 60,
  }),
});

export interface AvailabilityRequest {
  /** Attendees who must attend (SMTP addresses). */
  readonly required: readonly string[];
  readonly optional?: readonly string[];
  /** Rooms wanted: any one of them, or none. */
  readonly rooms?: readonly string[];
  readonly durationMinutes: number;
  /** The span searched and shown, UTC epoch ms [start, end). */
  readonly window: { readonly start: number; readonly end: number };
  /** Slot starts and grid cells step by this many minutes from window.start. */
  readonly granularityMinutes: number;
  readonly bufferBeforeMinutes?: number;
  readonly bufferAfterMinutes?: number;
  /** No slot starts sooner than this after now. */
  readonly minimumNoticeMinutes?: number;
  /** No slot ends later than this many days after now. */
  readonly horizonDays?: number;
  /** Zone used for business hours of attendees whose working hours are unknown. */
  readonly organizerTimeZone: string;
  readonly maxSuggestions?: number;
  /** Compute the grid too (default true); suggestions alone are cheaper. */
  readonly includeGrid?: boolean;
}

export type ParticipantRole = "required" | "optional" | "room";

/**
 * Grid cell codes, one character per interval (Graph's availabilityView digits plus two):
 * 0 free, 1 tentative, 2 busy, 3 out of office, 4 working elsewhere, 5 outside working or business hours,
 * 9 unknown (the calendar could not be read, or shows unknown).
 */
export const gridLegend = {
  "0": "free",
  "1": "tentative",
  "2": "busy",
  "3": "oof",
  "4": "workingElsewhere",
  "5": "outsideWorkingHours",
  "9": "unknown",
} as const;
export type GridState = (typeof gridLegend)[keyof typeof gridLegend];

export interface GridRow {
  readonly id: string;
  readonly role: ParticipantRole;
  /** One character per interval from window.start; see `gridLegend`. */
  readonly view: string;
  readonly workingHours: WorkingHours | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export type AttendeeStatus =
  | "free"
  | "workingElsewhere"
  | "tentative"
  | "busy"
  | "oof"
  | "outsideWorkingHours"
  | "outsideBusinessHours"
  | "unknown";

/** Hours a slot falls outside of, in the zone they are kept in. */
export interface HoursNote {
  /** Minutes since local midnight, 0..1439. */
  readonly startMinute: number;
  /** Minutes since local midnight, 1..1440. */
  readonly endMinute: number;
  readonly timeZone: string;
}

/**
 * Why an attendee is not plainly free at a slot, as a code with parameters; hosts word it in the reader's
 * language.
 */
export type VerdictReason =
  | { readonly code: "CALENDAR_UNREADABLE" }
  | { readonly code: "OUT_OF_OFFICE" }
  | { readonly code: "BUSY" }
  | { readonly code: "TENTATIVE" }
  | { readonly code: "WORKING_ELSEWHERE" }
  | { readonly code: "STATUS_UNKNOWN" }
  | { readonly code: "OUTSIDE_WORKING_HOURS"; readonly hours: HoursNote }
  | { readonly code: "OUTSIDE_BUSINESS_HOURS"; readonly hours: HoursNote };

export interface AttendeeVerdict {
  readonly id: string;
  readonly role: ParticipantRole;
  readonly status: AttendeeStatus;
  /** Why the attendee is not plainly free; null when free (or working elsewhere and the policy allows it). */
  readonly reason: VerdictReason | null;
}

export interface Suggestion {
  readonly start: number;
  readonly end: number;
  /** The room picked for the slot (first free one by address), or null when no room was asked for. */
  readonly room: string | null;
  /** Required attendees (and the room) whose availability is uncertain (unknown or tentative). 0 is best. */
  readonly uncertain: number;
  readonly optionalAvailable: number;
  readonly attendees: readonly AttendeeVerdict[];
}

export interface AvailabilityResult {
  readonly window: { readonly start: number; readonly end: number };
  readonly intervalMinutes: number;
  readonly grid: readonly GridRow[];
  readonly suggestions: readonly Suggestion[];
  /** Why there are no suggestions, or null when there are some. */
  readonly emptyReason: EmptyReason | null;
}

/**
 * Why a search found no time, as a code with parameters:
 * - `NO_SLOT_IN_WINDOW`: no slot of the length fits the window after the minimum notice and horizon;
 * - `ATTENDEES_UNAVAILABLE`: these required attendees are not free at any time of the window, each with
 *   what keeps them (out of office, busy, outside their hours, ...);
 * - `NO_COMMON_TIME`: each required attendee has free time, but never at the same time;
 * - `NO_ROOM_FREE`: the attendees have common free time, but no room is free then.
 */
export type EmptyReason =
  | { readonly code: "NO_SLOT_IN_WINDOW" }
  | {
      readonly code: "ATTENDEES_UNAVAILABLE";
      readonly attendees: readonly { readonly id: string; readonly reason: VerdictReason }[];
    }
  | { readonly code: "NO_COMMON_TIME" }
  | { readonly code: "NO_ROOM_FREE" };
