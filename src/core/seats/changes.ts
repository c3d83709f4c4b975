/**
 * The seat rules as they run inside one store transaction, shared by the service's operations:
 * - a seat goes only to a member who is enabled and not deleted; a sync seat needs a mailbox;
 * - a licence is taken from the pool first (SEAT_POOL_EXHAUSTED when none is left, also under races);
 * - a calling seat takes the number asked for, or the first free one;
 * - a plan commits whole or not at all, and only against the seat version it was made from (PLAN_STALE).
 */
import { DomainError, seatError } from "../errors.ts";
import type { AuditInput, NumberReservation, NumberWork, PlanRecord, SeatTransaction } from "./ports.ts";
import type { SeatHolding, SeatKind } from "./types.ts";
import { seatKinds } from "./types.ts";

/** Takes `count` licences of a kind, or refuses with SEAT_POOL_EXHAUSTED (nothing taken). */
export async function takeLicences(tx: SeatTransaction, kind: SeatKind, count: number): Promise<void> {
  if (count === 0 || (await tx.moveUsed(kind, count))) return;
  const pool = (await tx.pools()).find((p) => p.kind === kind);
  throw seatError("SEAT_POOL_EXHAUSTED", { pool: kind, total: pool?.total ?? 0 });
}

/** Gives `count` licences of a kind back to its pool. */
export async function giveBackLicences(tx: SeatTransaction, kind: SeatKind, count: number): Promise<void> {
  if (count === 0 || (await tx.moveUsed(kind, -count))) return;
  throw new DomainError("INTERNAL", `The ${kind} pool counts fewer seats in use than are being released.`);
}

/** Why a number could not be reserved, as the person reads it. */
export function numberRefusal(
  refused: Extract<NumberReservation, { refused: string }>["refused"],
  wanted: string | null,
): DomainError {
  if (wanted !== null && refused === "not_in_pool")
    return seatError("NUMBER_NOT_IN_POOL", { phoneNumber: wanted });
  if (wanted !== null && refused === "taken") return seatError("NUMBER_TAKEN", { phoneNumber: wanted });
  if (refused === "holds_another") return seatError("NUMBER_BEING_RELEASED");
  return seatError("NO_FREE_NUMBER");
}

/** The number for a calling seat: the one asked for, or the first free one. */
export async function numberFor(tx: SeatTransaction, userId: string, wanted: string | null): Promise<string> {
  const got = await tx.reserveNumber(userId, wanted);
  if ("number" in got) return got.number;
  throw numberRefusal(got.refused, wanted);
}

export interface AssignInput {
  readonly userId: string;
  readonly kind: SeatKind;
  readonly phoneNumber?: string | null;
  readonly reason?: string;
}

/** Assigns one seat under the member rules; the pool decides races (the loser gets SEAT_POOL_EXHAUSTED). */
export async function assignIn(
  tx: SeatTransaction,
  input: AssignInput,
  actorUserId: string,
): Promise<{ seat: SeatHolding; numbers: NumberWork }> {
  const member = await tx.member(input.userId);
  if (!member) throw seatError("MEMBER_UNKNOWN");
  const name = member.displayName || member.upn;
  if (!member.accountEnabled || member.deleted) throw seatError("MEMBER_INACTIVE", { name });
  if (input.kind === "sync" && !member.mail) throw seatError("MAILBOX_REQUIRED", { name });
  await takeLicences(tx, input.kind, 1);
  const number =
    input.kind === "calling" ? await numberFor(tx, input.userId, input.phoneNumber ?? null) : null;
  const seat: SeatHolding = {
    userId: input.userId,
    kind: input.kind,
    phoneNumber: number,
    source: "manual",
    ruleId: null,
    state: number ? "pending" : "active",
  };
  const added = await tx.addSeats([{ ...seat, state: number ? "pending" : "active" }], actorUserId);
  if (added === 0) throw seatError("SEAT_HELD", { name, kind: input.kind });
  await tx.bumpVersion();
  await tx.audit([
    {
      actorUserId,
      action: "seat.assigned",
      targetType: "user",
      targetId: input.userId,
      before: null,
      after: { kind: input.kind, phoneNumber: number, source: seat.source },
      ...(input.reason ? { reason: input.reason } : {}),
    },
  ]);
  return { seat, numbers: { assign: number ? [{ userId: input.userId, number }] : [], unassign: [] } };
}

/**
 * Gives a user every kind of `kinds` they do not hold yet: all of them, or none when one cannot be given
 * (the caller's transaction rolls back), so an approved join request is never half-applied.
 */
export async function assignMissing(
  tx: SeatTransaction,
  input: { userId: string; kinds: readonly SeatKind[]; reason: string },
  actorUserId: string,
): Promise<{ seats: SeatHolding[]; numbers: NumberWork }> {
  const held = new Set((await tx.holdings([input.userId])).map((h) => h.kind));
  const seats: SeatHolding[] = [];
  const assign: NumberWork["assign"][number][] = [];
  for (const kind of input.kinds) {
    if (held.has(kind)) continue;
    const one = await assignIn(tx, { userId: input.userId, kind, reason: input.reason }, actorUserId);
    seats.push(one.seat);
    assign.push(...one.numbers.assign);
  }
  return { seats, numbers: { assign, unassign: [] } };
}

/** Applies a draft plan: everything or nothing; PLAN_STALE when seats changed since it was made. */
export async function commitIn(
  tx: SeatTransaction,
  planId: string,
  actorUserId: string,
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
        audits.push({
          actorUserId,
          action: "seat.released",
          targetType: "user",
          targetId: s.userId,
          before: { kind, phoneNumber: s.phoneNumber, source: s.source, state: s.state },
          after: null,
          reason: `plan ${planId}`,
        });
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
      audits.push({
        actorUserId,
        action: "seat.assigned",
        targetType: "user",
        targetId: r.userId!,
        before: null,
        after: { kind, phoneNumber: numberOf.get(r.userId!) ?? null, source: plan.source },
        reason: `plan ${planId}`,
      });
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
