/**
 * In-memory RemoteItems that behaves like Graph: every write gives a new changeKey, If-Match against a
 * stale changeKey answers precondition-failed, a transaction id never creates a second item, recurring
 * series are expanded into occurrences (masters are read with `get`, as calendarView never lists them),
 * an edited occurrence becomes an exception with the same id and a cancelled one disappears, delta rounds
 * page by id with `@removed` entries (items deleted or moved out of the window), and tokens can be expired.
 * Faults on demand: throttling, duplicated and stale deliveries, a mailbox emptied or unavailable, creates
 * that time out after committing, a crash after a number of writes. `outlook*` methods are what a person
 * does in Outlook; `counts` tells how many Graph requests sync made.
 */
import type { Clock } from "../clock.ts";
import { clone, MemoryMailboxes, overlaps } from "./memory-mailbox.ts";
import type { ItemFields, SyncChunk, SyncScope, SyncWindow } from "./model.ts";
import type {
  CreateInput,
  DeltaPage,
  ListPage,
  RemoteChange,
  RemoteFailure,
  RemoteItem,
  RemoteItems,
  RemoteResult,
} from "./ports.ts";

type RequestKind =
  | "delta"
  | "list"
  | "get"
  | "find"
  | "create"
  | "update"
  | "delete"
  | "container"
  | "subscription";

interface DeltaToken {
  epoch: number;
  base: number;
  high: number | null;
  after: string | null;
  window: SyncWindow | null;
}

const DAY = 24 * 60 * 60_000;
const ok = <T>(value: T): RemoteResult<T> => ({ ok: true, value });
const fail = <T>(failure: RemoteFailure): RemoteResult<T> => ({ ok: false, failure });

export class MemoryRemoteItems implements RemoteItems {
  private readonly mail: MemoryMailboxes;
  private throttled: { left: number; retryAfterMs: number } | null = null;
  private duplicates = false;
  private createTimeouts = 0;
  private containerTimeouts = 0;
  private crashIn: number | null = null;
  private beforeWrite: (() => void) | null = null;
  private requests: Record<RequestKind, number> = this.zero();
  /** Items per delta or list page. */
  pageSize = 50;

  constructor(private readonly clock: Clock) {
    this.mail = new MemoryMailboxes(clock);
  }

  private zero(): Record<RequestKind, number> {
    return {
      delta: 0,
      list: 0,
      get: 0,
      find: 0,
      create: 0,
      update: 0,
      delete: 0,
      container: 0,
      subscription: 0,
    };
  }

  /** Counts the request and answers a fault when one is due. */
  private enter(scope: { tenantId: string; userId: string }, kind: RequestKind): RemoteFailure | null {
    this.requests[kind]++;
    if (this.throttled && this.throttled.left > 0) {
      this.throttled.left--;
      return { kind: "throttled", retryAfterMs: this.throttled.retryAfterMs };
    }
    return this.mail.box(scope).unavailable;
  }

  /** A person's edit due before this write (see `beforeNextWrite`). */
  private interleave() {
    const edit = this.beforeWrite;
    this.beforeWrite = null;
    edit?.();
  }

  private write() {
    if (this.crashIn === null) return;
    if (this.crashIn <= 0) {
      this.crashIn = null;
      throw new Error("injected crash while writing to Microsoft 365");
    }
    this.crashIn--;
  }

  // ------------------------------------------------------------------------------------ RemoteItems

  async beginTracking(scope: SyncScope, window: SyncWindow | null): Promise<RemoteResult<string>> {
    const f = this.enter(scope, "delta");
    if (f) return fail(f);
    const feed = this.mail.feed(scope);
    return ok(
      JSON.stringify({
        epoch: feed.epoch,
        base: feed.seq,
        high: null,
        after: null,
        window,
      } satisfies DeltaToken),
    );
  }

  async delta(scope: SyncScope, token: string): Promise<RemoteResult<DeltaPage>> {
    const f = this.enter(scope, "delta");
    if (f) return fail(f);
    const feed = this.mail.feed(scope);
    const t = JSON.parse(token) as DeltaToken;
    if (feed.expireAfterPages !== null && feed.expireAfterPages-- <= 0) {
      feed.expireAfterPages = null;
      feed.epoch++;
    }
    if (t.epoch !== feed.epoch) return fail({ kind: "token-expired" });
    const high = t.high ?? feed.seq;
    const touched = [...[...feed.view].map(([id, v]) => [id, v.seq] as const), ...[...feed.gone]].filter(
      ([id, seq]) => seq > t.base && seq <= high && (t.after === null || id > t.after),
    );
    touched.sort(([a], [b]) => (a < b ? -1 : 1));
    const page = touched.slice(0, this.pageSize);
    let changes: RemoteChange[] = page.map(([id]) => {
      const v = feed.view.get(id);
      return v && overlaps(v.item.fields, t.window?.from ?? null, t.window?.to ?? null)
        ? { kind: "upsert", item: clone(v.item) }
        : { kind: "removed", id };
    });
    if (t.after === null && feed.replays.length > 0) {
      changes = [...feed.replays, ...changes];
      feed.replays = [];
    }
    if (this.duplicates) changes = changes.flatMap((c) => [c, c]);
    const more = touched.length > page.length;
    const next: DeltaToken = more
      ? { ...t, high, after: page[page.length - 1]![0] }
      : { epoch: t.epoch, base: high, high: null, after: null, window: t.window };
    return ok({
      changes,
      nextPageToken: more ? JSON.stringify(next) : null,
      deltaToken: more ? null : JSON.stringify(next),
    });
  }

  async list(scope: SyncScope, chunk: SyncChunk, pageToken: string | null): Promise<RemoteResult<ListPage>> {
    const f = this.enter(scope, "list");
    if (f) return fail(f);
    const all = [...this.mail.feed(scope).view.values()]
      .map((v) => v.item)
      .filter((i) => overlaps(i.fields, chunk.from, chunk.to))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const start = pageToken === null ? 0 : Number(pageToken);
    const end = start + this.pageSize;
    return ok({
      items: all.slice(start, end).map(clone),
      nextPageToken: end < all.length ? String(end) : null,
    });
  }

  async get(scope: SyncScope, id: string): Promise<RemoteResult<RemoteItem>> {
    const f = this.enter(scope, "get");
    if (f) return fail(f);
    const item = this.mail.current(scope, id);
    return item ? ok(item) : fail({ kind: "not-found" });
  }

  async findByTransactionId(
    scope: SyncScope,
    transactionId: string,
  ): Promise<RemoteResult<RemoteItem | null>> {
    const f = this.enter(scope, "find");
    if (f) return fail(f);
    const s = [...this.mail.stored(scope).values()].find((x) => x.transactionId === transactionId);
    return ok(s ? this.mail.itemOf(s) : null);
  }

  async create(scope: SyncScope, input: CreateInput): Promise<RemoteResult<RemoteItem>> {
    const f = this.enter(scope, "create");
    if (f) return fail(f);
    this.interleave();
    const same = [...this.mail.stored(scope).values()].find((x) => x.transactionId === input.transactionId);
    if (same) return ok(this.mail.itemOf(same));
    this.write();
    const item = this.mail.insert(scope, input);
    if (this.createTimeouts > 0) {
      this.createTimeouts--;
      return fail({ kind: "unavailable", status: 504, graphCode: "GatewayTimeout" });
    }
    return ok(item);
  }

  /**
   * What a write with If-Match goes through before it applies: injected faults, another writer getting in
   * first, the item's existence and its change key. Null when the write may apply.
   */
  private conditionalWrite(
    scope: SyncScope,
    kind: "update" | "delete",
    id: string,
    ifMatch: string,
  ): RemoteFailure | null {
    const f = this.enter(scope, kind);
    if (f) return f;
    this.interleave();
    const item = this.mail.current(scope, id);
    if (!item) return { kind: "not-found" };
    if (item.changeKey !== ifMatch) return { kind: "precondition-failed" };
    this.write();
    return null;
  }

  async update(
    scope: SyncScope,
    id: string,
    ifMatch: string,
    fields: ItemFields,
  ): Promise<RemoteResult<RemoteItem>> {
    const f = this.conditionalWrite(scope, "update", id, ifMatch);
    if (f) return fail(f);
    return ok(this.mail.apply(scope, id, fields)!);
  }

  async delete(scope: SyncScope, id: string, ifMatch: string): Promise<RemoteResult<null>> {
    const f = this.conditionalWrite(scope, "delete", id, ifMatch);
    if (f) return fail(f);
    this.mail.apply(scope, id, null);
    return ok(null);
  }

  async findContainer(scope: SyncScope, name: string): Promise<RemoteResult<string | null>> {
    const f = this.enter(scope, "container");
    if (f) return fail(f);
    const hit = [...this.mail.box(scope).containers].find(
      ([, c]) => c.resource === scope.resource && c.name === name,
    );
    return ok(hit ? hit[0] : null);
  }

  async createContainer(scope: SyncScope, name: string): Promise<RemoteResult<string>> {
    const f = this.enter(scope, "container");
    if (f) return fail(f);
    const b = this.mail.box(scope);
    if ([...b.containers.values()].some((c) => c.resource === scope.resource && c.name === name))
      return fail({ kind: "already-exists" });
    const id = `${scope.userId}-${scope.resource}-container-${this.mail.next()}`;
    b.containers.set(id, { resource: scope.resource, name });
    if (this.containerTimeouts > 0) {
      this.containerTimeouts--;
      return fail({ kind: "unavailable", status: 500, graphCode: "ErrorInternalServerError" });
    }
    return ok(id);
  }

  async deleteContainer(scope: SyncScope, containerId: string): Promise<RemoteResult<null>> {
    const f = this.enter(scope, "container");
    if (f) return fail(f);
    const b = this.mail.box(scope);
    if (!b.containers.delete(containerId)) return fail({ kind: "not-found" });
    const items = this.mail.stored(scope);
    for (const [id, s] of items) if (s.containerId === containerId) items.delete(id);
    this.mail.refresh(scope);
    return ok(null);
  }

  async subscribe(scope: SyncScope): Promise<RemoteResult<{ id: string; expiresAt: number }>> {
    const f = this.enter(scope, "subscription");
    if (f) return fail(f);
    const id = `sub-${this.mail.next()}`;
    const expiresAt = this.clock.now() + 3 * DAY;
    this.mail.box(scope).subscriptions.set(id, { resource: scope.resource, expiresAt });
    return ok({ id, expiresAt });
  }

  async unsubscribe(scope: SyncScope, subscriptionId: string): Promise<RemoteResult<null>> {
    const f = this.enter(scope, "subscription");
    if (f) return fail(f);
    return this.mail.box(scope).subscriptions.delete(subscriptionId) ? ok(null) : fail({ kind: "not-found" });
  }

  // ------------------------------------------------------------------- what a person does in Outlook

  /** Creates an item in the mailbox (a booking's event carries the transaction id Quorum gave it). */
  outlookCreate(
    scope: SyncScope,
    fields: ItemFields,
    options: { containerId?: string; transactionId?: string } = {},
  ): RemoteItem {
    return this.mail.insert(scope, {
      containerId: options.containerId ?? null,
      transactionId: options.transactionId ?? null,
      fields,
    });
  }

  /** Edits an item (an occurrence becomes an exception of its series). */
  outlookUpdate(scope: SyncScope, id: string, patch: Partial<ItemFields>): RemoteItem {
    const item = this.mail.current(scope, id);
    if (!item) throw new Error(`no Outlook item ${id}`);
    return this.mail.apply(scope, id, { ...item.fields, ...clone(patch) } as ItemFields)!;
  }

  /** Deletes an item (an occurrence: cancels it in its series). */
  outlookDelete(scope: SyncScope, id: string): void {
    if (!this.mail.current(scope, id)) throw new Error(`no Outlook item ${id}`);
    this.mail.apply(scope, id, null);
  }

  /** What a calendar view shows: singles, occurrences and exceptions (not masters), by id. */
  outlookItems(scope: SyncScope): RemoteItem[] {
    return [...this.mail.feed(scope).view.values()]
      .map((v) => clone(v.item))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  outlookItem(scope: SyncScope, id: string): RemoteItem | null {
    return this.mail.current(scope, id);
  }

  containersOf(scope: SyncScope): { id: string; name: string }[] {
    return [...this.mail.box(scope).containers]
      .filter(([, c]) => c.resource === scope.resource)
      .map(([id, c]) => ({ id, name: c.name }));
  }

  subscriptionsOf(scope: SyncScope): string[] {
    return [...this.mail.box(scope).subscriptions]
      .filter(([, s]) => s.resource === scope.resource)
      .map(([id]) => id);
  }

  // --------------------------------------------------------------------------------------- faults

  /** The next `requests` requests (any mailbox) answer 429 with Retry-After. */
  throttle(requests: number, retryAfterMs: number) {
    this.throttled = { left: requests, retryAfterMs };
  }

  expireDeltaTokens(scope: SyncScope) {
    this.mail.feed(scope).epoch++;
  }

  /** The delta token expires after `pages` more delta pages (mid-round). */
  expireDeltaTokensAfterPages(scope: SyncScope, pages: number) {
    this.mail.feed(scope).expireAfterPages = pages;
  }

  /** The next delta round delivers again the state an item had before its latest change. */
  replayStale(scope: SyncScope, id: string) {
    const past = this.mail.feed(scope).past.get(id);
    if (!past) throw new Error(`nothing to replay for ${id}`);
    this.mail.feed(scope).replays.push({ kind: "upsert", item: clone(past) });
  }

  /** The next delta round delivers `@removed` for an id again. */
  replayRemoved(scope: SyncScope, id: string) {
    this.mail.feed(scope).replays.push({ kind: "removed", id });
  }

  /**
   * Runs `edit` when sync's next write arrives, before its If-Match is checked: a person saving in Outlook
   * between sync's read and its write.
   */
  beforeNextWrite(edit: () => void) {
    this.beforeWrite = edit;
  }

  /** Every delta page lists each of its changes twice. */
  duplicateDeliveries(on: boolean) {
    this.duplicates = on;
  }

  /** Everything in the user's mailbox is gone (every resource, every container). */
  emptyMailbox(tenantId: string, userId: string) {
    const b = this.mail.box({ tenantId, userId });
    for (const resource of b.items.keys()) {
      b.items.get(resource)!.clear();
      this.mail.refresh({ tenantId, userId, resource });
    }
  }

  setMailboxUnavailable(tenantId: string, userId: string, failure: RemoteFailure | null) {
    this.mail.box({ tenantId, userId }).unavailable = failure;
  }

  /** The next `n` creates of items commit, then answer a timeout. */
  timeOutCreates(n: number) {
    this.createTimeouts = n;
  }

  /** The next `n` container creates commit, then answer 500. */
  failContainerCreatesAfterCommit(n: number) {
    this.containerTimeouts = n;
  }

  /** The next `n` item writes succeed; the one after throws before it commits. */
  crashAfterWrites(n: number | null) {
    this.crashIn = n;
  }

  counts(): Readonly<Record<RequestKind, number>> & { readonly writes: number; readonly total: number } {
    const r = { ...this.requests };
    return {
      ...r,
      writes: r.create + r.update + r.delete,
      total: Object.values(r).reduce((a, b) => a + b, 0),
    };
  }

  resetCounts() {
    this.requests = this.zero();
  }
}
