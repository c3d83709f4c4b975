/**
 * What a round works with: the ports, the scope and its settings, the counts it reports, and the failure
 * that ends it early (throttled, mailbox gone, outage) with everything settled so far kept.
 */
import type { Clock } from "../clock.ts";
import type { SyncDirection, SyncScope, TenantSyncSettings } from "./model.ts";
import type { LocalItems, RemoteFailure, RemoteItems, RemoteResult, SyncAccess, SyncStore } from "./ports.ts";

export interface SyncDeps {
  readonly remote: RemoteItems;
  readonly local: LocalItems;
  readonly store: SyncStore;
  readonly access: SyncAccess;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Quorum's changes and items are read this many at a time (default 200). */
  readonly pageSize?: number;
}

export interface RoundCounts {
  pulledCreates: number;
  pulledUpdates: number;
  pulledDeletes: number;
  pushedCreates: number;
  pushedUpdates: number;
  pushedDeletes: number;
  conflicts: number;
  recorded: number;
  /** Changes for items already deleted (tombstoned) that a replay delivered again, ignored. */
  staleIgnored: number;
  /** Pairs that kept failing their precondition and wait for the next round. */
  deferred: number;
}

export const emptyCounts = (): RoundCounts => ({
  pulledCreates: 0,
  pulledUpdates: 0,
  pulledDeletes: 0,
  pushedCreates: 0,
  pushedUpdates: 0,
  pushedDeletes: 0,
  conflicts: 0,
  recorded: 0,
  staleIgnored: 0,
  deferred: 0,
});

export interface RoundContext {
  readonly deps: SyncDeps;
  readonly scope: SyncScope;
  readonly settings: TenantSyncSettings;
  readonly direction: SyncDirection;
  /** Where Quorum's new items go on Microsoft's side. */
  readonly containerId: string | null;
  readonly counts: RoundCounts;
}

/** A Graph failure that ends the round (throttled, mailbox gone, outage); the round's progress is kept. */
export class RoundAbort extends Error {
  readonly failure: RemoteFailure;
  constructor(failure: RemoteFailure) {
    super(`sync round stopped: ${failure.kind}`);
    this.name = "RoundAbort";
    this.failure = failure;
  }
}

/** The value, or the round ends with the failure. */
export function must<T>(result: RemoteResult<T>): T {
  if (!result.ok) throw new RoundAbort(result.failure);
  return result.value;
}
