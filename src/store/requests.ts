/**
 * Join requests (people ask for seats) and invitations (admins invite directory users) in the database:
 * created, decided or answered inside the seat service's transactions, and read with the people's names.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { HeldInvitation, InvitationRecord, JoinRequestRecord } from "../core/seats/ports.ts";
import type { SeatKind } from "../core/seats/types.ts";
import type { Db } from "./db.ts";
import { memberCards } from "./members.ts";
import { invitations, joinRequests } from "./schema.ts";
import type { Conn } from "./sql.ts";

const oneRequest = (tenantId: string, requestId: string) =>
  and(eq(joinRequests.tenantId, tenantId), eq(joinRequests.requestId, requestId));
const oneInvitation = (tenantId: string, invitationId: string) =>
  and(eq(invitations.tenantId, tenantId), eq(invitations.invitationId, invitationId));

export async function pendingJoinRequest(
  conn: Conn,
  tenantId: string,
  userId: string,
): Promise<string | undefined> {
  const [row] = await conn
    .select({ requestId: joinRequests.requestId })
    .from(joinRequests)
    .where(
      and(
        eq(joinRequests.tenantId, tenantId),
        eq(joinRequests.userId, userId),
        eq(joinRequests.state, "pending"),
      ),
    );
  return row?.requestId;
}

export async function createJoinRequest(
  conn: Conn,
  tenantId: string,
  request: { userId: string; seatKinds: SeatKind[]; message: string | null },
  at: Date,
): Promise<string> {
  const requestId = randomUUID();
  await conn
    .insert(joinRequests)
    .values({ tenantId, requestId, ...request, state: "pending", createdAt: at });
  return requestId;
}

/** One conditional update, `... WHERE state = 'pending' RETURNING`: of racing decisions exactly one wins. */
export async function decideJoinRequest(
  conn: Conn,
  tenantId: string,
  requestId: string,
  decision: { state: "approved" | "denied"; reason: string; decidedBy: string },
  at: Date,
): Promise<{ decided: { userId: string; seatKinds: SeatKind[] } } | { state: string | undefined }> {
  const [decided] = await conn
    .update(joinRequests)
    .set({ ...decision, decidedAt: at })
    .where(and(oneRequest(tenantId, requestId), eq(joinRequests.state, "pending")))
    .returning({ userId: joinRequests.userId, seatKinds: joinRequests.seatKinds });
  if (decided) return { decided: { userId: decided.userId, seatKinds: decided.seatKinds as SeatKind[] } };
  const [now] = await conn
    .select({ state: joinRequests.state })
    .from(joinRequests)
    .where(oneRequest(tenantId, requestId));
  return { state: now?.state };
}

export async function createInvitation(
  conn: Conn,
  tenantId: string,
  invitation: { userId: string; role: string; seatKinds: SeatKind[]; invitedBy: string },
  at: Date,
): Promise<string> {
  const invitationId = randomUUID();
  await conn
    .insert(invitations)
    .values({ tenantId, invitationId, ...invitation, state: "pending", createdAt: at });
  return invitationId;
}

/** The invitation, held until the transaction ends. */
export async function lockInvitation(
  conn: Conn,
  tenantId: string,
  invitationId: string,
): Promise<HeldInvitation | undefined> {
  const [row] = await conn
    .select()
    .from(invitations)
    .where(oneInvitation(tenantId, invitationId))
    .for("update");
  return row
    ? {
        invitationId: row.invitationId,
        userId: row.userId,
        role: row.role,
        seatKinds: row.seatKinds as SeatKind[],
        invitedBy: row.invitedBy,
        state: row.state,
      }
    : undefined;
}

export async function setInvitationState(
  conn: Conn,
  tenantId: string,
  invitationId: string,
  state: "accepted" | "declined" | "revoked",
  at: Date,
): Promise<void> {
  await conn.update(invitations).set({ state, respondedAt: at }).where(oneInvitation(tenantId, invitationId));
}

export async function markInvitationNotified(db: Db, tenantId: string, invitationId: string, at: Date) {
  await db.update(invitations).set({ notifiedAt: at }).where(oneInvitation(tenantId, invitationId));
}

type RequestRow = typeof joinRequests.$inferSelect;
type InvitationRow = typeof invitations.$inferSelect;

async function requestViews(db: Db, tenantId: string, rows: RequestRow[]): Promise<JoinRequestRecord[]> {
  const people = await memberCards(
    db,
    tenantId,
    rows.map((r) => r.userId),
  );
  return rows.map((r) => ({
    requestId: r.requestId,
    userId: r.userId,
    displayName: people.get(r.userId)?.displayName ?? null,
    upn: people.get(r.userId)?.upn ?? null,
    seatKinds: r.seatKinds as SeatKind[],
    message: r.message,
    state: r.state,
    decidedBy: r.decidedBy,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  }));
}

async function invitationViews(db: Db, tenantId: string, rows: InvitationRow[]): Promise<InvitationRecord[]> {
  const people = await memberCards(
    db,
    tenantId,
    rows.flatMap((i) => [i.userId, i.invitedBy]),
  );
  return rows.map((i) => ({
    invitationId: i.invitationId,
    userId: i.userId,
    displayName: people.get(i.userId)?.displayName ?? null,
    upn: people.get(i.userId)?.upn ?? null,
    role: i.role,
    seatKinds: i.seatKinds as SeatKind[],
    invitedBy: i.invitedBy,
    invitedByName: people.get(i.invitedBy)?.displayName ?? null,
    state: i.state,
    createdAt: i.createdAt.toISOString(),
    notifiedAt: i.notifiedAt?.toISOString() ?? null,
    respondedAt: i.respondedAt?.toISOString() ?? null,
  }));
}

export async function joinRequest(db: Db, tenantId: string, requestId: string) {
  return (
    await requestViews(
      db,
      tenantId,
      await db.select().from(joinRequests).where(oneRequest(tenantId, requestId)),
    )
  )[0];
}

export async function joinRequestList(
  db: Db,
  tenantId: string,
  filter: { userId?: string; state?: string } = {},
) {
  const rows = await db
    .select()
    .from(joinRequests)
    .where(
      and(
        eq(joinRequests.tenantId, tenantId),
        filter.userId ? eq(joinRequests.userId, filter.userId) : undefined,
        filter.state ? eq(joinRequests.state, filter.state) : undefined,
      ),
    )
    .orderBy(desc(joinRequests.createdAt));
  return requestViews(db, tenantId, rows);
}

export async function invitation(db: Db, tenantId: string, invitationId: string) {
  const rows = await db.select().from(invitations).where(oneInvitation(tenantId, invitationId));
  return (await invitationViews(db, tenantId, rows))[0];
}

export async function invitationList(db: Db, tenantId: string, filter: { userId?: string } = {}) {
  const rows = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        filter.userId ? eq(invitations.userId, filter.userId) : undefined,
      ),
    )
    .orderBy(desc(invitations.createdAt));
  return invitationViews(db, tenantId, rows);
}
