/**
 * Turning a round's changes into pairs: each Graph change and each Quorum change is matched to its
 * mapping (by Graph id, by the transaction id of a create in flight, by Quorum id), or to its counterpart
 * on the other side when it has none (a booking and its event), or dropped as a stale replay of a
 * tombstoned item. Removals are confirmed before anything is deleted; series masters are fetched for
 * their occurrences; the mass-delete guard counts what a round would delete.
 */
import { must, type RoundContext } from "./context.ts";
import { absent, type Decision, decide, type Observed, type Pair, present, rootOf, unseen } from "./diff.ts";
import { type ItemMapping, isInstance, type Side, snapshotOf, type TenantSyncSettings } from "./model.ts";
import type { LocalChange, LocalItem, RemoteChange, RemoteItem } from "./ports.ts";

const changeId = (c: RemoteChange) => (c.kind === "upsert" ? c.item.id : c.id);
const localChangeId = (c: LocalChange) => (c.kind === "upsert" ? c.item.localId : c.localId);

/** The last change per id wins: delta pages repeat items, and Quorum's feed lists an item once. */
function lastPer<T>(changes: readonly T[], id: (c: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const c of changes) {
    const k = id(c);
    out.delete(k);
    out.set(k, c);
  }
  return out;
}

function index<T>(rows: readonly T[], key: (row: T) => string | null): Map<string, T> {
  const out = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    if (k !== null) out.set(k, row);
  }
  return out;
}

export interface Paired {
  readonly pairs: Pair[];
  /** Keys of mapped pairs whose Graph item was reported removed: confirmed with `get` before acting. */
  readonly removals: ReadonlySet<string>;
}

/**
 * Adds the series masters of changed occurrences and exceptions that the changes do not carry (a calendar
 * view never lists masters): one `get` per series touched.
 */
export async function withSeriesMasters(
  ctx: RoundContext,
  changes: readonly RemoteChange[],
): Promise<RemoteChange[]> {
  const have = new Set(changes.filter((c) => c.kind === "upsert").map(changeId));
  const wanted = new Set<string>();
  for (const c of changes)
    if (
      c.kind === "upsert" &&
      c.item.seriesMasterId &&
      isInstance(c.item.fields) &&
      !have.has(c.item.seriesMasterId)
    )
      wanted.add(c.item.seriesMasterId);
  const masters: RemoteChange[] = [];
  for (const id of wanted) {
    const got = await ctx.deps.remote.get(ctx.scope, id);
    if (!got.ok && got.failure.kind === "not-found") continue;
    masters.push({ kind: "upsert", item: must(got) });
  }
  return [...masters, ...changes];
}

/**
 * Creates left pending by a crash or a timeout: found by their transaction id (then mapped), or handed
 * back as Quorum changes so they are created again under the same transaction id.
 */
export async function resolvePending(ctx: RoundContext): Promise<LocalChange[]> {
  const { store, remote, local } = ctx.deps;
  const again: LocalChange[] = [];
  for (const m of await store.pendingCreates(ctx.scope)) {
    const found = m.transactionId ? must(await remote.findByTransactionId(ctx.scope, m.transactionId)) : null;
    if (found) {
      await store.saveMapping(
        {
          ...m,
          remoteId: found.id,
          remoteChangeKey: found.changeKey,
          // Sync creates in its container; an answer that does not say so means that one.
          remoteContainerId: found.containerId ?? ctx.containerId,
          localVersion: null,
          snapshot: snapshotOf(found.fields),
          syncedAt: ctx.deps.clock.now(),
        },
        m.revision,
      );
      continue;
    }
    const item = await local.get(ctx.scope, m.localId);
    if (item) again.push({ kind: "upsert", item });
    else await store.retireMapping(m, m.revision, null);
  }
  return again;
}

/** Matches changes of both sides to mappings and to each other. Reads the store and Quorum, not Graph. */
export async function pairUp(
  ctx: RoundContext,
  remoteChanges: readonly RemoteChange[],
  localChanges: readonly LocalChange[],
): Promise<Paired> {
  const { store, local, clock } = ctx.deps;
  const scope = ctx.scope;
  const now = clock.now();
  const remote = lastPer(remoteChanges, changeId);
  const locals = lastPer(localChanges, localChangeId);
  const hints = [...locals.values()].flatMap((c) =>
    c.kind === "upsert" && c.item.remoteId ? [c.item.remoteId] : [],
  );
  const byRemote = index(
    await store.mappingsByRemote(scope, [...remote.keys(), ...hints]),
    (m) => m.remoteId,
  );
  const byLocal = index(await store.mappingsByLocal(scope, [...locals.keys()]), (m) => m.localId);
  const tombRemote = index(
    await store.tombstonesByRemote(scope, [...remote.keys(), ...hints]),
    (t) => t.remoteId,
  );
  const tombLocal = index(await store.tombstonesByLocal(scope, [...locals.keys()]), (t) => t.localId);

  const pairs = new Map<string, Pair>();
  const removals = new Set<string>();
  const localKey = new Map<string, string>();
  const merge = (
    key: string,
    mapping: ItemMapping | null,
    side: { remote?: Observed<RemoteItem>; local?: Observed<LocalItem> },
  ) => {
    const was = pairs.get(key) ?? { key, mapping, remote: unseen, local: unseen };
    pairs.set(key, { ...was, mapping: was.mapping ?? mapping, ...side });
  };

  const fresh: RemoteItem[] = [];
  for (const [id, c] of remote) {
    let m = byRemote.get(id) ?? null;
    if (!m && c.kind === "upsert" && c.item.transactionId)
      m = await store.mappingByTransaction(scope, c.item.transactionId);
    if (m) {
      merge(m.id, m, { remote: c.kind === "upsert" ? present(c.item) : absent(now) });
      if (c.kind === "removed") removals.add(m.id);
      continue;
    }
    if (tombRemote.has(id)) {
      ctx.counts.staleIgnored++;
      continue;
    }
    if (c.kind === "removed") continue;
    fresh.push(c.item);
    merge(`r:${id}`, null, { remote: present(c.item) });
  }

  // A Graph item new to sync may be one Quorum already has (a booking's event): pair them, never copy.
  if (fresh.length > 0) {
    const txIds = fresh.flatMap((r) => (r.transactionId ? [r.transactionId] : []));
    const found = await local.findCounterparts(
      scope,
      fresh.map((r) => r.id),
      txIds,
    );
    const mapped = index(
      await store.mappingsByLocal(
        scope,
        found.map((l) => l.localId),
      ),
      (m) => m.localId,
    );
    for (const l of found) {
      const r = fresh.find(
        (x) => x.id === l.remoteId || (l.transactionId !== null && x.transactionId === l.transactionId),
      );
      if (!r || mapped.has(l.localId)) continue;
      merge(`r:${r.id}`, null, { local: present(l) });
      localKey.set(l.localId, `r:${r.id}`);
    }
  }

  for (const [localId, c] of locals) {
    const m = byLocal.get(localId) ?? null;
    const observed: Observed<LocalItem> = c.kind === "upsert" ? present(c.item) : absent(c.at);
    if (m) {
      merge(m.id, m, { local: observed });
      continue;
    }
    const claimed = localKey.get(localId);
    if (claimed) {
      merge(claimed, null, { local: observed });
      continue;
    }
    if (c.kind === "deleted") continue;
    const tomb = tombLocal.get(localId);
    if (tomb && tomb.localVersion === c.item.version) {
      ctx.counts.staleIgnored++;
      continue;
    }
    const hint = c.item.remoteId;
    if (hint && !tombRemote.has(hint)) {
      // Another Quorum item already holds that Graph item: leave this one alone rather than duplicate.
      if (byRemote.has(hint)) continue;
      merge(`r:${hint}`, null, { local: observed });
      continue;
    }
    merge(`l:${localId}`, null, { local: observed });
  }
  return { pairs: [...pairs.values()], removals };
}

/** Reads the Graph items that unmapped Quorum items point at (a booking's event), when unseen. */
export async function fetchCounterparts(ctx: RoundContext, pairs: readonly Pair[]): Promise<Pair[]> {
  const out: Pair[] = [];
  for (const p of pairs) {
    if (p.mapping || p.remote.kind !== "unseen" || !p.key.startsWith("r:")) {
      out.push(p);
      continue;
    }
    out.push({ ...p, remote: await readRemote(ctx, p.key.slice(2)) });
  }
  return out;
}

async function readRemote(ctx: RoundContext, id: string): Promise<Observed<RemoteItem>> {
  const got = await ctx.deps.remote.get(ctx.scope, id);
  if (!got.ok && got.failure.kind === "not-found") return absent(ctx.deps.clock.now());
  return present(must(got));
}

/**
 * `@removed` means deleted, or moved out of the window: each removal is confirmed with `get`. The
 * removals of a series' occurrences first look at the master: a deleted master takes its occurrences
 * with it (no `get` each), and a master seen deleted this way gets its own pair.
 */
export async function confirmRemovals(ctx: RoundContext, paired: Paired): Promise<Pair[]> {
  const { store } = ctx.deps;
  const byKey = new Map(paired.pairs.map((p) => [p.key, p]));
  const masters = new Map<string, Observed<RemoteItem>>();
  for (const key of paired.removals) {
    const p = byKey.get(key);
    if (!p?.mapping) continue;
    const parentId = p.mapping.parentId;
    if (parentId) {
      let master = masters.get(parentId);
      if (!master) {
        const pm = byKey.get(parentId)?.mapping ?? (await store.mapping(ctx.scope, parentId));
        master = pm?.remoteId ? await readRemote(ctx, pm.remoteId) : absent(ctx.deps.clock.now());
        masters.set(parentId, master);
        const known = byKey.get(parentId);
        if (pm && (!known || known.remote.kind === "unseen"))
          byKey.set(parentId, { key: parentId, mapping: pm, local: unseen, ...known, remote: master });
      }
      if (master.kind === "absent") continue;
    }
    if (p.mapping.remoteId) byKey.set(key, { ...p, remote: await readRemote(ctx, p.mapping.remoteId) });
  }
  return [...byKey.values()];
}

/** Whether deleting `deletions` of `mapped` items on one side is suddenly too many. */
export function tooManyDeletions(
  deletions: number,
  mapped: number,
  limits: TenantSyncSettings["massDelete"],
): boolean {
  if (deletions < limits.minimum) return false;
  return deletions >= mapped || deletions > limits.share * mapped;
}

/** Distinct top-level items (a series once) among the pairs, per side that lost them. */
export function deletionsBySide(
  decided: readonly { pair: Pair; decision: Decision }[],
): Record<Side, number> {
  const lost = { microsoft: new Set<string>(), quorum: new Set<string>() };
  for (const { pair, decision } of decided) {
    if (decision.action === "pull-delete") lost.microsoft.add(rootOf(pair));
    if (decision.action === "push-delete") lost.quorum.add(rootOf(pair));
  }
  return { microsoft: lost.microsoft.size, quorum: lost.quorum.size };
}

/** Distinct top-level items among reported removals, before any `get` confirms them. */
export function removedRoots(paired: Paired): number {
  const roots = new Set<string>();
  for (const p of paired.pairs) if (paired.removals.has(p.key)) roots.add(rootOf(p));
  return roots.size;
}

export const decideAll = (ctx: RoundContext, pairs: readonly Pair[]) =>
  pairs.map((pair) => ({
    pair,
    decision: decide(pair, { policy: ctx.settings.conflictPolicy, direction: ctx.direction }),
  }));
