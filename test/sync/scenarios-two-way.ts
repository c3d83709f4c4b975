/**
 * Sync scenarios, part one: changes flowing each way, conflicts under each policy, echoes, stale
 * preconditions, recurring series, one-way directions, contacts and tasks. Run against any ports.
 */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import {
  type ContactFields,
  conflictPolicies,
  defaultTenantSyncSettings,
  type EventFields,
  type ItemFields,
  type TaskFields,
} from "../../src/core/sync/model.ts";
import {
  ALICE,
  at,
  bookedAndSynced,
  contact,
  event,
  quorumItemsFor,
  type RigFactory,
  type SyncRig,
  scopeOf,
  switchedOn,
  TENANT,
  task,
} from "./rig.ts";

const MINUTE = 60_000;
const ev = (f: { fields: unknown }) => f.fields as EventFields;
type Held = { fields: ItemFields } | null | undefined;
const subjectOf = (x: Held) => (x?.fields.resource === "event" ? x.fields.subject : undefined);
const startOf = (x: Held) => (x?.fields.resource === "event" ? x.fields.start : undefined);

export function twoWayScenarios(label: string, factory: RigFactory) {
  describe(`sync scenarios (two-way) on ${label}`, () => {
    test("a new Outlook event appears in Quorum, with its history saying so", async () => {
      const rig = await factory();
      await switchedOn(rig);
      const made = rig.remote.outlookCreate(ALICE, event({ subject: "Dentist" }));
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.outcome, "synced");
      assert.equal(report.counts.pulledCreates, 1);
      const [mirrored, ...more] = quorumItemsFor(rig, ALICE, made.id);
      assert.ok(mirrored);
      assert.deepEqual(more, []);
      assert.equal(ev(mirrored).subject, "Dentist");
      const history = await rig.local.history(ALICE, mirrored.localId);
      assert.deepEqual(
        history.map((h) => h.note.kind),
        ["created-in-outlook"],
      );
    });

    test("a booking and its event are paired on the first sync, never copied", async () => {
      const rig = await factory();
      const { remote, booking } = await bookedAndSynced(rig);
      assert.deepEqual(
        rig.remote.outlookItems(ALICE).map((i) => i.id),
        [remote.id],
      );
      assert.deepEqual(
        rig.local.items(ALICE).map((i) => i.localId),
        [booking.localId],
      );
      const [mapping] = await rig.store.mappingsByLocal(ALICE, [booking.localId]);
      assert.equal(mapping?.remoteId, remote.id);
    });

    test("a booking whose event id is not written yet is paired with its event by transaction id", async () => {
      const rig = await factory();
      await switchedOn(rig);
      // The booking service created the event; the booking row does not know the event's id yet.
      const booking = rig.local.quorumCreate(ALICE, event(), { transactionId: "quorum-booking-tx-2" });
      const remote = rig.remote.outlookCreate(ALICE, event(), { transactionId: "quorum-booking-tx-2" });
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.pulledCreates + report.counts.pushedCreates, 0);
      assert.equal(rig.local.items(ALICE).length, 1);
      assert.equal(rig.remote.outlookItems(ALICE).length, 1);
      const [mapping] = await rig.store.mappingsByLocal(ALICE, [booking.localId]);
      assert.equal(mapping?.remoteId, remote.id);
    });

    test("a booking moved in Outlook moves in Quorum, its history saying it changed in Outlook", async () => {
      const rig = await factory();
      const { remote, booking } = await bookedAndSynced(rig);
      rig.clock.advance(MINUTE);
      rig.remote.outlookUpdate(ALICE, remote.id, {
        start: at("2026-12-08T13:00:00Z"),
        end: at("2026-12-08T13:30:00Z"),
      });
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.pulledUpdates, 1);
      const moved = await rig.local.get(ALICE, booking.localId);
      assert.equal(ev(moved!).start, at("2026-12-08T13:00:00Z"));
      const last = (await rig.local.history(ALICE, booking.localId)).at(-1)!.note;
      assert.equal(last.kind, "changed-in-outlook");
      assert.equal(startOf(last.before), at("2026-12-08T09:00:00Z"));
      assert.equal(last.conflict, null);
    });

    test("attendees declining and the meeting cancelled in Outlook reach the booking", async () => {
      const rig = await factory();
      const carol = { email: "carol@contoso.com", type: "required", response: "none" } as const;
      const { remote, booking } = await bookedAndSynced(rig, { attendees: [carol] });
      rig.remote.outlookUpdate(ALICE, remote.id, { attendees: [{ ...carol, response: "declined" }] });
      await rig.engine.runRound(ALICE);
      const declined = await rig.local.get(ALICE, booking.localId);
      assert.equal(ev(declined!).attendees[0]?.response, "declined");
      rig.remote.outlookDelete(ALICE, remote.id);
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.pulledDeletes, 1);
      assert.equal(await rig.local.get(ALICE, booking.localId), null);
      assert.deepEqual(
        (await rig.local.history(ALICE, booking.localId)).map((h) => h.note.kind),
        ["changed-in-outlook", "deleted-in-outlook"],
      );
    });

    test("a booking changed in Quorum updates Outlook with If-Match, once", async () => {
      const rig = await factory();
      const { remote, booking } = await bookedAndSynced(rig);
      rig.remote.resetCounts();
      rig.local.quorumUpdate(ALICE, booking.localId, { subject: "Planning, room 4" });
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.pushedUpdates, 1);
      const now = rig.remote.outlookItem(ALICE, remote.id)!;
      assert.equal(ev(now).subject, "Planning, room 4");
      assert.notEqual(now.changeKey, remote.changeKey);
      const counts = rig.remote.counts();
      assert.equal(counts.update, 1);
      assert.equal(counts.get, 0, "the stored changeKey matched: no re-read");
      const [mapping] = await rig.store.mappingsByLocal(ALICE, [booking.localId]);
      assert.equal(
        mapping?.remoteChangeKey,
        now.changeKey,
        "the changeKey of Quorum's own write is recorded",
      );
    });

    for (const policy of conflictPolicies) {
      test(`both sides changed: ${policy} decides, and the losing version is kept`, async () => {
        const rig = await factory();
        await rig.store.saveTenantSettings({ ...defaultTenantSyncSettings(TENANT), conflictPolicy: policy });
        const { remote, booking } = await bookedAndSynced(rig);
        rig.clock.advance(MINUTE);
        rig.remote.outlookUpdate(ALICE, remote.id, { subject: "Outlook's title" });
        rig.clock.advance(MINUTE);
        rig.local.quorumUpdate(ALICE, booking.localId, { subject: "Quorum's title" });
        const report = await rig.engine.runRound(ALICE);
        assert.equal(report.counts.conflicts, 1);
        // Quorum's edit is the later one, so most-recent-wins sides with Quorum.
        const [winner, loser] =
          policy === "microsoft-wins"
            ? ["Outlook's title", "Quorum's title"]
            : ["Quorum's title", "Outlook's title"];
        assert.equal(ev(rig.remote.outlookItem(ALICE, remote.id)!).subject, winner);
        assert.equal(ev((await rig.local.get(ALICE, booking.localId))!).subject, winner);
        const [conflict, ...others] = await rig.store.conflicts(ALICE);
        assert.deepEqual(others, []);
        assert.equal(conflict?.policy, policy);
        assert.equal(subjectOf(conflict?.losing.snapshot), loser);
        const kept = (await rig.local.history(ALICE, booking.localId)).find((h) => h.note.conflict);
        assert.equal(subjectOf(kept?.note.conflict?.losing), loser);
        assert.equal(
          kept?.note.kind,
          policy === "microsoft-wins" ? "changed-in-outlook" : "outlook-version-lost",
        );
      });
    }

    test("most-recent-wins takes Outlook's edit when it is the later one", async () => {
      const rig = await factory();
      const { remote, booking } = await bookedAndSynced(rig);
      rig.clock.advance(MINUTE);
      rig.local.quorumUpdate(ALICE, booking.localId, { subject: "Quorum's title" });
      rig.clock.advance(MINUTE);
      rig.remote.outlookUpdate(ALICE, remote.id, { subject: "Outlook's title" });
      await rig.engine.runRound(ALICE);
      assert.equal(ev((await rig.local.get(ALICE, booking.localId))!).subject, "Outlook's title");
      assert.equal(ev(rig.remote.outlookItem(ALICE, remote.id)!).subject, "Outlook's title");
    });

    test("Quorum's own writes do not come back as changes: the next round writes nothing", async () => {
      const rig = await factory();
      const { remote, booking } = await bookedAndSynced(rig);
      rig.local.quorumUpdate(ALICE, booking.localId, { subject: "Pushed from Quorum" });
      rig.remote.outlookCreate(
        ALICE,
        event({
          subject: "Pulled from Outlook",
          start: at("2026-12-09T09:00:00Z"),
          end: at("2026-12-09T10:00:00Z"),
        }),
      );
      const busy = await rig.engine.runRound(ALICE);
      assert.equal(busy.counts.pushedUpdates + busy.counts.pulledCreates, 2);
      rig.remote.resetCounts();
      const quorumWrites = rig.local.writes;
      const idle = await rig.engine.runRound(ALICE);
      assert.equal(idle.outcome, "synced");
      const {
        pulledCreates,
        pulledUpdates,
        pulledDeletes,
        pushedCreates,
        pushedUpdates,
        pushedDeletes,
        recorded,
      } = idle.counts;
      assert.deepEqual(
        [pulledCreates, pulledUpdates, pulledDeletes, pushedCreates, pushedUpdates, pushedDeletes, recorded],
        [0, 0, 0, 0, 0, 0, 0],
      );
      assert.equal(rig.remote.counts().writes, 0);
      assert.equal(rig.local.writes, quorumWrites);
      assert.equal(ev(rig.remote.outlookItem(ALICE, remote.id)!).subject, "Pushed from Quorum");
    });

    test("a stale If-Match (412) is re-read and re-diffed: the same edit on both sides just settles", async () => {
      const rig = await factory();
      const { remote, booking } = await bookedAndSynced(rig);
      rig.local.quorumUpdate(ALICE, booking.localId, { subject: "Retro" });
      rig.remote.beforeNextWrite(() => rig.remote.outlookUpdate(ALICE, remote.id, { subject: "Retro" }));
      rig.remote.resetCounts();
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.conflicts, 0);
      const counts = rig.remote.counts();
      assert.equal(counts.update, 1, "the refused write is not repeated: both sides agree");
      assert.equal(counts.get, 1, "the item was re-read after the 412");
      const [mapping] = await rig.store.mappingsByLocal(ALICE, [booking.localId]);
      assert.equal(mapping?.remoteChangeKey, rig.remote.outlookItem(ALICE, remote.id)!.changeKey);
      assert.equal((await rig.engine.runRound(ALICE)).counts.recorded, 0);
    });

    test("a stale If-Match (412) over a different edit becomes a conflict the policy settles", async () => {
      const rig = await factory();
      await rig.store.saveTenantSettings({
        ...defaultTenantSyncSettings(TENANT),
        conflictPolicy: "quorum-wins",
      });
      const { remote, booking } = await bookedAndSynced(rig);
      rig.local.quorumUpdate(ALICE, booking.localId, { subject: "Quorum's title" });
      rig.remote.beforeNextWrite(() =>
        rig.remote.outlookUpdate(ALICE, remote.id, { subject: "Outlook's title" }),
      );
      rig.remote.resetCounts();
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.conflicts, 1);
      assert.equal(rig.remote.counts().update, 2, "refused once, then written over the re-read changeKey");
      assert.equal(ev(rig.remote.outlookItem(ALICE, remote.id)!).subject, "Quorum's title");
      const [conflict] = await rig.store.conflicts(ALICE);
      assert.equal(subjectOf(conflict?.losing.snapshot), "Outlook's title");
    });

    const weekly = event({
      kind: "series",
      subject: "Weekly sync",
      start: at("2026-12-08T09:00:00Z"),
      end: at("2026-12-08T09:30:00Z"),
      recurrence: { frequency: "weekly", interval: 1, daysOfWeek: ["tuesday"], count: 6, until: null },
    });

    /** Quorum's series item and its instances, checking every instance hangs off the series. */
    async function seriesInQuorum(rig: SyncRig, masterId: string) {
      const items = rig.local.items(ALICE);
      const masters = items.filter((i) => ev(i).kind === "series");
      assert.equal(masters.length, 1, "one series");
      assert.equal(masters[0]!.remoteId, masterId);
      assert.deepEqual(
        items.filter((i) => ev(i).kind === "single"),
        [],
        "no occurrence became a meeting of its own",
      );
      const instances = items.filter((i) => ev(i).kind === "occurrence" || ev(i).kind === "exception");
      for (const i of instances) assert.equal(i.parentLocalId, masters[0]!.localId);
      const [seriesMapping] = await rig.store.mappingsByRemote(ALICE, [masterId]);
      for (const m of await rig.store.mappingsByLocal(
        ALICE,
        instances.map((i) => i.localId),
      ))
        assert.equal(m.parentId, seriesMapping?.id);
      return { master: masters[0]!, instances };
    }

    test("a series with a moved and a cancelled occurrence maps as one series plus its instances", async () => {
      const rig = await factory();
      const master = rig.remote.outlookCreate(ALICE, weekly);
      const occurrences = rig.remote.outlookItems(ALICE);
      assert.equal(occurrences.length, 6);
      rig.remote.outlookUpdate(ALICE, occurrences[1]!.id, {
        start: at("2026-12-15T14:00:00Z"),
        end: at("2026-12-15T14:30:00Z"),
      });
      rig.remote.outlookDelete(ALICE, occurrences[3]!.id);
      await switchedOn(rig);
      const { instances } = await seriesInQuorum(rig, master.id);
      assert.equal(instances.length, 5);
      const exceptions = instances.filter((i) => ev(i).kind === "exception");
      assert.equal(exceptions.length, 1);
      assert.equal(ev(exceptions[0]!).start, at("2026-12-15T14:00:00Z"));
      assert.equal(ev(exceptions[0]!).originalStart, at("2026-12-15T09:00:00Z"));
    });

    test("an occurrence edited in Outlook after sync becomes an exception of its series, not a new meeting", async () => {
      const rig = await factory();
      const master = rig.remote.outlookCreate(ALICE, weekly);
      await switchedOn(rig);
      const before = await seriesInQuorum(rig, master.id);
      assert.equal(before.instances.length, 6);
      const [, second, , fourth] = rig.remote.outlookItems(ALICE);
      rig.remote.outlookUpdate(ALICE, second!.id, {
        start: at("2026-12-15T14:00:00Z"),
        end: at("2026-12-15T14:30:00Z"),
      });
      rig.remote.outlookDelete(ALICE, fourth!.id);
      const report = await rig.engine.runRound(ALICE);
      assert.equal(report.counts.pulledCreates, 0);
      assert.equal(report.counts.pulledUpdates, 1);
      assert.equal(report.counts.pulledDeletes, 1);
      const after = await seriesInQuorum(rig, master.id);
      assert.equal(after.instances.length, 5);
      const moved = after.instances.find((i) => i.remoteId === second!.id)!;
      assert.equal(ev(moved).kind, "exception");
      assert.equal(ev(moved).start, at("2026-12-15T14:00:00Z"));
      assert.equal(moved.localId, before.instances.find((i) => i.remoteId === second!.id)!.localId);
      const cancelled = before.instances.find((i) => i.remoteId === fourth!.id)!;
      assert.equal(await rig.local.get(ALICE, cancelled.localId), null);
      assert.deepEqual(
        (await rig.local.history(ALICE, cancelled.localId)).map((h) => h.note.kind),
        ["created-in-outlook", "deleted-in-outlook"],
      );
    });

    test("from-microsoft: Outlook's changes arrive, Quorum's stay in Quorum", async () => {
      const rig = await factory();
      await switchedOn(rig, ALICE, { direction: "from-microsoft" });
      const made = rig.remote.outlookCreate(ALICE, event({ subject: "Dentist" }));
      await rig.engine.runRound(ALICE);
      const [mirror] = quorumItemsFor(rig, ALICE, made.id);
      rig.local.quorumUpdate(ALICE, mirror!.localId, { subject: "Edited in Quorum" });
      rig.local.quorumCreate(ALICE, event({ subject: "Quorum only" }));
      rig.remote.resetCounts();
      await rig.engine.runRound(ALICE);
      assert.equal(rig.remote.counts().writes, 0);
      assert.equal(ev(rig.remote.outlookItem(ALICE, made.id)!).subject, "Dentist");
      rig.remote.outlookUpdate(ALICE, made.id, { subject: "Dentist, moved" });
      await rig.engine.runRound(ALICE);
      assert.equal(ev((await rig.local.get(ALICE, mirror!.localId))!).subject, "Dentist, moved");
    });

    test("to-microsoft: Quorum's items go to its Outlook container, Outlook's edits stay in Outlook", async () => {
      const rig = await factory();
      const state = await rig.engine.switchOn(ALICE, { direction: "to-microsoft" });
      const hold = rig.local.quorumCreate(ALICE, event({ subject: "Hold: planning", showAs: "tentative" }));
      await rig.engine.runRound(ALICE);
      const pushed = rig.remote.outlookItems(ALICE).filter((i) => i.containerId === state.containerId);
      assert.equal(pushed.length, 1);
      assert.equal(ev(pushed[0]!).subject, "Hold: planning");
      const foreign = rig.remote.outlookCreate(ALICE, event({ subject: "Not for Quorum" }));
      rig.remote.outlookUpdate(ALICE, pushed[0]!.id, { subject: "Edited in Outlook" });
      await rig.engine.runRound(ALICE);
      assert.deepEqual(quorumItemsFor(rig, ALICE, foreign.id), []);
      assert.equal(ev((await rig.local.get(ALICE, hold.localId))!).subject, "Hold: planning");
      rig.local.quorumUpdate(ALICE, hold.localId, { subject: "Hold: planning, later" });
      await rig.engine.runRound(ALICE);
      assert.equal(ev(rig.remote.outlookItem(ALICE, pushed[0]!.id)!).subject, "Hold: planning, later");
    });

    test("contacts: Quorum's go to the Quorum contacts folder, edits come back", async () => {
      const rig = await factory();
      const scope = scopeOf("contact");
      const state = await rig.engine.switchOn(scope);
      assert.deepEqual(
        rig.remote
          .containersOf(scope)
          .filter((c) => c.name === "Quorum contacts")
          .map((c) => c.id),
        [state.containerId],
      );
      const dana = rig.local.quorumCreate(scope, contact());
      await rig.engine.runRound(scope);
      const [pushed, ...more] = rig.remote.outlookItems(scope);
      assert.deepEqual(more, []);
      assert.equal(pushed?.containerId, state.containerId);
      rig.remote.outlookUpdate(scope, pushed!.id, { jobTitle: "Buyer" });
      await rig.engine.runRound(scope);
      assert.equal(((await rig.local.get(scope, dana.localId))!.fields as ContactFields).jobTitle, "Buyer");
    });

    test("tasks: one added to the Quorum list in To Do arrives; completing it in Quorum reaches To Do", async () => {
      const rig = await factory();
      const scope = scopeOf("task");
      const state = await rig.engine.switchOn(scope);
      await rig.engine.runRound(scope);
      const todo = rig.remote.outlookCreate(scope, task(), { containerId: state.containerId! });
      await rig.engine.runRound(scope);
      const [mine] = quorumItemsFor(rig, scope, todo.id);
      assert.ok(mine);
      rig.local.quorumUpdate(scope, mine.localId, {
        status: "completed",
        completedAt: at("2026-12-07T11:00:00Z"),
      });
      await rig.engine.runRound(scope);
      assert.equal((rig.remote.outlookItem(scope, todo.id)!.fields as TaskFields).status, "completed");
    });
  });
}
