/** What every view of the tab needs: the API client and the user's locale and time zone. */
import { createContext, useContext } from "react";
import type { QuorumApi } from "../../../src/api-client/api.ts";
import type { MailboxSettingsResponse } from "../../../src/api-contract/directory.ts";

export interface TabEnvironment {
  api: QuorumApi;
  /** BCP 47 locale from Teams, e.g. "pt-BR". */
  locale: string;
  /**
   * The user's IANA time zone: their Outlook mailbox's once it is known, the browser's until then (or when
   * the mailbox settings cannot be read). Every view formats and computes in it.
   */
  timeZone: string;
  /** The mailbox settings' load: while "loading" or once "failed", `timeZone` is the browser's. */
  mailboxStatus: "loading" | "ready" | "failed";
  /** The mailbox settings (zone, working hours, language) once loaded. */
  mailbox: MailboxSettingsResponse | undefined;
  /** Opens a Teams deep link (chat, call) through the host. */
  openLink: (url: string) => void;
}

export const TabEnvironmentContext = createContext<TabEnvironment | undefined>(undefined);

export function useTabEnvironment(): TabEnvironment {
  const env = useContext(TabEnvironmentContext);
  if (!env) throw new Error("useTabEnvironment is used outside the tab's provider");
  return env;
}
