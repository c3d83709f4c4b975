/**
 * The emulator driven by a second, independent Microsoft client: the Kiota-based Graph SDK
 * (`@microsoft/msgraph-sdk`), over the emulator's TLS with its certificate trusted explicitly (an undici
 * Agent behind the SDK's fetch). Kiota spells requests its own way — action parameters in PascalCase
 * (`Schedules`, `StartTime`), functions called with parentheses (`/users/delta()`,
 * `/calendarView/delta()`) — and Graph accepts both, so the emulator must too.
 */
import assert from "node:assert/strict";
import type { GraphServiceClient } from "@microsoft/msgraph-sdk";
import type { Event } from "@microsoft/msgraph-sdk/models/index.js";
import { createODataErrorFromDiscriminatorValue } from "@microsoft/msgraph-sdk/models/oDataErrors/index.js";
import { BatchRequestContent } from "@microsoft/msgraph-sdk-core";
import "@microsoft/msgraph-sdk-users";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { CONTOSO_DEFAULT_USERS, DEMO } from "../../src/emulator/seed.ts";
import { appToken, control, graphClient, kiotaClient } from "./support.ts";

const C = DEMO.contoso;
const ANA = C.users.ana;
const ERIK = C.users.erik;
const NOW = Date.parse("2026-11-24T10:00:00Z");
/** Monday and Saturday 00:00 UTC of the demo week around NOW. */
const WEEK_START = "2026-11-23T00:00:00";
const WEEK_END = "2026-11-28T00:00:00";

/** The HTTP status a Kiota call failed with (Kiota throws an ODataError carrying it). */
async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const status = (error as { responseStatusCode?: number }).responseStatusCode;
    if (status === undefined) throw error;
    return status;
  }
}

describe("emulator: Graph conformance with Microsoft's Kiota-based SDK", () => {
  let emu: Emulator;
  let kiota: ReturnType<typeof kiotaClient>;
  let client: GraphServiceClient;
  let graph: Client;
  beforeAll(async () => {
    emu = await startEmulator({ clock: { now: () => NOW } });
    await control(emu, "POST", `/tenants/${C.id}/consent`, {});
    const token = await appToken(emu, C.id);
    kiota = kiotaClient(emu, async () => token);
    client = kiota.client;
    graph = graphClient(emu, async () => token);
  });
  afterAll(async () => {
    await emu.close();
  });

  test("getSchedule with Kiota's PascalCase parameters answers as it does in camelCase", async () => {
    const window = {
      startTime: { dateTime: WEEK_START, timeZone: "UTC" },
      endTime: { dateTime: WEEK_END, timeZone: "UTC" },
      availabilityViewInterval: 60,
    };
    const schedules = [ANA.mail, ERIK.mail, "nobody@contoso.com"];
    const viaKiota = await client.users
      .byUserId(ERIK.upn)
      .calendar.getSchedule.post({ schedules, ...window });
    const viaGraphClient = (await graph
      .api(`/users/${ERIK.upn}/calendar/getSchedule`)
      .post({ schedules, ...window })) as { value: { scheduleId: string; availabilityView: string }[] };
    const views = viaKiota?.value?.map((s) => [s.scheduleId, s.availabilityView]);
    assert.deepEqual(
      views,
      viaGraphClient.value.map((s) => [s.scheduleId, s.availabilityView]),
    );
    assert.equal(views?.[0]?.[1]?.length, 5 * 24, "one digit an hour from Monday to Friday");
    assert.match(views?.[0]?.[1] ?? "", /[1-4]/, "Ana's week is not all free");
    assert.equal(viaKiota?.value?.[2]?.errorEscaped?.responseCode, "ErrorMailRecipientNotFound");
    assert.equal(viaKiota?.value?.[1]?.workingHours?.timeZone?.name, "W. Europe Standard Time");
  });

  test("users/delta() pages to a deltaLink, and the deltaLink's round brings only what changed", async () => {
    const ids = new Set<string>();
    let page = await client.users.delta.get({
      queryParameters: { select: ["displayName", "mail", "userPrincipalName"], top: 10 },
    });
    let pages = 1;
    while (page?.odataNextLink) {
      for (const u of page.value ?? []) if (u.id) ids.add(u.id);
      page = await client.users.delta.withUrl(page.odataNextLink).get();
      pages++;
    }
    for (const u of page?.value ?? []) if (u.id) ids.add(u.id);
    assert.equal(ids.size, CONTOSO_DEFAULT_USERS);
    assert.ok(pages >= 4, `paged 10 at a time (${pages} pages)`);
    const deltaLink = page?.odataDeltaLink;
    assert.ok(deltaLink, "the last page carries a deltaLink");

    const added = await control<{ id: string }>(emu, "POST", `/tenants/${C.id}/users`, {
      displayName: "Kiota Round",
      mail: "kiota.round@contoso.com",
    });
    assert.equal(added.status, 201);
    const next = await client.users.delta.withUrl(deltaLink).get();
    assert.deepEqual(
      next?.value?.map((u) => [u.id, u.displayName]),
      [[added.body.id, "Kiota Round"]],
    );
    assert.ok(next?.odataDeltaLink);
  });

  test("calendarView/delta() pages to a deltaLink; the next round brings a created event", async () => {
    const queryParameters = { startDateTime: `${WEEK_START}Z`, endDateTime: `${WEEK_END}Z` };
    const seen: string[] = [];
    let page = await client.users.byUserId(ANA.upn).calendarView.delta.get({
      queryParameters,
      headers: { Prefer: "odata.maxpagesize=5" },
    });
    while (page?.odataNextLink) {
      seen.push(...(page.value ?? []).map((e) => e.id ?? ""));
      page = await client.users.byUserId(ANA.upn).calendarView.delta.withUrl(page.odataNextLink).get();
    }
    seen.push(...(page?.value ?? []).map((e) => e.id ?? ""));
    assert.ok(seen.length > 5, `Ana's demo week has more than a page of items (${seen.length})`);
    const deltaLink = page?.odataDeltaLink;
    assert.ok(deltaLink);

    const created = await client.users.byUserId(ANA.upn).events.post({
      subject: "Kiota delta round",
      start: { dateTime: "2026-11-26T20:00:00", timeZone: "UTC" },
      end: { dateTime: "2026-11-26T20:30:00", timeZone: "UTC" },
    });
    const next = await client.users.byUserId(ANA.upn).calendarView.delta.withUrl(deltaLink).get();
    assert.deepEqual(
      next?.value?.map((e) => [e.id, e.subject]),
      [[created?.id, "Kiota delta round"]],
    );
  });

  test("events: create, PATCH and DELETE with If-Match; a stale ETag answers 412", async () => {
    const events = client.users.byUserId(ANA.upn).events;
    const body: Event = {
      subject: "Kiota If-Match",
      start: { dateTime: "2026-11-27T15:00:00", timeZone: "UTC" },
      end: { dateTime: "2026-11-27T15:30:00", timeZone: "UTC" },
      transactionId: "kiota-if-match-1",
    };
    const created = await events.post(body);
    assert.ok(created?.id && created.changeKey);
    const firstTag = `W/"${created.changeKey}"`;
    const item = events.byEventId(created.id);

    const moved = await item.patch(
      { subject: "Kiota If-Match (moved)", end: { dateTime: "2026-11-27T16:00:00", timeZone: "UTC" } },
      { headers: { "If-Match": firstTag } },
    );
    assert.equal(moved?.subject, "Kiota If-Match (moved)");
    assert.notEqual(moved?.changeKey, created.changeKey, "the change key moves with the edit");

    assert.equal(
      await statusOf(item.patch({ subject: "lost update" }, { headers: { "If-Match": firstTag } })),
      412,
    );
    assert.equal(await statusOf(item.delete({ headers: { "If-Match": firstTag } })), 412);
    assert.equal((await item.get())?.subject, "Kiota If-Match (moved)", "a refused edit changes nothing");

    await item.delete({ headers: { "If-Match": `W/"${moved?.changeKey}"` } });
    assert.equal(await statusOf(item.get()), 404);
  });

  test("contacts and To Do tasks: PATCH with a stale If-Match answers 412, with the current one 200", async () => {
    const contacts = client.users.byUserId(ANA.upn).contacts;
    const contact = await contacts.post({ givenName: "Kiota", surname: "Contact" });
    assert.ok(contact?.id && contact.changeKey);
    const contactTag = `W/"${contact.changeKey}"`;
    const renamed = await contacts
      .byContactId(contact.id)
      .patch({ jobTitle: "Tester" }, { headers: { "If-Match": contactTag } });
    assert.equal(renamed?.jobTitle, "Tester");
    assert.equal(
      await statusOf(
        contacts.byContactId(contact.id).patch({ jobTitle: "lost" }, { headers: { "If-Match": contactTag } }),
      ),
      412,
    );
    const lists = await client.users.byUserId(ANA.upn).todo.lists.get();
    const listId = lists?.value?.[0]?.id ?? "";
    const tasks = client.users.byUserId(ANA.upn).todo.lists.byTodoTaskListId(listId).tasks;
    const task = await tasks.post({ title: "Kiota task" });
    const taskTag = (task?.additionalData?.["@odata.etag"] as string | undefined) ?? "";
    assert.match(taskTag, /^W\/"/);
    await tasks
      .byTodoTaskId(task?.id ?? "")
      .patch({ title: "Kiota task (done)" }, { headers: { "If-Match": taskTag } });
    assert.equal(
      await statusOf(tasks.byTodoTaskId(task?.id ?? "").delete({ headers: { "If-Match": taskTag } })),
      412,
    );
  });

  test("$batch through the SDK's BatchRequestContent: each item answers with its own status", async () => {
    const batch = new BatchRequestContent(kiota.adapter, { XXX: createODataErrorFromDiscriminatorValue });
    const user = batch.addBatchRequest(client.users.byUserId(ERIK.upn).toGetRequestInformation());
    const calendar = batch.addBatchRequest(
      client.users.byUserId(ANA.upn).calendarView.toGetRequestInformation({
        queryParameters: { startDateTime: `${WEEK_START}Z`, endDateTime: `${WEEK_END}Z` },
      }),
    );
    const missing = batch.addBatchRequest(
      client.users.byUserId(ANA.upn).events.byEventId("AAMkADoesNotExist=").toGetRequestInformation(),
    );
    const answer = await batch.postAsync();
    const statuses = await answer?.getResponsesStatusCodes();
    assert.deepEqual(
      [user.id, calendar.id, missing.id].map((id) => statuses?.get(id)),
      [200, 200, 404],
    );
  });
});
