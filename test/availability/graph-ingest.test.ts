/** Graph's strings to the slot finder's numbers: times, Windows zone names, working hours. */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { ianaZone, inZone, parseGraphDateTime } from "../../src/graph/calendars.ts";

describe("Graph ingest", () => {
  test("Windows zone names map to IANA with the CLDR table; IANA names pass through", () => {
    assert.equal(ianaZone("W. Europe Standard Time"), "Europe/Berlin");
    assert.equal(ianaZone("E. South America Standard Time"), "America/Sao_Paulo");
    assert.equal(ianaZone("AUS Eastern Standard Time"), "Australia/Sydney");
    assert.equal(ianaZone("Pacific Standard Time"), "America/Los_Angeles");
    assert.equal(ianaZone("Romance Standard Time"), "Europe/Paris");
    assert.equal(ianaZone("Europe/Stockholm"), "Europe/Stockholm");
    assert.equal(ianaZone("Customized Time Zone"), null);
    assert.equal(ianaZone(null), null);
  });

  test("a person's country picks their IANA zone within a Windows zone", () => {
    assert.equal(ianaZone("W. Europe Standard Time", "SE"), "Europe/Stockholm");
    assert.equal(ianaZone("W. Europe Standard Time", "no"), "Europe/Oslo");
    assert.equal(ianaZone("W. Europe Standard Time", "BR"), "Europe/Berlin", "no match: the zone's own");
    assert.equal(ianaZone("Eastern Standard Time", "US"), "America/New_York");
  });

  test("events are written in the organizer's zone by its Windows name, across DST; round trip is exact", () => {
    // Stockholm moves to summer time at 01:00 UTC on 2026-03-29.
    const before = Date.UTC(2026, 2, 29, 0, 30, 15, 250);
    const after = Date.UTC(2026, 2, 29, 1, 30);
    assert.deepEqual(inZone(before, "Europe/Stockholm"), {
      dateTime: "2026-03-29T01:30:15.250",
      timeZone: "W. Europe Standard Time",
    });
    assert.deepEqual(inZone(after, "Europe/Stockholm"), {
      dateTime: "2026-03-29T03:30:00.000",
      timeZone: "W. Europe Standard Time",
    });
    for (const [instant, zone] of [
      [before, "Europe/Stockholm"],
      [after, "America/Sao_Paulo"],
      [after, "Asia/Kolkata"],
    ] as const) {
      const w = inZone(instant, zone);
      assert.equal(parseGraphDateTime(w.dateTime, w.timeZone), instant, `${zone}`);
    }
    assert.deepEqual(inZone(after, "UTC"), { dateTime: "2026-03-29T01:30:00.000", timeZone: "UTC" });
  });

  test("Graph date-times in UTC parse without Date.parse, seven-digit fractions included", () => {
    assert.equal(
      parseGraphDateTime("2026-11-24T09:00:00.0000000", "UTC"),
      Date.parse("2026-11-24T09:00:00Z"),
    );
    assert.equal(
      parseGraphDateTime("2026-11-24T09:30:15.5000000", undefined),
      Date.parse("2026-11-24T09:30:15.500Z"),
    );
    assert.equal(parseGraphDateTime("2026-11-24T09:00:00", "utc"), Date.parse("2026-11-24T09:00:00Z"));
  });

  test("Graph date-times in a Windows zone convert across DST", () => {
    // Sydney: AEST (+10) on 3 October 2026, AEDT (+11) from 4 October.
    assert.equal(
      parseGraphDateTime("2026-10-03T09:00:00.0000000", "AUS Eastern Standard Time"),
      Date.parse("2026-10-02T23:00:00Z"),
    );
    assert.equal(
      parseGraphDateTime("2026-10-05T09:00:00.0000000", "AUS Eastern Standard Time"),
      Date.parse("2026-10-04T22:00:00Z"),
    );
    assert.equal(
      parseGraphDateTime("2026-07-01T09:00:00.0000000", "W. Europe Standard Time"),
      Date.parse("2026-07-01T07:00:00Z"),
    );
  });

  test("unreadable times and unknown zones are errors, not guesses", () => {
    assert.throws(() => parseGraphDateTime("24/11/2026 09:00", "UTC"), /unreadable time/);
    assert.throws(() => parseGraphDateTime("2026-11-24T09:00:00", "Mars Standard Time"), /unknown time zone/);
  });
});
