import assert from "node:assert/strict";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { CONTOSO_DEFAULT_USERS, DEMO } from "../../src/emulator/seed.ts";
import { appToken, control, graphClient, pageAll, raw, webhookReceiver } from "./support.ts";

const C = DEMO.contoso;
const NOW = Date.parse("2026-11-24T10:00:00Z");

describe("emulator: Graph conformance with the real Graph client", () => {
  let emu: Emulator;
  let graph: Client;
  let token: string;
  beforeAll(async () => {
    emu = await startEmulator({ clock: { now: () => NOW } });
    await control(emu, "POST", `/tenants/${C.id}/consent`, {});
    token = await appToken(emu, C.id);
    graph = graphClient(emu, async () => token);
  });
  afterAll(async () => {
    await emu.close();
  });

  test("users: paging to the end, $filter, $select, $count needs ConsistencyLevel", async () => {
    const paged = await pageAll<{ id: string; userPrincipalName: string }>(graph, "/users?$top=7");
    assert.equal(paged.items.length, CONTOSO_DEFAULT_USERS);
    assert.equal(new Set(paged.items.map((u) => u.id)).size, CONTOSO_DEFAULT_USERS);
    assert.ok(paged.pages >= 6);
    const starts = await graph.api("/users").filter("startsWith(displayName,'Ana')").get();
    assert.ok(starts.value.some((u: { id: string }) => u.id === C.users.ana.id));
    const byMail = await graph
      .api("/users")
      .filter(`mail eq '${C.users.claire.mail.toUpperCase()}'`)
      .select("id,accountEnabled,proxyAddresses")
      .get();
    assert.deepEqual(
      byMail.value.map((u: { id: string }) => u.id),
      [C.users.claire.id],
    );
    assert.equal(byMail.value[0].accountEnabled, true);
    assert.equal(byMail.value[0].displayName, undefined, "$select limits the properties");
    const proxy = await graph
      .api("/users")
      .filter(`proxyAddresses/any(p:p eq 'smtp:${C.users.claire.upn}')`)
      .get();
    assert.equal(proxy.value[0]?.id, C.users.claire.id);
    await assert.rejects(
      graph.api("/users").query({ $count: "true" }).get(),
      (e: { statusCode?: number; code?: string }) =>
        e.statusCode === 400 && e.code === "Request_UnsupportedQuery",
    );
    const counted = await graph
      .api("/users")
      .header("ConsistencyLevel", "eventual")
      .query({ $count: "true" })
      .filter("accountEnabled eq false")
      .get();
    assert.equal(counted["@odata.count"], 1);
    await assert.rejects(
      graph.api("/users").top(1000).get(),
      (e: { statusCode?: number }) => e.statusCode === 400,
    );
  });

  test("users/delta: rounds report additions, changes and deletions", async () => {
    const first = await pageAll<{ id: string }>(graph, "/users/delta?$select=displayName,mail&$top=15");
    assert.equal(first.items.length, CONTOSO_DEFAULT_USERS);
    const deltaLink = first.last["@odata.deltaLink"] as string;
    assert.ok(deltaLink);
    const latest = await graph.api("/users/delta?$select=displayName,mail&$deltatoken=latest").get();
    assert.deepEqual(latest.value, [], "$deltatoken=latest answers no items, only a deltaLink");
    const created = await control<{ id: string }>(emu, "POST", `/tenants/${C.id}/users`, {
      displayName: "Nora New",
      mail: "nora.new@contoso.com",
      timeZone: "Europe/Paris",
    });
    assert.equal(created.status, 201);
    await control(emu, "PATCH", `/tenants/${C.id}/users/${C.users.lucas.upn}`, {
      displayName: "Lucas O. Oliveira",
    });
    await control(emu, "DELETE", `/tenants/${C.id}/users/${C.users.sofia.upn}`);
    const second = await pageAll<{ id: string; displayName?: string; "@removed"?: { reason: string } }>(
      graph,
      deltaLink,
    );
    const summary = second.items
      .map((u) => (u["@removed"] ? `removed:${u.id}:${u["@removed"].reason}` : `changed:${u.displayName}`))
      .sort();
    assert.deepEqual(
      summary,
      ["changed:Lucas O. Oliveira", "changed:Nora New", `removed:${C.users.sofia.id}:changed`].sort(),
    );
    await control(emu, "PATCH", `/tenants/${C.id}/users/${C.users.james.upn}`, { jobTitle: "Head of SDRs" });
    const sinceLatest = await pageAll<{ id: string }>(graph, latest["@odata.deltaLink"] as string);
    assert.equal(sinceLatest.items.length, 4, "the three earlier changes and the new one");
  });

  test("groups with members, rooms as places", async () => {
    const groups = await graph.api("/groups").get();
    assert.deepEqual(
      groups.value.map((g: { displayName: string }) => g.displayName),
      ["Sales", "SDRs", "Support"],
    );
    const members = await pageAll<{ id: string; "@odata.type": string }>(
      graph,
      `/groups/${C.groups.sales.id}/members?$top=3`,
    );
    assert.ok(members.items.some((m) => m.id === C.users.ana.id));
    assert.ok(members.items.every((m) => m["@odata.type"] === "#microsoft.graph.user"));
    const rooms = await graph.api("/places/microsoft.graph.room").get();
    assert.equal(rooms.value.length, 4);
    assert.deepEqual(
      rooms.value.map((r: { emailAddress: string }) => r.emailAddress).sort(),
      Object.values(C.rooms)
        .map((r) => r.mail)
        .sort(),
    );
    assert.ok(rooms.value.every((r: { capacity: number }) => r.capacity > 0));
  });

  test("$batch: per-item status, a throttled item with its own Retry-After, dependsOn 424, limits", async () => {
    const fault = await control<{ id: string }>(emu, "POST", "/faults", {
      mailbox: C.users.james.upn,
      status: 429,
      retryAfterSeconds: 7,
      count: 1,
    });
    const res = await graph.api("/$batch").post({
      requests: [
        { id: "1", method: "GET", url: `/users/${C.users.ana.upn}` },
        { id: "2", method: "GET", url: `/users/${C.users.james.upn}/mailboxSettings` },
        { id: "3", method: "GET", url: `/users/${C.users.james.upn}/mailboxSettings`, dependsOn: ["2"] },
        { id: "4", method: "GET", url: "/users/nobody@contoso.com" },
        {
          id: "5",
          method: "POST",
          url: `/users/${C.users.ana.upn}/calendar/getSchedule`,
          body: {
            schedules: [C.users.erik.mail],
            startTime: { dateTime: "2026-11-23T00:00:00", timeZone: "UTC" },
            endTime: { dateTime: "2026-11-24T00:00:00", timeZone: "UTC" },
          },
        },
      ],
    });
    const byId = new Map(
      (
        res.responses as {
          id: string;
          status: number;
          headers: Record<string, string>;
          body: Record<string, unknown>;
        }[]
      ).map((r) => [r.id, r]),
    );
    assert.equal(byId.get("1")?.status, 200);
    assert.equal(byId.get("2")?.status, 429);
    assert.equal(byId.get("2")?.headers["Retry-After"], "7");
    assert.equal((byId.get("2")!.body.error as { code: string }).code, "TooManyRequests");
    assert.equal(byId.get("3")?.status, 424);
    assert.equal(byId.get("4")?.status, 404);
    assert.equal(byId.get("5")?.status, 400, "a body without Content-Type is refused per item");
    assert.equal((await control(emu, "GET", "/faults")).status, 200);
    assert.equal(
      (await control(emu, "DELETE", `/faults/${fault.body.id}`)).status,
      404,
      "the one-shot fault retired itself",
    );
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/users" }));
    await assert.rejects(
      graph.api("/$batch").post({ requests: tooMany }),
      (e: { statusCode?: number }) => e.statusCode === 400,
    );
  });

  test("$batch through the SDK's BatchRequestContent / BatchResponseContent", async () => {
    const { BatchRequestContent, BatchResponseContent } = await import("@microsoft/microsoft-graph-client");
    const batch = new BatchRequestContent([
      { id: "me", request: new Request(`${emu.graphBaseUrl}/users/${C.users.ana.upn}`, { method: "GET" }) },
      {
        id: "event",
        request: new Request(`${emu.graphBaseUrl}/users/${C.users.ana.upn}/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            subject: "Batched",
            start: { dateTime: "2026-11-26T08:00:00", timeZone: "UTC" },
            end: { dateTime: "2026-11-26T08:30:00", timeZone: "UTC" },
          }),
        }),
        dependsOn: ["me"],
      },
    ]);
    const response = new BatchResponseContent(await graph.api("/$batch").post(await batch.getContent()));
    const me = response.getResponseById("me");
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { id: string }).id, C.users.ana.id);
    const event = response.getResponseById("event");
    assert.equal(event.status, 201);
    assert.equal(((await event.json()) as { subject: string }).subject, "Batched");
  });

  test("faults: 5xx share, latency and dropped connections, scoped to a mailbox", async () => {
    await control(emu, "POST", "/faults", {
      mailbox: C.users.erik.id,
      path: "/mailboxSettings",
      status: 503,
      retryAfterSeconds: 2,
    });
    await assert.rejects(
      graph.api(`/users/${C.users.erik.upn}/mailboxSettings`).get(),
      (e: { statusCode?: number }) => e.statusCode === 503,
    );
    const other = await graph.api(`/users/${C.users.ana.upn}/mailboxSettings`).get();
    assert.ok(other.timeZone, "other mailboxes are unaffected");
    await control(emu, "DELETE", "/faults");
    await control(emu, "POST", "/faults", { mailbox: C.users.erik.id, drop: true, count: 1 });
    await assert.rejects(
      raw(emu, `/v1.0/users/${C.users.erik.id}/mailboxSettings`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    const recovered = await graph.api(`/users/${C.users.erik.upn}/mailboxSettings`).get();
    assert.ok(recovered.workingHours);
  });

  test("subscriptions: validation handshake, a real notification on change, lifecycle events, renew and delete", async () => {
    const hook = await webhookReceiver();
    try {
      const sub = await graph.api("/subscriptions").post({
        changeType: "created,updated,deleted",
        notificationUrl: `${hook.url}/notifications`,
        lifecycleNotificationUrl: `${hook.url}/lifecycle`,
        resource: `/users/${C.users.erik.id}/events`,
        expirationDateTime: new Date(NOW + 3 * 86_400_000).toISOString(),
        clientState: "secret-state",
      });
      assert.ok(sub.id);
      // "Someone edited the meeting in Outlook."
      const ev = await control<{ id: string }>(
        emu,
        "POST",
        `/tenants/${C.id}/users/${C.users.erik.upn}/events`,
        {
          subject: "Edited in Outlook",
          start: { dateTime: "2026-11-27T10:00:00", timeZone: "UTC" },
          end: { dateTime: "2026-11-27T11:00:00", timeZone: "UTC" },
        },
      );
      await hook.waitFor(1);
      const note = (hook.received[0]!.body.value as Record<string, unknown>[])[0] as Record<string, unknown>;
      assert.equal(hook.received[0]?.path, "/notifications");
      assert.equal(note.subscriptionId, sub.id);
      assert.equal(note.clientState, "secret-state");
      assert.equal(note.changeType, "created");
      assert.equal(note.tenantId, C.id);
      assert.equal((note.resourceData as { id: string }).id, ev.body.id);
      assert.equal(
        (await control(emu, "POST", `/subscriptions/${sub.id}/lifecycle`, { event: "missed" })).status,
        202,
      );
      await hook.waitFor(2);
      assert.equal(hook.received[1]?.path, "/lifecycle");
      assert.equal(
        (hook.received[1]!.body.value as { lifecycleEvent: string }[])[0]?.lifecycleEvent,
        "missed",
      );
      const renewed = await graph
        .api(`/subscriptions/${sub.id}`)
        .patch({ expirationDateTime: new Date(NOW + 6 * 86_400_000).toISOString() });
      assert.equal(Date.parse(renewed.expirationDateTime), NOW + 6 * 86_400_000);
      await assert.rejects(
        graph
          .api(`/subscriptions/${sub.id}`)
          .patch({ expirationDateTime: new Date(NOW + 8 * 86_400_000).toISOString() }),
        (e: { statusCode?: number }) => e.statusCode === 400,
      );
      await graph.api(`/subscriptions/${sub.id}`).delete();
      await assert.rejects(
        graph.api(`/subscriptions/${sub.id}`).get(),
        (e: { statusCode?: number }) => e.statusCode === 404,
      );
    } finally {
      await hook.close();
    }
    const deaf = await webhookReceiver({ echoToken: false });
    try {
      await assert.rejects(
        graph.api("/subscriptions").post({
          changeType: "updated",
          notificationUrl: `${deaf.url}/n`,
          resource: `/users/${C.users.erik.id}/events`,
          expirationDateTime: new Date(NOW + 86_400_000).toISOString(),
        }),
        (e: { statusCode?: number; message?: string }) =>
          e.statusCode === 400 && /validation/i.test(e.message ?? ""),
      );
    } finally {
      await deaf.close();
    }
  });

  test("subscriptions on the directory: a created user is notified; subscriptionRemoved ends the subscription", async () => {
    const hook = await webhookReceiver();
    try {
      const sub = await graph.api("/subscriptions").post({
        changeType: "created,updated,deleted",
        notificationUrl: `${hook.url}/users`,
        resource: "/users",
        expirationDateTime: new Date(NOW + 86_400_000).toISOString(),
      });
      const created = await control<{ id: string }>(emu, "POST", `/tenants/${C.id}/users`, {
        displayName: "Webhook Person",
        mail: "webhook.person@contoso.com",
      });
      await hook.waitFor(1);
      const note = (
        hook.received[0]!.body.value as { changeType: string; resourceData: { id: string } }[]
      )[0];
      assert.equal(note?.changeType, "created");
      assert.equal(note?.resourceData.id, created.body.id);
      assert.equal(
        (await control(emu, "POST", `/subscriptions/${sub.id}/lifecycle`, { event: "subscriptionRemoved" }))
          .status,
        202,
      );
      await hook.waitFor(2);
      assert.equal(
        (hook.received[1]!.body.value as { lifecycleEvent: string }[])[0]?.lifecycleEvent,
        "subscriptionRemoved",
      );
      await assert.rejects(
        graph.api(`/subscriptions/${sub.id}`).get(),
        (e: { statusCode?: number }) => e.statusCode === 404,
      );
    } finally {
      await hook.close();
    }
  });

  test("telephone numbers: assign -> 202 + operation to poll, list, conflicting assignment fails, unassign", async () => {
    const pool = await control<{
      value: { telephoneNumber: string; numberType: string; assignmentStatus: string }[];
    }>(emu, "GET", `/tenants/${C.id}/phone-numbers`);
    const free = pool.body.value.find(
      (n) => n.assignmentStatus === "unassigned" && n.numberType === "callingPlan",
    );
    assert.ok(free);
    const base = "/admin/teams/telephoneNumberManagement";
    /** POSTs assignNumber or unassignNumber of the free number for `userId`; Graph answers 202 + operation. */
    const numberAction = (action: "assignNumber" | "unassignNumber", userId: string) =>
      raw(emu, `/v1.0${base}/numberAssignments/${action}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          telephoneNumber: free.telephoneNumber,
          assignmentTargetId: userId,
          numberType: "callingPlan",
        }),
      });
    const assign = await numberAction("assignNumber", C.users.ana.id);
    assert.equal(assign.status, 202);
    const location = assign.headers.get("location") ?? "";
    assert.match(location, /\/operations\//);
    const poll1 = await graph.api(location).get();
    assert.equal(poll1.status, "running");
    const poll2 = await graph.api(location).get();
    assert.equal(poll2.status, "succeeded");
    const assigned = await graph
      .api(`${base}/numberAssignments`)
      .filter(`assignmentTargetId eq '${C.users.ana.id}'`)
      .get();
    assert.deepEqual(
      assigned.value.map((n: { telephoneNumber: string }) => n.telephoneNumber),
      [free.telephoneNumber],
    );
    const clash = await numberAction("assignNumber", C.users.erik.id);
    const clashLocation = clash.headers.get("location") ?? "";
    await graph.api(clashLocation).get();
    const failed = await graph.api(clashLocation).get();
    assert.equal(failed.status, "failed");
    assert.equal(failed.error.code, "NumberAlreadyAssigned");
    const un = await numberAction("unassignNumber", C.users.ana.id);
    await graph.api(un.headers.get("location") ?? "").get();
    assert.equal((await graph.api(un.headers.get("location") ?? "").get()).status, "succeeded");
    const after = await control<{ value: { telephoneNumber: string; assignmentStatus: string }[] }>(
      emu,
      "GET",
      `/tenants/${C.id}/phone-numbers`,
    );
    assert.equal(
      after.body.value.find((n) => n.telephoneNumber === free.telephoneNumber)?.assignmentStatus,
      "unassigned",
    );
  });

  test("contacts and To Do: list, create, delta rounds with changes and deletions", async () => {
    const folders = await graph.api(`/users/${C.users.ana.upn}/contactFolders`).get();
    const folderId = folders.value[0].id as string;
    const round1 = await pageAll<{ id: string; displayName: string }>(
      graph,
      `/users/${C.users.ana.upn}/contactFolders/${folderId}/contacts/delta?$select=displayName`,
      { Prefer: "odata.maxpagesize=2" },
    );
    assert.equal(round1.items.length, 5);
    const created = await graph
      .api(`/users/${C.users.ana.upn}/contacts`)
      .post({ givenName: "Pat", surname: "Buyer", emailAddresses: [{ address: "pat@northwind.example" }] });
    await graph.api(`/users/${C.users.ana.upn}/contacts/${round1.items[0]?.id}`).delete();
    const round2 = await pageAll<{ id: string; displayName?: string; "@removed"?: unknown }>(
      graph,
      round1.last["@odata.deltaLink"] as string,
    );
    assert.deepEqual(
      round2.items.map((c) => (c["@removed"] ? `removed:${c.id}` : `changed:${c.displayName}`)).sort(),
      [`changed:Pat Buyer`, `removed:${round1.items[0]?.id}`].sort(),
    );
    assert.ok(created.id);

    const lists = await graph.api(`/users/${C.users.ana.upn}/todo/lists`).get();
    const listId = lists.value[0].id as string;
    const tasks1 = await pageAll<{ id: string; title: string }>(
      graph,
      `/users/${C.users.ana.upn}/todo/lists/${listId}/tasks/delta`,
    );
    assert.equal(tasks1.items.length, 4);
    const task = await graph
      .api(`/users/${C.users.ana.upn}/todo/lists/${listId}/tasks`)
      .post({ title: "Call Pat" });
    await graph
      .api(`/users/${C.users.ana.upn}/todo/lists/${listId}/tasks/${tasks1.items[0]?.id}`)
      .patch({ status: "completed" });
    const tasks2 = await pageAll<{ id: string; title: string }>(
      graph,
      tasks1.last["@odata.deltaLink"] as string,
    );
    assert.deepEqual(tasks2.items.map((t) => t.id).sort(), [task.id, tasks1.items[0]?.id].sort());
  });
});

describe("emulator: throttling per app and mailbox", () => {
  let emu: Emulator;
  let graph: Client;
  beforeAll(async () => {
    emu = await startEmulator({ throttle: { requestsPerWindow: 6, windowMs: 600_000 } });
    await control(emu, "POST", `/tenants/${C.id}/consent`, {});
    const token = await appToken(emu, C.id);
    graph = graphClient(emu, async () => token);
  });
  afterAll(async () => {
    await emu.close();
  });

  test("more than 4 concurrent requests to one mailbox get 429 with Retry-After; stats record the peak", async () => {
    // A slow mailbox (2 s per request) so that all 8 requests are in flight together even on a busy machine.
    await control(emu, "POST", "/faults", { mailbox: C.users.ana.id, latencyMs: 2000 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => graph.api(`/users/${C.users.ana.id}/mailboxSettings`).get()),
    );
    const rejected = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    assert.ok(rejected.length >= 1, `expected throttled requests, got ${rejected.length}`);
    assert.ok(results.length - rejected.length >= 4, "the first four were served");
    for (const r of rejected) assert.equal((r.reason as { statusCode: number }).statusCode, 429);
    const stats = await control<{ value: { mailbox: string; maxConcurrent: number; throttled: number }[] }>(
      emu,
      "GET",
      "/throttling",
    );
    const ana = stats.body.value.find((s) => s.mailbox === C.users.ana.id);
    assert.ok(ana && ana.maxConcurrent > 4 && ana.throttled === rejected.length);
    await control(emu, "DELETE", "/faults");
  });

  test("the request budget per window answers 429 with a Retry-After until the window ends", async () => {
    await control(emu, "DELETE", "/throttling");
    for (let i = 0; i < 6; i++) await graph.api(`/users/${C.users.erik.id}/mailboxSettings`).get();
    const token = await appToken(emu, C.id);
    const res = await raw(emu, `/v1.0/users/${C.users.erik.id}/mailboxSettings`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get("retry-after")) > 500);
    const other = await graph.api(`/users/${C.users.ana.id}/mailboxSettings`).get();
    assert.ok(other.timeZone, "another mailbox has its own budget");
  });
});
