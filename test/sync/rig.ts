/**
 * The sync scenarios' rig: the ports (any implementation), the controls a scenario needs to act as a
 * person in Outlook or in Quorum and to inject faults, a clock that moves only when told, and fixtures.
 * The in-memory twins implement the controls; a Graph-backed RemoteItems on the emulator, or a PostgreSQL
 * SyncStore, joins the same scenarios by providing a factory.
 */
import assert from "node:assert/strict";
import type { Clock } from "../../src/core/clock.ts";
import { SyncEngine } from "../../src/core/sync/engine.ts";
import { MemoryLocalItems } from "../../src/core/sync/memory-local.ts";
import { MemoryRemoteItems } from "../../src/core/sync/memory-remote.ts";
import { MemorySyncAccess, MemorySyncStore } from "../../src/core/sync/memory-store.ts";
import type {
  ContactFields,
  EventFields,
  SyncDirection,
  SyncResource,
  SyncScope,
  TaskFields,
} from "../../src/core/sync/model.ts";
import type { LocalItems, RemoteItems, SyncAccess, SyncStore } from "../../src/core/sync/ports.ts";

export const at = (iso: string) => Date.parse(iso);
export const TENANT = "tenant-1";
/** A Monday morning; every scenario starts here. */
export const NOW = at("2026-12-07T10:30:00Z");

export const scopeOf = (resource: SyncResource, userId = "u-alice"): SyncScope => ({
  tenantId: TENANT,
  userId,
  resource,
});
export const ALICE = scopeOf("event");

export type OutlookControls = Pick<
  MemoryRemoteItems,
  | "outlookCreate"
  | "outlookUpdate"
  | "outlookDelete"
  | "outlookItems"
  | "outlookItem"
  | "containersOf"
  | "subscriptionsOf"
  | "counts"
  | "resetCounts"
  | "throttle"
  | "expireDeltaTokens"
  | "expireDeltaTokensAfterPages"
  | "replayStale"
  | "replayRemoved"
  | "beforeNextWrite"
  | "duplicateDeliveries"
  | "emptyMailbox"
  | "setMailboxUnavailable"
  | "timeOutCreates"
  | "failContainerCreatesAfterCommit"
  | "crashAfterWrites"
  | "pageSize"
>;

export type QuorumControls = Pick<
  MemoryLocalItems,
  "quorumCreate" | "quorumUpdate" | "quorumDelete" | "items" | "crashAfterWrites" | "writes"
>;

export interface TestClock extends Clock {
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(start = NOW): TestClock {
  let now = start;
  return {
    now: () => now,
    set: (iso) => {
      now = at(iso);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface SyncRig {
  readonly remote: RemoteItems & OutlookControls;
  readonly local: LocalItems & QuorumControls;
  readonly store: SyncStore;
  readonly access: SyncAccess & Pick<MemorySyncAccess, "setSeat" | "setConsent">;
  readonly clock: TestClock;
  readonly engine: SyncEngine;
}

export type RigFactory = () => Promise<SyncRig>;

/** Builds a rig from ports; ids are deterministic. */
export function rigOf(ports: Omit<SyncRig, "engine">): SyncRig {
  let n = 0;
  const engine = new SyncEngine({
    remote: ports.remote,
    local: ports.local,
    store: ports.store,
    access: ports.access,
    clock: ports.clock,
    newId: () => `id-${String(++n).padStart(5, "0")}`,
  });
  return { ...ports, engine };
}

export const memoryRig: RigFactory = async () => {
  const clock = testClock();
  return rigOf({
    clock,
    remote: new MemoryRemoteItems(clock),
    local: new MemoryLocalItems(clock),
    store: new MemorySyncStore(),
    access: new MemorySyncAccess(),
  });
};

export const event = (overrides: Partial<EventFields> = {}): EventFields => ({
  resource: "event",
  kind: "single",
  subject: "Planning",
  body: null,
  start: at("2026-12-08T09:00:00Z"),
  end: at("2026-12-08T09:30:00Z"),
  timeZone: "Europe/Stockholm",
  isAllDay: false,
  location: null,
  showAs: "busy",
  isCancelled: false,
  attendees: [],
  recurrence: null,
  originalStart: null,
  ...overrides,
});

export const contact = (overrides: Partial<ContactFields> = {}): ContactFields => ({
  resource: "contact",
  displayName: "Dana Lind",
  givenName: "Dana",
  surname: "Lind",
  emails: ["dana@fabrikam.com"],
  phones: ["+46 8 123 456"],
  company: "Fabrikam",
  jobTitle: null,
  notes: null,
  ...overrides,
});

export const task = (overrides: Partial<TaskFields> = {}): TaskFields => ({
  resource: "task",
  title: "Send the agenda",
  body: null,
  status: "notStarted",
  importance: "normal",
  due: at("2026-12-09T17:00:00Z"),
  completedAt: null,
  ...overrides,
});

/** Switches sync on and runs rounds until the first full pass is done. */
export async function switchedOn(
  rig: SyncRig,
  scope: SyncScope = ALICE,
  options: { direction?: SyncDirection } = {},
) {
  await rig.engine.switchOn(scope, options);
  const report = await rig.engine.runRound(scope);
  if (report.outcome !== "synced") throw new Error(`first sync ended ${report.outcome}`);
  return report;
}

/** Quorum's live items of the scope whose Graph id is `remoteId`. */
export const quorumItemsFor = (rig: SyncRig, scope: SyncScope, remoteId: string) =>
  rig.local.items(scope).filter((i) => i.remoteId === remoteId);

/** A booking Quorum made (its event carries the booking's transaction id), synced once. */
export async function bookedAndSynced(rig: SyncRig, overrides: Partial<EventFields> = {}) {
  const transactionId = "quorum-booking-tx-1";
  const remote = rig.remote.outlookCreate(ALICE, event(overrides), { transactionId });
  const booking = rig.local.quorumCreate(ALICE, event(overrides), { remoteId: remote.id, transactionId });
  await switchedOn(rig);
  return { remote, booking };
}

/**
 * Every Graph item of the scope is mapped to exactly one live Quorum item and back: nothing duplicated,
 * nothing missing.
 */
export async function assertOneToOne(rig: SyncRig, scope: SyncScope = ALICE) {
  const remote = rig.remote.outlookItems(scope);
  const local = rig.local.items(scope);
  const byRemote = await rig.store.mappingsByRemote(
    scope,
    remote.map((r) => r.id),
  );
  assert.equal(byRemote.length, remote.length, "every Graph item is mapped");
  assert.deepEqual(
    byRemote.map((m) => m.localId).sort(),
    local.map((l) => l.localId).sort(),
    "every Quorum item is mapped, once",
  );
  return { remote, local };
}
