/**
 * Bulk seat changes, shown before they happen: plans made from a CSV upload, a roster or the group rules,
 * committed whole or not at all (and only against the seat version they were made from: PLAN_STALE
 * otherwise), undone by a compensating plan; group rules and their queue, which hands licences that free
 * up to waiting members in directory order.
 */
import { DomainError } from "../errors.ts";
import { adminNotice } from "../notifier.ts";
import { giveBackLicences, numberRefusal, takeLicences } from "./changes.ts";
import { planSeats, type SeatInput } from "./plan.ts";
import { planRuleSeats } from "./plan-rules.ts";
import { planUndo } from "./plan-undo.ts";
import {
  type AuditInput,
  type NumberWork,
  type PlanRecord,
  type RuleRecord,
  type SeatTransaction,
  userAudit,
} from "./ports.ts";
import type { SeatActor, SeatServiceDeps } from "./service.ts";
import type { ComputedPlan, SeatKind } from "./types.ts";
import { problemLinesShown, seatKinds } from "./types.ts";

/**
 * What a plan is made from: input rows (a CSV upload, or a roster to match automatically) describing the
 * seat kinds completely (`kinds`, default: the kinds the rows name), or the group rules.
 */
export type PlanRequest =
  | {
      readonly source: "csv" | "auto";
      readonly rows: AsyncIterable<SeatInput>;
      readonly kinds?: readonly SeatKind[] | undefined;
    }
  | { readonly source: "rule" };

/** What the admin chose when committing a plan. */
export interface CommitChoice {
  /**
   * The plan has error rows and the rest is committed without them. Without it such a plan is refused
   * with PLAN_HAS_PROBLEMS naming the lines, so nobody commits a half-applied file by accident.
   */
  readonly skipProblemRows?: boolean | undefined;
}

/**
 * Applies a draft plan: everything or nothing; PLAN_STALE when seats changed since it was made,
 * PLAN_HAS_PROBLEMS when it has error rows and `choice` does not skip them.
 */
async function commitIn(
  tx: SeatTransaction,
  planId: string,
  actorUserId: string,
  choice: CommitChoice = { skipProblemRows: true },
): Promise<{ plan: PlanRecord; numbers: NumberWork }> {
  const version = await tx.lockVersion();
  const plan = await tx.lockPlan(planId);
  if (!plan) throw new DomainError("NOT_FOUND", "No such plan.");
  if (plan.status !== "draft") {
    throw new DomainError("CONFLICT", `The plan is already ${plan.status}.`, {
      details: { status: plan.status },
    });
  }
  const versions = { planVersion: plan.baseVersion, currentVersion: version };
  if (plan.baseVersion !== version) throw new DomainError("PLAN_STALE", undefined, { details: versions });
  const stale = (what: string) =>
    new DomainError("PLAN_STALE", `The plan is out of date: ${what}. Make a new plan.`, {
      details: versions,
    });
  const rows = await tx.planRows(planId);
  const problems = rows.filter((r) => r.action === "error");
  if (problems.length > 0 && choice.skipProblemRows !== true) {
    const lines = [...new Set(problems.flatMap((r) => (r.line === null ? [] : [r.line])))].sort(
      (a, b) => a - b,
    );
    const changes = rows.filter((r) => r.action === "add" || r.action === "remove").length;
    throw new DomainError(
      "PLAN_HAS_PROBLEMS",
      `The plan has ${problems.length} rows with problems (lines ${lines.slice(0, problemLinesShown).join(", ")}). Commit with skipProblemRows to apply the other ${changes} changes without them, or fix the file and make a new plan.`,
      {
        details: {
          problems: problems.length,
          lines: lines.slice(0, problemLinesShown),
          changes,
        },
      },
    );
  }
  const assign: { userId: string; number: string }[] = [];
  const unassign: { userId: string; number: string }[] = [];
  const audits: AuditInput[] = [];

  for (const kind of seatKinds) {
    const removes = rows.filter((r) => r.action === "remove" && r.kind === kind && r.userId);
    if (removes.length > 0) {
      const removed = await tx.removeSeats(
        kind,
        removes.map((r) => r.userId!),
      );
      if (removed.length !== removes.length) throw stale(`a ${kind} seat to remove is already gone`);
      await giveBackLicences(tx, kind, removed.filter((s) => s.state !== "suspended").length);
      const released = removed.flatMap((s) =>
        s.phoneNumber ? [{ userId: s.userId, number: s.phoneNumber }] : [],
      );
      await tx.releaseNumbers(released);
      unassign.push(...released);
      for (const s of removed) {
        audits.push(
          userAudit(actorUserId, "seat.released", s.userId, {
            before: { kind, phoneNumber: s.phoneNumber, source: s.source, state: s.state },
            after: null,
            reason: `plan ${planId}`,
          }),
        );
      }
    }

    const adds = rows.filter((r) => r.action === "add" && r.kind === kind && r.userId);
    if (adds.length === 0) continue;
    // Added users must still be active members: a directory change since planning makes the plan stale.
    const wanted = new Set(adds.map((r) => r.userId!));
    if ((await tx.activeMembers([...wanted])).size !== wanted.size)
      throw stale("a user to add is disabled or gone");
    await takeLicences(tx, kind, adds.length);
    const numberOf = new Map<string, string>();
    if (kind === "calling") {
      for (const r of adds) {
        const got = await tx.reserveNumber(r.userId!, r.phoneNumber);
        if (!("number" in got)) {
          throw stale(
            `${numberRefusal(got.refused, r.phoneNumber).message.replace(/\.$/, "")} (line ${r.line})`,
          );
        }
        assign.push({ userId: r.userId!, number: got.number });
        numberOf.set(r.userId!, got.number);
      }
    }
    const added = await tx.addSeats(
      adds.map((r) => ({
        userId: r.userId!,
        kind,
        phoneNumber: numberOf.get(r.userId!) ?? null,
        state: kind === "calling" ? "pending" : "active",
        source: plan.source === "undo" ? (r.previous?.source ?? "manual") : plan.source,
        ruleId: r.ruleId ?? r.previous?.ruleId ?? null,
      })),
      actorUserId,
    );
    if (added !== adds.length) throw stale(`a user already has a ${kind} seat`);
    for (const r of adds) {
      audits.push(
        userAudit(actorUserId, "seat.assigned", r.userId!, {
          before: null,
          after: { kind, phoneNumber: numberOf.get(r.userId!) ?? null, source: plan.source },
          reason: `plan ${planId}`,
        }),
      );
    }
  }
  await tx.bumpVersion();
  const committed = await tx.markPlanCommitted(planId, actorUserId);
  audits.push({
    actorUserId,
    action: "plan.committed",
    targetType: "plan",
    targetId: planId,
    after: { source: plan.source, summary: plan.summary },
  });
  await tx.audit(audits);
  return { plan: committed, numbers: { assign, unassign } };
}

/** Makes a plan against the seats held now; nothing changes until it is committed. */
export async function makePlan(
  deps: SeatServiceDeps,
  actor: SeatActor,
  request: PlanRequest,
): Promise<PlanRecord> {
  const { store } = deps;
  const tenantId = actor.tenantId;
  const state = await store.seatState(tenantId);
  let computed: ComputedPlan;
  if (request.source === "rule") {
    computed = await planRuleSeats({
      rules: await store.rules(tenantId),
      membersOf: (groupId) => store.groupMembers(tenantId, groupId),
      ...state,
    });
  } else {
    computed = await planSeats({
      source: request.source,
      rows: request.rows,
      directory: await store.directoryIndex(tenantId),
      ...(request.kinds ? { kinds: request.kinds } : {}),
      ...state,
    });
  }
  const planId = await store.transaction(tenantId, (tx) =>
    tx.savePlan(computed, { baseVersion: state.version, createdBy: actor.userId }),
  );
  return (await store.plan(tenantId, planId, { limit: 1 }))!.plan;
}

/** Commits a draft plan the admin reviewed; error rows are skipped only when `choice` says so. */
export async function commitPlan(
  deps: SeatServiceDeps,
  actor: SeatActor,
  planId: string,
  choice: CommitChoice = {},
): Promise<PlanRecord> {
  const { plan, numbers } = await deps.store.transaction(actor.tenantId, (tx) =>
    commitIn(tx, planId, actor.userId, choice),
  );
  await deps.numbers.push(actor.tenantId, numbers);
  return plan;
}

/** Undoes a committed plan with a compensating plan, committed at once. Answers the undo plan. */
export async function undoPlan(deps: SeatServiceDeps, actor: SeatActor, planId: string): Promise<PlanRecord> {
  const { plan, numbers } = await deps.store.transaction(actor.tenantId, async (tx) => {
    const version = await tx.lockVersion();
    const original = await tx.lockPlan(planId);
    if (!original) throw new DomainError("NOT_FOUND", "No such plan.");
    if (original.status !== "committed") {
      throw new DomainError(
        "CONFLICT",
        `Only a committed plan can be undone; this one is ${original.status}.`,
        {
          details: { status: original.status },
        },
      );
    }
    const undo = planUndo(
      await tx.planRows(planId),
      { holdings: await tx.holdings(), pools: await tx.pools() },
      `plan of ${original.createdAt}`,
    );
    const undoId = await tx.savePlan(undo, {
      baseVersion: version,
      createdBy: actor.userId,
      undoesPlanId: planId,
    });
    const result = await commitIn(tx, undoId, actor.userId);
    await tx.markPlanUndone(planId, undoId);
    return result;
  });
  await deps.numbers.push(actor.tenantId, numbers);
  return plan;
}

export async function addRule(
  deps: SeatServiceDeps,
  actor: SeatActor,
  rule: { groupId: string; kind: SeatKind; priority: number },
): Promise<RuleRecord | { ruleId: string }> {
  const ruleId = await deps.store.transaction(actor.tenantId, async (tx) => {
    if (!(await tx.groupExists(rule.groupId))) {
      throw new DomainError("NOT_FOUND", "No such group in the imported directory.");
    }
    const id = await tx.addRule(rule, actor.userId);
    if (id === null) throw new DomainError("CONFLICT", `The group already has a ${rule.kind} rule.`);
    await tx.audit([
      {
        actorUserId: actor.userId,
        action: "seat.rule_added",
        targetType: "rule",
        targetId: id,
        after: rule,
      },
    ]);
    return id;
  });
  return (await deps.store.rules(actor.tenantId)).find((r) => r.ruleId === ruleId) ?? { ruleId };
}

export async function removeRule(deps: SeatServiceDeps, actor: SeatActor, ruleId: string): Promise<void> {
  await deps.store.transaction(actor.tenantId, async (tx) => {
    const gone = await tx.removeRule(ruleId);
    if (!gone) throw new DomainError("NOT_FOUND", "No such rule.");
    await tx.audit([
      {
        actorUserId: actor.userId,
        action: "seat.rule_removed",
        targetType: "rule",
        targetId: ruleId,
        before: gone,
      },
    ]);
  });
}

/**
 * Moves the group-rule queue: when licences are free, queued members get seats in directory order.
 * Only additions happen automatically (as a committed "rule" plan, audited); removals stay plan-first.
 */
export async function advanceRuleQueue(deps: SeatServiceDeps, tenantId: string): Promise<number> {
  const { store } = deps;
  const rules = await store.rules(tenantId);
  if (rules.length === 0) return 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const state = await store.seatState(tenantId);
    const computed = await planRuleSeats({
      rules,
      membersOf: (groupId) => store.groupMembers(tenantId, groupId),
      ...state,
    });
    const adds = computed.rows.filter((r) => r.action === "add");
    if (adds.length === 0) return 0;
    const planId = await store.transaction(tenantId, (tx) =>
      tx.savePlan({ ...computed, rows: adds }, { baseVersion: state.version, createdBy: "quorum" }),
    );
    try {
      const { numbers } = await store.transaction(tenantId, (tx) => commitIn(tx, planId, "quorum"));
      await deps.numbers.push(tenantId, numbers);
      await deps.notices.notify(
        adminNotice(tenantId, {
          topic: "seats.restored",
          text: `${adds.length} queued group member(s) got a seat as licences freed up.`,
          details: { planId, users: adds.map((r) => r.userId) },
        }),
      );
      return adds.length;
    } catch (error) {
      // Someone changed seats in between: plan again from the new state.
      if (!(error instanceof DomainError && error.code === "PLAN_STALE")) throw error;
    }
  }
  return 0;
}
