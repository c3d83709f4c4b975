/**
 * Seats in the database: pools, assignments, the tenant's telephone numbers, plans and their rows, group
 * rules, and the audit trail of every change. Over-assignment is prevented by the `seat_pools` check
 * constraint inside the same transaction that writes the assignment, so concurrent requests cannot race
 * past it. Every seat-affecting change bumps `tenants.seat_version`; a plan made against an older version
 * is stale and refused.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Clock } from "../core/clock.ts";
import { DomainError } from "../core/errors.ts";
import { EmailIndex } from "../core/seats/email-match.ts";
import { planUndo, type SeatRule, type SeatState } from "../core/seats/plan.ts";
import type {
  ComputedPlan,
  DirectoryUser,
  PlanAction,
  PlanRow,
  PlanSource,
  PlanSummary,
  PoolState,
  SeatHolding,
  SeatKind,
} from "../core/seats/types.ts";
import { seatKinds } from "../core/seats/types.ts";
import type { Database, Db } from "./db.ts";
import {
  auditLog,
  groupMembers,
  groups,
  members,
  phoneNumbers,
  planRows,
  plans,
  seatAssignments,
  seatPools,
  seatRules,
  tenants,
} from "./schema.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Conn = Db | Tx;

/** The PostgreSQL error code of a driver error, looking through wrappers (drizzle wraps driver errors). */
export function pgErrorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Rows of a raw `execute` result (PGlite answers `{rows}`, postgres.js an array). */
function rowsOf<T>(result: unknown): T[] {
  const r = result as { rows?: T[] } | T[];
  return Array.isArray(r) ? r : (r.rows ?? []);
}

/**
 * Inserts many rows with one parameter: the batch as JSON, unpacked by `jsonb_to_recordset`. On PGlite
 * this is an order of magnitude faster than binding every value as its own parameter.
 */
async function bulkInsert(
  conn: Conn,
  table: string,
  columns: readonly (readonly [name: string, type: string])[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const names = columns.map(([n]) => n).join(", ");
  const types = columns.map(([n, t]) => `${n} ${t}`).join(", ");
  for (let i = 0; i < rows.length; i += 5000) {
    const json = JSON.stringify(rows.slice(i, i + 5000));
    await conn.execute(
      sql`insert into ${sql.identifier(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${json}::jsonb) as x(${sql.raw(types)})`,
    );
  }
}

const CHECK_VIOLATION = "23514";
const UNIQUE_VIOLATION = "23505";

export interface SeatRecord {
  readonly userId: string;
  readonly kind: SeatKind;
  readonly phoneNumber: string | null;
  readonly state: string;
  readonly source: string;
  readonly ruleId: string | null;
  readonly lastErrorCode: string | null;
  readonly lastErrorMessage: string | null;
  readonly assignedAt: string;
  readonly displayName: string | null;
  readonly upn: string | null;
  readonly mail: string | null;
}

export interface PhoneNumberRecord {
  readonly number: string;
  readonly numberType: string;
  readonly assignedUserId: string | null;
  readonly state: string;
  readonly operationId: string | null;
  readonly lastError: string | null;
}

export interface PlanRecord {
  readonly planId: string;
  readonly source: PlanSource;
  readonly status: string;
  readonly summary: PlanSummary;
  readonly baseVersion: number;
  readonly undoesPlanId: string | null;
  readonly undoneByPlanId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly committedBy: string | null;
  readonly committedAt: string | null;
}

/** Telephone number work a commit leaves for the number push jobs. */
export interface NumberWork {
  readonly assign: readonly { userId: string; number: string }[];
  readonly unassign: readonly { userId: string; number: string }[];
}

export interface AuditRecord {
  readonly auditId: number;
  readonly actorUserId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  /** Display names of the acting and the targeted person, when they are people of the directory. */
  readonly actorName: string | null;
  readonly targetName: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly at: string;
}

export interface AuditInput {
  readonly actorUserId: string | null;
  readonly action: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason?: string;
}

const BATCH = 1000;

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const exhausted = (kind: SeatKind, total: number, cause?: unknown) =>
  new DomainError(
    "SEAT_POOL_EXHAUSTED",
    `No licences are left in the ${kind} seat pool: all ${total} are in use. Release a seat or raise the pool size.`,
    { ...(cause === undefined ? {} : { cause }), details: { pool: kind, total } },
  );

const toDirectoryUser = (m: {
  userId: string;
  displayName: string;
  mail: string | null;
  upn: string;
  proxyAddresses: string[];
  accountEnabled: boolean;
  deletedAt: Date | null;
  directoryOrder: number;
}): DirectoryUser => ({
  userId: m.userId,
  displayName: m.displayName,
  mail: m.mail,
  upn: m.upn,
  proxyAddresses: m.proxyAddresses,
  accountEnabled: m.accountEnabled,
  deleted: m.deletedAt !== null,
  directoryOrder: m.directoryOrder,
});

const directoryColumns = {
  userId: members.userId,
  displayName: members.displayName,
  mail: members.mail,
  upn: members.upn,
  proxyAddresses: members.proxyAddresses,
  accountEnabled: members.accountEnabled,
  deletedAt: members.deletedAt,
  directoryOrder: members.directoryOrder,
};

export type SeatStore = ReturnType<typeof createSeatStore>;

export interface SeatAssignInput {
  userId: string;
  kind: SeatKind;
  phoneNumber?: string | null;
  source?: string;
  reason?: string;
}

export function createSeatStore(database: Database, clock: Clock) {
  const { db } = database;
  const now = () => new Date(clock.now());

  async function audit(conn: Conn, tenantId: string, entries: readonly AuditInput[]): Promise<void> {
    const at = now().toISOString();
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
        at,
      })),
    );
  }

  async function bumpVersion(conn: Conn, tenantId: string): Promise<number> {
    const rows = await conn
      .update(tenants)
      .set({ seatVersion: sql`${tenants.seatVersion} + 1`, updatedAt: now() })
      .where(eq(tenants.tenantId, tenantId))
      .returning({ v: tenants.seatVersion });
    if (!rows[0]) throw new DomainError("NOT_FOUND", "The tenant is not known to Quorum.");
    return rows[0].v;
  }

  async function lockVersion(conn: Conn, tenantId: string): Promise<number> {
    const rows = await conn
      .select({ v: tenants.seatVersion })
      .from(tenants)
      .where(eq(tenants.tenantId, tenantId))
      .for("update");
    if (!rows[0]) throw new DomainError("NOT_FOUND", "The tenant is not known to Quorum.");
    return rows[0].v;
  }

  async function poolsOf(conn: Conn, tenantId: string): Promise<PoolState[]> {
    const rows = await conn.select().from(seatPools).where(eq(seatPools.tenantId, tenantId));
    return seatKinds.map((kind) => {
      const r = rows.find((p) => p.kind === kind);
      return { kind, total: r?.total ?? 0, used: r?.used ?? 0 };
    });
  }

  /** Moves a pool's `used` by `delta`; the check constraint refuses going over the total. */
  async function adjustUsed(conn: Tx, tenantId: string, kind: SeatKind, delta: number): Promise<void> {
    if (delta === 0) return;
    try {
      // A savepoint keeps the transaction usable after the check constraint refuses the update.
      const rows = await conn.transaction((sp) =>
        sp
          .update(seatPools)
          .set({ used: sql`${seatPools.used} + ${delta}`, updatedAt: now() })
          .where(and(eq(seatPools.tenantId, tenantId), eq(seatPools.kind, kind)))
          .returning({ total: seatPools.total }),
      );
      if (rows[0]) return;
    } catch (error) {
      if (pgErrorCode(error) !== CHECK_VIOLATION) throw error;
      const pool = await conn
        .select({ total: seatPools.total })
        .from(seatPools)
        .where(and(eq(seatPools.tenantId, tenantId), eq(seatPools.kind, kind)));
      throw exhausted(kind, pool[0]?.total ?? 0, error);
    }
    if (delta > 0) throw exhausted(kind, 0);
  }

  /** Reserves a number of the pool for a user (a given one, or the first free one). */
  async function reserveNumber(
    conn: Conn,
    tenantId: string,
    userId: string,
    wanted: string | null,
  ): Promise<string> {
    if (wanted !== null) {
      const taken = await conn
        .update(phoneNumbers)
        .set({
          assignedUserId: userId,
          state: "assigning",
          operationId: null,
          lastError: null,
          updatedAt: now(),
        })
        .where(
          and(
            eq(phoneNumbers.tenantId, tenantId),
            eq(phoneNumbers.number, wanted),
            isNull(phoneNumbers.assignedUserId),
          ),
        )
        .returning({ number: phoneNumbers.number });
      if (taken[0]) return taken[0].number;
      const existing = await conn
        .select()
        .from(phoneNumbers)
        .where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.number, wanted)));
      if (!existing[0]) {
        throw new DomainError(
          "VALIDATION_FAILED",
          `The number ${wanted} is not in the tenant's number pool.`,
          {
            details: { phoneNumber: wanted },
          },
        );
      }
      throw new DomainError("CONFLICT", `The number ${wanted} is assigned to another user.`, {
        details: { phoneNumber: wanted },
      });
    }
    const result = await conn.execute(sql`
      update phone_numbers set assigned_user_id = ${userId}, state = 'assigning', operation_id = null,
             last_error = null, updated_at = ${now().toISOString()}
       where tenant_id = ${tenantId} and number = (
             select number from phone_numbers
              where tenant_id = ${tenantId} and assigned_user_id is null
              order by number limit 1 for update skip locked)
      returning number`);
    const rows =
      (result as unknown as { rows?: { number: string }[] }).rows ??
      (result as unknown as { number: string }[]);
    const got = rows[0]?.number;
    if (!got) {
      throw new DomainError(
        "CONFLICT",
        "No free phone number is left in the tenant's number pool. Add numbers first.",
      );
    }
    return got;
  }

  const mapSeat = (r: typeof seatAssignments.$inferSelect): SeatHolding => ({
    userId: r.userId,
    kind: r.kind as SeatKind,
    phoneNumber: r.phoneNumber,
    source: r.source,
    ruleId: r.ruleId,
    state: r.state,
  });

  const mapPlan = (p: typeof plans.$inferSelect): PlanRecord => ({
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

  interface StoredRowData {
    line: number;
    displayName: string | null;
    previous?: PlanRow["previous"];
    ruleId?: string | null;
  }

  const mapPlanRow = (r: typeof planRows.$inferSelect): PlanRow => {
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

  async function assignIn(
    tx: Tx,
    tenantId: string,
    input: SeatAssignInput,
    actorUserId: string,
  ): Promise<{ seat: SeatHolding; numbers: NumberWork }> {
    const member = await tx
      .select(directoryColumns)
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.userId, input.userId)));
    const m = member[0];
    if (!m) throw new DomainError("NOT_FOUND", "No such user in the imported directory.");
    if (!m.accountEnabled || m.deletedAt) {
      throw new DomainError("CONFLICT", `${m.displayName || m.upn} is disabled or deleted in the directory.`);
    }
    if (input.kind === "sync" && !m.mail) {
      throw new DomainError(
        "CONFLICT",
        `${m.displayName || m.upn} has no mailbox, so calendar sync cannot work.`,
      );
    }
    await adjustUsed(tx, tenantId, input.kind, 1);
    const number =
      input.kind === "calling"
        ? await reserveNumber(tx, tenantId, input.userId, input.phoneNumber ?? null)
        : null;
    try {
      await tx.insert(seatAssignments).values({
        tenantId,
        kind: input.kind,
        userId: input.userId,
        phoneNumber: number,
        state: number ? "pending" : "active",
        source: input.source ?? "manual",
        assignedBy: actorUserId,
        assignedAt: now(),
        updatedAt: now(),
      });
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) {
        throw new DomainError("CONFLICT", `${m.displayName || m.upn} already has a ${input.kind} seat.`, {
          cause: error,
        });
      }
      throw error;
    }
    await bumpVersion(tx, tenantId);
    await audit(tx, tenantId, [
      {
        actorUserId,
        action: "seat.assigned",
        targetType: "user",
        targetId: input.userId,
        before: null,
        after: { kind: input.kind, phoneNumber: number, source: input.source ?? "manual" },
        ...(input.reason ? { reason: input.reason } : {}),
      },
    ]);
    return {
      seat: {
        userId: input.userId,
        kind: input.kind,
        phoneNumber: number,
        source: input.source ?? "manual",
        ruleId: null,
        state: number ? "pending" : "active",
      },
      numbers: { assign: number ? [{ userId: input.userId, number }] : [], unassign: [] },
    };
  }

  async function loadPlanRows(conn: Conn, tenantId: string, planId: string): Promise<PlanRow[]> {
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
      for (const r of page) out.push(mapPlanRow(r));
      if (page.length < 5000) return out;
      after = page.at(-1)!.line;
    }
  }

  async function savePlanIn(
    conn: Conn,
    tenantId: string,
    plan: ComputedPlan,
    meta: { baseVersion: number; createdBy: string; undoesPlanId?: string },
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
      createdAt: now(),
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

  async function commitIn(
    tx: Tx,
    tenantId: string,
    planId: string,
    actorUserId: string,
  ): Promise<{ plan: PlanRecord; numbers: NumberWork }> {
    const version = await lockVersion(tx, tenantId);
    const found = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.tenantId, tenantId), eq(plans.planId, planId)))
      .for("update");
    const plan = found[0];
    if (!plan) throw new DomainError("NOT_FOUND", "No such plan.");
    if (plan.status !== "draft") {
      throw new DomainError("CONFLICT", `The plan is already ${plan.status}.`, {
        details: { status: plan.status },
      });
    }
    if (plan.baseVersion !== version) {
      throw new DomainError("PLAN_STALE", undefined, {
        details: { planVersion: plan.baseVersion, currentVersion: version },
      });
    }
    const rows = await loadPlanRows(tx, tenantId, planId);
    const stale = (what: string) =>
      new DomainError("PLAN_STALE", `The plan is out of date: ${what}. Make a new plan.`, {
        details: { planVersion: plan.baseVersion, currentVersion: version },
      });
    const assign: { userId: string; number: string }[] = [];
    const unassign: { userId: string; number: string }[] = [];
    const audits: AuditInput[] = [];

    for (const kind of seatKinds) {
      const removes = rows.filter((r) => r.action === "remove" && r.kind === kind && r.userId);
      let freed = 0;
      const released: { userId: string; number: string }[] = [];
      for (const part of chunks(removes)) {
        const deleted = await tx
          .delete(seatAssignments)
          .where(
            and(
              eq(seatAssignments.tenantId, tenantId),
              eq(seatAssignments.kind, kind),
              inArray(
                seatAssignments.userId,
                part.map((r) => r.userId!),
              ),
            ),
          )
          .returning();
        if (deleted.length !== part.length) throw stale(`a ${kind} seat to remove is already gone`);
        for (const d of deleted) {
          if (d.state !== "suspended") freed++;
          if (d.phoneNumber) released.push({ userId: d.userId, number: d.phoneNumber });
          audits.push({
            actorUserId,
            action: "seat.released",
            targetType: "user",
            targetId: d.userId,
            before: { kind, phoneNumber: d.phoneNumber, source: d.source, state: d.state },
            after: null,
            reason: `plan ${planId}`,
          });
        }
      }
      await adjustUsed(tx, tenantId, kind, -freed);
      unassign.push(...released);
      for (const u of released) {
        await tx
          .update(phoneNumbers)
          .set({ state: "unassigning", operationId: null, lastError: null, updatedAt: now() })
          .where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.number, u.number)));
      }

      const adds = rows.filter((r) => r.action === "add" && r.kind === kind && r.userId);
      if (adds.length === 0) continue;
      // Added users must still be active members: a directory change since planning makes the plan stale.
      for (const part of chunks(adds)) {
        const ok = await tx
          .select({ userId: members.userId })
          .from(members)
          .where(
            and(
              eq(members.tenantId, tenantId),
              inArray(
                members.userId,
                part.map((r) => r.userId!),
              ),
              eq(members.accountEnabled, true),
              isNull(members.deletedAt),
            ),
          );
        if (ok.length !== new Set(part.map((r) => r.userId)).size)
          throw stale("a user to add is disabled or gone");
      }
      await adjustUsed(tx, tenantId, kind, adds.length);
      const numberOf = new Map<string, string>();
      for (const r of adds) {
        if (kind === "calling") {
          const number = await reserveNumber(tx, tenantId, r.userId!, r.phoneNumber).catch(
            (error: unknown) => {
              throw error instanceof DomainError && error.code !== "PLAN_STALE"
                ? stale(`${error.message.replace(/\.$/, "")} (line ${r.line})`)
                : error;
            },
          );
          assign.push({ userId: r.userId!, number });
          numberOf.set(r.userId!, number);
        }
      }
      const at = now().toISOString();
      try {
        await bulkInsert(
          tx,
          "seat_assignments",
          [
            ["tenant_id", "text"],
            ["kind", "text"],
            ["user_id", "text"],
            ["phone_number", "text"],
            ["state", "text"],
            ["source", "text"],
            ["rule_id", "text"],
            ["assigned_by", "text"],
            ["created_at", "timestamptz"],
            ["updated_at", "timestamptz"],
          ],
          adds.map((r) => ({
            tenant_id: tenantId,
            kind,
            user_id: r.userId,
            phone_number: numberOf.get(r.userId!) ?? null,
            state: kind === "calling" ? "pending" : "active",
            source: plan.source === "undo" ? (r.previous?.source ?? "manual") : plan.source,
            rule_id: r.ruleId ?? r.previous?.ruleId ?? null,
            assigned_by: actorUserId,
            created_at: at,
            updated_at: at,
          })),
        );
      } catch (error) {
        if (pgErrorCode(error) === UNIQUE_VIOLATION) throw stale(`a user already has a ${kind} seat`);
        throw error;
      }
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
    await bumpVersion(tx, tenantId);
    const committed = await tx
      .update(plans)
      .set({ status: "committed", committedBy: actorUserId, committedAt: now() })
      .where(and(eq(plans.tenantId, tenantId), eq(plans.planId, planId)))
      .returning();
    audits.push({
      actorUserId,
      action: "plan.committed",
      targetType: "plan",
      targetId: planId,
      after: { source: plan.source, summary: plan.summary },
    });
    await audit(tx, tenantId, audits);
    return { plan: mapPlan(committed[0]!), numbers: { assign, unassign } };
  }

  return {
    audit: (tenantId: string, entries: readonly AuditInput[]) => audit(db, tenantId, entries),

    async version(tenantId: string): Promise<number> {
      const rows = await db
        .select({ v: tenants.seatVersion })
        .from(tenants)
        .where(eq(tenants.tenantId, tenantId));
      if (!rows[0]) throw new DomainError("NOT_FOUND", "The tenant is not known to Quorum.");
      return rows[0].v;
    },

    pools: (tenantId: string) => poolsOf(db, tenantId),

    /** Sets a pool's size (plan limits are checked by the caller); refuses a size below the seats in use. */
    async setPoolTotal(
      tenantId: string,
      kind: SeatKind,
      total: number,
      actorUserId: string,
    ): Promise<PoolState> {
      return db.transaction(async (tx) => {
        await lockVersion(tx, tenantId);
        const before = (await poolsOf(tx, tenantId)).find((p) => p.kind === kind)!;
        try {
          await tx
            .insert(seatPools)
            .values({ tenantId, kind, total, used: 0, updatedAt: now() })
            .onConflictDoUpdate({
              target: [seatPools.tenantId, seatPools.kind],
              set: { total, updatedAt: now() },
            });
        } catch (error) {
          if (pgErrorCode(error) !== CHECK_VIOLATION) throw error;
          throw new DomainError(
            "CONFLICT",
            `${before.used} ${kind} seats are in use; release seats before lowering the pool to ${total}.`,
            { cause: error, details: { pool: kind, used: before.used, requested: total } },
          );
        }
        await bumpVersion(tx, tenantId);
        await audit(tx, tenantId, [
          {
            actorUserId,
            action: "seat.pool_changed",
            targetType: "pool",
            targetId: kind,
            before: { total: before.total },
            after: { total },
          },
        ]);
        return { kind, total, used: before.used };
      });
    },

    /** Adds E.164 numbers to the tenant's number pool (existing ones are left as they are). */
    async addNumbers(
      tenantId: string,
      numbers: readonly string[],
      numberType: string,
      actorUserId: string,
    ): Promise<number> {
      let added = 0;
      await db.transaction(async (tx) => {
        for (const part of chunks(numbers)) {
          const rows = await tx
            .insert(phoneNumbers)
            .values(part.map((number) => ({ tenantId, number, numberType, state: "free", updatedAt: now() })))
            .onConflictDoNothing()
            .returning({ number: phoneNumbers.number });
          added += rows.length;
        }
        await audit(tx, tenantId, [
          {
            actorUserId,
            action: "seat.numbers_added",
            targetType: "numbers",
            after: { numbers, numberType },
          },
        ]);
      });
      return added;
    },

    async numbers(tenantId: string): Promise<PhoneNumberRecord[]> {
      const rows = await db
        .select()
        .from(phoneNumbers)
        .where(eq(phoneNumbers.tenantId, tenantId))
        .orderBy(asc(phoneNumbers.number));
      return rows.map((r) => ({
        number: r.number,
        numberType: r.numberType,
        assignedUserId: r.assignedUserId,
        state: r.state,
        operationId: r.operationId,
        lastError: r.lastError,
      }));
    },

    async seats(tenantId: string, filter: { kind?: SeatKind; userId?: string } = {}): Promise<SeatRecord[]> {
      const rows = await db
        .select({
          s: seatAssignments,
          displayName: members.displayName,
          upn: members.upn,
          mail: members.mail,
        })
        .from(seatAssignments)
        .leftJoin(
          members,
          and(eq(members.tenantId, seatAssignments.tenantId), eq(members.userId, seatAssignments.userId)),
        )
        .where(
          and(
            eq(seatAssignments.tenantId, tenantId),
            filter.kind ? eq(seatAssignments.kind, filter.kind) : undefined,
            filter.userId ? eq(seatAssignments.userId, filter.userId) : undefined,
          ),
        )
        .orderBy(asc(seatAssignments.kind), asc(members.directoryOrder), asc(seatAssignments.userId));
      return rows.map(({ s, displayName, upn, mail }) => ({
        userId: s.userId,
        kind: s.kind as SeatKind,
        phoneNumber: s.phoneNumber,
        state: s.state,
        source: s.source,
        ruleId: s.ruleId,
        lastErrorCode: s.lastErrorCode,
        lastErrorMessage: s.lastErrorMessage,
        assignedAt: s.assignedAt.toISOString(),
        displayName,
        upn,
        mail,
      }));
    },

    /** Everything a planner needs about the seats held now. */
    async seatState(tenantId: string): Promise<SeatState & { version: number }> {
      return db.transaction(async (tx) => {
        const v = await tx
          .select({ v: tenants.seatVersion })
          .from(tenants)
          .where(eq(tenants.tenantId, tenantId));
        if (!v[0]) throw new DomainError("NOT_FOUND", "The tenant is not known to Quorum.");
        const holdings = (
          await tx.select().from(seatAssignments).where(eq(seatAssignments.tenantId, tenantId))
        ).map(mapSeat);
        const numbers = new Map<string, string | null>();
        for (const n of await tx
          .select({ number: phoneNumbers.number, owner: phoneNumbers.assignedUserId })
          .from(phoneNumbers)
          .where(eq(phoneNumbers.tenantId, tenantId)))
          numbers.set(n.number, n.owner);
        return { holdings, pools: await poolsOf(tx, tenantId), numbers, version: v[0].v };
      });
    },

    /** The directory as an e-mail index (mail, UPN, smtp proxy addresses). */
    async directoryIndex(tenantId: string): Promise<EmailIndex> {
      // Read as JSON text in chunks: one string to parse per 20,000 users instead of 20,000 row objects.
      const index = new EmailIndex();
      let after = "";
      for (;;) {
        const result = await db.execute(sql`
          select coalesce(json_agg(json_build_array(user_id, display_name, mail, upn, proxy_addresses,
                   account_enabled, deleted_at is not null, directory_order) order by user_id), '[]')::text as j
            from (select * from members where tenant_id = ${tenantId} and user_id > ${after}
                   order by user_id limit 20000) m`);
        const text = rowsOf<{ j: string }>(result)[0]?.j ?? "[]";
        const page = JSON.parse(text) as [
          string,
          string,
          string | null,
          string,
          string[],
          boolean,
          boolean,
          number,
        ][];
        for (const [
          userId,
          displayName,
          mail,
          upn,
          proxyAddresses,
          accountEnabled,
          deleted,
          directoryOrder,
        ] of page) {
          index.add({
            userId,
            displayName,
            mail,
            upn,
            proxyAddresses,
            accountEnabled,
            deleted,
            directoryOrder: Number(directoryOrder),
          });
        }
        if (page.length < 20000) return index;
        after = page.at(-1)![0];
      }
    },

    async member(tenantId: string, userId: string): Promise<DirectoryUser | undefined> {
      const rows = await db
        .select(directoryColumns)
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.userId, userId)));
      return rows[0] ? toDirectoryUser(rows[0]) : undefined;
    },

    async groupMembers(tenantId: string, groupId: string): Promise<DirectoryUser[]> {
      const rows = await db
        .select(directoryColumns)
        .from(groupMembers)
        .innerJoin(
          members,
          and(eq(members.tenantId, groupMembers.tenantId), eq(members.userId, groupMembers.userId)),
        )
        .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.groupId, groupId)))
        .orderBy(asc(members.directoryOrder));
      return rows.map(toDirectoryUser);
    },

    /** Assigns one seat. The pool constraint decides races: the loser gets SEAT_POOL_EXHAUSTED. */
    async assignSeat(
      tenantId: string,
      input: SeatAssignInput,
      actorUserId: string,
    ): Promise<{ seat: SeatHolding; numbers: NumberWork }> {
      return db.transaction((tx) => assignIn(tx, tenantId, input, actorUserId));
    },

    /**
     * Gives a user every seat kind of `kinds` they do not hold yet, in one transaction: all are assigned,
     * or none (e.g. when one of the pools is full) — an approved join request is never half-applied.
     * Given `within` (the caller's transaction), the seats commit or roll back with the caller's change.
     */
    async assignMissingSeats(
      tenantId: string,
      input: { userId: string; kinds: readonly SeatKind[]; reason: string },
      actorUserId: string,
      within?: Tx,
    ): Promise<{ seats: SeatHolding[]; numbers: NumberWork }> {
      return (within ?? db).transaction(async (tx) => {
        const held = await tx
          .select({ kind: seatAssignments.kind })
          .from(seatAssignments)
          .where(and(eq(seatAssignments.tenantId, tenantId), eq(seatAssignments.userId, input.userId)));
        const seats: SeatHolding[] = [];
        const assign: NumberWork["assign"][number][] = [];
        for (const kind of input.kinds) {
          if (held.some((h) => h.kind === kind)) continue;
          const one = await assignIn(
            tx,
            tenantId,
            { userId: input.userId, kind, reason: input.reason },
            actorUserId,
          );
          seats.push(one.seat);
          assign.push(...one.numbers.assign);
        }
        return { seats, numbers: { assign, unassign: [] } };
      });
    },

    async releaseSeat(
      tenantId: string,
      input: { userId: string; kind: SeatKind; reason?: string },
      actorUserId: string,
    ): Promise<NumberWork> {
      return db.transaction(async (tx) => {
        await lockVersion(tx, tenantId);
        const gone = await tx
          .delete(seatAssignments)
          .where(
            and(
              eq(seatAssignments.tenantId, tenantId),
              eq(seatAssignments.kind, input.kind),
              eq(seatAssignments.userId, input.userId),
            ),
          )
          .returning();
        const seat = gone[0];
        if (!seat) throw new DomainError("NOT_FOUND", `The user has no ${input.kind} seat.`);
        if (seat.state !== "suspended") await adjustUsed(tx, tenantId, input.kind, -1);
        if (seat.phoneNumber) {
          await tx
            .update(phoneNumbers)
            .set({ state: "unassigning", operationId: null, lastError: null, updatedAt: now() })
            .where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.number, seat.phoneNumber)));
        }
        await bumpVersion(tx, tenantId);
        await audit(tx, tenantId, [
          {
            actorUserId,
            action: "seat.released",
            targetType: "user",
            targetId: input.userId,
            before: {
              kind: input.kind,
              phoneNumber: seat.phoneNumber,
              source: seat.source,
              state: seat.state,
            },
            after: null,
            ...(input.reason ? { reason: input.reason } : {}),
          },
        ]);
        return {
          assign: [],
          unassign: seat.phoneNumber ? [{ userId: input.userId, number: seat.phoneNumber }] : [],
        };
      });
    },

    /**
     * Users who became disabled or soft-deleted lose their seats: the seat is suspended (kept, so it can come
     * back), its licence is freed and its number released. Hard-deleted users' seats are removed.
     */
    async suspendSeats(
      tenantId: string,
      userIds: readonly string[],
      reason: string,
      options: { permanent?: boolean } = {},
    ): Promise<{ seats: SeatHolding[]; numbers: NumberWork }> {
      if (userIds.length === 0) return { seats: [], numbers: { assign: [], unassign: [] } };
      return db.transaction(async (tx) => {
        await lockVersion(tx, tenantId);
        const affected: SeatHolding[] = [];
        const freed = new Map<SeatKind, number>();
        for (const part of chunks(userIds)) {
          const where = and(
            eq(seatAssignments.tenantId, tenantId),
            inArray(seatAssignments.userId, part),
            options.permanent ? undefined : sql`${seatAssignments.state} <> 'suspended'`,
          );
          const rows = options.permanent
            ? await tx.delete(seatAssignments).where(where).returning()
            : await tx
                .update(seatAssignments)
                .set({ state: "suspended", updatedAt: now() })
                .where(where)
                .returning();
          for (const r of rows) {
            affected.push(mapSeat(r));
            // Suspended seats no longer count against the pool; the update only touched seats that did.
            if (!options.permanent || r.state !== "suspended")
              freed.set(r.kind as SeatKind, (freed.get(r.kind as SeatKind) ?? 0) + 1);
          }
        }
        if (affected.length === 0) return { seats: [], numbers: { assign: [], unassign: [] } };
        for (const kind of seatKinds) await adjustUsed(tx, tenantId, kind, -(freed.get(kind) ?? 0));
        const unassign = affected
          .filter((s) => s.phoneNumber)
          .map((s) => ({ userId: s.userId, number: s.phoneNumber! }));
        for (const u of unassign) {
          await tx
            .update(phoneNumbers)
            .set({ state: "unassigning", operationId: null, lastError: null, updatedAt: now() })
            .where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.number, u.number)));
        }
        await bumpVersion(tx, tenantId);
        await audit(
          tx,
          tenantId,
          affected.map((s) => ({
            actorUserId: null,
            action: options.permanent ? "seat.removed_user_deleted" : "seat.suspended",
            targetType: "user",
            targetId: s.userId,
            before: { kind: s.kind, phoneNumber: s.phoneNumber, state: "active" },
            after: options.permanent
              ? null
              : { kind: s.kind, phoneNumber: s.phoneNumber, state: "suspended" },
            reason,
          })),
        );
        return { seats: affected, numbers: { assign: [], unassign } };
      });
    },

    /** Users enabled or restored again get their suspended seats back while licences last. */
    async restoreSeats(
      tenantId: string,
      userIds: readonly string[],
      reason: string,
    ): Promise<{ restored: SeatHolding[]; waiting: SeatHolding[]; numbers: NumberWork }> {
      const none = { restored: [], waiting: [], numbers: { assign: [], unassign: [] } };
      if (userIds.length === 0) return none;
      const suspended = (
        await db
          .select()
          .from(seatAssignments)
          .where(
            and(
              eq(seatAssignments.tenantId, tenantId),
              inArray(seatAssignments.userId, [...userIds]),
              eq(seatAssignments.state, "suspended"),
            ),
          )
      ).map(mapSeat);
      if (suspended.length === 0) return none;
      const restored: SeatHolding[] = [];
      const waiting: SeatHolding[] = [];
      const assign: { userId: string; number: string }[] = [];
      for (const seat of suspended) {
        try {
          await db.transaction(async (tx) => {
            await lockVersion(tx, tenantId);
            await adjustUsed(tx, tenantId, seat.kind, 1);
            let number: string | null = null;
            if (seat.kind === "calling") {
              number = await reserveNumber(tx, tenantId, seat.userId, seat.phoneNumber).catch(() =>
                reserveNumber(tx, tenantId, seat.userId, null),
              );
            }
            await tx
              .update(seatAssignments)
              .set({ state: number ? "pending" : "active", phoneNumber: number, updatedAt: now() })
              .where(
                and(
                  eq(seatAssignments.tenantId, tenantId),
                  eq(seatAssignments.kind, seat.kind),
                  eq(seatAssignments.userId, seat.userId),
                ),
              );
            await bumpVersion(tx, tenantId);
            await audit(tx, tenantId, [
              {
                actorUserId: null,
                action: "seat.restored",
                targetType: "user",
                targetId: seat.userId,
                before: { kind: seat.kind, state: "suspended" },
                after: { kind: seat.kind, phoneNumber: number, state: number ? "pending" : "active" },
                reason,
              },
            ]);
            if (number) assign.push({ userId: seat.userId, number });
          });
          restored.push(seat);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          waiting.push(seat);
        }
      }
      return { restored, waiting, numbers: { assign, unassign: [] } };
    },

    async savePlan(
      tenantId: string,
      plan: ComputedPlan,
      meta: { baseVersion: number; createdBy: string },
    ): Promise<PlanRecord> {
      const planId = await db.transaction((tx) => savePlanIn(tx, tenantId, plan, meta));
      const saved = await db
        .select()
        .from(plans)
        .where(and(eq(plans.tenantId, tenantId), eq(plans.planId, planId)));
      return mapPlan(saved[0]!);
    },

    async getPlan(
      tenantId: string,
      planId: string,
      page: { offset?: number; limit?: number; action?: PlanAction } = {},
    ): Promise<{ plan: PlanRecord; rows: PlanRow[]; totalRows: number }> {
      const found = await db
        .select()
        .from(plans)
        .where(and(eq(plans.tenantId, tenantId), eq(plans.planId, planId)));
      if (!found[0]) throw new DomainError("NOT_FOUND", "No such plan.");
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
      const count = await db.select({ n: sql<number>`count(*)::int` }).from(planRows).where(where);
      return { plan: mapPlan(found[0]), rows: rows.map(mapPlanRow), totalRows: count[0]?.n ?? 0 };
    },

    /** Applies a plan in one transaction: everything or nothing; PLAN_STALE when seats changed since. */
    async commitPlan(
      tenantId: string,
      planId: string,
      actorUserId: string,
    ): Promise<{ plan: PlanRecord; numbers: NumberWork }> {
      return db.transaction((tx) => commitIn(tx, tenantId, planId, actorUserId));
    },

    /** Undoes a committed plan with a compensating plan, committed at once. Returns the undo plan. */
    async undoPlan(
      tenantId: string,
      planId: string,
      actorUserId: string,
    ): Promise<{ plan: PlanRecord; numbers: NumberWork }> {
      return db.transaction(async (tx) => {
        const version = await lockVersion(tx, tenantId);
        const found = await tx
          .select()
          .from(plans)
          .where(and(eq(plans.tenantId, tenantId), eq(plans.planId, planId)))
          .for("update");
        const original = found[0];
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
        const rows = await loadPlanRows(tx, tenantId, planId);
        const holdings = (
          await tx.select().from(seatAssignments).where(eq(seatAssignments.tenantId, tenantId))
        ).map(mapSeat);
        const undo = planUndo(
          rows,
          { holdings, pools: await poolsOf(tx, tenantId) },
          `plan of ${original.createdAt.toISOString()}`,
        );
        const undoId = await savePlanIn(tx, tenantId, undo, {
          baseVersion: version,
          createdBy: actorUserId,
          undoesPlanId: planId,
        });
        const result = await commitIn(tx, tenantId, undoId, actorUserId);
        await tx
          .update(plans)
          .set({ status: "undone", undoneByPlanId: undoId })
          .where(and(eq(plans.tenantId, tenantId), eq(plans.planId, planId)));
        return result;
      });
    },

    async rules(tenantId: string): Promise<(SeatRule & { createdBy: string | null })[]> {
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
    },

    async addRule(
      tenantId: string,
      input: { groupId: string; kind: SeatKind; priority: number },
      actorUserId: string,
    ): Promise<string> {
      const group = await db
        .select()
        .from(groups)
        .where(and(eq(groups.tenantId, tenantId), eq(groups.groupId, input.groupId)));
      if (!group[0]) throw new DomainError("NOT_FOUND", "No such group in the imported directory.");
      const ruleId = randomUUID();
      try {
        await db
          .insert(seatRules)
          .values({ tenantId, ruleId, ...input, createdBy: actorUserId, createdAt: now() });
      } catch (error) {
        if (pgErrorCode(error) === UNIQUE_VIOLATION) {
          throw new DomainError("CONFLICT", `The group already has a ${input.kind} rule.`, { cause: error });
        }
        throw error;
      }
      await audit(db, tenantId, [
        { actorUserId, action: "seat.rule_added", targetType: "rule", targetId: ruleId, after: input },
      ]);
      return ruleId;
    },

    async removeRule(tenantId: string, ruleId: string, actorUserId: string): Promise<void> {
      const gone = await db
        .delete(seatRules)
        .where(and(eq(seatRules.tenantId, tenantId), eq(seatRules.ruleId, ruleId)))
        .returning();
      if (!gone[0]) throw new DomainError("NOT_FOUND", "No such rule.");
      await audit(db, tenantId, [
        {
          actorUserId,
          action: "seat.rule_removed",
          targetType: "rule",
          targetId: ruleId,
          before: { groupId: gone[0].groupId, kind: gone[0].kind },
        },
      ]);
    },

    /** Records the outcome of a number push or release (called by the number jobs). */
    async recordNumberState(
      tenantId: string,
      number: string,
      update: {
        state: "assigning" | "assigned" | "unassigning" | "free" | "failed";
        operationId?: string | null;
        error?: { code: string; message: string } | null;
      },
    ): Promise<void> {
      await db.transaction(async (tx) => {
        const rows = await tx
          .update(phoneNumbers)
          .set({
            state: update.state,
            ...(update.operationId !== undefined ? { operationId: update.operationId } : {}),
            lastError: update.error ? `${update.error.code}: ${update.error.message}` : null,
            ...(update.state === "free" ? { assignedUserId: null } : {}),
            updatedAt: now(),
          })
          .where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.number, number)))
          .returning();
        const n = rows[0];
        if (!n?.assignedUserId || (update.state !== "assigned" && update.state !== "failed")) return;
        await tx
          .update(seatAssignments)
          .set({
            state: update.state === "assigned" ? "active" : "failed",
            lastErrorCode: update.error?.code ?? null,
            lastErrorMessage: update.error?.message ?? null,
            updatedAt: now(),
          })
          .where(
            and(
              eq(seatAssignments.tenantId, tenantId),
              eq(seatAssignments.kind, "calling"),
              eq(seatAssignments.userId, n.assignedUserId),
              eq(seatAssignments.phoneNumber, number),
              // A suspended seat keeps its state whatever happens to the number being released.
              sql`${seatAssignments.state} <> 'suspended'`,
            ),
          );
      });
    },

    async numberRecord(tenantId: string, number: string): Promise<PhoneNumberRecord | undefined> {
      const rows = await db
        .select()
        .from(phoneNumbers)
        .where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.number, number)));
      const r = rows[0];
      return r
        ? {
            number: r.number,
            numberType: r.numberType,
            assignedUserId: r.assignedUserId,
            state: r.state,
            operationId: r.operationId,
            lastError: r.lastError,
          }
        : undefined;
    },

    async auditTrail(
      tenantId: string,
      query: { action?: string; targetId?: string; before?: number; limit?: number } = {},
    ): Promise<AuditRecord[]> {
      const actor = alias(members, "actor");
      const target = alias(members, "target");
      const rows = await db
        .select({ r: auditLog, actorName: actor.displayName, targetName: target.displayName })
        .from(auditLog)
        .leftJoin(actor, and(eq(actor.tenantId, auditLog.tenantId), eq(actor.userId, auditLog.actorUserId)))
        .leftJoin(target, and(eq(target.tenantId, auditLog.tenantId), eq(target.userId, auditLog.targetId)))
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
      return rows.map(({ r, actorName, targetName }) => ({
        auditId: r.auditId,
        actorUserId: r.actorUserId,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        actorName,
        targetName,
        before: r.before,
        after: r.after,
        reason: r.reason,
        at: r.at.toISOString(),
      }));
    },
  };
}
