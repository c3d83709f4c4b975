import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { fromLocal, isTimeZone, offsetAt, toLocal } from "../../src/core/availability/zones.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("zone arithmetic", () => {
  test("offsets on both sides of European transitions", () => {
    assert.equal(offsetAt("Europe/Stockholm", at("2026-03-29T00:59:00Z")), 3_600_000);
    assert.equal(offsetAt("Europe/Stockholm", at("2026-03-29T01:00:00Z")), 7_200_000);
    assert.equal(offsetAt("Europe/Paris", at("2026-10-25T00:59:00Z")), 7_200_000);
    assert.equal(offsetAt("Europe/Paris", at("2026-10-25T01:00:00Z")), 3_600_000);
  });

  test("southern hemisphere: Sydney gains an hour in October, Sao Paulo stays at -03:00 all year", () => {
    assert.equal(offsetAt("Australia/Sydney", at("2026-10-03T12:00:00Z")), 10 * 3_600_000);
    assert.equal(offsetAt("Australia/Sydney", at("2026-10-04T12:00:00Z")), 11 * 3_600_000);
    for (const day of ["2026-01-15", "2026-06-15", "2026-11-01", "2026-12-20"]) {
      assert.equal(offsetAt("America/Sao_Paulo", at(`${day}T12:00:00Z`)), -3 * 3_600_000, day);
    }
  });

  test("local wall clock to instant, across the day of a transition", () => {
    assert.equal(iso(fromLocal("Europe/Stockholm", 2026, 3, 29, 8 * 60)), "2026-03-29T06:00:00.000Z");
    assert.equal(iso(fromLocal("Europe/Stockholm", 2026, 3, 28, 8 * 60)), "2026-03-28T07:00:00.000Z");
    assert.equal(iso(fromLocal("Europe/Paris", 2026, 10, 25, 8 * 60)), "2026-10-25T07:00:00.000Z");
    assert.equal(iso(fromLocal("Australia/Sydney", 2026, 10, 4, 9 * 60)), "2026-10-03T22:00:00.000Z");
    assert.equal(iso(fromLocal("Australia/Sydney", 2026, 10, 3, 9 * 60)), "2026-10-02T23:00:00.000Z");
    assert.equal(iso(fromLocal("America/Sao_Paulo", 2026, 11, 1, 9 * 60)), "2026-11-01T12:00:00.000Z");
    assert.equal(iso(fromLocal("UTC", 2026, 11, 23, 1440 + 60)), "2026-11-24T01:00:00.000Z");
  });

  test("a skipped wall time moves forward; a repeated one takes its first occurrence", () => {
    // 02:30 does not exist in Stockholm on 2026-03-29; it resolves to 03:30 CEST.
    assert.equal(iso(fromLocal("Europe/Stockholm", 2026, 3, 29, 150)), "2026-03-29T01:30:00.000Z");
    // 02:30 happens twice in Paris on 2026-10-25; the first is 02:30 CEST.
    assert.equal(iso(fromLocal("Europe/Paris", 2026, 10, 25, 150)), "2026-10-25T00:30:00.000Z");
  });

  test("instant to local fields, weekday included", () => {
    const t = toLocal("Australia/Sydney", at("2026-10-03T22:00:00Z"));
    assert.deepEqual(t, { year: 2026, month: 10, day: 4, hour: 9, minute: 0, weekday: 0, minuteOfDay: 540 });
  });

  test("zone names are checked", () => {
    assert.equal(isTimeZone("Europe/Stockholm"), true);
    assert.equal(isTimeZone("W. Europe Standard Time"), false);
  });
});
