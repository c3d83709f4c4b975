/** What every part of the task pane reads: the locale Outlook displays and the zone times are shown in. */
import { createContext, useContext } from "react";

export interface PaneSettings {
  /** Outlook's display language, e.g. "pt-BR". */
  locale: string;
  /** The mailbox's IANA zone once known, this device's until then. */
  timeZone: string;
}

export const PaneContext = createContext<PaneSettings | undefined>(undefined);

export function usePane(): PaneSettings {
  const pane = useContext(PaneContext);
  if (!pane) throw new Error("usePane is used outside the task pane's provider");
  return pane;
}
