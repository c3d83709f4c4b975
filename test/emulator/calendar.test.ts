import assert from "node:assert/strict";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { appToken, control, graphClient, pageAll, raw } from "./support.ts";

const C = DEMO.contoso;
/** Tuesday of the demo week; the anchor week starts Monday 2026-11-23. */
const NOW = Date.parse("2026-11-24T10:00:00Z");

type GraphEvent = {
  id: string;
  subject: string;
  type: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isCancelled: boolean;
  showAs: string;
  seriesMasterId: string | null;
  onlineMeeting: { joinUrl: string } | null;
  attendees: { emailAddress: { address: string }; status: { response: string } }[];
  iCalUId: string;
};

describe("emulator: calendars", () => {
  let emu: Emulator;
  let graph: Client;
  beforeAll(async () => {
    emu = await startEmulator({ clock: { now: () => NOW } });
    await control(emu, "POST", `/tenants/${C.id}/consent`, {});
    const token = await appToken(emu, C.id);
    graph = graphClient(emu, async () => token);
  });
  afterAll(async () => {
    await emu.close();
  });

  test("calendarView expands the weekly stand-up with a moved and a cancelled occurrence", async () => {
    const view = await graph
      .api(`/users/${C.users.ana.upn}/calendarView`)
      .query({ startDateTime: "2026-11-23T00:00:00Z", endDateTime: "2026-11-28T00:00:00Z", $top: "200" })
      .get();
    const standups = (view.value as GraphEvent[]).filter((e) => e.subject === "Sales stand-up");
    // Mon, Tue (moved), Wed, Fri; Thursday cancelled. Ana organises it in America/Sao_Paulo at 09:15 (12:15Z).
    assert.deepEqual(
      standups.map((e) => [e.start.dateTime.slice(0, 16), e.type]),
      [
        ["2026-11-23T12:15", "occurrence"],
        ["2026-11-24T13:15", "exception"],
        ["2026-11-25T12:15", "occurrence"],
        ["2026-11-27T12:15", "occurrence"],
      ],
    );
    assert.ok(standups.every((e) => e.seriesMasterId && e.start.timeZone === "UTC"));
    // The attendee's copy shows the same occurrences.
    const erik = await graph
      .api(`/users/${C.users.erik.id}/calendarView`)
      .query({ startDateTime: "2026-11-26T00:00:00Z", endDateTime: "2026-11-27T00:00:00Z", $top: "200" })
      .get();
    assert.equal(
      (erik.value as GraphEvent[]).filter((e) => e.subject === "Sales stand-up").length,
      0,
      "Thursday is cancelled for attendees too",
    );
  });

  test("a series keeps its local time across a DST change (America/New_York, 1 Nov 2026)", async () => {
    const view = await graph
      .api(`/users/${C.users.james.upn}/calendarView`)
      .query({ startDateTime: "2026-10-29T00:00:00Z", endDateTime: "2026-11-04T00:00:00Z", $top: "500" })
      .get();
    const checkins = (view.value as GraphEvent[])
      .filter((e) => e.subject === "SDR pipeline check-in")
      .map((e) => e.start.dateTime.slice(0, 16));
    assert.ok(checkins.includes("2026-10-30T15:00"), `EDT: 11:00 = 15:00Z (${checkins.join(", ")})`);
    assert.ok(checkins.includes("2026-11-02T16:00"), "EST: 11:00 = 16:00Z");
    const local = await graph
      .api(`/users/${C.users.james.upn}/calendarView`)
      .header("Prefer", 'outlook.timezone="Eastern Standard Time"')
      .query({ startDateTime: "2026-10-29T00:00:00Z", endDateTime: "2026-11-04T00:00:00Z", $top: "500" })
      .get();
    const times = (local.value as GraphEvent[]).filter((e) => e.subject === "SDR pipeline check-in");
    assert.ok(times.length >= 5);
    assert.ok(
      times.every(
        (e) => e.start.dateTime.slice(11, 16) === "11:00" && e.start.timeZone === "Eastern Standard Time",
      ),
    );
  });

  test("calendarView pages with @odata.nextLink to the end and requires a window", async () => {
    const all = await graph
      .api(`/users/${C.users.erik.upn}/calendarView`)
      .query({ startDateTime: "2026-11-16T00:00:00Z", endDateTime: "2026-12-07T00:00:00Z", $top: "1000" })
      .get();
    const paged = await pageAll<GraphEvent>(
      graph,
      `/users/${C.users.erik.upn}/calendarView?startDateTime=2026-11-16T00:00:00Z&endDateTime=2026-12-07T00:00:00Z&$top=7`,
    );
    assert.ok(paged.pages > 2);
    assert.deepEqual(
      paged.items.map((e) => e.id),
      (all.value as GraphEvent[]).map((e) => e.id),
    );
    await assert.rejects(
      graph.api(`/users/${C.users.erik.upn}/calendarView`).get(),
      (e: { statusCode?: number; code?: string }) =>
        e.statusCode === 400 && e.code === "ErrorInvalidParameter",
    );
  });

  test("meetings: Teams join URL, attendees and rooms receive it, transactionId idempotency, reschedule, cancel", async () => {
    const body = {
      subject: "Quorum demo",
      start: { dateTime: "2026-11-26T15:00:00", timeZone: "W. Europe Standard Time" },
      end: { dateTime: "2026-11-26T15:30:00", timeZone: "W. Europe Standard Time" },
      attendees: [
        { emailAddress: { address: C.users.claire.mail, name: "Claire" }, type: "required" },
        { emailAddress: { address: C.rooms.montmartre.mail }, type: "resource" },
      ],
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
      transactionId: "booking-42",
    };
    const created = (await graph.api(`/users/${C.users.erik.upn}/events`).post(body)) as GraphEvent & {
      reminderMinutesBeforeStart: number;
      type: string;
    };
    assert.match(created.onlineMeeting?.joinUrl ?? "", /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    assert.equal(created.type, "singleInstance");
    assert.equal(created.reminderMinutesBeforeStart, 15);
    assert.equal(created.start.dateTime, "2026-11-26T14:00:00.0000000");
    const again = (await graph.api(`/users/${C.users.erik.upn}/events`).post(body)) as GraphEvent;
    assert.equal(
      again.id,
      created.id,
      "a retried POST with the same transactionId does not create a second event",
    );
    const mine = await graph
      .api(`/users/${C.users.erik.upn}/events`)
      .filter("transactionId eq 'booking-42'")
      .get();
    assert.equal(mine.value.length, 1);

    const window = {
      startDateTime: "2026-11-26T00:00:00Z",
      endDateTime: "2026-11-27T00:00:00Z",
      $top: "100",
    };
    const claireView = async () =>
      (
        (await graph.api(`/users/${C.users.claire.upn}/calendarView`).query(window).get())
          .value as GraphEvent[]
      ).filter((e) => e.iCalUId === created.iCalUId);
    const [copy] = await claireView();
    assert.ok(copy, "the attendee's calendar received the meeting");
    assert.equal(copy.onlineMeeting?.joinUrl, created.onlineMeeting?.joinUrl);
    const roomView = (
      (await graph.api(`/users/${C.rooms.montmartre.mail}/calendarView`).query(window).get())
        .value as GraphEvent[]
    ).filter((e) => e.iCalUId === created.iCalUId);
    assert.equal(roomView.length, 1, "the room's calendar received the meeting");
    const organizer = (await graph
      .api(`/users/${C.users.erik.upn}/events/${created.id}`)
      .get()) as GraphEvent;
    assert.equal(
      organizer.attendees.find((a) => a.emailAddress.address === C.rooms.montmartre.mail)?.status.response,
      "accepted",
    );

    await graph.api(`/users/${C.users.erik.upn}/events/${created.id}`).patch({
      start: { dateTime: "2026-11-26T16:00:00", timeZone: "UTC" },
      end: { dateTime: "2026-11-26T16:30:00", timeZone: "UTC" },
    });
    const [moved] = await claireView();
    assert.equal(moved?.start.dateTime, "2026-11-26T16:00:00.0000000", "reschedule reached the attendee");

    await graph.api(`/users/${C.users.erik.upn}/events/${created.id}/cancel`).post({ comment: "Sorry" });
    await assert.rejects(
      graph.api(`/users/${C.users.erik.upn}/events/${created.id}`).get(),
      (e: { statusCode?: number; code?: string }) => e.statusCode === 404 && e.code === "ErrorItemNotFound",
    );
    const [cancelled] = await claireView();
    assert.equal(cancelled?.isCancelled, true, "the attendee's copy is cancelled");
    assert.match(cancelled?.subject ?? "", /^Canceled: /);
  });

  test("secondary calendars hold their own events", async () => {
    const cal = await graph.api(`/users/${C.users.sofia.upn}/calendars`).post({ name: "Quorum bookings" });
    assert.equal(cal.isDefaultCalendar, false);
    await assert.rejects(
      graph.api(`/users/${C.users.sofia.upn}/calendars`).post({ name: "Quorum bookings" }),
      (e: { statusCode?: number }) => e.statusCode === 409,
    );
    const ev = await graph.api(`/users/${C.users.sofia.upn}/calendars/${cal.id}/events`).post({
      subject: "Held for a customer",
      start: { dateTime: "2026-11-27T09:00:00", timeZone: "UTC" },
      end: { dateTime: "2026-11-27T10:00:00", timeZone: "UTC" },
    });
    const q = { startDateTime: "2026-11-27T00:00:00Z", endDateTime: "2026-11-28T00:00:00Z", $top: "100" };
    const secondary = await graph
      .api(`/users/${C.users.sofia.upn}/calendars/${cal.id}/calendarView`)
      .query(q)
      .get();
    assert.deepEqual(
      (secondary.value as GraphEvent[]).map((e) => e.id),
      [ev.id],
    );
    const primary = await graph.api(`/users/${C.users.sofia.upn}/calendarView`).query(q).get();
    assert.ok(!(primary.value as GraphEvent[]).some((e) => e.id === ev.id));
    const list = await graph.api(`/users/${C.users.sofia.upn}/calendars`).get();
    assert.deepEqual(
      (list.value as { name: string }[]).map((c) => c.name),
      ["Calendar", "Personal", "Quorum bookings"],
    );
  });

  test("occurrences can be edited and cancelled individually", async () => {
    const series = await graph.api(`/users/${C.users.lucas.upn}/events`).post({
      subject: "Coaching",
      start: { dateTime: "2026-11-23T14:00:00", timeZone: "UTC" },
      end: { dateTime: "2026-11-23T14:30:00", timeZone: "UTC" },
      recurrence: {
        pattern: { type: "daily", interval: 1 },
        range: { type: "numbered", startDate: "2026-11-23", numberOfOccurrences: 5 },
      },
    });
    assert.equal(series.type, "seriesMaster");
    const inst = await graph
      .api(`/users/${C.users.lucas.upn}/events/${series.id}/instances`)
      .query({ startDateTime: "2026-11-01T00:00:00Z", endDateTime: "2026-12-31T00:00:00Z" })
      .get();
    const occurrences = inst.value as GraphEvent[];
    assert.equal(occurrences.length, 5);
    await graph.api(`/users/${C.users.lucas.upn}/events/${occurrences[1]?.id}`).patch({
      subject: "Coaching (moved)",
      start: { dateTime: "2026-11-24T16:00:00", timeZone: "UTC" },
      end: { dateTime: "2026-11-24T16:30:00", timeZone: "UTC" },
    });
    await graph.api(`/users/${C.users.lucas.upn}/events/${occurrences[2]?.id}`).delete();
    const after = await graph
      .api(`/users/${C.users.lucas.upn}/events/${series.id}/instances`)
      .query({ startDateTime: "2026-11-01T00:00:00Z", endDateTime: "2026-12-31T00:00:00Z" })
      .get();
    assert.deepEqual(
      (after.value as GraphEvent[]).map((e) => [e.start.dateTime.slice(0, 16), e.type]),
      [
        ["2026-11-23T14:00", "occurrence"],
        ["2026-11-24T16:00", "exception"],
        ["2026-11-26T14:00", "occurrence"],
        ["2026-11-27T14:00", "occurrence"],
      ],
    );
  });

  test("getSchedule: availability digits, private items, working hours in Windows names, unknown addresses", async () => {
    const res = await graph
      .api(`/users/${C.users.ana.upn}/calendar/getSchedule`)
      .header("Prefer", 'outlook.timezone="Europe/Stockholm"')
      .post({
        schedules: [C.users.erik.mail, "nobody@contoso.com", C.users.claire.upn],
        startTime: { dateTime: "2026-11-30T00:00:00", timeZone: "UTC" },
        endTime: { dateTime: "2026-12-05T00:00:00", timeZone: "UTC" },
        availabilityViewInterval: 60,
      });
    const [erik, nobody, claire] = res.value as {
      scheduleId: string;
      availabilityView: string;
      scheduleItems: { status: string; subject?: string; isPrivate: boolean; start: { timeZone: string } }[];
      workingHours: { timeZone: { name: string }; startTime: string };
      error?: { responseCode: string };
    }[];
    assert.equal(erik?.availabilityView.length, 5 * 24);
    // Erik is out of office on Tuesday and Wednesday of the next week (all day, Stockholm).
    assert.equal(erik?.availabilityView.slice(24 + 12, 24 + 13), "3");
    assert.ok(erik?.scheduleItems.some((i) => i.status === "oof"));
    assert.equal(erik?.workingHours.timeZone.name, "W. Europe Standard Time");
    assert.equal(erik?.workingHours.startTime, "08:00:00.0000000");
    assert.ok(erik?.scheduleItems.every((i) => i.start.timeZone === "Europe/Stockholm"));
    assert.equal(nobody?.error?.responseCode, "ErrorMailRecipientNotFound");
    assert.equal(claire?.scheduleId, C.users.claire.upn, "UPN differing from mail still resolves");
    assert.equal(claire?.workingHours.timeZone.name, "Romance Standard Time");

    const demoWeek = await graph.api(`/users/${C.users.ana.upn}/calendar/getSchedule`).post({
      schedules: [C.users.sofia.mail],
      startTime: { dateTime: "2026-11-23T00:00:00", timeZone: "UTC" },
      endTime: { dateTime: "2026-11-28T00:00:00", timeZone: "UTC" },
    });
    const items = demoWeek.value[0].scheduleItems as {
      status: string;
      subject?: string;
      isPrivate: boolean;
    }[];
    const priv = items.find((i) => i.isPrivate);
    assert.ok(priv, "the private appointment is listed");
    assert.equal(priv.subject, undefined, "without its subject");
    assert.ok(items.some((i) => i.status === "free" && i.subject === "Focus time"));
    assert.ok(items.some((i) => i.status === "workingElsewhere"));
    assert.ok(items.some((i) => i.status === "tentative"));
    assert.match(demoWeek.value[0].availabilityView, /^[0-4]{240}$/);

    // A distribution list answers its members' merged view; its members count against the limit of 20.
    const dl = await graph.api(`/users/${C.users.ana.upn}/calendar/getSchedule`).post({
      schedules: [C.groups.support.mail],
      startTime: { dateTime: "2026-11-23T00:00:00", timeZone: "UTC" },
      endTime: { dateTime: "2026-11-28T00:00:00", timeZone: "UTC" },
    });
    assert.equal(dl.value[0].scheduleId, C.groups.support.mail);
    assert.match(dl.value[0].availabilityView, /^[0-4]{240}$/);
    assert.match(dl.value[0].availabilityView, /[1-4]/);
    await assert.rejects(
      graph.api(`/users/${C.users.ana.upn}/calendar/getSchedule`).post({
        schedules: [C.groups.sales.mail, C.groups.support.mail],
        startTime: { dateTime: "2026-11-23T00:00:00", timeZone: "UTC" },
        endTime: { dateTime: "2026-11-24T00:00:00", timeZone: "UTC" },
      }),
      (e: { statusCode?: number }) => e.statusCode === 400,
    );
    const tooMany = Array.from({ length: 21 }, (_, i) => `u${i}@contoso.com`);
    await assert.rejects(
      graph.api(`/users/${C.users.ana.upn}/calendar/getSchedule`).post({
        schedules: tooMany,
        startTime: { dateTime: "2026-11-23T00:00:00", timeZone: "UTC" },
        endTime: { dateTime: "2026-11-24T00:00:00", timeZone: "UTC" },
      }),
      (e: { statusCode?: number }) => e.statusCode === 400,
    );
    await assert.rejects(
      graph.api(`/users/${C.users.ana.upn}/calendar/getSchedule`).post({
        schedules: [C.users.erik.mail],
        startTime: { dateTime: "2026-11-01T00:00:00", timeZone: "UTC" },
        endTime: { dateTime: "2027-01-05T00:00:00", timeZone: "UTC" },
      }),
      (e: { statusCode?: number }) => e.statusCode === 400,
    );
  });

  test("calendarView/delta: pages, a deltaLink, changes and deletions in the next round, expired tokens", async () => {
    const start = `/users/${C.users.claire.upn}/calendarView/delta?startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-12-07T00:00:00Z`;
    const prefer = { Prefer: "odata.maxpagesize=4" };
    const round1 = await pageAll<GraphEvent>(graph, start, prefer);
    assert.ok(round1.pages > 1);
    const deltaLink = round1.last["@odata.deltaLink"] as string;
    assert.match(deltaLink, /\$deltatoken=/);
    const existing =
      round1.items.find(
        (e) => e.subject === "Customer call" || e.subject === "Pipeline review" || e.subject === "Demo prep",
      ) ?? round1.items.find((e) => e.type === "singleInstance");
    assert.ok(existing);
    // "Someone edits in Outlook": one event created, one deleted.
    const added = await control<GraphEvent>(
      emu,
      "POST",
      `/tenants/${C.id}/users/${C.users.claire.upn}/events`,
      {
        subject: "Added in Outlook",
        start: { dateTime: "2026-12-01T10:00:00", timeZone: "UTC" },
        end: { dateTime: "2026-12-01T11:00:00", timeZone: "UTC" },
      },
    );
    assert.equal(added.status, 201);
    const removed = await control(
      emu,
      "DELETE",
      `/tenants/${C.id}/users/${C.users.claire.upn}/events/${existing.id}`,
    );
    assert.equal(removed.status, 204);
    const round2 = await pageAll<GraphEvent & { "@removed"?: { reason: string } }>(graph, deltaLink, prefer);
    assert.deepEqual(
      round2.items.map((e) => (e["@removed"] ? `removed:${e.id}` : `changed:${e.subject}`)).sort(),
      [`changed:Added in Outlook`, `removed:${existing.id}`].sort(),
    );
    const round3 = await pageAll<GraphEvent>(graph, round2.last["@odata.deltaLink"] as string);
    assert.equal(round3.items.length, 0, "nothing changed since round 2");
    await control(emu, "POST", `/tenants/${C.id}/delta/expire`);
    await assert.rejects(
      graph.api(round2.last["@odata.deltaLink"] as string).get(),
      (e: { statusCode?: number; code?: string }) => e.statusCode === 410 && e.code === "syncStateNotFound",
    );
    await assert.rejects(
      graph.api(`${start}&$select=subject`).get(),
      (e: { statusCode?: number }) => e.statusCode === 400,
    );
  });

  test("delta quirks on demand: an empty first page with a nextLink, and items repeated across pages", async () => {
    const start = `/users/${C.users.james.upn}/calendarView/delta?startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-11-30T00:00:00Z`;
    const prefer = { Prefer: "odata.maxpagesize=3" };
    const plain = await pageAll<GraphEvent>(graph, start, prefer);
    assert.equal(
      (await control(emu, "POST", `/tenants/${C.id}/delta/quirks`, { emptyPages: true, duplicates: true }))
        .status,
      200,
    );
    try {
      const first = await graph.api(start).headers(prefer).get();
      assert.deepEqual(first.value, []);
      assert.ok(first["@odata.nextLink"], "an empty page still carries a nextLink");
      const quirky = await pageAll<GraphEvent>(graph, start, prefer);
      assert.ok(quirky.items.length > plain.items.length, "some items came twice");
      assert.deepEqual(
        [...new Set(quirky.items.map((e) => e.id))].sort(),
        plain.items.map((e) => e.id).sort(),
      );
    } finally {
      await control(emu, "POST", `/tenants/${C.id}/delta/quirks`, {});
    }
  });

  test("mailboxSettings carry Windows zone names and working hours; mailbox-less users fail like Exchange", async () => {
    const s = await graph.api(`/users/${C.users.ana.id}/mailboxSettings`).get();
    assert.equal(s.timeZone, "E. South America Standard Time");
    assert.deepEqual(s.workingHours.daysOfWeek, ["monday", "tuesday", "wednesday", "thursday", "friday"]);
    assert.equal(s.workingHours.startTime, "09:00:00.0000000");
    assert.equal(s.workingHours.timeZone.name, "E. South America Standard Time");
    await assert.rejects(
      graph
        .api(
          `/users/${C.noMailbox.upn}/calendarView?startDateTime=2026-11-23T00:00:00Z&endDateTime=2026-11-24T00:00:00Z`,
        )
        .get(),
      (e: { statusCode?: number; code?: string }) => e.code === "MailboxNotEnabledForRESTAPI",
    );
    const bad = await raw(emu, `/v1.0/users/${C.users.ana.id}/events/not*an*id`, {
      headers: { authorization: `Bearer ${await appToken(emu, C.id)}` },
    });
    assert.equal((bad.json.error as { code: string }).code, "ErrorInvalidIdMalformed");
  });
});
