/**
 * Answers to join requests and invitations, the same from the tab's routes and from the bot's cards:
 * - an admin approving a join request assigns the missing seats first, all or none (a full pool leaves the
 *   request pending and the admin reads why), then records the decision and tells the requester;
 * - an invitee accepting assigns the invited seats first, all or none (a full pool leaves the invitation
 *   pending), then records the answer, which grants the role; the inviter is told either way.
 */

import type { Notifier } from "../core/directory/sync.ts";
import { DomainError } from "../core/errors.ts";
import type { InvitationRecord, JoinRequestRecord, RequestStore } from "../store/requests.ts";
import type { NumberWork, SeatStore } from "../store/seats.ts";

export interface SeatAnswerDeps {
  readonly seats: SeatStore;
  readonly requests: RequestStore;
  /** Starts the Teams number work a calling seat needs (the seat service's job queue). */
  readonly seatWork?: (tenantId: string, work: NumberWork) => Promise<void>;
  readonly notices?: Notifier;
}

interface Answerer {
  readonly tenantId: string;
  readonly userId: string;
  readonly displayName: string;
}

export async function decideJoinRequest(
  deps: SeatAnswerDeps,
  admin: Answerer,
  requestId: string,
  decision: "approved" | "denied",
  reason: string,
): Promise<JoinRequestRecord> {
  const { tenantId } = admin;
  const pending = await deps.requests.joinRequest(tenantId, requestId);
  if (!pending) throw new DomainError("NOT_FOUND", "No such join request.");
  if (pending.state !== "pending")
    throw new DomainError("CONFLICT", `The request was already ${pending.state}.`);
  if (decision === "approved") {
    const { numbers } = await deps.seats.assignMissingSeats(
      tenantId,
      { userId: pending.userId, kinds: pending.seatKinds, reason: `join request approved: ${reason}` },
      admin.userId,
    );
    await deps.seatWork?.(tenantId, numbers);
  }
  const decided = await deps.requests.decide(tenantId, requestId, decision, reason, admin.userId);
  await deps.notices?.notifyUser(tenantId, pending.userId, {
    topic: "join_request.decided",
    text: `Your request to join Quorum was ${decision}: ${reason}`,
    details: { requestId, decision },
  });
  return decided;
}

export async function answerInvitation(
  deps: SeatAnswerDeps,
  invitee: Answerer,
  invitationId: string,
  state: "accepted" | "declined",
): Promise<InvitationRecord> {
  const { tenantId, userId } = invitee;
  const invitation = await deps.requests.invitation(tenantId, invitationId);
  // Someone else's invitation is not disclosed.
  if (!invitation || invitation.userId !== userId) throw new DomainError("NOT_FOUND", "No such invitation.");
  if (invitation.state !== "pending")
    throw new DomainError("CONFLICT", `The invitation was already ${invitation.state}.`);
  if (state === "accepted" && invitation.seatKinds.length > 0) {
    const { numbers } = await deps.seats.assignMissingSeats(
      tenantId,
      { userId, kinds: invitation.seatKinds, reason: `invitation ${invitationId} accepted` },
      userId,
    );
    await deps.seatWork?.(tenantId, numbers);
  }
  const answered = await deps.requests.respondToInvitation(tenantId, invitationId, { state, userId });
  await deps.notices?.notifyUser(tenantId, invitation.invitedBy, {
    topic: `invitation.${state}`,
    text: `${invitee.displayName} ${state} your invitation to Quorum.`,
    details: { invitationId, userId, name: invitee.displayName },
  });
  return answered;
}
