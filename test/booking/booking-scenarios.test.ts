/**
 * One scenario suite for the booking service, run against every BookingStore: in memory, PGlite, and
 * PostgreSQL when QUORUM_TEST_DATABASE_URL is set. Calendars are the in-memory port (dedupe on
 * transactionId, invitations in every attendee's calendar).
 */
import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { Actor } from "../../src/core/actor.ts";
import {
  MemoryBookingStore,
  MemoryCalendars,
  MemoryNotifier,
  MemoryPeople,
  MemoryPolicies,
  MemoryRooms,
} from "../../src/core/booking/memory.ts";
import {
  type Booking,
  type BookingDraft,
  freshClaim,
  transactionIdFor,
} from "../../src/core/booking/model.ts";
import type { BookingStore } from "../../src/core/booking/ports.ts";
import { CLAIM_TIMEOUT_MS, reconcileStaleBookings } from "../../src/core/booking/reconcile.ts";
import { BookingService } from "../../src/core/booking/service.ts";
import { fixedClock } from "../../src/core/clock.ts";
import { DomainError } from "../../src/core/errors.ts";
import { DrizzleBookingStore } from "../../src/store/bookings.ts";
import { openTestDatabase, type TestDatabase, testEngines } from "../support/database.ts";
import { until } from "../support/until.ts";

const at = (iso: string) => Date.parse(iso);
const TENANT = "tenant-1";
/** The rig's clock: every booking in these scenarios is claimed at this instant. */
const NOW = at("2026-11-21T12:00:00Z");
const actor = (userId: string, upn: string, roles: Actor["roles"] = ["member"]): Actor => ({
  tenantId: TENANT,
  userId,
  upn,
  displayName: upn.split("@")[0]!,
  roles,
});
const alice = actor("u-alice", "alice@contoso.com");
const bob = actor("u-bob", "bob@contoso.com");
const sam = actor("u-sam", "sam@contoso.com", ["member", "scheduler"]);
const people: [string, string][] = [
  ["u-alice", "alice@contoso.com"],
  ["u-bob", "bob@contoso.com"],
  ["u-carol", "carol@contoso.com"],
  ["u-sam", "sam@contoso.com"],
  ["u-dana", "dana@contoso.com"],
  ["u-erik", "erik@contoso.com"],
];
const addressOf = (userId: string) => people.find(([id]) => id === userId)?.[1] ?? userId;

const draft = (overrides: Partial<BookingDraft> = {}): BookingDraft => ({
  subject: "Planning",
  body: "Agenda: next quarter",
  start: at("2026-11-24T09:00:00Z"),
  end: at("2026-11-24T09:30:00Z"),
  timeZone: "Europe/Stockholm",
  required: ["carol@contoso.com"],
  optional: [],
  room: "room-1@contoso.com",
  location: null,
  reminderMinutes: 15,
  isOnlineMeeting: true,
  organizer: null,
  ...overrides,
});

function rig(store: BookingStore) {
  const calendars = new MemoryCalendars(addressOf);
  const directory = new MemoryPeople();
  for (const [userId, email] of people) {
    directory.add(
      TENANT,
      { userId, email, displayName: email.split("@")[0]! },
      userId === "u-dana" ? ["sync"] : [],
    );
  }
  const notifier = new MemoryNotifier();
  const policies = new MemoryPolicies();
  let n = 0;
  const service = new BookingService({
    calendars,
    store,
    people: directory,
    rooms: new MemoryRooms(
      TENANT,
      ["room-1", "room-2", "room-3", "room-4"].map((r) => `${r}@contoso.com`),
    ),
    notifier,
    policies,
    clock: fixedClock(NOW),
    newId: () => `b-${Date.now().toString(36)}-${++n}-${Math.random().toString(36).slice(2, 8)}`,
  });
  return { calendars, notifier, service, store };
}

const code = (c: string) => (e: unknown) => e instanceof DomainError && e.code === c;

/** A claim whose process died before Graph answered: `creating`, held by `organizer`, with a room. */
const lostAttempt = (id: string, organizer: Actor, room: string, claimedAt = NOW): Booking => ({
  tenantId: TENANT,
  id,
  idempotencyKey: `key-${id}`,
  requestHash: "0000000000000000",
  organizerUserId: organizer.userId,
  organizerEmail: organizer.upn,
  createdByUserId: organizer.userId,
  subject: `Lost ${id}`,
  body: null,
  attendees: [{ email: organizer.upn, type: "organizer" }],
  room,
  location: null,
  start: at("2026-11-24T09:00:00Z"),
  end: at("2026-11-24T09:30:00Z"),
  timeZone: "UTC",
  reminderMinutes: null,
  isOnlineMeeting: true,
  transactionId: `quorum-tx-${id}`,
  ...freshClaim(claimedAt),
});

type Engine = "memory" | "pglite" | "postgres";
const engines: Engine[] = ["memory", ...testEngines()];

for (const engine of engines) {
  describe(`booking scenarios on ${engine}`, () => {
    let database: TestDatabase | null = null;
    beforeAll(async () => {
      if (engine !== "memory") database = await openTestDatabase(engine);
    });
    afterAll(async () => {
      await database?.close();
    });
    const fresh = async () => {
      if (database) await database.executeSql("delete from booking_history; delete from bookings;");
      return rig(database ? new DrizzleBookingStore(database) : new MemoryBookingStore());
    };

    test("only an address the directory lists as a room is booked as a room; a person's is refused naming the field", async () => {
      const { service, calendars, store } = await fresh();
      for (const room of ["carol@contoso.com", "nobody@contoso.com"]) {
        await assert.rejects(
          service.book(alice, draft({ room }), `key-person-room-${room}`),
          (e: unknown) => {
            assert.ok(e instanceof DomainError && e.code === "VALIDATION_FAILED", String(e));
            assert.match(e.message, new RegExp(`^room: ${room} is not a meeting room`));
            assert.equal(e.details?.field, "room");
            assert.equal(e.details?.reason, "NOT_A_ROOM");
            return true;
          },
        );
      }
      assert.deepEqual(calendars.calendarOf("carol@contoso.com"), [], "nothing was booked");
      assert.deepEqual(await service.list(alice, at("2026-11-01T00:00:00Z"), at("2026-12-31T00:00:00Z")), []);
      assert.ok(store);
      // A room keeps working, in any case, and a reschedule cannot turn a person into the room either.
      const { booking } = await service.book(alice, draft({ room: "ROOM-1@contoso.com" }), "key-real-room");
      assert.equal(booking.room, "room-1@contoso.com");
      await assert.rejects(
        service.reschedule(alice, booking.id, { room: "carol@contoso.com" }),
        code("VALIDATION_FAILED"),
      );
    });

    test("books into the organizer's calendar with attendees, room and a Teams link", async () => {
      const { service, calendars, store } = await fresh();
      const { booking, replayed } = await service.book(alice, draft(), "key-1");
      assert.equal(replayed, false);
      assert.equal(booking.status, "confirmed");
      assert.match(booking.joinUrl ?? "", /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
      assert.equal(booking.organizerEmail, "alice@contoso.com");
      for (const who of ["alice@contoso.com", "carol@contoso.com", "room-1@contoso.com"]) {
        assert.deepEqual(
          calendars.calendarOf(who).map((e) => e.id),
          [booking.eventId],
          who,
        );
      }
      const history = await store.history(TENANT, booking.id);
      assert.deepEqual(
        history.map((h) => h.action),
        ["created"],
      );
      assert.equal(
        (await service.list(alice, at("2026-11-24T00:00:00Z"), at("2026-11-25T00:00:00Z"))).length,
        1,
      );
      assert.equal(
        (await service.list(bob, at("2026-11-24T00:00:00Z"), at("2026-11-25T00:00:00Z"))).length,
        0,
      );
    });

    test("the same request retried 5 times at once creates one event and one booking", async () => {
      const { service, calendars } = await fresh();
      const results = await Promise.all(
        Array.from({ length: 5 }, () => service.book(alice, draft(), "key-retry")),
      );
      assert.equal(new Set(results.map((r) => r.booking.id)).size, 1);
      assert.equal(new Set(results.map((r) => r.booking.eventId)).size, 1);
      assert.equal(results.filter((r) => !r.replayed).length, 1);
      assert.ok(results.every((r) => r.booking.status === "confirmed"));
      assert.equal(calendars.eventCount, 1);
      const again = await service.book(alice, draft(), "key-retry");
      assert.equal(again.replayed, true);
      assert.equal(again.booking.id, results[0]!.booking.id);
    });

    test("retries racing an attempt that finds the slot taken all get SLOT_NO_LONGER_FREE", async () => {
      const { service, calendars } = await fresh();
      calendars.addBusy("carol@contoso.com", {
        start: at("2026-11-24T09:00:00Z"),
        end: at("2026-11-24T10:00:00Z"),
        status: "busy",
      });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => service.book(alice, draft(), "key-taken")),
      );
      for (const o of outcomes) {
        assert.equal(o.status, "rejected");
        assert.ok(code("SLOT_NO_LONGER_FREE")((o as PromiseRejectedResult).reason));
      }
      assert.equal(calendars.eventCount, 0);
    });

    test("after losing a race, the alternatives never include the slot just lost", async () => {
      const { service, calendars } = await fresh();
      // Alice's booking holds the slot while Outlook has not answered yet: her event is not in any calendar.
      // The slot is the first of the day (09:00 Stockholm), the one a search would offer first.
      const first = draft({ start: at("2026-11-24T08:00:00Z"), end: at("2026-11-24T08:30:00Z") });
      const release = calendars.holdCreates("alice@contoso.com");
      const winner = service.book(alice, first, "alice-first");
      await until(
        async () =>
          (await service.list(alice, at("2026-11-24T00:00:00Z"), at("2026-11-25T00:00:00Z"))).length === 1,
        "alice's claim is recorded",
      );
      const error = await service.book(bob, first, "bob-second").then(
        () => assert.fail("two bookings of one room at one time"),
        (e: unknown) => e,
      );
      release();
      await winner;
      assert.ok(code("SLOT_NO_LONGER_FREE")(error));
      const { alternatives } = (error as DomainError).details as {
        alternatives: { start: number; end: number }[];
      };
      assert.ok(alternatives.length > 0, "other times are offered");
      for (const a of alternatives)
        assert.ok(
          a.end <= first.start || a.start >= first.end,
          `${new Date(a.start).toISOString()} overlaps the slot that was refused`,
        );
    });

    test("the same key with a different body is refused", async () => {
      const { service } = await fresh();
      await service.book(alice, draft(), "key-2");
      await assert.rejects(
        service.book(alice, draft({ subject: "Other" }), "key-2"),
        code("IDEMPOTENCY_KEY_REUSED"),
      );
    });

    test("another user's idempotency key does not return their booking", async () => {
      const { service, calendars } = await fresh();
      const mine = await service.book(alice, draft(), "shared-key");
      // The same key and the same body from someone else: their own attempt, which finds the slot taken.
      const error = await service.book(bob, draft(), "shared-key").then(
        (r) => assert.fail(`bob received booking ${r.booking.id} (alice's is ${mine.booking.id})`),
        (e: unknown) => e,
      );
      assert.ok(code("SLOT_NO_LONGER_FREE")(error), String(error));
      // The same key for another slot books bob's own meeting, into his own calendar.
      const his = await service.book(
        bob,
        draft({ start: at("2026-11-24T11:00:00Z"), end: at("2026-11-24T11:30:00Z") }),
        "shared-key",
      );
      assert.equal(his.replayed, false);
      assert.notEqual(his.booking.id, mine.booking.id);
      assert.notEqual(his.booking.eventId, mine.booking.eventId);
      assert.notEqual(his.booking.transactionId, mine.booking.transactionId);
      assert.equal(his.booking.organizerUserId, "u-bob");
      assert.equal(calendars.calendarOf("bob@contoso.com").length, 1);
      // Each user's retry still answers with their own booking.
      assert.equal((await service.book(alice, draft(), "shared-key")).booking.id, mine.booking.id);
    });

    test("two users racing for one room and slot: exactly one wins", async () => {
      const { service, calendars } = await fresh();
      const outcomes = await Promise.allSettled([
        service.book(alice, draft({ required: ["carol@contoso.com"] }), "race-a"),
        service.book(bob, draft({ required: ["erik@contoso.com"] }), "race-b"),
      ]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.filter((o) => o.status === "rejected");
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      const reason = (lost[0] as PromiseRejectedResult).reason;
      assert.ok(code("SLOT_NO_LONGER_FREE")(reason));
      assert.deepEqual((reason as DomainError).details?.busy, ["room-1@contoso.com"]);
      assert.equal(calendars.calendarOf("room-1@contoso.com").length, 1);
      assert.equal(calendars.eventCount, 1);
    });

    test("a slot taken in the calendar meanwhile answers SLOT_NO_LONGER_FREE with alternatives", async () => {
      const { service, calendars } = await fresh();
      calendars.setWorkingHours("alice@contoso.com", {
        timeZone: "Europe/Stockholm",
        daysOfWeek: [1, 2, 3, 4, 5],
        startMinute: 8 * 60,
        endMinute: 17 * 60,
      });
      calendars.addBusy("carol@contoso.com", {
        start: at("2026-11-24T08:30:00Z"),
        end: at("2026-11-24T10:00:00Z"),
        status: "busy",
      });
      const error = await service.book(alice, draft(), "key-3").then(
        () => assert.fail("booked a busy slot"),
        (e: unknown) => e,
      );
      assert.ok(code("SLOT_NO_LONGER_FREE")(error));
      const details = (error as DomainError).details as { busy: string[]; alternatives: { start: number }[] };
      assert.deepEqual(details.busy, ["carol@contoso.com"]);
      assert.ok(details.alternatives.length > 0);
      // 09:00 Stockholm (business hours start) is free; then Carol is busy until 10:00Z; the alternatives
      // are spread an hour apart or more.
      assert.deepEqual(
        details.alternatives.map((a) => new Date(a.start).toISOString()),
        ["2026-11-24T08:00:00.000Z", "2026-11-24T10:00:00.000Z", "2026-11-24T11:00:00.000Z"],
      );
      assert.equal(calendars.eventCount, 0);
      assert.deepEqual(await service.list(alice, at("2026-11-24T00:00:00Z"), at("2026-11-25T00:00:00Z")), []);
    });

    test("scheduler role: books as a colleague with a sync seat, who is notified", async () => {
      const { service, calendars, notifier } = await fresh();
      await assert.rejects(
        service.book(alice, draft({ organizer: "dana@contoso.com" }), "s-1"),
        code("ROLE_REQUIRED"),
      );
      await assert.rejects(
        service.book(sam, draft({ organizer: "erik@contoso.com" }), "s-2"),
        code("SEAT_REQUIRED"),
      );
      const { booking, notification } = await service.book(
        sam,
        draft({ organizer: "dana@contoso.com" }),
        "s-3",
      );
      assert.equal(booking.organizerUserId, "u-dana");
      assert.equal(booking.createdByUserId, "u-sam");
      assert.deepEqual(notification, { status: "sent" });
      assert.equal(notifier.sent.length, 1);
      assert.deepEqual(
        [
          notifier.sent[0]?.kind,
          notifier.sent[0] && "userId" in notifier.sent[0] ? notifier.sent[0].userId : null,
        ],
        ["bookedForYou", "u-dana"],
      );
      assert.equal(calendars.calendarOf("dana@contoso.com").length, 1);
      assert.equal(calendars.calendarOf("sam@contoso.com").length, 0);
    });

    test("reschedule moves the meeting for every attendee and keeps history", async () => {
      const { service, calendars, store } = await fresh();
      const { booking } = await service.book(alice, draft(), "key-4");
      const moved = await service.reschedule(alice, booking.id, {
        start: at("2026-11-24T09:15:00Z"),
        end: at("2026-11-24T10:00:00Z"),
      });
      assert.equal(moved.start, at("2026-11-24T09:15:00Z"));
      for (const who of ["alice@contoso.com", "carol@contoso.com", "room-1@contoso.com"]) {
        assert.deepEqual(
          calendars.calendarOf(who).map((e) => [e.start, e.end]),
          [[at("2026-11-24T09:15:00Z"), at("2026-11-24T10:00:00Z")]],
        );
      }
      const history = await store.history(TENANT, booking.id);
      assert.deepEqual(
        history.map((h) => h.action),
        ["created", "rescheduled", "updated"],
      );
      assert.equal(history[1]!.before?.start, at("2026-11-24T09:00:00Z"));
      assert.equal(history[1]!.after?.start, at("2026-11-24T09:15:00Z"));
      await assert.rejects(service.reschedule(bob, booking.id, { subject: "mine now" }), code("NOT_FOUND"));
    });

    test("a reschedule Graph refuses leaves the booking as the calendar has it", async () => {
      const { service, calendars, store } = await fresh();
      const { booking } = await service.book(alice, draft(), "key-revert");
      // The organizer deleted the meeting in Outlook meanwhile.
      await calendars.cancelEvent({
        tenantId: TENANT,
        organizer: "u-alice",
        eventId: booking.eventId!,
        comment: null,
      });
      await assert.rejects(
        service.reschedule(alice, booking.id, {
          start: at("2026-11-24T10:00:00Z"),
          end: at("2026-11-24T10:30:00Z"),
        }),
        code("NOT_FOUND"),
      );
      const stored = await store.get(TENANT, booking.id);
      assert.equal(stored?.start, booking.start);
      assert.equal(stored?.end, booking.end);
      assert.deepEqual(
        (await store.history(TENANT, booking.id)).map((h) => h.action),
        ["created", "rescheduled", "updated"],
      );
    });

    test("reschedule onto a room another booking holds is refused", async () => {
      const { service } = await fresh();
      const first = await service.book(alice, draft(), "key-5");
      await service.book(
        bob,
        draft({
          start: at("2026-11-24T11:00:00Z"),
          end: at("2026-11-24T11:30:00Z"),
          required: ["erik@contoso.com"],
        }),
        "key-6",
      );
      await assert.rejects(
        service.reschedule(alice, first.booking.id, {
          start: at("2026-11-24T11:00:00Z"),
          end: at("2026-11-24T11:30:00Z"),
        }),
        code("SLOT_NO_LONGER_FREE"),
      );
    });

    test("cancel sends the cancellation, frees the calendars and is idempotent", async () => {
      const { service, calendars, store } = await fresh();
      const { booking } = await service.book(alice, draft(), "key-7");
      const cancelled = await service.cancel(alice, booking.id, "Not needed");
      assert.equal(cancelled.status, "cancelled");
      for (const who of ["alice@contoso.com", "carol@contoso.com", "room-1@contoso.com"])
        assert.deepEqual(calendars.calendarOf(who), [], who);
      assert.equal((await service.cancel(alice, booking.id, null)).status, "cancelled");
      assert.equal(calendars.calls.filter((c) => c.op === "cancelEvent").length, 1);
      assert.deepEqual(
        (await store.history(TENANT, booking.id)).map((h) => h.action),
        ["created", "cancelled"],
      );
      // The slot is free again for someone else.
      const next = await service.book(bob, draft({ required: ["erik@contoso.com"] }), "key-8");
      assert.equal(next.booking.status, "confirmed");
    });

    test("bookings a crash left creating are confirmed with their event or failed, freeing the slot, after the claim timeout", async () => {
      const { service, calendars, store } = await fresh();
      const dana = actor("u-dana", "dana@contoso.com");
      const erik = actor("u-erik", "erik@contoso.com");
      // Graph created the first one's event before the process died; the second one's never arrived.
      const reached = lostAttempt("reached", alice, "room-1@contoso.com");
      const lost = lostAttempt("lost", bob, "room-2@contoso.com");
      // Claimed 90 s ago: its attempt may still be under way.
      const young = lostAttempt("young", dana, "room-3@contoso.com", NOW + 30_000);
      const unreadable = lostAttempt("unreadable", erik, "room-4@contoso.com");
      for (const b of [reached, lost, young, unreadable])
        assert.equal((await store.claim(b)).kind, "claimed", b.id);
      const event = await calendars.createEvent({
        tenantId: TENANT,
        organizer: alice.userId,
        transactionId: reached.transactionId,
        event: {
          subject: reached.subject,
          body: null,
          start: reached.start,
          end: reached.end,
          timeZone: "UTC",
          required: [],
          optional: [],
          room: reached.room,
          location: null,
          reminderMinutes: null,
          isOnlineMeeting: true,
        },
      });
      calendars.failMailbox("erik@contoso.com", "Mailbox is on hold");
      const room2 = draft({ required: [], room: "room-2@contoso.com" });
      await assert.rejects(service.book(sam, room2, "room-2-before"), code("SLOT_NO_LONGER_FREE"));

      const reconcile = (now: number) => reconcileStaleBookings({ calendars, store, clock: fixedClock(now) });
      const early = await reconcile(NOW + CLAIM_TIMEOUT_MS - 1);
      assert.deepEqual([early.confirmed.length, early.failed.length, early.unsettled.length], [0, 0, 0]);

      const report = await reconcile(NOW + CLAIM_TIMEOUT_MS + 1);
      assert.deepEqual(
        report.confirmed.map((b) => [b.id, b.status, b.eventId, b.joinUrl]),
        [["reached", "confirmed", event.eventId, event.joinUrl]],
      );
      assert.deepEqual(
        report.failed.map((b) => [b.id, b.status]),
        [["lost", "failed"]],
      );
      assert.deepEqual(
        report.unsettled.map((u) => u.booking.id),
        ["unreadable"],
      );
      assert.equal((await store.get(TENANT, "young"))?.status, "creating");
      assert.equal((await store.get(TENANT, "unreadable"))?.status, "creating");
      assert.deepEqual(
        (await store.history(TENANT, "reached")).map((h) => [h.action, h.actorUserId]),
        [["created", null]],
      );
      assert.deepEqual(
        (await store.history(TENANT, "lost")).map((h) => h.action),
        ["failed"],
      );
      assert.deepEqual(
        calendars.calendarOf("alice@contoso.com").map((e) => e.id),
        [event.eventId],
      );

      // The freed slot can be booked; the confirmed one stays held.
      const booked = await service.book(sam, room2, "room-2-after");
      assert.equal(booked.booking.status, "confirmed");
      await assert.rejects(
        service.book(sam, draft({ required: [], room: "room-1@contoso.com" }), "room-1"),
        code("SLOT_NO_LONGER_FREE"),
      );
      // A second round finds nothing more to settle.
      const again = await reconcile(NOW + CLAIM_TIMEOUT_MS + 2);
      assert.deepEqual([again.confirmed.length, again.failed.length], [0, 0]);
    });

    test("an attempt that outlives its claim keeps its meeting only while its slot is still free", async () => {
      const { service, calendars, store } = await fresh();
      const settleStale = () =>
        reconcileStaleBookings({ calendars, store, clock: fixedClock(NOW + CLAIM_TIMEOUT_MS + 1) });
      const inFlight = (key: string) => {
        const transactionId = transactionIdFor(TENANT, alice.userId, key);
        return until(
          async () => calendars.calls.some((c) => c.op === "createEvent" && c.detail === transactionId),
          `the attempt ${key} waits on Graph`,
        );
      };

      // Graph is slow for Alice; past the claim timeout her booking is settled as failed, and Bob books
      // the room. When Graph finally answers, her meeting is withdrawn.
      let release = calendars.holdCreates("alice@contoso.com");
      const slow = service.book(alice, draft(), "slow-1");
      await inFlight("slow-1");
      assert.equal((await settleStale()).failed.length, 1);
      const bobs = await service.book(bob, draft({ required: ["erik@contoso.com"] }), "bob-1");
      release();
      await assert.rejects(slow, code("SLOT_NO_LONGER_FREE"));
      assert.deepEqual(
        calendars.calendarOf("room-1@contoso.com").map((e) => e.id),
        [bobs.booking.eventId],
      );
      assert.deepEqual(calendars.calendarOf("alice@contoso.com"), []);

      // The same, but nobody took the slot meanwhile: the meeting is hers.
      const later = { start: at("2026-11-24T11:00:00Z"), end: at("2026-11-24T11:30:00Z") };
      release = calendars.holdCreates("alice@contoso.com");
      const slow2 = service.book(alice, draft(later), "slow-2");
      await inFlight("slow-2");
      assert.equal((await settleStale()).failed.length, 1);
      release();
      const kept = await slow2;
      assert.equal(kept.booking.status, "confirmed");
      assert.deepEqual(
        calendars.calendarOf("room-1@contoso.com").map((e) => e.id),
        [bobs.booking.eventId, kept.booking.eventId],
      );
      assert.equal((await store.get(TENANT, kept.booking.id))?.status, "confirmed");
    });

    test("ten claims racing for one room at overlapping times: exactly one is claimed", async () => {
      const { store } = await fresh();
      const base = (await rig(new MemoryBookingStore()).service.book(alice, draft(), "template")).booking;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.claim({
            ...base,
            id: `claim-${i}`,
            idempotencyKey: `claim-key-${i}`,
            status: "creating",
            version: 1,
            organizerUserId: `u-${i}`,
            organizerEmail: `person${i}@contoso.com`,
            attendees: [{ email: `person${i}@contoso.com`, type: "organizer" }],
            start: base.start + i * 60_000,
            end: base.end + i * 60_000,
          }),
        ),
      );
      assert.equal(results.filter((r) => r.kind === "claimed").length, 1);
      assert.equal(results.filter((r) => r.kind === "conflict").length, 9);
    });

    test("a stale version is refused by the store", async () => {
      const { service, store } = await fresh();
      const { booking } = await service.book(alice, draft(), "key-9");
      await assert.rejects(
        store.update(
          TENANT,
          booking.id,
          booking.version - 1,
          { subject: "x" },
          { action: "updated", actorUserId: null, at: 0 },
        ),
        code("CONFLICT"),
      );
    });
  });
}
