/**
 * The imported directory in the database (members, groups, group_members). Each delta page becomes a
 * handful of batched statements: one read of the page's known users, one upsert, one update or delete
 * for removals. It reports access transitions so seats can follow the directory.
 */
import { and, asc, count, eq, inArray, isNotNull, isNull, notInArray, or, sql } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import type {
  DirectoryChange,
  DirectoryGroup,
  DirectoryStore,
  DirectoryUserRecord,
  PageOutcome,
} from "../core/directory/sync.ts";
import { DomainError } from "../core/errors.ts";
import type { Database, Db } from "./db.ts";
import { lastDirectoryOrder, likePrefix, memberLiveness } from "./members.ts";
import { groupMembers, groups, members, tenants } from "./schema.ts";

const BATCH = 1000;

export function createDirectoryStore(database: Database, clock: Clock): DirectoryStore {
  const { db } = database;
  const now = () => new Date(clock.now());

  return {
    async deltaLink(tenantId) {
      const rows = await db
        .select({ link: tenants.directoryDeltaLink })
        .from(tenants)
        .where(eq(tenants.tenantId, tenantId));
      if (!rows[0]) throw new DomainError("NOT_FOUND", "The tenant is not known to Quorum.");
      return rows[0].link;
    },

    async applyPage(tenantId, changes): Promise<PageOutcome> {
      const lostAccess: string[] = [];
      const regainedAccess: string[] = [];
      const deletedForGood: string[] = [];
      // Last change of a user in the page wins (delta pages may repeat an item).
      const latest = new Map<string, DirectoryChange>();
      for (const c of changes) latest.set(c.type === "user" ? c.user.userId : c.userId, c);
      const upserts: DirectoryUserRecord[] = [];
      const soft: string[] = [];
      const hard: string[] = [];
      for (const c of latest.values()) {
        if (c.type === "user") upserts.push(c.user);
        else if (c.permanent) hard.push(c.userId);
        else soft.push(c.userId);
      }
      if (latest.size === 0) return { lostAccess, regainedAccess, deletedForGood };

      await db.transaction(async (tx) => {
        const before = await memberLiveness(tx, tenantId, [...latest.keys()]);

        if (upserts.length > 0) {
          let order = await lastDirectoryOrder(tx, tenantId);
          // One statement per batch: the page travels as a single JSON parameter (fast on PGlite too).
          const at = now().toISOString();
          for (let i = 0; i < upserts.length; i += BATCH) {
            const json = JSON.stringify(
              upserts.slice(i, i + BATCH).map((u) => ({
                user_id: u.userId,
                upn: u.upn,
                display_name: u.displayName,
                mail: u.mail,
                proxy: u.proxyAddresses,
                account_enabled: u.accountEnabled,
                department: u.department,
                job_title: u.jobTitle,
                usage_location: u.usageLocation,
                time_zone: u.timeZone ?? null,
                directory_order: ++order,
              })),
            );
            await tx.execute(sql`
              insert into members (tenant_id, user_id, upn, display_name, mail, proxy_addresses, account_enabled,
                                   department, job_title, usage_location, time_zone, deleted_at,
                                   directory_order, created_at, updated_at)
              select ${tenantId}, x.user_id, x.upn, coalesce(x.display_name, ''), x.mail,
                     coalesce(array(select jsonb_array_elements_text(x.proxy)), '{}'::text[]),
                     x.account_enabled, x.department, x.job_title, x.usage_location, x.time_zone, null,
                     x.directory_order,
                     ${at}::timestamptz, ${at}::timestamptz
                from jsonb_to_recordset(${json}::jsonb) as x(user_id text, upn text, display_name text, mail text,
                     proxy jsonb, account_enabled boolean, department text, job_title text, usage_location text,
                     time_zone text, directory_order bigint)
              on conflict (tenant_id, user_id) do update set
                     upn = excluded.upn, display_name = excluded.display_name, mail = excluded.mail,
                     proxy_addresses = excluded.proxy_addresses, account_enabled = excluded.account_enabled,
                     department = excluded.department, job_title = excluded.job_title,
                     usage_location = excluded.usage_location,
                     -- A round that could not read the mailbox's zone keeps the one known.
                     time_zone = coalesce(excluded.time_zone, members.time_zone),
                     deleted_at = null, updated_at = excluded.updated_at`);
          }
          for (const u of upserts) {
            const was = before.get(u.userId);
            if (!was) continue;
            if (was.live && !u.accountEnabled) lostAccess.push(u.userId);
            else if (!was.live && u.accountEnabled) regainedAccess.push(u.userId);
          }
        }

        for (let i = 0; i < soft.length; i += BATCH) {
          const rows = await tx
            .update(members)
            .set({ deletedAt: now(), updatedAt: now() })
            .where(
              and(
                eq(members.tenantId, tenantId),
                inArray(members.userId, soft.slice(i, i + BATCH)),
                isNull(members.deletedAt),
              ),
            )
            .returning({ userId: members.userId });
          for (const r of rows) lostAccess.push(r.userId);
        }
        for (let i = 0; i < hard.length; i += BATCH) {
          const part = hard.slice(i, i + BATCH);
          await tx
            .delete(groupMembers)
            .where(and(eq(groupMembers.tenantId, tenantId), inArray(groupMembers.userId, part)));
          const rows = await tx
            .delete(members)
            .where(and(eq(members.tenantId, tenantId), inArray(members.userId, part)))
            .returning({ userId: members.userId });
          for (const r of rows) deletedForGood.push(r.userId);
        }
      });
      return { lostAccess, regainedAccess, deletedForGood };
    },

    async replaceGroups(tenantId, source: AsyncIterable<DirectoryGroup>) {
      const seen: string[] = [];
      for await (const g of source) {
        seen.push(g.groupId);
        await db.transaction(async (tx) => {
          await tx
            .insert(groups)
            .values({
              tenantId,
              groupId: g.groupId,
              displayName: g.displayName,
              mail: g.mail,
              updatedAt: now(),
            })
            .onConflictDoUpdate({
              target: [groups.tenantId, groups.groupId],
              set: { displayName: g.displayName, mail: g.mail, updatedAt: now() },
            });
          await tx
            .delete(groupMembers)
            .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.groupId, g.groupId)));
          for (let i = 0; i < g.memberIds.length; i += BATCH) {
            await tx
              .insert(groupMembers)
              .values(
                g.memberIds.slice(i, i + BATCH).map((userId) => ({ tenantId, groupId: g.groupId, userId })),
              )
              .onConflictDoNothing();
          }
        });
      }
      await db.transaction(async (tx) => {
        const stale = and(
          eq(groups.tenantId, tenantId),
          seen.length > 0 ? notInArray(groups.groupId, seen) : undefined,
        );
        const gone = await tx.delete(groups).where(stale).returning({ groupId: groups.groupId });
        if (gone.length > 0) {
          await tx.delete(groupMembers).where(
            and(
              eq(groupMembers.tenantId, tenantId),
              inArray(
                groupMembers.groupId,
                gone.map((g) => g.groupId),
              ),
            ),
          );
        }
      });
      return seen.length;
    },

    async finishRound(tenantId, deltaLink) {
      await db
        .update(tenants)
        .set({ directoryDeltaLink: deltaLink, directorySyncedAt: now(), updatedAt: now() })
        .where(eq(tenants.tenantId, tenantId));
    },
  };
}

/** Where the tenant's directory import stands: the last round's end, and why the latest one failed. */
export async function directoryRoundState(db: Db, tenantId: string) {
  const [row] = await db
    .select({
      syncedAt: tenants.directorySyncedAt,
      error: tenants.directoryRoundError,
      failedAt: tenants.directoryRoundFailedAt,
    })
    .from(tenants)
    .where(eq(tenants.tenantId, tenantId));
  return row;
}

/** A round that succeeded clears the failure the tenant kept. */
export async function clearDirectoryRoundFailure(db: Db, tenantId: string): Promise<void> {
  await db
    .update(tenants)
    .set({ directoryRoundError: null, directoryRoundFailedAt: null })
    .where(and(eq(tenants.tenantId, tenantId), isNotNull(tenants.directoryRoundError)));
}

/**
 * Keeps why a round failed on the tenant. True only for the update that found no earlier failure, so
 * however many replicas fail at once, one of them tells the admins.
 */
export async function recordDirectoryRoundFailure(db: Db, tenantId: string, message: string, at: Date) {
  const failure = { directoryRoundError: message, directoryRoundFailedAt: at };
  const first = await db
    .update(tenants)
    .set(failure)
    .where(and(eq(tenants.tenantId, tenantId), isNull(tenants.directoryRoundError)))
    .returning({ tenantId: tenants.tenantId });
  if (first.length > 0) return true;
  await db.update(tenants).set(failure).where(eq(tenants.tenantId, tenantId));
  return false;
}

const memberOfGroup = and(
  eq(groupMembers.tenantId, groups.tenantId),
  eq(groupMembers.groupId, groups.groupId),
);

/** Groups as the last import saw them, with member counts: whose name or mail starts with the text. */
export async function groupsMatching(db: Db, tenantId: string, text: string | undefined, limit: number) {
  const prefix = text ? likePrefix(text) : null;
  const rows = await db
    .select({
      groupId: groups.groupId,
      displayName: groups.displayName,
      mail: groups.mail,
      memberCount: count(groupMembers.userId),
    })
    .from(groups)
    .leftJoin(groupMembers, memberOfGroup)
    .where(
      and(
        eq(groups.tenantId, tenantId),
        prefix
          ? or(
              sql`lower(${groups.displayName}) like ${prefix}`,
              sql`lower(${groups.displayName}) like ${`% ${prefix}`}`,
              sql`lower(${groups.mail}) like ${prefix}`,
            )
          : undefined,
      ),
    )
    .groupBy(groups.tenantId, groups.groupId, groups.displayName, groups.mail)
    .orderBy(asc(sql`lower(${groups.displayName})`), asc(groups.groupId))
    .limit(limit);
  return rows.map((g) => ({ ...g, memberCount: Number(g.memberCount) }));
}
