/** The signed-in user and their organization's status, shared by the views of one tab. */
import { createContext, useContext } from "react";
import type { MeResponse } from "../../../src/api-contract/identity.ts";

export interface MeState {
  me: MeResponse;
  reload: () => void;
}

export const MeContext = createContext<MeState | undefined>(undefined);

export function useMe(): MeState {
  const state = useContext(MeContext);
  if (!state) throw new Error("useMe is used outside a loaded tab");
  return state;
}

/** The name to quote in "ask your admin <name>": the owner first, else any admin. */
export function adminName(me: MeResponse): string | undefined {
  const owner = me.admins.find((a) => a.role === "owner") ?? me.admins[0];
  return owner?.displayName || owner?.upn;
}
