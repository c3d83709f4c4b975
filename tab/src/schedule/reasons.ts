/**
 * Words for the service's availability codes: why an attendee is not free at a slot, and why a search
 * found no time. Hours are shown in the reader's locale, with the city of the zone they are kept in.
 */
import type { TFunction } from "i18next";
import type { EmptyReasonBody, VerdictReasonBody } from "../../../src/api-contract/availability.ts";
import { verdictWords } from "../../../src/ui-shared/availability-words.ts";
import { formatTimeOfDay, zoneLabel } from "../../../src/ui-shared/format.ts";
import { languageFor } from "../../../src/ui-shared/language.ts";

type Hours = { startMinute: number; endMinute: number; timeZone: string };

function hoursParams(hours: Hours, locale: string): { hours: string; zone: string } {
  const text = `${formatTimeOfDay(hours.startMinute, locale)}–${formatTimeOfDay(hours.endMinute, locale)}`;
  return { hours: text, zone: zoneLabel(hours.timeZone, locale, Date.now()).city };
}

/** "busy", "outside working hours (08:00–17:00, Stockholm)", … */
export function verdictText(reason: VerdictReasonBody, locale: string): string {
  const word = verdictWords[languageFor(locale)][reason.code];
  if (!("hours" in reason)) return word;
  const { hours, zone } = hoursParams(reason.hours, locale);
  return `${word} (${hours}, ${zone})`;
}

/**
 * Why a search found no time, in sentences: who is unavailable for the whole range and why (grouped by
 * cause, names joined the locale's way), or what else kept every time out.
 */
export function emptyText(
  empty: EmptyReasonBody | null,
  labelOf: (id: string) => string,
  t: TFunction,
  locale: string,
): string {
  if (!empty) return t("schedule.noSuggestions");
  if (empty.code !== "ATTENDEES_UNAVAILABLE") return t(`emptyReasons.${empty.code}`);
  const list = new Intl.ListFormat(locale, { style: "long", type: "conjunction" });
  const sentences: string[] = [];
  const grouped = new Map<string, string[]>();
  for (const a of empty.attendees) {
    if ("hours" in a.reason) {
      sentences.push(
        t(`emptyReasons.${a.reason.code}`, { names: labelOf(a.id), ...hoursParams(a.reason.hours, locale) }),
      );
      continue;
    }
    grouped.set(a.reason.code, [...(grouped.get(a.reason.code) ?? []), labelOf(a.id)]);
  }
  for (const [code, names] of grouped)
    sentences.unshift(t(`emptyReasons.${code}`, { names: list.format(names), count: names.length }));
  sentences.push(t("emptyReasons.tryOther", { count: empty.attendees.length }));
  return sentences.join(" ");
}
