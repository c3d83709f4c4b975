/** Group rules (`seat_rules`): members of a mapped group get seats of a kind, by priority. */
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { RuleRecord } from "../../core/seats/ports.ts";
import type { SeatKind } from "../../core/seats/types.ts";
import type { Db } from "../db.ts";
import { groups, seatRules } from "../schema.ts";
import type { Conn } from "../sql.ts";

/** The tenant's rules by priority, with their groups' names. */
export async function ruleList(db: Db, tenantId: string): Promise<RuleRecord[]> {
  const rows = await db
    .select({ r: seatRules, groupName: groups.displayName })
    .from(seatRules)
    .leftJoin(groups, and(eq(groups.tenantId, seatRules.tenantId), eq(groups.groupId, seatRules.groupId)))
    .where(eq(seatRules.tenantId, tenantId))
    .orderBy(asc(seatRules.priority), asc(seatRules.ruleId));
  return rows.map(({ r, groupName }) => ({
    ruleId: r.ruleId,
    groupId: r.groupId,
    groupName: groupName ?? r.groupId,
    kind: r.kind as SeatKind,
    priority: r.priority,
    createdBy: r.createdBy,
  }));
}

export async function groupExists(conn: Conn, tenantId: string, groupId: string): Promise<boolean> {
  const rows = await conn
    .select({ groupId: groups.groupId })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.groupId, groupId)));
  return rows.length > 0;
}

/** Adds a rule; null when the group already has a rule of that kind. */
export async function addRule(
  conn: Conn,
  tenantId: string,
  rule: { groupId: string; kind: SeatKind; priority: number },
  createdBy: string,
  at: Date,
): Promise<string | null> {
  const ruleId = randomUUID();
  const rows = await conn
    .insert(seatRules)
    .values({ tenantId, ruleId, ...rule, createdBy, createdAt: at })
    .onConflictDoNothing()
    .returning({ ruleId: seatRules.ruleId });
  return rows[0]?.ruleId ?? null;
}

/** Removes a rule; answers it as it was. */
export async function removeRule(conn: Conn, tenantId: string, ruleId: string) {
  const [gone] = await conn
    .delete(seatRules)
    .where(and(eq(seatRules.tenantId, tenantId), eq(seatRules.ruleId, ruleId)))
    .returning({ groupId: seatRules.groupId, kind: seatRules.kind });
  return gone ? { groupId: gone.groupId, kind: gone.kind as SeatKind } : undefined;
}
