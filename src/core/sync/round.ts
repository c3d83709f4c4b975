/**
 * An incremental round: every delta page after the saved token, every Quorum change after the saved
 * cursor, paired and decided; the mass-delete guard looks at the removals before any is confirmed and at
 * the decisions before any is applied. The new token and cursor are saved only after every pair settled,
 * so a round that died is replayed whole and finds its own writes already mapped.
 */
import { settle } from "./apply.ts";
import { must, RoundAbort, type RoundContext } from "./context.ts";
import { type Decision, orderPairs, type Pair } from "./diff.ts";
import type { PassHost } from "./initial.ts";
import type { FullPassReason, SyncReason, SyncState } from "./model.ts";
import {
  confirmRemovals,
  decideAll,
  deletionsBySide,
  fetchCounterparts,
  pairUp,
  removedRoots,
  resolvePending,
  tooManyDeletions,
  withSeriesMasters,
} from "./plan.ts";
import type { LocalChange, RemoteChange } from "./ports.ts";

/** What a round would do, without doing it. */
export interface RoundPlan {
  readonly decided: readonly { readonly pair: Pair; readonly decision: Decision }[];
  /** Set when the mass-delete guard would pause the round. */
  readonly guard: SyncReason | null;
  /** Set when the round would need a full pass instead. */
  readonly fullPass: FullPassReason | null;
}

/** Follows delta pages from `from` to the next delta token; "expired" when Graph forgot the token. */
export async function readDelta(
  ctx: RoundContext,
  from: string,
  maxPages: number,
): Promise<{ changes: RemoteChange[]; deltaToken: string } | "expired"> {
  const changes: RemoteChange[] = [];
  const followed = new Set<string>();
  for (let token = from, page = 0; ; page++) {
    // Graph can hand out the same nextLink again: a loop is an outage, not an endless round.
    if (page >= maxPages || followed.has(token))
      throw new RoundAbort({ kind: "unavailable", status: 508, graphCode: "deltaPagesRepeat" });
    followed.add(token);
    const res = await ctx.deps.remote.delta(ctx.scope, token);
    if (!res.ok && res.failure.kind === "token-expired") return "expired";
    const p = must(res);
    changes.push(...p.changes);
    if (p.deltaToken) return { changes, deltaToken: p.deltaToken };
    if (!p.nextPageToken)
      throw new RoundAbort({ kind: "unavailable", status: 502, graphCode: "deltaPageWithoutLink" });
    token = p.nextPageToken;
  }
}

/** Quorum's changes after `from`, and the cursor after them. */
export async function readLocal(
  ctx: RoundContext,
  from: string | null,
): Promise<{ changes: LocalChange[]; cursor: string }> {
  const changes: LocalChange[] = [];
  for (let cursor = from; ; ) {
    const p = await ctx.deps.local.changes(ctx.scope, cursor, ctx.deps.pageSize ?? 200);
    changes.push(...p.changes);
    if (!p.more) return { changes, cursor: p.cursor };
    cursor = p.cursor;
  }
}

const massDelete = (side: "microsoft" | "quorum", deletions: number, of: number): SyncReason => ({
  code: "MASS_DELETE",
  params: { side, deletions, of },
});

/** Pairs, confirms removals and decides; the guard looks before (removals) and after (decisions). */
export async function prepareRound(
  ctx: RoundContext,
  remote: readonly RemoteChange[],
  local: readonly LocalChange[],
  confirmed: boolean,
) {
  const paired = await pairUp(ctx, await withSeriesMasters(ctx, remote), local);
  const mapped = await ctx.deps.store.countRoots(ctx.scope);
  const limits = ctx.settings.massDelete;
  const removed = removedRoots(paired);
  if (!confirmed && tooManyDeletions(removed, mapped, limits))
    return { pairs: [], decided: [], guard: massDelete("microsoft", removed, mapped) };
  const pairs = await fetchCounterparts(ctx, await confirmRemovals(ctx, paired));
  const decided = decideAll(ctx, pairs);
  const lost = deletionsBySide(decided);
  for (const side of ["microsoft", "quorum"] as const)
    if (!confirmed && tooManyDeletions(lost[side], mapped, limits))
      return { pairs: [], decided, guard: massDelete(side, lost[side], mapped) };
  return { pairs, decided, guard: null };
}

/** An incremental round; "expired" when Graph no longer knows the delta token. */
export async function incrementalRound(
  ctx: RoundContext,
  state: SyncState,
  startedAt: number,
  host: PassHost,
  maxPages: number,
): Promise<"synced" | "paused" | "expired"> {
  const pending = await resolvePending(ctx);
  const remote = await readDelta(ctx, state.deltaToken!, maxPages);
  if (remote === "expired") return "expired";
  const local = await readLocal(ctx, state.localCursor);
  const prepared = await prepareRound(
    ctx,
    remote.changes,
    [...pending, ...local.changes],
    state.deletionsConfirmed,
  );
  if (prepared.guard) {
    await host.pause(prepared.guard);
    return "paused";
  }
  for (const p of orderPairs(prepared.pairs)) await settle(ctx, p);
  const now = ctx.deps.clock.now();
  await host.save((s) => ({
    status: "active",
    deltaToken: remote.deltaToken,
    localCursor: local.cursor,
    lastSuccessAt: now,
    failingSince: null,
    lastFailure: null,
    retryAt: null,
    // A notification that arrived while the round ran may be about a change the round did not read.
    changedSince: s.changedSince !== null && s.changedSince <= startedAt ? null : s.changedSince,
    deletionsConfirmed: false,
  }));
  return "synced";
}
