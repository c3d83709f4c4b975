import assert from "node:assert/strict";
import { describe, test } from "vitest";
import {
  type AvailabilityPolicy,
  type AvailabilityRequest,
  defaultAvailabilityPolicy,
  type Schedule,
  type ScheduleStatus,
  type WorkingHours,
} from "../../src/core/availability/model.ts";
import { findAvailability } from "../../src/core/availability/slot-finder.ts";
import { fixedClock } from "../../src/core/clock.ts";
import { DomainError } from "../../src/core/errors.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const item = (start: string, end: string, status: ScheduleStatus = "busy") => ({
  start: at(start),
  end: at(end),
  status,
});
const hours = (
  timeZone: string,
  start = "08:00",
  end = "17:00",
  daysOfWeek = [1, 2, 3, 4, 5],
): WorkingHours => {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return { timeZone, startMinute: m(start), endMinute: m(end), daysOfWeek };
};
const person = (
  id: string,
  items: ReturnType<typeof item>[] = [],
  workingHours: WorkingHours | null = hours("Europe/Stockholm"),
): Schedule => ({ id, items, workingHours });
const failed = (id: string): Schedule => ({
  id,
  error: { code: "ErrorMailRecipientNotFound", message: "The mailbox could not be read." },
});
const policy = (overrides: Partial<AvailabilityPolicy> = {}): AvailabilityPolicy => ({
  ...defaultAvailabilityPolicy,
  ...overrides,
});
/** Monday 23 November 2026, Stockholm (UTC+1): business 09–18, working 08–17 → 08:00Z–16:00Z. */
const monday = (overrides: Partial<AvailabilityRequest> = {}): AvailabilityRequest => ({
  required: ["alice@contoso.com", "bob@contoso.com"],
  durationMinutes: 30,
  window: { start: at("2026-11-23T00:00:00Z"), end: at("2026-11-24T00:00:00Z") },
  granularityMinutes: 15,
  organizerTimeZone: "Europe/Stockholm",
  maxSuggestions: 100,
  ...overrides,
});
const earlier = fixedClock(at("2026-11-20T12:00:00Z"));
const starts = (r: ReturnType<typeof findAvailability>) => r.suggestions.map((s) => iso(s.start));

describe("slot finder", () => {
  test("suggests the earliest time all required attendees are free, inside working and business hours", () => {
    const result = findAvailability(
      monday(),
      [
        person("alice@contoso.com", [item("2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z")]),
        person("Bob@Contoso.com", [item("2026-11-23T10:00:00Z", "2026-11-23T11:30:00Z")]),
      ],
      policy(),
      earlier,
    );
    const s = starts(result);
    assert.equal(s[0], "2026-11-23T09:00:00Z");
    assert.ok(!s.includes("2026-11-23T09:45:00Z"), "09:45–10:15 overlaps Bob's meeting");
    assert.ok(s.includes("2026-11-23T11:30:00Z"));
    assert.equal(s.at(-1), "2026-11-23T15:30:00Z", "the last slot ends at 17:00 Stockholm");
    assert.deepEqual(
      result.suggestions[0]!.attendees.map((a) => [a.id, a.status, a.reason]),
      [
        ["alice@contoso.com", "free", null],
        ["bob@contoso.com", "free", null],
      ],
    );
    assert.equal(result.emptyReason, null);
  });

  test("the grid shows each state per interval, and explains hours", () => {
    const result = findAvailability(
      monday({
        window: { start: at("2026-11-23T07:00:00Z"), end: at("2026-11-23T12:00:00Z") },
        granularityMinutes: 60,
      }),
      [
        person("alice@contoso.com", [
          item("2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z", "tentative"),
          item("2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z", "busy"),
          item("2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z", "workingElsewhere"),
          item("2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z", "free"),
        ]),
        person("bob@contoso.com", [item("2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", "oof")]),
      ],
      policy(),
      earlier,
    );
    // 07Z is 08:00 Stockholm: inside working hours but before business hours (09:00).
    assert.deepEqual(
      result.grid.map((r) => [r.id, r.view]),
      [
        ["alice@contoso.com", "51240"],
        ["bob@contoso.com", "50300"],
      ],
    );
  });

  test("an attendee whose calendar failed is unknown with its reason, and lowers every slot", () => {
    const result = findAvailability(
      monday({ optional: ["carol@contoso.com"] }),
      [person("alice@contoso.com"), failed("bob@contoso.com"), person("carol@contoso.com")],
      policy(),
      earlier,
    );
    const bob = result.grid.find((r) => r.id === "bob@contoso.com")!;
    assert.match(bob.view, /^9+$/);
    assert.equal(bob.error?.code, "ErrorMailRecipientNotFound");
    assert.ok(result.suggestions.length > 0);
    for (const s of result.suggestions) {
      assert.equal(s.uncertain, 1);
      const v = s.attendees.find((a) => a.id === "bob@contoso.com")!;
      assert.deepEqual([v.status, v.reason], ["unknown", { code: "CALENDAR_UNREADABLE" }]);
    }
  });

  test("an address with no schedule at all is unknown, never free", () => {
    const result = findAvailability(monday(), [person("alice@contoso.com")], policy(), earlier);
    const bob = result.grid.find((r) => r.id === "bob@contoso.com")!;
    assert.equal(bob.error?.code, "scheduleMissing");
    assert.ok(result.suggestions.every((s) => s.uncertain === 1));
  });

  test("slots overlapping an unknown item rank after certain ones", () => {
    const result = findAvailability(
      monday({ required: ["alice@contoso.com"] }),
      [person("alice@contoso.com", [item("2026-11-23T08:00:00Z", "2026-11-23T12:00:00Z", "unknown")])],
      policy(),
      earlier,
    );
    assert.equal(starts(result)[0], "2026-11-23T12:00:00Z");
    const firstUnsure = result.suggestions.find((s) => s.uncertain > 0)!;
    assert.equal(iso(firstUnsure.start), "2026-11-23T08:00:00Z");
    assert.deepEqual(firstUnsure.attendees[0]!.reason, { code: "STATUS_UNKNOWN" });
  });

  test("optional attendance ranks before earliness", () => {
    const result = findAvailability(
      monday({ optional: ["carol@contoso.com"] }),
      [
        person("alice@contoso.com"),
        person("bob@contoso.com"),
        person("carol@contoso.com", [item("2026-11-23T08:00:00Z", "2026-11-23T10:00:00Z")]),
      ],
      policy(),
      earlier,
    );
    assert.equal(starts(result)[0], "2026-11-23T10:00:00Z");
    const nine = result.suggestions.find((s) => iso(s.start) === "2026-11-23T08:00:00Z")!;
    assert.equal(nine.optionalAvailable, 0);
    assert.deepEqual(
      nine.attendees.find((a) => a.id === "carol@contoso.com"),
      { id: "carol@contoso.com", role: "optional", status: "busy", reason: { code: "BUSY" } },
    );
  });

  test("an optional attendee outside their hours says whose hours, in which zone", () => {
    const result = findAvailability(
      monday({ required: ["alice@contoso.com"], optional: ["dan@contoso.com"] }),
      [
        person("alice@contoso.com"),
        person("dan@contoso.com", [], hours("America/New_York", "09:00", "17:00")),
      ],
      policy({ businessHours: null }),
      earlier,
    );
    const first = result.suggestions.find((s) => s.optionalAvailable === 0)!;
    assert.deepEqual(first.attendees[1], {
      id: "dan@contoso.com",
      role: "optional",
      status: "outsideWorkingHours",
      reason: {
        code: "OUTSIDE_WORKING_HOURS",
        hours: { startMinute: 9 * 60, endMinute: 17 * 60, timeZone: "America/New_York" },
      },
    });
    // Dan (UTC-5) starts at 14:00Z; Alice (UTC+1) ends at 16:00Z.
    assert.equal(starts(result)[0], "2026-11-23T14:00:00Z");
  });

  test("buffers keep time clear before and after other meetings", () => {
    const result = findAvailability(
      monday({ required: ["alice@contoso.com"], bufferBeforeMinutes: 15, bufferAfterMinutes: 15 }),
      [person("alice@contoso.com", [item("2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z")])],
      policy(),
      earlier,
    );
    const s = starts(result);
    assert.ok(s.includes("2026-11-23T09:15:00Z"), "09:15–09:45 leaves 15 minutes before 10:00");
    assert.ok(!s.includes("2026-11-23T09:30:00Z"));
    assert.ok(!s.includes("2026-11-23T11:00:00Z"));
    assert.ok(s.includes("2026-11-23T11:15:00Z"));
  });

  test("minimum notice and horizon bound the suggestions", () => {
    const result = findAvailability(
      monday({
        required: ["alice@contoso.com"],
        window: { start: at("2026-11-23T00:00:00Z"), end: at("2026-11-26T00:00:00Z") },
        minimumNoticeMinutes: 60,
        horizonDays: 1,
      }),
      [person("alice@contoso.com")],
      policy(),
      fixedClock(at("2026-11-23T10:07:00Z")),
    );
    const s = starts(result);
    assert.equal(s[0], "2026-11-23T11:15:00Z");
    assert.equal(s.at(-1), "2026-11-24T09:30:00Z");
  });

  test("a room is picked from those free; none free means no slot", () => {
    const rooms = ["room-b@contoso.com", "room-a@contoso.com"];
    const result = findAvailability(
      monday({ required: ["alice@contoso.com"], rooms }),
      [
        person("alice@contoso.com"),
        person("room-a@contoso.com", [item("2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z")], null),
        person("room-b@contoso.com", [item("2026-11-23T08:00:00Z", "2026-11-23T08:30:00Z")], null),
      ],
      policy(),
      earlier,
    );
    const [first, second] = result.suggestions;
    assert.equal(iso(first!.start), "2026-11-23T08:30:00Z");
    assert.equal(first!.room, "room-b@contoso.com");
    assert.equal(first!.attendees.at(-1)!.role, "room");
    assert.equal(second!.room, "room-b@contoso.com");
    const nine = result.suggestions.find((s) => iso(s.start) === "2026-11-23T09:00:00Z")!;
    assert.equal(nine.room, "room-a@contoso.com", "rooms are tried in address order");
    assert.ok(!starts(result).includes("2026-11-23T08:15:00Z"));
  });

  test("tentative: excluded when the policy counts it busy, ranked lower when it does not", () => {
    const schedules = [
      person("alice@contoso.com", [item("2026-11-23T08:00:00Z", "2026-11-23T12:00:00Z", "tentative")]),
    ];
    const req = monday({ required: ["alice@contoso.com"] });
    const strict = findAvailability(req, schedules, policy({ tentativeIsBusy: true }), earlier);
    assert.equal(starts(strict)[0], "2026-11-23T12:00:00Z");
    assert.ok(strict.suggestions.every((s) => s.start >= at("2026-11-23T12:00:00Z")));
    const lenient = findAvailability(req, schedules, policy({ tentativeIsBusy: false }), earlier);
    assert.equal(starts(lenient)[0], "2026-11-23T12:00:00Z");
    const tentative = lenient.suggestions.find((s) => s.start === at("2026-11-23T08:00:00Z"))!;
    assert.equal(tentative.uncertain, 1);
    assert.equal(tentative.attendees[0]!.status, "tentative");
  });

  test("all-day out of office blocks the day; the policy can let it through", () => {
    // All-day on Tuesday in Stockholm is 23:00Z Monday to 23:00Z Tuesday.
    const schedules = [
      person("alice@contoso.com", [item("2026-11-23T23:00:00Z", "2026-11-24T23:00:00Z", "oof")]),
    ];
    const req = monday({
      required: ["alice@contoso.com"],
      window: { start: at("2026-11-23T00:00:00Z"), end: at("2026-11-26T00:00:00Z") },
      granularityMinutes: 60,
    });
    const result = findAvailability(req, schedules, policy(), earlier);
    assert.ok(result.suggestions.every((s) => !iso(s.start).startsWith("2026-11-24")));
    assert.ok(starts(result).some((s) => s.startsWith("2026-11-25")));
    assert.equal(result.grid[0]!.view.slice(24, 48), `${"3".repeat(23)}5`);
    const lenient = findAvailability(req, schedules, policy({ outOfOfficeIsBusy: false }), earlier);
    const tuesday = lenient.suggestions.find((s) => iso(s.start).startsWith("2026-11-24"))!;
    assert.equal(tuesday.attendees[0]!.status, "oof");
  });

  test("a recurring series with one moved occurrence, given as expanded items", () => {
    // Daily stand-up 10:00–11:00 Stockholm; Wednesday's occurrence moved to 14:00–15:00.
    const occurrences = [
      item("2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"),
      item("2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z"),
      item("2026-11-25T13:00:00Z", "2026-11-25T14:00:00Z"),
      item("2026-11-26T09:00:00Z", "2026-11-26T10:00:00Z"),
    ];
    const result = findAvailability(
      monday({
        required: ["alice@contoso.com"],
        window: { start: at("2026-11-23T00:00:00Z"), end: at("2026-11-27T00:00:00Z") },
        granularityMinutes: 60,
        durationMinutes: 60,
      }),
      [person("alice@contoso.com", occurrences)],
      policy(),
      earlier,
    );
    const s = starts(result);
    assert.ok(!s.includes("2026-11-23T09:00:00Z"));
    assert.ok(!s.includes("2026-11-24T09:00:00Z"));
    assert.ok(s.includes("2026-11-25T09:00:00Z"), "the moved occurrence frees Wednesday 10:00");
    assert.ok(!s.includes("2026-11-25T13:00:00Z"));
    assert.ok(!s.includes("2026-11-26T09:00:00Z"));
  });

  test("four zones at once: only the common working-and-business window is offered", () => {
    const result = findAvailability(
      monday({ required: ["ny@contoso.com", "sp@contoso.com", "ldn@contoso.com", "sto@contoso.com"] }),
      [
        person("ny@contoso.com", [], hours("America/New_York")),
        person("sp@contoso.com", [], hours("America/Sao_Paulo")),
        person("ldn@contoso.com", [], hours("Europe/London")),
        person("sto@contoso.com", [], hours("Europe/Stockholm")),
      ],
      policy(),
      earlier,
    );
    // Working ∩ business: NY 14–22Z, Sao Paulo 12–20Z, London 09–17Z, Stockholm 08–16Z → 14:00Z–16:00Z.
    assert.deepEqual(starts(result), [
      "2026-11-23T14:00:00Z",
      "2026-11-23T14:15:00Z",
      "2026-11-23T14:30:00Z",
      "2026-11-23T14:45:00Z",
      "2026-11-23T15:00:00Z",
      "2026-11-23T15:15:00Z",
      "2026-11-23T15:30:00Z",
    ]);
  });

  const dayOf = (zone: string, startIso: string, endIso: string, days = [0, 1, 2, 3, 4, 5, 6]) =>
    findAvailability(
      monday({
        required: ["a@contoso.com"],
        window: { start: at(startIso), end: at(endIso) },
        durationMinutes: 60,
        granularityMinutes: 60,
      }),
      [person("a@contoso.com", [], hours(zone, "08:00", "17:00", days))],
      policy({ businessHours: null }),
      fixedClock(at("2026-01-01T00:00:00Z")),
    );

  test("DST day in Stockholm (spring forward): 08:00–17:00 local is 06:00Z–15:00Z", () => {
    const s = starts(dayOf("Europe/Stockholm", "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"));
    assert.equal(s[0], "2026-03-29T06:00:00Z");
    assert.equal(s.at(-1), "2026-03-29T14:00:00Z");
    assert.equal(s.length, 9);
  });

  test("DST day in Paris (fall back): 08:00–17:00 local is 07:00Z–16:00Z", () => {
    const s = starts(dayOf("Europe/Paris", "2026-10-25T00:00:00Z", "2026-10-26T00:00:00Z"));
    assert.equal(s[0], "2026-10-25T07:00:00Z");
    assert.equal(s.at(-1), "2026-10-25T15:00:00Z");
    const before = starts(dayOf("Europe/Paris", "2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z"));
    assert.equal(before[0], "2026-10-24T06:00:00Z");
  });

  test("DST day in Sydney (October): the working day moves an hour earlier in UTC", () => {
    const sat = starts(dayOf("Australia/Sydney", "2026-10-02T12:00:00Z", "2026-10-03T12:00:00Z"));
    assert.equal(sat[0], "2026-10-02T22:00:00Z", "Saturday 08:00 AEST");
    const sun = starts(dayOf("Australia/Sydney", "2026-10-03T12:00:00Z", "2026-10-04T12:00:00Z"));
    assert.equal(sun[0], "2026-10-03T21:00:00Z", "Sunday 08:00 AEDT");
    assert.equal(sun.at(-1), "2026-10-04T05:00:00Z");
  });

  test("Sao Paulo dropped DST in 2019: November keeps -03:00", () => {
    const s = starts(dayOf("America/Sao_Paulo", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"));
    assert.equal(s[0], "2026-11-01T11:00:00Z");
    assert.equal(s.at(-1), "2026-11-01T19:00:00Z");
  });

  test("working hours crossing midnight (a night shift 22:00–06:00)", () => {
    const result = findAvailability(
      monday({
        required: ["nina@contoso.com"],
        window: { start: at("2026-11-23T12:00:00Z"), end: at("2026-11-24T12:00:00Z") },
        durationMinutes: 60,
        granularityMinutes: 60,
      }),
      [person("nina@contoso.com", [], hours("Europe/Stockholm", "22:00", "06:00", [1]))],
      policy({ businessHours: null }),
      earlier,
    );
    // Monday 22:00 Stockholm (21:00Z) to Tuesday 06:00 (05:00Z).
    assert.deepEqual(starts(result), [
      "2026-11-23T21:00:00Z",
      "2026-11-23T22:00:00Z",
      "2026-11-23T23:00:00Z",
      "2026-11-24T00:00:00Z",
      "2026-11-24T01:00:00Z",
      "2026-11-24T02:00:00Z",
      "2026-11-24T03:00:00Z",
      "2026-11-24T04:00:00Z",
    ]);
  });

  test("results do not depend on the order of attendees or items", () => {
    const items = [
      item("2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z"),
      item("2026-11-23T12:00:00Z", "2026-11-23T13:00:00Z", "tentative"),
    ];
    const a = findAvailability(
      monday({ optional: ["carol@contoso.com"] }),
      [person("alice@contoso.com", items), person("bob@contoso.com"), person("carol@contoso.com", items)],
      policy(),
      earlier,
    );
    const b = findAvailability(
      monday({ required: ["bob@contoso.com", "alice@contoso.com"], optional: ["carol@contoso.com"] }),
      [
        person("carol@contoso.com", [...items].reverse()),
        person("bob@contoso.com"),
        person("alice@contoso.com", [...items].reverse()),
      ],
      policy(),
      earlier,
    );
    assert.deepEqual(a, b);
  });

  test("a window starting at an odd instant gives slots on the step of the organizer's zone", () => {
    const odd = at("2026-11-23T08:05:14.782Z");
    const result = findAvailability(
      monday({ window: { start: odd, end: at("2026-11-24T00:00:00Z") } }),
      [person("alice@contoso.com"), person("bob@contoso.com")],
      policy(),
      earlier,
    );
    // 09:05:14 in Stockholm rounds up to 09:15 there.
    assert.equal(starts(result)[0], "2026-11-23T08:15:00Z");
    assert.equal(result.window.start, at("2026-11-23T08:15:00Z"), "the grid starts there too");
    // Kolkata is UTC+05:30: its quarter-hours fall on :00, :15, :30, :45 of its own clock.
    const kolkata = findAvailability(
      monday({ window: { start: odd, end: at("2026-11-24T00:00:00Z") }, organizerTimeZone: "Asia/Kolkata" }),
      [person("alice@contoso.com", [], null), person("bob@contoso.com", [], null)],
      policy({ businessHours: null }),
      earlier,
    );
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Kolkata",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).format(kolkata.suggestions[0]!.start);
    assert.equal(local, "13:45:00", "08:05:14Z is 13:35:14 in Kolkata, rounded up to 13:45");
  });

  test("ranked suggestions spread over the window instead of consecutive quarter-hours", () => {
    const result = findAvailability(
      monday({
        window: { start: at("2026-11-23T00:00:00Z"), end: at("2026-11-25T00:00:00Z") },
        maxSuggestions: 5,
      }),
      [person("alice@contoso.com"), person("bob@contoso.com")],
      policy(),
      earlier,
    );
    const s = result.suggestions.map((x) => x.start);
    assert.equal(s.length, 5);
    for (const a of s)
      for (const b of s)
        if (a !== b)
          assert.ok(Math.abs(a - b) >= 60 * 60_000, `${iso(a)} and ${iso(b)} are an hour apart or more`);
    const days = new Set(s.map((x) => iso(x).slice(0, 10)));
    assert.deepEqual([...days].sort(), ["2026-11-23", "2026-11-24"], "both days of the window are offered");
    assert.equal(iso(s[0]!), "2026-11-23T08:00:00Z", "the best (earliest) slot still comes first");
  });

  test("no suggestions: someone busy all of the window is named as busy", () => {
    const result = findAvailability(
      monday({ required: ["alice@contoso.com"] }),
      [person("alice@contoso.com", [item("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z")])],
      policy(),
      earlier,
    );
    assert.deepEqual(result.suggestions, []);
    assert.deepEqual(result.emptyReason, {
      code: "ATTENDEES_UNAVAILABLE",
      attendees: [{ id: "alice@contoso.com", reason: { code: "BUSY" } }],
    });
  });

  test("no suggestions: people out of office all day are named as out of office, not as outside their hours", () => {
    // Both all-day out of office on Monday (in their zones); the window is the whole day, nights included.
    const result = findAvailability(
      monday({
        window: { start: Date.parse("2026-11-23T00:00:00Z"), end: Date.parse("2026-11-24T00:00:00Z") },
      }),
      [
        person("alice@contoso.com", [item("2026-11-22T23:00:00Z", "2026-11-23T23:00:00Z", "oof")]),
        person("bob@contoso.com", [item("2026-11-22T23:00:00Z", "2026-11-23T23:00:00Z", "oof")]),
      ],
      policy(),
      earlier,
    );
    assert.deepEqual(result.suggestions, []);
    assert.deepEqual(result.emptyReason, {
      code: "ATTENDEES_UNAVAILABLE",
      attendees: [
        { id: "alice@contoso.com", reason: { code: "OUT_OF_OFFICE" } },
        { id: "bob@contoso.com", reason: { code: "OUT_OF_OFFICE" } },
      ],
    });
  });

  test("no suggestions: free time that never overlaps is NO_COMMON_TIME", () => {
    const result = findAvailability(
      monday(),
      [
        person("alice@contoso.com", [item("2026-11-23T07:00:00Z", "2026-11-23T12:00:00Z")]),
        person("bob@contoso.com", [item("2026-11-23T12:00:00Z", "2026-11-23T17:00:00Z")]),
      ],
      policy(),
      earlier,
    );
    assert.deepEqual(result.suggestions, []);
    assert.deepEqual(result.emptyReason, { code: "NO_COMMON_TIME" });
  });

  test("no suggestions: a window shorter than the meeting is NO_SLOT_IN_WINDOW", () => {
    const start = Date.parse("2026-11-23T09:00:00Z");
    const result = findAvailability(
      monday({ window: { start, end: start + 15 * 60_000 } }),
      [person("alice@contoso.com"), person("bob@contoso.com")],
      policy(),
      earlier,
    );
    assert.deepEqual(result.emptyReason, { code: "NO_SLOT_IN_WINDOW" });
  });

  test("invalid requests fail with VALIDATION_FAILED", () => {
    const bad: Partial<AvailabilityRequest>[] = [
      { window: { start: at("2026-11-24T00:00:00Z"), end: at("2026-11-23T00:00:00Z") } },
      { durationMinutes: 0 },
      { granularityMinutes: 1 },
      { required: [] },
      { bufferAfterMinutes: -5 },
      {
        window: { start: at("2026-01-01T00:00:00Z"), end: at("2027-01-01T00:00:00Z") },
        granularityMinutes: 5,
      },
      {
        required: Array.from({ length: 400 }, (_, i) => `p${i}@contoso.com`),
        window: { start: at("2026-11-01T00:00:00Z"), end: at("2026-12-31T00:00:00Z") },
        granularityMinutes: 5,
      },
    ];
    for (const b of bad) {
      assert.throws(
        () => findAvailability(monday(b), [], policy(), earlier),
        (e: unknown) => e instanceof DomainError && e.code === "VALIDATION_FAILED",
        JSON.stringify(b),
      );
    }
  });
});
