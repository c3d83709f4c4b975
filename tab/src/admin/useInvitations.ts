/**
 * State of the Invitations section: the invitations sent (a pending one can be revoked), and the form
 * inviting one person from the directory with a role and seats.
 */

import { useState } from "react";
import type { DirectoryPerson } from "../../../src/api-contract/directory.ts";
import type { SeatKindName } from "../../../src/api-contract/seats.ts";
import { useAction } from "../../../src/ui-shared/useAction.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "../shared/context.ts";

export const invitableRoles = ["member", "scheduler", "admin"] as const;
export type InvitableRole = (typeof invitableRoles)[number];
export const invitableSeats: readonly SeatKindName[] = ["sync", "calling"];

export function useInvitations() {
  const { api } = useTabEnvironment();
  const list = useAsync((signal) => api.invitations.list(signal), [api], { keepDataWhileReloading: true });
  const revoking = useAction();
  return {
    list,
    error: revoking.error,
    revoke: (invitationId: string) =>
      void revoking.run(() => api.invitations.revoke(invitationId), list.reload),
  };
}

export function useInvite(onSent: () => void) {
  const { api } = useTabEnvironment();
  const [person, setPerson] = useState<DirectoryPerson[]>([]);
  const [role, setRole] = useState<InvitableRole>("member");
  const [kinds, setKinds] = useState<SeatKindName[]>(["sync"]);
  const sending = useAction();
  const chosen = person[0];
  return {
    person,
    chosen,
    role,
    kinds,
    sending: sending.busy,
    error: sending.error,
    /** One person at most: the one picked last. */
    pick: (people: DirectoryPerson[]) => setPerson(people.slice(-1)),
    setRole,
    toggleSeat: (kind: SeatKindName, on: boolean) =>
      setKinds((prev) => (on ? [...prev.filter((k) => k !== kind), kind] : prev.filter((k) => k !== kind))),
    send() {
      if (!chosen) return;
      void sending.run(
        () => api.invitations.create({ userId: chosen.userId, role, seatKinds: kinds }),
        () => {
          setPerson([]);
          onSent();
        },
      );
    },
  };
}

export type InviteState = ReturnType<typeof useInvite>;
