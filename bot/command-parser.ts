/**
 * Turns a chat message into a command. Knows nothing of Teams: text in, a typed command out.
 *   help · free|availability <people> [when] · book <duration> with <people> [when] [about <subject>]
 *   meetings [today|tomorrow|week] · cancel <n> · seat · sync on|off · seats · requests
 */
import {
  aboutWords,
  type CommandName,
  commandNames,
  commandWords,
  durationUnits,
  fillerWords,
  type Language,
  languages,
  listJoiners,
  meetingsRangeWords,
  offWords,
  onWords,
  withWords,
} from "./lexicon.ts";
import { defaultWindow, parseWhen, type TimeWindow, type WhenContext } from "./when-parser.ts";

export type MeetingsRange = "today" | "tomorrow" | "week";

export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "availability"; readonly people: string[]; readonly window: TimeWindow }
  | {
      readonly kind: "book";
      readonly durationMinutes: number;
      readonly people: string[];
      readonly window: TimeWindow;
      readonly exactStart: boolean;
      readonly subject: string | undefined;
    }
  | { readonly kind: "meetings"; readonly range: MeetingsRange }
  | { readonly kind: "cancel"; readonly index: number }
  | { readonly kind: "seat" }
  | { readonly kind: "sync"; readonly enabled: boolean }
  | { readonly kind: "seats" }
  | { readonly kind: "requests" }
  /** A known command with missing or unreadable arguments: the reply explains its usage. */
  | { readonly kind: "usage"; readonly command: CommandName }
  | { readonly kind: "unknown"; readonly input: string; readonly suggestion: CommandName | undefined };

const norm = (s: string) => s.toLowerCase().normalize("NFC");

function commandLookup(language: Language): Map<string, CommandName> {
  const map = new Map<string, CommandName>();
  for (const lang of [language, ...languages.filter((l) => l !== language)]) {
    for (const name of commandNames) {
      for (const word of commandWords[lang][name]) if (!map.has(word)) map.set(word, name);
    }
  }
  return map;
}

const lookups = new Map<Language, Map<string, CommandName>>();
function lookupFor(language: Language): Map<string, CommandName> {
  let m = lookups.get(language);
  if (!m) {
    m = commandLookup(language);
    lookups.set(language, m);
  }
  return m;
}

/** Edit distance (Levenshtein), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest command to an unknown word, preferring the user's language; undefined when nothing is close. */
export function closestCommand(word: string, language: Language): CommandName | undefined {
  let best: { name: CommandName; distance: number } | undefined;
  for (const [candidate, name] of lookupFor(language)) {
    const distance = editDistance(word, candidate);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}

/** "30 min", "1h", "1 hora", "1h30", "1,5 h", "90" (minutes). Returns minutes and the rest of the text. */
export function parseDuration(text: string): { minutes: number; rest: string } | undefined {
  const t = text.trim();
  const hm = /^(\d{1,2})\s*h\s*(\d{1,2})\b\s*(?:min\b)?/i.exec(t);
  if (hm) {
    const minutes = Number(hm[1]) * 60 + Number(hm[2]);
    return minutes > 0 ? { minutes, rest: t.slice(hm[0].length) } : undefined;
  }
  const m = /^(\d+(?:[.,]\d+)?)\s*([\p{L}]+)?/u.exec(t);
  if (!m) return undefined;
  const amount = Number(m[1]!.replace(",", "."));
  const unit = m[2]?.toLowerCase();
  let perUnit = 1;
  let consumed = m[0].length;
  if (unit !== undefined) {
    const known = durationUnits[unit];
    if (known === undefined) consumed = m[1]!.length;
    else perUnit = known;
  }
  const minutes = Math.round(amount * perUnit);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) return undefined;
  return { minutes, rest: t.slice(consumed) };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Splits "ana, erik and li" / "ana e erik" / "ana och erik" into names; drops filler words at the end. */
export function splitPeople(text: string): string[] {
  const joiners = listJoiners.map(escapeRegExp).join("|");
  return text
    .split(new RegExp(`\\s*,\\s*|\\s*;\\s*|\\s+(?:${joiners})\\s+`, "iu"))
    .map((part) => {
      const words = part.trim().split(/\s+/).filter(Boolean);
      while (words.length > 0 && fillerWords.includes(norm(words[words.length - 1]!))) words.pop();
      while (
        words.length > 0 &&
        (fillerWords.includes(norm(words[0]!)) || withWords.includes(norm(words[0]!)))
      )
        words.shift();
      return words.join(" ");
    })
    .filter((p) => p.length > 0);
}

function findWord(lower: string, words: readonly string[]): { index: number; length: number } | undefined {
  let best: { index: number; length: number } | undefined;
  for (const w of words) {
    const re = new RegExp(`(^|\\s)${escapeRegExp(w)}(?=\\s|$)`, "iu");
    const m = re.exec(lower);
    if (m) {
      const index = m.index + m[1]!.length;
      if (!best || index < best.index) best = { index, length: w.length };
    }
  }
  return best;
}

function peopleAndWhen(
  text: string,
  ctx: WhenContext,
  durationMinutes: number,
): { people: string[]; window: TimeWindow; exactStart: boolean } {
  const when = parseWhen(text, ctx, durationMinutes);
  const peopleText = when ? text.slice(0, when.index) : text;
  return {
    people: splitPeople(peopleText),
    window: when?.window ?? defaultWindow(ctx),
    exactStart: when?.exactStart ?? false,
  };
}

/** Parses one chat message. `ctx` carries the user's language, zone and the reference instant. */
export function parseCommand(input: string, ctx: WhenContext): Command {
  const text = input
    .replace(/<at>.*?<\/at>/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length === 0) return { kind: "help" };
  const [first = "", ...restWords] = text.split(" ");
  const word = norm(first).replace(/[!?.:]+$/, "") || norm(first);
  const rest = restWords.join(" ");
  const name = lookupFor(ctx.language).get(word);
  if (!name) return { kind: "unknown", input: text, suggestion: closestCommand(word, ctx.language) };

  switch (name) {
    case "help":
    case "seat":
    case "seats":
    case "requests":
      return { kind: name };
    case "availability": {
      const { people, window } = peopleAndWhen(rest, ctx, 30);
      return people.length === 0 ? { kind: "usage", command: name } : { kind: name, people, window };
    }
    case "book": {
      const duration = parseDuration(rest);
      if (!duration) return { kind: "usage", command: name };
      let body = duration.rest.trim();
      const withHit = findWord(norm(body), withWords);
      if (!withHit) return { kind: "usage", command: name };
      body = body.slice(withHit.index + withHit.length).trim();
      let subject: string | undefined;
      const aboutHit = findWord(norm(body), aboutWords);
      if (aboutHit) {
        subject = body.slice(aboutHit.index + aboutHit.length).trim() || undefined;
        body = body.slice(0, aboutHit.index).trim();
      }
      const { people, window, exactStart } = peopleAndWhen(body, ctx, duration.minutes);
      if (people.length === 0) return { kind: "usage", command: name };
      return { kind: name, durationMinutes: duration.minutes, people, window, exactStart, subject };
    }
    case "meetings": {
      const arg = norm(rest);
      if (arg === "") return { kind: name, range: "today" };
      for (const lang of [ctx.language, ...languages]) {
        for (const range of ["today", "tomorrow", "week"] as const) {
          if (meetingsRangeWords[lang][range].includes(arg)) return { kind: name, range };
        }
      }
      return { kind: "usage", command: name };
    }
    case "cancel": {
      const m = /^#?(\d{1,3})$/.exec(rest.trim());
      const index = m ? Number(m[1]) : Number.NaN;
      return Number.isInteger(index) && index >= 1 ? { kind: name, index } : { kind: "usage", command: name };
    }
    case "sync": {
      const arg = norm(rest);
      if (onWords.includes(arg)) return { kind: name, enabled: true };
      if (offWords.includes(arg)) return { kind: name, enabled: false };
      return { kind: "usage", command: name };
    }
  }
}
