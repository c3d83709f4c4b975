/**
 * Join requests (people ask for seats) and invitations (admins invite directory users) in the database:
 * created, decided or answered inside the seat service's transactions, and read with the people's names.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { InvitationRecord, JoinRequestRecord, SeatTransaction } from "../core/seats/ports.ts";
import type { SeatKind } from "../core/seats/types.ts";
import type { Db } from "./db.ts";
import { type MemberCard, memberCards } from "./members.ts";
import { invitations, joinRequests } from "./schema.ts";
import type { Conn } from "./sql.ts";

type NewRequest = Parameters<SeatTransaction["createJoinRequest"]>[0];
type Decision = Parameters<SeatTransaction["decideJoinRequest"]>[1];
type NewInvitation = Parameters<SeatTransaction["createInvitation"]>[0];

const ofTenant = (tenantId: string) => eq(joinRequests.tenantId, tenantId);
const oneRequest = (tenantId: string, id: string) => and(ofTenant(tenantId), eq(joinRequests.requestId, id));
const oneInvitation = (tenantId: string, id: string) =>
  and(eq(invitations.tenantId, tenantId), eq(invitations.invitationId, id));

export async function pendingJoinRequest(conn: Conn, tenantId: string, userId: string) {
  const pending = and(ofTenant(tenantId), eq(joinRequests.userId, userId), eq(joinRequests.state, "pending"));
  const [row] = await conn.select({ id: joinRequests.requestId }).from(joinRequests).where(pending);
  return row?.id;
}

export async function createJoinRequest(conn: Conn, tenantId: string, request: NewRequest, at: Date) {
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
  id: string,
  decision: Decision,
  at: Date,
) {
  const [decided] = await conn
    .update(joinRequests)
    .set({ ...decision, decidedAt: at })
    .where(and(oneRequest(tenantId, id), eq(joinRequests.state, "pending")))
    .returning({ userId: joinRequests.userId, seatKinds: joinRequests.seatKinds });
  if (decided) return { decided: { userId: decided.userId, seatKinds: decided.seatKinds as SeatKind[] } };
  const [now] = await conn
    .select({ state: joinRequests.state })
    .from(joinRequests)
    .where(oneRequest(tenantId, id));
  return { state: now?.state };
}

export async function createInvitation(conn: Conn, tenantId: string, invitation: NewInvitation, at: Date) {
  const invitationId = randomUUID();
  const row = { tenantId, invitationId, ...invitation, state: "pending", createdAt: at };
  await conn.insert(invitations).values(row);
  return invitationId;
}

/** The invitation, held until the transaction ends. */
export async function lockInvitation(conn: Conn, tenantId: string, id: string) {
  const [row] = await conn.select().from(invitations).where(oneInvitation(tenantId, id)).for("update");
  if (!row) return undefined;
  const { invitationId, userId, role, seatKinds, invitedBy, state } = row;
  return { invitationId, userId, role, seatKinds: seatKinds as SeatKind[], invitedBy, state };
}

export async function setInvitationState(conn: Conn, tenantId: string, id: string, state: string, at: Date) {
  await conn.update(invitations).set({ state, respondedAt: at }).where(oneInvitation(tenantId, id));
}

export async function markInvitationNotified(db: Db, tenantId: string, id: string, at: Date) {
  await db.update(invitations).set({ notifiedAt: at }).where(oneInvitation(tenantId, id));
}

const iso = (at: Date | null) => at?.toISOString() ?? null;
const names = (card: MemberCard | undefined) => ({
  displayName: card?.displayName ?? null,
  upn: card?.upn ?? null,
});

async function requestViews(db: Db, tenantId: string, rows: (typeof joinRequests.$inferSelect)[]) {
  const people = await memberCards(db, tenantId, [...new Set(rows.map((r) => r.userId))]);
  return rows.map(
    ({ tenantId: _t, seatKinds, createdAt, decidedAt, ...r }): JoinRequestRecord => ({
      ...r,
      ...names(people.get(r.userId)),
      seatKinds: seatKinds as SeatKind[],
      createdAt: createdAt.toISOString(),
      decidedAt: iso(decidedAt),
    }),
  );
}

async function invitationViews(db: Db, tenantId: string, rows: (typeof invitations.$inferSelect)[]) {
  const people = await memberCards(db, tenantId, [...new Set(rows.flatMap((i) => [i.userId, i.invitedBy]))]);
  return rows.map(
    ({ tenantId: _t, seatKinds, createdAt, notifiedAt, respondedAt, ...i }): InvitationRecord => ({
      ...i,
      ...names(people.get(i.userId)),
      seatKinds: seatKinds as SeatKind[],
      invitedByName: people.get(i.invitedBy)?.displayName ?? null,
      createdAt: createdAt.toISOString(),
      notifiedAt: iso(notifiedAt),
      respondedAt: iso(respondedAt),
    }),
  );
}

export async function joinRequest(db: Db, tenantId: string, requestId: string) {
  const rows = await db.select().from(joinRequests).where(oneRequest(tenantId, requestId));
  return (await requestViews(db, tenantId, rows))[0];
}

export async function joinRequestList(
  db: Db,
  tenantId: string,
  filter: { userId?: string; state?: string } = {},
) {
  const { userId, state } = filter;
  const rows = await db
    .select()
    .from(joinRequests)
    .where(
      and(
        ofTenant(tenantId),
        userId ? eq(joinRequests.userId, userId) : undefined,
        state ? eq(joinRequests.state, state) : undefined,
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
  const mine = filter.userId ? eq(invitations.userId, filter.userId) : undefined;
  const rows = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), mine))
    .orderBy(desc(invitations.createdAt));
  return invitationViews(db, tenantId, rows);
}
