/**
 * Answers to join requests and invitations, the same from the tab's routes and from the bot's cards:
 * - an admin's decision on a join request is one conditional update; an approval assigns the missing
 *   seats in the same transaction, all or none, and only if this decision won (a full pool leaves the
 *   request pending and the admin reads why); the requester is told;
 * - an invitee accepting gets the invited role and seats in one transaction, all or none, and only while
 *   the inviter still is an owner or admin (INVITATION_NO_LONGER_VALID otherwise); the inviter is told;
 * - a person's own calendar sync switch needs an active sync seat.
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
  let numbers: NumberWork | undefined;
  const decided = await deps.requests.decide(
    tenantId,
    requestId,
    decision,
    reason,
    admin.userId,
    async (tx, request) => {
      if (decision !== "approved") return;
      ({ numbers } = await deps.seats.assignMissingSeats(
        tenantId,
        { userId: request.userId, kinds: request.seatKinds, reason: `join request approved: ${reason}` },
        admin.userId,
        tx,
      ));
    },
  );
  if (numbers) await deps.seatWork?.(tenantId, numbers);
  await deps.notices?.notifyUser(tenantId, decided.userId, {
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
  let numbers: NumberWork | undefined;
  // Someone else's invitation is not disclosed (NOT_FOUND).
  const answered = await deps.requests.respondToInvitation(
    tenantId,
    invitationId,
    { state, userId },
    async (tx, invitation) => {
      if (invitation.seatKinds.length === 0) return;
      ({ numbers } = await deps.seats.assignMissingSeats(
        tenantId,
        { userId, kinds: invitation.seatKinds, reason: `invitation ${invitationId} accepted` },
        userId,
        tx,
      ));
    },
  );
  if (numbers) await deps.seatWork?.(tenantId, numbers);
  await deps.notices?.notifyUser(tenantId, answered.invitedBy, {
    topic: `invitation.${state}`,
    text: `${invitee.displayName} ${state} your invitation to Quorum.`,
    details: { invitationId, userId, name: invitee.displayName },
  });
  return answered;
}

/** The person's own calendar sync switch: either way it needs an active sync seat (SEAT_REQUIRED). */
export async function switchMySync(
  deps: Pick<SeatAnswerDeps, "seats" | "requests">,
  person: { readonly tenantId: string; readonly userId: string },
  enabled: boolean,
): Promise<void> {
  const held = await deps.seats.seats(person.tenantId, { kind: "sync", userId: person.userId });
  if (!held.some((s) => s.state === "active")) {
    throw new DomainError(
      "SEAT_REQUIRED",
      "Calendar sync needs a sync seat. Ask your admin or request to join.",
    );
  }
  await deps.requests.setSyncSwitch(person.tenantId, person.userId, enabled);
}
