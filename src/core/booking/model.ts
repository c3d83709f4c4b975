/**
 * Bookings: a meeting Quorum put into an organizer's calendar, with the idempotency key it was created
 * under, its Graph identity and its history.
 */

export interface BookingDraft {
  readonly subject: string;
  readonly body: string | null;
  /** UTC epoch ms. */
  readonly start: number;
  readonly end: number;
  /** IANA zone the meeting is shown in. */
  readonly timeZone: string;
  /** SMTP addresses. */
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Room mailbox (resource attendee), or null. */
  readonly room: string | null;
  readonly location: string | null;
  readonly reminderMinutes: number | null;
  readonly isOnlineMeeting: boolean;
  /** Book into this colleague's calendar (scheduler role); null = the caller's own calendar. */
  readonly organizer: string | null;
}

export type BookingStatus = "creating" | "confirmed" | "cancelled" | "failed";

export interface BookingAttendee {
  readonly email: string;
  readonly type: "organizer" | "required" | "optional";
}

export interface Booking {
  readonly tenantId: string;
  readonly id: string;
  /** The requester's key: unique per tenant and requesting user (`createdByUserId`), never across users. */
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly organizerUserId: string;
  readonly organizerEmail: string;
  readonly createdByUserId: string;
  readonly subject: string;
  readonly body: string | null;
  readonly attendees: readonly BookingAttendee[];
  readonly room: string | null;
  readonly location: string | null;
  readonly start: number;
  readonly end: number;
  readonly timeZone: string;
  readonly reminderMinutes: number | null;
  readonly isOnlineMeeting: boolean;
  readonly status: BookingStatus;
  /**
   * When the latest attempt claimed the slot (UTC epoch ms, from the clock). A booking still `creating`
   * long after its claim lost its attempt (a crashed process) and is settled by reconciliation.
   */
  readonly claimedAt: number;
  readonly transactionId: string;
  readonly eventId: string | null;
  readonly iCalUId: string | null;
  readonly joinUrl: string | null;
  readonly webLink: string | null;
  readonly changeKey: string | null;
  readonly version: number;
}

/** What a fresh claim holds: creating since `claimedAt`, no event in a calendar yet, the first version. */
export function freshClaim(claimedAt: number) {
  return {
    status: "creating",
    claimedAt,
    eventId: null,
    iCalUId: null,
    joinUrl: null,
    webLink: null,
    changeKey: null,
    version: 1,
  } as const satisfies Partial<Booking>;
}

export type BookingAction = "created" | "rescheduled" | "updated" | "cancelled" | "failed";

export interface BookingHistoryEntry {
  readonly seq: number;
  readonly action: BookingAction;
  readonly actorUserId: string | null;
  readonly before: Partial<Booking> | null;
  readonly after: Partial<Booking> | null;
  readonly at: number;
}

/** Resources a booking occupies: no two active bookings may hold one of them at overlapping times. */
export function bookingResources(b: Pick<Booking, "attendees" | "room">): string[] {
  const out = new Set<string>();
  for (const a of b.attendees) if (a.type !== "optional") out.add(a.email.toLowerCase());
  if (b.room) out.add(b.room.toLowerCase());
  return [...out].sort();
}

export const isActive = (b: Pick<Booking, "status">) => b.status === "creating" || b.status === "confirmed";

export const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

/** A stable, order-insensitive text of a draft, hashed to detect a reused idempotency key. */
export function canonicalDraft(d: BookingDraft): string {
  const sorted = (xs: readonly string[]) => [...xs].map((x) => x.toLowerCase()).sort();
  return JSON.stringify([
    d.subject,
    d.body,
    d.start,
    d.end,
    d.timeZone,
    sorted(d.required),
    sorted(d.optional),
    d.room?.toLowerCase() ?? null,
    d.location,
    d.reminderMinutes,
    d.isOnlineMeeting,
    d.organizer?.toLowerCase() ?? null,
  ]);
}

/** 64-bit FNV-1a of a string, hex (two independent 32-bit lanes; no I/O, deterministic). */
export function hash64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

/**
 * The Graph transactionId of a booking: derived from tenant, requesting user and idempotency key, so every
 * retry reuses it, and another user's key never names the same event (not even in a calendar they share).
 */
export const transactionIdFor = (tenantId: string, userId: string, idempotencyKey: string) => {
  const scope = `${tenantId}\u0000${userId}`;
  return `quorum-${hash64(`${scope}\u0000${idempotencyKey}`)}-${hash64(`${idempotencyKey}\u0000${scope}`)}`;
};
