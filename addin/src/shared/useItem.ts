/**
 * State hooks for the open item. `useItemChanges` registers Outlook's RecipientsChanged (and, for
 * appointments, AppointmentTimeChanged) handlers once per item and counts the events; `useItem` reads
 * the attendees (and times) and re-reads them whenever that count moves. Failures of the reads and of
 * the event registration are kept in state for the UI to show.
 */
import { useEffect, useState } from "react";
import type { Attendees, ItemKind, ItemTimes, Outlook, Unsubscribe } from "../../office.ts";

export type ItemState =
  | { status: "loading" }
  | { status: "ready"; attendees: Attendees; times: ItemTimes | null; subject: string }
  | { status: "failed"; error: unknown };

export function useItemChanges(outlook: Outlook, kind: ItemKind | null, itemVersion: number) {
  const [changes, setChanges] = useState(0);
  const [error, setError] = useState<unknown>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new item (itemVersion) needs new handlers.
  useEffect(() => {
    if (kind?.mode !== "compose") return;
    let live = true;
    const removers: Promise<Unsubscribe>[] = [];
    const bump = () => {
      if (live) setChanges((n) => n + 1);
    };
    removers.push(outlook.onRecipientsChanged(bump));
    if (kind.type === "appointment") removers.push(outlook.onAppointmentTimeChanged(bump));
    for (const r of removers) {
      r.catch((e: unknown) => {
        if (live) setError(e);
      });
    }
    return () => {
      live = false;
    };
  }, [outlook, kind?.type, kind?.mode, itemVersion]);
  return { changes, error, dismiss: () => setError(null) };
}

export function useItem(outlook: Outlook, withTimes: boolean, changes: number) {
  const [state, setState] = useState<ItemState>({ status: "loading" });
  const [retries, setRetries] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes` and `retries` re-read the item.
  useEffect(() => {
    let live = true;
    Promise.all([
      outlook.attendees(),
      withTimes ? outlook.times() : Promise.resolve(null),
      outlook.subject(),
    ]).then(
      ([attendees, times, subject]) => {
        if (live) setState({ status: "ready", attendees, times, subject });
      },
      (error: unknown) => {
        if (live) setState({ status: "failed", error });
      },
    );
    return () => {
      live = false;
    };
  }, [outlook, withTimes, changes, retries]);
  return { state, retry: () => setRetries((n) => n + 1) };
}
