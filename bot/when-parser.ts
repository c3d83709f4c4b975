/**
 * Finds "when" in free text ("amanhã à tarde", "demain après-midi", "i morgon eftermiddag", "friday at 10")
 * and turns it into a UTC search window in the user's zone. The reference instant is an argument; the
 * wall clock is never read.
 */
import * as chrono from "chrono-node";
import {
  type DayWord,
  dayPhrases,
  type Language,
  type PartOfDay,
  partOfDayHours,
  partOfDayPhrases,
  type WeekWord,
  weekPhrases,
  workingHours,
} from "./lexicon.ts";
import { addDays, isoWeekday, type WallClock, wallClockAt, zonedToUtc } from "./zoned-time.ts";

export interface WhenContext {
  readonly language: Language;
  /** The instant "now" for relative words, UTC epoch ms. */
  readonly referenceMs: number;
  /** The user's IANA zone. */
  readonly timeZone: string;
}

export interface TimeWindow {
  readonly startMs: number;
  readonly endMs: number;
}

export interface ParsedWhen {
  readonly window: TimeWindow;
  /** Index in the text where the time expression starts (what precedes it is not part of the time). */
  readonly index: number;
  /** Whether an exact start time was given ("at 10", "14h"). */
  readonly exactStart: boolean;
}

const chronoByLanguage: Record<Language, chrono.Chrono> = {
  en: chrono.en.casual,
  pt: chrono.pt.casual,
  fr: chrono.fr.casual,
  sv: chrono.sv.casual,
};

interface PhraseHit<T> {
  readonly value: T;
  readonly index: number;
  readonly length: number;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/** Finds the first listed phrase present as whole words; lists are ordered most specific first. */
function findPhrase<T>(lower: string, phrases: readonly (readonly [string, T])[]): PhraseHit<T> | undefined {
  for (const [phrase, value] of phrases) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(phrase, from);
      if (at < 0) break;
      if (!isWordChar(lower[at - 1]) && !isWordChar(lower[at + phrase.length])) {
        return { value, index: at, length: phrase.length };
      }
      from = at + 1;
    }
  }
  return undefined;
}

function mask(text: string, hit: { index: number; length: number } | undefined): string {
  if (!hit) return text;
  return text.slice(0, hit.index) + " ".repeat(hit.length) + text.slice(hit.index + hit.length);
}

function phrasesFor<T>(table: Record<Language, readonly (readonly [string, T])[]>, language: Language) {
  return language === "en" ? table.en : [...table[language], ...table.en];
}

/**
 * Parses the time expression in `text`. Returns undefined when the text holds none. A window that has
 * already passed today starts at the reference instant instead.
 */
export function parseWhen(text: string, ctx: WhenContext, durationMinutes = 30): ParsedWhen | undefined {
  let lower = text.toLowerCase();
  const nowWall = wallClockAt(ctx.referenceMs, ctx.timeZone);

  const week = findPhrase<WeekWord>(lower, phrasesFor(weekPhrases, ctx.language));
  lower = mask(lower, week);
  const day = findPhrase<DayWord>(lower, phrasesFor(dayPhrases, ctx.language));
  lower = mask(lower, day);
  const part = findPhrase<PartOfDay>(lower, phrasesFor(partOfDayPhrases, ctx.language));
  lower = mask(lower, part);

  // chrono sees only what the phrase tables did not take; its reference is the user's wall clock
  // expressed as a local Date so the result's components are wall-clock components in the user's zone.
  const reference = new Date(nowWall.year, nowWall.month - 1, nowWall.day, nowWall.hour, nowWall.minute);
  const hasDigitsOrWords = /[\p{L}\p{N}]/u.test(lower);
  const results = hasDigitsOrWords
    ? chronoByLanguage[ctx.language].parse(lower, reference, { forwardDate: true })
    : [];
  const found = results[0];

  const indexes = [week?.index, day?.index, part?.index, found?.index].filter(
    (i): i is number => i !== undefined,
  );
  if (indexes.length === 0) return undefined;
  const index = Math.min(...indexes);

  if (week && !day && !found) {
    return { window: weekWindow(week.value, nowWall, ctx), index, exactStart: false };
  }

  let date: WallClock = { ...nowWall, hour: 0, minute: 0 };
  if (day) {
    date = addDays(date, day.value === "today" ? 0 : day.value === "tomorrow" ? 1 : 2);
  } else if (found && (found.start.isCertain("day") || found.start.isCertain("weekday"))) {
    date = {
      year: found.start.get("year") ?? date.year,
      month: found.start.get("month") ?? date.month,
      day: found.start.get("day") ?? date.day,
      hour: 0,
      minute: 0,
    };
  }

  let startHour: number = workingHours[0];
  let startMinute = 0;
  let endHour: number = workingHours[1];
  let exactStart = false;
  if (found?.start.isCertain("hour")) {
    startHour = found.start.get("hour") ?? startHour;
    startMinute = found.start.get("minute") ?? 0;
    exactStart = true;
  } else if (part) {
    [startHour, endHour] = partOfDayHours[part.value];
  }

  const startMs = zonedToUtc({ ...date, hour: startHour, minute: startMinute }, ctx.timeZone);
  const endMs = exactStart
    ? startMs + Math.max(durationMinutes, 30) * 60_000
    : zonedToUtc({ ...date, hour: endHour, minute: 0 }, ctx.timeZone);
  const clampedStart = exactStart ? startMs : Math.max(startMs, ctx.referenceMs);
  const window = { startMs: clampedStart, endMs: Math.max(endMs, clampedStart) };
  return { window, index, exactStart };
}

function weekWindow(which: WeekWord, now: WallClock, ctx: WhenContext): TimeWindow {
  const monday = addDays(
    { ...now, hour: 0, minute: 0 },
    1 - isoWeekday(now) + (which === "nextWeek" ? 7 : 0),
  );
  const friday = addDays(monday, 4);
  const startMs = Math.max(zonedToUtc({ ...monday, hour: workingHours[0] }, ctx.timeZone), ctx.referenceMs);
  const endMs = zonedToUtc({ ...friday, hour: workingHours[1] }, ctx.timeZone);
  return { startMs, endMs: Math.max(endMs, startMs) };
}

/** Default search window when no time is given: from now to the end of the fifth working day. */
export function defaultWindow(ctx: WhenContext): TimeWindow {
  const now = wallClockAt(ctx.referenceMs, ctx.timeZone);
  let day: WallClock = { ...now, hour: 0, minute: 0 };
  let workdays = 0;
  while (workdays < 5) {
    if (isoWeekday(day) <= 5) workdays += 1;
    if (workdays < 5) day = addDays(day, 1);
  }
  return {
    startMs: ctx.referenceMs,
    endMs: zonedToUtc({ ...day, hour: workingHours[1] }, ctx.timeZone),
  };
}

/** The local calendar range of `meetings today|tomorrow|week`; week is today plus the next seven days. */
export function meetingsWindow(range: "today" | "tomorrow" | "week", ctx: WhenContext): TimeWindow {
  const now = wallClockAt(ctx.referenceMs, ctx.timeZone);
  const midnight: WallClock = { ...now, hour: 0, minute: 0 };
  if (range === "week") {
    // The coming week: today and the next seven days, so a Friday or weekend still shows next week.
    return {
      startMs: zonedToUtc(midnight, ctx.timeZone),
      endMs: zonedToUtc(addDays(midnight, 8), ctx.timeZone),
    };
  }
  const start = range === "today" ? midnight : addDays(midnight, 1);
  return { startMs: zonedToUtc(start, ctx.timeZone), endMs: zonedToUtc(addDays(start, 1), ctx.timeZone) };
}
