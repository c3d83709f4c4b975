/**
 * Carrying out one pair's action: writes on Microsoft's side with If-Match, on Quorum's with the expected
 * version, then the mapping (compare-and-set). A stale precondition on either side re-reads that side and
 * decides again (at most three times, then the pair waits for the next round). Every write records what
 * it wrote back into the mapping, so the next round does not read it as a change.
 */
import type { ConflictOutcome } from "./conflicts.ts";
import { must, RoundAbort, type RoundContext } from "./context.ts";
import { absent, type Decision, decide, type Pair, present } from "./diff.ts";
import { type ItemFields, type ItemMapping, isInstance, snapshotOf, type Tombstone } from "./model.ts";
import type { LocalItem, RemoteItem, SyncNote } from "./ports.ts";

/** Settles a pair: decide, act, and on a stale precondition re-read and decide again. */
export async function settle(ctx: RoundContext, first: Pair): Promise<Decision> {
  let pair = first;
  for (let attempt = 0; attempt < 3; attempt++) {
    const d = decide(pair, { policy: ctx.settings.conflictPolicy, direction: ctx.direction });
    const next = await execute(ctx, pair, d);
    if (next === null) {
      if (d.conflict) await recordConflict(ctx, pair, d.conflict);
      count(ctx, d);
      return d;
    }
    pair = next;
  }
  ctx.counts.deferred++;
  return { action: "none", conflict: null };
}

function count(ctx: RoundContext, d: Decision) {
  const c = ctx.counts;
  if (d.conflict) c.conflicts++;
  switch (d.action) {
    case "pull-create":
      c.pulledCreates++;
      break;
    case "pull-update":
      c.pulledUpdates++;
      break;
    case "pull-delete":
      c.pulledDeletes++;
      break;
    case "push-create":
      c.pushedCreates++;
      break;
    case "push-update":
      c.pushedUpdates++;
      break;
    case "push-delete":
      c.pushedDeletes++;
      break;
    case "record":
    case "acknowledge":
    case "forget":
    case "unlink":
      c.recorded++;
      break;
    case "none":
      break;
  }
}

async function recordConflict(ctx: RoundContext, p: Pair, c: ConflictOutcome) {
  await ctx.deps.store.recordConflict({
    ...ctx.scope,
    mappingId: p.mapping?.id ?? null,
    localId: p.local.kind === "present" ? p.local.item.localId : (p.mapping?.localId ?? null),
    remoteId: p.remote.kind === "present" ? p.remote.item.id : (p.mapping?.remoteId ?? null),
    at: ctx.deps.clock.now(),
    policy: c.policy,
    winner: c.winner,
    winning: c.winning,
    losing: c.losing,
  });
}

const note = (
  ctx: RoundContext,
  kind: SyncNote["kind"],
  d: Decision,
  before: LocalItem | null,
): SyncNote => ({
  kind,
  at: ctx.deps.clock.now(),
  conflict: d.conflict ? { policy: d.conflict.policy, losing: d.conflict.losing.snapshot } : null,
  before: before ? snapshotOf(before.fields) : null,
});

/** Re-reads Microsoft's side of a pair after a stale If-Match. */
async function rereadRemote(ctx: RoundContext, p: Pair, id: string): Promise<Pair> {
  const r = await ctx.deps.remote.get(ctx.scope, id);
  if (!r.ok && r.failure.kind === "not-found") return { ...p, remote: absent(ctx.deps.clock.now()) };
  return { ...p, remote: present(must(r)) };
}

async function rereadLocal(ctx: RoundContext, p: Pair, localId: string): Promise<Pair> {
  const l = await ctx.deps.local.get(ctx.scope, localId);
  return { ...p, local: l ? present(l) : absent(ctx.deps.clock.now()) };
}

async function rereadMapping(ctx: RoundContext, p: Pair, m: ItemMapping | null): Promise<Pair> {
  const fresh = m ? await ctx.deps.store.mapping(ctx.scope, m.id) : null;
  return { ...p, mapping: fresh };
}

/** The Quorum item of a pair: as observed, or read now when the round did not see it. */
async function localItem(ctx: RoundContext, p: Pair): Promise<LocalItem | null> {
  if (p.local.kind === "present") return p.local.item;
  if (p.local.kind === "absent" || !p.mapping) return null;
  return ctx.deps.local.get(ctx.scope, p.mapping.localId);
}

/** The mapping of the series an occurrence or exception belongs to (null for other items, or unknown). */
async function parentOf(
  ctx: RoundContext,
  fields: ItemFields,
  remote: RemoteItem | null,
  local: LocalItem | null,
): Promise<ItemMapping | null> {
  if (!isInstance(fields)) return null;
  const { store } = ctx.deps;
  if (remote?.seriesMasterId)
    return (await store.mappingsByRemote(ctx.scope, [remote.seriesMasterId]))[0] ?? null;
  if (local?.parentLocalId) return (await store.mappingsByLocal(ctx.scope, [local.parentLocalId]))[0] ?? null;
  return null;
}

/** Writes the mapping; on a lost compare-and-set the caller re-reads it and decides again. */
async function saveMapping(ctx: RoundContext, next: ItemMapping, base: ItemMapping | null) {
  return ctx.deps.store.saveMapping(next, base ? base.revision : null);
}

function newMapping(
  ctx: RoundContext,
  fields: {
    localId: string;
    remoteId: string | null;
    transactionId: string | null;
    parentId: string | null;
  },
): ItemMapping {
  return {
    ...ctx.scope,
    id: ctx.deps.newId(),
    localId: fields.localId,
    remoteId: fields.remoteId,
    transactionId: fields.transactionId,
    localVersion: null,
    remoteChangeKey: null,
    remoteContainerId: null,
    parentId: fields.parentId,
    snapshot: null,
    syncedAt: ctx.deps.clock.now(),
    seenInPass: null,
    revision: 0,
  };
}

/** Both sides now hold `fields`: the mapping records it with each side's marker. */
function syncedMapping(
  ctx: RoundContext,
  base: ItemMapping,
  local: { localId: string; version: string | null },
  remote: RemoteItem,
  fields: ItemFields,
): ItemMapping {
  return {
    ...base,
    localId: local.localId,
    localVersion: local.version,
    remoteId: remote.id,
    remoteChangeKey: remote.changeKey,
    // An answer that does not name its container (Graph's PATCH) leaves the known one.
    remoteContainerId: remote.containerId ?? base.remoteContainerId,
    snapshot: snapshotOf(fields),
    syncedAt: ctx.deps.clock.now(),
  };
}

function tombstone(
  ctx: RoundContext,
  p: Pair,
  deletedIn: Tombstone["deletedIn"],
  localVersion: string | null,
): Tombstone {
  return {
    ...ctx.scope,
    localId: p.mapping?.localId ?? (p.local.kind === "present" ? p.local.item.localId : null),
    remoteId: p.mapping?.remoteId ?? (p.remote.kind === "present" ? p.remote.item.id : null),
    localVersion,
    deletedIn,
    at: ctx.deps.clock.now(),
    snapshot: p.mapping?.snapshot ?? null,
  };
}

/** Retires the pair's mapping with a tombstone (or writes the tombstone when there is no mapping). */
async function retire(ctx: RoundContext, p: Pair, t: Tombstone | null): Promise<Pair | null> {
  if (!p.mapping) {
    if (t) await ctx.deps.store.putTombstone(t);
    return null;
  }
  const done = await ctx.deps.store.retireMapping(p.mapping, p.mapping.revision, t);
  return done.ok ? null : rereadMapping(ctx, p, p.mapping);
}

/** Does the action; null when done, or the pair re-read when a precondition went stale. */
async function execute(ctx: RoundContext, p: Pair, d: Decision): Promise<Pair | null> {
  const { remote, local } = ctx.deps;
  const scope = ctx.scope;
  const m = p.mapping;
  switch (d.action) {
    case "none":
      return null;

    case "record":
    case "acknowledge": {
      const r = p.remote.kind === "present" ? p.remote.item : null;
      const l = p.local.kind === "present" ? p.local.item : null;
      if (!m) {
        if (!r || !l) return null;
        const parent = await parentOf(ctx, r.fields, r, l);
        const fresh = newMapping(ctx, {
          localId: l.localId,
          remoteId: r.id,
          transactionId: r.transactionId,
          parentId: parent?.id ?? null,
        });
        const saved = await saveMapping(ctx, syncedMapping(ctx, fresh, l, r, r.fields), null);
        return saved.ok ? null : { ...p, mapping: saved.current };
      }
      const next: ItemMapping =
        d.action === "record" && r && (l || m.snapshot === null)
          ? syncedMapping(ctx, m, l ?? { localId: m.localId, version: m.localVersion }, r, r.fields)
          : {
              ...m,
              localVersion: l ? l.version : m.localVersion,
              remoteChangeKey: r ? r.changeKey : m.remoteChangeKey,
              remoteId: r ? r.id : m.remoteId,
            };
      const saved = await saveMapping(ctx, next, m);
      return saved.ok ? null : rereadMapping(ctx, p, m);
    }

    case "pull-create": {
      if (p.remote.kind !== "present") return null;
      const r = p.remote.item;
      const parent = await parentOf(ctx, r.fields, r, null);
      if (isInstance(r.fields) && !parent) {
        ctx.counts.deferred++;
        return null;
      }
      const created = await local.create(scope, {
        fields: r.fields,
        parentLocalId: parent?.localId ?? null,
        remoteId: r.id,
        note: note(ctx, "created-in-outlook", d, null),
      });
      const base =
        m ??
        newMapping(ctx, {
          localId: created.localId,
          remoteId: r.id,
          transactionId: r.transactionId,
          parentId: parent?.id ?? null,
        });
      const saved = await saveMapping(ctx, syncedMapping(ctx, base, created, r, r.fields), m);
      if (saved.ok) return null;
      // Another round mapped this item meanwhile: decide again with its mapping.
      const again = (await ctx.deps.store.mappingsByRemote(scope, [r.id]))[0] ?? null;
      return { ...p, mapping: again };
    }

    case "pull-update": {
      if (p.remote.kind !== "present") return null;
      const r = p.remote.item;
      const l = await localItem(ctx, p);
      if (!l) return { ...p, local: absent(ctx.deps.clock.now()) };
      const expected = p.local.kind === "present" ? l.version : (m?.localVersion ?? l.version);
      const written = await local.update(
        scope,
        l.localId,
        expected,
        r.fields,
        note(ctx, "changed-in-outlook", d, l),
      );
      if (!written.ok) return rereadLocal(ctx, p, l.localId);
      const parent = m ? null : await parentOf(ctx, r.fields, r, l);
      const base =
        m ??
        newMapping(ctx, {
          localId: l.localId,
          remoteId: r.id,
          transactionId: r.transactionId,
          parentId: parent?.id ?? null,
        });
      const saved = await saveMapping(ctx, syncedMapping(ctx, base, written.value, r, r.fields), m);
      return saved.ok ? null : rereadMapping(ctx, p, m);
    }

    case "pull-delete": {
      const l = await localItem(ctx, p);
      let version: string | null = null;
      if (l) {
        version = p.local.kind === "present" ? l.version : (m?.localVersion ?? l.version);
        const gone = await local.delete(scope, l.localId, version, note(ctx, "deleted-in-outlook", d, l));
        if (!gone.ok && gone.failure === "conflict") return rereadLocal(ctx, p, l.localId);
      }
      return retire(ctx, p, tombstone(ctx, p, "microsoft", version));
    }

    case "push-create": {
      if (p.local.kind !== "present") return null;
      const l = p.local.item;
      if (isInstance(l.fields) || !ctx.containerId) {
        // Occurrences come from their series; without a container Quorum's items have nowhere to go yet.
        ctx.counts.deferred++;
        return null;
      }
      let pending = m;
      if (pending?.snapshot && pending.remoteId) {
        // Re-created over Outlook's deletion: the old Graph item stays dead, whatever a replay says.
        await ctx.deps.store.putTombstone({ ...tombstone(ctx, p, "microsoft", null), localId: null });
      }
      if (!pending || pending.snapshot !== null) {
        // A new create (or Quorum's version re-created after Outlook deleted it): a fresh transaction id,
        // saved before the call so a crash or a timeout finds the item instead of creating it twice.
        const fresh = newMapping(ctx, {
          localId: l.localId,
          remoteId: null,
          transactionId: `quorum-sync-${ctx.deps.newId()}`,
          parentId: null,
        });
        const next = pending
          ? {
              ...pending,
              remoteId: null,
              remoteChangeKey: null,
              snapshot: null,
              transactionId: fresh.transactionId,
            }
          : fresh;
        const saved = await saveMapping(ctx, next, pending);
        if (!saved.ok) return rereadMapping(ctx, p, pending);
        pending = saved.value;
      }
      const created = await createOnce(ctx, pending.transactionId!, l.fields);
      const saved = await saveMapping(ctx, syncedMapping(ctx, pending, l, created, l.fields), pending);
      if (!saved.ok) return rereadMapping(ctx, { ...p, mapping: pending }, pending);
      if (d.conflict) await local.annotate(scope, l.localId, note(ctx, "recreated-in-outlook", d, l));
      return null;
    }

    case "push-update": {
      if (p.local.kind !== "present") return null;
      const l = p.local.item;
      const target = p.remote.kind === "present" ? p.remote.item : null;
      const remoteId = target?.id ?? m?.remoteId;
      const ifMatch = target?.changeKey ?? m?.remoteChangeKey;
      if (!remoteId || !ifMatch) return null;
      const written = await remote.update(scope, remoteId, ifMatch, l.fields);
      if (!written.ok) {
        if (written.failure.kind === "precondition-failed") return rereadRemote(ctx, p, remoteId);
        if (written.failure.kind === "not-found") return { ...p, remote: absent(ctx.deps.clock.now()) };
        throw new RoundAbort(written.failure);
      }
      const parent = m ? null : await parentOf(ctx, l.fields, target, l);
      const base =
        m ??
        newMapping(ctx, { localId: l.localId, remoteId, transactionId: null, parentId: parent?.id ?? null });
      const saved = await saveMapping(ctx, syncedMapping(ctx, base, l, written.value, l.fields), m);
      if (!saved.ok) return rereadMapping(ctx, p, m);
      if (d.conflict) await local.annotate(scope, l.localId, note(ctx, "outlook-version-lost", d, l));
      return null;
    }

    case "push-delete": {
      const target = p.remote.kind === "present" ? p.remote.item : null;
      const remoteId = target?.id ?? m?.remoteId;
      const ifMatch = target?.changeKey ?? m?.remoteChangeKey;
      if (remoteId && ifMatch) {
        const gone = await remote.delete(scope, remoteId, ifMatch);
        if (!gone.ok) {
          if (gone.failure.kind === "precondition-failed") return rereadRemote(ctx, p, remoteId);
          if (gone.failure.kind !== "not-found") throw new RoundAbort(gone.failure);
        }
      }
      return retire(ctx, p, tombstone(ctx, p, "quorum", m?.localVersion ?? null));
    }

    case "forget":
      return retire(ctx, p, tombstone(ctx, p, "microsoft", m?.localVersion ?? null));

    case "unlink": {
      const localGone = p.local.kind === "absent";
      const t = tombstone(ctx, p, localGone ? "quorum" : "microsoft", m?.localVersion ?? null);
      return retire(ctx, p, localGone ? { ...t, remoteId: null } : { ...t, localId: null });
    }
  }
}

/**
 * Creates on Microsoft's side under the transaction id. A create that timed out (or answered 5xx) may
 * have happened: it is looked up by its transaction id before it is tried again. (Creates left pending by
 * a crash are looked up at the start of the next round, see `resolvePending`.)
 */
async function createOnce(ctx: RoundContext, transactionId: string, fields: ItemFields): Promise<RemoteItem> {
  const { remote } = ctx.deps;
  const input = { containerId: ctx.containerId, transactionId, fields };
  for (let attempt = 0; ; attempt++) {
    const created = await remote.create(ctx.scope, input);
    if (created.ok) return created.value;
    if (created.failure.kind !== "unavailable" || attempt >= 1) throw new RoundAbort(created.failure);
    const landed = must(await remote.findByTransactionId(ctx.scope, transactionId));
    if (landed) return landed;
  }
}
