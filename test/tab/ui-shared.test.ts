/**
 * What the Teams tab and the Outlook add-in share from src/ui-shared: the language a locale gets, and
 * dates and times in a locale and zone. Literal instants; Stockholm is UTC+1 in November.
 */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import {
  formatRange,
  formatTimeOfDay,
  isoDateInZone,
  localTimeOnDay,
  parseLocalDate,
  zonedToEpoch,
} from "../../src/ui-shared/format.ts";
import { languageFor } from "../../src/ui-shared/language.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const nbsp = (s: string) => s.replace(/\s+/g, " ");

describe("languageFor", () => {
  test("picks the closest of the four UI languages, English otherwise", () => {
    assert.equal(languageFor("pt-BR"), "pt-BR");
    assert.equal(languageFor("pt-PT"), "pt-BR");
    assert.equal(languageFor("fr-CA"), "fr");
    assert.equal(languageFor("SV-se"), "sv");
    assert.equal(languageFor("de-DE"), "en");
    assert.equal(languageFor(undefined), "en");
  });
});

describe("format", () => {
  const nineStockholm = Date.parse("2026-11-23T08:00:00Z");

  test("a range names the day once and follows the locale's clock", () => {
    const end = nineStockholm + 30 * 60_000;
    assert.equal(
      nbsp(formatRange(nineStockholm, end, "en-US", "Europe/Stockholm")),
      "Mon, Nov 23, 9:00 – 9:30 AM",
    );
    assert.match(nbsp(formatRange(nineStockholm, end, "sv-SE", "Europe/Stockholm")), /09:00 ?– ?09:30/);
  });

  test("local dates and wall-clock times in a zone, across midnight and DST", () => {
    assert.equal(isoDateInZone(Date.parse("2026-11-23T23:30:00Z"), "Europe/Stockholm"), "2026-11-24");
    assert.equal(iso(zonedToEpoch("2026-11-23", 9 * 60, "Europe/Stockholm")), "2026-11-23T08:00:00.000Z");
    assert.equal(iso(localTimeOnDay(nineStockholm, 18 * 60, "Europe/Stockholm")), "2026-11-23T17:00:00.000Z");
    // 29 March 2026: Stockholm's clocks go forward at 02:00; 08:00 is then UTC+2.
    assert.equal(
      iso(localTimeOnDay(Date.parse("2026-03-29T10:00:00Z"), 8 * 60, "Europe/Stockholm")),
      "2026-03-29T06:00:00.000Z",
    );
  });

  test("times of day and typed dates in the locale's way", () => {
    assert.equal(nbsp(formatTimeOfDay(8 * 60, "en-US")), "8:00 AM");
    assert.equal(formatTimeOfDay(17 * 60 + 30, "pt-BR"), "17:30");
    assert.equal(formatTimeOfDay(1440, "sv-SE"), "0:00");
    assert.equal(parseLocalDate("21/11/2026", "pt-BR"), "2026-11-21");
    assert.equal(parseLocalDate("11/21/26", "en-US"), "2026-11-21");
    assert.equal(parseLocalDate("2026-11-21", "fr-FR"), "2026-11-21");
    assert.equal(parseLocalDate("31/02/2026", "fr-FR"), undefined);
  });
});
