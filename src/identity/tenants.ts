/**
 * Tenants, their consent health, and Quorum roles of their members. Every query takes the tenant id
 * from the caller's validated context.
 */
import type { Actor, Role } from "../core/actor.ts";
import { roles as allRoles } from "../core/actor.ts";
import type { Clock } from "../core/clock.ts";
import { DomainError } from "../core/errors.ts";
import { appendAudit } from "../store/audit.ts";
import type { Database } from "../store/db.ts";
import { liveMemberRoles, ownersAndAdmins } from "../store/members.ts";
import {
  changeRoles,
  deleteTenantRows,
  disconnectTenant,
  exportTenantRows,
  markReconnectNeeded,
  recordConsent,
  type TenantRow,
  tenantRow,
} from "../store/tenants.ts";

export type TenantStatus = "pending" | "consented" | "reconnect_needed" | "disconnected";

export interface TenantRecord {
  readonly tenantId: string;
  readonly displayName: string;
  readonly status: TenantStatus;
  readonly consentErrorCode: string | null;
  readonly consentErrorMessage: string | null;
  readonly ownerUserId: string | null;
  readonly consentedAt: Date | null;
  readonly disconnectedAt: Date | null;
}

export interface TenantContact {
  readonly userId: string;
  readonly displayName: string;
  readonly upn: string;
  readonly roles: readonly Role[];
}

export interface AuditEntry {
  tenantId: string;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

export interface TenantStore {
  get(tenantId: string): Promise<TenantRecord | undefined>;
  /** Quorum roles of a user in a tenant; empty when the user is not a member. */
  rolesOf(tenantId: string, userId: string): Promise<Role[]>;
  /** Owners and admins, owners first: whom to ask for consent or a seat. */
  admins(tenantId: string): Promise<TenantContact[]>;
  /** Records a proven consent. The consenting admin becomes owner on the first consent, and is made admin otherwise. */
  recordConsent(input: { tenantId: string; displayName: string; admin: Omit<Actor, "roles"> }): Promise<{
    firstConsent: boolean;
    tenant: TenantRecord;
  }>;
  /** Marks a tenant whose tokens can no longer be acquired; returns true when the status changed. */
  markReconnectNeeded(tenantId: string, code: string, message: string): Promise<boolean>;
  disconnect(tenantId: string, actorUserId: string, dataChoice: string): Promise<TenantRecord | undefined>;
  /**
   * Deletes every row of the tenant in every tenant table (explicit owner choice on disconnect). The
   * tenant record (status disconnected) and the audit log stay as the record of what happened; the record
   * keeps no directory import state, so the next import after a reconnect is a full one.
   */
  deleteTenantData(tenantId: string): Promise<void>;
  /** Every row Quorum holds for the tenant, per table (tokens and consent states excepted). */
  exportTenantData(tenantId: string): Promise<Record<string, unknown[]>>;
  /**
   * Sets a member's Quorum roles (`member` is always kept). Owners and admins may grant admin and
   * scheduler; only owners may grant or remove owner, or change another owner; the last owner stays.
   */
  setRoles(tenantId: string, actor: Actor, userId: string, roles: readonly Role[]): Promise<Role[]>;
  audit(entry: AuditEntry): Promise<void>;
}

const toRecord = (row: TenantRow): TenantRecord => ({ ...row, status: row.status as TenantStatus });

const asRoles = (values: readonly string[]): Role[] => allRoles.filter((r) => values.includes(r));

export function createTenantStore(database: Database, clock: Clock): TenantStore {
  const { db } = database;
  const now = () => new Date(clock.now());

  const store: TenantStore = {
    async get(tenantId) {
      const row = await tenantRow(database, tenantId);
      return row ? toRecord(row) : undefined;
    },

    async rolesOf(tenantId, userId) {
      return asRoles((await liveMemberRoles(database, tenantId, userId)) ?? []);
    },

    async admins(tenantId) {
      return (await ownersAndAdmins(database, tenantId))
        .map((r) => ({ ...r, roles: asRoles(r.roles) }))
        .sort(
          (a, b) =>
            Number(b.roles.includes("owner")) - Number(a.roles.includes("owner")) ||
            a.displayName.localeCompare(b.displayName),
        );
    },

    async recordConsent({ tenantId, displayName, admin }) {
      const { firstConsent, tenant } = await recordConsent(db, { tenantId, displayName, admin }, now());
      return { firstConsent, tenant: toRecord(tenant) };
    },

    async markReconnectNeeded(tenantId, code, message) {
      if (!(await markReconnectNeeded(db, tenantId, code, message, now()))) return false;
      await store.audit({
        tenantId,
        actorUserId: null,
        action: "consent.lost",
        targetType: "tenant",
        targetId: tenantId,
        after: { status: "reconnect_needed", code },
        reason: message,
      });
      return true;
    },

    async disconnect(tenantId, actorUserId, dataChoice) {
      const row = await disconnectTenant(db, tenantId, now());
      if (!row) return undefined;
      await store.audit({
        tenantId,
        actorUserId,
        action: "tenant.disconnected",
        targetType: "tenant",
        targetId: tenantId,
        after: { status: "disconnected", data: dataChoice },
      });
      return toRecord(row);
    },

    exportTenantData: (tenantId) => exportTenantRows(db, tenantId),

    async deleteTenantData(tenantId) {
      const tables = await deleteTenantRows(db, tenantId, now());
      await store.audit({
        tenantId,
        actorUserId: null,
        action: "tenant.data_deleted",
        targetType: "tenant",
        targetId: tenantId,
        after: { tables },
      });
    },

    async setRoles(tenantId, actor, userId, wanted) {
      const isOwner = actor.roles.includes("owner");
      if (actor.tenantId !== tenantId || !(isOwner || actor.roles.includes("admin"))) {
        throw new DomainError("ROLE_REQUIRED", "Only owners and admins change roles.");
      }
      const next = asRoles([...wanted, "member"]);
      await changeRoles(
        db,
        tenantId,
        userId,
        async (current, owners) => {
          if (!current)
            throw new DomainError("NOT_FOUND", "That person is not a member of your organization in Quorum.");
          const before = asRoles(current);
          const touchesOwner = before.includes("owner") !== next.includes("owner");
          if ((touchesOwner || before.includes("owner")) && !isOwner) {
            throw new DomainError("ROLE_REQUIRED", "Only an owner can change an owner or grant ownership.");
          }
          if (before.includes("owner") && !next.includes("owner") && (await owners()) <= 1) {
            throw new DomainError(
              "CONFLICT",
              "Your organization needs at least one owner. Make someone else owner first.",
            );
          }
          return { before, next };
        },
        { actorUserId: actor.userId, at: now() },
      );
      return next;
    },

    async audit({ tenantId, ...entry }) {
      await appendAudit(db, tenantId, [entry], now());
    },
  };
  return store;
}
