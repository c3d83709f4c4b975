/** Invitations (admins invite directory users) and join requests (users ask for seats), with their audit. */
import { randomUUID } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Clock } from "../core/clock.ts";
import { DomainError } from "../core/errors.ts";
import type { SeatKind } from "../core/seats/types.ts";
import type { Database } from "./db.ts";
import { writeRoles } from "./roles.ts";
import { auditLog, invitations, joinRequests, members } from "./schema.ts";

export interface InvitationRecord {
  readonly invitationId: string;
  readonly userId: string;
  readonly displayName: string | null;
  readonly upn: string | null;
  readonly role: string;
  readonly seatKinds: SeatKind[];
  readonly invitedBy: string;
  readonly invitedByName: string | null;
  readonly state: string;
  readonly createdAt: string;
  readonly notifiedAt: string | null;
  readonly respondedAt: string | null;
}

export interface JoinRequestRecord {
  readonly requestId: string;
  readonly userId: string;
  readonly displayName: string | null;
  readonly upn: string | null;
  readonly seatKinds: SeatKind[];
  readonly message: string | null;
  readonly state: string;
  readonly decidedBy: string | null;
  readonly reason: string | null;
  readonly createdAt: string;
  readonly decidedAt: string | null;
}

export type RequestStore = ReturnType<typeof createRequestStore>;

type Tx = Parameters<Parameters<Database["db"]["transaction"]>[0]>[0];

/**
 * Work that commits with a decision or an acceptance, or not at all (the seats it gives). It runs inside
 * the transaction that recorded the decision, only when that decision won; throwing rolls both back.
 */
export type Alongside = (tx: Tx, subject: { userId: string; seatKinds: SeatKind[] }) => Promise<void>;

/** Who may grant an invited role: an owner for owner, an owner or admin for everything else. */
const mayGrant = (inviterRoles: readonly string[], role: string): boolean =>
  role === "owner"
    ? inviterRoles.includes("owner")
    : inviterRoles.includes("owner") || inviterRoles.includes("admin");

export function createRequestStore(database: Database, clock: Clock) {
  const { db } = database;
  const now = () => new Date(clock.now());

  const invitationView = (
    i: typeof invitations.$inferSelect,
    m: { displayName: string; upn: string } | null,
    invitedByName: string | null = null,
  ): InvitationRecord => ({
    invitationId: i.invitationId,
    userId: i.userId,
    displayName: m?.displayName ?? null,
    upn: m?.upn ?? null,
    role: i.role,
    seatKinds: i.seatKinds as SeatKind[],
    invitedBy: i.invitedBy,
    invitedByName,
    state: i.state,
    createdAt: i.createdAt.toISOString(),
    notifiedAt: i.notifiedAt?.toISOString() ?? null,
    respondedAt: i.respondedAt?.toISOString() ?? null,
  });

  const requestView = (
    r: typeof joinRequests.$inferSelect,
    m: { displayName: string; upn: string } | null,
  ): JoinRequestRecord => ({
    requestId: r.requestId,
    userId: r.userId,
    displayName: m?.displayName ?? null,
    upn: m?.upn ?? null,
    seatKinds: r.seatKinds as SeatKind[],
    message: r.message,
    state: r.state,
    decidedBy: r.decidedBy,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  });

  const inviter = alias(members, "inviter");
  const invitationSelect = {
    i: invitations,
    displayName: members.displayName,
    upn: members.upn,
    invitedByName: inviter.displayName,
  };
  const inviterJoin = and(
    eq(inviter.tenantId, invitations.tenantId),
    eq(inviter.userId, invitations.invitedBy),
  );
  const nameOf = async (tenantId: string, userId: string) => {
    const [row] = await db
      .select({ displayName: members.displayName })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.userId, userId)));
    return row?.displayName ?? null;
  };

  const memberJoin = (
    tenantCol: typeof invitations.tenantId | typeof joinRequests.tenantId,
    userCol: typeof invitations.userId | typeof joinRequests.userId,
  ) => and(eq(members.tenantId, tenantCol), eq(members.userId, userCol));

  return {
    async invite(
      tenantId: string,
      input: { userId: string; role: string; seatKinds: SeatKind[] },
      actorUserId: string,
    ): Promise<InvitationRecord> {
      const m = await db
        .select({
          displayName: members.displayName,
          upn: members.upn,
          deletedAt: members.deletedAt,
          enabled: members.accountEnabled,
        })
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.userId, input.userId)));
      if (!m[0] || m[0].deletedAt || !m[0].enabled) {
        throw new DomainError(
          "NOT_FOUND",
          "No such active user in the imported directory. Sync the directory first.",
        );
      }
      const row = {
        tenantId,
        invitationId: randomUUID(),
        userId: input.userId,
        role: input.role,
        seatKinds: input.seatKinds,
        invitedBy: actorUserId,
        state: "pending",
        createdAt: now(),
      };
      await db.transaction(async (tx) => {
        await tx.insert(invitations).values(row);
        await tx.insert(auditLog).values({
          tenantId,
          actorUserId,
          action: "invitation.created",
          targetType: "user",
          targetId: input.userId,
          after: { role: input.role, seatKinds: input.seatKinds },
          at: now(),
        });
      });
      const saved = await db
        .select()
        .from(invitations)
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.invitationId, row.invitationId)));
      return invitationView(saved[0]!, m[0], await nameOf(tenantId, actorUserId));
    },

    async markInvitationNotified(tenantId: string, invitationId: string): Promise<void> {
      await db
        .update(invitations)
        .set({ notifiedAt: now() })
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.invitationId, invitationId)));
    },

    async invitations(tenantId: string, filter: { userId?: string } = {}): Promise<InvitationRecord[]> {
      const rows = await db
        .select(invitationSelect)
        .from(invitations)
        .leftJoin(members, memberJoin(invitations.tenantId, invitations.userId))
        .leftJoin(inviter, inviterJoin)
        .where(
          and(
            eq(invitations.tenantId, tenantId),
            filter.userId ? eq(invitations.userId, filter.userId) : undefined,
          ),
        )
        .orderBy(desc(invitations.createdAt));
      return rows.map(({ i, displayName, upn, invitedByName }) =>
        invitationView(i, displayName !== null && upn !== null ? { displayName, upn } : null, invitedByName),
      );
    },

    /**
     * The invitee accepts or declines (or an admin revokes) a pending invitation, in one transaction with
     * the invitation row locked. Accepting grants the invited role and runs `alongside` (the invited seats,
     * all or none: a full pool leaves the invitation pending), but only while the inviter still holds the
     * authority the invitation needs (`mayGrant`, checked now, not when it was sent): otherwise nothing is
     * granted, the invitation stays pending (it can still be declined, or revoked by an admin), the refusal
     * is audited as `invitation.refused`, and the answer is INVITATION_NO_LONGER_VALID.
     */
    async respondToInvitation(
      tenantId: string,
      invitationId: string,
      answer: { state: "accepted" | "declined"; userId: string } | { state: "revoked"; actorUserId: string },
      alongside?: Alongside,
    ): Promise<InvitationRecord> {
      const outcome = await db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(invitations)
          .where(and(eq(invitations.tenantId, tenantId), eq(invitations.invitationId, invitationId)))
          .for("update");
        if (!row || (answer.state !== "revoked" && row.userId !== answer.userId)) {
          throw new DomainError("NOT_FOUND", "No such invitation.");
        }
        if (row.state !== "pending") {
          throw new DomainError("CONFLICT", `The invitation was already ${row.state}.`);
        }
        const at = now();
        if (answer.state === "accepted") {
          // Locked against a concurrent change of the inviter's roles until this answer commits.
          const [inviterNow] = await tx
            .select({ roles: members.roles })
            .from(members)
            .where(
              and(
                eq(members.tenantId, tenantId),
                eq(members.userId, row.invitedBy),
                isNull(members.deletedAt),
              ),
            )
            .for("share");
          if (!mayGrant(inviterNow?.roles ?? [], row.role)) {
            await tx.insert(auditLog).values({
              tenantId,
              actorUserId: answer.userId,
              action: "invitation.refused",
              targetType: "user",
              targetId: row.userId,
              before: { state: row.state },
              after: {
                state: row.state,
                role: row.role,
                seatKinds: row.seatKinds,
                invitedBy: row.invitedBy,
                inviterRoles: inviterNow?.roles ?? null,
              },
              reason: "the inviter is no longer an owner or admin",
              at,
            });
            return { refused: true } as const;
          }
        }
        const [updated] = await tx
          .update(invitations)
          .set({ state: answer.state, respondedAt: at })
          .where(and(eq(invitations.tenantId, tenantId), eq(invitations.invitationId, invitationId)))
          .returning();
        if (answer.state === "accepted" && row.role !== "member") {
          const [member] = await tx
            .select({ roles: members.roles })
            .from(members)
            .where(and(eq(members.tenantId, tenantId), eq(members.userId, row.userId)))
            .for("update");
          if (member && !member.roles.includes(row.role)) {
            await writeRoles(tx, {
              tenantId,
              userId: row.userId,
              before: member.roles,
              next: [...new Set([...member.roles, "member", row.role])],
              actorUserId: row.userId,
              at,
              reason: `invitation ${invitationId} accepted`,
            });
          }
        }
        if (answer.state === "accepted") {
          await alongside?.(tx, { userId: row.userId, seatKinds: row.seatKinds as SeatKind[] });
        }
        await tx.insert(auditLog).values({
          tenantId,
          actorUserId: answer.state === "revoked" ? answer.actorUserId : answer.userId,
          action: `invitation.${answer.state}`,
          targetType: "user",
          targetId: row.userId,
          before: { state: row.state },
          after: { state: answer.state, role: row.role, seatKinds: row.seatKinds },
          at,
        });
        const [m] = await tx
          .select({ displayName: members.displayName, upn: members.upn })
          .from(members)
          .where(and(eq(members.tenantId, tenantId), eq(members.userId, row.userId)));
        const [by] = await tx
          .select({ displayName: members.displayName })
          .from(members)
          .where(and(eq(members.tenantId, tenantId), eq(members.userId, row.invitedBy)));
        return {
          refused: false,
          record: invitationView(updated!, m ?? null, by?.displayName ?? null),
        } as const;
      });
      if (outcome.refused) {
        throw new DomainError("INVITATION_NO_LONGER_VALID", undefined, { details: { invitationId } });
      }
      return outcome.record;
    },

    async invitation(tenantId: string, invitationId: string): Promise<InvitationRecord | null> {
      const [row] = await db
        .select(invitationSelect)
        .from(invitations)
        .leftJoin(members, memberJoin(invitations.tenantId, invitations.userId))
        .leftJoin(inviter, inviterJoin)
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.invitationId, invitationId)));
      if (!row) return null;
      const { i, displayName, upn, invitedByName } = row;
      return invitationView(
        i,
        displayName !== null && upn !== null ? { displayName, upn } : null,
        invitedByName,
      );
    },

    async requestToJoin(
      tenantId: string,
      input: { userId: string; seatKinds: SeatKind[]; message: string | null },
    ): Promise<JoinRequestRecord> {
      const pending = await db
        .select()
        .from(joinRequests)
        .where(
          and(
            eq(joinRequests.tenantId, tenantId),
            eq(joinRequests.userId, input.userId),
            eq(joinRequests.state, "pending"),
          ),
        );
      if (pending[0]) {
        throw new DomainError("CONFLICT", "You already have a pending request. An admin will answer it.", {
          details: { requestId: pending[0].requestId },
        });
      }
      const row = {
        tenantId,
        requestId: randomUUID(),
        userId: input.userId,
        seatKinds: input.seatKinds,
        message: input.message,
        state: "pending",
        createdAt: now(),
      };
      await db.transaction(async (tx) => {
        await tx.insert(joinRequests).values(row);
        await tx.insert(auditLog).values({
          tenantId,
          actorUserId: input.userId,
          action: "join_request.created",
          targetType: "user",
          targetId: input.userId,
          after: { seatKinds: input.seatKinds, message: input.message },
          at: now(),
        });
      });
      return (await this.joinRequest(tenantId, row.requestId))!;
    },

    async joinRequest(tenantId: string, requestId: string): Promise<JoinRequestRecord | undefined> {
      const rows = await db
        .select({ r: joinRequests, displayName: members.displayName, upn: members.upn })
        .from(joinRequests)
        .leftJoin(members, memberJoin(joinRequests.tenantId, joinRequests.userId))
        .where(and(eq(joinRequests.tenantId, tenantId), eq(joinRequests.requestId, requestId)));
      const r = rows[0];
      return r
        ? requestView(
            r.r,
            r.displayName !== null && r.upn !== null ? { displayName: r.displayName, upn: r.upn } : null,
          )
        : undefined;
    },

    async joinRequests(
      tenantId: string,
      filter: { userId?: string; state?: string } = {},
    ): Promise<JoinRequestRecord[]> {
      const rows = await db
        .select({ r: joinRequests, displayName: members.displayName, upn: members.upn })
        .from(joinRequests)
        .leftJoin(members, memberJoin(joinRequests.tenantId, joinRequests.userId))
        .where(
          and(
            eq(joinRequests.tenantId, tenantId),
            filter.userId ? eq(joinRequests.userId, filter.userId) : undefined,
            filter.state ? eq(joinRequests.state, filter.state) : undefined,
          ),
        )
        .orderBy(desc(joinRequests.createdAt));
      return rows.map(({ r, displayName, upn }) =>
        requestView(r, displayName !== null && upn !== null ? { displayName, upn } : null),
      );
    },

    /**
     * Records the decision (audited with the reason) as one conditional update, `... WHERE state =
     * 'pending' RETURNING`: of decisions racing on one request exactly one wins, the others are CONFLICT.
     * `alongside` (an approval's seats) runs in the same transaction for the winner only, so seats are never
     * left on a denied request, and a full pool leaves the request pending.
     */
    async decide(
      tenantId: string,
      requestId: string,
      decision: "approved" | "denied",
      reason: string,
      actorUserId: string,
      alongside?: Alongside,
    ): Promise<JoinRequestRecord> {
      await db.transaction(async (tx) => {
        const rows = await tx
          .update(joinRequests)
          .set({ state: decision, decidedBy: actorUserId, reason, decidedAt: now() })
          .where(
            and(
              eq(joinRequests.tenantId, tenantId),
              eq(joinRequests.requestId, requestId),
              eq(joinRequests.state, "pending"),
            ),
          )
          .returning();
        if (!rows[0]) {
          const exists = await tx
            .select({ state: joinRequests.state })
            .from(joinRequests)
            .where(and(eq(joinRequests.tenantId, tenantId), eq(joinRequests.requestId, requestId)));
          if (!exists[0]) throw new DomainError("NOT_FOUND", "No such join request.");
          throw new DomainError("CONFLICT", `The request was already ${exists[0].state}.`);
        }
        await tx.insert(auditLog).values({
          tenantId,
          actorUserId,
          action: `join_request.${decision}`,
          targetType: "user",
          targetId: rows[0].userId,
          before: { state: "pending" },
          after: { state: decision, seatKinds: rows[0].seatKinds },
          reason,
          at: now(),
        });
        await alongside?.(tx, { userId: rows[0].userId, seatKinds: rows[0].seatKinds as SeatKind[] });
      });
      return (await this.joinRequest(tenantId, requestId))!;
    },

    async syncSwitch(tenantId: string, userId: string): Promise<boolean> {
      const rows = await db
        .select({ enabled: members.syncEnabled })
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.userId, userId)));
      if (!rows[0]) throw new DomainError("NOT_FOUND", "You are not in the imported directory yet.");
      return rows[0].enabled;
    },

    async setSyncSwitch(tenantId: string, userId: string, enabled: boolean): Promise<void> {
      await db.transaction(async (tx) => {
        const before = await tx
          .select({ enabled: members.syncEnabled })
          .from(members)
          .where(and(eq(members.tenantId, tenantId), eq(members.userId, userId)))
          .for("update");
        if (!before[0]) throw new DomainError("NOT_FOUND", "You are not in the imported directory yet.");
        await tx
          .update(members)
          .set({ syncEnabled: enabled, updatedAt: now() })
          .where(and(eq(members.tenantId, tenantId), eq(members.userId, userId)));
        await tx.insert(auditLog).values({
          tenantId,
          actorUserId: userId,
          action: "sync.user_switch_changed",
          targetType: "user",
          targetId: userId,
          before: { enabled: before[0].enabled },
          after: { enabled },
          at: now(),
        });
      });
    },
  };
}
