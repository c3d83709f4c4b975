/** What the booking and availability services need from the outside world, named for what it does. */
import type { AvailabilityPolicy, Schedule } from "../availability/model.ts";
import type { Booking, BookingAction, BookingDraft, BookingHistoryEntry } from "./model.ts";

/**
 * The meeting as the organizer's calendar gets it: the draft without the choice of organizer. The room is
 * added as a resource attendee and as the location.
 */
export type EventInput = Omit<BookingDraft, "organizer">;

export interface CreatedEvent {
  readonly eventId: string;
  readonly iCalUId: string | null;
  readonly joinUrl: string | null;
  readonly webLink: string | null;
  readonly changeKey: string | null;
}

/** Calendars of the tenant's mailboxes (Graph in production, the emulator in development). */
export interface Calendars {
  /** Free/busy of the given addresses over [start, end), read as `asUser`. A failed mailbox is a FailedSchedule. */
  getSchedule(input: {
    tenantId: string;
    asUser: string;
    schedules: readonly string[];
    start: number;
    end: number;
    intervalMinutes: number;
  }): Promise<Schedule[]>;
  /** Creates the event in the organizer's calendar; the same transactionId never creates a second event. */
  createEvent(input: {
    tenantId: string;
    organizer: string;
    event: EventInput;
    transactionId: string;
  }): Promise<CreatedEvent>;
  updateEvent(input: {
    tenantId: string;
    organizer: string;
    eventId: string;
    event: EventInput;
  }): Promise<{ changeKey: string | null }>;
  /**
   * The event created with this transactionId in the organizer's calendar (the answer `createEvent` gave
   * or would give), or null when there is none. Rejects when the calendar cannot be read.
   */
  findEvent(input: {
    tenantId: string;
    organizer: string;
    transactionId: string;
  }): Promise<CreatedEvent | null>;
  /** Cancels the meeting: attendees get a cancellation. */
  cancelEvent(input: {
    tenantId: string;
    organizer: string;
    eventId: string;
    comment: string | null;
  }): Promise<void>;
}

export type ClaimResult =
  | { readonly kind: "claimed"; readonly booking: Booking }
  | { readonly kind: "existing"; readonly booking: Booking }
  | { readonly kind: "conflict"; readonly conflicting: Booking };

export interface BookingPatch {
  readonly status?: Booking["status"];
  readonly eventId?: string | null;
  readonly iCalUId?: string | null;
  readonly joinUrl?: string | null;
  readonly webLink?: string | null;
  readonly changeKey?: string | null;
  readonly subject?: string;
  readonly body?: string | null;
  readonly start?: number;
  readonly end?: number;
  readonly timeZone?: string;
  readonly attendees?: Booking["attendees"];
  readonly room?: string | null;
  readonly location?: string | null;
}

/**
 * Where bookings live. `claim` and `update` with `recheck` are atomic against each other: two claims on
 * a shared resource (organizer, required attendee, room) at overlapping times never both succeed.
 */
export interface BookingStore {
  /**
   * Inserts the booking (status `creating`) unless the same user (`createdByUserId`) already used its
   * idempotency key (→ `existing`, whatever its body) or an active booking holds one of its resources at an
   * overlapping time (→ `conflict`). Another user's booking under the same key is never `existing`.
   * An existing `failed` booking with the same key and request hash is claimed again.
   */
  claim(booking: Booking): Promise<ClaimResult>;
  get(tenantId: string, bookingId: string): Promise<Booking | null>;
  /**
   * Applies `patch` if the stored version is `expectedVersion` (else CONFLICT), bumps the version and
   * appends history. With `recheck`, first fails with SLOT_NO_LONGER_FREE if another active booking holds
   * one of the patched booking's resources at its patched time.
   */
  update(
    tenantId: string,
    bookingId: string,
    expectedVersion: number,
    patch: BookingPatch,
    history: { action: BookingAction; actorUserId: string | null; at: number },
    options?: { recheck?: boolean },
  ): Promise<Booking>;
  /** Bookings the user organizes or created, starting in [from, to), by start. */
  listFor(tenantId: string, userId: string, from: number, to: number): Promise<Booking[]>;
  /** Bookings of every tenant still `creating` that were claimed before `claimedBefore`, oldest first. */
  staleClaims(claimedBefore: number, limit: number): Promise<Booking[]>;
  history(tenantId: string, bookingId: string): Promise<BookingHistoryEntry[]>;
}

export interface Person {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
}

/** The tenant's people as Quorum knows them. */
export interface People {
  /** Finds an enabled member by mail, UPN or proxy address (case-insensitive). */
  find(tenantId: string, address: string): Promise<Person | null>;
  /** Whether the user holds an active seat of the kind. */
  hasSeat(tenantId: string, userId: string, kind: "sync" | "calling"): Promise<boolean>;
}

/**
 * The tenant's meeting rooms as the directory lists them (Graph places, `/places/microsoft.graph.room`).
 * Only an address listed there is booked as a room: a person's address is never a room.
 */
export interface Rooms {
  /** Which of the addresses (any case) are rooms, lower-cased. */
  knownRooms(tenantId: string, addresses: readonly string[]): Promise<ReadonlySet<string>>;
}

/** The tenant's availability policy (tentative/oof handling, business hours). */
export interface Policies {
  availabilityPolicy(tenantId: string): Promise<AvailabilityPolicy>;
}
