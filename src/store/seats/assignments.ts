/**
 * Seats held (`seat_assignments`, one per user and kind): added in batches, removed, suspended while the
 * holder has no directory access and revived when it returns, and listed with the holders' names.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { NewSeat, NumberOutcome, SeatRecord } from "../../core/seats/ports.ts";
import type { SeatHolding, SeatKind } from "../../core/seats/types.ts";
import type { Db } from "../db.ts";
import { memberCards } from "../members.ts";
import { seatAssignments } from "../schema.ts";
import { bulkInsert, type Conn, chunks } from "../sql.ts";

type Row = typeof seatAssignments.$inferSelect;

const holding = (r: Row): SeatHolding => ({
  userId: r.userId,
  kind: r.kind as SeatKind,
  phoneNumber: r.phoneNumber,
  source: r.source,
  ruleId: r.ruleId,
  state: r.state,
});

const ofTenant = (tenantId: string) => eq(seatAssignments.tenantId, tenantId);

/** Seats held in the tenant, of the given users when given. */
export async function holdings(
  conn: Conn,
  tenantId: string,
  userIds?: readonly string[],
): Promise<SeatHolding[]> {
  if (!userIds) return (await conn.select().from(seatAssignments).where(ofTenant(tenantId))).map(holding);
  const out: SeatHolding[] = [];
  for (const part of chunks(userIds)) {
    const rows = await conn
      .select()
      .from(seatAssignments)
      .where(and(ofTenant(tenantId), inArray(seatAssignments.userId, part)));
    out.push(...rows.map(holding));
  }
  return out;
}

/** Adds seats in batches; a user who already holds that kind keeps theirs. Answers how many were added. */
export function addSeats(
  conn: Conn,
  tenantId: string,
  seats: readonly NewSeat[],
  assignedBy: string,
  at: Date,
): Promise<number> {
  return bulkInsert(
    conn,
    "seat_assignments",
    [
      ["tenant_id", "text"],
      ["kind", "text"],
      ["user_id", "text"],
      ["phone_number", "text"],
      ["state", "text"],
      ["source", "text"],
      ["rule_id", "text"],
      ["assigned_by", "text"],
      ["created_at", "timestamptz"],
      ["updated_at", "timestamptz"],
    ],
    seats.map((s) => ({
      tenant_id: tenantId,
      kind: s.kind,
      user_id: s.userId,
      phone_number: s.phoneNumber,
      state: s.state,
      source: s.source,
      rule_id: s.ruleId,
      assigned_by: assignedBy,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    })),
    "on conflict (tenant_id, kind, user_id) do nothing",
  );
}

/** Removes the users' seats (of one kind, or all); answers them as they were. */
export async function removeSeats(
  conn: Conn,
  tenantId: string,
  kind: SeatKind | null,
  userIds: readonly string[],
): Promise<SeatHolding[]> {
  const out: SeatHolding[] = [];
  for (const part of chunks(userIds)) {
    const rows = await conn
      .delete(seatAssignments)
      .where(
        and(
          ofTenant(tenantId),
          kind ? eq(seatAssignments.kind, kind) : undefined,
          inArray(seatAssignments.userId, part),
        ),
      )
      .returning();
    out.push(...rows.map(holding));
  }
  return out;
}

/** Suspends the users' seats not suspended yet; answers them as they were. */
export async function suspendSeats(conn: Conn, tenantId: string, userIds: readonly string[], at: Date) {
  const out: SeatHolding[] = [];
  for (const part of chunks(userIds)) {
    const where = and(
      ofTenant(tenantId),
      inArray(seatAssignments.userId, part),
      sql`${seatAssignments.state} <> 'suspended'`,
    );
    const before = await conn.select().from(seatAssignments).where(where).for("update");
    if (before.length === 0) continue;
    await conn.update(seatAssignments).set({ state: "suspended", updatedAt: at }).where(where);
    out.push(...before.map(holding));
  }
  return out;
}

const oneSeat = (tenantId: string, kind: SeatKind, userId: string) =>
  and(ofTenant(tenantId), eq(seatAssignments.kind, kind), eq(seatAssignments.userId, userId));

export async function reviveSeat(
  conn: Conn,
  tenantId: string,
  seat: { kind: SeatKind; userId: string; state: "active" | "pending"; phoneNumber: string | null },
  at: Date,
): Promise<void> {
  await conn
    .update(seatAssignments)
    .set({ state: seat.state, phoneNumber: seat.phoneNumber, updatedAt: at })
    .where(oneSeat(tenantId, seat.kind, seat.userId));
}

/** A settled number push makes the user's calling seat with that number active or failed (unless suspended). */
export async function settleCallingSeat(
  conn: Conn,
  tenantId: string,
  userId: string,
  number: string,
  outcome: NumberOutcome,
  at: Date,
): Promise<void> {
  await conn
    .update(seatAssignments)
    .set({
      state: outcome.state === "assigned" ? "active" : "failed",
      lastErrorCode: outcome.error?.code ?? null,
      lastErrorMessage: outcome.error?.message ?? null,
      updatedAt: at,
    })
    .where(
      and(
        oneSeat(tenantId, "calling", userId),
        eq(seatAssignments.phoneNumber, number),
        // A suspended seat keeps its state whatever happens to the number being released.
        sql`${seatAssignments.state} <> 'suspended'`,
      ),
    );
}

/** Seats by kind, then the holders' directory order; with their names. */
export async function seatList(
  db: Db,
  tenantId: string,
  filter: { kind?: SeatKind; userId?: string } = {},
): Promise<SeatRecord[]> {
  const rows = await db
    .select()
    .from(seatAssignments)
    .where(
      and(
        ofTenant(tenantId),
        filter.kind ? eq(seatAssignments.kind, filter.kind) : undefined,
        filter.userId ? eq(seatAssignments.userId, filter.userId) : undefined,
      ),
    )
    .orderBy(asc(seatAssignments.kind), asc(seatAssignments.userId));
  const people = await memberCards(
    db,
    tenantId,
    rows.map((r) => r.userId),
  );
  const order = (r: Row) => people.get(r.userId)?.directoryOrder ?? Number.POSITIVE_INFINITY;
  return rows
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : order(a) - order(b)))
    .map((r) => {
      const person = people.get(r.userId);
      return {
        ...holding(r),
        lastErrorCode: r.lastErrorCode,
        lastErrorMessage: r.lastErrorMessage,
        assignedAt: r.assignedAt.toISOString(),
        displayName: person?.displayName ?? null,
        upn: person?.upn ?? null,
        mail: person?.mail ?? null,
      };
    });
}
