/**
 * The booking store on PostgreSQL / PGlite. Claims are serialised per resource with transaction-scoped
 * advisory locks (the idempotency key first, then each organizer / required attendee / room address in
 * sorted order), so two bookings of one room at overlapping times never both commit, whichever replica
 * handles them. The unique (tenant, requesting user, idempotency_key) index backs the key up: a key is
 * the requester's own, another user reusing it starts a booking of their own.
 */
import { and, asc, eq, gt, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import {
  type Booking,
  type BookingAttendee,
  type BookingHistoryEntry,
  bookingResources,
  overlaps,
} from "../core/booking/model.ts";
import type { BookingPatch, BookingStore, ClaimResult } from "../core/booking/ports.ts";
import { DomainError } from "../core/errors.ts";
import type { Database, Db } from "./db.ts";
import { bookingHistory, bookings } from "./schema.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Row = typeof bookings.$inferSelect;

function toBooking(r: Row): Booking {
  const attendees = (r.attendees as BookingAttendee[]) ?? [];
  return {
    tenantId: r.tenantId,
    id: r.bookingId,
    idempotencyKey: r.idempotencyKey,
    requestHash: r.requestHash,
    organizerUserId: r.organizerUserId,
    organizerEmail: attendees.find((a) => a.type === "organizer")?.email ?? "",
    createdByUserId: r.createdByUserId,
    subject: r.subject,
    body: r.body,
    attendees,
    room: (r.room as { email: string } | null)?.email ?? null,
    location: r.location,
    start: r.startsAt.getTime(),
    end: r.endsAt.getTime(),
    timeZone: r.timeZone,
    reminderMinutes: r.reminderMinutes,
    isOnlineMeeting: r.isOnlineMeeting,
    status: r.status as Booking["status"],
    claimedAt: r.claimedAt.getTime(),
    transactionId: r.transactionId,
    eventId: r.graphEventId,
    iCalUId: r.icalUid,
    joinUrl: r.joinUrl,
    webLink: r.webLink,
    changeKey: r.changeKey,
    version: r.version,
  };
}

function toColumns(b: Partial<Booking>): Partial<typeof bookings.$inferInsert> {
  const c: Partial<typeof bookings.$inferInsert> = {};
  if (b.subject !== undefined) c.subject = b.subject;
  if (b.body !== undefined) c.body = b.body;
  if (b.attendees !== undefined) c.attendees = b.attendees;
  if (b.room !== undefined) c.room = b.room ? { email: b.room } : null;
  if (b.location !== undefined) c.location = b.location;
  if (b.start !== undefined) c.startsAt = new Date(b.start);
  if (b.end !== undefined) c.endsAt = new Date(b.end);
  if (b.timeZone !== undefined) c.timeZone = b.timeZone;
  if (b.status !== undefined) c.status = b.status;
  if (b.eventId !== undefined) {
    c.graphEventId = b.eventId;
    c.externalId = b.eventId;
  }
  if (b.iCalUId !== undefined) c.icalUid = b.iCalUId;
  if (b.joinUrl !== undefined) c.joinUrl = b.joinUrl;
  if (b.webLink !== undefined) c.webLink = b.webLink;
  if (b.changeKey !== undefined) c.changeKey = b.changeKey;
  return c;
}

async function lock(tx: Tx, keys: string[]): Promise<void> {
  for (const k of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${k}, 0))`);
}

const lockKeys = (tenantId: string, resources: string[]) =>
  resources.map((r) => `quorum:booking:${tenantId}:${r}`).sort();

/** Active bookings of the tenant overlapping [start, end) that hold one of `resources`, other than `exceptId`. */
async function conflicting(tx: Tx, b: Booking, exceptId: string | null): Promise<Booking | undefined> {
  const rows = await tx
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.tenantId, b.tenantId),
        inArray(bookings.status, ["creating", "confirmed"]),
        isNull(bookings.deletedAt),
        lt(bookings.startsAt, new Date(b.end)),
        gt(bookings.endsAt, new Date(b.start)),
      ),
    );
  const mine = new Set(bookingResources(b));
  return rows
    .map(toBooking)
    .find((o) => o.id !== exceptId && overlaps(o, b) && bookingResources(o).some((r) => mine.has(r)));
}

function fields(b: Booking): Partial<Booking> {
  const { tenantId: _t, idempotencyKey: _k, requestHash: _h, transactionId: _x, ...rest } = b;
  return rest;
}

export class DrizzleBookingStore implements BookingStore {
  private readonly db: Db;
  constructor(database: Database) {
    this.db = database.db;
  }

  claim(booking: Booking): Promise<ClaimResult> {
    return this.db.transaction(async (tx) => {
      await lock(tx, [
        `quorum:booking-key:${booking.tenantId}:${booking.createdByUserId}:${booking.idempotencyKey}`,
      ]);
      await lock(tx, lockKeys(booking.tenantId, bookingResources(booking)));
      const [row] = await tx
        .select()
        .from(bookings)
        .where(
          and(
            eq(bookings.tenantId, booking.tenantId),
            eq(bookings.createdByUserId, booking.createdByUserId),
            eq(bookings.idempotencyKey, booking.idempotencyKey),
          ),
        );
      const existing = row ? toBooking(row) : null;
      if (existing && !(existing.status === "failed" && existing.requestHash === booking.requestHash))
        return { kind: "existing", booking: existing };
      const candidate: Booking = existing
        ? { ...existing, status: "creating", claimedAt: booking.claimedAt, version: existing.version + 1 }
        : booking;
      const other = await conflicting(tx, candidate, candidate.id);
      if (other) return { kind: "conflict", conflicting: other };
      if (existing) {
        const [updated] = await tx
          .update(bookings)
          .set({
            status: "creating",
            claimedAt: new Date(candidate.claimedAt),
            version: candidate.version,
            updatedAt: new Date(candidate.claimedAt),
            changedAt: new Date(candidate.claimedAt),
          })
          .where(and(eq(bookings.tenantId, existing.tenantId), eq(bookings.bookingId, existing.id)))
          .returning();
        return { kind: "claimed", booking: toBooking(updated!) };
      }
      const [inserted] = await tx
        .insert(bookings)
        .values({
          tenantId: booking.tenantId,
          bookingId: booking.id,
          idempotencyKey: booking.idempotencyKey,
          requestHash: booking.requestHash,
          organizerUserId: booking.organizerUserId,
          createdByUserId: booking.createdByUserId,
          subject: booking.subject,
          body: booking.body,
          attendees: booking.attendees,
          room: booking.room ? { email: booking.room } : null,
          location: booking.location,
          startsAt: new Date(booking.start),
          endsAt: new Date(booking.end),
          timeZone: booking.timeZone,
          reminderMinutes: booking.reminderMinutes,
          isOnlineMeeting: booking.isOnlineMeeting,
          status: booking.status,
          claimedAt: new Date(booking.claimedAt),
          transactionId: booking.transactionId,
          version: booking.version,
        })
        .returning();
      return { kind: "claimed", booking: toBooking(inserted!) };
    });
  }

  async get(tenantId: string, bookingId: string): Promise<Booking | null> {
    const [row] = await this.db
      .select()
      .from(bookings)
      .where(and(eq(bookings.tenantId, tenantId), eq(bookings.bookingId, bookingId)));
    return row ? toBooking(row) : null;
  }

  update(
    tenantId: string,
    bookingId: string,
    expectedVersion: number,
    patch: BookingPatch,
    history: { action: BookingHistoryEntry["action"]; actorUserId: string | null; at: number },
    options?: { recheck?: boolean },
  ): Promise<Booking> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(bookings)
        .where(and(eq(bookings.tenantId, tenantId), eq(bookings.bookingId, bookingId)))
        .for("update");
      if (!row) throw new DomainError("NOT_FOUND", "No such booking.");
      const current = toBooking(row);
      if (current.version !== expectedVersion) throw new DomainError("CONFLICT");
      const next: Booking = { ...current, ...patch, version: current.version + 1 };
      if (options?.recheck) {
        await lock(tx, lockKeys(tenantId, bookingResources(next)));
        const other = await conflicting(tx, next, next.id);
        if (other)
          throw new DomainError("SLOT_NO_LONGER_FREE", undefined, {
            details: {
              busy: bookingResources(other).filter((r) => bookingResources(next).includes(r)),
              alternatives: [],
            },
          });
      }
      const now = new Date(history.at);
      const [updated] = await tx
        .update(bookings)
        .set({
          ...toColumns(patch as Partial<Booking>),
          version: next.version,
          updatedAt: now,
          changedAt: now,
        })
        .where(and(eq(bookings.tenantId, tenantId), eq(bookings.bookingId, bookingId)))
        .returning();
      const [{ seq } = { seq: 0 }] = await tx
        .select({ seq: sql<number>`coalesce(max(${bookingHistory.seq}), 0)::int` })
        .from(bookingHistory)
        .where(and(eq(bookingHistory.tenantId, tenantId), eq(bookingHistory.bookingId, bookingId)));
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const all = fields(current) as Record<string, unknown>;
      const allNext = fields(next) as Record<string, unknown>;
      for (const k of Object.keys(patch)) {
        before[k] = all[k] ?? null;
        after[k] = allNext[k] ?? null;
      }
      await tx.insert(bookingHistory).values({
        tenantId,
        bookingId,
        seq: Number(seq) + 1,
        action: history.action,
        actorUserId: history.actorUserId,
        before,
        after,
        at: now,
      });
      return toBooking(updated!);
    });
  }

  async listFor(tenantId: string, userId: string, from: number, to: number): Promise<Booking[]> {
    const rows = await this.db
      .select()
      .from(bookings)
      .where(
        and(
          eq(bookings.tenantId, tenantId),
          or(eq(bookings.organizerUserId, userId), eq(bookings.createdByUserId, userId)),
          gte(bookings.startsAt, new Date(from)),
          lt(bookings.startsAt, new Date(to)),
          isNull(bookings.deletedAt),
        ),
      )
      .orderBy(asc(bookings.startsAt), asc(bookings.bookingId));
    return rows.map(toBooking);
  }

  async staleClaims(claimedBefore: number, limit: number): Promise<Booking[]> {
    const rows = await this.db
      .select()
      .from(bookings)
      .where(
        and(
          eq(bookings.status, "creating"),
          lt(bookings.claimedAt, new Date(claimedBefore)),
          isNull(bookings.deletedAt),
        ),
      )
      .orderBy(asc(bookings.claimedAt), asc(bookings.bookingId))
      .limit(limit);
    return rows.map(toBooking);
  }

  async history(tenantId: string, bookingId: string): Promise<BookingHistoryEntry[]> {
    const rows = await this.db
      .select()
      .from(bookingHistory)
      .where(and(eq(bookingHistory.tenantId, tenantId), eq(bookingHistory.bookingId, bookingId)))
      .orderBy(asc(bookingHistory.seq));
    return rows.map((r) => ({
      seq: r.seq,
      action: r.action as BookingHistoryEntry["action"],
      actorUserId: r.actorUserId,
      before: r.before as Partial<Booking> | null,
      after: r.after as Partial<Booking> | null,
      at: r.at.getTime(),
    }));
  }
}
