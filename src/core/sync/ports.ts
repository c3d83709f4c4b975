/**
 * What the sync engine needs from the outside world, named for what it does: Microsoft's side of a
 * resource (`RemoteItems`), Quorum's side (`LocalItems`), where sync keeps its own records (`SyncStore`),
 * whether a user may sync (`SyncAccess`) and the clock. Each has an in-memory twin in memory-*.ts.
 */
import type {
  ConflictPolicy,
  ConflictRecord,
  ItemFields,
  ItemMapping,
  ItemSnapshot,
  SyncChunk,
  SyncScope,
  SyncState,
  SyncWindow,
  TenantSyncSettings,
  Tombstone,
} from "./model.ts";

export type { Clock } from "../clock.ts";

// ------------------------------------------------------------------------------------------ Microsoft

/** How a Graph call failed, by what the engine does about it. */
export type RemoteFailure =
  /** If-Match no longer matches (412, or 409 ErrorIrresolvableConflict): re-read, re-diff. */
  | { readonly kind: "precondition-failed" }
  /** The item (or container, or subscription) is gone (404 ErrorItemNotFound). */
  | { readonly kind: "not-found" }
  /** A delta or page token is no longer accepted (syncStateNotFound, resyncRequired, 410): start over. */
  | { readonly kind: "token-expired" }
  /** 429 (or 503 with Retry-After): stop the round and come back later. */
  | { readonly kind: "throttled"; readonly retryAfterMs: number }
  /** No usable mailbox (MailboxNotEnabledForRESTAPI), or access withdrawn (ErrorAccessDenied, 401/403). */
  | { readonly kind: "mailbox-unavailable"; readonly graphCode: string; readonly consentLost: boolean }
  /** A container of that name exists already (409 ErrorFolderExists). */
  | { readonly kind: "already-exists" }
  /** 5xx or a timeout: for a write, it may or may not have happened. */
  | { readonly kind: "unavailable"; readonly status: number; readonly graphCode: string };

export type RemoteResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: RemoteFailure };

export interface RemoteItem {
  /** Immutable id (`Prefer: IdType="ImmutableId"`), never reused. */
  readonly id: string;
  readonly changeKey: string;
  readonly fields: ItemFields;
  /** lastModifiedDateTime, UTC epoch ms. */
  readonly lastModified: number;
  /** The container the item lives in, when the answer names it (null: not said, or the default one). */
  readonly containerId: string | null;
  /** For occurrences and exceptions: the series master's id. */
  readonly seriesMasterId: string | null;
  /** The transaction id Quorum created the item under, when it did (events: transactionId; contacts: an
   * extended property; tasks: a linked resource's externalId). */
  readonly transactionId: string | null;
}

export type RemoteChange =
  | { readonly kind: "upsert"; readonly item: RemoteItem }
  /** `@removed`: deleted, or (events) moved out of the window; the engine confirms with `get`. */
  | { readonly kind: "removed"; readonly id: string };

/** A page of a delta round: more pages follow while `nextPageToken` is set; the last carries `deltaToken`. */
export interface DeltaPage {
  readonly changes: readonly RemoteChange[];
  readonly nextPageToken: string | null;
  readonly deltaToken: string | null;
}

export interface ListPage {
  readonly items: readonly RemoteItem[];
  readonly nextPageToken: string | null;
}

export interface CreateInput {
  readonly containerId: string | null;
  /** Client-chosen: a retried create with the same id never makes a second item. */
  readonly transactionId: string;
  readonly fields: ItemFields;
}

/**
 * One resource of a user's mailbox (calendar view, contact folder, To Do list), in Graph's terms.
 * Every call is one request (or one page); retries of 429 are the caller's business, not the adapter's.
 */
export interface RemoteItems {
  /**
   * A delta token that yields every change made after this call (events: within `window`). Graph's
   * adapter pages through the initial delta round and keeps only its deltaLink.
   */
  beginTracking(scope: SyncScope, window: SyncWindow | null): Promise<RemoteResult<string>>;
  /** One page of changes after `token` (a delta token or a page token from the previous page). */
  delta(scope: SyncScope, token: string): Promise<RemoteResult<DeltaPage>>;
  /**
   * One page of the items in `chunk` (events: occurrences and exceptions expanded, overlapping the span;
   * others: every item). `pageToken` null starts the chunk.
   */
  list(scope: SyncScope, chunk: SyncChunk, pageToken: string | null): Promise<RemoteResult<ListPage>>;
  /** The item now (events: a series master, an occurrence or an exception too); `not-found` when gone. */
  get(scope: SyncScope, id: string): Promise<RemoteResult<RemoteItem>>;
  /** The item created under `transactionId`, or null. */
  findByTransactionId(scope: SyncScope, transactionId: string): Promise<RemoteResult<RemoteItem | null>>;
  create(scope: SyncScope, input: CreateInput): Promise<RemoteResult<RemoteItem>>;
  /** Replaces the item's synced fields when its changeKey is still `ifMatch`; answers the item written. */
  update(
    scope: SyncScope,
    id: string,
    ifMatch: string,
    fields: ItemFields,
  ): Promise<RemoteResult<RemoteItem>>;
  /** Deletes the item when its changeKey is still `ifMatch` (an occurrence: cancels it). */
  delete(scope: SyncScope, id: string, ifMatch: string): Promise<RemoteResult<null>>;
  findContainer(scope: SyncScope, name: string): Promise<RemoteResult<string | null>>;
  /** `already-exists` when a container of that name exists. */
  createContainer(scope: SyncScope, name: string): Promise<RemoteResult<string>>;
  deleteContainer(scope: SyncScope, containerId: string): Promise<RemoteResult<null>>;
  /** A change-notification subscription on the resource. */
  subscribe(scope: SyncScope): Promise<RemoteResult<{ id: string; expiresAt: number }>>;
  unsubscribe(scope: SyncScope, subscriptionId: string): Promise<RemoteResult<null>>;
}

// --------------------------------------------------------------------------------------------- Quorum

export interface LocalItem {
  readonly localId: string;
  /** Changes on every write. */
  readonly version: string;
  readonly fields: ItemFields;
  readonly modifiedAt: number;
  /** For occurrences and exceptions: the Quorum item of their series. */
  readonly parentLocalId: string | null;
  /** The Graph item this one is known to be (a booking's event id, or the item it was created from). */
  readonly remoteId: string | null;
  /** The transaction id Quorum created its Graph item under outside sync (a booking's), if any. */
  readonly transactionId: string | null;
}

export type LocalChange =
  | { readonly kind: "upsert"; readonly item: LocalItem }
  | { readonly kind: "deleted"; readonly localId: string; readonly at: number };

export interface LocalChangePage {
  /** The latest state of each item changed after the cursor, oldest change first. */
  readonly changes: readonly LocalChange[];
  readonly cursor: string;
  readonly more: boolean;
}

/** What sync did to a Quorum item, for its history ("changed in Outlook"), with any version it replaced. */
export interface SyncNote {
  readonly kind:
    | "created-in-outlook"
    | "changed-in-outlook"
    | "deleted-in-outlook"
    | "outlook-version-lost"
    | "recreated-in-outlook";
  readonly at: number;
  /** Set when a conflict was resolved: the policy and the losing version (null: a deletion lost). */
  readonly conflict: {
    readonly policy: ConflictPolicy | "direction";
    readonly losing: ItemSnapshot | null;
  } | null;
  /** The Quorum item's fields before the write. */
  readonly before: ItemSnapshot | null;
}

export interface LocalHistoryEntry {
  readonly localId: string;
  readonly note: SyncNote;
}

export type LocalWrite<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: "conflict" | "not-found" };

/**
 * Quorum's items of a resource for one user (bookings and the calendar mirror; contacts; tasks) as sync
 * sees them, with change tracking. Writes are compare-and-set on `version`.
 */
export interface LocalItems {
  /** The cursor now: `changes(head)` answers only what changes after this call. */
  head(scope: SyncScope): Promise<string>;
  /** Changes after `cursor` (null: from the beginning), at most `limit` a page. */
  changes(scope: SyncScope, cursor: string | null, limit: number): Promise<LocalChangePage>;
  /** Items in `chunk` (events overlapping its span), in a stable order, `limit` a page. */
  list(
    scope: SyncScope,
    chunk: SyncChunk,
    pageToken: string | null,
    limit: number,
  ): Promise<{ items: readonly LocalItem[]; nextPageToken: string | null }>;
  get(scope: SyncScope, localId: string): Promise<LocalItem | null>;
  /**
   * Live items that are these Graph items: `remoteId` among `remoteIds`, or `transactionId` among
   * `transactionIds` (a booking whose event id is not written yet). Sync pairs them instead of copying.
   */
  findCounterparts(
    scope: SyncScope,
    remoteIds: readonly string[],
    transactionIds: readonly string[],
  ): Promise<LocalItem[]>;
  /** Creates an item from Microsoft's; idempotent on `remoteId` (a live item with it is returned). */
  create(
    scope: SyncScope,
    input: {
      fields: ItemFields;
      parentLocalId: string | null;
      remoteId: string;
      note: SyncNote;
    },
  ): Promise<LocalItem>;
  update(
    scope: SyncScope,
    localId: string,
    expectedVersion: string,
    fields: ItemFields,
    note: SyncNote,
  ): Promise<LocalWrite<LocalItem>>;
  delete(
    scope: SyncScope,
    localId: string,
    expectedVersion: string,
    note: SyncNote,
  ): Promise<LocalWrite<null>>;
  /** Adds a history entry without changing the item (Quorum's version won; Outlook's is kept here). */
  annotate(scope: SyncScope, localId: string, note: SyncNote): Promise<void>;
  history(scope: SyncScope, localId: string): Promise<LocalHistoryEntry[]>;
}

// ---------------------------------------------------------------------------------------------- store

export type StoreWrite<T> =
  | { readonly ok: true; readonly value: T }
  /** Someone else wrote first (revision moved, or a unique key is taken). */
  | { readonly ok: false; readonly current: T | null };

/**
 * Sync's own records. Mappings are unique per scope on `localId`, on `remoteId` and on `transactionId`;
 * every write of a mapping or a state is compare-and-set on `revision` (null: insert), and bumps it.
 */
export interface SyncStore {
  /** The scope's state, or `initialSyncState(scope)` (revision 0) when there is none. */
  state(scope: SyncScope): Promise<SyncState>;
  saveState(next: SyncState, expectedRevision: number): Promise<StoreWrite<SyncState>>;
  statesOf(tenantId: string, userId: string): Promise<SyncState[]>;
  /** The tenant's settings, or the defaults. */
  tenantSettings(tenantId: string): Promise<TenantSyncSettings>;
  saveTenantSettings(settings: TenantSyncSettings): Promise<void>;

  mapping(scope: SyncScope, id: string): Promise<ItemMapping | null>;
  mappingsByLocal(scope: SyncScope, localIds: readonly string[]): Promise<ItemMapping[]>;
  mappingsByRemote(scope: SyncScope, remoteIds: readonly string[]): Promise<ItemMapping[]>;
  mappingByTransaction(scope: SyncScope, transactionId: string): Promise<ItemMapping | null>;
  /** Mappings whose create on Microsoft's side has not been confirmed (`snapshot` null). */
  pendingCreates(scope: SyncScope): Promise<ItemMapping[]>;
  saveMapping(mapping: ItemMapping, expectedRevision: number | null): Promise<StoreWrite<ItemMapping>>;
  /** Deletes the mapping (compare-and-set) and, in the same transaction, writes the tombstone. */
  retireMapping(
    mapping: ItemMapping,
    expectedRevision: number,
    tombstone: Tombstone | null,
  ): Promise<StoreWrite<null>>;
  /** Drops the mappings of items in a container (switched off): Quorum keeps its items, unlinked. */
  unlinkContainer(scope: SyncScope, containerId: string): Promise<number>;
  /** Synced mappings that are not occurrences or exceptions (`parentId` null, `snapshot` set). */
  countRoots(scope: SyncScope): Promise<number>;
  /** Marks the mappings of these Graph ids as seen by the full pass `pass`. */
  markSeen(scope: SyncScope, pass: string, remoteIds: readonly string[]): Promise<void>;
  /** Synced mappings the pass did not mark, at most `limit`, in id order after `afterId`. */
  unseen(scope: SyncScope, pass: string, afterId: string | null, limit: number): Promise<ItemMapping[]>;

  tombstonesByRemote(scope: SyncScope, remoteIds: readonly string[]): Promise<Tombstone[]>;
  tombstonesByLocal(scope: SyncScope, localIds: readonly string[]): Promise<Tombstone[]>;
  putTombstone(tombstone: Tombstone): Promise<void>;
  /** Forgets tombstones older than `before` (a maintenance job; replays come within days). */
  pruneTombstones(before: number): Promise<number>;

  /** Appends a conflict; the same (mapping, losing hash, winning hash) is kept once. */
  recordConflict(record: ConflictRecord): Promise<void>;
  conflicts(scope: SyncScope): Promise<ConflictRecord[]>;
}

// --------------------------------------------------------------------------------------------- access

export type SyncAccessVerdict = "allowed" | "seat-missing" | "consent-missing";

/** Whether a user may sync now: a sync seat, and the tenant's consent. */
export interface SyncAccess {
  check(tenantId: string, userId: string): Promise<SyncAccessVerdict>;
}
