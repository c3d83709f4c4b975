/**
 * What the seat service needs from the outside world, named for what it does: a store of seats (pools,
 * seats, numbers, plans, group rules, join requests, invitations and their audit) whose changes happen in
 * transactions, and the one effect a calling seat needs, pushing numbers to Teams.
 */
import type { DirectoryLookup } from "./email-match.ts";
import type { SeatState } from "./plan.ts";
import type { SeatRule } from "./plan-rules.ts";
import type { ComputedPlan, DirectoryUser, PlanRow, PoolState, SeatHolding, SeatKind } from "./types.ts";

/** A seat as admins see it: the holding, its number push outcome, and the holder's names. */
export interface SeatRecord {
  readonly userId: string;
  readonly kind: SeatKind;
  readonly phoneNumber: string | null;
  readonly state: string;
  readonly source: string;
  readonly ruleId: string | null;
  readonly lastErrorCode: string | null;
  readonly lastErrorMessage: string | null;
  readonly assignedAt: string;
  readonly displayName: string | null;
  readonly upn: string | null;
  readonly mail: string | null;
}

export interface PhoneNumberRecord {
  readonly number: string;
  readonly numberType: string;
  readonly assignedUserId: string | null;
  /** free | assigning | assigned | unassigning | failed */
  readonly state: string;
  readonly operationId: string | null;
  readonly lastError: string | null;
}

export interface PlanRecord {
  readonly planId: string;
  readonly source: ComputedPlan["source"];
  /** draft | committed | undone */
  readonly status: string;
  readonly summary: ComputedPlan["summary"];
  readonly baseVersion: number;
  readonly undoesPlanId: string | null;
  readonly undoneByPlanId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly committedBy: string | null;
  readonly committedAt: string | null;
}

/** Telephone number work a change leaves for the number pushes: numbers to give and to take back. */
export interface NumberWork {
  readonly assign: readonly { userId: string; number: string }[];
  readonly unassign: readonly { userId: string; number: string }[];
}

export const noNumberWork: NumberWork = { assign: [], unassign: [] };

export interface AuditInput {
  readonly actorUserId: string | null;
  readonly action: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason?: string;
}

/** An audit entry about a person. */
export const userAudit = (
  actorUserId: string | null,
  action: string,
  userId: string,
  change: Pick<AuditInput, "before" | "after" | "reason"> = {},
): AuditInput => ({ actorUserId, action, targetType: "user", targetId: userId, ...change });

export interface AuditRecord {
  readonly auditId: number;
  readonly actorUserId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  /** Display names of the acting and the targeted person, when they are people of the directory. */
  readonly actorName: string | null;
  readonly targetName: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly at: string;
}

export interface AuditQuery {
  /** Actions starting with this text ("seat." finds every seat action). */
  readonly action?: string;
  readonly targetId?: string;
  /** Entries older than this audit id (paging backwards). */
  readonly before?: number;
  readonly limit?: number;
}

export interface JoinRequestRecord {
  readonly requestId: string;
  readonly userId: string;
  readonly displayName: string | null;
  readonly upn: string | null;
  readonly seatKinds: SeatKind[];
  readonly message: string | null;
  /** pending | approved | denied */
  readonly state: string;
  readonly decidedBy: string | null;
  readonly reason: string | null;
  readonly createdAt: string;
  readonly decidedAt: string | null;
}

export interface InvitationRecord {
  readonly invitationId: string;
  readonly userId: string;
  readonly displayName: string | null;
  readonly upn: string | null;
  readonly role: string;
  readonly seatKinds: SeatKind[];
  readonly invitedBy: string;
  readonly invitedByName: string | null;
  /** pending | accepted | declined | revoked */
  readonly state: string;
  readonly createdAt: string;
  readonly notifiedAt: string | null;
  readonly respondedAt: string | null;
}

/** An invitation as a transaction holds it (locked until the transaction ends). */
export interface HeldInvitation {
  readonly invitationId: string;
  readonly userId: string;
  readonly role: string;
  readonly seatKinds: SeatKind[];
  readonly invitedBy: string;
  readonly state: string;
}

export type RuleRecord = SeatRule & { readonly createdBy: string | null };

/** A seat to add: who, which kind, its number (calling), its state and where it came from. */
export interface NewSeat {
  readonly userId: string;
  readonly kind: SeatKind;
  readonly phoneNumber: string | null;
  readonly state: "active" | "pending";
  readonly source: string;
  readonly ruleId: string | null;
}

/** A number taken from the pool for a user, or why none was. */
export type NumberReservation =
  | { readonly number: string }
  /**
   * not_in_pool: the number asked for is not the tenant's; taken: it is someone else's; holds_another: the
   * user still holds a number being taken back; none_free: no number is free.
   */
  | { readonly refused: "not_in_pool" | "taken" | "holds_another" | "none_free" };

export interface NumberOutcome {
  readonly state: "assigning" | "assigned" | "unassigning" | "free" | "failed";
  readonly operationId?: string | null;
  readonly error?: { readonly code: string; readonly message: string } | null;
}

/**
 * One transaction over a tenant's seats: everything done through it commits together, or nothing does
 * when the work throws. Transactions that touch the same pool, seat, number, plan or request wait for
 * each other; the pools never give more licences than they hold, also under races.
 */
export interface SeatTransaction {
  /** The tenant's seat version, held until the transaction ends (NOT_FOUND for an unknown tenant). */
  lockVersion(): Promise<number>;
  /** Marks a seat-affecting change: plans made before it are stale. */
  bumpVersion(): Promise<void>;

  member(userId: string): Promise<DirectoryUser | undefined>;
  /** Of `userIds`, the ones enabled and not deleted in the directory. */
  activeMembers(userIds: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * The Quorum roles of a member not deleted, held until the transaction ends: against changes ("share"),
   * or to change them ("update").
   */
  liveRoles(userId: string, hold: "share" | "update"): Promise<readonly string[] | undefined>;
  /** Stores a member's roles and audits the change. */
  writeRoles(change: {
    userId: string;
    before: readonly string[];
    next: readonly string[];
    actorUserId: string;
    reason: string;
  }): Promise<void>;

  pools(): Promise<PoolState[]>;
  /** Moves a pool's licences in use by `delta`; false, and nothing moved, when the pool has too few. */
  moveUsed(kind: SeatKind, delta: number): Promise<boolean>;
  /** Sets a pool's size; false, and nothing changed, when more seats than that are in use. */
  setPoolTotal(kind: SeatKind, total: number): Promise<boolean>;

  /** Seats held in the tenant (of the given users, when given). */
  holdings(userIds?: readonly string[]): Promise<SeatHolding[]>;
  /** Adds seats; a user who already holds that kind keeps theirs. Answers how many were added. */
  addSeats(seats: readonly NewSeat[], assignedBy: string): Promise<number>;
  /** Removes the users' seats of a kind; answers the removed seats as they were. */
  removeSeats(kind: SeatKind, userIds: readonly string[]): Promise<SeatHolding[]>;
  /** Removes every seat of the users; answers them as they were. */
  dropSeats(userIds: readonly string[]): Promise<SeatHolding[]>;
  /** Suspends the users' seats not suspended yet; answers them as they were. */
  suspendSeats(userIds: readonly string[]): Promise<SeatHolding[]>;
  /** Gives a held seat its state and number again (a restored seat). */
  reviveSeat(seat: {
    kind: SeatKind;
    userId: string;
    state: "active" | "pending";
    phoneNumber: string | null;
  }): Promise<void>;

  /** Takes a number for the user: the one asked for, or the first free one when `wanted` is null. */
  reserveNumber(userId: string, wanted: string | null): Promise<NumberReservation>;
  /** Marks the numbers the users still hold as being taken back (their number pushes free them). */
  releaseNumbers(held: readonly { userId: string; number: string }[]): Promise<void>;
  /** Adds numbers to the pool (ones already there are left as they are); answers how many were new. */
  addNumbers(numbers: readonly string[], numberType: string): Promise<number>;

  savePlan(
    plan: ComputedPlan,
    meta: { baseVersion: number; createdBy: string; undoesPlanId?: string },
  ): Promise<string>;
  /** The plan, held against other commits and undos until the transaction ends. */
  lockPlan(planId: string): Promise<PlanRecord | undefined>;
  planRows(planId: string): Promise<PlanRow[]>;
  markPlanCommitted(planId: string, actorUserId: string): Promise<PlanRecord>;
  markPlanUndone(planId: string, undoneByPlanId: string): Promise<void>;

  groupExists(groupId: string): Promise<boolean>;
  /** Adds a group rule; null when the group already has a rule of that kind. */
  addRule(
    rule: { groupId: string; kind: SeatKind; priority: number },
    createdBy: string,
  ): Promise<string | null>;
  /** Removes a rule; answers it as it was. */
  removeRule(ruleId: string): Promise<{ groupId: string; kind: SeatKind } | undefined>;

  /** The user's pending join request, if any. */
  pendingJoinRequest(userId: string): Promise<string | undefined>;
  createJoinRequest(request: {
    userId: string;
    seatKinds: SeatKind[];
    message: string | null;
  }): Promise<string>;
  /**
   * Decides a pending join request in one conditional update: of decisions racing on one request exactly one
   * finds it pending. Answers the request decided, or its state when it was not pending (undefined: no such request).
   */
  decideJoinRequest(
    requestId: string,
    decision: { state: "approved" | "denied"; reason: string; decidedBy: string },
  ): Promise<
    { readonly decided: { userId: string; seatKinds: SeatKind[] } } | { readonly state: string | undefined }
  >;
  createInvitation(invitation: {
    userId: string;
    role: string;
    seatKinds: SeatKind[];
    invitedBy: string;
  }): Promise<string>;
  lockInvitation(invitationId: string): Promise<HeldInvitation | undefined>;
  setInvitationState(invitationId: string, state: "accepted" | "declined" | "revoked"): Promise<void>;

  /** Sets the member's own calendar sync switch; answers what it was (undefined: not a member). */
  setSyncSwitch(userId: string, enabled: boolean): Promise<boolean | undefined>;

  audit(entries: readonly AuditInput[]): Promise<void>;
}

export interface SeatStore {
  /** Runs `work` as one transaction over the tenant's seats (see SeatTransaction). */
  transaction<T>(tenantId: string, work: (tx: SeatTransaction) => Promise<T>): Promise<T>;

  pools(tenantId: string): Promise<PoolState[]>;
  /** Seats by kind, then directory order; with the holders' names. */
  seats(tenantId: string, filter?: { kind?: SeatKind; userId?: string }): Promise<SeatRecord[]>;
  /** Everything a planner needs about the seats held now, and the version it was read at. */
  seatState(tenantId: string): Promise<SeatState & { version: number }>;
  numbers(tenantId: string): Promise<PhoneNumberRecord[]>;
  numberRecord(tenantId: string, number: string): Promise<PhoneNumberRecord | undefined>;
  /** Records how a number push or release went; a settled push makes the calling seat active or failed. */
  recordNumberState(tenantId: string, number: string, outcome: NumberOutcome): Promise<void>;

  /** The directory as an e-mail index (mail, UPN, smtp proxy addresses). */
  directoryIndex(tenantId: string): Promise<DirectoryLookup>;
  groupMembers(tenantId: string, groupId: string): Promise<DirectoryUser[]>;

  plan(
    tenantId: string,
    planId: string,
    page?: { offset?: number; limit?: number; action?: PlanRow["action"] },
  ): Promise<{ plan: PlanRecord; rows: PlanRow[]; totalRows: number } | undefined>;
  rules(tenantId: string): Promise<RuleRecord[]>;

  joinRequest(tenantId: string, requestId: string): Promise<JoinRequestRecord | undefined>;
  joinRequests(tenantId: string, filter?: { userId?: string; state?: string }): Promise<JoinRequestRecord[]>;
  invitation(tenantId: string, invitationId: string): Promise<InvitationRecord | undefined>;
  invitations(tenantId: string, filter?: { userId?: string }): Promise<InvitationRecord[]>;
  markInvitationNotified(tenantId: string, invitationId: string): Promise<void>;
  /** The member's own calendar sync switch (undefined: not a member). */
  syncSwitch(tenantId: string, userId: string): Promise<boolean | undefined>;

  audit(tenantId: string, entries: readonly AuditInput[]): Promise<void>;
  auditTrail(tenantId: string, query?: AuditQuery): Promise<AuditRecord[]>;
}

/** Starts the Teams number work a change left (the service's job queue in production). */
export interface NumberPushes {
  push(tenantId: string, work: NumberWork): Promise<void>;
}
