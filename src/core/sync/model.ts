/**
 * Sync between Quorum and a user's mailbox: the resources it covers (calendar events, contacts, tasks),
 * each side's item as normalised fields with a deterministic content hash, the mapping that ties a Quorum
 * item to its Graph item with the last synced snapshot (the base of three-way change detection),
 * tombstones, checkpoints of a full pass, and the per-user state with its freshness and reasons as codes.
 */
import { hash64 } from "../booking/model.ts";

export const syncResources = ["event", "contact", "task"] as const;
export type SyncResource = (typeof syncResources)[number];

/** Which way changes flow for a resource. */
export const syncDirections = ["two-way", "to-microsoft", "from-microsoft"] as const;
export type SyncDirection = (typeof syncDirections)[number];

/** Who wins when both sides changed an item since the last sync (a tenant setting). */
export const conflictPolicies = ["quorum-wins", "microsoft-wins", "most-recent-wins"] as const;
export type ConflictPolicy = (typeof conflictPolicies)[number];

export type Side = "quorum" | "microsoft";

/** One user's sync of one resource: the unit of a round, a lease and a delta token. */
export interface SyncScope {
  readonly tenantId: string;
  readonly userId: string;
  readonly resource: SyncResource;
}

export const scopeKey = (s: SyncScope) => `${s.tenantId}\u0000${s.userId}\u0000${s.resource}`;
export const sameScope = (a: SyncScope, b: SyncScope) =>
  a.tenantId === b.tenantId && a.userId === b.userId && a.resource === b.resource;

// ---------------------------------------------------------------------------------------------- items

export type ShowAs = "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
export type AttendeeResponse = "none" | "accepted" | "tentative" | "declined";

export interface EventAttendee {
  readonly email: string;
  readonly type: "required" | "optional" | "resource";
  readonly response: AttendeeResponse;
}

/** A recurrence pattern as far as sync compares it (Graph's patternedRecurrence, normalised). */
export interface Recurrence {
  readonly frequency: "daily" | "weekly" | "monthly" | "yearly";
  readonly interval: number;
  /** Lower-case English day names for weekly patterns, sorted; empty otherwise. */
  readonly daysOfWeek: readonly string[];
  /** Occurrence count, or null; `until` (UTC epoch ms) or null; both null: no end. */
  readonly count: number | null;
  readonly until: number | null;
}

/**
 * A calendar item. `single` is a one-off meeting; a `series` master carries the recurrence; an
 * `occurrence` is an unmodified instance of a series and an `exception` an edited one, both identified in
 * their series by `originalStart` (the start the pattern gave them). Times are UTC epoch ms.
 */
export interface EventFields {
  readonly resource: "event";
  readonly kind: "single" | "series" | "occurrence" | "exception";
  readonly subject: string;
  readonly body: string | null;
  readonly start: number;
  readonly end: number;
  readonly timeZone: string;
  readonly isAllDay: boolean;
  readonly location: string | null;
  readonly showAs: ShowAs;
  readonly isCancelled: boolean;
  readonly attendees: readonly EventAttendee[];
  readonly recurrence: Recurrence | null;
  readonly originalStart: number | null;
}

export interface ContactFields {
  readonly resource: "contact";
  readonly displayName: string;
  readonly givenName: string | null;
  readonly surname: string | null;
  /** In the mailbox's order (the first is the primary address), lower-cased. */
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly company: string | null;
  readonly jobTitle: string | null;
  readonly notes: string | null;
}

export interface TaskFields {
  readonly resource: "task";
  readonly title: string;
  readonly body: string | null;
  readonly status: "notStarted" | "inProgress" | "completed";
  readonly importance: "low" | "normal" | "high";
  readonly due: number | null;
  readonly completedAt: number | null;
}

export type ItemFields = EventFields | ContactFields | TaskFields;

/** Normalised fields and the hash of their canonical text: equal content, equal hash, on either side. */
export interface ItemSnapshot {
  readonly fields: ItemFields;
  readonly hash: string;
}

/** Puts fields into the one form both sides are compared in (addresses lower-cased, sets sorted). */
export function normalizeFields(f: ItemFields): ItemFields {
  switch (f.resource) {
    case "event":
      return {
        ...f,
        attendees: [...f.attendees]
          .map((a) => ({ email: a.email.trim().toLowerCase(), type: a.type, response: a.response }))
          .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0)),
        recurrence: f.recurrence
          ? { ...f.recurrence, daysOfWeek: [...f.recurrence.daysOfWeek].map((d) => d.toLowerCase()).sort() }
          : null,
      };
    case "contact":
      return { ...f, emails: f.emails.map((e) => e.trim().toLowerCase()), phones: [...f.phones] };
    case "task":
      return { ...f };
  }
}

/** JSON with object keys sorted at every level, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function snapshotOf(fields: ItemFields): ItemSnapshot {
  const normal = normalizeFields(fields);
  return { fields: normal, hash: hash64(canonicalJson(normal)) };
}

/** The instant an item occupies for windowed enumeration: events by time, others have none. */
export function itemSpan(f: ItemFields): { start: number; end: number } | null {
  return f.resource === "event" ? { start: f.start, end: f.end } : null;
}

/** Series masters are applied before their occurrences, and count once in the mass-delete guard. */
export const isSeriesMaster = (f: ItemFields) => f.resource === "event" && f.kind === "series";
export const isInstance = (f: ItemFields) =>
  f.resource === "event" && (f.kind === "occurrence" || f.kind === "exception");

// ---------------------------------------------------------------------------------------- settings

export interface ResourceSettings {
  readonly enabled: boolean;
  readonly direction: SyncDirection;
}

/** What a user switched on, per resource. */
export interface UserSyncSettings {
  readonly tenantId: string;
  readonly userId: string;
  readonly resources: Readonly<Record<SyncResource, ResourceSettings>>;
}

export interface TenantSyncSettings {
  readonly tenantId: string;
  readonly conflictPolicy: ConflictPolicy;
  /**
   * A round that would delete at least `minimum` items on one side and more than `share` of the items
   * mapped (or all of them) pauses the user's sync instead, deleting nothing.
   */
  readonly massDelete: { readonly share: number; readonly minimum: number };
  /** The calendar mirror's rolling window, in days around now. */
  readonly window: { readonly pastDays: number; readonly futureDays: number };
  /** A full pass enumerates the window in chunks of this many days, future first. */
  readonly chunkDays: number;
  /** The calendar window is moved forward (a full pass, reconciled through the mappings) this often. */
  readonly windowRenewDays: number;
}

export const defaultTenantSyncSettings = (tenantId: string): TenantSyncSettings => ({
  tenantId,
  conflictPolicy: "most-recent-wins",
  massDelete: { share: 0.5, minimum: 5 },
  window: { pastDays: 30, futureDays: 180 },
  chunkDays: 14,
  windowRenewDays: 7,
});

/** The names of the containers Quorum owns in a mailbox, one per resource. */
export const containerNames: Readonly<Record<SyncResource, string>> = {
  event: "Quorum",
  contact: "Quorum contacts",
  task: "Quorum",
};

// ----------------------------------------------------------------------------------------- mapping

/**
 * Ties a Quorum item to its Graph item. `snapshot` is what both sides held after the last sync (null while
 * a create on Microsoft's side is in flight under `transactionId`); `localVersion` and `remoteChangeKey`
 * are each side's version markers at that moment, including the ones Quorum's own writes returned, so a
 * change Quorum wrote is never read back as a new one.
 */
export interface ItemMapping extends SyncScope {
  readonly id: string;
  readonly localId: string;
  readonly remoteId: string | null;
  readonly transactionId: string | null;
  readonly localVersion: string | null;
  readonly remoteChangeKey: string | null;
  /** The Graph container (calendar, contact folder, list) the item lives in. */
  readonly remoteContainerId: string | null;
  /** The mapping of the series an occurrence or exception belongs to. */
  readonly parentId: string | null;
  readonly snapshot: ItemSnapshot | null;
  readonly syncedAt: number;
  /** The full pass that last saw the Graph item (a pass looks for mappings it did not see). */
  readonly seenInPass: string | null;
  readonly revision: number;
}

/** A deleted pair, kept so a stale replay does not resurrect it. Graph ids are never reused. */
export interface Tombstone extends SyncScope {
  readonly localId: string | null;
  readonly remoteId: string | null;
  /** The Quorum item's version when it was deleted: a later version is the item re-created, not a replay. */
  readonly localVersion: string | null;
  readonly deletedIn: Side;
  readonly at: number;
  readonly snapshot: ItemSnapshot | null;
}

/** One side's version in a conflict; a null snapshot is a deletion. */
export interface VersionRecord {
  readonly side: Side;
  readonly snapshot: ItemSnapshot | null;
  readonly modifiedAt: number | null;
}

/** A conflict and its resolution; the losing version is kept here (and in the item's history). */
export interface ConflictRecord extends SyncScope {
  readonly mappingId: string | null;
  readonly localId: string | null;
  readonly remoteId: string | null;
  readonly at: number;
  readonly policy: ConflictPolicy | "direction";
  readonly winner: Side;
  readonly winning: VersionRecord;
  readonly losing: VersionRecord;
}

// --------------------------------------------------------------------------------- passes and state

/** The calendar window a delta token covers (UTC epoch ms). */
export interface SyncWindow {
  readonly from: number;
  readonly to: number;
}

/** A slice of a full pass: a span of time for events (null bounds for resources without time). */
export interface SyncChunk {
  readonly part: "future" | "past" | "all";
  readonly from: number | null;
  readonly to: number | null;
}

export type FullPassReason = "initial" | "token-expired" | "window-renewed";

/** Where a full pass is, saved after every page so a crash resumes without a duplicate or a gap. */
export interface FullPassCheckpoint {
  readonly pass: string;
  readonly reason: FullPassReason;
  readonly window: SyncWindow | null;
  readonly chunks: readonly SyncChunk[];
  readonly chunkIndex: number;
  /** Within a chunk: Microsoft's items first, then Quorum's; then, after the last chunk, the sweep. */
  readonly stage: "remote" | "local" | "sweep";
  readonly pageToken: string | null;
  /** The delta token taken when the pass began: replayed after the pass, it yields what changed during it. */
  readonly deltaToken: string;
  readonly itemsSeen: number;
  readonly startedAt: number;
}

/**
 * Why sync is held or failing, as a stable code with parameters (the tab renders the sentence).
 * SEAT_REMOVED, CONSENT_REVOKED and MAILBOX_UNAVAILABLE stop sync; MASS_DELETE pauses it until the user
 * looks; THROTTLED and MICROSOFT_UNAVAILABLE are transient failures retried by the scheduler.
 */
export type SyncReason =
  | { readonly code: "SEAT_REMOVED" }
  | { readonly code: "CONSENT_REVOKED" }
  | { readonly code: "MAILBOX_UNAVAILABLE"; readonly params: { readonly graphCode: string } }
  | {
      readonly code: "MASS_DELETE";
      readonly params: { readonly side: Side; readonly deletions: number; readonly of: number };
    }
  | { readonly code: "THROTTLED"; readonly params: { readonly retryAfterSeconds: number } }
  | {
      readonly code: "MICROSOFT_UNAVAILABLE";
      readonly params: { readonly status: number; readonly graphCode: string };
    }
  | { readonly code: "ROUND_FAILED"; readonly params: { readonly message: string } };

export type SyncReasonCode = SyncReason["code"];

const sideName = (s: Side) => (s === "microsoft" ? "Outlook" : "Quorum");

/** A sentence a person can act on. */
export function describeSyncReason(r: SyncReason): string {
  switch (r.code) {
    case "SEAT_REMOVED":
      return "Sync stopped: you no longer hold a sync seat. Ask your admin for one to turn it back on.";
    case "CONSENT_REVOKED":
      return "Sync stopped: your organization withdrew Quorum's access to Microsoft 365. An admin must reconnect it.";
    case "MAILBOX_UNAVAILABLE":
      return `Sync stopped: Microsoft 365 has no mailbox Quorum can use for you (${r.params.graphCode}).`;
    case "MASS_DELETE":
      return `Sync paused: ${sideName(r.params.side)} suddenly lost ${r.params.deletions} of ${r.params.of} items. Nothing was deleted. Check it, then resume sync.`;
    case "THROTTLED":
      return `Microsoft 365 asked Quorum to slow down; sync retries in ${r.params.retryAfterSeconds} s.`;
    case "MICROSOFT_UNAVAILABLE":
      return `Microsoft 365 did not answer (${r.params.status} ${r.params.graphCode}); sync retries shortly.`;
    case "ROUND_FAILED":
      return `Sync failed on our side (${r.params.message}); it retries shortly.`;
  }
}

/**
 * `off`: switched off. `filling`: a full pass (first sync, expired delta token, window moved) is under
 * way. `active`: incremental rounds. `paused`: held by the mass-delete guard until the user resumes.
 * `stopped`: seat, consent or mailbox lost; see `reason`.
 */
export type SyncStatus = "off" | "filling" | "active" | "paused" | "stopped";

export interface SyncState extends SyncScope {
  readonly status: SyncStatus;
  readonly direction: SyncDirection;
  readonly reason: SyncReason | null;
  readonly containerId: string | null;
  readonly subscription: { readonly id: string; readonly expiresAt: number } | null;
  readonly deltaToken: string | null;
  /** Quorum's change cursor: changes after it are not yet synced. */
  readonly localCursor: string | null;
  readonly window: SyncWindow | null;
  readonly checkpoint: FullPassCheckpoint | null;
  readonly lastSuccessAt: number | null;
  readonly failingSince: number | null;
  readonly lastFailure: SyncReason | null;
  readonly retryAt: number | null;
  /** The oldest change notification not yet covered by a finished round. */
  readonly changedSince: number | null;
  /** Set when the user resumed after a mass-delete pause and confirmed: the next round may delete. */
  readonly deletionsConfirmed: boolean;
  readonly lease: { readonly owner: string; readonly until: number } | null;
  readonly revision: number;
}

export const initialSyncState = (scope: SyncScope): SyncState => ({
  tenantId: scope.tenantId,
  userId: scope.userId,
  resource: scope.resource,
  status: "off",
  direction: "two-way",
  reason: null,
  containerId: null,
  subscription: null,
  deltaToken: null,
  localCursor: null,
  window: null,
  checkpoint: null,
  lastSuccessAt: null,
  failingSince: null,
  lastFailure: null,
  retryAt: null,
  changedSince: null,
  deletionsConfirmed: false,
  lease: null,
  revision: 0,
});

/** What a user sees while a full pass runs: "calendar filled until 12 March", "then the past month". */
export interface SyncProgress {
  readonly part: SyncChunk["part"] | "sweep";
  readonly chunksDone: number;
  readonly chunksTotal: number;
  readonly itemsSeen: number;
  /** The span of time already covered (events): [coveredFrom, coveredTo). */
  readonly coveredFrom: number | null;
  readonly coveredTo: number | null;
}

export function syncProgress(state: SyncState): SyncProgress | null {
  const cp = state.checkpoint;
  if (!cp) return null;
  const done = cp.chunks.slice(0, cp.stage === "sweep" ? cp.chunks.length : cp.chunkIndex);
  const froms = done.map((c) => c.from).filter((x): x is number => x !== null);
  const tos = done.map((c) => c.to).filter((x): x is number => x !== null);
  return {
    part: cp.stage === "sweep" ? "sweep" : (cp.chunks[cp.chunkIndex]?.part ?? "all"),
    chunksDone: done.length,
    chunksTotal: cp.chunks.length,
    itemsSeen: cp.itemsSeen,
    coveredFrom: froms.length > 0 ? Math.min(...froms) : null,
    coveredTo: tos.length > 0 ? Math.max(...tos) : null,
  };
}

/**
 * Whether the mirror may be read as the user's calendar. Only `fresh` is readable: a mirror that is
 * filling, stale, failing, paused or stopped is never read as free (ask Outlook instead).
 */
export type MirrorFreshness =
  | { readonly kind: "fresh"; readonly readable: true; readonly ageMs: number }
  | { readonly kind: "stale"; readonly readable: false; readonly ageMs: number | null }
  | {
      readonly kind: "failing";
      readonly readable: false;
      readonly since: number;
      readonly reason: SyncReason | null;
      readonly ageMs: number | null;
    }
  | { readonly kind: "filling"; readonly readable: false; readonly progress: SyncProgress | null }
  | { readonly kind: "held"; readonly readable: false; readonly reason: SyncReason | null }
  | { readonly kind: "off"; readonly readable: false };

export function mirrorFreshness(
  state: SyncState,
  now: number,
  limits: { maxAgeMs: number; notificationGraceMs: number } = {
    maxAgeMs: 60 * 60_000,
    notificationGraceMs: 60_000,
  },
): MirrorFreshness {
  if (state.status === "off") return { kind: "off", readable: false };
  if (state.status === "paused" || state.status === "stopped")
    return { kind: "held", readable: false, reason: state.reason };
  if (state.status === "filling") return { kind: "filling", readable: false, progress: syncProgress(state) };
  const ageMs = state.lastSuccessAt === null ? null : Math.max(0, now - state.lastSuccessAt);
  if (state.failingSince !== null)
    return { kind: "failing", readable: false, since: state.failingSince, reason: state.lastFailure, ageMs };
  if (ageMs === null || ageMs > limits.maxAgeMs) return { kind: "stale", readable: false, ageMs };
  if (state.changedSince !== null && now - state.changedSince > limits.notificationGraceMs)
    return { kind: "stale", readable: false, ageMs };
  return { kind: "fresh", readable: true, ageMs };
}
