/**
 * Availability and bookings end to end: the service on 127.0.0.1 against the tenant emulator (Graph
 * getSchedule, events with transactionId, attendees' and rooms' calendars), on the test database.
 */
import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { AvailabilityResponse } from "../../src/api-contract/availability.ts";
import type { BookingResponse } from "../../src/api-contract/bookings.ts";
import type { DirectorySyncResponse } from "../../src/api-contract/seats.ts";
import { createGraphCalendars } from "../../src/graph/calendars.ts";
import { pinnedNow } from "../support/clock.ts";
import { type Stack, startStack } from "../support/stack.ts";

const ANA = "ana.souza@contoso.com"; // America/Sao_Paulo
const ERIK = "erik.lindqvist@contoso.com"; // Europe/Stockholm, out of office in the seed
const SOFIA = "sofia.berg@contoso.com"; // Europe/Stockholm
const LUCAS = "lucas.oliveira@contoso.com"; // America/Sao_Paulo
const KIOSK = "kiosk@contoso.com"; // no Exchange mailbox
const AURORA = "aurora@contoso.com"; // room

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface CalendarEvent {
  id: string;
  subject: string;
  isCancelled?: boolean;
  start: { dateTime: string };
  end: { dateTime: string };
}

describe("availability and bookings API against the emulator", () => {
  let stack: Stack;
  let tenantId: string;
  const tokens = new Map<string, string>();
  const token = async (upn: string) => {
    let t = tokens.get(upn);
    if (!t) {
      t = await stack.tokenFor(upn);
      tokens.set(upn, t);
    }
    return t;
  };
  /**
   * Monday to Thursday at least two weeks ahead (past the seed's out-of-office days), from 00:00Z. Four
   * days, because Stockholm's and São Paulo's working days share only four hours once Europe is on summer
   * time, and the tests below book several of those slots.
   */
  let windowStart = Math.floor((pinnedNow() + 14 * DAY) / DAY) * DAY;
  while (new Date(windowStart).getUTCDay() !== 1) windowStart += DAY;
  const windowEnd = windowStart + 4 * DAY;

  const availability = async (as: string, query: string) =>
    stack.request<AvailabilityResponse & ErrorBody>("GET", `/api/availability?${query}`, {
      token: await token(as),
    });

  const book = async (as: string, key: string, body: Record<string, unknown>) =>
    stack.request<BookingResponse & ErrorBody & { replayed: boolean }>("POST", "/api/bookings", {
      token: await token(as),
      headers: { "idempotency-key": key },
      body,
    });

  /** Non-cancelled events of a mailbox over the test window, read through Graph (the emulator). */
  const calendarOf = async (address: string) => {
    const api = stack.product.m365!.graph.forTenant(tenantId);
    const page = await api.get<{ value: CalendarEvent[] }>(
      `/users/${encodeURIComponent(address)}/calendarView?startDateTime=${iso(windowStart)}&endDateTime=${iso(windowEnd)}&$top=500`,
      { headers: { Prefer: 'outlook.timezone="UTC"' } },
    );
    return page.value.filter((e) => !e.isCancelled);
  };
  const at = (e: CalendarEvent) => [
    Date.parse(`${e.start.dateTime.slice(0, 19)}Z`),
    Date.parse(`${e.end.dateTime.slice(0, 19)}Z`),
  ];

  /** The first suggestion for these people (all required) and the room. */
  const firstFree = async (people: string[], room: string | null, durationMinutes = 30, skip = 0) => {
    const q = new URLSearchParams({
      start: iso(windowStart),
      end: iso(windowEnd),
      durationMinutes: String(durationMinutes),
      timeZone: "Europe/Stockholm",
      maxSuggestions: "20",
      includeGrid: "false",
    });
    for (const p of people) q.append("required", p);
    if (room) q.append("rooms", room);
    const res = await availability(people[0]!, q.toString());
    assert.equal(res.status, 200, res.text);
    const s = res.body.suggestions.filter((x) => x.uncertain === 0)[skip];
    assert.ok(s, `a free slot exists for ${people.join(", ")}`);
    return s;
  };

  beforeAll(async () => {
    stack = await startStack();
    const consent = await stack.consent();
    assert.ok(consent.status < 400, consent.text);
    tenantId = stack.tenants[0]!.id;
    const sync = await stack.request<DirectorySyncResponse>("POST", "/api/admin/directory/sync", {
      token: await token(stack.tenants[0]!.adminUpn),
    });
    assert.equal(sync.status, 200, sync.text);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test("the organizer counts as a required attendee unless listed otherwise or excluded", async () => {
    // Ana (São Paulo) asks for a time with Erik only, the way an API client or the bot does.
    const q = new URLSearchParams({
      start: iso(windowStart),
      end: iso(windowEnd),
      durationMinutes: "30",
      timeZone: "America/Sao_Paulo",
      maxSuggestions: "50",
    });
    q.append("required", ERIK);
    const asked = await availability(ANA, q.toString());
    assert.equal(asked.status, 200, asked.text);
    assert.ok(
      asked.body.grid.some((r) => r.id === ANA && r.role === "required"),
      "Ana's own calendar is read as a required attendee's",
    );
    for (const s of asked.body.suggestions) {
      const hour = (new Date(s.start).getUTCHours() + 21) % 24; // São Paulo is UTC-3
      assert.ok(hour >= 9, `${iso(s.start)} is not before Ana's working day starts (09:00 in São Paulo)`);
    }
    // Excluded on purpose, only Erik's day decides: his Stockholm morning is Ana's night.
    q.append("excludeOrganizer", "true");
    const others = await availability(ANA, q.toString());
    assert.equal(others.status, 200, others.text);
    assert.ok(!others.body.grid.some((r) => r.id === ANA));
    assert.ok(
      others.body.suggestions.some((s) => (new Date(s.start).getUTCHours() + 21) % 24 < 9),
      "without the organizer, times before Ana's day are offered",
    );
  });

  test("availability: grid and suggestions across zones; an unreadable mailbox is unknown with its reason", async () => {
    const q = new URLSearchParams({
      start: iso(windowStart),
      end: iso(windowEnd),
      durationMinutes: "30",
      timeZone: "Europe/Stockholm",
    });
    q.append("required", SOFIA);
    q.append("required", ANA);
    q.append("optional", KIOSK);
    q.append("optional", ERIK);
    q.append("rooms", AURORA);
    const res = await availability(SOFIA, q.toString());
    assert.equal(res.status, 200, res.text);
    const body = res.body;
    assert.equal(body.grid.length, 5);
    assert.doesNotMatch(body.grid.find((r) => r.id === ERIK)!.view, /9/, "Erik's calendar is readable");
    const kiosk = body.grid.find((r) => r.id === KIOSK)!;
    assert.match(kiosk.view, /^9+$/);
    assert.ok(kiosk.error, "the kiosk row carries the mailbox error");
    const ana = body.grid.find((r) => r.id === ANA)!;
    assert.equal(ana.workingHours?.timeZone, "America/Sao_Paulo", "Windows zone names arrive as IANA");
    assert.equal(ana.view.length, (windowEnd - windowStart) / (15 * 60_000));
    assert.ok(body.suggestions.length > 0, JSON.stringify(body.emptyReason));
    for (const s of body.suggestions) {
      // Stockholm 09:00–17:00 (business ∩ working) meets Sao Paulo 09:00–17:00 from 12:00Z to 16:00Z.
      const hour = new Date(s.start).getUTCHours() + new Date(s.start).getUTCMinutes() / 60;
      assert.ok(hour >= 12 && hour + 0.5 <= 16, `slot ${iso(s.start)} lies in the common hours`);
      assert.equal(s.room, AURORA);
      const k = s.attendees.find((a) => a.id === KIOSK)!;
      assert.deepEqual([k.status, k.reason], ["unknown", { code: "CALENDAR_UNREADABLE" }]);
    }
  });

  test("a caller without a mailbox gets an error naming it, not an empty calendar", async () => {
    const q = new URLSearchParams({ start: iso(windowStart), end: iso(windowStart + DAY) });
    q.append("required", SOFIA);
    const res = await availability(KIOSK, q.toString());
    assert.equal(res.status, 502, res.text);
    assert.equal(res.body.error.code, "GRAPH_ERROR");
    assert.match(res.body.error.message, /no Exchange Online mailbox/);
    assert.equal(res.body.error.details?.graphCode, "MailboxNotEnabledForRESTAPI");
  });

  test("availability validates its input", async () => {
    const res = await availability(SOFIA, `start=${iso(windowEnd)}&end=${iso(windowStart)}&required=${ANA}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "VALIDATION_FAILED");
    const anonymous = await stack.request("GET", `/api/availability?start=${iso(windowStart)}`);
    assert.equal(anonymous.status, 401);
  });

  test("a Stockholm mailbox's working hours are in Europe/Stockholm: the country picks among the zones of W. Europe Standard Time", async () => {
    const q = new URLSearchParams({
      start: iso(windowStart),
      end: iso(windowEnd),
      durationMinutes: "30",
      timeZone: "Europe/Stockholm",
      includeGrid: "true",
    });
    for (const p of [SOFIA, ANA]) q.append("required", p);
    const res = await availability(SOFIA, q.toString());
    assert.equal(res.status, 200, res.text);
    const zoneOf = (id: string) =>
      res.body.grid.find((g) => g.id.toLowerCase() === id)?.workingHours?.timeZone;
    assert.equal(zoneOf(SOFIA), "Europe/Stockholm");
    assert.equal(zoneOf(ANA), "America/Sao_Paulo");
  });

  test("only addresses the directory lists as rooms are rooms: a person's address as the room is refused naming the field", async () => {
    const q = new URLSearchParams({
      start: iso(windowStart),
      end: iso(windowEnd),
      durationMinutes: "30",
      timeZone: "Europe/Stockholm",
      includeGrid: "false",
    });
    q.append("required", ANA);
    q.append("rooms", SOFIA);
    const asked = await availability(ANA, q.toString());
    assert.equal(asked.status, 400, asked.text);
    assert.equal(asked.body.error.code, "VALIDATION_FAILED");
    assert.match(asked.body.error.message, new RegExp(`^rooms: ${SOFIA} is not a meeting room`));
    assert.equal(asked.body.error.details?.field, "rooms");

    const slot = await firstFree([ANA], AURORA);
    const booked = await book(ANA, "draft-person-as-room", {
      subject: "Not a room",
      start: iso(slot.start),
      end: iso(slot.end),
      timeZone: "Europe/Stockholm",
      required: [],
      room: SOFIA,
    });
    assert.equal(booked.status, 400, booked.text);
    assert.equal(booked.body.error.details?.field, "room");
    assert.match(booked.body.error.message, new RegExp(`^room: ${SOFIA} is not a meeting room`));
    assert.deepEqual(
      (await calendarOf(SOFIA)).filter((e) => e.subject === "Not a room"),
      [],
      "nothing was booked into the person's calendar",
    );
  });

  test("book; the same request retried 5 times at once makes one event", async () => {
    const slot = await firstFree([SOFIA, ANA], AURORA);
    const body = {
      subject: "Quarterly planning",
      body: "Agenda attached.",
      start: iso(slot.start),
      end: iso(slot.end),
      timeZone: "Europe/Stockholm",
      required: [ANA],
      room: AURORA,
    };
    const answers = await Promise.all(Array.from({ length: 5 }, () => book(SOFIA, "draft-retry-1", body)));
    for (const a of answers) assert.ok(a.status === 201 || a.status === 200, a.text);
    assert.equal(answers.filter((a) => a.status === 201).length, 1);
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    const booking = answers[0]!.body;
    assert.equal(booking.status, "confirmed");
    assert.match(booking.joinUrl ?? "", /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    for (const who of [SOFIA, ANA, AURORA]) {
      const events = (await calendarOf(who)).filter((e) => e.subject === "Quarterly planning");
      assert.equal(events.length, 1, `${who} has the meeting once`);
      assert.deepEqual(at(events[0]!), [slot.start, slot.end]);
    }
    const event = await stack.product.m365!.graph.forTenant(tenantId).get<{
      isOnlineMeeting: boolean;
      onlineMeetingProvider: string;
      transactionId: string | null;
      originalStartTimeZone: string;
      reminderMinutesBeforeStart: number;
      body: { content: string };
      attendees: { emailAddress: { address: string }; type: string }[];
    }>(`/users/${encodeURIComponent(SOFIA)}/events/${encodeURIComponent(booking.eventId!)}`);
    assert.equal(event.isOnlineMeeting, true);
    assert.equal(event.onlineMeetingProvider, "teamsForBusiness");
    assert.equal(
      event.originalStartTimeZone,
      "W. Europe Standard Time",
      "created in the organizer's zone (by its Windows name), not UTC",
    );
    assert.match(event.transactionId ?? "", /^quorum-[0-9a-f]{16}-[0-9a-f]{16}$/);
    assert.equal(event.reminderMinutesBeforeStart, 15);
    assert.match(event.body.content, /Agenda attached/);
    assert.deepEqual(event.attendees.map((a) => [a.emailAddress.address.toLowerCase(), a.type]).sort(), [
      [ANA, "required"],
      [AURORA, "resource"],
    ]);
    const reused = await book(SOFIA, "draft-retry-1", { ...body, subject: "Something else" });
    assert.equal(reused.status, 409);
    assert.equal(reused.body.error.code, "IDEMPOTENCY_KEY_REUSED");
    const noKey = await stack.request<ErrorBody>("POST", "/api/bookings", {
      token: await token(SOFIA),
      body,
    });
    assert.equal(noKey.status, 400);
    const listed = await stack.request<{ bookings: BookingResponse[] }>(
      "GET",
      `/api/bookings?from=${encodeURIComponent(iso(windowStart))}&to=${encodeURIComponent(iso(windowEnd))}`,
      { token: await token(SOFIA) },
    );
    assert.equal(listed.status, 200, listed.text);
    assert.ok(listed.body.bookings.some((b) => b.id === booking.id));
  });

  test("another user's idempotency key does not return their booking", async () => {
    const slot = await firstFree([SOFIA, ANA], AURORA, 30, 12);
    const body = {
      subject: "Key owner's meeting",
      start: iso(slot.start),
      end: iso(slot.end),
      timeZone: "Europe/Stockholm",
      required: [ANA],
      room: AURORA,
    };
    const sofias = await book(SOFIA, "shared-key-1", body);
    assert.equal(sofias.status, 201, sofias.text);
    assert.ok(sofias.body.joinUrl);

    // Lucas sends the same key and the same body: he gets an answer about his own attempt, never Sofia's
    // booking (its id, event id or join URL).
    const same = await book(LUCAS, "shared-key-1", body);
    assert.notEqual(same.body.id, sofias.body.id, same.text);
    assert.ok(!same.text.includes(sofias.body.eventId!), same.text);
    assert.ok(!same.text.includes(sofias.body.joinUrl!), same.text);
    assert.equal(same.status, 409, same.text);
    assert.equal(same.body.error.code, "SLOT_NO_LONGER_FREE");

    // The same key for a slot of his own books his own meeting.
    const later = await firstFree([LUCAS, ANA], null, 30, 12);
    const his = await book(LUCAS, "shared-key-1", {
      ...body,
      subject: "Lucas's meeting",
      start: iso(later.start),
      end: iso(later.end),
      room: undefined,
    });
    assert.equal(his.status, 201, his.text);
    assert.equal(his.body.replayed, false);
    assert.notEqual(his.body.id, sofias.body.id);
    assert.notEqual(his.body.eventId, sofias.body.eventId);
    assert.notEqual(his.body.joinUrl, sofias.body.joinUrl);
    assert.equal((await calendarOf(LUCAS)).filter((e) => e.subject === "Lucas's meeting").length, 1);

    // Sofia's retry still answers with her booking.
    const again = await book(SOFIA, "shared-key-1", body);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.id, sofias.body.id);
  });

  test("two users racing for one room: one wins, the other gets SLOT_NO_LONGER_FREE", async () => {
    const slot = await firstFree([ANA, LUCAS, SOFIA], AURORA, 30, 3);
    const common = { start: iso(slot.start), end: iso(slot.end), timeZone: "UTC", room: AURORA };
    const [a, b] = await Promise.all([
      book(ANA, "race-ana", { ...common, subject: "Race A", required: [LUCAS] }),
      book(SOFIA, "race-sofia", { ...common, subject: "Race B", required: [] }),
    ]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [201, 409], `${a.text} / ${b.text}`);
    const loser = a.status === 409 ? a : b;
    assert.equal(loser.body.error.code, "SLOT_NO_LONGER_FREE");
    assert.ok(Array.isArray(loser.body.error.details?.alternatives));
    const inRoom = (await calendarOf(AURORA)).filter((e) => e.subject.startsWith("Race"));
    assert.equal(inRoom.length, 1);
  });

  test("reschedule and cancel show in every attendee's calendar", async () => {
    const slot = await firstFree([SOFIA, ANA], AURORA, 30, 6);
    const created = await book(SOFIA, "draft-move-1", {
      subject: "Move me",
      start: iso(slot.start),
      end: iso(slot.end),
      timeZone: "Europe/Stockholm",
      required: [ANA],
      room: AURORA,
    });
    assert.equal(created.status, 201, created.text);
    const etag = created.headers.get("etag");
    assert.equal(etag, `"${created.body.version}"`, "the booking's ETag is its version");
    const later = await firstFree([SOFIA, ANA], AURORA, 30, 9);
    const patch = (ifMatch: string | null) =>
      token(SOFIA).then((t) =>
        stack.request<BookingResponse & ErrorBody>("PATCH", `/api/bookings/${created.body.id}`, {
          token: t,
          ...(ifMatch ? { headers: { "if-match": ifMatch } } : {}),
          body: { start: iso(later.start), end: iso(later.end) },
        }),
      );
    // If-Match must be an ETag as returned; the error names the header.
    const malformed = await patch("version-1");
    assert.equal(malformed.status, 400, malformed.text);
    assert.match(malformed.body.error.message, /^If-Match: /);
    // A version other than the current one: nothing changes, anywhere.
    const stale = await patch(`"${created.body.version + 7}"`);
    assert.equal(stale.status, 412, stale.text);
    assert.equal(stale.body.error.code, "PRECONDITION_FAILED");
    for (const who of [SOFIA, ANA]) {
      const events = (await calendarOf(who)).filter((e) => e.subject === "Move me");
      assert.deepEqual(at(events[0]!), [slot.start, slot.end], `${who} still sees the first time`);
    }
    const moved = await patch(`W/${etag}`);
    assert.equal(moved.status, 200, `${moved.text} after ${created.text}`);
    assert.equal(moved.headers.get("etag"), `"${moved.body.version}"`);
    assert.ok(moved.body.version > created.body.version);
    const read = await stack.request<BookingResponse>("GET", `/api/bookings/${created.body.id}`, {
      token: await token(SOFIA),
    });
    assert.equal(read.headers.get("etag"), `"${moved.body.version}"`);
    // The ETag the first PATCH had is now stale: a second change made from it is refused.
    const lost = await patch(etag);
    assert.equal(lost.status, 412, lost.text);
    for (const who of [SOFIA, ANA, AURORA]) {
      const events = (await calendarOf(who)).filter((e) => e.subject === "Move me");
      assert.equal(events.length, 1, who);
      assert.deepEqual(at(events[0]!), [later.start, later.end], `${who} sees the new time`);
    }
    const history = await stack.request<{ history: { action: string }[] }>(
      "GET",
      `/api/bookings/${created.body.id}/history`,
      { token: await token(SOFIA) },
    );
    assert.deepEqual(
      history.body.history.map((h) => h.action),
      ["created", "rescheduled", "updated"],
    );
    const notMine = await stack.request<ErrorBody>("DELETE", `/api/bookings/${created.body.id}`, {
      token: await token(LUCAS),
    });
    assert.equal(notMine.status, 404);
    const staleCancel = await stack.request<ErrorBody>("DELETE", `/api/bookings/${created.body.id}`, {
      token: await token(SOFIA),
      headers: { "if-match": etag ?? "" },
    });
    assert.equal(staleCancel.status, 412, staleCancel.text);
    const cancelled = await stack.request<BookingResponse>(
      "DELETE",
      `/api/bookings/${created.body.id}?comment=Sorry`,
      {
        token: await token(SOFIA),
        headers: { "if-match": `"${moved.body.version}"` },
      },
    );
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.status, "cancelled");
    for (const who of [SOFIA, ANA, AURORA]) {
      assert.deepEqual(
        (await calendarOf(who)).filter((e) => e.subject === "Move me"),
        [],
        `${who} no longer has the meeting`,
      );
    }
  });

  test("a getSchedule call that fails leaves its calendars unknown with the reason, never free", async () => {
    const fault = await stack.emulatorRequest<{ id: string }>("POST", "/_emulator/faults", {
      path: "getSchedule",
      status: 429,
      retryAfterSeconds: 3600,
    });
    assert.equal(fault.status, 201, fault.text);
    try {
      const q = new URLSearchParams({
        start: iso(windowStart),
        end: iso(windowStart + DAY),
        timeZone: "UTC",
      });
      q.append("required", SOFIA);
      q.append("required", ANA);
      const res = await availability(SOFIA, q.toString());
      assert.equal(res.status, 200, res.text);
      for (const row of res.body.grid) {
        assert.match(row.view, /^9+$/, row.id);
        assert.equal(row.error?.code, "TooManyRequests");
      }
      for (const s of res.body.suggestions) {
        assert.equal(s.uncertain, 2);
        assert.ok(
          s.attendees.every((a) => a.status === "unknown" && a.reason?.code === "CALENDAR_UNREADABLE"),
        );
      }
    } finally {
      const cleared = await stack.emulatorRequest("DELETE", `/_emulator/faults/${fault.body.id}`);
      assert.equal(cleared.status, 204);
    }
  });

  test("getSchedule is chunked by 20 mailboxes and by windows under 62 days", async () => {
    await stack.emulatorRequest("DELETE", "/_emulator/throttling");
    const calendars = createGraphCalendars(stack.product.m365!.graph);
    const nobody = Array.from({ length: 23 }, (_, i) => `nobody${i}@contoso.com`);
    const schedules = await calendars.getSchedule({
      tenantId,
      asUser: SOFIA,
      schedules: [SOFIA, ANA, ...nobody],
      start: windowStart,
      end: windowStart + 70 * DAY,
      intervalMinutes: 60,
    });
    assert.equal(schedules.length, 25);
    const sofia = schedules.find((s) => s.id === SOFIA)!;
    assert.ok(!("error" in sofia));
    if (!("error" in sofia)) {
      // Items come from both windows (the daily stand-up series runs through all ten weeks).
      assert.ok(sofia.items.some((i) => i.start < windowStart + 61 * DAY));
      assert.ok(sofia.items.some((i) => i.start >= windowStart + 61 * DAY));
      assert.equal(sofia.workingHours?.timeZone, "Europe/Berlin");
    }
    for (const n of schedules.filter((s) => s.id.startsWith("nobody"))) {
      assert.ok("error" in n && n.error.code === "ErrorMailRecipientNotFound", n.id);
    }
    const stats = await stack.emulatorRequest<{ value: { mailbox: string; requests: number }[] }>(
      "GET",
      "/_emulator/throttling",
    );
    const requests = stats.body.value.reduce((sum, v) => sum + v.requests, 0);
    assert.equal(requests, 4, "2 chunks of addresses x 2 windows");
  });

  test("scheduler role: books into a colleague's calendar when they hold a sync seat", async () => {
    const db = stack.product.database;
    const slot = await firstFree([LUCAS, ANA], null, 30, 2);
    const body = {
      subject: "Booked for Lucas",
      start: iso(slot.start),
      end: iso(slot.end),
      timeZone: "America/Sao_Paulo",
      required: [ANA],
      organizer: LUCAS,
    };
    const withoutRole = await book(SOFIA, "sched-1", body);
    assert.equal(withoutRole.status, 403, withoutRole.text);
    assert.equal(withoutRole.body.error.code, "ROLE_REQUIRED");

    await db.executeSql(
      "update members set roles = '{member,scheduler}' where tenant_id = $1 and lower(upn) = $2",
      [tenantId, SOFIA],
    );
    const noSeat = await book(SOFIA, "sched-2", body);
    assert.equal(noSeat.status, 403, noSeat.text);
    assert.equal(noSeat.body.error.code, "SEAT_REQUIRED");
    // The tab names the colleague whose seat is missing, not the caller.
    assert.match(String(noSeat.body.error.details?.displayName), /^Lucas /);

    const lucas = (
      await db.executeSql("select user_id from members where tenant_id = $1 and lower(upn) = $2", [
        tenantId,
        LUCAS,
      ])
    ).rows[0] as { user_id: string };
    await db.executeSql(
      "insert into seat_assignments (tenant_id, kind, user_id, state) values ($1, 'sync', $2, 'active')",
      [tenantId, lucas.user_id],
    );
    const booked = await book(SOFIA, "sched-3", body);
    assert.equal(booked.status, 201, booked.text);
    assert.equal(booked.body.organizer.userId, lucas.user_id);
    assert.equal(booked.body.createdByUserId !== lucas.user_id, true);
    // Lucas has not installed the bot in this test tenant: the answer says he could not be told.
    const notification = (booked.body as unknown as { notification: { status: string; message?: string } })
      .notification;
    assert.equal(notification.status, "failed");
    assert.match(notification.message ?? "", /could not be told/);
    const lucasEvents = (await calendarOf(LUCAS)).filter((e) => e.subject === "Booked for Lucas");
    assert.equal(lucasEvents.length, 1, "the meeting is in Lucas's calendar");
    assert.equal((await calendarOf(ANA)).filter((e) => e.subject === "Booked for Lucas").length, 1);
    assert.equal((await calendarOf(SOFIA)).filter((e) => e.subject === "Booked for Lucas").length, 0);
  });

  test("admins set the tenant's availability policy; suggestions follow it", async () => {
    const admin = await token(stack.tenants[0]!.adminUpn);
    const before = await stack.request<Record<string, unknown>>("GET", "/api/admin/availability-policy", {
      token: admin,
    });
    assert.equal(before.status, 200, before.text);
    assert.deepEqual(before.body, {
      tentativeIsBusy: true,
      outOfOfficeIsBusy: true,
      workingElsewhereIsBusy: false,
      businessHours: { daysOfWeek: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080 },
    });
    const lenient = { ...before.body, businessHours: null };
    const denied = await stack.request<ErrorBody>("PUT", "/api/admin/availability-policy", {
      token: await token(ANA),
      body: lenient,
    });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, "ROLE_REQUIRED");
    const invalid = await stack.request<ErrorBody>("PUT", "/api/admin/availability-policy", {
      token: admin,
      body: { ...lenient, tentativeIsBusy: "yes" },
    });
    assert.equal(invalid.status, 400);

    // Cells outside working or business hours ("5") across Sofia's and Ana's rows on Wednesday.
    const wednesday = windowStart + 2 * DAY;
    const outsideHours = async () => {
      const q = new URLSearchParams({
        start: iso(wednesday),
        end: iso(wednesday + DAY),
        timeZone: "UTC",
        intervalMinutes: "60",
      });
      q.append("required", SOFIA);
      q.append("required", ANA);
      const res = await availability(SOFIA, q.toString());
      assert.equal(res.status, 200, res.text);
      return res.body.grid.reduce((n, row) => n + [...row.view].filter((c) => c === "5").length, 0);
    };
    const strict = await outsideHours();
    const put = await stack.request("PUT", "/api/admin/availability-policy", { token: admin, body: lenient });
    assert.equal(put.status, 200, put.text);
    try {
      // Without business hours, 08:00 Sao Paulo and 08:00 Stockholm (before 09:00) count as working time.
      assert.ok((await outsideHours()) < strict);
    } finally {
      const restored = await stack.request("PUT", "/api/admin/availability-policy", {
        token: admin,
        body: before.body,
      });
      assert.equal(restored.status, 200, restored.text);
    }
    assert.equal(await outsideHours(), strict);
    const audit = await stack.product.database.executeSql(
      "select count(*)::int as n from audit_log where tenant_id = $1 and action = 'availability.policy_changed'",
      [tenantId],
    );
    assert.equal((audit.rows[0] as { n: number }).n, 2);
  });
});
