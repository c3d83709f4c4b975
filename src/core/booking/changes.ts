/** Changing a booking after it was made: reschedule or edit it, and cancel it, with history. */
import type { Actor } from "../actor.ts";
import { DomainError } from "../errors.ts";
import { attendeesOf, eventOf, lower, validateDraft } from "./drafts.ts";
import type { Booking, BookingDraft } from "./model.ts";
import type { BookingPatch, BookingStore, Rooms } from "./ports.ts";
import { assertKnownRooms } from "./rooms.ts";
import { busyAt, type SlotCheckDeps, slotTaken } from "./slot-check.ts";

export interface ChangeDeps extends SlotCheckDeps {
  readonly store: BookingStore;
  /** Only addresses listed as rooms are booked as rooms. */
  readonly rooms: Rooms;
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

/**
 * Moves or edits a confirmed booking: re-checks the new slot, then updates the stored booking and the
 * event; when the calendar refuses, the stored booking is put back as the calendar still has it.
 */
export async function reschedule(
  deps: ChangeDeps,
  actor: Actor,
  current: Booking,
  patch: ReschedulePatch,
): Promise<Booking> {
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
    await assertKnownRooms(deps.rooms, actor.tenantId, "room", [patch.room]);
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
  const now = deps.clock.now();
  const proposed: Booking = { ...current, ...next } as Booking;
  const policy = await deps.policies.availabilityPolicy(actor.tenantId);
  const busy = await busyAt(deps, actor, proposed, policy, current);
  if (busy.length > 0) throw await slotTaken(deps, actor, proposed, busy, now, policy);

  const action = moved ? "rescheduled" : "updated";
  const updated = await deps.store.update(
    actor.tenantId,
    current.id,
    current.version,
    next,
    { action, actorUserId: actor.userId, at: now },
    { recheck: true },
  );
  try {
    const { changeKey } = await deps.calendars.updateEvent({
      tenantId: actor.tenantId,
      organizer: current.organizerUserId,
      eventId: current.eventId,
      event: eventOf(updated),
    });
    return await deps.store.update(
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
    await deps.store.update(
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

/** Cancels a booking and its meeting; cancelling twice answers the cancelled booking. */
export async function cancel(
  deps: ChangeDeps,
  actor: Actor,
  current: Booking,
  comment: string | null,
  ifVersion?: number,
): Promise<Booking> {
  if (current.status === "cancelled") return current;
  assertVersion(current, ifVersion);
  if (current.status === "confirmed" && current.eventId) {
    await deps.calendars.cancelEvent({
      tenantId: actor.tenantId,
      organizer: current.organizerUserId,
      eventId: current.eventId,
      comment,
    });
  }
  return deps.store.update(
    actor.tenantId,
    current.id,
    current.version,
    { status: "cancelled" },
    {
      action: "cancelled",
      actorUserId: actor.userId,
      at: deps.clock.now(),
    },
  );
}
