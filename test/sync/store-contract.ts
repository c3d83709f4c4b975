/**
 * What every SyncStore promises, asserted the same way on each implementation: compare-and-set on
 * revisions, unique mappings per scope, a mapping retired with its tombstone, one tombstone per item,
 * pass marks, byte-ordered sweeps, conflicts kept once, scopes kept apart.
 */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import {
  type ConflictRecord,
  defaultTenantSyncSettings,
  type ItemMapping,
  initialSyncState,
  type SyncScope,
  snapshotOf,
  type Tombstone,
} from "../../src/core/sync/model.ts";
import type { SyncStore } from "../../src/core/sync/ports.ts";
import { ALICE, at, event, NOW, scopeOf, TENANT } from "./rig.ts";

export type StoreFactory = () => Promise<SyncStore>;

const BOB = scopeOf("event", "u-bob");
const ALICE_CONTACTS = scopeOf("contact");

const mappingOf = (
  id: string,
  overrides: Partial<ItemMapping> = {},
  scope: SyncScope = ALICE,
): ItemMapping => ({
  ...scope,
  id,
  localId: `local-${id}`,
  remoteId: `AAMk-${id}`,
  transactionId: null,
  localVersion: "v1",
  remoteChangeKey: "ck1",
  remoteContainerId: "calendar-quorum",
  parentId: null,
  snapshot: snapshotOf(event({ subject: `Item ${id}` })),
  syncedAt: NOW,
  seenInPass: null,
  revision: 0,
  ...overrides,
});

const tombstoneOf = (overrides: Partial<Tombstone> = {}): Tombstone => ({
  ...ALICE,
  localId: "local-x",
  remoteId: "AAMk-x",
  localVersion: "v3",
  deletedIn: "microsoft",
  at: NOW,
  snapshot: snapshotOf(event()),
  ...overrides,
});

const conflictOf = (overrides: Partial<ConflictRecord> = {}): ConflictRecord => ({
  ...ALICE,
  mappingId: "m1",
  localId: "local-m1",
  remoteId: "AAMk-m1",
  at: NOW,
  policy: "most-recent-wins",
  winner: "microsoft",
  winning: { side: "microsoft", snapshot: snapshotOf(event({ subject: "Theirs" })), modifiedAt: NOW },
  losing: { side: "quorum", snapshot: snapshotOf(event({ subject: "Ours" })), modifiedAt: NOW - 60_000 },
  ...overrides,
});

/** Saves a new mapping and answers it as stored (revision 1). */
async function saved(store: SyncStore, m: ItemMapping): Promise<ItemMapping> {
  const w = await store.saveMapping(m, null);
  assert.ok(w.ok, `mapping ${m.id} saved`);
  return w.value;
}

export function syncStoreContract(label: string, factory: StoreFactory) {
  describe(`SyncStore contract on ${label}`, () => {
    test("a scope never saved reads as the initial state; saves are compare-and-set on the revision", async () => {
      const store = await factory();
      assert.deepEqual(await store.state(ALICE), initialSyncState(ALICE));
      const next = {
        ...initialSyncState(ALICE),
        status: "active" as const,
        deltaToken: "https://graph/delta?$deltatoken=1",
        window: { from: at("2026-11-07T00:00:00Z"), to: at("2027-06-05T00:00:00Z") },
        subscription: { id: "sub-1", expiresAt: NOW + 3 * 86_400_000 },
        lease: { owner: "worker-1", until: NOW + 60_000 },
        lastFailure: { code: "THROTTLED" as const, params: { retryAfterSeconds: 30 } },
        retryAt: NOW + 30_000,
      };
      const first = await store.saveState(next, 0);
      assert.ok(first.ok);
      assert.equal(first.value.revision, 1);
      assert.deepEqual(await store.state(ALICE), { ...next, revision: 1 });

      const stale = await store.saveState({ ...next, status: "paused" }, 0);
      assert.equal(stale.ok, false);
      assert.deepEqual(!stale.ok && stale.current, { ...next, revision: 1 });
      const again = await store.saveState({ ...first.value, deltaToken: "t2", lease: null }, 1);
      assert.ok(again.ok);
      assert.equal(again.value.revision, 2);
      assert.equal(again.value.deltaToken, "t2");
      const late = await store.saveState({ ...first.value, status: "off" }, 1);
      assert.equal(late.ok, false);
      assert.equal(!late.ok && late.current?.revision, 2);
      assert.equal((await store.state(ALICE)).status, "active");
    });

    test("a save with a revision the scope never had fails and answers the initial state", async () => {
      const store = await factory();
      const w = await store.saveState({ ...initialSyncState(ALICE), status: "active" }, 3);
      assert.equal(w.ok, false);
      assert.deepEqual(!w.ok && w.current, initialSyncState(ALICE));
    });

    test("a user's states are listed per resource; other users' stay apart", async () => {
      const store = await factory();
      await store.saveState({ ...initialSyncState(ALICE), status: "active" }, 0);
      await store.saveState({ ...initialSyncState(ALICE_CONTACTS), status: "filling" }, 0);
      await store.saveState({ ...initialSyncState(BOB), status: "paused" }, 0);
      const mine = await store.statesOf(TENANT, ALICE.userId);
      assert.deepEqual(mine.map((s) => [s.resource, s.status]).sort(), [
        ["contact", "filling"],
        ["event", "active"],
      ]);
      assert.deepEqual(await store.statesOf("other-tenant", ALICE.userId), []);
    });

    test("tenant settings default until saved, then read back as saved", async () => {
      const store = await factory();
      assert.deepEqual(await store.tenantSettings(TENANT), defaultTenantSyncSettings(TENANT));
      const mine = {
        ...defaultTenantSyncSettings(TENANT),
        conflictPolicy: "quorum-wins" as const,
        massDelete: { share: 0.25, minimum: 10 },
      };
      await store.saveTenantSettings(mine);
      await store.saveTenantSettings({ ...mine, chunkDays: 7 });
      assert.deepEqual(await store.tenantSettings(TENANT), { ...mine, chunkDays: 7 });
      assert.deepEqual(await store.tenantSettings("other"), defaultTenantSyncSettings("other"));
    });

    test("a mapping is saved once, then only against its current revision", async () => {
      const store = await factory();
      const m = await saved(store, mappingOf("m1"));
      assert.equal(m.revision, 1);
      assert.deepEqual(await store.mapping(ALICE, "m1"), m);
      assert.equal(await store.mapping(BOB, "m1"), null);

      const twice = await store.saveMapping(mappingOf("m1"), null);
      assert.equal(twice.ok, false);
      assert.deepEqual(!twice.ok && twice.current, m);

      const moved = await store.saveMapping({ ...m, remoteChangeKey: "ck2" }, 1);
      assert.ok(moved.ok);
      assert.equal(moved.value.revision, 2);
      assert.equal(moved.value.remoteChangeKey, "ck2");
      const stale = await store.saveMapping({ ...m, remoteChangeKey: "ck3" }, 1);
      assert.equal(stale.ok, false);
      assert.equal(!stale.ok && stale.current?.remoteChangeKey, "ck2");
      const gone = await store.saveMapping(mappingOf("m9"), 4);
      assert.deepEqual(gone, { ok: false, current: null });
    });

    test("mappings are unique per scope on the Quorum id, the Graph id and the transaction id", async () => {
      const store = await factory();
      const m1 = await saved(store, mappingOf("m1", { transactionId: "tx-1" }));
      for (const clash of [
        mappingOf("m2", { localId: m1.localId }),
        mappingOf("m2", { remoteId: m1.remoteId }),
        mappingOf("m2", { transactionId: "tx-1" }),
      ]) {
        const w = await store.saveMapping(clash, null);
        assert.equal(w.ok, false);
        assert.equal(!w.ok && w.current?.id, "m1");
      }
      const m2 = await saved(
        store,
        mappingOf("m2", { remoteId: null, transactionId: "tx-2", snapshot: null }),
      );
      const taken = await store.saveMapping({ ...m2, remoteId: m1.remoteId }, m2.revision);
      assert.equal(taken.ok, false);
      assert.equal(!taken.ok && taken.current?.id, "m1");
      // Nulls never clash; the same ids in another scope are another user's.
      await saved(store, mappingOf("m3", { remoteId: null, transactionId: null, snapshot: null }));
      await saved(store, mappingOf("m1", { transactionId: "tx-1" }, BOB));
    });

    test("mappings are found by Quorum ids, Graph ids and transaction id; pending creates by a missing snapshot", async () => {
      const store = await factory();
      await saved(store, mappingOf("m1"));
      await saved(store, mappingOf("m2", { remoteId: null, transactionId: "tx-2", snapshot: null }));
      await saved(store, mappingOf("m3", { parentId: "m1" }));
      await saved(store, mappingOf("m1", {}, BOB));
      const ids = (ms: ItemMapping[]) => ms.map((m) => m.id).sort();
      assert.deepEqual(ids(await store.mappingsByLocal(ALICE, ["local-m1", "local-m3", "nope"])), [
        "m1",
        "m3",
      ]);
      assert.deepEqual(ids(await store.mappingsByRemote(ALICE, ["AAMk-m1", "AAMk-m2", "AAMk-m3"])), [
        "m1",
        "m3",
      ]);
      assert.deepEqual(await store.mappingsByRemote(ALICE, []), []);
      assert.equal((await store.mappingByTransaction(ALICE, "tx-2"))?.id, "m2");
      assert.equal(await store.mappingByTransaction(BOB, "tx-2"), null);
      assert.deepEqual(ids(await store.pendingCreates(ALICE)), ["m2"]);
      assert.equal(await store.countRoots(ALICE), 1);
      assert.equal(await store.countRoots(BOB), 1);
    });

    test("a mapping is retired with its tombstone, only from its current revision", async () => {
      const store = await factory();
      const m = await saved(store, mappingOf("m1"));
      const t = tombstoneOf({ localId: m.localId, remoteId: m.remoteId, deletedIn: "quorum" });
      assert.deepEqual(await store.retireMapping(m, 7, t), { ok: false, current: null });
      assert.deepEqual(await store.tombstonesByRemote(ALICE, [m.remoteId!]), []);
      assert.deepEqual(await store.retireMapping(m, 1, t), { ok: true, value: null });
      assert.equal(await store.mapping(ALICE, "m1"), null);
      assert.deepEqual(await store.tombstonesByRemote(ALICE, [m.remoteId!]), [t]);
      assert.deepEqual(await store.tombstonesByLocal(ALICE, [m.localId]), [t]);
      assert.deepEqual(await store.retireMapping(m, 1, null), { ok: false, current: null });
      // Its keys are free again.
      await saved(store, mappingOf("m2", { localId: m.localId, remoteId: m.remoteId }));
    });

    test("one tombstone per item: a newer one replaces the older of the same Graph or Quorum id", async () => {
      const store = await factory();
      await store.putTombstone(tombstoneOf({ localId: "l1", remoteId: "r1", at: NOW }));
      await store.putTombstone(tombstoneOf({ localId: null, remoteId: "r1", at: NOW + 1000 }));
      await store.putTombstone(tombstoneOf({ localId: "l2", remoteId: null, at: NOW + 2000 }));
      await store.putTombstone(tombstoneOf({ ...BOB, localId: "l1", remoteId: "r1" }));
      assert.deepEqual(
        (await store.tombstonesByRemote(ALICE, ["r1"])).map((t) => [t.localId, t.at]),
        [[null, NOW + 1000]],
      );
      assert.deepEqual(await store.tombstonesByLocal(ALICE, ["l1"]), []);
      assert.equal((await store.tombstonesByLocal(ALICE, ["l2"]))[0]?.remoteId, null);
      assert.equal((await store.tombstonesByLocal(BOB, ["l1"])).length, 1);
      assert.equal(await store.pruneTombstones(NOW + 1500), 2);
      assert.deepEqual(await store.tombstonesByRemote(ALICE, ["r1"]), []);
      assert.equal((await store.tombstonesByLocal(ALICE, ["l2"])).length, 1);
    });

    test("a switched-off container's mappings are dropped, the others kept", async () => {
      const store = await factory();
      await saved(store, mappingOf("m1"));
      await saved(store, mappingOf("m2", { remoteContainerId: "calendar-default" }));
      await saved(store, mappingOf("m3"));
      await saved(store, mappingOf("m1", {}, BOB));
      assert.equal(await store.unlinkContainer(ALICE, "calendar-quorum"), 2);
      assert.deepEqual(
        (await store.mappingsByLocal(ALICE, ["local-m1", "local-m2", "local-m3"])).map((m) => m.id),
        ["m2"],
      );
      assert.ok(await store.mapping(BOB, "m1"));
    });

    test("a full pass marks what it saw; the sweep pages the rest in byte order of ids", async () => {
      const store = await factory();
      for (const id of ["b", "B", "a", "a-2", "c", "Z"]) await saved(store, mappingOf(id));
      await saved(store, mappingOf("p", { remoteId: null, snapshot: null, transactionId: "tx-p" }));
      await store.markSeen(ALICE, "pass-1", ["AAMk-a", "AAMk-c", "AAMk-unknown"]);
      const seen = await store.mapping(ALICE, "a");
      assert.equal(seen?.seenInPass, "pass-1");
      assert.equal(seen?.revision, 1, "a mark is not a write of the mapping");
      const first = await store.unseen(ALICE, "pass-1", null, 3);
      assert.deepEqual(
        first.map((m) => m.id),
        ["B", "Z", "a-2"],
      );
      const rest = await store.unseen(ALICE, "pass-1", "a-2", 10);
      assert.deepEqual(
        rest.map((m) => m.id),
        ["b"],
      );
      assert.equal((await store.unseen(ALICE, "pass-2", null, 100)).length, 6);
    });

    test("a conflict is recorded once per mapping and pair of versions, in order", async () => {
      const store = await factory();
      const c1 = conflictOf();
      await store.recordConflict(c1);
      await store.recordConflict({ ...c1, at: NOW + 1 });
      const c2 = conflictOf({ losing: { side: "quorum", snapshot: null, modifiedAt: null }, at: NOW + 2 });
      await store.recordConflict(c2);
      await store.recordConflict(c2);
      const c3 = conflictOf({ mappingId: null, at: NOW + 3 });
      await store.recordConflict(c3);
      await store.recordConflict(c3);
      assert.deepEqual(await store.conflicts(ALICE), [c1, c2, c3]);
      assert.deepEqual(await store.conflicts(BOB), []);
    });
  });
}
