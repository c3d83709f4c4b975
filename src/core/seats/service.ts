/**
 * Seats as Quorum runs them, whoever asks (the tab's HTTP API, the bot, directory rounds): pools and the
 * plan's seat limit, assigning and releasing seats, telephone numbers, plans (make, commit, undo), group
 * rules and their queue, seats following the directory (suspend, restore), join requests, invitations and
 * the person's own sync switch. The rules that run inside a transaction are in changes.ts, plans and
 * group rules in bulk-changes.ts, answers to join requests and invitations in answers.ts. Every change
 * that leaves number work pushes it, and people are told: both are required, never skipped.
 */
import type { Actor } from "../actor.ts";
import type { SeatKeeper } from "../directory/sync.ts";
import { DomainError, seatError } from "../errors.ts";
import type { Notification, Notifier } from "../notifier.ts";
import {
  answerInvitation,
  decideJoinRequest,
  invite,
  mySync,
  requestToJoin,
  revokeInvitation,
  setMySync,
} from "./answers.ts";
import {
  addRule,
  advanceRuleQueue,
  type CommitChoice,
  commitPlan,
  makePlan,
  type PlanRequest,
  removeRule,
  undoPlan,
} from "./bulk-changes.ts";
import { assignIn, giveBackLicences, numberRefusal, takeLicences } from "./changes.ts";
import {
  type AuditQuery,
  type NumberPushes,
  type NumberWork,
  type PlanRecord,
  type RuleRecord,
  type SeatRecord,
  type SeatStore,
  type SeatTransaction,
  userAudit,
} from "./ports.ts";
import type { Telephony } from "./telephony.ts";
import type { PlanAction, PoolState, SeatHolding, SeatKind } from "./types.ts";
import { seatKinds } from "./types.ts";

/** Who acts: the tenant and the person (from a validated token or a signed card). */
export type SeatActor = Pick<Actor, "tenantId" | "userId" | "displayName">;

export interface SeatServiceDeps {
  readonly store: SeatStore;
  /** Starts the Teams number work of every change that leaves some. */
  readonly numbers: NumberPushes;
  /** Notices for admins and people (the server audits them before delivery in Teams). */
  readonly notices: Notifier;
  /** Tells a person in Teams that they got or lost a seat. */
  readonly teams: Notifier;
  /** The tenant's phone system, for importing its numbers. */
  readonly telephony: Telephony;
  /** How many seats of each kind the tenant's plan allows. */
  readonly limits: Readonly<Record<SeatKind, number>>;
}

/** Whether the person was told in Teams; the change stands either way. */
export type Told = { readonly status: "sent" } | { readonly status: "failed"; readonly error: unknown };

export class SeatService implements SeatKeeper {
  constructor(private readonly deps: SeatServiceDeps) {}

  get limits(): Readonly<Record<SeatKind, number>> {
    return this.deps.limits;
  }

  pools(tenantId: string): Promise<PoolState[]> {
    return this.deps.store.pools(tenantId);
  }

  seats(tenantId: string, filter: { kind?: SeatKind; userId?: string } = {}): Promise<SeatRecord[]> {
    return this.deps.store.seats(tenantId, filter);
  }

  numbers(tenantId: string) {
    return this.deps.store.numbers(tenantId);
  }

  rules(tenantId: string): Promise<RuleRecord[]> {
    return this.deps.store.rules(tenantId);
  }

  auditTrail(tenantId: string, query: AuditQuery = {}) {
    return this.deps.store.auditTrail(tenantId, query);
  }

  async plan(
    tenantId: string,
    planId: string,
    page: { offset?: number; limit?: number; action?: PlanAction } = {},
  ) {
    const found = await this.deps.store.plan(tenantId, planId, page);
    if (!found) throw new DomainError("NOT_FOUND", "No such plan.");
    return found;
  }

  /** Sizes a pool within the plan's limit and above the seats in use; freed licences go to the rule queue. */
  async setPoolSize(
    actor: SeatActor,
    kind: SeatKind,
    total: number,
  ): Promise<{ pool: PoolState; queueAdvanced: number }> {
    const limit = this.deps.limits[kind];
    if (total > limit) throw seatError("SEAT_LIMIT", { kind, limit });
    await this.deps.store.transaction(actor.tenantId, async (tx) => {
      await tx.lockVersion();
      const before = (await tx.pools()).find((p) => p.kind === kind)!;
      if (!(await tx.setPoolTotal(kind, total))) {
        throw seatError("POOL_BELOW_USE", { pool: kind, used: before.used, requested: total });
      }
      await tx.bumpVersion();
      await tx.audit([
        {
          actorUserId: actor.userId,
          action: "seat.pool_changed",
          targetType: "pool",
          targetId: kind,
          before: { total: before.total },
          after: { total },
        },
      ]);
    });
    const queueAdvanced = await this.advanceRuleQueue(actor.tenantId);
    const pool = (await this.deps.store.pools(actor.tenantId)).find((p) => p.kind === kind)!;
    return { pool, queueAdvanced };
  }

  /** Assigns one seat (see changes.ts for the rules); a calling seat's number is pushed, the person told. */
  async assign(
    actor: SeatActor,
    input: { userId: string; kind: SeatKind; phoneNumber?: string | null },
  ): Promise<{ seat: SeatRecord; told: Told }> {
    const { seat, numbers } = await this.deps.store.transaction(actor.tenantId, (tx) =>
      assignIn(tx, input, actor.userId),
    );
    await this.deps.numbers.push(actor.tenantId, numbers);
    const about = { tenantId: actor.tenantId, userId: input.userId, seatKind: input.kind };
    const told = await this.tell({ kind: "seatAssigned", ...about, phoneNumber: seat.phoneNumber });
    const [view] = await this.deps.store.seats(actor.tenantId, { userId: input.userId, kind: input.kind });
    if (!view) throw new DomainError("INTERNAL", "The seat just assigned could not be read back.");
    return { seat: view, told };
  }

  /** Releases a seat: its licence and number go back; the licence may go to the rule queue. */
  async release(
    actor: SeatActor,
    input: { userId: string; kind: SeatKind; reason?: string },
  ): Promise<{ queueAdvanced: number; told: Told }> {
    const numbers = await this.deps.store.transaction(actor.tenantId, async (tx): Promise<NumberWork> => {
      await tx.lockVersion();
      const [seat] = await tx.removeSeats(input.kind, [input.userId]);
      if (!seat) throw seatError("SEAT_NOT_HELD", { kind: input.kind });
      if (seat.state !== "suspended") await giveBackLicences(tx, input.kind, 1);
      const unassign = seat.phoneNumber ? [{ userId: input.userId, number: seat.phoneNumber }] : [];
      await tx.releaseNumbers(unassign);
      await tx.bumpVersion();
      await tx.audit([
        userAudit(actor.userId, "seat.released", input.userId, {
          before: { kind: input.kind, phoneNumber: seat.phoneNumber, source: seat.source, state: seat.state },
          after: null,
          ...(input.reason ? { reason: input.reason } : {}),
        }),
      ]);
      return { assign: [], unassign };
    });
    await this.deps.numbers.push(actor.tenantId, numbers);
    const about = { tenantId: actor.tenantId, userId: input.userId, seatKind: input.kind };
    const told = await this.tell({ kind: "seatRemoved", ...about });
    return { queueAdvanced: await this.advanceRuleQueue(actor.tenantId), told };
  }

  /**
   * People who lost directory access lose their seats: suspended (kept, to come back) with their licence
   * freed and number released, or removed when `permanent` (deleted for good). Answers how many.
   */
  async suspend(
    tenantId: string,
    userIds: readonly string[],
    reason: string,
    permanent: boolean,
  ): Promise<number> {
    if (userIds.length === 0) return 0;
    const { count, numbers } = await this.deps.store.transaction(tenantId, async (tx) => {
      await tx.lockVersion();
      const affected = permanent ? await tx.dropSeats(userIds) : await tx.suspendSeats(userIds);
      if (affected.length === 0) return { count: 0, numbers: { assign: [], unassign: [] } };
      for (const kind of seatKinds) {
        const freed = affected.filter((s) => s.kind === kind && s.state !== "suspended").length;
        await giveBackLicences(tx, kind, freed);
      }
      const unassign = affected.flatMap((s) =>
        s.phoneNumber ? [{ userId: s.userId, number: s.phoneNumber }] : [],
      );
      await tx.releaseNumbers(unassign);
      await tx.bumpVersion();
      await tx.audit(
        affected.map((s) =>
          userAudit(null, permanent ? "seat.removed_user_deleted" : "seat.suspended", s.userId, {
            before: { kind: s.kind, phoneNumber: s.phoneNumber, state: "active" },
            after: permanent ? null : { kind: s.kind, phoneNumber: s.phoneNumber, state: "suspended" },
            reason,
          }),
        ),
      );
      return { count: affected.length, numbers: { assign: [], unassign } };
    });
    await this.deps.numbers.push(tenantId, numbers);
    return count;
  }

  /**
   * People enabled or restored again get their suspended seats back while licences last, each seat in its
   * own transaction; a calling seat takes its old number back, or a free one when that was taken meanwhile.
   * Seats that cannot come back (no licence, no number) keep waiting, suspended.
   */
  async restore(
    tenantId: string,
    userIds: readonly string[],
    reason: string,
  ): Promise<{ restored: number; waiting: number }> {
    if (userIds.length === 0) return { restored: 0, waiting: 0 };
    const held = await this.deps.store.transaction(tenantId, (tx) => tx.holdings(userIds));
    let restored = 0;
    let waiting = 0;
    const assign: { userId: string; number: string }[] = [];
    for (const seat of held.filter((s) => s.state === "suspended")) {
      try {
        const number = await this.deps.store.transaction(tenantId, (tx) => this.reviveIn(tx, seat, reason));
        if (number) assign.push({ userId: seat.userId, number });
        restored++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        waiting++;
      }
    }
    await this.deps.numbers.push(tenantId, { assign, unassign: [] });
    return { restored, waiting };
  }

  private async reviveIn(tx: SeatTransaction, seat: SeatHolding, reason: string): Promise<string | null> {
    await tx.lockVersion();
    await takeLicences(tx, seat.kind, 1);
    let number: string | null = null;
    if (seat.kind === "calling") {
      let got = await tx.reserveNumber(seat.userId, seat.phoneNumber);
      // Only a number someone else took meanwhile is replaced; any other refusal keeps the seat waiting.
      if ("refused" in got && got.refused === "taken") got = await tx.reserveNumber(seat.userId, null);
      if ("refused" in got) throw numberRefusal(got.refused, null);
      number = got.number;
    }
    const state = number ? "pending" : "active";
    await tx.reviveSeat({ kind: seat.kind, userId: seat.userId, state, phoneNumber: number });
    await tx.bumpVersion();
    await tx.audit([
      userAudit(null, "seat.restored", seat.userId, {
        before: { kind: seat.kind, state: "suspended" },
        after: { kind: seat.kind, phoneNumber: number, state },
        reason,
      }),
    ]);
    return number;
  }

  /** Adds E.164 numbers to the tenant's number pool (numbers already there are left as they are). */
  addNumbers(actor: SeatActor, numbers: readonly string[], numberType: string): Promise<number> {
    return this.deps.store.transaction(actor.tenantId, async (tx) => {
      const added = await tx.addNumbers(numbers, numberType);
      await tx.audit([
        {
          actorUserId: actor.userId,
          action: "seat.numbers_added",
          targetType: "numbers",
          after: { numbers, numberType },
        },
      ]);
      return added;
    });
  }

  /** Imports the tenant's unassigned Teams numbers into the number pool. */
  async importNumbers(actor: SeatActor): Promise<number> {
    const byType = new Map<string, string[]>();
    for await (const n of this.deps.telephony.numbers(actor.tenantId)) {
      if (n.assignedTo !== null) continue;
      byType.set(n.numberType, [...(byType.get(n.numberType) ?? []), n.number]);
    }
    let added = 0;
    for (const [type, numbers] of byType) added += await this.addNumbers(actor, numbers, type);
    return added;
  }

  /** Pushes a failed number again (same number, same user); only a failed push is retried. */
  async retryNumber(actor: SeatActor, userId: string): Promise<void> {
    const { store } = this.deps;
    const seat = (await store.seats(actor.tenantId, { kind: "calling", userId }))[0];
    if (!seat?.phoneNumber) throw new DomainError("NOT_FOUND", "The user has no calling seat with a number.");
    const record = await store.numberRecord(actor.tenantId, seat.phoneNumber);
    if (record?.state !== "failed") {
      throw new DomainError(
        "CONFLICT",
        `The number is ${record?.state ?? "unknown"}; only a failed push is retried.`,
      );
    }
    await store.recordNumberState(actor.tenantId, seat.phoneNumber, {
      state: "assigning",
      operationId: null,
    });
    await store.audit(actor.tenantId, [
      userAudit(actor.userId, "seat.number_retried", userId, { after: { number: seat.phoneNumber } }),
    ]);
    await this.deps.numbers.push(actor.tenantId, {
      assign: [{ userId, number: seat.phoneNumber }],
      unassign: [],
    });
  }

  /** Makes a plan against the seats held now; nothing changes until it is committed. */
  makePlan(actor: SeatActor, request: PlanRequest): Promise<PlanRecord> {
    return makePlan(this.deps, actor, request);
  }

  /** Commits a reviewed plan; a plan with error rows needs `{ skipProblemRows: true }`. */
  commitPlan(actor: SeatActor, planId: string, choice?: CommitChoice): Promise<PlanRecord> {
    return commitPlan(this.deps, actor, planId, choice);
  }

  /** Undoes a committed plan with a compensating plan, committed at once. Answers the undo plan. */
  undoPlan(actor: SeatActor, planId: string): Promise<PlanRecord> {
    return undoPlan(this.deps, actor, planId);
  }

  addRule(actor: SeatActor, rule: { groupId: string; kind: SeatKind; priority: number }) {
    return addRule(this.deps, actor, rule);
  }

  removeRule(actor: SeatActor, ruleId: string): Promise<void> {
    return removeRule(this.deps, actor, ruleId);
  }

  /** Moves the group-rule queue: queued members get the licences free now (see bulk-changes.ts). */
  advanceRuleQueue(tenantId: string): Promise<number> {
    return advanceRuleQueue(this.deps, tenantId);
  }

  requestToJoin(person: SeatActor, input: { seatKinds: SeatKind[]; message: string | null }) {
    return requestToJoin(this.deps, person, input);
  }

  /** Admins see every request; others their own. */
  joinRequests(actor: Actor, filter: { state?: string } = {}) {
    const admin = actor.roles.includes("owner") || actor.roles.includes("admin");
    return this.deps.store.joinRequests(actor.tenantId, {
      ...filter,
      ...(admin ? {} : { userId: actor.userId }),
    });
  }

  joinRequest(tenantId: string, requestId: string) {
    return this.deps.store.joinRequest(tenantId, requestId);
  }

  decideJoinRequest(admin: SeatActor, requestId: string, decision: "approved" | "denied", reason: string) {
    return decideJoinRequest(this.deps, admin, requestId, decision, reason);
  }

  invite(admin: SeatActor, input: { userId: string; role: string; seatKinds: SeatKind[] }) {
    return invite(this.deps, admin, input);
  }

  invitations(tenantId: string, filter: { userId?: string } = {}) {
    return this.deps.store.invitations(tenantId, filter);
  }

  invitation(tenantId: string, invitationId: string) {
    return this.deps.store.invitation(tenantId, invitationId);
  }

  answerInvitation(invitee: SeatActor, invitationId: string, state: "accepted" | "declined") {
    return answerInvitation(this.deps, invitee, invitationId, state);
  }

  revokeInvitation(admin: SeatActor, invitationId: string) {
    return revokeInvitation(this.deps, admin, invitationId);
  }

  mySync(person: SeatActor) {
    return mySync(this.deps, person);
  }

  setMySync(person: SeatActor, enabled: boolean) {
    return setMySync(this.deps, person, enabled);
  }

  private async tell(notification: Notification): Promise<Told> {
    try {
      await this.deps.teams.notify(notification);
      return { status: "sent" };
    } catch (error) {
      return { status: "failed", error };
    }
  }
}
