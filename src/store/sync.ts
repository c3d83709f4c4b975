/**
 * The sync engine's own records on PostgreSQL / PGlite (`SyncStore`), with the in-memory twin's semantics:
 * every write of a state or a mapping is compare-and-set on `revision` (a single conditional statement, so
 * two replicas never both win), mappings are unique per scope on the Quorum id, the Graph id and the
 * transaction id (a write that would take a key another mapping holds answers that mapping), a mapping is
 * retired together with its tombstone in one transaction, and a conflict is recorded once.
 * Ids are compared and ordered byte-wise (`collate "C"`), as the engine does.
 */
import { and, asc, count, eq, inArray, isNotNull, isNull, lt, ne, or, type SQL, sql } from "drizzle-orm";
import type {
  ConflictRecord,
  ItemMapping,
  ItemSnapshot,
  Side,
  SyncResource,
  SyncScope,
  SyncState,
  TenantSyncSettings,
  Tombstone,
} from "../core/sync/model.ts";
import { defaultTenantSyncSettings, initialSyncState } from "../core/sync/model.ts";
import type { StoreWrite, SyncStore } from "../core/sync/ports.ts";
import type { Db } from "./db.ts";
import { syncConflicts, syncMappings, syncScopes, syncTenantSettings, syncTombstones } from "./schema.ts";
import { type Conn, pgErrorCode, UNIQUE_VIOLATION } from "./sql.ts";

type MappingRow = typeof syncMappings.$inferSelect;
type TombstoneRow = typeof syncTombstones.$inferSelect;
type ScopeRow = typeof syncScopes.$inferSelect;

/** The state document: everything but the scope's keys and the revision, which are columns. */
type StateDoc = Omit<SyncState, "tenantId" | "userId" | "resource" | "revision">;

const byteOrder = (column: SQL | typeof syncMappings.mappingId) => sql`${column} collate "C"`;
const at = (ms: number | null) => (ms === null ? null : new Date(ms));

function stateOf(row: ScopeRow): SyncState {
  return {
    ...(row.state as StateDoc),
    tenantId: row.tenantId,
    userId: row.userId,
    resource: row.resource as SyncResource,
    revision: row.revision,
  };
}

function stateColumns(s: SyncState, revision: number) {
  const { tenantId, userId, resource, revision: _revision, ...doc } = s;
  return {
    tenantId,
    userId,
    resource,
    status: s.status,
    subscriptionId: s.subscription?.id ?? null,
    retryAt: at(s.retryAt),
    state: doc satisfies StateDoc,
    revision,
    updatedAt: new Date(),
  };
}

function mappingOf(r: MappingRow): ItemMapping {
  return {
    tenantId: r.tenantId,
    userId: r.userId,
    resource: r.resource as SyncResource,
    id: r.mappingId,
    localId: r.localId,
    remoteId: r.remoteId,
    transactionId: r.transactionId,
    localVersion: r.localVersion,
    remoteChangeKey: r.remoteChangeKey,
    remoteContainerId: r.remoteContainerId,
    parentId: r.parentId,
    snapshot: (r.snapshot as ItemSnapshot | null) ?? null,
    syncedAt: r.syncedAt.getTime(),
    seenInPass: r.seenInPass,
    revision: r.revision,
  };
}

function mappingColumns(m: ItemMapping, revision: number): typeof syncMappings.$inferInsert {
  return {
    tenantId: m.tenantId,
    userId: m.userId,
    resource: m.resource,
    mappingId: m.id,
    localId: m.localId,
    remoteId: m.remoteId,
    transactionId: m.transactionId,
    localVersion: m.localVersion,
    remoteChangeKey: m.remoteChangeKey,
    remoteContainerId: m.remoteContainerId,
    parentId: m.parentId,
    snapshot: m.snapshot,
    syncedAt: new Date(m.syncedAt),
    seenInPass: m.seenInPass,
    revision,
  };
}

function tombstoneOf(r: TombstoneRow): Tombstone {
  return {
    tenantId: r.tenantId,
    userId: r.userId,
    resource: r.resource as SyncResource,
    localId: r.localId,
    remoteId: r.remoteId,
    localVersion: r.localVersion,
    deletedIn: r.deletedIn as Side,
    at: r.at.getTime(),
    snapshot: (r.snapshot as ItemSnapshot | null) ?? null,
  };
}

const mappingsOf = (s: SyncScope) =>
  and(
    eq(syncMappings.tenantId, s.tenantId),
    eq(syncMappings.userId, s.userId),
    eq(syncMappings.resource, s.resource),
  )!;
const tombstonesOf = (s: SyncScope) =>
  and(
    eq(syncTombstones.tenantId, s.tenantId),
    eq(syncTombstones.userId, s.userId),
    eq(syncTombstones.resource, s.resource),
  )!;
const scopeRow = (s: SyncScope) =>
  and(
    eq(syncScopes.tenantId, s.tenantId),
    eq(syncScopes.userId, s.userId),
    eq(syncScopes.resource, s.resource),
  )!;

/** The same conflict (mapping, losing version, winning version) has the same key. */
const dedupeKeyOf = (c: ConflictRecord) =>
  JSON.stringify([c.mappingId, c.losing.snapshot?.hash ?? null, c.winning.snapshot?.hash ?? null]);

export class DrizzleSyncStore implements SyncStore {
  constructor(private readonly db: Db) {}

  // ------------------------------------------------------------------------------------------ state

  async state(scope: SyncScope): Promise<SyncState> {
    const [row] = await this.db.select().from(syncScopes).where(scopeRow(scope));
    return row ? stateOf(row) : initialSyncState(scope);
  }

  async saveState(next: SyncState, expectedRevision: number): Promise<StoreWrite<SyncState>> {
    const columns = stateColumns(next, expectedRevision + 1);
    const [saved] =
      expectedRevision === 0
        ? await this.db.insert(syncScopes).values(columns).onConflictDoNothing().returning()
        : await this.db
            .update(syncScopes)
            .set(columns)
            .where(and(scopeRow(next), eq(syncScopes.revision, expectedRevision)))
            .returning();
    if (saved) return { ok: true, value: stateOf(saved) };
    return { ok: false, current: await this.state(next) };
  }

  async statesOf(tenantId: string, userId: string): Promise<SyncState[]> {
    const rows = await this.db
      .select()
      .from(syncScopes)
      .where(and(eq(syncScopes.tenantId, tenantId), eq(syncScopes.userId, userId)))
      .orderBy(asc(syncScopes.resource));
    return rows.map(stateOf);
  }

  async tenantSettings(tenantId: string): Promise<TenantSyncSettings> {
    const [row] = await this.db
      .select({ settings: syncTenantSettings.settings })
      .from(syncTenantSettings)
      .where(eq(syncTenantSettings.tenantId, tenantId));
    return row ? { ...(row.settings as TenantSyncSettings), tenantId } : defaultTenantSyncSettings(tenantId);
  }

  async saveTenantSettings(settings: TenantSyncSettings): Promise<void> {
    await this.db
      .insert(syncTenantSettings)
      .values({ tenantId: settings.tenantId, settings })
      .onConflictDoUpdate({
        target: syncTenantSettings.tenantId,
        set: { settings, updatedAt: new Date() },
      });
  }

  // ---------------------------------------------------------------------------------------- mappings

  async mapping(scope: SyncScope, id: string): Promise<ItemMapping | null> {
    return this.mappingWhere(this.db, scope, eq(syncMappings.mappingId, id));
  }

  private async mappingWhere(conn: Conn, scope: SyncScope, where: SQL): Promise<ItemMapping | null> {
    const [row] = await conn
      .select()
      .from(syncMappings)
      .where(and(mappingsOf(scope), where))
      .orderBy(byteOrder(syncMappings.mappingId))
      .limit(1);
    return row ? mappingOf(row) : null;
  }

  private async mappingsWhere(scope: SyncScope, where: SQL | undefined, limit?: number) {
    const query = this.db
      .select()
      .from(syncMappings)
      .where(and(mappingsOf(scope), where))
      .orderBy(byteOrder(syncMappings.mappingId));
    return (await (limit === undefined ? query : query.limit(limit))).map(mappingOf);
  }

  async mappingsByLocal(scope: SyncScope, localIds: readonly string[]): Promise<ItemMapping[]> {
    if (localIds.length === 0) return [];
    return this.mappingsWhere(scope, inArray(syncMappings.localId, [...new Set(localIds)]));
  }

  async mappingsByRemote(scope: SyncScope, remoteIds: readonly string[]): Promise<ItemMapping[]> {
    if (remoteIds.length === 0) return [];
    return this.mappingsWhere(scope, inArray(syncMappings.remoteId, [...new Set(remoteIds)]));
  }

  async mappingByTransaction(scope: SyncScope, transactionId: string): Promise<ItemMapping | null> {
    return this.mappingWhere(this.db, scope, eq(syncMappings.transactionId, transactionId));
  }

  async pendingCreates(scope: SyncScope): Promise<ItemMapping[]> {
    return this.mappingsWhere(scope, isNull(syncMappings.snapshot));
  }

  /** Another mapping of the scope holding one of this mapping's unique keys. */
  private async clashWith(m: ItemMapping): Promise<ItemMapping | null> {
    const keys = [eq(syncMappings.localId, m.localId)];
    if (m.remoteId !== null) keys.push(eq(syncMappings.remoteId, m.remoteId));
    if (m.transactionId !== null) keys.push(eq(syncMappings.transactionId, m.transactionId));
    return this.mappingWhere(this.db, m, and(ne(syncMappings.mappingId, m.id), or(...keys))!);
  }

  async saveMapping(mapping: ItemMapping, expectedRevision: number | null): Promise<StoreWrite<ItemMapping>> {
    const current = await this.mapping(mapping, mapping.id);
    if ((current?.revision ?? null) !== expectedRevision) return { ok: false, current };
    const clash = await this.clashWith(mapping);
    if (clash) return { ok: false, current: clash };
    const columns = mappingColumns(mapping, (expectedRevision ?? 0) + 1);
    let saved: MappingRow | undefined;
    try {
      [saved] =
        expectedRevision === null
          ? await this.db.insert(syncMappings).values(columns).onConflictDoNothing().returning()
          : await this.db
              .update(syncMappings)
              .set(columns)
              .where(
                and(
                  mappingsOf(mapping),
                  eq(syncMappings.mappingId, mapping.id),
                  eq(syncMappings.revision, expectedRevision),
                ),
              )
              .returning();
    } catch (error) {
      if (pgErrorCode(error) !== UNIQUE_VIOLATION) throw error;
    }
    if (saved) return { ok: true, value: mappingOf(saved) };
    // Someone wrote between the checks and the write: answer what they wrote.
    const now = await this.mapping(mapping, mapping.id);
    if ((now?.revision ?? null) !== expectedRevision) return { ok: false, current: now };
    return { ok: false, current: await this.clashWith(mapping) };
  }

  async retireMapping(
    mapping: ItemMapping,
    expectedRevision: number,
    tombstone: Tombstone | null,
  ): Promise<StoreWrite<null>> {
    return this.db.transaction(async (tx) => {
      const gone = await tx
        .delete(syncMappings)
        .where(
          and(
            mappingsOf(mapping),
            eq(syncMappings.mappingId, mapping.id),
            eq(syncMappings.revision, expectedRevision),
          ),
        )
        .returning({ id: syncMappings.mappingId });
      if (gone.length === 0) return { ok: false, current: null };
      if (tombstone) await this.insertTombstone(tx, tombstone);
      return { ok: true, value: null };
    });
  }

  async unlinkContainer(scope: SyncScope, containerId: string): Promise<number> {
    const gone = await this.db
      .delete(syncMappings)
      .where(and(mappingsOf(scope), eq(syncMappings.remoteContainerId, containerId)))
      .returning({ id: syncMappings.mappingId });
    return gone.length;
  }

  async countRoots(scope: SyncScope): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(syncMappings)
      .where(and(mappingsOf(scope), isNull(syncMappings.parentId), isNotNull(syncMappings.snapshot)));
    return row?.n ?? 0;
  }

  async markSeen(scope: SyncScope, pass: string, remoteIds: readonly string[]): Promise<void> {
    if (remoteIds.length === 0) return;
    await this.db
      .update(syncMappings)
      .set({ seenInPass: pass })
      .where(and(mappingsOf(scope), inArray(syncMappings.remoteId, [...new Set(remoteIds)])));
  }

  async unseen(
    scope: SyncScope,
    pass: string,
    afterId: string | null,
    limit: number,
  ): Promise<ItemMapping[]> {
    return this.mappingsWhere(
      scope,
      and(
        isNotNull(syncMappings.snapshot),
        sql`${syncMappings.seenInPass} is distinct from ${pass}`,
        afterId === null ? undefined : sql`${byteOrder(syncMappings.mappingId)} > ${afterId}`,
      ),
      limit,
    );
  }

  // -------------------------------------------------------------------------------------- tombstones

  async tombstonesByRemote(scope: SyncScope, remoteIds: readonly string[]): Promise<Tombstone[]> {
    if (remoteIds.length === 0) return [];
    return this.tombstonesWhere(scope, inArray(syncTombstones.remoteId, [...new Set(remoteIds)]));
  }

  async tombstonesByLocal(scope: SyncScope, localIds: readonly string[]): Promise<Tombstone[]> {
    if (localIds.length === 0) return [];
    return this.tombstonesWhere(scope, inArray(syncTombstones.localId, [...new Set(localIds)]));
  }

  private async tombstonesWhere(scope: SyncScope, where: SQL): Promise<Tombstone[]> {
    const rows = await this.db
      .select()
      .from(syncTombstones)
      .where(and(tombstonesOf(scope), where))
      .orderBy(asc(syncTombstones.tombstoneId));
    return rows.map(tombstoneOf);
  }

  async putTombstone(tombstone: Tombstone): Promise<void> {
    await this.db.transaction((tx) => this.insertTombstone(tx, tombstone));
  }

  /** Replaces the tombstones of the same Graph id or the same Quorum id: one per item. */
  private async insertTombstone(conn: Conn, t: Tombstone): Promise<void> {
    const same = [
      t.remoteId === null ? undefined : eq(syncTombstones.remoteId, t.remoteId),
      t.localId === null ? undefined : eq(syncTombstones.localId, t.localId),
    ].filter((x) => x !== undefined);
    if (same.length > 0) await conn.delete(syncTombstones).where(and(tombstonesOf(t), or(...same)));
    await conn.insert(syncTombstones).values({
      tenantId: t.tenantId,
      userId: t.userId,
      resource: t.resource,
      localId: t.localId,
      remoteId: t.remoteId,
      localVersion: t.localVersion,
      deletedIn: t.deletedIn,
      at: new Date(t.at),
      snapshot: t.snapshot,
    });
  }

  async pruneTombstones(before: number): Promise<number> {
    const gone = await this.db
      .delete(syncTombstones)
      .where(lt(syncTombstones.at, new Date(before)))
      .returning({ id: syncTombstones.tombstoneId });
    return gone.length;
  }

  // --------------------------------------------------------------------------------------- conflicts

  async recordConflict(record: ConflictRecord): Promise<void> {
    await this.db
      .insert(syncConflicts)
      .values({
        tenantId: record.tenantId,
        userId: record.userId,
        resource: record.resource,
        dedupeKey: dedupeKeyOf(record),
        mappingId: record.mappingId,
        at: new Date(record.at),
        record,
      })
      .onConflictDoNothing();
  }

  async conflicts(scope: SyncScope): Promise<ConflictRecord[]> {
    const rows = await this.db
      .select({ record: syncConflicts.record })
      .from(syncConflicts)
      .where(
        and(
          eq(syncConflicts.tenantId, scope.tenantId),
          eq(syncConflicts.userId, scope.userId),
          eq(syncConflicts.resource, scope.resource),
        ),
      )
      .orderBy(asc(syncConflicts.conflictId));
    return rows.map((r) => r.record as ConflictRecord);
  }
}
