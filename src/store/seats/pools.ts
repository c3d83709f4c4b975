/**
 * Licence pools, one per seat kind. Over-assignment is prevented by the `seat_pools` check constraint
 * inside the transaction that takes the licence, so concurrent requests cannot race past it: a refused
 * move answers false and leaves the transaction usable (it runs in a savepoint).
 */
import { and, eq, sql } from "drizzle-orm";
import type { PoolState, SeatKind } from "../../core/seats/types.ts";
import { seatKinds } from "../../core/seats/types.ts";
import { seatPools } from "../schema.ts";
import { CHECK_VIOLATION, type Conn, pgErrorCode, type Tx } from "../sql.ts";

const pool = (tenantId: string, kind: SeatKind) =>
  and(eq(seatPools.tenantId, tenantId), eq(seatPools.kind, kind));

export async function poolsOf(conn: Conn, tenantId: string): Promise<PoolState[]> {
  const rows = await conn.select().from(seatPools).where(eq(seatPools.tenantId, tenantId));
  return seatKinds.map((kind) => {
    const r = rows.find((p) => p.kind === kind);
    return { kind, total: r?.total ?? 0, used: r?.used ?? 0 };
  });
}

/** Runs `work` in a savepoint; false when the check constraint refused it. */
async function unlessRefused(tx: Tx, work: (sp: Tx) => Promise<boolean>): Promise<boolean> {
  try {
    return await tx.transaction(work);
  } catch (error) {
    if (pgErrorCode(error) !== CHECK_VIOLATION) throw error;
    return false;
  }
}

/** Moves a pool's `used` by `delta`; false when that would go over the total or below zero. */
export function moveUsed(
  tx: Tx,
  tenantId: string,
  kind: SeatKind,
  delta: number,
  at: Date,
): Promise<boolean> {
  return unlessRefused(tx, async (sp) => {
    const rows = await sp
      .update(seatPools)
      .set({ used: sql`${seatPools.used} + ${delta}`, updatedAt: at })
      .where(pool(tenantId, kind))
      .returning({ total: seatPools.total });
    // No pool at all holds no licences to give (and none to give back).
    return rows.length > 0 || delta <= 0;
  });
}

/** Sets a pool's size; false when more seats than that are in use. */
export function setPoolTotal(
  tx: Tx,
  tenantId: string,
  kind: SeatKind,
  total: number,
  at: Date,
): Promise<boolean> {
  return unlessRefused(tx, async (sp) => {
    await sp
      .insert(seatPools)
      .values({ tenantId, kind, total, used: 0, updatedAt: at })
      .onConflictDoUpdate({ target: [seatPools.tenantId, seatPools.kind], set: { total, updatedAt: at } });
    return true;
  });
}
