/**
 * The sync engine's tables, part of Quorum's data model (schema.ts re-exports them, and migrations are
 * generated from both): per-tenant sync settings, per user and resource the scope's state, the mappings
 * between Quorum items and Graph items, tombstones of deletions, and conflicts kept for the admin.
 */
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { ts, updatedAt } from "./schema-columns.ts";

/** What syncs for a tenant, in which direction, and who wins a conflict. */
export const syncSettings = pgTable("sync_settings", {
  tenantId: text("tenant_id").primaryKey(),
  calendar: boolean("calendar").notNull().default(true),
  contacts: boolean("contacts").notNull().default(false),
  tasks: boolean("tasks").notNull().default(false),
  /** two_way | to_mailbox | from_mailbox */
  direction: text("direction").notNull().default("two_way"),
  /** newest_wins | quorum_wins | mailbox_wins */
  conflictPolicy: text("conflict_policy").notNull().default("newest_wins"),
  updatedBy: text("updated_by"),
  updatedAt: updatedAt(),
});

/** Per user and resource (calendar | contacts | tasks): delta link, subscription and health. */
export const syncState = pgTable(
  "sync_state",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    resource: text("resource").notNull(),
    /** Id of the Quorum calendar / contacts folder / To Do list in the mailbox. */
    containerId: text("container_id"),
    deltaLink: text("delta_link"),
    subscriptionId: text("subscription_id"),
    subscriptionExpiresAt: ts("subscription_expires_at"),
    /** idle | running | healthy | failing | paused */
    status: text("status").notNull().default("idle"),
    lastRunAt: ts("last_run_at"),
    lastSuccessAt: ts("last_success_at"),
    lastErrorCode: text("last_error_code"),
    lastErrorMessage: text("last_error_message"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    counters: jsonb("counters").notNull().default({}),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.resource] }),
    uniqueIndex("sync_state_subscription_idx").on(t.subscriptionId),
  ],
);

/**
 * The sync engine's state of one scope (user + resource): status, delta token, cursor, checkpoint, lease
 * and the rest of `SyncState` as a document, compare-and-set on `revision`. Status, subscription and
 * retry time are columns too, for the scheduler and for routing change notifications.
 */
export const syncScopes = pgTable(
  "sync_scopes",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    resource: text("resource").notNull(),
    status: text("status").notNull(),
    subscriptionId: text("subscription_id"),
    retryAt: ts("retry_at"),
    state: jsonb("state").notNull(),
    revision: integer("revision").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.resource] }),
    index("sync_scopes_subscription_idx").on(t.subscriptionId),
    index("sync_scopes_status_idx").on(t.tenantId, t.status),
  ],
);

/** A tenant's sync settings (conflict policy, mass-delete guard, window), as a document. */
export const syncTenantSettings = pgTable("sync_tenant_settings", {
  tenantId: text("tenant_id").primaryKey(),
  settings: jsonb("settings").notNull(),
  updatedAt: updatedAt(),
});

/**
 * Ties a Quorum item to its Graph item, with the snapshot both held after the last sync. Unique per scope
 * on the Quorum id, the Graph id and the transaction id; writes are compare-and-set on `revision`.
 */
export const syncMappings = pgTable(
  "sync_mappings",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    resource: text("resource").notNull(),
    mappingId: text("mapping_id").notNull(),
    localId: text("local_id").notNull(),
    remoteId: text("remote_id"),
    transactionId: text("transaction_id"),
    localVersion: text("local_version"),
    remoteChangeKey: text("remote_change_key"),
    remoteContainerId: text("remote_container_id"),
    parentId: text("parent_id"),
    /** `{fields, hash}`; null while the create on Microsoft's side is in flight. */
    snapshot: jsonb("snapshot"),
    syncedAt: ts("synced_at").notNull(),
    seenInPass: text("seen_in_pass"),
    revision: integer("revision").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.resource, t.mappingId] }),
    uniqueIndex("sync_mappings_local_idx").on(t.tenantId, t.userId, t.resource, t.localId),
    uniqueIndex("sync_mappings_remote_idx").on(t.tenantId, t.userId, t.resource, t.remoteId),
    uniqueIndex("sync_mappings_transaction_idx").on(t.tenantId, t.userId, t.resource, t.transactionId),
    index("sync_mappings_container_idx").on(t.tenantId, t.userId, t.resource, t.remoteContainerId),
  ],
);

/** A deleted pair, kept so a stale replay does not resurrect it (pruned after days). */
export const syncTombstones = pgTable(
  "sync_tombstones",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    resource: text("resource").notNull(),
    tombstoneId: bigserial("tombstone_id", { mode: "number" }).notNull(),
    localId: text("local_id"),
    remoteId: text("remote_id"),
    localVersion: text("local_version"),
    /** quorum | microsoft */
    deletedIn: text("deleted_in").notNull(),
    at: ts("at").notNull(),
    snapshot: jsonb("snapshot"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.resource, t.tombstoneId] }),
    index("sync_tombstones_remote_idx").on(t.tenantId, t.userId, t.resource, t.remoteId),
    index("sync_tombstones_local_idx").on(t.tenantId, t.userId, t.resource, t.localId),
    index("sync_tombstones_at_idx").on(t.at),
  ],
);

/** Conflicts and how they were resolved, the losing version kept; one row per (mapping, losing, winning). */
export const syncConflicts = pgTable(
  "sync_conflicts",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    resource: text("resource").notNull(),
    conflictId: bigserial("conflict_id", { mode: "number" }).notNull(),
    /** The mapping id and both versions' hashes: the same conflict is recorded once. */
    dedupeKey: text("dedupe_key").notNull(),
    mappingId: text("mapping_id"),
    at: ts("at").notNull(),
    record: jsonb("record").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.resource, t.conflictId] }),
    uniqueIndex("sync_conflicts_dedupe_idx").on(t.tenantId, t.userId, t.resource, t.dedupeKey),
  ],
);
