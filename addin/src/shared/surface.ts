/** What every task pane surface receives, and small helpers they share. */
import type { Outlook, Person } from "../../office.ts";
import type { QuorumPort } from "../quorum.ts";

export interface SurfaceProps {
  outlook: Outlook;
  quorum: QuorumPort;
  locale: string;
  timeZone: string;
  /** Counts Outlook's recipient/time change events; a change re-reads the item. */
  changes: number;
  now: () => number;
}

export function uniquePeople(lists: readonly (readonly Person[])[]): Person[] {
  const seen = new Map<string, Person>();
  for (const list of lists)
    for (const p of list) if (!seen.has(p.email.toLowerCase())) seen.set(p.email.toLowerCase(), p);
  return [...seen.values()];
}
