/**
 * The mailboxes behind the in-memory RemoteItems: stored items per resource, recurring series expanded into
 * occurrences and exceptions, and a change feed per resource whose sequence numbers delta tokens point at.
 */
import type { Clock } from "../clock.ts";
import type { EventFields, ItemFields, SyncResource, SyncScope } from "./model.ts";
import type { RemoteChange, RemoteFailure, RemoteItem } from "./ports.ts";

export interface Stored {
  id: string;
  containerId: string;
  changeKey: string;
  fields: ItemFields;
  lastModified: number;
  transactionId: string | null;
  /** Series masters: edited occurrences by original start, and cancelled ones. */
  exceptions: Map<number, { changeKey: string; fields: EventFields; lastModified: number }>;
  cancelled: Set<number>;
}

export interface Feed {
  epoch: number;
  seq: number;
  view: Map<string, { item: RemoteItem; json: string; seq: number }>;
  gone: Map<string, number>;
  /** What the view held for an id before its latest change: what a stale replay delivers. */
  past: Map<string, RemoteItem>;
  replays: RemoteChange[];
  expireAfterPages: number | null;
}

export interface Mailbox {
  unavailable: RemoteFailure | null;
  containers: Map<string, { resource: SyncResource; name: string }>;
  items: Map<SyncResource, Map<string, Stored>>;
  feeds: Map<SyncResource, Feed>;
  subscriptions: Map<string, { resource: SyncResource; expiresAt: number }>;
}

const DAY = 24 * 60 * 60_000;
export const clone = <T>(x: T): T => structuredClone(x);
const defaultContainer: Record<SyncResource, string> = {
  event: "Calendar",
  contact: "Contacts",
  task: "Tasks",
};
/** Series without an end expand this far (Graph expands within the requested window). */
const MAX_OCCURRENCES = 60;

function nthStart(f: EventFields, i: number): number {
  const r = f.recurrence!;
  const d = new Date(f.start);
  switch (r.frequency) {
    case "daily":
      return f.start + i * r.interval * DAY;
    case "weekly":
      return f.start + i * r.interval * 7 * DAY;
    case "monthly":
      return d.setUTCMonth(d.getUTCMonth() + i * r.interval);
    case "yearly":
      return d.setUTCFullYear(d.getUTCFullYear() + i * r.interval);
  }
}

export const overlaps = (f: ItemFields, from: number | null, to: number | null) =>
  f.resource !== "event" || from === null || to === null || (f.start < to && f.end > from);

export class MemoryMailboxes {
  private readonly boxes = new Map<string, Mailbox>();
  private n = 0;

  constructor(private readonly clock: Clock) {}

  /** A fresh number for ids and changeKeys. */
  next(): number {
    return ++this.n;
  }

  box(scope: { tenantId: string; userId: string }): Mailbox {
    const k = `${scope.tenantId}\u0000${scope.userId}`;
    let b = this.boxes.get(k);
    if (!b) {
      b = {
        unavailable: null,
        containers: new Map(),
        items: new Map(),
        feeds: new Map(),
        subscriptions: new Map(),
      };
      for (const r of ["event", "contact", "task"] as const)
        b.containers.set(`${scope.userId}-${r}-default`, { resource: r, name: defaultContainer[r] });
      this.boxes.set(k, b);
    }
    return b;
  }

  stored(scope: SyncScope): Map<string, Stored> {
    const b = this.box(scope);
    let m = b.items.get(scope.resource);
    if (!m) {
      m = new Map();
      b.items.set(scope.resource, m);
    }
    return m;
  }

  feed(scope: SyncScope): Feed {
    const b = this.box(scope);
    let f = b.feeds.get(scope.resource);
    if (!f) {
      f = {
        epoch: 1,
        seq: 0,
        view: new Map(),
        gone: new Map(),
        past: new Map(),
        replays: [],
        expireAfterPages: null,
      };
      b.feeds.set(scope.resource, f);
    }
    return f;
  }

  itemOf(s: Stored): RemoteItem {
    return {
      id: s.id,
      changeKey: s.changeKey,
      fields: clone(s.fields),
      lastModified: s.lastModified,
      containerId: s.containerId,
      seriesMasterId: null,
      transactionId: s.transactionId,
    };
  }

  /** Singles, and each series expanded into its occurrences and exceptions (masters are not listed). */
  private expand(scope: SyncScope): RemoteItem[] {
    const out: RemoteItem[] = [];
    for (const s of this.stored(scope).values()) {
      const f = s.fields;
      if (f.resource !== "event" || f.kind !== "series" || !f.recurrence) {
        out.push(this.itemOf(s));
        continue;
      }
      const length = f.end - f.start;
      const last = Math.min(f.recurrence.count ?? MAX_OCCURRENCES, MAX_OCCURRENCES);
      for (let i = 0; i < last; i++) {
        const originalStart = nthStart(f, i);
        if (f.recurrence.until !== null && originalStart > f.recurrence.until) break;
        if (s.cancelled.has(originalStart)) continue;
        const ex = s.exceptions.get(originalStart);
        const base = {
          id: `${s.id}.occ.${originalStart}`,
          containerId: s.containerId,
          seriesMasterId: s.id,
          transactionId: null,
        };
        out.push(
          ex
            ? {
                ...base,
                changeKey: ex.changeKey,
                lastModified: ex.lastModified,
                fields: { ...clone(ex.fields), kind: "exception", recurrence: null, originalStart },
              }
            : {
                ...base,
                changeKey: `${s.changeKey}.${i}`,
                lastModified: s.lastModified,
                fields: {
                  ...clone(f),
                  kind: "occurrence",
                  recurrence: null,
                  originalStart,
                  start: originalStart,
                  end: originalStart + length,
                },
              },
        );
      }
    }
    return out;
  }

  /** Recomputes the view after a write: what changed gets the next sequence number, what left is gone. */
  refresh(scope: SyncScope) {
    const feed = this.feed(scope);
    const next = new Map(this.expand(scope).map((item) => [item.id, item]));
    for (const [id, item] of next) {
      const json = JSON.stringify(item);
      const was = feed.view.get(id);
      if (was?.json === json) continue;
      if (was) feed.past.set(id, was.item);
      feed.view.set(id, { item, json, seq: ++feed.seq });
      feed.gone.delete(id);
    }
    for (const [id, was] of feed.view)
      if (!next.has(id)) {
        feed.past.set(id, was.item);
        feed.view.delete(id);
        feed.gone.set(id, ++feed.seq);
      }
  }

  /** The stored item an id names: a single or master, or the master and original start of an instance. */
  locate(scope: SyncScope, id: string): { s: Stored; originalStart: number | null } | null {
    const direct = this.stored(scope).get(id);
    if (direct) return { s: direct, originalStart: null };
    const m = /^(.*)\.occ\.(\d+)$/.exec(id);
    const s = m ? this.stored(scope).get(m[1]!) : undefined;
    if (!s || !m || !this.feed(scope).view.has(id)) return null;
    return { s, originalStart: Number(m[2]) };
  }

  current(scope: SyncScope, id: string): RemoteItem | null {
    const at = this.locate(scope, id);
    if (!at) return null;
    if (at.originalStart === null) return this.itemOf(at.s);
    return clone(this.feed(scope).view.get(id)!.item);
  }

  apply(scope: SyncScope, id: string, fields: ItemFields | null): RemoteItem | null {
    const at = this.locate(scope, id)!;
    const now = this.clock.now();
    if (at.originalStart === null) {
      if (fields === null) this.stored(scope).delete(id);
      else Object.assign(at.s, { fields: clone(fields), changeKey: `ck${this.next()}`, lastModified: now });
    } else if (fields === null) {
      at.s.exceptions.delete(at.originalStart);
      at.s.cancelled.add(at.originalStart);
    } else {
      at.s.exceptions.set(at.originalStart, {
        changeKey: `ck${this.next()}`,
        fields: clone(fields) as EventFields,
        lastModified: now,
      });
    }
    this.refresh(scope);
    return fields === null ? null : this.current(scope, id);
  }

  insert(
    scope: SyncScope,
    input: { containerId: string | null; transactionId: string | null; fields: ItemFields },
  ): RemoteItem {
    const s: Stored = {
      id: `AAMk-${scope.userId}-${scope.resource}-${this.next()}`,
      containerId: input.containerId ?? `${scope.userId}-${scope.resource}-default`,
      changeKey: `ck${this.next()}`,
      fields: clone(input.fields),
      lastModified: this.clock.now(),
      transactionId: input.transactionId,
      exceptions: new Map(),
      cancelled: new Set(),
    };
    this.stored(scope).set(s.id, s);
    this.refresh(scope);
    return this.itemOf(s);
  }
}
