/**
 * The sync engine on the real adapters: Graph's events against the emulator and the sync store on the
 * product's database (Quorum's side in memory until bookings join as LocalItems). A first full pass over a
 * demo mailbox, then changes each way, with If-Match writes and no echo.
 */
import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import { SyncEngine } from "../../src/core/sync/engine.ts";
import { MemoryLocalItems } from "../../src/core/sync/memory-local.ts";
import { MemorySyncAccess } from "../../src/core/sync/memory-store.ts";
import type { EventFields, SyncScope } from "../../src/core/sync/model.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { graphEventOf } from "../../src/graph/sync-event-fields.ts";
import { GraphEventItems } from "../../src/graph/sync-remote.ts";
import { DrizzleSyncStore } from "../../src/store/sync.ts";
import { type Stack, startStack } from "../support/stack.ts";
import { emulatorControl, webhookReceiver } from "./emulator-fixture.ts";
import { event } from "./rig.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const { contoso } = DEMO;

describe("sync engine on Graph (emulator) and the database store", () => {
  let stack: Stack;
  let webhook: Awaited<ReturnType<typeof webhookReceiver>>;
  let control: ReturnType<typeof emulatorControl>;
  let remote: GraphEventItems;
  let local: MemoryLocalItems;
  let engine: SyncEngine;
  let day: number;
  const scope: SyncScope = { tenantId: contoso.id, userId: contoso.users.erik.id, resource: "event" };

  beforeAll(async () => {
    stack = await startStack();
    control = emulatorControl(stack);
    assert.equal((await stack.consent()).status, 200);
    webhook = await webhookReceiver();
    const clock = { now: () => stack.clock.now() };
    remote = new GraphEventItems({
      graph: stack.product.m365!.graph,
      notificationUrl: webhook.url,
      lifecycleNotificationUrl: null,
      clientState: () => "engine-client-state",
      now: clock.now,
    });
    local = new MemoryLocalItems(clock);
    let n = 0;
    engine = new SyncEngine({
      remote,
      local,
      store: new DrizzleSyncStore(stack.product.database.db),
      access: new MemorySyncAccess(),
      clock,
      newId: () => `id-${String(++n).padStart(5, "0")}`,
    });
    day = Math.floor(clock.now() / DAY) * DAY + 2 * DAY + 9 * HOUR;
  });
  afterAll(async () => {
    await stack?.stop();
    await webhook?.close();
  });

  const events = `/tenants/${contoso.id}/users/${scope.userId}/events`;
  const mirrorOf = (remoteId: string) => local.items(scope).filter((i) => i.remoteId === remoteId);

  test("switching on makes the Quorum calendar and a subscription; the first pass mirrors the mailbox", async () => {
    const state = await engine.switchOn(scope);
    assert.ok(state.containerId);
    assert.ok(state.subscription);
    const report = await engine.runRound(scope);
    assert.equal(report.outcome, "synced", JSON.stringify(report));
    assert.ok(report.counts.pulledCreates > 0, "the demo mailbox has meetings in the window");
    assert.equal(report.counts.pushedCreates, 0);
    const again = await engine.runRound(scope);
    assert.equal(again.outcome, "synced");
    assert.equal(again.counts.pulledCreates + again.counts.pulledUpdates + again.counts.pushedUpdates, 0);
  });

  test("an event made in Outlook reaches Quorum; a change in Quorum reaches Outlook with If-Match, once", async () => {
    const fields: EventFields = event({ subject: "Dentist", start: day, end: day + HOUR });
    const made = await control("POST", events, graphEventOf(fields));
    const pulled = await engine.runRound(scope);
    assert.equal(pulled.counts.pulledCreates, 1, JSON.stringify(pulled.counts));
    const [mirrored, ...more] = mirrorOf(made.id);
    assert.ok(mirrored);
    assert.deepEqual(more, []);
    assert.equal((mirrored.fields as EventFields).subject, "Dentist");

    local.quorumUpdate(scope, mirrored.localId, {
      subject: "Dentist (moved)",
      start: day + HOUR,
      end: day + 2 * HOUR,
    });
    const pushed = await engine.runRound(scope);
    assert.equal(pushed.counts.pushedUpdates, 1, JSON.stringify(pushed.counts));
    const inOutlook = await remote.get(scope, made.id);
    assert.ok(inOutlook.ok);
    assert.equal((inOutlook.value.fields as EventFields).subject, "Dentist (moved)");
    assert.equal((inOutlook.value.fields as EventFields).start, day + HOUR);

    const quiet = await engine.runRound(scope);
    assert.equal(
      quiet.counts.pulledUpdates + quiet.counts.pushedUpdates,
      0,
      "Quorum's write is not read back",
    );
  });

  test("an item made in Quorum goes to the Quorum calendar, once", async () => {
    const item = local.quorumCreate(
      scope,
      event({ subject: "Focus time", start: day + 3 * HOUR, end: day + 4 * HOUR }),
    );
    const first = await engine.runRound(scope);
    assert.equal(first.counts.pushedCreates, 1, JSON.stringify(first.counts));
    const store = new DrizzleSyncStore(stack.product.database.db);
    const state = await store.state(scope);
    const [mapping] = await store.mappingsByLocal(scope, [item.localId]);
    assert.ok(mapping?.remoteId);
    assert.equal(mapping.remoteContainerId, state.containerId);
    const second = await engine.runRound(scope);
    assert.equal(second.counts.pushedCreates, 0);
  });

  test("switching off removes the subscription and the Quorum calendar; Quorum keeps its items", async () => {
    const before = local.items(scope).length;
    const state = await engine.switchOff(scope);
    assert.equal(state.containerId, null);
    assert.equal(state.subscription, null);
    const found = await remote.findContainer(scope, "Quorum");
    assert.deepEqual(found, { ok: true, value: null });
    assert.equal(local.items(scope).length, before);
  });
});
