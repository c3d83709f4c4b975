/**
 * The tenant's telephone number pool (`phone_numbers`): reserving a number for a calling seat, marking
 * numbers as being taken back, and recording how the number pushes to Teams went. A user holds at most
 * one number (the `phone_numbers_user_idx` unique index).
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { NumberOutcome, NumberReservation, PhoneNumberRecord } from "../../core/seats/ports.ts";
import type { Db } from "../db.ts";
import { phoneNumbers } from "../schema.ts";
import { type Conn, chunks, pgConstraint, pgErrorCode, rowsOf, type Tx, UNIQUE_VIOLATION } from "../sql.ts";
import { settleCallingSeat } from "./assignments.ts";

const ofTenant = (tenantId: string) => eq(phoneNumbers.tenantId, tenantId);
const oneNumber = (tenantId: string, number: string) =>
  and(ofTenant(tenantId), eq(phoneNumbers.number, number));

/** The unique index that keeps a user to one number. */
const ONE_NUMBER_PER_USER = "phone_numbers_user_idx";

const record = (r: typeof phoneNumbers.$inferSelect): PhoneNumberRecord => ({
  number: r.number,
  numberType: r.numberType,
  assignedUserId: r.assignedUserId,
  state: r.state,
  operationId: r.operationId,
  lastError: r.lastError,
});

/**
 * Takes a number for the user: `wanted`, or the first free one (skipping numbers other transactions are
 * taking). Only the conflict this can meet is answered as a refusal: the user still holding another number
 * (a unique violation of ONE_NUMBER_PER_USER, caught in a savepoint so the transaction stays usable).
 * Every other failure is thrown as it is.
 */
export async function reserveNumber(
  tx: Tx,
  tenantId: string,
  userId: string,
  wanted: string | null,
  at: Date,
): Promise<NumberReservation> {
  let taken: string | undefined;
  try {
    taken = await tx.transaction(async (sp) => {
      if (wanted !== null) {
        const rows = await sp
          .update(phoneNumbers)
          .set({
            assignedUserId: userId,
            state: "assigning",
            operationId: null,
            lastError: null,
            updatedAt: at,
          })
          .where(and(oneNumber(tenantId, wanted), isNull(phoneNumbers.assignedUserId)))
          .returning({ number: phoneNumbers.number });
        return rows[0]?.number;
      }
      const result = await sp.execute(sql`
        update phone_numbers set assigned_user_id = ${userId}, state = 'assigning', operation_id = null,
               last_error = null, updated_at = ${at.toISOString()}
         where tenant_id = ${tenantId} and number = (
               select number from phone_numbers
                where tenant_id = ${tenantId} and assigned_user_id is null
                order by number limit 1 for update skip locked)
        returning number`);
      return rowsOf<{ number: string }>(result)[0]?.number;
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION && pgConstraint(error) === ONE_NUMBER_PER_USER) {
      return { refused: "holds_another" };
    }
    throw error;
  }
  if (taken) return { number: taken };
  if (wanted === null) return { refused: "none_free" };
  const [existing] = await tx
    .select({ owner: phoneNumbers.assignedUserId })
    .from(phoneNumbers)
    .where(oneNumber(tenantId, wanted));
  if (!existing) return { refused: "not_in_pool" };
  return { refused: existing.owner === userId ? "holds_another" : "taken" };
}

/** Marks the numbers the users still hold as being taken back (the number jobs free them). */
export async function releaseNumbers(
  conn: Conn,
  tenantId: string,
  held: readonly { userId: string; number: string }[],
  at: Date,
): Promise<void> {
  for (const { userId, number } of held) {
    await conn
      .update(phoneNumbers)
      .set({ state: "unassigning", operationId: null, lastError: null, updatedAt: at })
      .where(and(oneNumber(tenantId, number), eq(phoneNumbers.assignedUserId, userId)));
  }
}

/** Adds numbers to the pool (existing ones are left as they are); answers how many were new. */
export async function addNumbers(
  conn: Conn,
  tenantId: string,
  numbers: readonly string[],
  numberType: string,
  at: Date,
): Promise<number> {
  let added = 0;
  for (const part of chunks(numbers)) {
    const rows = await conn
      .insert(phoneNumbers)
      .values(part.map((number) => ({ tenantId, number, numberType, state: "free", updatedAt: at })))
      .onConflictDoNothing()
      .returning({ number: phoneNumbers.number });
    added += rows.length;
  }
  return added;
}

export async function numberList(db: Db, tenantId: string): Promise<PhoneNumberRecord[]> {
  return (
    await db.select().from(phoneNumbers).where(ofTenant(tenantId)).orderBy(asc(phoneNumbers.number))
  ).map(record);
}

export async function numberRecord(
  db: Db,
  tenantId: string,
  number: string,
): Promise<PhoneNumberRecord | undefined> {
  const [row] = await db.select().from(phoneNumbers).where(oneNumber(tenantId, number));
  return row ? record(row) : undefined;
}

/** Every number of the pool with the user it is assigned to (null when free). */
export async function numberOwners(conn: Conn, tenantId: string): Promise<Map<string, string | null>> {
  const rows = await conn
    .select({ number: phoneNumbers.number, owner: phoneNumbers.assignedUserId })
    .from(phoneNumbers)
    .where(ofTenant(tenantId));
  return new Map(rows.map((n) => [n.number, n.owner]));
}

/** Records how a number push or release went; a settled push settles the holder's calling seat too. */
export async function recordNumberState(
  db: Db,
  tenantId: string,
  number: string,
  outcome: NumberOutcome,
  at: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ userId: phoneNumbers.assignedUserId })
      .from(phoneNumbers)
      .where(oneNumber(tenantId, number))
      .for("update");
    await tx
      .update(phoneNumbers)
      .set({
        state: outcome.state,
        ...(outcome.operationId !== undefined ? { operationId: outcome.operationId } : {}),
        lastError: outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : null,
        ...(outcome.state === "free" ? { assignedUserId: null } : {}),
        updatedAt: at,
      })
      .where(oneNumber(tenantId, number));
    if (!owner?.userId || (outcome.state !== "assigned" && outcome.state !== "failed")) return;
    await settleCallingSeat(tx, tenantId, owner.userId, number, outcome, at);
  });
}
