/**
 * Booking: commit a chosen slot into the organizer's calendar exactly once, re-checking that it is still
 * free; reschedule and cancel with history (changes.ts). Ports only: calendars, store, people, notifier,
 * policies, clock.
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
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import { cancel, type ReschedulePatch, reschedule } from "./changes.ts";
import { attendeesOf, eventOf, lower, validateDraft } from "./drafts.ts";
import {
  type Booking,
  type BookingDraft,
  bookingResources,
  canonicalDraft,
  freshClaim,
  hash64,
  transactionIdFor,
} from "./model.ts";
import type { BookingStore, Calendars, CreatedEvent, People, Person, Policies, Rooms } from "./ports.ts";
import { assertKnownRooms } from "./rooms.ts";
import { busyAt, slotTaken } from "./slot-check.ts";

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

export interface BookResult {
  readonly booking: Booking;
  /** True when this answer repeats an earlier request with the same idempotency key. */
  readonly replayed: boolean;
  /** For bookings into a colleague's calendar: whether the colleague was told. */
  readonly notification:
    | { readonly status: "not_needed" | "sent" }
    | { readonly status: "failed"; readonly message: string };
}

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
      transactionId: transactionIdFor(actor.tenantId, actor.userId, idempotencyKey),
      ...freshClaim(now),
    };

    const claim = await this.deps.store.claim(candidate);
    if (claim.kind === "conflict") {
      const held = new Set(bookingResources(claim.conflicting));
      throw await slotTaken(
        this.deps,
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
          const busy = await busyAt(this.deps, actor, candidate, policy, null);
          if (busy.length > 0) throw await slotTaken(this.deps, actor, candidate, busy, now, policy);
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
    const busy = await busyAt(this.deps, actor, booking, policy, null);
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
      throw await slotTaken(this.deps, actor, booking, busy, now, policy);
    }
    booking = await this.createEvent(actor, booking, now);

    let notification: BookResult["notification"] = { status: "not_needed" };
    if (onBehalf) {
      try {
        const told = await this.deps.notifier.notify({
          kind: "bookedForYou",
          tenantId: actor.tenantId,
          userId: organizer.userId,
          organizerName: self.displayName,
          subject: booking.subject,
          start: booking.start,
          end: booking.end,
          joinUrl: booking.joinUrl,
        });
        notification =
          told.delivered > 0
            ? { status: "sent" }
            : {
                status: "failed",
                message: `${organizer.displayName} has not installed Quorum in Teams, so they could not be told.`,
              };
      } catch (error) {
        // The meeting exists either way; the caller is told the colleague was not notified.
        notification = { status: "failed", message: error instanceof Error ? error.message : String(error) };
      }
    }
    return { booking, replayed: false, notification };
  }

  async reschedule(actor: Actor, bookingId: string, patch: ReschedulePatch): Promise<Booking> {
    return reschedule(this.deps, actor, await this.mine(actor, bookingId), patch);
  }

  async cancel(
    actor: Actor,
    bookingId: string,
    comment: string | null,
    ifVersion?: number,
  ): Promise<Booking> {
    return cancel(this.deps, actor, await this.mine(actor, bookingId), comment, ifVersion);
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
}
