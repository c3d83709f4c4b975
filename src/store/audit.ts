/**
 * The audit log: who did what to whom, before and after, and why. Entries are appended in the transaction
 * of the change they record; the trail is read newest first, with the people's names.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { AuditInput, AuditQuery, AuditRecord } from "../core/seats/ports.ts";
import type { Db } from "./db.ts";
import { memberCards } from "./members.ts";
import { auditLog } from "./schema.ts";
import { bulkInsert, type Conn } from "./sql.ts";

export async function appendAudit(
  conn: Conn,
  tenantId: string,
  entries: readonly AuditInput[],
  at: Date,
): Promise<void> {
  if (entries.length === 0) return;
  await bulkInsert(
    conn,
    "audit_log",
    [
      ["tenant_id", "text"],
      ["actor_user_id", "text"],
      ["action", "text"],
      ["target_type", "text"],
      ["target_id", "text"],
      ["before", "jsonb"],
      ["after", "jsonb"],
      ["reason", "text"],
      ["at", "timestamptz"],
    ],
    entries.map((e) => ({
      tenant_id: tenantId,
      actor_user_id: e.actorUserId,
      action: e.action,
      target_type: e.targetType ?? null,
      target_id: e.targetId ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      reason: e.reason ?? null,
      at: at.toISOString(),
    })),
  );
}

export async function auditTrail(db: Db, tenantId: string, query: AuditQuery = {}): Promise<AuditRecord[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        query.action
          ? sql`${auditLog.action} like ${`${query.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
          : undefined,
        query.targetId ? eq(auditLog.targetId, query.targetId) : undefined,
        query.before !== undefined ? lt(auditLog.auditId, query.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.auditId))
    .limit(query.limit ?? 100);
  const people = await memberCards(
    db,
    tenantId,
    rows.flatMap((r) => [r.actorUserId, r.targetId].filter((id): id is string => id !== null)),
  );
  return rows.map((r) => ({
    auditId: r.auditId,
    actorUserId: r.actorUserId,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    actorName: r.actorUserId ? (people.get(r.actorUserId)?.displayName ?? null) : null,
    targetName: r.targetId ? (people.get(r.targetId)?.displayName ?? null) : null,
    before: r.before,
    after: r.after,
    reason: r.reason,
    at: r.at.toISOString(),
  }));
}
