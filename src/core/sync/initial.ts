/**
 * A full pass: the first sync of a resource, a resync after Graph forgot the delta token, or the calendar
 * window moving on. It takes a delta token first (so what changes during the pass is replayed after it),
 * then walks the window in chunks, the future first and then the recent past, Microsoft's items and then
 * Quorum's in each chunk, reconciling every item through the mappings: nothing is deleted and created
 * again, and nothing is copied twice. After every page it saves a checkpoint, so a crash resumes where it
 * stopped. Last, a sweep looks for mapped items the pass did not see: deleted, unless the guard trips.
 */
import { settle } from "./apply.ts";
import { must, type RoundContext } from "./context.ts";
import { orderPairs, type Pair, rootOf, unseen } from "./diff.ts";
import {
  type FullPassCheckpoint,
  type FullPassReason,
  type ItemMapping,
  itemSpan,
  type SyncChunk,
  type SyncReason,
  type SyncState,
  type SyncWindow,
  type TenantSyncSettings,
} from "./model.ts";
import {
  confirmRemovals,
  fetchCounterparts,
  pairUp,
  resolvePending,
  tooManyDeletions,
  withSeriesMasters,
} from "./plan.ts";
import type { LocalChange, RemoteChange } from "./ports.ts";

const DAY = 24 * 60 * 60_000;

export function windowAround(now: number, w: TenantSyncSettings["window"]): SyncWindow {
  return { from: now - w.pastDays * DAY, to: now + w.futureDays * DAY };
}

/** The future from now to the window's end, then the past from now back to its start, chunk by chunk. */
export function planChunks(now: number, window: SyncWindow | null, chunkDays: number): SyncChunk[] {
  if (!window) return [{ part: "all", from: null, to: null }];
  const step = Math.max(1, chunkDays) * DAY;
  const chunks: SyncChunk[] = [];
  for (let from = now; from < window.to; from += step)
    chunks.push({ part: "future", from, to: Math.min(from + step, window.to) });
  for (let to = now; to > window.from; to -= step)
    chunks.push({ part: "past", from: Math.max(to - step, window.from), to });
  return chunks;
}

/** Whether the calendar window has moved far enough that a new one is due. */
export function windowDue(state: SyncState, settings: TenantSyncSettings, now: number): boolean {
  if (!state.window) return false;
  return now - state.window.from > (settings.window.pastDays + settings.windowRenewDays) * DAY;
}

const inWindow = (m: ItemMapping, window: SyncWindow | null) => {
  const span = m.snapshot ? itemSpan(m.snapshot.fields) : null;
  return !window || !span || (span.start < window.to && span.end > window.from);
};

/** How the pass reports back to the engine, which owns the state and its lease. */
export interface PassHost {
  /** Saves state fields (a checkpoint, tokens) under the round's lease; nothing once the lease is lost. */
  save(patch: Partial<SyncState> | ((current: SyncState) => Partial<SyncState>)): Promise<SyncState>;
  pause(reason: SyncReason): Promise<void>;
}

export type PassResult =
  | { readonly kind: "done"; readonly checkpoint: FullPassCheckpoint }
  | { readonly kind: "paused" };

async function settleAll(ctx: RoundContext, pairs: readonly Pair[]) {
  for (const p of orderPairs(pairs)) await settle(ctx, p);
}

/** Marks the mappings of these Graph ids (or of these Quorum ids) seen by the pass. */
async function markSeen(
  ctx: RoundContext,
  pass: string,
  remoteIds: readonly string[],
  localIds: readonly string[] = [],
) {
  const { store } = ctx.deps;
  const viaLocal = localIds.length > 0 ? await store.mappingsByLocal(ctx.scope, localIds) : [];
  const ids = [...remoteIds, ...viaLocal.flatMap((m) => (m.remoteId ? [m.remoteId] : []))];
  if (ids.length > 0) await store.markSeen(ctx.scope, pass, ids);
}

export async function fullPass(
  ctx: RoundContext,
  state: SyncState,
  reason: FullPassReason,
  host: PassHost,
): Promise<PassResult> {
  const { remote, local, store, clock } = ctx.deps;
  const scope = ctx.scope;
  const pageSize = ctx.deps.pageSize ?? 200;
  let cp = state.checkpoint;
  if (!cp) {
    const now = clock.now();
    const window = scope.resource === "event" ? windowAround(now, ctx.settings.window) : null;
    const deltaToken = must(await remote.beginTracking(scope, window));
    const localCursor = state.localCursor ?? (await local.head(scope));
    const chunks = planChunks(now, window, ctx.settings.chunkDays);
    cp = {
      pass: ctx.deps.newId(),
      reason,
      window,
      chunks,
      chunkIndex: 0,
      stage: "remote",
      pageToken: null,
      deltaToken,
      itemsSeen: 0,
      startedAt: now,
    };
    await host.save({ status: "filling", checkpoint: cp, localCursor });
  }

  const pending = await resolvePending(ctx);
  if (pending.length > 0) {
    const paired = await pairUp(ctx, [], pending);
    await settleAll(ctx, paired.pairs);
    await markSeen(
      ctx,
      cp.pass,
      [],
      paired.pairs.flatMap((p) => (p.local.kind === "present" ? [p.local.item.localId] : [])),
    );
  }

  let restarted = false;
  while (cp.stage !== "sweep") {
    const chunk = cp.chunks[cp.chunkIndex]!;
    if (cp.stage === "remote") {
      const listed = await remote.list(scope, chunk, cp.pageToken);
      if (!listed.ok && listed.failure.kind === "token-expired" && cp.pageToken !== null && !restarted) {
        // The page link went stale: the chunk starts over (already mapped items change nothing).
        restarted = true;
        cp = { ...cp, pageToken: null };
        continue;
      }
      const page = must(listed);
      const changes: RemoteChange[] = await withSeriesMasters(
        ctx,
        page.items.map((item) => ({ kind: "upsert", item }) as const),
      );
      const paired = await pairUp(ctx, changes, []);
      await settleAll(ctx, await fetchCounterparts(ctx, paired.pairs));
      await markSeen(
        ctx,
        cp.pass,
        changes.flatMap((c) => (c.kind === "upsert" ? [c.item.id] : [])),
      );
      cp = page.nextPageToken
        ? { ...cp, pageToken: page.nextPageToken, itemsSeen: cp.itemsSeen + page.items.length }
        : { ...cp, stage: "local", pageToken: null, itemsSeen: cp.itemsSeen + page.items.length };
    } else {
      const page = await local.list(scope, chunk, cp.pageToken, pageSize);
      const mapped = new Map(
        (
          await store.mappingsByLocal(
            scope,
            page.items.map((l) => l.localId),
          )
        ).map((m) => [m.localId, m]),
      );
      const waiting: LocalChange[] = page.items
        .filter((l) => !mapped.get(l.localId)?.snapshot)
        .map((item) => ({ kind: "upsert", item }));
      if (waiting.length > 0) {
        const paired = await pairUp(ctx, [], waiting);
        await settleAll(ctx, await fetchCounterparts(ctx, paired.pairs));
        await markSeen(
          ctx,
          cp.pass,
          [],
          waiting.map((c) => (c.kind === "upsert" ? c.item.localId : "")),
        );
      }
      const last: boolean = cp.chunkIndex + 1 >= cp.chunks.length;
      cp = page.nextPageToken
        ? { ...cp, pageToken: page.nextPageToken }
        : last
          ? { ...cp, stage: "sweep", pageToken: null }
          : { ...cp, chunkIndex: cp.chunkIndex + 1, stage: "remote", pageToken: null };
      restarted = false;
    }
    await host.save({ checkpoint: cp });
  }

  // The sweep: mapped items in the window the pass did not see. Counted first, so the guard can stop the
  // pass before a single item is deleted; then each is confirmed with `get`.
  const candidates = async function* () {
    for (let after: string | null = null; ; ) {
      const rows = await store.unseen(scope, cp.pass, after, pageSize);
      if (rows.length === 0) return;
      yield rows.filter((m) => inWindow(m, cp.window));
      after = rows[rows.length - 1]!.id;
    }
  };
  const roots = new Set<string>();
  for await (const rows of candidates())
    for (const m of rows) roots.add(rootOf({ key: m.id, mapping: m, remote: unseen, local: unseen }));
  const mapped = await store.countRoots(scope);
  if (!state.deletionsConfirmed && tooManyDeletions(roots.size, mapped, ctx.settings.massDelete)) {
    await host.pause({
      code: "MASS_DELETE",
      params: { side: "microsoft", deletions: roots.size, of: mapped },
    });
    return { kind: "paused" };
  }
  for await (const rows of candidates()) {
    const now = clock.now();
    const pairs: Pair[] = rows.map((m) => ({
      key: m.id,
      mapping: m,
      remote: { kind: "absent", at: now },
      local: unseen,
    }));
    await settleAll(ctx, await confirmRemovals(ctx, { pairs, removals: new Set(pairs.map((p) => p.key)) }));
  }
  return { kind: "done", checkpoint: cp };
}
