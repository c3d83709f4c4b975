/**
 * The events RemoteItems contract on the in-memory twin and on Graph's adapter against the emulator
 * (app-only, Contoso consented): the same assertions, so the twin the scenarios run on behaves as Graph.
 */
import assert from "node:assert/strict";
import { MemoryRemoteItems } from "../../src/core/sync/memory-remote.ts";
import type { EventFields, SyncScope } from "../../src/core/sync/model.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { graphEventOf } from "../../src/graph/sync-event-fields.ts";
import { GraphEventItems } from "../../src/graph/sync-remote.ts";
import { startStack } from "../support/stack.ts";
import { emulatorControl, webhookReceiver } from "./emulator-fixture.ts";
import { type RemoteFixture, remoteItemsContract } from "./remote-contract.ts";
import { scopeOf, testClock } from "./rig.ts";

remoteItemsContract("memory", async () => {
  const clock = testClock();
  const remote = new MemoryRemoteItems(clock);
  const scope = scopeOf("event");
  const withoutMailbox = scopeOf("event", "u-kiosk");
  remote.setMailboxUnavailable(withoutMailbox.tenantId, withoutMailbox.userId, {
    kind: "mailbox-unavailable",
    graphCode: "MailboxNotEnabledForRESTAPI",
    consentLost: false,
  });
  return {
    remote,
    scope,
    withoutMailbox,
    now: clock.now,
    outlook: {
      create: async (fields, options) => remote.outlookCreate(scope, fields, options),
      rename: async (id, subject) => {
        remote.outlookUpdate(scope, id, { subject });
      },
      delete: async (id) => remote.outlookDelete(scope, id),
      expireDeltaTokens: async () => remote.expireDeltaTokens(scope),
      throttleNext: async (seconds) => remote.throttle(1, seconds * 1000),
      quirkyDelta: async (on) => remote.duplicateDeliveries(on),
    },
    close: async () => undefined,
  } satisfies RemoteFixture;
});

remoteItemsContract("Graph (emulator)", async () => {
  const stack = await startStack();
  const webhook = await webhookReceiver();
  assert.equal((await stack.consent()).status, 200);
  const { contoso } = DEMO;
  const scope: SyncScope = { tenantId: contoso.id, userId: contoso.users.ana.id, resource: "event" };
  const remote = new GraphEventItems({
    graph: stack.product.m365!.graph,
    notificationUrl: webhook.url,
    lifecycleNotificationUrl: null,
    clientState: () => "contract-client-state",
    now: () => stack.clock.now(),
    pageSize: 7,
  });
  const control = emulatorControl(stack);
  const events = `/tenants/${contoso.id}/users/${scope.userId}/events`;
  return {
    remote,
    scope,
    withoutMailbox: { ...scope, userId: contoso.noMailbox.id },
    now: () => stack.clock.now(),
    outlook: {
      create: async (fields: EventFields, options) => {
        const made = await control("POST", events, {
          ...graphEventOf(fields),
          ...(options?.transactionId ? { transactionId: options.transactionId } : {}),
        });
        return { id: made.id, changeKey: made.changeKey };
      },
      rename: async (id, subject) => {
        await control("PATCH", `${events}/${encodeURIComponent(id)}`, { subject });
      },
      delete: async (id) => {
        await control("DELETE", `${events}/${encodeURIComponent(id)}`);
      },
      expireDeltaTokens: async () => {
        await control("POST", `/tenants/${contoso.id}/delta/expire`);
      },
      quirkyDelta: async (on) => {
        await control("POST", `/tenants/${contoso.id}/delta/quirks`, { emptyPages: on, duplicates: on });
      },
      throttleNext: async (seconds) => {
        await control("POST", "/faults", {
          tenantId: contoso.id,
          mailbox: scope.userId,
          status: 429,
          retryAfterSeconds: seconds,
          count: 1,
        });
      },
    },
    close: async () => {
      await stack.stop();
      await webhook.close();
    },
  } satisfies RemoteFixture;
});
