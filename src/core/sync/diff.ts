/**
 * Three-way change detection: each side of a pair is compared with the mapping's last synced snapshot
 * (unchanged, changed, deleted, or new when there is no snapshot), and the two verdicts give one action.
 * Pure: no ports, no clock.
 */
import { type ConflictOutcome, resolveConflict } from "./conflicts.ts";
import {
  type ConflictPolicy,
  type ItemFields,
  type ItemMapping,
  isInstance,
  isSeriesMaster,
  type SyncDirection,
  snapshotOf,
  type VersionRecord,
} from "./model.ts";
import type { LocalItem, RemoteItem } from "./ports.ts";

/** What a round knows of one side: not in its changes, there now, or gone (seen at `at`). */
export type Observed<T> =
  | { readonly kind: "unseen" }
  | { readonly kind: "present"; readonly item: T }
  | { readonly kind: "absent"; readonly at: number };

export const unseen = { kind: "unseen" } as const;
export const present = <T>(item: T): Observed<T> => ({ kind: "present", item });
export const absent = <T>(at: number): Observed<T> => ({ kind: "absent", at });

/** A Quorum item and its Graph item as one round sees them, with their mapping if they have one. */
export interface Pair {
  readonly key: string;
  readonly mapping: ItemMapping | null;
  readonly remote: Observed<RemoteItem>;
  readonly local: Observed<LocalItem>;
}

/**
 * `new`: there, with no snapshot to compare with. `unknown`: not seen and no snapshot. `gone`: known to
 * be absent with no snapshot (a booking whose event is no longer in the mailbox).
 */
export type SideChange = "unchanged" | "changed" | "deleted" | "new" | "unknown" | "gone";

function sideChange<T>(
  observed: Observed<T>,
  mapping: ItemMapping | null,
  marker: (item: T) => string,
  known: string | null,
  fields: (item: T) => ItemFields,
): SideChange {
  const base = mapping?.snapshot ?? null;
  if (!base) return observed.kind === "present" ? "new" : observed.kind === "absent" ? "gone" : "unknown";
  if (observed.kind === "unseen") return "unchanged";
  if (observed.kind === "absent") return "deleted";
  if (known !== null && marker(observed.item) === known) return "unchanged";
  return snapshotOf(fields(observed.item)).hash === base.hash ? "unchanged" : "changed";
}

export const remoteChange = (p: Pair) =>
  sideChange(
    p.remote,
    p.mapping,
    (r) => r.changeKey,
    p.mapping?.remoteChangeKey ?? null,
    (r) => r.fields,
  );

export const localChange = (p: Pair) =>
  sideChange(
    p.local,
    p.mapping,
    (l) => l.version,
    p.mapping?.localVersion ?? null,
    (l) => l.fields,
  );

export type ActionKind =
  /** Nothing to do. */
  | "none"
  /** Both sides hold the same content: write the mapping (new pair, or moved version markers). */
  | "record"
  /** A change the direction does not carry: remember the side's marker, keep the snapshot. */
  | "acknowledge"
  | "pull-create"
  | "pull-update"
  | "pull-delete"
  | "push-create"
  | "push-update"
  | "push-delete"
  /** Deleted on both sides. */
  | "forget"
  /** A deletion the direction does not carry: forget the pair, the other side keeps its item. */
  | "unlink";

export interface Decision {
  readonly action: ActionKind;
  readonly conflict: ConflictOutcome | null;
}

export interface DecideOptions {
  readonly policy: ConflictPolicy;
  readonly direction: SyncDirection;
}

const decision = (action: ActionKind, conflict: ConflictOutcome | null = null): Decision => ({
  action,
  conflict,
});

function version(side: "quorum" | "microsoft", p: Pair): VersionRecord {
  if (side === "quorum") {
    const l = p.local;
    return l.kind === "present"
      ? { side, snapshot: snapshotOf(l.item.fields), modifiedAt: l.item.modifiedAt }
      : { side, snapshot: null, modifiedAt: l.kind === "absent" ? l.at : null };
  }
  const r = p.remote;
  return r.kind === "present"
    ? { side, snapshot: snapshotOf(r.item.fields), modifiedAt: r.item.lastModified }
    : { side, snapshot: null, modifiedAt: r.kind === "absent" ? r.at : null };
}

/** Whether the markers of a side moved while its content did not (a write of the mapping is due). */
function markersMoved(p: Pair): boolean {
  const m = p.mapping;
  if (!m) return false;
  const r = p.remote.kind === "present" && p.remote.item.changeKey !== m.remoteChangeKey;
  const l = p.local.kind === "present" && p.local.item.version !== m.localVersion;
  return r || l;
}

/** The action for one pair: three-way diff, conflict policy, then the direction's filter. */
export function decide(p: Pair, options: DecideOptions): Decision {
  const r = remoteChange(p);
  const l = localChange(p);
  const conflict = () =>
    resolveConflict(options.policy, options.direction, version("quorum", p), version("microsoft", p));
  // Both sides wrote the item: the same content only needs recording; different content is a conflict.
  const bothWritten = (): Decision => {
    const same =
      p.remote.kind === "present" &&
      p.local.kind === "present" &&
      snapshotOf(p.remote.item.fields).hash === snapshotOf(p.local.item.fields).hash;
    if (same) return decision("record");
    const c = conflict();
    return decision(c.winner === "quorum" ? "push-update" : "pull-update", c);
  };
  let d: Decision;
  if (p.mapping?.snapshot) {
    if (r === "unchanged" && l === "unchanged") d = decision(markersMoved(p) ? "record" : "none");
    else if (r === "changed" && l === "unchanged") d = decision("pull-update");
    else if (r === "unchanged" && l === "changed") d = decision("push-update");
    else if (r === "deleted" && l === "unchanged") d = decision("pull-delete");
    else if (r === "unchanged" && l === "deleted") d = decision("push-delete");
    else if (r === "deleted" && l === "deleted") d = decision("forget");
    else if (r === "changed" && l === "changed") d = bothWritten();
    else if (r === "deleted" && l === "changed") {
      const c = conflict();
      d = decision(c.winner === "quorum" ? "push-create" : "pull-delete", c);
    } else if (r === "changed" && l === "deleted") {
      const c = conflict();
      d = decision(c.winner === "quorum" ? "push-delete" : "pull-create", c);
    } else d = decision("none");
  } else if (r === "new" && l === "new") d = bothWritten();
  else if (r === "new" && l === "unknown") d = decision("pull-create");
  // Quorum deleted the item while its Graph twin was being created: the twin goes too.
  else if (r === "new" && l === "gone") d = decision(p.mapping ? "push-delete" : "none");
  else if (l === "new" && r === "unknown") d = decision("push-create");
  else if (l === "new" && r === "gone") d = decision("pull-delete");
  else d = decision("none");
  return filterByDirection(d, options.direction, p);
}

/** One-way sync: what the direction does not carry is acknowledged (a change) or unlinked (a deletion). */
function filterByDirection(d: Decision, direction: SyncDirection, p: Pair): Decision {
  if (direction === "two-way") return d;
  const blocked = direction === "from-microsoft" ? "push-" : "pull-";
  if (!d.action.startsWith(blocked)) return d;
  if (d.action.endsWith("-delete")) return { ...d, action: p.mapping?.snapshot ? "unlink" : "none" };
  if (d.action.endsWith("-update") && p.mapping?.snapshot) return { ...d, action: "acknowledge" };
  return { ...d, action: "none" };
}

/** The fields a pair is about, from whichever side has them. */
export function pairFields(p: Pair): ItemFields | null {
  if (p.remote.kind === "present") return p.remote.item.fields;
  if (p.local.kind === "present") return p.local.item.fields;
  return p.mapping?.snapshot?.fields ?? null;
}

/** Series masters first (their occurrences need them), then single items, then occurrences/exceptions. */
export function orderPairs(pairs: readonly Pair[]): Pair[] {
  const rank = (p: Pair) => {
    const f = pairFields(p);
    return f && isSeriesMaster(f) ? 0 : f && isInstance(f) ? 2 : 1;
  };
  return [...pairs].sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The top-level item a pair belongs to (a series for its occurrences): the unit the guard counts. */
export function rootOf(p: Pair): string {
  return p.mapping?.parentId ?? p.mapping?.id ?? p.key;
}
