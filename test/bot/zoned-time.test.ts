/** The bot's wall-clock words, on the core zone library: literal instants, Stockholm's 2026 DST days. */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { addDays, isoWeekday, wallClockAt, zonedToUtc } from "../../bot/zoned-time.ts";

const iso = (ms: number) => new Date(ms).toISOString();

describe("bot/zoned-time", () => {
  test("reads the wall clock of an instant in a zone", () => {
    assert.deepEqual(wallClockAt(Date.parse("2026-11-21T10:00:00Z"), "Europe/Stockholm"), {
      year: 2026,
      month: 11,
      day: 21,
      hour: 11,
      minute: 0,
    });
    assert.deepEqual(wallClockAt(Date.parse("2026-01-01T01:30:00Z"), "America/Sao_Paulo"), {
      year: 2025,
      month: 12,
      day: 31,
      hour: 22,
      minute: 30,
    });
  });

  test("turns a wall-clock time back into its instant, on ordinary and DST days", () => {
    const wall = { year: 2026, month: 11, day: 23, hour: 9, minute: 0 };
    assert.equal(iso(zonedToUtc(wall, "Europe/Stockholm")), "2026-11-23T08:00:00.000Z");
    // Summer time: UTC+2.
    assert.equal(
      iso(zonedToUtc({ ...wall, month: 6, day: 15 }, "Europe/Stockholm")),
      "2026-06-15T07:00:00.000Z",
    );
    // 02:30 does not exist on 29 March 2026 in Stockholm: it moves on by the hour skipped.
    assert.equal(
      iso(zonedToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Stockholm")),
      "2026-03-29T01:30:00.000Z",
    );
    // 02:30 happens twice on 25 October 2026: the first one, still summer time, is meant.
    assert.equal(
      iso(zonedToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, "Europe/Stockholm")),
      "2026-10-25T00:30:00.000Z",
    );
  });

  test("steps whole days across months and years, and names ISO weekdays", () => {
    const newYearsEve = { year: 2026, month: 12, day: 31, hour: 8, minute: 15 };
    assert.deepEqual(addDays(newYearsEve, 1), { year: 2027, month: 1, day: 1, hour: 8, minute: 15 });
    assert.deepEqual(addDays(newYearsEve, -31), { year: 2026, month: 11, day: 30, hour: 8, minute: 15 });
    // 23 November 2026 is a Monday, 29 November a Sunday.
    assert.equal(isoWeekday({ year: 2026, month: 11, day: 23, hour: 0, minute: 0 }), 1);
    assert.equal(isoWeekday({ year: 2026, month: 11, day: 29, hour: 0, minute: 0 }), 7);
  });
});
