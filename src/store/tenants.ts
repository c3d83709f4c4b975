/**
 * Tenants in the database: their record and consent health, consent bookkeeping, role changes, and the
 * owner's export or deletion of everything Quorum holds for them. The rules about who may do what are the
 * identity layer's (src/identity/tenants.ts); this module only reads and writes.
 */
import { and, eq, getTableName, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { appendAudit } from "./audit.ts";
import type { Database, Db } from "./db.ts";
import { heldRoles, ownerIds } from "./members.ts";
import { writeRoles } from "./roles.ts";
import * as schema from "./schema.ts";
import { auditLog, members, tenants } from "./schema.ts";

export interface TenantRow {
  readonly tenantId: string;
  readonly displayName: string;
  readonly status: string;
  readonly consentErrorCode: string | null;
  readonly consentErrorMessage: string | null;
  readonly ownerUserId: string | null;
  readonly consentedAt: Date | null;
  readonly disconnectedAt: Date | null;
}

const toRow = (row: typeof tenants.$inferSelect): TenantRow => ({
  tenantId: row.tenantId,
  displayName: row.displayName,
  status: row.status,
  consentErrorCode: row.consentErrorCode,
  consentErrorMessage: row.consentErrorMessage,
  ownerUserId: row.ownerUserId,
  consentedAt: row.consentedAt,
  disconnectedAt: row.disconnectedAt,
});

const toDate = (value: Date | string | null): Date | null =>
  value === null ? null : value instanceof Date ? value : new Date(value);

/** The tenant's record (raw SQL: it runs on every authenticated request). */
export async function tenantRow(database: Database, tenantId: string): Promise<TenantRow | undefined> {
  const { rows } = await database.executeSql(
    `select tenant_id, display_name, status, consent_error_code, consent_error_message, owner_user_id,
            consented_at, disconnected_at
       from tenants where tenant_id = $1`,
    [tenantId],
  );
  const row = rows[0] as
    | {
        tenant_id: string;
        display_name: string;
        status: string;
        consent_error_code: string | null;
        consent_error_message: string | null;
        owner_user_id: string | null;
        consented_at: Date | string | null;
        disconnected_at: Date | string | null;
      }
    | undefined;
  return row
    ? {
        tenantId: row.tenant_id,
        displayName: row.display_name,
        status: row.status,
        consentErrorCode: row.consent_error_code,
        consentErrorMessage: row.consent_error_message,
        ownerUserId: row.owner_user_id,
        consentedAt: toDate(row.consented_at),
        disconnectedAt: toDate(row.disconnected_at),
      }
    : undefined;
}

/**
 * Records a proven consent in one transaction: the tenant becomes consented; on the first consent (or when
 * the tenant lost every owner) the consenting admin owns it, otherwise they are made admin.
 */
export async function recordConsent(
  db: Db,
  input: {
    tenantId: string;
    displayName: string;
    admin: { userId: string; upn: string; displayName: string };
  },
  at: Date,
): Promise<{ firstConsent: boolean; tenant: TenantRow }> {
  const { tenantId, displayName, admin } = input;
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(tenants)
      .where(eq(tenants.tenantId, tenantId))
      .for("update")
      .limit(1);
    const owners = await ownerIds(tx, tenantId, 1);
    const firstConsent = !existing?.ownerUserId || owners.length === 0;
    const values = {
      displayName: displayName || existing?.displayName || "",
      status: "consented",
      consentErrorCode: null,
      consentErrorMessage: null,
      consentedAt: at,
      disconnectedAt: null,
      updatedAt: at,
      ...(firstConsent ? { ownerUserId: admin.userId } : {}),
    };
    const [row] = existing
      ? await tx.update(tenants).set(values).where(eq(tenants.tenantId, tenantId)).returning()
      : await tx
          .insert(tenants)
          .values({ tenantId, ...values })
          .returning();
    const grant = firstConsent ? "owner" : "admin";
    await tx
      .insert(members)
      .values({
        tenantId,
        userId: admin.userId,
        upn: admin.upn,
        displayName: admin.displayName,
        roles: [grant, "member"],
      })
      .onConflictDoUpdate({
        target: [members.tenantId, members.userId],
        set: {
          roles: sql`(select array(select distinct unnest(${members.roles} || array[${grant}, 'member']::text[])))`,
          deletedAt: null,
          updatedAt: at,
        },
      });
    await appendAudit(
      tx,
      tenantId,
      [
        {
          actorUserId: admin.userId,
          action: firstConsent ? "consent.granted" : "consent.renewed",
          targetType: "tenant",
          targetId: tenantId,
          before: existing ? { status: existing.status, consentErrorCode: existing.consentErrorCode } : null,
          after: { status: "consented", grantedRole: grant },
        },
      ],
      at,
    );
    return { firstConsent, tenant: toRow(row!) };
  });
}

/** Flags a consented tenant as needing a reconnect (true), or refreshes the error of one already flagged. */
export async function markReconnectNeeded(db: Db, tenantId: string, code: string, message: string, at: Date) {
  const changed = await db
    .update(tenants)
    .set({ status: "reconnect_needed", consentErrorCode: code, consentErrorMessage: message, updatedAt: at })
    .where(and(eq(tenants.tenantId, tenantId), eq(tenants.status, "consented")))
    .returning({ tenantId: tenants.tenantId });
  if (changed.length > 0) return true;
  await db
    .update(tenants)
    .set({ consentErrorCode: code, consentErrorMessage: message, updatedAt: at })
    .where(and(eq(tenants.tenantId, tenantId), eq(tenants.status, "reconnect_needed")));
  return false;
}

export async function disconnectTenant(db: Db, tenantId: string, at: Date): Promise<TenantRow | undefined> {
  const [row] = await db
    .update(tenants)
    .set({ status: "disconnected", disconnectedAt: at, updatedAt: at })
    .where(eq(tenants.tenantId, tenantId))
    .returning();
  return row ? toRow(row) : undefined;
}

/** Secrets and one-time state never leave the service. */
const NOT_EXPORTED = new Set<string>([getTableName(schema.tokenCache), getTableName(schema.consentStates)]);
/** The tenant record (status disconnected) and the audit log remain as the record of what happened. */
const KEPT_ON_DELETE = new Set<string>([getTableName(tenants), getTableName(auditLog)]);

/** Every table keyed by tenant_id. */
function tenantTables(): (PgTable & { tenantId: typeof members.tenantId })[] {
  return (Object.values(schema) as unknown[]).filter(
    (t): t is PgTable & { tenantId: typeof members.tenantId } => t instanceof PgTable && "tenantId" in t,
  );
}

/** Every row Quorum holds for the tenant, per table (tokens and consent states excepted). */
export async function exportTenantRows(db: Db, tenantId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tenantTables()) {
    if (NOT_EXPORTED.has(getTableName(table))) continue;
    out[getTableName(table)] = await db.select().from(table).where(eq(table.tenantId, tenantId));
  }
  return out;
}

/**
 * Deletes every row of the tenant in every tenant table but the kept ones; the kept record forgets where
 * the directory import stood, so the next import after a reconnect is a full one. Answers the tables.
 */
export async function deleteTenantRows(db: Db, tenantId: string, at: Date): Promise<string[]> {
  const tables = tenantTables().filter((t) => !KEPT_ON_DELETE.has(getTableName(t)));
  await db.transaction(async (tx) => {
    for (const table of tables) await tx.delete(table).where(eq(table.tenantId, tenantId));
    await tx
      .update(tenants)
      .set({
        directoryDeltaLink: null,
        directorySyncedAt: null,
        directoryRoundError: null,
        directoryRoundFailedAt: null,
        updatedAt: at,
      })
      .where(eq(tenants.tenantId, tenantId));
  });
  return tables.map((t) => getTableName(t));
}

/**
 * Changes a live member's roles in one transaction with their row held: `decide` gets the roles now (undefined
 * when not a live member) and a count of the tenant's owners, and answers the change to store (or throws).
 */
export async function changeRoles(
  db: Db,
  tenantId: string,
  userId: string,
  decide: (
    current: string[] | undefined,
    owners: () => Promise<number>,
  ) => Promise<{ before: readonly string[]; next: readonly string[] }>,
  change: { actorUserId: string; at: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await heldRoles(tx, tenantId, userId, { live: true, hold: "update" });
    const roles = await decide(current, async () => (await ownerIds(tx, tenantId)).length);
    await writeRoles(tx, { tenantId, userId, ...roles, ...change });
  });
}

/** Tenants whose consent holds, for scheduled work. */
export async function consentedTenantIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ tenantId: tenants.tenantId })
    .from(tenants)
    .where(eq(tenants.status, "consented"));
  return rows.map((r) => r.tenantId);
}
