/**
 * In-memory LocalItems: Quorum's side of a resource, with the real one's semantics. Every write bumps a
 * version (compare-and-set), every change gets a sequence number the change feed reads after a cursor
 * (the latest state of each item, deletions included), creates from Microsoft's side are idempotent on
 * the Graph id, and each item keeps its history. The `quorum*` methods are what people do in Quorum; a
 * crash can be injected after a number of sync writes.
 */
import type { Clock } from "../clock.ts";
import { type ItemFields, itemSpan, type SyncChunk, type SyncScope, scopeKey } from "./model.ts";
import type {
  LocalChangePage,
  LocalHistoryEntry,
  LocalItem,
  LocalItems,
  LocalWrite,
  SyncNote,
} from "./ports.ts";

interface Row {
  item: LocalItem;
  deleted: boolean;
  deletedAt: number;
  seq: number;
}

const clone = <T>(x: T): T => structuredClone(x);

export class MemoryLocalItems implements LocalItems {
  private readonly scopes = new Map<string, Map<string, Row>>();
  private readonly notes = new Map<string, LocalHistoryEntry[]>();
  private seq = 0;
  private versions = 0;
  private ids = 0;
  private crashIn: number | null = null;
  /** Writes sync made (create, update, delete). */
  writes = 0;

  constructor(private readonly clock: Clock) {}

  private rows(scope: SyncScope): Map<string, Row> {
    const k = scopeKey(scope);
    let rows = this.scopes.get(k);
    if (!rows) {
      rows = new Map();
      this.scopes.set(k, rows);
    }
    return rows;
  }

  private put(scope: SyncScope, item: LocalItem, deleted = false) {
    this.rows(scope).set(item.localId, {
      item: clone(item),
      deleted,
      deletedAt: this.clock.now(),
      seq: ++this.seq,
    });
  }

  private nextVersion = () => `v${++this.versions}`;

  /** The next `n` sync writes succeed, the one after throws (a process dying mid-round). */
  crashAfterWrites(n: number | null) {
    this.crashIn = n;
  }

  private syncWrite() {
    if (this.crashIn !== null) {
      if (this.crashIn <= 0) {
        this.crashIn = null;
        throw new Error("injected crash in Quorum's store");
      }
      this.crashIn--;
    }
    this.writes++;
  }

  private log(scope: SyncScope, localId: string, note: SyncNote) {
    const k = `${scopeKey(scope)}\u0000${localId}`;
    this.notes.set(k, [...(this.notes.get(k) ?? []), { localId, note: clone(note) }]);
  }

  async head(_scope: SyncScope): Promise<string> {
    return String(this.seq);
  }

  async changes(scope: SyncScope, cursor: string | null, limit: number): Promise<LocalChangePage> {
    const after = cursor === null ? 0 : Number(cursor);
    const rows = [...this.rows(scope).values()].filter((r) => r.seq > after).sort((a, b) => a.seq - b.seq);
    const page = rows.slice(0, limit);
    return {
      changes: page.map((r) =>
        r.deleted
          ? { kind: "deleted", localId: r.item.localId, at: r.deletedAt }
          : { kind: "upsert", item: clone(r.item) },
      ),
      cursor: String(page.length > 0 ? page[page.length - 1]!.seq : Math.max(after, this.seq)),
      more: rows.length > limit,
    };
  }

  async list(scope: SyncScope, chunk: SyncChunk, pageToken: string | null, limit: number) {
    const live = [...this.rows(scope).values()]
      .filter((r) => !r.deleted)
      .map((r) => r.item)
      .filter((item) => {
        const span = itemSpan(item.fields);
        if (!span || chunk.from === null || chunk.to === null) return true;
        return span.start < chunk.to && span.end > chunk.from;
      })
      .sort((a, b) => (a.localId < b.localId ? -1 : 1));
    const start = pageToken === null ? 0 : Number(pageToken);
    const items = live.slice(start, start + limit).map(clone);
    return { items, nextPageToken: start + limit < live.length ? String(start + limit) : null };
  }

  async get(scope: SyncScope, localId: string): Promise<LocalItem | null> {
    const row = this.rows(scope).get(localId);
    return row && !row.deleted ? clone(row.item) : null;
  }

  async findCounterparts(scope: SyncScope, remoteIds: readonly string[], transactionIds: readonly string[]) {
    const ids = new Set(remoteIds);
    const txs = new Set(transactionIds);
    return [...this.rows(scope).values()]
      .filter((r) => !r.deleted)
      .map((r) => r.item)
      .filter(
        (i) =>
          (i.remoteId !== null && ids.has(i.remoteId)) ||
          (i.transactionId !== null && txs.has(i.transactionId)),
      )
      .map(clone);
  }

  async create(
    scope: SyncScope,
    input: { fields: ItemFields; parentLocalId: string | null; remoteId: string; note: SyncNote },
  ): Promise<LocalItem> {
    const existing = [...this.rows(scope).values()].find(
      (r) => !r.deleted && r.item.remoteId === input.remoteId,
    );
    if (existing) return clone(existing.item);
    this.syncWrite();
    const item: LocalItem = {
      localId: `q-${scope.resource}-${++this.ids}`,
      version: this.nextVersion(),
      fields: clone(input.fields),
      modifiedAt: this.clock.now(),
      parentLocalId: input.parentLocalId,
      remoteId: input.remoteId,
      transactionId: null,
    };
    this.put(scope, item);
    this.log(scope, item.localId, input.note);
    return clone(item);
  }

  async update(
    scope: SyncScope,
    localId: string,
    expectedVersion: string,
    fields: ItemFields,
    note: SyncNote,
  ): Promise<LocalWrite<LocalItem>> {
    const row = this.rows(scope).get(localId);
    if (!row || row.deleted) return { ok: false, failure: "not-found" };
    if (row.item.version !== expectedVersion) return { ok: false, failure: "conflict" };
    this.syncWrite();
    const item = {
      ...row.item,
      fields: clone(fields),
      version: this.nextVersion(),
      modifiedAt: this.clock.now(),
    };
    this.put(scope, item);
    this.log(scope, localId, note);
    return { ok: true, value: clone(item) };
  }

  async delete(
    scope: SyncScope,
    localId: string,
    expectedVersion: string,
    note: SyncNote,
  ): Promise<LocalWrite<null>> {
    const row = this.rows(scope).get(localId);
    if (!row || row.deleted) return { ok: false, failure: "not-found" };
    if (row.item.version !== expectedVersion) return { ok: false, failure: "conflict" };
    this.syncWrite();
    this.put(scope, { ...row.item, version: this.nextVersion() }, true);
    this.log(scope, localId, note);
    return { ok: true, value: null };
  }

  async annotate(scope: SyncScope, localId: string, note: SyncNote): Promise<void> {
    this.log(scope, localId, note);
  }

  async history(scope: SyncScope, localId: string): Promise<LocalHistoryEntry[]> {
    return clone(this.notes.get(`${scopeKey(scope)}\u0000${localId}`) ?? []);
  }

  // ------------------------------------------------------------------- what people do in Quorum

  /** A person creates an item in Quorum (a booking carries the event id and transaction id it has). */
  quorumCreate(
    scope: SyncScope,
    fields: ItemFields,
    options: { remoteId?: string | null; transactionId?: string | null; parentLocalId?: string | null } = {},
  ): LocalItem {
    const item: LocalItem = {
      localId: `q-${scope.resource}-${++this.ids}`,
      version: this.nextVersion(),
      fields: clone(fields),
      modifiedAt: this.clock.now(),
      parentLocalId: options.parentLocalId ?? null,
      remoteId: options.remoteId ?? null,
      transactionId: options.transactionId ?? null,
    };
    this.put(scope, item);
    return clone(item);
  }

  quorumUpdate(scope: SyncScope, localId: string, patch: Partial<ItemFields>): LocalItem {
    const row = this.rows(scope).get(localId);
    if (!row || row.deleted) throw new Error(`no Quorum item ${localId}`);
    const item = {
      ...row.item,
      fields: { ...row.item.fields, ...clone(patch) } as ItemFields,
      version: this.nextVersion(),
      modifiedAt: this.clock.now(),
    };
    this.put(scope, item);
    return clone(item);
  }

  quorumDelete(scope: SyncScope, localId: string): void {
    const row = this.rows(scope).get(localId);
    if (!row || row.deleted) throw new Error(`no Quorum item ${localId}`);
    this.put(scope, { ...row.item, version: this.nextVersion() }, true);
  }

  /** Live items of the scope, by id. */
  items(scope: SyncScope): LocalItem[] {
    return [...this.rows(scope).values()]
      .filter((r) => !r.deleted)
      .map((r) => clone(r.item))
      .sort((a, b) => (a.localId < b.localId ? -1 : 1));
  }
}
