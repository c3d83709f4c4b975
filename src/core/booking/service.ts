/**
 * Booking: commit a chosen slot into the organizer's calendar exactly once, re-checking that it is still
 * free; reschedule and cancel with history. Ports only: calendars, store, people, notifier, policies, clock.
 *
 * Book, in order:
 *  1. resolve the organizer (self, or a colleague with a sync seat when the caller has the scheduler role);
 *  2. claim the booking in the store under its idempotency key; the store refuses a second active booking
 *     of the same organizer, required attendee or room at an overlapping time (database locks, not memory);
 *  3. for a fresh claim, re-read free/busy; if someone became busy, fail with SLOT_NO_LONGER_FREE and the
 *     next best alternatives;
 *  4. create the event with a transactionId derived from the key, so a retry never creates a second event.
 * A retry of the same key returns the booking (or waits for the attempt in flight to settle).
 */
import type { Actor } from "../actor.ts";
import type { AvailabilityPolicy, Schedule } from "../availability/model.ts";
import { findAvailability } from "../availability/slot-finder.ts";
import { isTimeZone } from "../availability/zones.ts";
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import {
  type Booking,
  type BookingAttendee,
  type BookingDraft,
  bookingResources,
  canonicalDraft,
  hash64,
  transactionIdFor,
} from "./model.ts";
import type {
  BookingPatch,
  BookingStore,
  Calendars,
  CreatedEvent,
  EventInput,
  Notifier,
  People,
  Person,
  Policies,
  Rooms,
} from "./ports.ts";
import { assertKnownRooms } from "./rooms.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface BookingDeps {
  readonly calendars: Calendars;
  readonly store: BookingStore;
  readonly people: People;
  /** Only addresses listed as rooms are booked as rooms. */
  readonly rooms: Rooms;
  readonly notifier: Notifier;
  readonly policies: Policies;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Waits between looks at a booking another request is creating (default real timers). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long a retry waits for the attempt in flight before completing it itself (default 10 s). */
  readonly settleTimeoutMs?: number;
}

export interface Alternative {
  readonly start: number;
  readonly end: number;
  readonly room: string | null;
}

export interface BookResult {
  readonly booking: Booking;
  /** True when this answer repeats an earlier request with the same idempotency key. */
  readonly replayed: boolean;
  /** For bookings into a colleague's calendar: whether the colleague was told. */
  readonly notification:
    | { readonly status: "not_needed" | "sent" }
    | { readonly status: "failed"; readonly message: string };
}

export interface ReschedulePatch {
  readonly start?: number;
  readonly end?: number;
  readonly timeZone?: string;
  readonly subject?: string;
  readonly body?: string | null;
  readonly required?: readonly string[];
  readonly optional?: readonly string[];
  readonly room?: string | null;
  readonly location?: string | null;
  /** The version the caller last saw (HTTP If-Match): a booking changed since is not overwritten. */
  readonly ifVersion?: number;
}

/** Refuses to change a booking that moved on since the caller read it (optimistic concurrency). */
function assertVersion(current: Booking, ifVersion: number | undefined): void {
  if (ifVersion !== undefined && ifVersion !== current.version)
    throw new DomainError("PRECONDITION_FAILED", undefined, {
      details: { expected: ifVersion, current: current.version },
    });
}

const lower = (s: string) => s.trim().toLowerCase();
const uniq = (xs: readonly string[]) => [...new Set(xs.map(lower))];

function validateDraft(d: BookingDraft): void {
  const fail = (m: string) => {
    throw new DomainError("VALIDATION_FAILED", m);
  };
  if (!Number.isFinite(d.start) || !Number.isFinite(d.end) || d.end <= d.start)
    fail("The meeting must end after it starts.");
  if (d.end - d.start > DAY) fail("A meeting can last at most 24 hours.");
  if (!isTimeZone(d.timeZone)) fail(`Unknown time zone "${d.timeZone}".`);
  if (d.required.length + d.optional.length > 500) fail("A meeting can have at most 500 attendees.");
}

function attendeesOf(
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

const eventOf = (b: Booking): EventInput => ({
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

const hardStatuses = (p: AvailabilityPolicy) =>
  new Set<string>([
    "busy",
    ...(p.outOfOfficeIsBusy ? ["oof"] : []),
    ...(p.tentativeIsBusy ? ["tentative"] : []),
    ...(p.workingElsewhereIsBusy ? ["workingElsewhere"] : []),
  ]);

export class BookingService {
  constructor(private readonly deps: BookingDeps) {}

  async book(actor: Actor, draft: BookingDraft, idempotencyKey: string, attempt = 1): Promise<BookResult> {
    if (!idempotencyKey.trim())
      throw new DomainError("VALIDATION_FAILED", "An Idempotency-Key header is required.");
    validateDraft(draft);
    await assertKnownRooms(this.deps.rooms, actor.tenantId, "room", [draft.room]);
    const { organizer, onBehalf, self } = await this.resolveOrganizer(actor, draft.organizer);
    const now = this.deps.clock.now();
    const candidate: Booking = {
      tenantId: actor.tenantId,
      id: this.deps.newId(),
      idempotencyKey,
      requestHash: hash64(canonicalDraft(draft)),
      organizerUserId: organizer.userId,
      organizerEmail: lower(organizer.email),
      createdByUserId: actor.userId,
      subject: draft.subject,
      body: draft.body,
      attendees: attendeesOf(organizer.email, draft.required, draft.optional),
      room: draft.room ? lower(draft.room) : null,
      location: draft.location,
      start: draft.start,
      end: draft.end,
      timeZone: draft.timeZone,
      reminderMinutes: draft.reminderMinutes,
      isOnlineMeeting: draft.isOnlineMeeting,
      status: "creating",
      claimedAt: now,
      transactionId: transactionIdFor(actor.tenantId, actor.userId, idempotencyKey),
      eventId: null,
      iCalUId: null,
      joinUrl: null,
      webLink: null,
      changeKey: null,
      version: 1,
    };

    const claim = await this.deps.store.claim(candidate);
    if (claim.kind === "conflict") {
      const held = new Set(bookingResources(claim.conflicting));
      throw await this.slotTaken(
        actor,
        candidate,
        bookingResources(candidate).filter((r) => held.has(r)),
        now,
      );
    }
    if (claim.kind === "existing") {
      if (claim.booking.requestHash !== candidate.requestHash)
        throw new DomainError("IDEMPOTENCY_KEY_REUSED");
      const settled = await this.settle(claim.booking);
      if (settled.status !== "creating") {
        if (settled.status === "failed") {
          // The attempt we waited for failed (usually: the slot was taken). Look at the calendars ourselves
          // so every retry gets the same kind of answer (SLOT_NO_LONGER_FREE with alternatives) however
          // the concurrent retries interleave; only when the slot is free again do we claim it anew.
          const policy = await this.deps.policies.availabilityPolicy(actor.tenantId);
          const busy = await this.busyAt(actor, candidate, policy, null);
          if (busy.length > 0) throw await this.slotTaken(actor, candidate, busy, now, policy);
          if (attempt < 3) return this.book(actor, draft, idempotencyKey, attempt + 1);
          throw new DomainError("CONFLICT", "The earlier attempt with this key failed; try again.");
        }
        return { booking: settled, replayed: true, notification: { status: "not_needed" } };
      }
      // The attempt in flight did not finish (a crashed replica?): complete it; the transactionId dedupes.
      return {
        booking: await this.createEvent(actor, settled, now),
        replayed: true,
        notification: { status: "not_needed" },
      };
    }

    let booking = claim.booking;
    const policy = await this.deps.policies.availabilityPolicy(actor.tenantId);
    const busy = await this.busyAt(actor, booking, policy, null);
    if (busy.length > 0) {
      await this.deps.store.update(
        actor.tenantId,
        booking.id,
        booking.version,
        { status: "failed" },
        {
          action: "failed",
          actorUserId: actor.userId,
          at: now,
        },
      );
      throw await this.slotTaken(actor, booking, busy, now, policy);
    }
    booking = await this.createEvent(actor, booking, now);

    let notification: BookResult["notification"] = { status: "not_needed" };
    if (onBehalf) {
      try {
        await this.deps.notifier.bookedOnYourBehalf({
          tenantId: actor.tenantId,
          organizer,
          bookedBy: self,
          booking,
        });
        notification = { status: "sent" };
      } catch (error) {
        // The meeting exists either way; the caller is told the colleague was not notified.
        notification = { status: "failed", message: error instanceof Error ? error.message : String(error) };
      }
    }
    return { booking, replayed: false, notification };
  }

  async reschedule(actor: Actor, bookingId: string, patch: ReschedulePatch): Promise<Booking> {
    const current = await this.mine(actor, bookingId);
    assertVersion(current, patch.ifVersion);
    if (current.status !== "confirmed" || !current.eventId)
      throw new DomainError("CONFLICT", `The booking is ${current.status} and cannot be changed.`);
    const start = patch.start ?? current.start;
    const end = patch.end ?? current.end;
    const required =
      patch.required ?? current.attendees.filter((a) => a.type === "required").map((a) => a.email);
    const optional =
      patch.optional ?? current.attendees.filter((a) => a.type === "optional").map((a) => a.email);
    const draft: BookingDraft = {
      subject: patch.subject ?? current.subject,
      body: patch.body === undefined ? current.body : patch.body,
      start,
      end,
      timeZone: patch.timeZone ?? current.timeZone,
      required,
      optional,
      room: patch.room === undefined ? current.room : patch.room,
      location: patch.location === undefined ? current.location : patch.location,
      reminderMinutes: current.reminderMinutes,
      isOnlineMeeting: current.isOnlineMeeting,
      organizer: null,
    };
    validateDraft(draft);
    if (patch.room && lower(patch.room) !== current.room)
      await assertKnownRooms(this.deps.rooms, actor.tenantId, "room", [patch.room]);
    const next: BookingPatch = {
      subject: draft.subject,
      body: draft.body,
      start,
      end,
      timeZone: draft.timeZone,
      attendees: attendeesOf(current.organizerEmail, required, optional),
      room: draft.room ? lower(draft.room) : null,
      location: draft.location,
    };
    const moved = start !== current.start || end !== current.end;
    const now = this.deps.clock.now();
    const proposed: Booking = { ...current, ...next } as Booking;
    const policy = await this.deps.policies.availabilityPolicy(actor.tenantId);
    const busy = await this.busyAt(actor, proposed, policy, current);
    if (busy.length > 0) throw await this.slotTaken(actor, proposed, busy, now, policy);

    const action = moved ? "rescheduled" : "updated";
    const updated = await this.deps.store.update(
      actor.tenantId,
      current.id,
      current.version,
      next,
      { action, actorUserId: actor.userId, at: now },
      { recheck: true },
    );
    try {
      const { changeKey } = await this.deps.calendars.updateEvent({
        tenantId: actor.tenantId,
        organizer: current.organizerUserId,
        eventId: current.eventId,
        event: eventOf(updated),
      });
      return await this.deps.store.update(
        actor.tenantId,
        current.id,
        updated.version,
        { changeKey },
        {
          action: "updated",
          actorUserId: null,
          at: now,
        },
      );
    } catch (error) {
      // Put the stored booking back as the calendar still has it, then report the failure.
      await this.deps.store.update(
        actor.tenantId,
        current.id,
        updated.version,
        {
          subject: current.subject,
          body: current.body,
          start: current.start,
          end: current.end,
          timeZone: current.timeZone,
          attendees: current.attendees,
          room: current.room,
          location: current.location,
        },
        { action: "updated", actorUserId: null, at: now },
      );
      throw error;
    }
  }

  async cancel(
    actor: Actor,
    bookingId: string,
    comment: string | null,
    ifVersion?: number,
  ): Promise<Booking> {
    const current = await this.mine(actor, bookingId);
    if (current.status === "cancelled") return current;
    assertVersion(current, ifVersion);
    if (current.status === "confirmed" && current.eventId) {
      await this.deps.calendars.cancelEvent({
        tenantId: actor.tenantId,
        organizer: current.organizerUserId,
        eventId: current.eventId,
        comment,
      });
    }
    return this.deps.store.update(
      actor.tenantId,
      current.id,
      current.version,
      { status: "cancelled" },
      {
        action: "cancelled",
        actorUserId: actor.userId,
        at: this.deps.clock.now(),
      },
    );
  }

  async get(actor: Actor, bookingId: string): Promise<Booking> {
    return this.mine(actor, bookingId);
  }

  list(actor: Actor, from: number, to: number): Promise<Booking[]> {
    if (!(to > from)) throw new DomainError("VALIDATION_FAILED", "`to` must be after `from`.");
    // Attempts that never became meetings (the slot was taken, Graph refused) are not bookings.
    return this.deps.store
      .listFor(actor.tenantId, actor.userId, from, to)
      .then((list) => list.filter((b) => b.status !== "failed"));
  }

  history(actor: Actor, bookingId: string) {
    return this.mine(actor, bookingId).then(() => this.deps.store.history(actor.tenantId, bookingId));
  }

  private async mine(actor: Actor, bookingId: string): Promise<Booking> {
    const b = await this.deps.store.get(actor.tenantId, bookingId);
    // Someone else's booking is reported as not found: its existence is not disclosed.
    if (!b || (b.organizerUserId !== actor.userId && b.createdByUserId !== actor.userId))
      throw new DomainError("NOT_FOUND", "No such booking.");
    return b;
  }

  private async resolveOrganizer(
    actor: Actor,
    requested: string | null,
  ): Promise<{ organizer: Person; self: Person; onBehalf: boolean }> {
    const me = await this.deps.people.find(actor.tenantId, actor.upn);
    const self: Person = me ?? { userId: actor.userId, email: actor.upn, displayName: actor.displayName };
    if (!requested || lower(requested) === lower(actor.upn) || lower(requested) === lower(self.email)) {
      return { organizer: { ...self, userId: actor.userId }, self, onBehalf: false };
    }
    if (!actor.roles.includes("scheduler"))
      throw new DomainError("ROLE_REQUIRED", "Booking into a colleague's calendar needs the scheduler role.");
    const colleague = await this.deps.people.find(actor.tenantId, requested);
    if (!colleague)
      throw new DomainError("NOT_FOUND", `${requested} is not a member of your organization in Quorum.`);
    if (!(await this.deps.people.hasSeat(actor.tenantId, colleague.userId, "sync")))
      throw new DomainError(
        "SEAT_REQUIRED",
        `${colleague.displayName || colleague.email} has no Quorum sync seat, so meetings cannot be booked into their calendar.`,
        { details: { userId: colleague.userId, displayName: colleague.displayName || colleague.email } },
      );
    return { organizer: colleague, self, onBehalf: true };
  }

  /** Waits for a booking another request is creating to leave `creating`, up to the settle timeout. */
  private async settle(b: Booking): Promise<Booking> {
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = (this.deps.settleTimeoutMs ?? 10_000) / 50;
    let current = b;
    for (let i = 0; current.status === "creating" && i < deadline; i++) {
      await sleep(50);
      current = (await this.deps.store.get(b.tenantId, b.id)) ?? current;
    }
    return current;
  }

  private async createEvent(actor: Actor, booking: Booking, now: number): Promise<Booking> {
    try {
      const created = await this.deps.calendars.createEvent({
        tenantId: actor.tenantId,
        organizer: booking.organizerUserId,
        event: eventOf(booking),
        transactionId: booking.transactionId,
      });
      const current = (await this.deps.store.get(booking.tenantId, booking.id)) ?? booking;
      if (current.status === "confirmed" && current.eventId === created.eventId) return current;
      if (current.status !== "creating") return await this.lateEvent(actor, current, created, now);
      return await this.deps.store.update(
        actor.tenantId,
        booking.id,
        current.version,
        { status: "confirmed", ...created },
        { action: "created", actorUserId: actor.userId, at: now },
      );
    } catch (error) {
      const current = await this.deps.store.get(booking.tenantId, booking.id);
      if (current && current.status === "creating") {
        await this.deps.store.update(
          actor.tenantId,
          booking.id,
          current.version,
          { status: "failed" },
          {
            action: "failed",
            actorUserId: actor.userId,
            at: now,
          },
        );
      }
      throw error;
    }
  }

  /**
   * An event created after its booking was settled without it: the attempt outlived its claim and
   * reconciliation found no event yet (failed), or the booking was cancelled meanwhile. A failed booking
   * takes the meeting if its slot is still free; otherwise, and for a cancelled booking, the meeting is
   * cancelled so the calendars match the bookings.
   */
  private async lateEvent(actor: Actor, current: Booking, created: CreatedEvent, now: number) {
    const withdraw = () =>
      this.deps.calendars.cancelEvent({
        tenantId: current.tenantId,
        organizer: current.organizerUserId,
        eventId: created.eventId,
        comment: null,
      });
    if (current.status !== "failed") {
      await withdraw();
      return current;
    }
    try {
      return await this.deps.store.update(
        current.tenantId,
        current.id,
        current.version,
        { status: "confirmed", ...created },
        { action: "created", actorUserId: actor.userId, at: now },
        { recheck: true },
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === "SLOT_NO_LONGER_FREE") await withdraw();
      throw error;
    }
  }

  /**
   * Addresses among the organizer, required attendees and the room that are busy during the booking.
   * When moving a booking, its own occurrence at the old time is not counted. A calendar that cannot be
   * read does not block (it was shown as unknown when the slot was picked).
   */
  private async busyAt(
    actor: Actor,
    b: Booking,
    policy: AvailabilityPolicy,
    previous: Booking | null,
  ): Promise<string[]> {
    const addresses = [
      ...b.attendees.filter((a) => a.type !== "optional").map((a) => a.email),
      ...(b.room ? [b.room] : []),
    ];
    const schedules = await this.deps.calendars.getSchedule({
      tenantId: actor.tenantId,
      asUser: actor.userId,
      schedules: addresses,
      start: b.start,
      end: b.end,
      intervalMinutes: Math.max(5, Math.min(1440, Math.round((b.end - b.start) / MINUTE))),
    });
    const hard = hardStatuses(policy);
    const busy: string[] = [];
    for (const s of schedules) {
      if ("error" in s) continue;
      const own = (i: { start: number; end: number }) =>
        previous !== null && i.start === previous.start && i.end === previous.end;
      if (s.items.some((i) => hard.has(i.status) && i.start < b.end && b.start < i.end && !own(i)))
        busy.push(lower(s.id));
    }
    return busy;
  }

  private async slotTaken(
    actor: Actor,
    b: Booking,
    busy: string[],
    now: number,
    knownPolicy?: AvailabilityPolicy,
  ): Promise<DomainError> {
    const policy = knownPolicy ?? (await this.deps.policies.availabilityPolicy(actor.tenantId));
    const duration = b.end - b.start;
    const windowStart = Math.max(Math.ceil(now / (15 * MINUTE)) * 15 * MINUTE, b.start - 2 * HOUR);
    const windowEnd = Math.max(windowStart + duration, b.start + 3 * DAY);
    const required = b.attendees.filter((a) => a.type !== "optional").map((a) => a.email);
    const optional = b.attendees.filter((a) => a.type === "optional").map((a) => a.email);
    let alternatives: Alternative[] = [];
    let alternativesError: string | null = null;
    try {
      const schedules: Schedule[] = await this.deps.calendars.getSchedule({
        tenantId: actor.tenantId,
        asUser: actor.userId,
        schedules: [...required, ...optional, ...(b.room ? [b.room] : [])],
        start: windowStart,
        end: windowEnd,
        intervalMinutes: 15,
      });
      const found = findAvailability(
        {
          required,
          optional,
          rooms: b.room ? [b.room] : [],
          durationMinutes: Math.max(5, Math.round(duration / MINUTE)),
          window: { start: windowStart, end: windowEnd },
          granularityMinutes: 15,
          organizerTimeZone: b.timeZone,
          maxSuggestions: 10,
          includeGrid: false,
        },
        schedules,
        policy,
        this.deps.clock,
      );
      // Never the refused time itself: another booking holds it even while its event is not in Outlook yet.
      alternatives = found.suggestions
        .filter((s) => s.uncertain === 0 && (s.end <= b.start || s.start >= b.end))
        .slice(0, 3)
        .map((s) => ({ start: s.start, end: s.end, room: s.room }));
    } catch (error) {
      // The slot is still taken; the answer says why no alternatives could be offered.
      alternativesError = error instanceof Error ? error.message : String(error);
    }
    return new DomainError("SLOT_NO_LONGER_FREE", undefined, {
      details: { busy, alternatives, ...(alternativesError ? { alternativesError } : {}) },
    });
  }
}
