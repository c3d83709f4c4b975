/**
 * Join requests, invitations and the person's own sync switch, the same from the tab's routes and the
 * bot's cards:
 * - a person has at most one pending join request; admins are told of a new one;
 * - an admin's decision is one conditional update; an approval assigns the missing seats in the same
 *   transaction, all or none, and only if this decision won (a full pool leaves the request pending and
 *   the admin reads why); the requester is told;
 * - only active directory users are invited, and told;
 * - an invitee accepting gets the invited role and seats in one transaction, all or none, and only while
 *   the inviter still is an owner or admin (INVITATION_NO_LONGER_VALID otherwise); the inviter is told;
 * - a person's own calendar sync switch needs an active sync seat.
 */
import { DomainError, seatError } from "../errors.ts";
import { adminNotice, userNotice } from "../notifier.ts";
import { assignMissing } from "./changes.ts";
import {
  type InvitationRecord,
  type JoinRequestRecord,
  type NumberWork,
  noNumberWork,
  userAudit,
} from "./ports.ts";
import type { SeatActor, SeatServiceDeps } from "./service.ts";
import type { SeatKind } from "./types.ts";

/** Who may grant an invited role: an owner for owner, an owner or admin for everything else. */
const mayGrant = (inviterRoles: readonly string[], role: string): boolean =>
  role === "owner"
    ? inviterRoles.includes("owner")
    : inviterRoles.includes("owner") || inviterRoles.includes("admin");

export async function requestToJoin(
  deps: SeatServiceDeps,
  person: SeatActor,
  input: { seatKinds: SeatKind[]; message: string | null },
): Promise<JoinRequestRecord> {
  const requestId = await deps.store.transaction(person.tenantId, async (tx) => {
    const pending = await tx.pendingJoinRequest(person.userId);
    if (pending) {
      throw new DomainError("CONFLICT", "You already have a pending request. An admin will answer it.", {
        details: { requestId: pending },
      });
    }
    const id = await tx.createJoinRequest({ userId: person.userId, ...input });
    await tx.audit([
      userAudit(person.userId, "join_request.created", person.userId, {
        after: { seatKinds: input.seatKinds, message: input.message },
      }),
    ]);
    return id;
  });
  await deps.notices.notify(
    adminNotice(person.tenantId, {
      topic: "join_request",
      text: `${person.displayName} asks for ${input.seatKinds.join(" and ")} seats.`,
      details: { requestId, userId: person.userId },
    }),
  );
  return (await deps.store.joinRequest(person.tenantId, requestId))!;
}

export async function decideJoinRequest(
  deps: SeatServiceDeps,
  admin: SeatActor,
  requestId: string,
  decision: "approved" | "denied",
  reason: string,
): Promise<JoinRequestRecord> {
  const { tenantId } = admin;
  const { userId, numbers } = await deps.store.transaction(tenantId, async (tx) => {
    const outcome = await tx.decideJoinRequest(requestId, {
      state: decision,
      reason,
      decidedBy: admin.userId,
    });
    if (!("decided" in outcome)) {
      if (outcome.state === undefined) throw new DomainError("NOT_FOUND", "No such join request.");
      throw new DomainError("CONFLICT", `The request was already ${outcome.state}.`);
    }
    const request = outcome.decided;
    await tx.audit([
      userAudit(admin.userId, `join_request.${decision}`, request.userId, {
        before: { state: "pending" },
        after: { state: decision, seatKinds: request.seatKinds },
        reason,
      }),
    ]);
    if (decision !== "approved") return { userId: request.userId, numbers: noNumberWork };
    const given = await assignMissing(
      tx,
      { userId: request.userId, kinds: request.seatKinds, reason: `join request approved: ${reason}` },
      admin.userId,
    );
    return { userId: request.userId, numbers: given.numbers };
  });
  await deps.numbers.push(tenantId, numbers);
  await deps.notices.notify(
    userNotice(tenantId, userId, {
      topic: "join_request.decided",
      text: `Your request to join Quorum was ${decision}: ${reason}`,
      details: { requestId, decision },
    }),
  );
  return (await deps.store.joinRequest(tenantId, requestId))!;
}

export async function invite(
  deps: SeatServiceDeps,
  admin: SeatActor,
  input: { userId: string; role: string; seatKinds: SeatKind[] },
): Promise<InvitationRecord> {
  const { tenantId } = admin;
  const invitationId = await deps.store.transaction(tenantId, async (tx) => {
    const member = await tx.member(input.userId);
    if (!member || member.deleted || !member.accountEnabled) {
      throw new DomainError(
        "NOT_FOUND",
        "No such active user in the imported directory. Sync the directory first.",
      );
    }
    const id = await tx.createInvitation({ ...input, invitedBy: admin.userId });
    await tx.audit([
      userAudit(admin.userId, "invitation.created", input.userId, {
        after: { role: input.role, seatKinds: input.seatKinds },
      }),
    ]);
    return id;
  });
  const invitation = (await deps.store.invitation(tenantId, invitationId))!;
  await deps.notices.notify(
    userNotice(tenantId, input.userId, {
      topic: "invitation",
      text: `${admin.displayName} invited you to Quorum.`,
      details: { invitationId, seatKinds: input.seatKinds, role: input.role, name: admin.displayName },
    }),
  );
  await deps.store.markInvitationNotified(tenantId, invitationId);
  return invitation;
}

type Answer = { state: "accepted" | "declined"; userId: string } | { state: "revoked"; actorUserId: string };

/**
 * Answers a pending invitation in one transaction with the invitation held. Accepting grants the invited
 * role and seats only while the inviter still may grant them (checked now, not when it was sent):
 * otherwise nothing is granted, the invitation stays pending (it can still be declined or revoked), the
 * refusal is audited as `invitation.refused`, and the answer is INVITATION_NO_LONGER_VALID.
 */
async function respond(
  deps: SeatServiceDeps,
  tenantId: string,
  invitationId: string,
  answer: Answer,
): Promise<{ record: InvitationRecord; numbers: NumberWork }> {
  const outcome = await deps.store.transaction(tenantId, async (tx) => {
    const held = await tx.lockInvitation(invitationId);
    // Someone else's invitation is not disclosed (NOT_FOUND).
    if (!held || (answer.state !== "revoked" && held.userId !== answer.userId)) {
      throw new DomainError("NOT_FOUND", "No such invitation.");
    }
    if (held.state !== "pending")
      throw new DomainError("CONFLICT", `The invitation was already ${held.state}.`);
    const actorUserId = answer.state === "revoked" ? answer.actorUserId : answer.userId;
    if (answer.state === "accepted") {
      const inviterRoles = await tx.liveRoles(held.invitedBy, "share");
      if (!mayGrant(inviterRoles ?? [], held.role)) {
        await tx.audit([
          {
            actorUserId,
            action: "invitation.refused",
            targetType: "user",
            targetId: held.userId,
            before: { state: held.state },
            after: {
              state: held.state,
              role: held.role,
              seatKinds: held.seatKinds,
              invitedBy: held.invitedBy,
              inviterRoles: inviterRoles ?? null,
            },
            reason: "the inviter is no longer an owner or admin",
          },
        ]);
        return { refused: true } as const;
      }
    }
    await tx.setInvitationState(invitationId, answer.state);
    let numbers = noNumberWork;
    if (answer.state === "accepted") {
      const roles = held.role === "member" ? undefined : await tx.liveRoles(held.userId, "update");
      if (roles && !roles.includes(held.role)) {
        await tx.writeRoles({
          userId: held.userId,
          before: roles,
          next: [...new Set([...roles, "member", held.role])],
          actorUserId: held.userId,
          reason: `invitation ${invitationId} accepted`,
        });
      }
      if (held.seatKinds.length > 0) {
        ({ numbers } = await assignMissing(
          tx,
          { userId: held.userId, kinds: held.seatKinds, reason: `invitation ${invitationId} accepted` },
          held.userId,
        ));
      }
    }
    await tx.audit([
      userAudit(actorUserId, `invitation.${answer.state}`, held.userId, {
        before: { state: held.state },
        after: { state: answer.state, role: held.role, seatKinds: held.seatKinds },
      }),
    ]);
    return { refused: false, numbers } as const;
  });
  if (outcome.refused)
    throw new DomainError("INVITATION_NO_LONGER_VALID", undefined, { details: { invitationId } });
  return { record: (await deps.store.invitation(tenantId, invitationId))!, numbers: outcome.numbers };
}

export async function answerInvitation(
  deps: SeatServiceDeps,
  invitee: SeatActor,
  invitationId: string,
  state: "accepted" | "declined",
): Promise<InvitationRecord> {
  const { tenantId, userId } = invitee;
  const { record, numbers } = await respond(deps, tenantId, invitationId, { state, userId });
  await deps.numbers.push(tenantId, numbers);
  await deps.notices.notify(
    userNotice(tenantId, record.invitedBy, {
      topic: `invitation.${state}`,
      text: `${invitee.displayName} ${state} your invitation to Quorum.`,
      details: { invitationId, userId, name: invitee.displayName },
    }),
  );
  return record;
}

export async function revokeInvitation(
  deps: SeatServiceDeps,
  admin: SeatActor,
  invitationId: string,
): Promise<InvitationRecord> {
  return (await respond(deps, admin.tenantId, invitationId, { state: "revoked", actorUserId: admin.userId }))
    .record;
}

const notInDirectory = () => new DomainError("NOT_FOUND", "You are not in the imported directory yet.");

/** Whether the person holds an active sync seat, and their switch (off without a seat). */
export async function mySync(
  deps: SeatServiceDeps,
  person: { tenantId: string; userId: string },
): Promise<{ hasSyncSeat: boolean; enabled: boolean }> {
  const held = await deps.store.seats(person.tenantId, { kind: "sync", userId: person.userId });
  const hasSyncSeat = held.some((s) => s.state === "active");
  if (!hasSyncSeat) return { hasSyncSeat, enabled: false };
  const enabled = await deps.store.syncSwitch(person.tenantId, person.userId);
  if (enabled === undefined) throw notInDirectory();
  return { hasSyncSeat, enabled };
}

/** The person's own calendar sync switch: either way it needs an active sync seat (SEAT_REQUIRED). */
export async function setMySync(
  deps: SeatServiceDeps,
  person: { tenantId: string; userId: string },
  enabled: boolean,
): Promise<void> {
  const held = await deps.store.seats(person.tenantId, { kind: "sync", userId: person.userId });
  if (!held.some((s) => s.state === "active")) throw seatError("SYNC_SEAT_REQUIRED");
  await deps.store.transaction(person.tenantId, async (tx) => {
    const before = await tx.setSyncSwitch(person.userId, enabled);
    if (before === undefined) throw notInDirectory();
    await tx.audit([
      userAudit(person.userId, "sync.user_switch_changed", person.userId, {
        before: { enabled: before },
        after: { enabled },
      }),
    ]);
  });
}
