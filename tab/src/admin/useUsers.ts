/**
 * State of the Users section beyond the members list (`useMembers`): a seat switch and a roles menu per
 * person, each one change at a time; the list reads again after every change, whether it went through or
 * not, and the section shows the last failure.
 */
import { useState } from "react";
import type { MemberRow, RoleName } from "../../../src/api-contract/directory.ts";
import type { SeatKindName } from "../../../src/api-contract/seats.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { type RoleFilter, type SeatFilter, useMembers } from "./useMembers.ts";

export const roleOptions: readonly RoleFilter[] = ["all", "owner", "admin", "scheduler", "member"];
export const seatOptions: readonly SeatFilter[] = ["any", "calling", "sync", "none"];
/** Roles an admin grants here; "member" is everyone's and always kept. */
export const grantable: readonly RoleName[] = ["owner", "admin", "scheduler"];

/** What a change to one person reports to the section: nothing, or its failure. */
export type ChangeDone = (error?: unknown) => void;

export function useUsers() {
  const members = useMembers();
  const [error, setError] = useState<unknown>(undefined);
  const changed: ChangeDone = (failure) => {
    setError(failure);
    // The table shows what the service holds, whether the change went through or not.
    members.list.reload();
  };
  return {
    ...members,
    error,
    changed,
    /** Whether a search or filter is narrowing the list (an empty answer then says "no match"). */
    filtered: members.text !== "" || members.role !== "all" || members.seat !== "any",
  };
}

/** One change to one person at a time: busy while it runs, its outcome reported to the section. */
function useMemberChange(onDone: ChangeDone) {
  const [busy, setBusy] = useState(false);
  return {
    busy,
    run(work: () => Promise<unknown>) {
      setBusy(true);
      work()
        .then(
          () => onDone(),
          (error: unknown) => onDone(error),
        )
        .finally(() => setBusy(false));
    },
  };
}

export function useSeatSwitch(member: MemberRow, kind: SeatKindName, onDone: ChangeDone) {
  const { api } = useTabEnvironment();
  const change = useMemberChange(onDone);
  const seat = member.seats[kind];
  return {
    seat,
    busy: change.busy,
    toggle: (on: boolean) =>
      change.run(() => (on ? api.seats.assign(member.userId, kind) : api.seats.release(member.userId, kind))),
  };
}

export function useRolesMenu(member: MemberRow, onDone: ChangeDone) {
  const { api } = useTabEnvironment();
  const { me } = useMe();
  const change = useMemberChange(onDone);
  return {
    busy: change.busy,
    callerIsOwner: me.actor.roles.includes("owner"),
    held: member.roles.filter((r) => r !== "member"),
    set: (roles: readonly string[]) =>
      change.run(() => api.members.setRoles(member.userId, roles as RoleName[])),
  };
}
