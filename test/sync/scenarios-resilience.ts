/**
 * Sync scenarios, part two: what goes wrong. Expired delta tokens, crashes mid-pass, creates that time
 * out, stale replays and tombstones, a mailbox suddenly empty, switching off and on, throttling, seats and
 * consent lost, and how many Graph requests an idle round costs. Run against any ports.
 */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import {
  defaultTenantSyncSettings,
  describeSyncReason,
  type EventFields,
  mirrorFreshness,
  syncProgress,
  syncResources,
} from "../../src/core/sync/model.ts";
import {
  ALICE,
  assertOneToOne,
  at,
  bookedAndSynced,
  contact,
  event,
  NOW,
  quorumItemsFor,
  type RigFactory,
  type SyncRig,
  scopeOf,
  switchedOn,
  TENANT,
  task,
} from "./rig.ts";

const DAY = 24 * 60 * 60_000;
const ev = (f: { fields: unknown }) => f.fields as EventFields;
const meetingOnDay = (day: number, subject = `Meeting on day ${day}`) =>
  event({ subject, start: NOW + day * DAY, end: NOW + day * DAY + 30 * 60_000 });

/** Eight Outlook meetings, mirrored. */
async function eightMirrored(rig: SyncRig) {
  const made = Array.from({ length: 8 }, (_, i) => rig.remote.outlookCreate(ALICE, meetingOnDay(i + 1)));
  await switchedOn(rig);
  return made;
}

export function resilienceScenarios(label: string, factory: RigFactory) {
  describe(`sync scenarios (resilience) on ${label}`, () => {
    test("a delta token that expires mid-round leads to a full resync through the mappings: no duplicates", async () => {
      const rig = await factory();
      rig.remote.pageSize = 2;
      const before = rig.remote.outlookCreate(ALICE, meetingOnDay(1, "Before"));
      rig.local.quorumCreate(ALICE, meetingOnDay(2, "Hold from Quorum"));
      await switchedOn(rig);
      for (let i = 0; i < 5; i++) rig.remote.outlookCreate(ALICE, meetingOnDay(10 + i));
      rig.remote.outlookUpdate(ALICE, before.id, { subject: "Before, edited" });
      rig.remote.expireDeltaTokensAfterPages(ALICE, 1);
      rig.remote.resetCounts();
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.outcome, "synced");
      assert.equal(report.fullPass, "token-expired");
      assert.equal(rig.remote.counts().create, 0, "nothing re-created in Outlook");
      assert.equal(rig.remote.counts().delete, 0, "nothing deleted in Outlook");
      const { remote, local } = await assertOneToOne(rig);
      assert.equal(remote.length, 7);
      assert.equal(local.length, 7);
      assert.equal(ev(quorumItemsFor(rig, ALICE, before.id)[0]!).subject, "Before, edited");
      rig.remote.resetCounts();
      assert.equal((await rig.engine.runRound(ALICE)).fullPass, null);
      assert.equal(rig.remote.counts().total, 1);
    });

    test("a first sync that crashes after some writes resumes from its checkpoint: no duplicate, no gap, future first", async () => {
      const rig = await factory();
      rig.remote.pageSize = 3;
      const days = [-25, -15, -5, -1, 1, 3, 5, 9, 20, 33, 47, 60, 90, 120, 150, 170];
      for (const d of days) rig.remote.outlookCreate(ALICE, meetingOnDay(d));
      for (const d of [2, 40, -10]) rig.local.quorumCreate(ALICE, meetingOnDay(d, `Hold on day ${d}`));
      await rig.engine.switchOn(ALICE);
      rig.local.crashAfterWrites(7);
      await assert.rejects(rig.engine.runRound(ALICE), /injected crash/);
      const halfway = await rig.store.state(ALICE);
      assert.equal(halfway.status, "filling");
      assert.equal(mirrorFreshness(halfway, rig.clock.now()).readable, false);
      const progress = syncProgress(halfway);
      assert.ok(progress && progress.itemsSeen > 0 && progress.part === "future", JSON.stringify(progress));
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.outcome, "synced");
      const { remote, local } = await assertOneToOne(rig);
      assert.equal(remote.length, days.length + 3);
      assert.equal(local.length, days.length + 3);
      // Quorum filled the future before the past.
      const pulled = local
        .filter((l) => l.remoteId !== null)
        .sort((a, b) => Number(a.localId.split("-").at(-1)) - Number(b.localId.split("-").at(-1)))
        .map((l) => ev(l).start >= NOW);
      assert.deepEqual(
        pulled,
        [...pulled].sort((a, b) => Number(b) - Number(a)),
      );
    });

    test("a crash while creating in Outlook, and a create that times out, make each item once", async () => {
      const rig = await factory();
      await switchedOn(rig);
      for (const d of [1, 2, 3, 4]) rig.local.quorumCreate(ALICE, meetingOnDay(d, `Hold ${d}`));
      rig.remote.crashAfterWrites(2);
      await assert.rejects(rig.engine.runRound(ALICE), /injected crash/);
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "synced");
      assert.equal(rig.remote.outlookItems(ALICE).length, 4);
      // A create that commits but answers a timeout, and the look-up after it is throttled: the next round
      // finds the item by its transaction id instead of creating it again.
      rig.local.quorumCreate(ALICE, meetingOnDay(5, "Hold 5"));
      rig.remote.timeOutCreates(1);
      rig.remote.beforeNextWrite(() => rig.remote.throttle(1, 2_000));
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "throttled");
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "synced");
      const { remote } = await assertOneToOne(rig);
      assert.equal(remote.filter((r) => ev(r).subject === "Hold 5").length, 1);
      assert.equal(remote.length, 5);
    });

    test("a Quorum item deleted while its create timed out is deleted in Outlook, not brought back", async () => {
      const rig = await factory();
      await switchedOn(rig);
      const hold = rig.local.quorumCreate(ALICE, meetingOnDay(5, "Hold"));
      rig.remote.timeOutCreates(1);
      rig.remote.beforeNextWrite(() => rig.remote.throttle(1, 2_000));
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "throttled");
      assert.equal(rig.remote.outlookItems(ALICE).length, 1, "the create landed");
      rig.local.quorumDelete(ALICE, hold.localId);
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.outcome, "synced");
      assert.deepEqual(rig.remote.outlookItems(ALICE), []);
      assert.deepEqual(rig.local.items(ALICE), []);
    });

    test("deleted in Quorum: deleted in Outlook, and a stale replay does not bring it back", async () => {
      const rig = await factory();
      const { remote, booking } = await bookedAndSynced(rig);
      rig.local.quorumDelete(ALICE, booking.localId);
      assert.equal((await rig.engine.runRound(ALICE)).counts.pushedDeletes, 1);
      assert.equal(rig.remote.outlookItem(ALICE, remote.id), null);
      rig.remote.replayStale(ALICE, remote.id);
      const replayed = await rig.engine.runRound(ALICE);
      assert.equal(replayed.counts.staleIgnored, 1);
      assert.equal(replayed.counts.pulledCreates, 0);
      assert.deepEqual(rig.local.items(ALICE), []);
      assert.deepEqual(rig.remote.outlookItems(ALICE), []);
      assert.equal(await rig.store.pruneTombstones(rig.clock.now() + 1), 1);
    });

    test("a deleted meeting re-created is not deleted again by replays of the old deletion", async () => {
      const rig = await factory();
      const { remote, booking } = await bookedAndSynced(rig);
      rig.remote.outlookDelete(ALICE, remote.id);
      assert.equal((await rig.engine.runRound(ALICE)).counts.pulledDeletes, 1);
      const again = rig.remote.outlookCreate(ALICE, event());
      assert.equal((await rig.engine.runRound(ALICE)).counts.pulledCreates, 1);
      rig.remote.replayRemoved(ALICE, remote.id);
      rig.remote.replayStale(ALICE, remote.id);
      const replayed = await rig.engine.runRound(ALICE);
      assert.equal(replayed.counts.pulledDeletes + replayed.counts.pushedDeletes, 0);
      assert.equal(replayed.counts.pulledCreates, 0);
      assert.equal(await rig.local.get(ALICE, booking.localId), null, "the old booking stays deleted");
      assert.equal(quorumItemsFor(rig, ALICE, again.id).length, 1);
      assert.ok(rig.remote.outlookItem(ALICE, again.id));
    });

    test("Quorum's version re-created over Outlook's deletion (quorum-wins) is not doubled by a replay of the old one", async () => {
      const rig = await factory();
      await rig.store.saveTenantSettings({
        ...defaultTenantSyncSettings(TENANT),
        conflictPolicy: "quorum-wins",
      });
      const { remote, booking } = await bookedAndSynced(rig);
      rig.remote.outlookDelete(ALICE, remote.id);
      rig.local.quorumUpdate(ALICE, booking.localId, { subject: "Still on, says Quorum" });
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.pushedCreates, 1);
      assert.equal(report.counts.conflicts, 1);
      const [recreated, ...more] = rig.remote.outlookItems(ALICE);
      assert.deepEqual(more, []);
      assert.equal(ev(recreated!).subject, "Still on, says Quorum");
      assert.equal(
        (await rig.local.history(ALICE, booking.localId)).at(-1)?.note.kind,
        "recreated-in-outlook",
      );
      rig.remote.replayStale(ALICE, remote.id);
      const replayed = await rig.engine.runRound(ALICE);
      assert.equal(replayed.counts.staleIgnored, 1);
      await assertOneToOne(rig);
      assert.equal(rig.local.items(ALICE).length, 1);
    });

    test("a mailbox suddenly empty pauses sync with a reason; nothing is deleted in Quorum", async () => {
      const rig = await factory();
      await eightMirrored(rig);
      rig.remote.emptyMailbox(ALICE.tenantId, ALICE.userId);
      rig.remote.resetCounts();
      const writes = rig.local.writes;
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.outcome, "paused");
      assert.deepEqual(report.reason, {
        code: "MASS_DELETE",
        params: { side: "microsoft", deletions: 8, of: 8 },
      });
      assert.match(describeSyncReason(report.reason!), /Nothing was deleted/);
      assert.equal(rig.local.items(ALICE).length, 8);
      assert.equal(rig.local.writes, writes);
      assert.equal(rig.remote.counts().get, 0, "paused before confirming a single removal");
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "paused");
      assert.equal((await rig.engine.freshness(ALICE)).readable, false);
      await rig.engine.resume(ALICE, { confirmDeletions: true });
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "synced");
      assert.deepEqual(rig.local.items(ALICE), []);
    });

    test("a mailbox emptied while the delta token expired pauses the full resync before its sweep deletes", async () => {
      const rig = await factory();
      await eightMirrored(rig);
      rig.remote.emptyMailbox(ALICE.tenantId, ALICE.userId);
      rig.remote.expireDeltaTokens(ALICE);
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.outcome, "paused");
      assert.equal(report.reason?.code, "MASS_DELETE");
      assert.equal(rig.local.items(ALICE).length, 8);
    });

    test("Quorum suddenly losing most items pauses sync; Outlook keeps them", async () => {
      const rig = await factory();
      await eightMirrored(rig);
      for (const item of rig.local.items(ALICE).slice(0, 6)) rig.local.quorumDelete(ALICE, item.localId);
      const report = await rig.engine.runRound(ALICE);
      assert.deepEqual(report.reason, {
        code: "MASS_DELETE",
        params: { side: "quorum", deletions: 6, of: 8 },
      });
      assert.equal(rig.remote.outlookItems(ALICE).length, 8);
    });

    test("switching off removes the container and subscription and keeps Quorum's data; on again creates nothing twice", async () => {
      const rig = await factory();
      rig.remote.failContainerCreatesAfterCommit(1);
      const first = await rig.engine.switchOn(ALICE);
      const second = await rig.engine.switchOn(ALICE);
      assert.equal(second.containerId, first.containerId);
      const quorumContainers = () => rig.remote.containersOf(ALICE).filter((c) => c.name === "Quorum");
      assert.equal(quorumContainers().length, 1, "created once, found by name after a 500");
      assert.equal(rig.remote.subscriptionsOf(ALICE).length, 1);
      assert.deepEqual((await rig.engine.settings(ALICE.tenantId, ALICE.userId)).resources, {
        event: { enabled: true, direction: "two-way" },
        contact: { enabled: false, direction: "two-way" },
        task: { enabled: false, direction: "two-way" },
      });
      rig.local.quorumCreate(ALICE, meetingOnDay(2, "Hold from Quorum"));
      rig.remote.outlookCreate(ALICE, meetingOnDay(3, "Dentist"));
      await rig.engine.runRound(ALICE);
      const kept = rig.local.items(ALICE);
      assert.equal(kept.length, 2);

      const off = await rig.engine.switchOff(ALICE);
      assert.equal(off.status, "off");
      assert.deepEqual(quorumContainers(), []);
      assert.deepEqual(rig.remote.subscriptionsOf(ALICE), []);
      assert.deepEqual(rig.local.items(ALICE), kept, "Quorum keeps its data");
      assert.equal((await rig.engine.freshness(ALICE)).kind, "off");
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "off");

      await rig.engine.switchOn(ALICE);
      await rig.engine.switchOn(ALICE);
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "synced");
      assert.equal(quorumContainers().length, 1);
      assert.equal(rig.remote.subscriptionsOf(ALICE).length, 1);
      const { remote, local } = await assertOneToOne(rig);
      assert.deepEqual(remote.map((r) => ev(r).subject).sort(), ["Dentist", "Hold from Quorum"]);
      assert.equal(local.length, 2);
    });

    test("a switch-off that Graph throttles is finished by the next round", async () => {
      const rig = await factory();
      await switchedOn(rig);
      rig.remote.throttle(1, 1_000);
      await assert.rejects(
        rig.engine.switchOff(ALICE),
        (e: unknown) => (e as { code?: string }).code === "GRAPH_UNAVAILABLE",
      );
      assert.equal((await rig.store.state(ALICE)).status, "off", "sync stops at once");
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "off");
      assert.deepEqual(rig.remote.subscriptionsOf(ALICE), []);
      assert.deepEqual(
        rig.remote.containersOf(ALICE).filter((c) => c.name === "Quorum"),
        [],
      );
      const state = await rig.store.state(ALICE);
      assert.equal(state.containerId, null);
      assert.equal(state.subscription, null);
    });

    test("an idle round costs one delta request per resource and writes nothing", async () => {
      const rig = await factory();
      for (const resource of syncResources) await switchedOn(rig, scopeOf(resource));
      rig.remote.outlookCreate(ALICE, meetingOnDay(1));
      rig.local.quorumCreate(scopeOf("contact"), contact());
      rig.local.quorumCreate(scopeOf("task"), task());
      for (const resource of syncResources) await rig.engine.runRound(scopeOf(resource));
      rig.remote.resetCounts();
      const writes = rig.local.writes;
      for (const resource of syncResources)
        assert.equal((await rig.engine.runRound(scopeOf(resource))).outcome, "synced");
      const counts = rig.remote.counts();
      assert.equal(counts.delta, 3);
      assert.equal(counts.total, 3);
      assert.equal(counts.writes, 0);
      assert.equal(rig.local.writes, writes);
    });

    test("freshness: mirrored seconds ago, stale after an unprocessed notification, failing while throttled", async () => {
      const rig = await factory();
      await eightMirrored(rig);
      rig.clock.advance(8_000);
      assert.deepEqual(await rig.engine.freshness(ALICE), { kind: "fresh", readable: true, ageMs: 8_000 });
      await rig.engine.markChanged(ALICE);
      rig.clock.advance(2 * 60_000);
      assert.equal((await rig.engine.freshness(ALICE)).kind, "stale");
      const token = (await rig.store.state(ALICE)).deltaToken;
      rig.remote.throttle(1, 30_000);
      const throttled = await rig.engine.runRound(ALICE);
      assert.equal(throttled.outcome, "throttled");
      assert.deepEqual(throttled.reason, { code: "THROTTLED", params: { retryAfterSeconds: 30 } });
      const failing = await rig.store.state(ALICE);
      assert.equal(failing.deltaToken, token, "the token is kept for the retry");
      assert.equal(failing.retryAt, rig.clock.now() + 30_000);
      assert.equal((await rig.engine.freshness(ALICE)).kind, "failing");
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "synced");
      assert.equal((await rig.engine.freshness(ALICE)).kind, "fresh");
    });

    test("losing the seat, the consent or the mailbox stops sync with a code; the seat back resumes it", async () => {
      const rig = await factory();
      await eightMirrored(rig);
      rig.access.setSeat(ALICE.tenantId, ALICE.userId, false);
      assert.deepEqual((await rig.engine.runRound(ALICE)).reason, { code: "SEAT_REMOVED" });
      assert.equal((await rig.store.state(ALICE)).status, "stopped");
      await assert.rejects(
        rig.engine.switchOn(scopeOf("contact")),
        (e: unknown) => (e as { code?: string }).code === "SEAT_REQUIRED",
      );
      rig.access.setSeat(ALICE.tenantId, ALICE.userId, true);
      assert.equal((await rig.engine.runRound(ALICE)).outcome, "synced");
      rig.access.setConsent(ALICE.tenantId, false);
      assert.deepEqual((await rig.engine.runRound(ALICE)).reason, { code: "CONSENT_REVOKED" });
      rig.access.setConsent(ALICE.tenantId, true);
      rig.remote.setMailboxUnavailable(ALICE.tenantId, ALICE.userId, {
        kind: "mailbox-unavailable",
        graphCode: "MailboxNotEnabledForRESTAPI",
        consentLost: false,
      });
      const stopped = await rig.engine.runRound(ALICE);
      assert.equal(stopped.outcome, "stopped");
      assert.deepEqual(stopped.reason, {
        code: "MAILBOX_UNAVAILABLE",
        params: { graphCode: "MailboxNotEnabledForRESTAPI" },
      });
      assert.equal(rig.local.items(ALICE).length, 8, "nothing is deleted when the mailbox goes away");
    });

    test("the calendar window moves on through the mappings: nothing written, nothing that left it deleted", async () => {
      const rig = await factory();
      const old = rig.remote.outlookCreate(ALICE, meetingOnDay(-25, "Old"));
      rig.remote.outlookCreate(ALICE, meetingOnDay(4, "Soon"));
      await switchedOn(rig);
      rig.clock.advance(8 * DAY);
      rig.remote.resetCounts();
      const writes = rig.local.writes;
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.outcome, "synced");
      assert.equal(report.fullPass, "window-renewed");
      assert.equal(rig.remote.counts().writes, 0);
      assert.equal(rig.local.writes, writes);
      assert.equal(
        quorumItemsFor(rig, ALICE, old.id).length,
        1,
        "a meeting that left the window stays in Quorum",
      );
      const state = await rig.store.state(ALICE);
      assert.equal(state.window?.from, rig.clock.now() - 30 * DAY);
    });

    test("two rounds of one user at once: one runs, the other finds it busy", async () => {
      const rig = await factory();
      await eightMirrored(rig);
      rig.remote.outlookCreate(ALICE, meetingOnDay(20));
      const outcomes = (await Promise.all([rig.engine.runRound(ALICE), rig.engine.runRound(ALICE)])).map(
        (r) => r.outcome,
      );
      assert.deepEqual(outcomes.sort(), ["busy", "synced"]);
      assert.equal((await rig.store.state(ALICE)).lease, null);
      await assertOneToOne(rig);
    });

    test("delta pages that repeat their items make each item once", async () => {
      const rig = await factory();
      await switchedOn(rig);
      rig.remote.pageSize = 2;
      rig.remote.duplicateDeliveries(true);
      for (const d of [1, 2, 3]) rig.remote.outlookCreate(ALICE, meetingOnDay(d));
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.pulledCreates, 3);
      const { local } = await assertOneToOne(rig);
      assert.equal(local.length, 3);
      assert.equal(at("2026-12-07T10:30:00Z"), NOW);
    });
  });
}
