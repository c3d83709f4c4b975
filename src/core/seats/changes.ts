/**
 * The seat rules as they run inside one store transaction, shared by the service's operations:
 * - a seat goes only to a member who is enabled and not deleted; a sync seat needs a mailbox;
 * - a licence is taken from the pool first (SEAT_POOL_EXHAUSTED when none is left, also under races);
 * - a calling seat takes the number asked for, or the first free one.
 * Plans, which apply many seat changes at once, are in bulk-changes.ts.
 */
import { DomainError, seatError } from "../errors.ts";
import { type NumberReservation, type NumberWork, type SeatTransaction, userAudit } from "./ports.ts";
import type { SeatHolding, SeatKind } from "./types.ts";

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
async function numberFor(tx: SeatTransaction, userId: string, wanted: string | null): Promise<string> {
  const got = await tx.reserveNumber(userId, wanted);
  if ("number" in got) return got.number;
  throw numberRefusal(got.refused, wanted);
}

interface AssignInput {
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
    userAudit(actorUserId, "seat.assigned", input.userId, {
      before: null,
      after: { kind: input.kind, phoneNumber: number, source: seat.source },
      ...(input.reason ? { reason: input.reason } : {}),
    }),
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
