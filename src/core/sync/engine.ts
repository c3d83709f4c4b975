/**
 * The sync engine: a user's sync of a resource switched on and off, stopped and resumed, and its rounds.
 * A round holds a lease on the scope, then runs a full pass when one is due or under way (initial.ts: the
 * first sync, an expired delta token, the calendar window moving on) and an incremental round (round.ts)
 * after it. Graph's throttling, outages and a lost mailbox end a round with the state saying so, and the
 * freshness the availability service reads follows from that state.
 */
import { DomainError } from "../errors.ts";
import { emptyCounts, RoundAbort, type RoundContext, type RoundCounts, type SyncDeps } from "./context.ts";
import { fullPass, windowDue } from "./initial.ts";
import {
  containerNames,
  type FullPassReason,
  type MirrorFreshness,
  mirrorFreshness,
  type SyncDirection,
  type SyncProgress,
  type SyncReason,
  type SyncScope,
  type SyncState,
  syncProgress,
  syncResources,
  type UserSyncSettings,
} from "./model.ts";
import type { RemoteFailure, RemoteResult } from "./ports.ts";
import { incrementalRound, prepareRound, type RoundPlan, readDelta, readLocal } from "./round.ts";

export type RoundOutcome =
  | "synced"
  | "filling"
  | "paused"
  | "stopped"
  | "off"
  | "throttled"
  | "failed"
  | "busy";

export interface RoundReport {
  readonly outcome: RoundOutcome;
  readonly reason: SyncReason | null;
  /** Set when the round ran (or continued) a full pass, and why. */
  readonly fullPass: FullPassReason | null;
  readonly counts: RoundCounts;
  readonly progress: SyncProgress | null;
}

export interface EngineOptions {
  /** How long a round holds its scope (default 10 minutes); an abandoned lease expires. */
  readonly leaseMs?: number;
  /** Delta pages a round follows at most; Graph can repeat a nextLink (default 1000). */
  readonly maxDeltaPages?: number;
}

const MINUTE = 60_000;

function toDomainError(f: RemoteFailure): DomainError {
  const details = { failure: f.kind };
  if (f.kind === "mailbox-unavailable" && f.consentLost)
    return new DomainError("RECONNECT_NEEDED", undefined, { details });
  if (f.kind === "throttled" || f.kind === "unavailable")
    return new DomainError("GRAPH_UNAVAILABLE", undefined, { details });
  return new DomainError("GRAPH_ERROR", undefined, { details });
}

function orThrow<T>(r: RemoteResult<T>): T {
  if (!r.ok) throw toDomainError(r.failure);
  return r.value;
}

function reasonFor(f: RemoteFailure): SyncReason {
  switch (f.kind) {
    case "throttled":
      return { code: "THROTTLED", params: { retryAfterSeconds: Math.ceil(f.retryAfterMs / 1000) } };
    case "mailbox-unavailable":
      return f.consentLost
        ? { code: "CONSENT_REVOKED" }
        : { code: "MAILBOX_UNAVAILABLE", params: { graphCode: f.graphCode } };
    case "unavailable":
      return { code: "MICROSOFT_UNAVAILABLE", params: { status: f.status, graphCode: f.graphCode } };
    default:
      return { code: "MICROSOFT_UNAVAILABLE", params: { status: 0, graphCode: f.kind } };
  }
}

export class SyncEngine {
  private readonly leaseMs: number;
  private readonly maxDeltaPages: number;

  constructor(
    private readonly deps: SyncDeps,
    options: EngineOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 10 * MINUTE;
    this.maxDeltaPages = options.maxDeltaPages ?? 1000;
  }

  /** Applies `change` to the scope's state with compare-and-set, re-reading on a lost race. */
  private async mutate(scope: SyncScope, change: (s: SyncState) => SyncState | null): Promise<SyncState> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const s = await this.deps.store.state(scope);
      const next = change(s);
      if (!next) return s;
      const saved = await this.deps.store.saveState(next, s.revision);
      if (saved.ok) return saved.value;
    }
    throw new DomainError("CONFLICT", "The sync state kept changing. Try again.");
  }

  async settings(tenantId: string, userId: string): Promise<UserSyncSettings> {
    const states = await this.deps.store.statesOf(tenantId, userId);
    const of = (resource: (typeof syncResources)[number]) => {
      const s = states.find((x) => x.resource === resource);
      return { enabled: !!s && s.status !== "off", direction: s?.direction ?? "two-way" };
    };
    return { tenantId, userId, resources: { event: of("event"), contact: of("contact"), task: of("task") } };
  }

  async freshness(
    scope: SyncScope,
    limits?: Parameters<typeof mirrorFreshness>[2],
  ): Promise<MirrorFreshness> {
    return mirrorFreshness(await this.deps.store.state(scope), this.deps.clock.now(), limits);
  }

  /** A change notification arrived: the mirror is not fresh until a round started after it finishes. */
  async markChanged(scope: SyncScope): Promise<void> {
    const now = this.deps.clock.now();
    await this.mutate(scope, (s) =>
      s.status === "off" || s.changedSince !== null ? null : { ...s, changedSince: now },
    );
  }

  /**
   * Turns sync of the resource on: the Quorum container (created once; an "already exists" is looked up by
   * name) and a change subscription. Turning it on again creates nothing twice.
   */
  async switchOn(scope: SyncScope, options: { direction?: SyncDirection } = {}): Promise<SyncState> {
    const verdict = await this.deps.access.check(scope.tenantId, scope.userId);
    if (verdict === "seat-missing") throw new DomainError("SEAT_REQUIRED");
    if (verdict === "consent-missing") throw new DomainError("CONSENT_REQUIRED");
    let state = await this.deps.store.state(scope);
    if (!state.containerId) {
      const containerId = await this.ensureContainer(scope);
      state = await this.mutate(scope, (s) => (s.containerId ? null : { ...s, containerId }));
    }
    if (!state.subscription) {
      const subscription = orThrow(await this.deps.remote.subscribe(scope));
      state = await this.mutate(scope, (s) => (s.subscription ? null : { ...s, subscription }));
    }
    return this.mutate(scope, (s) => {
      const waking = s.status === "off" || s.status === "stopped";
      return {
        ...s,
        direction: options.direction ?? s.direction,
        status: waking ? (s.deltaToken && !s.checkpoint ? "active" : "filling") : s.status,
        reason: waking ? null : s.reason,
      };
    });
  }

  private async ensureContainer(scope: SyncScope): Promise<string> {
    const name = containerNames[scope.resource];
    for (let attempt = 0; attempt < 2; attempt++) {
      const created = await this.deps.remote.createContainer(scope, name);
      if (created.ok) return created.value;
      const f = created.failure;
      if (f.kind !== "already-exists" && f.kind !== "unavailable") throw toDomainError(f);
      // A create can answer 5xx yet succeed, and its retry "already exists": look it up by name.
      const found = orThrow(await this.deps.remote.findContainer(scope, name));
      if (found) return found;
      if (f.kind === "already-exists")
        throw new DomainError("GRAPH_ERROR", `The "${name}" container exists but cannot be found.`);
    }
    throw new DomainError("GRAPH_UNAVAILABLE");
  }

  /**
   * Turns sync of the resource off: the subscription and the Quorum container leave the mailbox, Quorum
   * keeps its items (those that lived in the container are unlinked, and go to a new container if sync is
   * switched on again). What Graph refuses now is retried by the next round of the scope.
   */
  async switchOff(scope: SyncScope): Promise<SyncState> {
    const state = await this.mutate(scope, (s) =>
      s.status === "off"
        ? null
        : {
            ...s,
            status: "off",
            reason: null,
            deltaToken: null,
            window: null,
            checkpoint: null,
            failingSince: null,
            lastFailure: null,
            retryAt: null,
            changedSince: null,
            deletionsConfirmed: false,
          },
    );
    return this.cleanUp(state);
  }

  private async cleanUp(state: SyncState): Promise<SyncState> {
    const { remote, store } = this.deps;
    let s = state;
    if (s.subscription) {
      const gone = await remote.unsubscribe(s, s.subscription.id);
      if (!gone.ok && gone.failure.kind !== "not-found") throw toDomainError(gone.failure);
      s = await this.mutate(s, (x) => ({ ...x, subscription: null }));
    }
    if (s.containerId) {
      const containerId = s.containerId;
      await store.unlinkContainer(s, containerId);
      const gone = await remote.deleteContainer(s, containerId);
      if (!gone.ok && gone.failure.kind !== "not-found") throw toDomainError(gone.failure);
      s = await this.mutate(s, (x) => (x.containerId === containerId ? { ...x, containerId: null } : null));
    }
    return s;
  }

  /** Stops every resource of a user who lost the seat or whose tenant withdrew consent. */
  async stop(tenantId: string, userId: string, reason: SyncReason): Promise<void> {
    for (const resource of syncResources)
      await this.mutate({ tenantId, userId, resource }, (s) =>
        s.status === "off" ? null : { ...s, status: "stopped", reason },
      );
  }

  /** Resumes a paused scope; `confirmDeletions` lets its next round delete what the guard held back. */
  async resume(scope: SyncScope, options: { confirmDeletions: boolean }): Promise<SyncState> {
    return this.mutate(scope, (s) =>
      s.status !== "paused"
        ? null
        : {
            ...s,
            status: s.checkpoint || !s.deltaToken ? "filling" : "active",
            reason: null,
            deletionsConfirmed: options.confirmDeletions,
          },
    );
  }

  private context(scope: SyncScope, state: SyncState, settings: RoundContext["settings"]): RoundContext {
    return {
      deps: this.deps,
      scope,
      settings,
      direction: state.direction,
      containerId: state.containerId,
      counts: emptyCounts(),
    };
  }

  /** What the next incremental round would do, without writing anything. */
  async planRound(scope: SyncScope): Promise<RoundPlan> {
    const state = await this.deps.store.state(scope);
    const ctx = this.context(scope, state, await this.deps.store.tenantSettings(scope.tenantId));
    if (!state.deltaToken || state.checkpoint)
      return { decided: [], guard: null, fullPass: state.checkpoint?.reason ?? "initial" };
    const remote = await readDelta(ctx, state.deltaToken, this.maxDeltaPages);
    if (remote === "expired") return { decided: [], guard: null, fullPass: "token-expired" };
    const local = await readLocal(ctx, state.localCursor);
    const prepared = await prepareRound(ctx, remote.changes, local.changes, state.deletionsConfirmed);
    return { decided: prepared.decided, guard: prepared.guard, fullPass: null };
  }

  /**
   * One round of the scope: a full pass when one is due or under way, else an incremental round. Throttling,
   * outages and a lost mailbox end the round with the state saying so; other errors are recorded, then
   * rethrown to the job that ran the round.
   */
  async runRound(scope: SyncScope): Promise<RoundReport> {
    const { access, clock, store } = this.deps;
    const startedAt = clock.now();
    const report = (
      outcome: RoundOutcome,
      reason: SyncReason | null = null,
      extra: Partial<RoundReport> = {},
    ): RoundReport => ({
      outcome,
      reason,
      fullPass: null,
      counts: emptyCounts(),
      progress: null,
      ...extra,
    });
    const before = await store.state(scope);
    if (before.status === "off") {
      if (before.containerId || before.subscription) await this.cleanUp(before);
      return report("off");
    }
    if (before.status === "paused") return report("paused", before.reason);
    const verdict = await access.check(scope.tenantId, scope.userId);
    if (verdict !== "allowed") {
      const reason: SyncReason =
        verdict === "seat-missing" ? { code: "SEAT_REMOVED" } : { code: "CONSENT_REVOKED" };
      await this.stop(scope.tenantId, scope.userId, reason);
      return report("stopped", reason);
    }

    const owner = this.deps.newId();
    const state = await this.mutate(scope, (s) => {
      if (s.status === "off" || s.status === "paused") return null;
      if (s.lease && s.lease.until > startedAt && s.lease.owner !== owner) return null;
      const waking = s.status === "stopped";
      return {
        ...s,
        lease: { owner, until: startedAt + this.leaseMs },
        status: waking ? (s.deltaToken && !s.checkpoint ? "active" : "filling") : s.status,
        reason: waking ? null : s.reason,
      };
    });
    if (state.lease?.owner !== owner)
      return report(state.status === "paused" ? "paused" : "busy", state.reason);
    const ours = (s: SyncState) => s.lease?.owner === owner && s.status !== "off" && s.status !== "paused";
    const save = (patch: Partial<SyncState> | ((s: SyncState) => Partial<SyncState>)) =>
      this.mutate(scope, (s) =>
        ours(s) ? { ...s, ...(typeof patch === "function" ? patch(s) : patch) } : null,
      );
    const pause = async (reason: SyncReason) => {
      await this.mutate(scope, (s) =>
        ours(s) ? { ...s, status: "paused", reason, deletionsConfirmed: false } : null,
      );
    };
    const ctx = this.context(scope, state, await store.tenantSettings(scope.tenantId));

    try {
      let pass: FullPassReason | null =
        state.checkpoint?.reason ??
        (!state.deltaToken ? "initial" : windowDue(state, ctx.settings, startedAt) ? "window-renewed" : null);
      for (let attempt = 0; attempt < 2; attempt++) {
        let current = await store.state(scope);
        if (pass) {
          const done = await fullPass(ctx, current, pass, { save, pause });
          if (done.kind === "paused")
            return report("paused", (await store.state(scope)).reason, {
              fullPass: pass,
              counts: ctx.counts,
            });
          current = await save({
            deltaToken: done.checkpoint.deltaToken,
            window: done.checkpoint.window,
            checkpoint: null,
            status: "active",
          });
        }
        const round = await incrementalRound(ctx, current, startedAt, { save, pause }, this.maxDeltaPages);
        if (round === "paused")
          return report("paused", (await store.state(scope)).reason, { fullPass: pass, counts: ctx.counts });
        if (round === "synced") return report("synced", null, { fullPass: pass, counts: ctx.counts });
        // Graph no longer knows the delta token: reconcile everything through the mappings.
        pass = "token-expired";
        await save({ deltaToken: null, checkpoint: null, status: "filling" });
      }
      const left = await store.state(scope);
      return report("filling", null, { fullPass: pass, counts: ctx.counts, progress: syncProgress(left) });
    } catch (error) {
      // Awaited here, so that the lease is released (finally) only after the failure is recorded.
      if (error instanceof RoundAbort) return await this.failed(scope, ours, error.failure, ctx.counts);
      const message = error instanceof Error ? error.message : String(error);
      await this.mutate(scope, (s) =>
        ours(s)
          ? {
              ...s,
              failingSince: s.failingSince ?? startedAt,
              lastFailure: { code: "ROUND_FAILED", params: { message } },
            }
          : null,
      );
      throw error;
    } finally {
      await this.mutate(scope, (s) => (s.lease?.owner === owner ? { ...s, lease: null } : null));
    }
  }

  private async failed(
    scope: SyncScope,
    ours: (s: SyncState) => boolean,
    f: RemoteFailure,
    counts: RoundCounts,
  ): Promise<RoundReport> {
    const now = this.deps.clock.now();
    const reason = reasonFor(f);
    const base = { fullPass: null, counts, progress: null };
    if (f.kind === "mailbox-unavailable") {
      await this.mutate(scope, (s) =>
        ours(s)
          ? { ...s, status: "stopped", reason, failingSince: s.failingSince ?? now, lastFailure: reason }
          : null,
      );
      return { outcome: "stopped", reason, ...base };
    }
    const retryAt = now + (f.kind === "throttled" ? f.retryAfterMs : MINUTE);
    await this.mutate(scope, (s) =>
      ours(s) ? { ...s, failingSince: s.failingSince ?? now, lastFailure: reason, retryAt } : null,
    );
    return { outcome: f.kind === "throttled" ? "throttled" : "failed", reason, ...base };
  }
}
