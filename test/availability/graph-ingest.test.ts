/** Graph's strings to the slot finder's numbers: times, Windows zone names, working hours. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ianaZone, parseGraphDateTime } from "../../src/graph/calendars.ts";

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
