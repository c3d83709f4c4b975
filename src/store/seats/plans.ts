/**
 * Plans (`plans`, `plan_rows`): a bulk seat change saved as a draft with every row it will apply, read a
 * page at a time, held while it is committed or undone, and marked committed or undone.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { PlanRecord } from "../../core/seats/ports.ts";
import type {
  ComputedPlan,
  PlanAction,
  PlanRow,
  PlanSource,
  PlanSummary,
  SeatKind,
} from "../../core/seats/types.ts";
import type { Db } from "../db.ts";
import { planRows, plans } from "../schema.ts";
import { bulkInsert, type Conn } from "../sql.ts";

interface StoredRowData {
  line: number | null;
  displayName: string | null;
  previous?: PlanRow["previous"];
  ruleId?: string | null;
}

const planRecord = (p: typeof plans.$inferSelect): PlanRecord => ({
  planId: p.planId,
  source: p.source as PlanSource,
  status: p.status,
  summary: p.summary as PlanSummary,
  baseVersion: p.baseVersion,
  undoesPlanId: p.undoesPlanId,
  undoneByPlanId: p.undoneByPlanId,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
  committedBy: p.committedBy,
  committedAt: p.committedAt?.toISOString() ?? null,
});

const planRow = (r: typeof planRows.$inferSelect): PlanRow => {
  const data = r.data as StoredRowData;
  return {
    line: data.line,
    email: r.email,
    userId: r.userId,
    displayName: data.displayName,
    kind: r.kind as SeatKind | null,
    action: r.action as PlanAction,
    reason: r.reason,
    phoneNumber: r.phoneNumber,
    ...(data.previous ? { previous: data.previous } : {}),
    ...(data.ruleId !== undefined ? { ruleId: data.ruleId } : {}),
  };
};

const onePlan = (tenantId: string, planId: string) =>
  and(eq(plans.tenantId, tenantId), eq(plans.planId, planId));

/** Saves a computed plan as a draft made against `baseVersion`; answers its id. */
export async function savePlan(
  conn: Conn,
  tenantId: string,
  plan: ComputedPlan,
  meta: { baseVersion: number; createdBy: string; undoesPlanId?: string },
  at: Date,
): Promise<string> {
  const planId = randomUUID();
  await conn.insert(plans).values({
    tenantId,
    planId,
    source: plan.source,
    status: "draft",
    summary: plan.summary,
    baseVersion: meta.baseVersion,
    undoesPlanId: meta.undoesPlanId ?? null,
    createdBy: meta.createdBy,
    createdAt: at,
  });
  let seq = 0;
  await bulkInsert(
    conn,
    "plan_rows",
    [
      ["tenant_id", "text"],
      ["plan_id", "text"],
      ["line", "integer"],
      ["email", "text"],
      ["user_id", "text"],
      ["kind", "text"],
      ["action", "text"],
      ["reason", "text"],
      ["phone_number", "text"],
      ["data", "jsonb"],
    ],
    plan.rows.map((r) => {
      const data: StoredRowData = { line: r.line, displayName: r.displayName };
      if (r.previous) data.previous = r.previous;
      if (r.ruleId !== undefined) data.ruleId = r.ruleId;
      return {
        tenant_id: tenantId,
        plan_id: planId,
        line: ++seq,
        email: r.email,
        user_id: r.userId,
        kind: r.kind,
        action: r.action,
        reason: r.reason,
        phone_number: r.phoneNumber,
        data,
      };
    }),
  );
  return planId;
}

/** The plan, held until the transaction ends. */
export async function lockPlan(
  conn: Conn,
  tenantId: string,
  planId: string,
): Promise<PlanRecord | undefined> {
  const [row] = await conn.select().from(plans).where(onePlan(tenantId, planId)).for("update");
  return row ? planRecord(row) : undefined;
}

/** Every row of the plan, in order (read 5,000 at a time). */
export async function allPlanRows(conn: Conn, tenantId: string, planId: string): Promise<PlanRow[]> {
  const out: PlanRow[] = [];
  let after = 0;
  for (;;) {
    const page = await conn
      .select()
      .from(planRows)
      .where(
        and(eq(planRows.tenantId, tenantId), eq(planRows.planId, planId), sql`${planRows.line} > ${after}`),
      )
      .orderBy(asc(planRows.line))
      .limit(5000);
    for (const r of page) out.push(planRow(r));
    if (page.length < 5000) return out;
    after = page.at(-1)!.line;
  }
}

/** The plan with a page of its rows (of one action, when given) and how many rows match. */
export async function planPage(
  db: Db,
  tenantId: string,
  planId: string,
  page: { offset?: number; limit?: number; action?: PlanAction } = {},
): Promise<{ plan: PlanRecord; rows: PlanRow[]; totalRows: number } | undefined> {
  const [found] = await db.select().from(plans).where(onePlan(tenantId, planId));
  if (!found) return undefined;
  const where = and(
    eq(planRows.tenantId, tenantId),
    eq(planRows.planId, planId),
    page.action ? eq(planRows.action, page.action) : undefined,
  );
  const rows = await db
    .select()
    .from(planRows)
    .where(where)
    .orderBy(asc(planRows.line))
    .offset(page.offset ?? 0)
    .limit(page.limit ?? 100);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(planRows).where(where);
  return { plan: planRecord(found), rows: rows.map(planRow), totalRows: count?.n ?? 0 };
}

export async function markPlanCommitted(
  conn: Conn,
  tenantId: string,
  planId: string,
  actorUserId: string,
  at: Date,
): Promise<PlanRecord> {
  const [row] = await conn
    .update(plans)
    .set({ status: "committed", committedBy: actorUserId, committedAt: at })
    .where(onePlan(tenantId, planId))
    .returning();
  return planRecord(row!);
}

export async function markPlanUndone(conn: Conn, tenantId: string, planId: string, undoneByPlanId: string) {
  await conn.update(plans).set({ status: "undone", undoneByPlanId }).where(onePlan(tenantId, planId));
}
