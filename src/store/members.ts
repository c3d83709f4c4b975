/**
 * The `members` table: the imported directory plus Quorum's own per-person data (roles, locale, zone, sync
 * switch). Every read of it goes through a function here, named for what the caller needs; the directory
 * import writes it in directory.ts.
 */
import { and, asc, count, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { EmailIndex } from "../core/seats/email-match.ts";
import type { DirectoryUser } from "../core/seats/types.ts";
import type { Database, Db } from "./db.ts";
import { groupMembers, members, seatAssignments } from "./schema.ts";
import { type Conn, chunks, rowsOf } from "./sql.ts";

const ofTenant = (tenantId: string) => eq(members.tenantId, tenantId);
const one = (tenantId: string, userId: string) => and(ofTenant(tenantId), eq(members.userId, userId));
const live = (tenantId: string) => and(ofTenant(tenantId), isNull(members.deletedAt));
const active = (tenantId: string) => and(live(tenantId), eq(members.accountEnabled, true));

/** A person's ids and names, as most callers show them. */
const nameColumns = {
  userId: members.userId,
  displayName: members.displayName,
  mail: members.mail,
  upn: members.upn,
};

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

const toDirectoryUser = ({
  deletedAt,
  ...m
}: { deletedAt: Date | null } & Omit<DirectoryUser, "deleted">) => ({
  ...m,
  deleted: deletedAt !== null,
});

/** A member as seats see them (enabled, deleted, mailbox), deleted ones included. */
export async function directoryUser(
  conn: Conn,
  tenantId: string,
  userId: string,
): Promise<DirectoryUser | undefined> {
  const [row] = await conn.select(directoryColumns).from(members).where(one(tenantId, userId));
  return row ? toDirectoryUser(row) : undefined;
}

/** Of `userIds`, the members who are enabled and not deleted. */
export async function activeMemberIds(
  conn: Conn,
  tenantId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks([...new Set(userIds)])) {
    const rows = await conn
      .select({ userId: members.userId })
      .from(members)
      .where(and(active(tenantId), inArray(members.userId, part)));
    for (const r of rows) out.add(r.userId);
  }
  return out;
}

/** Members of a group, in directory order. */
export async function groupDirectoryUsers(
  conn: Conn,
  tenantId: string,
  groupId: string,
): Promise<DirectoryUser[]> {
  const rows = await conn
    .select(directoryColumns)
    .from(groupMembers)
    .innerJoin(
      members,
      and(eq(members.tenantId, groupMembers.tenantId), eq(members.userId, groupMembers.userId)),
    )
    .where(and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.groupId, groupId)))
    .orderBy(asc(members.directoryOrder));
  return rows.map(toDirectoryUser);
}

/** The directory as an e-mail index (mail, UPN, smtp proxy addresses). */
export async function directoryIndex(db: Db, tenantId: string): Promise<EmailIndex> {
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
    type Row = [string, string, string | null, string, string[], boolean, boolean, number];
    const page = JSON.parse(text) as Row[];
    for (const [userId, displayName, mail, upn, proxyAddresses, accountEnabled, deleted, order] of page) {
      index.add({
        userId,
        displayName,
        mail,
        upn,
        proxyAddresses,
        accountEnabled,
        deleted,
        directoryOrder: Number(order),
      });
    }
    if (page.length < 20000) return index;
    after = page.at(-1)![0];
  }
}

export interface MemberCard {
  readonly displayName: string;
  readonly upn: string;
  readonly mail: string | null;
  readonly directoryOrder: number;
}

/** Names and directory order of the given members (deleted ones included), by user id. */
export async function memberCards(
  conn: Conn,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, MemberCard>> {
  const out = new Map<string, MemberCard>();
  for (const part of chunks([...new Set(userIds)], 5000)) {
    const rows = await conn
      .select({ ...nameColumns, directoryOrder: members.directoryOrder })
      .from(members)
      .where(and(ofTenant(tenantId), inArray(members.userId, part)));
    for (const { userId, ...card } of rows) out.set(userId, card);
  }
  return out;
}

/** A member's roles, held until the transaction ends; `live` skips deleted members. */
export async function heldRoles(
  tx: Conn,
  tenantId: string,
  userId: string,
  options: { live: boolean; hold: "share" | "update" },
): Promise<string[] | undefined> {
  const [row] = await tx
    .select({ roles: members.roles })
    .from(members)
    .where(and(one(tenantId, userId), options.live ? isNull(members.deletedAt) : undefined))
    .for(options.hold === "share" ? "share" : "update");
  return row?.roles;
}

/** User ids of the tenant's owners (not deleted), at most `limit`. */
export async function ownerIds(conn: Conn, tenantId: string, limit?: number): Promise<string[]> {
  const query = conn
    .select({ userId: members.userId })
    .from(members)
    .where(and(live(tenantId), sql`'owner' = any(${members.roles})`));
  return (await (limit === undefined ? query : query.limit(limit))).map((r) => r.userId);
}

/** The stored roles of a live member (raw, fast: it runs on every authenticated request). */
export async function liveMemberRoles(
  database: Database,
  tenantId: string,
  userId: string,
): Promise<string[] | undefined> {
  const { rows } = await database.executeSql(
    "select roles from members where tenant_id = $1 and user_id = $2 and deleted_at is null",
    [tenantId, userId],
  );
  return (rows[0] as { roles: string[] } | undefined)?.roles;
}

/** Owners and admins not deleted (raw, fast: it runs on refused requests to name whom to ask). */
export async function ownersAndAdmins(
  database: Database,
  tenantId: string,
): Promise<{ userId: string; displayName: string; upn: string; roles: string[] }[]> {
  const { rows } = await database.executeSql(
    `select user_id, display_name, upn, roles from members
      where tenant_id = $1 and deleted_at is null and roles && array['owner','admin']::text[]`,
    [tenantId],
  );
  return (rows as { user_id: string; display_name: string; upn: string; roles: string[] }[]).map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    upn: r.upn,
    roles: r.roles,
  }));
}

/** Owners and admins (or owners only) not deleted, by user id: whom admin notices go to. */
export async function adminIds(db: Db, tenantId: string, only?: "owner"): Promise<string[]> {
  const wanted = only === "owner" ? sql`array['owner']::text[]` : sql`array['owner','admin']::text[]`;
  const rows = await db
    .select({ userId: members.userId })
    .from(members)
    .where(and(live(tenantId), sql`${members.roles} && ${wanted}`))
    .orderBy(asc(members.userId));
  return rows.map((r) => r.userId);
}

/** What the bot needs of the person talking to it (not deleted). */
export async function chatMember(db: Db, tenantId: string, userId: string) {
  const [row] = await db
    .select({
      upn: members.upn,
      displayName: members.displayName,
      roles: members.roles,
      locale: members.locale,
      timeZone: members.timeZone,
    })
    .from(members)
    .where(and(one(tenantId, userId), isNull(members.deletedAt)));
  return row;
}

export async function timeZoneOf(db: Db, tenantId: string, userId: string): Promise<string | null> {
  const [row] = await db.select({ timeZone: members.timeZone }).from(members).where(one(tenantId, userId));
  return row?.timeZone ?? null;
}

export async function usageLocationOf(db: Db, tenantId: string, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ country: members.usageLocation })
    .from(members)
    .where(one(tenantId, userId));
  return row?.country ?? null;
}

/** The countries (usageLocation) of the members behind addresses (mail, UPN or smtp proxy), by lower-cased address. */
export async function countriesByAddress(
  db: Db,
  tenantId: string,
  addresses: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  for (const part of chunks(wanted)) {
    const rows = await db
      .select({
        mail: members.mail,
        upn: members.upn,
        proxy: members.proxyAddresses,
        country: members.usageLocation,
      })
      .from(members)
      .where(and(ofTenant(tenantId), or(...part.map((a) => byAddress(a)))));
    for (const r of rows) {
      if (!r.country) continue;
      const mine = [r.mail, r.upn, ...r.proxy.map((p) => p.replace(/^smtp:/i, ""))].map((a) =>
        a?.toLowerCase(),
      );
      for (const a of part) if (mine.includes(a)) out.set(a, r.country);
    }
  }
  return out;
}

/** Keeps the mailbox's zone and language on the member (the bot answers in them). */
export async function setMailboxPreferences(
  db: Db,
  tenantId: string,
  userId: string,
  preferences: { timeZone: string; locale: string | null },
  at: Date,
): Promise<void> {
  await db
    .update(members)
    .set({ ...preferences, updatedAt: at })
    .where(one(tenantId, userId));
}

/** The member's own calendar sync switch (undefined: not a member); `hold` locks it to change it. */
export async function syncSwitchOf(
  conn: Conn,
  tenantId: string,
  userId: string,
  hold = false,
): Promise<boolean | undefined> {
  const query = conn.select({ enabled: members.syncEnabled }).from(members).where(one(tenantId, userId));
  return (await (hold ? query.for("update") : query))[0]?.enabled;
}

export async function writeSyncSwitch(
  tx: Conn,
  tenantId: string,
  userId: string,
  enabled: boolean,
  at: Date,
) {
  await tx.update(members).set({ syncEnabled: enabled, updatedAt: at }).where(one(tenantId, userId));
}

/** Stored roles of the member (raw, deleted members included), or none. */
export async function storedRoles(db: Db, tenantId: string, userId: string): Promise<string[]> {
  const [row] = await db.select({ roles: members.roles }).from(members).where(one(tenantId, userId));
  return row ? [...row.roles] : [];
}

/** Enabled people of the given tenants, for a dev user picker: by tenant, then directory order. */
export async function pickablePeople(db: Db, tenantIds: readonly string[], limit: number) {
  return db
    .select({
      tenantId: members.tenantId,
      userId: members.userId,
      displayName: members.displayName,
      upn: members.upn,
      timeZone: members.timeZone,
      roles: members.roles,
    })
    .from(members)
    .where(
      and(
        inArray(members.tenantId, [...tenantIds]),
        eq(members.accountEnabled, true),
        isNull(members.deletedAt),
      ),
    )
    .orderBy(asc(members.tenantId), asc(members.directoryOrder), asc(members.displayName))
    .limit(limit);
}

/** Directory state of the given users before a directory page changes them. */
export async function memberLiveness(tx: Conn, tenantId: string, userIds: readonly string[]) {
  const out = new Map<string, { live: boolean }>();
  for (const part of chunks(userIds)) {
    const rows = await tx
      .select({ userId: members.userId, enabled: members.accountEnabled, deletedAt: members.deletedAt })
      .from(members)
      .where(and(ofTenant(tenantId), inArray(members.userId, part)));
    for (const r of rows) out.set(r.userId, { live: r.enabled && r.deletedAt === null });
  }
  return out;
}

/** The highest directory order given so far (new members come after it). */
export async function lastDirectoryOrder(tx: Conn, tenantId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`coalesce(max(${members.directoryOrder}), 0)::bigint` })
    .from(members)
    .where(ofTenant(tenantId));
  return Number(row?.n ?? 0);
}

/** An enabled, live member by mail, UPN or smtp proxy address (any case). */
export async function activeMemberByAddress(db: Db, tenantId: string, address: string) {
  const a = address.trim().toLowerCase();
  const [row] = await db
    .select(nameColumns)
    .from(members)
    .where(and(active(tenantId), byAddress(a)))
    .limit(1);
  return row;
}

const byAddress = (a: string) =>
  or(
    sql`lower(${members.mail}) = ${a}`,
    sql`lower(${members.upn}) = ${a}`,
    sql`${`smtp:${a}`} = any (select lower(p) from unnest(${members.proxyAddresses}) as p)`,
  );

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `lower(x) like 'ana%'`, with LIKE's wildcards in the text escaped. */
export const likePrefix = (text: string): string => `${escapeLike(text).toLowerCase()}%`;

/**
 * Enabled, live people matching any of the queries: an e-mail address exactly (mail, UPN, smtp proxy), or
 * a name starting with the text or with a name part starting with it. Lower-cased queries, one round trip.
 */
export async function activePeopleMatching(
  db: Db,
  tenantId: string,
  queries: readonly string[],
  limit: number,
) {
  const condition = (q: string) =>
    q.includes("@")
      ? byAddress(q)
      : or(
          sql`${members.displayName} ilike ${`${escapeLike(q)}%`}`,
          sql`${members.displayName} ilike ${`% ${escapeLike(q)}%`}`,
        );
  return db
    .select({ ...nameColumns, proxyAddresses: members.proxyAddresses })
    .from(members)
    .where(and(active(tenantId), or(...queries.map(condition))))
    .orderBy(asc(members.displayName), asc(members.userId))
    .limit(limit);
}

const personColumns = { ...nameColumns, jobTitle: members.jobTitle, department: members.department };

/** A member whose name, UPN or e-mail starts with the text, or one of whose name parts does. */
function memberMatches(text: string) {
  const prefix = likePrefix(text);
  return or(
    sql`lower(${members.displayName}) like ${prefix}`,
    sql`lower(${members.displayName}) like ${`% ${prefix}`}`,
    sql`lower(${members.upn}) like ${prefix}`,
    sql`lower(${members.mail}) like ${prefix}`,
  );
}

/** Type-ahead over enabled, live people (see memberMatches), by name. */
export async function searchPeople(db: Db, tenantId: string, text: string, limit: number) {
  return db
    .select(personColumns)
    .from(members)
    .where(and(active(tenantId), memberMatches(text)))
    .orderBy(asc(members.displayName), asc(members.userId))
    .limit(limit);
}

/** A person's names and mail (deleted members included). */
export async function personOf(db: Db, tenantId: string, userId: string) {
  const [row] = await db.select(nameColumns).from(members).where(one(tenantId, userId));
  return row;
}

const holderOfSeat = and(
  eq(members.tenantId, seatAssignments.tenantId),
  eq(members.userId, seatAssignments.userId),
);

/** Live people holding an active calling seat, by name (at most `limit`). */
export async function activeCallers(db: Db, tenantId: string, limit: number) {
  return db
    .select({
      userId: members.userId,
      displayName: members.displayName,
      upn: members.upn,
      phoneNumber: seatAssignments.phoneNumber,
    })
    .from(seatAssignments)
    .innerJoin(members, holderOfSeat)
    .where(
      and(
        eq(seatAssignments.tenantId, tenantId),
        eq(seatAssignments.kind, "calling"),
        eq(seatAssignments.state, "active"),
        isNull(members.deletedAt),
      ),
    )
    .orderBy(asc(members.displayName))
    .limit(limit);
}

/**
 * A page of the live members for admins, by name: filtered by text, role and seat held; disabled people
 * only when asked (or when they still hold a seat). Answers the page and the count of all that match.
 */
export async function memberPage(
  db: Db,
  tenantId: string,
  query: {
    q?: string | undefined;
    includeDisabled: boolean;
    role?: string | undefined;
    seat?: "calling" | "sync" | "none" | undefined;
    offset: number;
    limit: number;
  },
) {
  const holds = (kind: "calling" | "sync") =>
    sql`exists (select 1 from ${seatAssignments} where ${seatAssignments.tenantId} = ${members.tenantId}
      and ${seatAssignments.userId} = ${members.userId} and ${seatAssignments.kind} = ${kind})`;
  const filters: (SQL | undefined)[] = [live(tenantId)];
  if (query.q) filters.push(memberMatches(query.q));
  if (!query.includeDisabled)
    filters.push(or(eq(members.accountEnabled, true), holds("calling"), holds("sync")));
  if (query.role) filters.push(sql`${query.role} = any(${members.roles})`);
  if (query.seat === "none") filters.push(sql`not ${holds("calling")} and not ${holds("sync")}`);
  else if (query.seat) filters.push(holds(query.seat));
  const where = and(...filters);
  const [total] = await db.select({ n: count() }).from(members).where(where);
  const page = await db
    .select({ ...personColumns, accountEnabled: members.accountEnabled, roles: members.roles })
    .from(members)
    .where(where)
    .orderBy(asc(sql`lower(${members.displayName})`), asc(members.userId))
    .offset(query.offset)
    .limit(query.limit);
  return { page, total: total?.n ?? 0 };
}
