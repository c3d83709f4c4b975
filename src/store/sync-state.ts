/** Per person and resource, how their mailbox sync stands (`sync_state`). */
import { and, eq } from "drizzle-orm";
import type { Db } from "./db.ts";
import { syncState } from "./schema.ts";

/** The person's calendar sync status and last error (idle when it never ran). */
export async function calendarSyncState(
  db: Db,
  tenantId: string,
  userId: string,
): Promise<{ status: string; lastError: string | null }> {
  const [row] = await db
    .select({ status: syncState.status, lastErrorMessage: syncState.lastErrorMessage })
    .from(syncState)
    .where(
      and(eq(syncState.tenantId, tenantId), eq(syncState.userId, userId), eq(syncState.resource, "calendar")),
    );
  return { status: row?.status ?? "idle", lastError: row?.lastErrorMessage ?? null };
}
