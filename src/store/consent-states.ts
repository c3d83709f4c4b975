/** Single-use signed states of admin-consent redirects, bound to the admin who started them. */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "./db.ts";
import { consentStates } from "./schema.ts";

export type ConsentState = typeof consentStates.$inferSelect;

const usable = (tenantId: string, stateId: string, now: Date) =>
  and(
    eq(consentStates.tenantId, tenantId),
    eq(consentStates.stateId, stateId),
    isNull(consentStates.usedAt),
    gt(consentStates.expiresAt, now),
  );

export async function saveConsentState(db: Db, state: typeof consentStates.$inferInsert): Promise<void> {
  await db.insert(consentStates).values(state);
}

/** Whether the state is unused and unexpired (without using it). */
export async function consentStateUsable(
  db: Db,
  tenantId: string,
  stateId: string,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .select({ stateId: consentStates.stateId })
    .from(consentStates)
    .where(usable(tenantId, stateId, now))
    .limit(1);
  return rows.length > 0;
}

/** Uses the state up, atomically: answers it when it was unused and unexpired. */
export async function consumeConsentState(
  db: Db,
  tenantId: string,
  stateId: string,
  now: Date,
): Promise<ConsentState | undefined> {
  const [row] = await db
    .update(consentStates)
    .set({ usedAt: now })
    .where(usable(tenantId, stateId, now))
    .returning();
  return row;
}
