import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "vitest";
import { closestCommand, parseCommand, parseDuration, splitPeople } from "../../bot/command-parser.ts";
import type { Language } from "../../bot/lexicon.ts";
import { stringKeys, stringTables } from "../../bot/strings.ts";
import { parseWhen } from "../../bot/when-parser.ts";

// Saturday 21 November 2026, 11:00 in Stockholm (UTC+1), 07:00 in São Paulo (UTC-3).
const reference = Date.parse("2026-11-21T10:00:00Z");
const ctx = (language: Language, timeZone = "Europe/Stockholm") => ({
  language,
  referenceMs: reference,
  timeZone,
});
const iso = (ms: number) => new Date(ms).toISOString();

describe("dates: tomorrow afternoon in each language, in the user's zone", () => {
  const cases: [Language, string][] = [
    ["en", "tomorrow afternoon"],
    ["pt", "amanhã à tarde"],
    ["fr", "demain après-midi"],
    ["sv", "i morgon eftermiddag"],
    ["sv", "imorgon på eftermiddagen"],
  ];
  for (const [language, text] of cases) {
    test(`${language}: "${text}" is 13:00–17:00 on Sunday 22 November, Stockholm time`, () => {
      const when = parseWhen(text, ctx(language));
      assert.ok(when, "a time was found");
      assert.equal(iso(when.window.startMs), "2026-11-22T12:00:00.000Z");
      assert.equal(iso(when.window.endMs), "2026-11-22T16:00:00.000Z");
      assert.equal(when.index, 0);
    });
  }

  test("the zone decides the instant: amanhã à tarde in São Paulo", () => {
    const when = parseWhen("amanhã à tarde", ctx("pt", "America/Sao_Paulo"));
    assert.ok(when);
    assert.equal(iso(when.window.startMs), "2026-11-22T16:00:00.000Z");
    assert.equal(iso(when.window.endMs), "2026-11-22T20:00:00.000Z");
  });

  test("tomorrow is the user's tomorrow, not UTC's: 01:00 Sunday in Tokyo is still Saturday in UTC", () => {
    const lateSaturdayUtc = Date.parse("2026-11-21T16:00:00Z"); // 01:00 Sunday in Tokyo
    const when = parseWhen("tomorrow morning", {
      language: "en",
      referenceMs: lateSaturdayUtc,
      timeZone: "Asia/Tokyo",
    });
    assert.ok(when);
    assert.equal(iso(when.window.startMs), "2026-11-22T23:00:00.000Z"); // Monday 08:00 Tokyo
  });

  test("weekday names move forward and an exact time sets the start", () => {
    const fr = parseWhen("vendredi à 10h", ctx("fr"), 30);
    assert.ok(fr);
    assert.equal(iso(fr.window.startMs), "2026-11-27T09:00:00.000Z");
    assert.equal(iso(fr.window.endMs), "2026-11-27T09:30:00.000Z");
    assert.equal(fr.exactStart, true);
    const pt = parseWhen("segunda-feira", ctx("pt"));
    assert.ok(pt);
    assert.equal(iso(pt.window.startMs), "2026-11-23T07:00:00.000Z");
    const sv = parseWhen("på fredag", ctx("sv"));
    assert.ok(sv);
    assert.equal(iso(sv.window.startMs), "2026-11-27T07:00:00.000Z");
  });

  test("next week is Monday 08:00 to Friday 18:00 of the next week", () => {
    for (const [language, text] of [
      ["en", "next week"],
      ["pt", "próxima semana"],
      ["fr", "semaine prochaine"],
      ["sv", "nästa vecka"],
    ] as const) {
      const when = parseWhen(text, ctx(language));
      assert.ok(when, text);
      assert.equal(iso(when.window.startMs), "2026-11-23T07:00:00.000Z", text);
      assert.equal(iso(when.window.endMs), "2026-11-27T17:00:00.000Z", text);
    }
  });

  test("today's window never starts in the past", () => {
    const when = parseWhen("today", ctx("en"));
    assert.ok(when);
    assert.equal(when.window.startMs, reference);
  });

  test("text without a time gives no window", () => {
    assert.equal(parseWhen("ana and erik", ctx("en")), undefined);
  });
});

describe("durations", () => {
  const cases: [string, number][] = [
    ["30 min", 30],
    ["30min", 30],
    ["1h", 60],
    ["1 hora", 60],
    ["2 horas", 120],
    ["1h30", 90],
    ["1,5 h", 90],
    ["45 minutos", 45],
    ["1 heure", 60],
    ["1 timme", 60],
    ["90", 90],
  ];
  for (const [text, minutes] of cases) {
    test(`"${text}" is ${minutes} minutes`, () => assert.equal(parseDuration(text)?.minutes, minutes));
  }
  test("nonsense is no duration", () => {
    assert.equal(parseDuration("soon"), undefined);
    assert.equal(parseDuration("0 min"), undefined);
  });
});

describe("people lists", () => {
  test("commas and the word for 'and' in each language", () => {
    assert.deepEqual(splitPeople("ana and erik"), ["ana", "erik"]);
    assert.deepEqual(splitPeople("ana, erik"), ["ana", "erik"]);
    assert.deepEqual(splitPeople("ana e erik"), ["ana", "erik"]);
    assert.deepEqual(splitPeople("ana et erik"), ["ana", "erik"]);
    assert.deepEqual(splitPeople("ana och erik"), ["ana", "erik"]);
    assert.deepEqual(splitPeople("ana silva, erik@contoso.com and li"), [
      "ana silva",
      "erik@contoso.com",
      "li",
    ]);
  });
  test("filler words before the time are dropped", () => {
    assert.deepEqual(splitPeople("ana and erik on"), ["ana", "erik"]);
    assert.deepEqual(splitPeople("ana e erik na"), ["ana", "erik"]);
  });
});

describe("commands in four languages", () => {
  test("availability with people and a time", () => {
    for (const [language, text] of [
      ["en", "availability ana, erik tomorrow afternoon"],
      ["en", "free ana and erik tomorrow afternoon"],
      ["pt", "disponibilidade ana e erik amanhã à tarde"],
      ["fr", "disponibilité ana et erik demain après-midi"],
      ["sv", "ledig ana och erik i morgon eftermiddag"],
    ] as const) {
      const c = parseCommand(text, ctx(language));
      assert.equal(c.kind, "availability", text);
      if (c.kind !== "availability") return;
      assert.deepEqual(c.people, ["ana", "erik"], text);
      assert.equal(iso(c.window.startMs), "2026-11-22T12:00:00.000Z", text);
    }
  });

  test("availability without a time searches from now over five working days", () => {
    const c = parseCommand("free ana", ctx("en"));
    assert.equal(c.kind, "availability");
    if (c.kind !== "availability") return;
    assert.equal(c.window.startMs, reference);
    assert.equal(iso(c.window.endMs), "2026-11-27T17:00:00.000Z");
  });

  test("book with duration, people, time and subject", () => {
    const cases = [
      ["en", "book 30 min with ana, erik tomorrow afternoon about Roadmap review", 30, "Roadmap review"],
      ["pt", "agendar 1 hora com ana e erik amanhã à tarde sobre Planejamento", 60, "Planejamento"],
      ["fr", "réserver 1h avec ana et erik demain après-midi sujet Feuille de route", 60, "Feuille de route"],
      ["sv", "boka 45 min med ana och erik i morgon eftermiddag om Planering", 45, "Planering"],
    ] as const;
    for (const [language, text, minutes, subject] of cases) {
      const c = parseCommand(text, ctx(language));
      assert.equal(c.kind, "book", text);
      if (c.kind !== "book") return;
      assert.equal(c.durationMinutes, minutes, text);
      assert.deepEqual(c.people, ["ana", "erik"], text);
      assert.equal(c.subject, subject, text);
      assert.equal(iso(c.window.startMs), "2026-11-22T12:00:00.000Z", text);
    }
  });

  test("book without a subject or time", () => {
    const c = parseCommand("book 1h with ana@contoso.com", ctx("en"));
    assert.equal(c.kind, "book");
    if (c.kind !== "book") return;
    assert.deepEqual(c.people, ["ana@contoso.com"]);
    assert.equal(c.subject, undefined);
  });

  test("meetings, cancel, seat, sync, seats, requests, help", () => {
    const expect: [Language, string, unknown][] = [
      ["en", "meetings", { kind: "meetings", range: "today" }],
      ["en", "meetings week", { kind: "meetings", range: "week" }],
      ["pt", "reuniões amanhã", { kind: "meetings", range: "tomorrow" }],
      ["fr", "réunions semaine", { kind: "meetings", range: "week" }],
      ["sv", "möten idag", { kind: "meetings", range: "today" }],
      ["en", "cancel 2", { kind: "cancel", index: 2 }],
      ["pt", "cancelar 1", { kind: "cancel", index: 1 }],
      ["fr", "annuler 3", { kind: "cancel", index: 3 }],
      ["sv", "avboka 1", { kind: "cancel", index: 1 }],
      ["en", "seat", { kind: "seat" }],
      ["pt", "assento", { kind: "seat" }],
      ["en", "sync off", { kind: "sync", enabled: false }],
      ["pt", "sincronizar ligar", { kind: "sync", enabled: true }],
      ["fr", "synchro désactiver", { kind: "sync", enabled: false }],
      ["sv", "synk på", { kind: "sync", enabled: true }],
      ["en", "seats", { kind: "seats" }],
      ["pt", "assentos", { kind: "seats" }],
      ["sv", "platser", { kind: "seats" }],
      ["en", "requests", { kind: "requests" }],
      ["pt", "pedidos", { kind: "requests" }],
      ["fr", "demandes", { kind: "requests" }],
      ["en", "help", { kind: "help" }],
      ["pt", "ajuda", { kind: "help" }],
      ["fr", "aide", { kind: "help" }],
      ["sv", "hjälp", { kind: "help" }],
      ["pt", "help", { kind: "help" }],
    ];
    for (const [language, text, command] of expect)
      assert.deepEqual(parseCommand(text, ctx(language)), command, text);
  });

  test("a mention of the bot is ignored", () => {
    assert.deepEqual(parseCommand("<at>Quorum</at> help", ctx("en")), { kind: "help" });
  });

  test("missing arguments give the command's usage", () => {
    assert.deepEqual(parseCommand("cancel", ctx("en")), { kind: "usage", command: "cancel" });
    assert.deepEqual(parseCommand("book with ana", ctx("en")), { kind: "usage", command: "book" });
    assert.deepEqual(parseCommand("book 30 min ana", ctx("en")), { kind: "usage", command: "book" });
    assert.deepEqual(parseCommand("sync maybe", ctx("en")), { kind: "usage", command: "sync" });
    assert.deepEqual(parseCommand("free", ctx("en")), { kind: "usage", command: "availability" });
  });

  test("unknown words suggest the closest command, in the user's language first", () => {
    assert.deepEqual(parseCommand("seet", ctx("en")), { kind: "unknown", input: "seet", suggestion: "seat" });
    assert.equal(closestCommand("agnedar", "pt"), "book");
    assert.equal(closestCommand("meetngs", "en"), "meetings");
    assert.equal(closestCommand("reunioens", "pt"), "meetings");
    assert.equal(closestCommand("xyzzyplugh", "en"), undefined);
  });
});

describe("strings", () => {
  test("every language has every string, with the same placeholders", () => {
    for (const key of stringKeys) {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const language of ["pt", "fr", "sv"] as const) {
        const text = stringTables[language][key];
        assert.ok(text.length > 0, `${language}.${key}`);
        assert.deepEqual(placeholders(text), placeholders(stringTables.en[key]), `${language}.${key}`);
      }
    }
  });
});

describe("the Teams app manifest's command list", () => {
  const manifestDir = path.join(import.meta.dirname, "../../appPackage");
  const manifest = JSON.parse(readFileSync(path.join(manifestDir, "manifest.json"), "utf8")) as {
    bots: { commandLists: { commands: { title: string }[] }[] }[];
  };
  const titles = manifest.bots[0]!.commandLists[0]!.commands.map((c) => c.title);

  test("every command title is a command the bot understands", () => {
    assert.ok(titles.length >= 9);
    for (const title of titles) {
      const c = parseCommand(title, ctx("en"));
      assert.ok(c.kind !== "unknown", title);
    }
  });

  const localized: [Language, string][] = [
    ["en", "en.json"],
    ["pt", "pt-BR.json"],
    ["fr", "fr.json"],
    ["sv", "sv.json"],
  ];
  for (const [language, file] of localized) {
    test(`the examples in ${file} parse to people and a time`, () => {
      const strings = JSON.parse(readFileSync(path.join(manifestDir, file), "utf8")) as Record<
        string,
        string
      >;
      const examples = Object.values(strings)
        .map((d) => /(?:e\.g\.|ex\.\s?:|t\.ex\.)\s*(.+)$/.exec(d)?.[1])
        .filter((e): e is string => e !== undefined);
      assert.ok(examples.length >= 2, file);
      for (const example of examples) {
        const c = parseCommand(example, ctx(language));
        assert.ok(c.kind === "availability" || c.kind === "book", `${file}: ${example} → ${c.kind}`);
        if (c.kind !== "availability" && c.kind !== "book") continue;
        assert.equal(c.people[0], "Ana", `${file}: ${example}`);
        assert.ok(c.window.startMs > reference, `${file}: ${example}`);
      }
    });
  }
});
