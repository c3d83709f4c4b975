/**
 * What the task pane needs from the Quorum service, as a small port the components receive as a prop.
 * `quorumOver` (quorum-http.ts) implements it over `createApiClient`, the typed API client of the Teams tab.
 */

import type { EmptyReasonBody, VerdictReasonBody } from "../../src/api-contract/availability.ts";

export type GridCell = "0" | "1" | "2" | "3" | "4" | "5" | "9";

export interface AvailabilityQuery {
  /** SMTP addresses. */
  required: string[];
  optional: string[];
  /** Room mailboxes: each suggestion then names one that is free. */
  rooms?: string[];
  /** UTC epoch ms [start, end). */
  start: number;
  end: number;
  durationMinutes: number;
  /** The viewer's IANA zone (business hours of people whose working hours are unknown). */
  timeZone: string;
  maxSuggestions?: number;
}

export interface PersonAvailability {
  email: string;
  role: "required" | "optional" | "room";
  /** One grid character per interval from the window start (0 free, 1 tentative, 2 busy, 3 oof, 4 elsewhere, 5 outside hours, 9 unknown). */
  view: string;
  /** The person's IANA zone when their working hours are known. */
  timeZone: string | null;
  error: { code: string; message: string } | null;
}

export interface SlotSuggestion {
  start: number;
  end: number;
  room: string | null;
  /** Required attendees whose availability is uncertain; 0 means everyone required is free. */
  uncertain: number;
  attendees: { email: string; status: string; reason: VerdictReasonBody | null }[];
}

export interface Availability {
  window: { start: number; end: number };
  intervalMinutes: number;
  people: PersonAvailability[];
  suggestions: SlotSuggestion[];
  emptyReason: EmptyReasonBody | null;
}

export interface BookingDraft {
  subject: string;
  start: number;
  end: number;
  timeZone: string;
  required: string[];
  optional: string[];
  room: string | null;
}

export interface BookingResult {
  id: string;
  start: number;
  end: number;
  joinUrl: string | null;
}

export interface QuorumPort {
  availability(query: AvailabilityQuery, signal?: AbortSignal): Promise<Availability>;
  /** Creates the meeting through the idempotent booking path: the same key never books twice. */
  book(draft: BookingDraft, idempotencyKey: string): Promise<BookingResult>;
  /** The IANA zone of the user's Outlook mailbox (the zone the pane shows times in, as the Teams tab). */
  mailboxTimeZone(signal?: AbortSignal): Promise<string>;
}
