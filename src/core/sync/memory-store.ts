/**
 * In-memory SyncStore and SyncAccess with the real ones' semantics: compare-and-set on revisions, unique
 * mappings per scope on Quorum id, Graph id and transaction id, a mapping retired together with its
 * tombstone, conflicts kept once. Rows are copied in and out, so callers never share mutable state.
 */
import {
  type ConflictRecord,
  defaultTenantSyncSettings,
  type ItemMapping,
  initialSyncState,
  type SyncScope,
  type SyncState,
  scopeKey,
  type TenantSyncSettings,
  type Tombstone,
} from "./model.ts";
import type { StoreWrite, SyncAccess, SyncAccessVerdict, SyncStore } from "./ports.ts";

const clone = <T>(x: T): T => structuredClone(x);

export class MemorySyncStore implements SyncStore {
  private readonly states = new Map<string, SyncState>();
  private readonly tenants = new Map<string, TenantSyncSettings>();
  private readonly mappings = new Map<string, Map<string, ItemMapping>>();
  private readonly tombstones = new Map<string, Tombstone[]>();
  private readonly conflictLog = new Map<string, ConflictRecord[]>();

  private rows(scope: SyncScope): Map<string, ItemMapping> {
    const k = scopeKey(scope);
    let rows = this.mappings.get(k);
    if (!rows) {
      rows = new Map();
      this.mappings.set(k, rows);
    }
    return rows;
  }

  async state(scope: SyncScope): Promise<SyncState> {
    return clone(this.states.get(scopeKey(scope)) ?? initialSyncState(scope));
  }

  async saveState(next: SyncState, expectedRevision: number): Promise<StoreWrite<SyncState>> {
    const k = scopeKey(next);
    const current = this.states.get(k) ?? initialSyncState(next);
    if (current.revision !== expectedRevision) return { ok: false, current: clone(current) };
    const saved = { ...clone(next), revision: expectedRevision + 1 };
    this.states.set(k, saved);
    return { ok: true, value: clone(saved) };
  }

  async statesOf(tenantId: string, userId: string): Promise<SyncState[]> {
    return [...this.states.values()].filter((s) => s.tenantId === tenantId && s.userId === userId).map(clone);
  }

  async tenantSettings(tenantId: string): Promise<TenantSyncSettings> {
    return clone(this.tenants.get(tenantId) ?? defaultTenantSyncSettings(tenantId));
  }

  async saveTenantSettings(settings: TenantSyncSettings): Promise<void> {
    this.tenants.set(settings.tenantId, clone(settings));
  }

  async mapping(scope: SyncScope, id: string): Promise<ItemMapping | null> {
    const m = this.rows(scope).get(id);
    return m ? clone(m) : null;
  }

  async mappingsByLocal(scope: SyncScope, localIds: readonly string[]): Promise<ItemMapping[]> {
    const wanted = new Set(localIds);
    return [...this.rows(scope).values()].filter((m) => wanted.has(m.localId)).map(clone);
  }

  async mappingsByRemote(scope: SyncScope, remoteIds: readonly string[]): Promise<ItemMapping[]> {
    const wanted = new Set(remoteIds);
    return [...this.rows(scope).values()]
      .filter((m) => m.remoteId !== null && wanted.has(m.remoteId))
      .map(clone);
  }

  async mappingByTransaction(scope: SyncScope, transactionId: string): Promise<ItemMapping | null> {
    const m = [...this.rows(scope).values()].find((x) => x.transactionId === transactionId);
    return m ? clone(m) : null;
  }

  async pendingCreates(scope: SyncScope): Promise<ItemMapping[]> {
    return [...this.rows(scope).values()].filter((m) => m.snapshot === null).map(clone);
  }

  async saveMapping(mapping: ItemMapping, expectedRevision: number | null): Promise<StoreWrite<ItemMapping>> {
    const rows = this.rows(mapping);
    const current = rows.get(mapping.id) ?? null;
    if ((current?.revision ?? null) !== expectedRevision)
      return { ok: false, current: current && clone(current) };
    for (const other of rows.values()) {
      if (other.id === mapping.id) continue;
      const clash =
        other.localId === mapping.localId ||
        (mapping.remoteId !== null && other.remoteId === mapping.remoteId) ||
        (mapping.transactionId !== null && other.transactionId === mapping.transactionId);
      if (clash) return { ok: false, current: clone(other) };
    }
    const saved = { ...clone(mapping), revision: (expectedRevision ?? 0) + 1 };
    rows.set(mapping.id, saved);
    return { ok: true, value: clone(saved) };
  }

  async retireMapping(
    mapping: ItemMapping,
    expectedRevision: number,
    tombstone: Tombstone | null,
  ): Promise<StoreWrite<null>> {
    const rows = this.rows(mapping);
    const current = rows.get(mapping.id);
    if (!current || current.revision !== expectedRevision) return { ok: false, current: null };
    rows.delete(mapping.id);
    if (tombstone) await this.putTombstone(tombstone);
    return { ok: true, value: null };
  }

  async unlinkContainer(scope: SyncScope, containerId: string): Promise<number> {
    const rows = this.rows(scope);
    let n = 0;
    for (const [id, m] of rows)
      if (m.remoteContainerId === containerId) {
        rows.delete(id);
        n++;
      }
    return n;
  }

  async countRoots(scope: SyncScope): Promise<number> {
    return [...this.rows(scope).values()].filter((m) => m.parentId === null && m.snapshot !== null).length;
  }

  async markSeen(scope: SyncScope, pass: string, remoteIds: readonly string[]): Promise<void> {
    const wanted = new Set(remoteIds);
    const rows = this.rows(scope);
    for (const [id, m] of rows)
      if (m.remoteId !== null && wanted.has(m.remoteId)) rows.set(id, { ...m, seenInPass: pass });
  }

  async unseen(
    scope: SyncScope,
    pass: string,
    afterId: string | null,
    limit: number,
  ): Promise<ItemMapping[]> {
    return [...this.rows(scope).values()]
      .filter((m) => m.snapshot !== null && m.seenInPass !== pass && (afterId === null || m.id > afterId))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map(clone);
  }

  private tombs(scope: SyncScope): Tombstone[] {
    const k = scopeKey(scope);
    let list = this.tombstones.get(k);
    if (!list) {
      list = [];
      this.tombstones.set(k, list);
    }
    return list;
  }

  async tombstonesByRemote(scope: SyncScope, remoteIds: readonly string[]): Promise<Tombstone[]> {
    const wanted = new Set(remoteIds);
    return this.tombs(scope)
      .filter((t) => t.remoteId !== null && wanted.has(t.remoteId))
      .map(clone);
  }

  async tombstonesByLocal(scope: SyncScope, localIds: readonly string[]): Promise<Tombstone[]> {
    const wanted = new Set(localIds);
    return this.tombs(scope)
      .filter((t) => t.localId !== null && wanted.has(t.localId))
      .map(clone);
  }

  async putTombstone(tombstone: Tombstone): Promise<void> {
    const list = this.tombs(tombstone);
    const same = (t: Tombstone) =>
      (tombstone.remoteId !== null && t.remoteId === tombstone.remoteId) ||
      (tombstone.localId !== null && t.localId === tombstone.localId);
    this.tombstones.set(scopeKey(tombstone), [...list.filter((t) => !same(t)), clone(tombstone)]);
  }

  async pruneTombstones(before: number): Promise<number> {
    let n = 0;
    for (const [k, list] of this.tombstones) {
      const kept = list.filter((t) => t.at >= before);
      n += list.length - kept.length;
      this.tombstones.set(k, kept);
    }
    return n;
  }

  async recordConflict(record: ConflictRecord): Promise<void> {
    const k = scopeKey(record);
    const list = this.conflictLog.get(k) ?? [];
    const same = list.some(
      (c) =>
        c.mappingId === record.mappingId &&
        c.losing.snapshot?.hash === record.losing.snapshot?.hash &&
        c.winning.snapshot?.hash === record.winning.snapshot?.hash,
    );
    if (!same) list.push(clone(record));
    this.conflictLog.set(k, list);
  }

  async conflicts(scope: SyncScope): Promise<ConflictRecord[]> {
    return (this.conflictLog.get(scopeKey(scope)) ?? []).map(clone);
  }
}

/** Seats and consent as sync sees them; tests take them away and give them back. */
export class MemorySyncAccess implements SyncAccess {
  private readonly seatless = new Set<string>();
  private readonly withoutConsent = new Set<string>();

  async check(tenantId: string, userId: string): Promise<SyncAccessVerdict> {
    if (this.withoutConsent.has(tenantId)) return "consent-missing";
    if (this.seatless.has(`${tenantId}\u0000${userId}`)) return "seat-missing";
    return "allowed";
  }

  setSeat(tenantId: string, userId: string, held: boolean) {
    const k = `${tenantId}\u0000${userId}`;
    if (held) this.seatless.delete(k);
    else this.seatless.add(k);
  }

  setConsent(tenantId: string, granted: boolean) {
    if (granted) this.withoutConsent.delete(tenantId);
    else this.withoutConsent.add(tenantId);
  }
}
