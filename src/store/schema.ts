/**
 * Quorum's data model. Every table holding tenant data is keyed by `tenant_id` first: it is the key a
 * distributed PostgreSQL would shard on, and every query takes it from the request context.
 *
 * Records that sync with a mailbox (bookings, contacts, tasks) carry the remote id (`external_id`), the
 * remote change key / etag, and change timestamps on both sides, so two-way sync can detect conflicts.
 *
 * Migrations are generated from this file (`npm run db:generate`) into ./migrations and run at start.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "./schema-columns.ts";

// The sync engine's tables (settings, scopes, mappings, tombstones, conflicts) are in sync-schema.ts.
export * from "./sync-schema.ts";

/** Sync bookkeeping shared by every synced record. */
const syncColumns = () => ({
  /** Id of the item in the user's mailbox (Quorum calendar / contacts folder / To Do list). */
  externalId: text("external_id"),
  /** Graph changeKey or @odata.etag of the last version we saw or wrote. */
  changeKey: text("change_key"),
  /** When Quorum's copy last changed (local edits). */
  changedAt: ts("changed_at").notNull().defaultNow(),
  /** lastModifiedDateTime of the remote copy when we last synced. */
  remoteChangedAt: ts("remote_changed_at"),
  lastSyncedAt: ts("last_synced_at"),
  deletedAt: ts("deleted_at"),
});

export const tenants = pgTable("tenants", {
  tenantId: text("tenant_id").primaryKey(),
  displayName: text("display_name").notNull().default(""),
  /** pending | consented | reconnect_needed | disconnected */
  status: text("status").notNull().default("pending"),
  consentErrorCode: text("consent_error_code"),
  consentErrorMessage: text("consent_error_message"),
  ownerUserId: text("owner_user_id"),
  consentedAt: ts("consented_at"),
  disconnectedAt: ts("disconnected_at"),
  /** Availability policy, business hours and other tenant settings (validated by core schemas). */
  settings: jsonb("settings").notNull().default({}),
  directoryDeltaLink: text("directory_delta_link"),
  directorySyncedAt: ts("directory_synced_at"),
  /** Why the latest directory round failed (cleared by the next round that succeeds). */
  directoryRoundError: text("directory_round_error"),
  directoryRoundFailedAt: ts("directory_round_failed_at"),
  /** Bumped by every seat-affecting change; a plan made against an older version is stale. */
  seatVersion: bigint("seat_version", { mode: "number" }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const members = pgTable(
  "members",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    upn: text("upn").notNull(),
    displayName: text("display_name").notNull().default(""),
    mail: text("mail"),
    proxyAddresses: text("proxy_addresses").array().notNull().default(sql`'{}'::text[]`),
    accountEnabled: boolean("account_enabled").notNull().default(true),
    department: text("department"),
    jobTitle: text("job_title"),
    usageLocation: text("usage_location"),
    /** Soft-deleted in the directory (restorable); hard-deleted members are removed. */
    deletedAt: ts("deleted_at"),
    /** Quorum roles: owner, admin, scheduler, member. */
    roles: text("roles").array().notNull().default(sql`'{member}'::text[]`),
    locale: text("locale"),
    timeZone: text("time_zone"),
    /** The user's own "sync my calendar" switch. */
    syncEnabled: boolean("sync_enabled").notNull().default(true),
    directoryOrder: bigint("directory_order", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index("members_mail_idx").on(t.tenantId, sql`lower(${t.mail})`),
    index("members_upn_idx").on(t.tenantId, sql`lower(${t.upn})`),
  ],
);

export const groups = pgTable(
  "groups",
  {
    tenantId: text("tenant_id").notNull(),
    groupId: text("group_id").notNull(),
    displayName: text("display_name").notNull().default(""),
    mail: text("mail"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.groupId] })],
);

export const groupMembers = pgTable(
  "group_members",
  {
    tenantId: text("tenant_id").notNull(),
    groupId: text("group_id").notNull(),
    userId: text("user_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.groupId, t.userId] })],
);

/** Licence pool per seat kind. The check constraint makes over-assignment impossible, also under races. */
export const seatPools = pgTable(
  "seat_pools",
  {
    tenantId: text("tenant_id").notNull(),
    /** calling | sync */
    kind: text("kind").notNull(),
    total: integer("total").notNull().default(0),
    used: integer("used").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.kind] }),
    check("seat_pools_used_within_total", sql`${t.used} >= 0 AND ${t.used} <= ${t.total}`),
  ],
);

export const seatAssignments = pgTable(
  "seat_assignments",
  {
    tenantId: text("tenant_id").notNull(),
    kind: text("kind").notNull(),
    userId: text("user_id").notNull(),
    phoneNumber: text("phone_number"),
    /** active | pending (number push in flight) | failed | suspended (user disabled, reversible) */
    state: text("state").notNull().default("active"),
    /** manual | csv | auto | rule */
    source: text("source").notNull().default("manual"),
    ruleId: text("rule_id"),
    operationId: text("operation_id"),
    lastErrorCode: text("last_error_code"),
    lastErrorMessage: text("last_error_message"),
    assignedBy: text("assigned_by"),
    assignedAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.userId] })],
);

export const phoneNumbers = pgTable(
  "phone_numbers",
  {
    tenantId: text("tenant_id").notNull(),
    /** E.164 */
    number: text("number").notNull(),
    /** directRouting | callingPlan | operatorConnect */
    numberType: text("number_type").notNull().default("callingPlan"),
    assignedUserId: text("assigned_user_id"),
    /** free | assigning | assigned | unassigning | failed */
    state: text("state").notNull().default("free"),
    operationId: text("operation_id"),
    lastError: text("last_error"),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.number] }),
    uniqueIndex("phone_numbers_user_idx").on(t.tenantId, t.assignedUserId),
  ],
);

export const seatRules = pgTable(
  "seat_rules",
  {
    tenantId: text("tenant_id").notNull(),
    ruleId: text("rule_id").notNull(),
    groupId: text("group_id").notNull(),
    kind: text("kind").notNull(),
    priority: integer("priority").notNull().default(0),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ruleId] }),
    uniqueIndex("seat_rules_group_kind_idx").on(t.tenantId, t.groupId, t.kind),
  ],
);

/** A bulk change shown before it happens. Committing is all-or-nothing; undo is a compensating plan. */
export const plans = pgTable(
  "plans",
  {
    tenantId: text("tenant_id").notNull(),
    planId: text("plan_id").notNull(),
    /** csv | auto | rule | undo */
    source: text("source").notNull(),
    /** draft | committed | undone | discarded */
    status: text("status").notNull().default("draft"),
    summary: jsonb("summary").notNull().default({}),
    baseVersion: bigint("base_version", { mode: "number" }).notNull(),
    undoesPlanId: text("undoes_plan_id"),
    undoneByPlanId: text("undone_by_plan_id"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    committedBy: text("committed_by"),
    committedAt: ts("committed_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.planId] })],
);

export const planRows = pgTable(
  "plan_rows",
  {
    tenantId: text("tenant_id").notNull(),
    planId: text("plan_id").notNull(),
    /** Input line number (CSV) or ordinal. */
    line: integer("line").notNull(),
    email: text("email"),
    userId: text("user_id"),
    kind: text("kind"),
    /** add | remove | keep | skip | error */
    action: text("action").notNull(),
    reason: text("reason").notNull(),
    phoneNumber: text("phone_number"),
    data: jsonb("data").notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.planId, t.line] })],
);

export const invitations = pgTable(
  "invitations",
  {
    tenantId: text("tenant_id").notNull(),
    invitationId: text("invitation_id").notNull(),
    userId: text("user_id").notNull(),
    role: text("role").notNull().default("member"),
    seatKinds: text("seat_kinds").array().notNull().default(sql`'{}'::text[]`),
    invitedBy: text("invited_by").notNull(),
    /** pending | accepted | declined | revoked */
    state: text("state").notNull().default("pending"),
    notifiedAt: ts("notified_at"),
    createdAt: createdAt(),
    respondedAt: ts("responded_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.invitationId] })],
);

export const joinRequests = pgTable(
  "join_requests",
  {
    tenantId: text("tenant_id").notNull(),
    requestId: text("request_id").notNull(),
    userId: text("user_id").notNull(),
    seatKinds: text("seat_kinds").array().notNull().default(sql`'{}'::text[]`),
    message: text("message"),
    /** pending | approved | denied */
    state: text("state").notNull().default("pending"),
    decidedBy: text("decided_by"),
    reason: text("reason"),
    createdAt: createdAt(),
    decidedAt: ts("decided_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.requestId] })],
);

export const bookings = pgTable(
  "bookings",
  {
    tenantId: text("tenant_id").notNull(),
    bookingId: text("booking_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** Hash of the request body the key was first used with. */
    requestHash: text("request_hash").notNull(),
    organizerUserId: text("organizer_user_id").notNull(),
    createdByUserId: text("created_by_user_id").notNull(),
    subject: text("subject").notNull().default(""),
    body: text("body"),
    attendees: jsonb("attendees").notNull().default([]),
    room: jsonb("room"),
    location: text("location"),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    timeZone: text("time_zone").notNull(),
    reminderMinutes: integer("reminder_minutes"),
    isOnlineMeeting: boolean("is_online_meeting").notNull().default(true),
    /** creating | confirmed | cancelled | failed */
    status: text("status").notNull().default("creating"),
    /** When the latest attempt claimed the slot; a long-`creating` booking is settled by reconciliation. */
    claimedAt: ts("claimed_at").notNull().defaultNow(),
    transactionId: text("transaction_id").notNull(),
    /** Event id in the organizer's calendar (the booking's Graph identity). */
    graphEventId: text("graph_event_id"),
    icalUid: text("ical_uid"),
    joinUrl: text("join_url"),
    webLink: text("web_link"),
    version: integer("version").notNull().default(1),
    ...syncColumns(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.bookingId] }),
    /** An idempotency key is its requester's: unique per tenant and requesting user. */
    uniqueIndex("bookings_idempotency_idx").on(t.tenantId, t.createdByUserId, t.idempotencyKey),
    index("bookings_organizer_time_idx").on(t.tenantId, t.organizerUserId, t.startsAt),
    index("bookings_external_idx").on(t.tenantId, t.externalId),
    /** Claims still in flight, for reconciliation across tenants (a handful of rows at any time). */
    index("bookings_claims_idx").on(t.claimedAt).where(sql`${t.status} = 'creating'`),
  ],
);

export const bookingHistory = pgTable(
  "booking_history",
  {
    tenantId: text("tenant_id").notNull(),
    bookingId: text("booking_id").notNull(),
    seq: integer("seq").notNull(),
    /** created | rescheduled | updated | cancelled | synced */
    action: text("action").notNull(),
    actorUserId: text("actor_user_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.bookingId, t.seq] })],
);

/** People a user meets, synced with the Quorum contacts folder in their mailbox. */
export const contacts = pgTable(
  "contacts",
  {
    tenantId: text("tenant_id").notNull(),
    contactId: text("contact_id").notNull(),
    ownerUserId: text("owner_user_id").notNull(),
    displayName: text("display_name").notNull().default(""),
    email: text("email"),
    phone: text("phone"),
    company: text("company"),
    jobTitle: text("job_title"),
    notes: text("notes"),
    ...syncColumns(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.contactId] }),
    index("contacts_owner_idx").on(t.tenantId, t.ownerUserId),
    index("contacts_external_idx").on(t.tenantId, t.externalId),
  ],
);

/** Follow-up tasks, synced with the Quorum To Do list in the owner's mailbox. */
export const tasks = pgTable(
  "tasks",
  {
    tenantId: text("tenant_id").notNull(),
    taskId: text("task_id").notNull(),
    ownerUserId: text("owner_user_id").notNull(),
    title: text("title").notNull(),
    notes: text("notes"),
    dueAt: ts("due_at"),
    /** notStarted | inProgress | completed */
    status: text("status").notNull().default("notStarted"),
    bookingId: text("booking_id"),
    ...syncColumns(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.taskId] }),
    index("tasks_owner_idx").on(t.tenantId, t.ownerUserId),
    index("tasks_external_idx").on(t.tenantId, t.externalId),
  ],
);

/** Where to reach a user (or an admin) proactively in Teams. */
export const conversationRefs = pgTable(
  "conversation_refs",
  {
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    serviceUrl: text("service_url").notNull(),
    reference: jsonb("reference").notNull(),
    locale: text("locale"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

export const auditLog = pgTable(
  "audit_log",
  {
    tenantId: text("tenant_id").notNull(),
    auditId: bigserial("audit_id", { mode: "number" }).notNull(),
    actorUserId: text("actor_user_id"),
    /** e.g. seat.assigned, role.changed, consent.granted, sync.settings_changed */
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    reason: text("reason"),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.auditId] }), index("audit_log_at_idx").on(t.tenantId, t.at)],
);

/** Single-use signed state of an admin-consent redirect, bound to the admin who started it. */
export const consentStates = pgTable(
  "consent_states",
  {
    /** The starting admin's tenant (from their SSO token). */
    tenantId: text("tenant_id").notNull(),
    stateId: text("state_id").notNull(),
    userId: text("user_id").notNull(),
    upn: text("upn").notNull(),
    displayName: text("display_name"),
    /**
     * Template ids of the starter's Entra directory roles (`wids` of their SSO token at start): whether they
     * may grant tenant-wide admin consent is judged from them at the callback.
     */
    directoryRoleIds: text("directory_role_ids").array().notNull().default(sql`'{}'::text[]`),
    returnTo: text("return_to"),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.stateId] })],
);

/** msal-node token cache partitions, encrypted at rest (AES-256-GCM). */
export const tokenCache = pgTable(
  "token_cache",
  {
    tenantId: text("tenant_id").notNull(),
    partitionKey: text("partition_key").notNull(),
    ciphertext: text("ciphertext").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.partitionKey] })],
);
