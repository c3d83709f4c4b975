/**
 * Seats, plans, directory sync, invitations, join requests and the audit log: request and response
 * schemas shared by the service and the tab's typed client. No server imports here.
 */
import { z } from "zod";

export const seatKind = z.enum(["calling", "sync"]);
export type SeatKindName = z.infer<typeof seatKind>;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number such as +14255550100");

export const pool = z.object({
  kind: seatKind,
  total: z.number().int(),
  used: z.number().int(),
  available: z.number().int(),
});
export type Pool = z.infer<typeof pool>;

export const seat = z.object({
  userId: z.string(),
  kind: seatKind,
  phoneNumber: z.string().nullable(),
  /** active | pending (number push in flight) | failed | suspended */
  state: z.string(),
  source: z.string(),
  ruleId: z.string().nullable(),
  lastErrorCode: z.string().nullable(),
  lastErrorMessage: z.string().nullable(),
  assignedAt: z.string(),
  displayName: z.string().nullable(),
  upn: z.string().nullable(),
  mail: z.string().nullable(),
  /** Teams click-to-call deep link for calling seats. */
  callLink: z.string().nullable(),
});
export type Seat = z.infer<typeof seat>;

export const phoneNumber = z.object({
  number: z.string(),
  numberType: z.string(),
  assignedUserId: z.string().nullable(),
  state: z.string(),
  lastError: z.string().nullable(),
});

export const seatsOverview = z.object({
  pools: z.array(pool),
  seats: z.array(seat),
  numbers: z.array(phoneNumber),
  limits: z.object({ calling: z.number().int(), sync: z.number().int() }),
});
export type SeatsOverview = z.infer<typeof seatsOverview>;

/** `GET /api/admin/seats/summary`: the pools and the directory's import state, without the seat lists. */
export const seatsSummary = z.object({
  pools: z.array(pool),
  limits: z.object({ calling: z.number().int(), sync: z.number().int() }),
  directory: z.object({
    /** When the last directory round finished (ISO), null before the first import. */
    lastImportedAt: z.string().nullable(),
    /** True when scheduled rounds re-read the directory (DIRECTORY_ROUND_CRON is not "off"). */
    scheduled: z.boolean(),
    /** Why the latest round failed and when; null once a round succeeds again. */
    lastError: z.object({ message: z.string(), at: z.string() }).nullable(),
  }),
});
export type SeatsSummary = z.infer<typeof seatsSummary>;

export const setPoolRequest = z.object({ total: z.number().int().min(0) });
export const assignSeatRequest = z.object({
  userId: z.string().min(1),
  kind: seatKind,
  phoneNumber: e164.nullish(),
});
export const releaseSeatRequest = z.object({
  userId: z.string().min(1),
  kind: seatKind,
  reason: z.string().max(500).optional(),
});
export const addNumbersRequest = z.object({
  numbers: z.array(e164).min(1).max(10_000).optional(),
  numberType: z.enum(["callingPlan", "directRouting", "operatorConnect"]).default("callingPlan"),
  /** Import the tenant's unassigned numbers from Teams instead of listing them. */
  importFromTeams: z.boolean().optional(),
});

export const planAction = z.enum(["add", "remove", "keep", "skip", "error", "queue"]);

export const planRow = z.object({
  /** The file's line (the header is line 1); null for a holder removed because the file leaves them out. */
  line: z.number().int().nullable(),
  email: z.string().nullable(),
  userId: z.string().nullable(),
  displayName: z.string().nullable(),
  kind: seatKind.nullable(),
  action: planAction,
  reason: z.string(),
  phoneNumber: z.string().nullable(),
});
export type PlanRowView = z.infer<typeof planRow>;

export const kindSummary = z.object({
  kind: seatKind,
  licencesAvailable: z.number().int(),
  totalLicences: z.number().int(),
  newMatchingEmails: z.number().int(),
  usersToRemove: z.number().int(),
  totalUsersAfterSync: z.number().int(),
  kept: z.number().int(),
  waiting: z.number().int(),
});

export const planSummary = z.object({
  kinds: z.array(kindSummary),
  rows: z.number().int(),
  errors: z.number().int(),
  skipped: z.number().int(),
  /** Lines of the error rows, ascending (the first 100): the lines a commit skips. */
  problemLines: z.array(z.number().int()).default([]),
});

export const plan = z.object({
  planId: z.string(),
  source: z.enum(["csv", "auto", "rule", "undo"]),
  /** draft | committed | undone */
  status: z.string(),
  summary: planSummary,
  baseVersion: z.number().int(),
  undoesPlanId: z.string().nullable(),
  undoneByPlanId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  committedBy: z.string().nullable(),
  committedAt: z.string().nullable(),
});
export type PlanView = z.infer<typeof plan>;

export const planResponse = z.object({
  plan,
  rows: z.array(planRow),
  totalRows: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
});
export type PlanResponse = z.infer<typeof planResponse>;

/** JSON plan creation: a roster to auto-match, or the group rules. CSV uploads post `text/csv` instead. */
export const createPlanRequest = z.discriminatedUnion("source", [
  z.object({
    source: z.literal("auto"),
    kinds: z.array(seatKind).min(1),
    roster: z
      .array(z.object({ email: z.string().min(1).max(320), phoneNumber: z.string().max(40).nullish() }))
      .min(1)
      .max(200_000),
  }),
  z.object({ source: z.literal("rule") }),
]);
export type CreatePlanRequest = z.infer<typeof createPlanRequest>;

/** Query of `POST /api/admin/plans` with a `text/csv` body. */
export const csvPlanQuery = z.object({
  source: z.enum(["csv", "auto"]).default("csv"),
  /** Comma-separated seat kinds the file describes completely (default: the kinds named in the file). */
  kinds: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((k) => k.trim()) : undefined))
    .pipe(z.array(seatKind).optional()),
});

/**
 * Body of `POST /api/admin/plans/{id}/commit`. A plan with error rows is refused (PLAN_HAS_PROBLEMS with
 * the lines) unless the admin chose to commit the other rows without them.
 */
export const commitPlanRequest = z.object({ skipProblemRows: z.boolean().optional() });

export const planQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  action: planAction.optional(),
});

export const directorySyncResponse = z.object({
  full: z.boolean(),
  pages: z.number().int(),
  users: z.number().int(),
  removed: z.number().int(),
  groups: z.number().int(),
  seatsSuspended: z.number().int(),
  seatsRestored: z.number().int(),
  seatsWaiting: z.number().int(),
  /** Queued group-rule members who got a seat after the round. */
  queueAdvanced: z.number().int(),
});
export type DirectorySyncResponse = z.infer<typeof directorySyncResponse>;

export const rule = z.object({
  ruleId: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  kind: seatKind,
  priority: z.number().int(),
});
export const createRuleRequest = z.object({
  groupId: z.string().min(1),
  kind: seatKind,
  priority: z.number().int().min(0).max(1000).default(0),
});

export const invitation = z.object({
  invitationId: z.string(),
  userId: z.string(),
  displayName: z.string().nullable(),
  upn: z.string().nullable(),
  role: z.string(),
  seatKinds: z.array(seatKind),
  invitedBy: z.string(),
  /** The inviting admin's display name, for the invitee. */
  invitedByName: z.string().nullable(),
  /** pending | accepted | declined | revoked */
  state: z.string(),
  createdAt: z.string(),
  notifiedAt: z.string().nullable(),
  respondedAt: z.string().nullable(),
});
export type Invitation = z.infer<typeof invitation>;
export const createInvitationRequest = z.object({
  userId: z.string().min(1),
  role: z.enum(["member", "scheduler", "admin"]).default("member"),
  seatKinds: z.array(seatKind).default([]),
});

export const joinRequest = z.object({
  requestId: z.string(),
  userId: z.string(),
  displayName: z.string().nullable(),
  upn: z.string().nullable(),
  seatKinds: z.array(seatKind),
  message: z.string().nullable(),
  /** pending | approved | denied */
  state: z.string(),
  decidedBy: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type JoinRequest = z.infer<typeof joinRequest>;
export const createJoinRequest = z.object({
  seatKinds: z.array(seatKind).min(1),
  message: z.string().trim().max(1000).optional(),
});
export const decideJoinRequest = z.object({ reason: z.string().trim().min(1, "give a reason").max(1000) });

export const auditEntry = z.object({
  auditId: z.number().int(),
  actorUserId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** Display names of the acting and targeted people of the directory (null for Quorum or non-people). */
  actorName: z.string().nullable(),
  targetName: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  at: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditQuery = z.object({
  action: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  before: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const mySync = z.object({ hasSyncSeat: z.boolean(), enabled: z.boolean() });
export type MySync = z.infer<typeof mySync>;
export const setMySyncRequest = z.object({ enabled: z.boolean() });
