/**
 * The bot's scheduling commands end to end: Teams activities to /api/messages of the service, which reads
 * calendars from and books into the tenant emulator (consented, directory imported), replies captured by
 * a local Bot Connector.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { DirectorySyncResponse } from "../../src/api-contract/seats.ts";
import { DEMO_WEEK } from "../../src/emulator/seed.ts";
import { members, seatAssignments, seatPools } from "../../src/store/schema.ts";
import { demoWeekDay, demoWorkingDay, pinnedNow } from "../support/clock.ts";
import { type Stack, startStack } from "../support/stack.ts";
import { type LocalConnector, startConnector } from "./connector.ts";
import { actionsOf, type BotChat, botChat, cardOf, cardText, people, type TeamsUser } from "./harness.ts";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const enWeekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const ptWeekdays = [
  "domingo",
  "segunda-feira",
  "terça-feira",
  "quarta-feira",
  "quinta-feira",
  "sexta-feira",
  "sábado",
];

/**
 * A working day 2..6 days after the run's pinned "now" (UTC) on which the demo people are in, so weekday
 * names are unambiguous and the day is bookable.
 */
function targetDay(): { ms: number; en: string; pt: string } {
  const now = pinnedNow();
  const ms = Date.parse(`${demoWorkingDay(now, 2)}T12:00:00Z`);
  const dow = new Date(ms).getUTCDay();
  assert.ok(ms - now <= 6 * DAY, "a working day with everyone in within the week");
  return { ms, en: enWeekdays[dow]!, pt: ptWeekdays[dow]! };
}

interface CalendarEvent {
  id: string;
  subject: string;
  isCancelled?: boolean;
  onlineMeeting?: { joinUrl?: string } | null;
}

describe("bot scheduling against the emulator: availability, book, meetings, cancel", () => {
  let stack: Stack;
  let connector: LocalConnector;
  let chat: BotChat;
  const day = targetDay();

  const eventsOf = async (address: string, subject: string) => {
    const api = stack.product.m365!.graph.forTenant(stack.tenants[0]!.id);
    const start = stack.clock.now() - DAY;
    const page = await api.get<{ value: CalendarEvent[] }>(
      `/users/${encodeURIComponent(address)}/calendarView?startDateTime=${iso(start)}&endDateTime=${iso(start + 10 * DAY)}&$top=500`,
    );
    return page.value.filter((e) => e.subject === subject);
  };

  beforeAll(async () => {
    connector = await startConnector();
    stack = await startStack();
    const consent = await stack.consent();
    assert.ok(consent.status < 400, consent.text);
    const sync = await stack.request<DirectorySyncResponse>("POST", "/api/admin/directory/sync", {
      token: await stack.tokenFor(stack.tenants[0]!.adminUpn),
    });
    assert.equal(sync.status, 200, sync.text);
    chat = botChat(stack.baseUrl, connector, stack.tenants[0]!.id);
  });

  afterAll(async () => {
    await stack?.stop();
    await connector?.close();
  });

  test("availability with five people: a card of suggestions with each attendee's status (en)", async () => {
    const [reply] = await chat.say(
      people.erik,
      `availability ana, sofia, lucas oliveira, claire and james ${day.en}`,
    );
    const card = cardOf(reply!);
    const text = cardText(card);
    assert.match(
      text,
      /Suggested times with Ana Souza, Sofia Berg, Lucas Oliveira, Claire Dubois, James Carter/,
    );
    assert.match(
      text,
      /Ana Souza: (free|tentative|busy|out of office|working elsewhere|outside working hours)/,
    );
    assert.match(text, /James Carter: /);
    assert.equal(actionsOf(card).length, 0, "availability shows times; booking is the book command");
  });

  test("disponibilidade in pt-BR, with an e-mail address and 'e'", async () => {
    const [reply] = await chat.say(
      people.ana,
      `disponibilidade erik.lindqvist@contoso.com e sofia ${day.pt}`,
      {
        locale: "pt-BR",
      },
    );
    const text = cardText(cardOf(reply!));
    assert.match(text, /Horários sugeridos com Erik Lindqvist, Sofia Berg/);
    assert.match(
      text,
      /Erik Lindqvist: (livre|provisório|ocupado|fora do escritório|fora do horário de trabalho)/,
    );
  });

  test("on Erik's out-of-office day the card names him as away for the whole time asked (pt-BR)", async () => {
    const [y, m, d] = demoWeekDay(stack.clock.now(), DEMO_WEEK.erikOutOfOffice.firstDay).split("-");
    const [reply] = await chat.say(people.ana, `disponibilidade erik.lindqvist@contoso.com ${d}/${m}/${y}`, {
      locale: "pt-BR",
    });
    const text = cardText(cardOf(reply!));
    assert.match(text, /Erik Lindqvist: fora do escritório durante todo o período pedido\./);
    assert.match(text, /Ninguém está livre ao mesmo tempo/);
  });

  test("an unreadable calendar is said so, never shown as free", async () => {
    const [reply] = await chat.say(people.erik, `free kiosk@contoso.com ${day.en}`);
    assert.match(cardText(cardOf(reply!)), /Calendar of Reception Kiosk could not be read/);
  });

  test("an unknown name is said so; an ambiguous name gets a choice card, never a guess", async () => {
    const [nobody] = await chat.say(people.erik, `free zyxwvut ${day.en}`);
    assert.equal(nobody!.body.text, 'I found nobody called "zyxwvut" in your organization.');

    // A name shared by several people of the imported directory.
    const rows = await stack.product.database.db
      .select({ displayName: members.displayName })
      .from(members)
      .where(
        and(
          eq(members.tenantId, stack.tenants[0]!.id),
          eq(members.accountEnabled, true),
          isNull(members.deletedAt),
        ),
      );
    const counts = new Map<string, number>();
    for (const r of rows)
      for (const w of new Set(r.displayName.toLowerCase().split(/\s+/)))
        counts.set(w, (counts.get(w) ?? 0) + 1);
    const shared = [...counts].filter(([, n]) => n >= 2).sort((a, b) => b[0].length - a[0].length)[0];
    assert.ok(shared, "the demo directory has a shared name");
    const [name] = shared;

    const [choice] = await chat.say(people.erik, `availability ${name} and sofia ${day.en}`);
    const card = cardOf(choice!);
    assert.match(cardText(card), new RegExp(`Several people match "${name}"`));
    const options = actionsOf(card);
    assert.ok(options.length >= 2, "every match is offered");
    assert.ok(options.every((o) => o.verb === "choose"));

    const picked = await chat.execute(people.erik, options[1]!);
    assert.equal(picked.body.statusCode, 200);
    const text = cardText(picked.body.value);
    const pickedName = options[1]!.title.replace(/ \(.*\)$/, "");
    assert.match(text, new RegExp(`Suggested times with ${pickedName}, Sofia Berg`));
  });

  test("book: suggestions card → one click books a Teams meeting; the card becomes the confirmation; a second click does not book twice", async () => {
    const subject = `Roadmap ${Date.now()}`;
    const [reply] = await chat.say(people.erik, `book 30 min with sofia ${day.en} about ${subject}`);
    const buttons = actionsOf(cardOf(reply!));
    assert.ok(buttons.length >= 2, "several times are offered");
    assert.ok(buttons.every((b) => b.verb === "book" && b.title === "Book"));

    const first = await chat.execute(people.erik, buttons[0]!);
    assert.equal(first.body.statusCode, 200);
    assert.equal(first.body.type, "application/vnd.microsoft.card.adaptive");
    const confirmation = first.body.value;
    assert.match(cardText(confirmation), new RegExp(`Booked: ${subject}`));
    assert.match(cardText(confirmation), /With\nSofia Berg/);
    const join = (confirmation.actions as { type: string; url: string; title: string }[])[0]!;
    assert.equal(join.type, "Action.OpenUrl");
    assert.match(join.url, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);

    // Double click: the same button again answers the same confirmation.
    const again = await chat.execute(people.erik, buttons[0]!);
    assert.equal(again.body.statusCode, 200);
    assert.deepEqual(again.body.value, confirmation);
    // Another time on the same card: the card's one idempotency key refuses a second booking.
    const other = await chat.execute(people.erik, buttons[1]!);
    assert.match(cardText(other.body.value), /Sorry, that did not work/);

    const organizer = await eventsOf(people.erik.mail, subject);
    assert.equal(organizer.length, 1, "exactly one event in the organizer's calendar");
    assert.match(organizer[0]!.onlineMeeting?.joinUrl ?? "", /meetup-join/);
    const attendee = await eventsOf(people.sofia.mail, subject);
    assert.equal(attendee.length, 1, "exactly one invitation in the attendee's calendar");
  });

  test("a Book refused because the time was taken meanwhile offers other free times to book instead", async () => {
    const subject = `Pipeline ${randomUUID().slice(0, 8)}`;
    const [reply] = await chat.say(people.erik, `book 30 min with sofia ${day.en} about ${subject}`);
    const [firstButton] = actionsOf(cardOf(reply!));
    const slotOf = (data: unknown) => {
      const quorum = String((data as { quorum: string }).quorum);
      const { p } = JSON.parse(Buffer.from(quorum.split(".")[0]!, "base64url").toString("utf8")) as {
        p: { start: number; end: number };
      };
      return p;
    };
    const taken = slotOf(firstButton!.data);
    // Meanwhile Sofia accepts something else at that time, in Outlook.
    const made = await stack.emulatorRequest(
      "POST",
      `/_emulator/tenants/${stack.tenants[0]!.id}/users/${encodeURIComponent(people.sofia.mail)}/events`,
      {
        subject: "Customer escalation",
        start: { dateTime: new Date(taken.start).toISOString().slice(0, 19), timeZone: "UTC" },
        end: { dateTime: new Date(taken.end).toISOString().slice(0, 19), timeZone: "UTC" },
        showAs: "busy",
      },
    );
    assert.equal(made.status, 201, made.text);

    const refused = await chat.execute(people.erik, firstButton!);
    const card = refused.body.value;
    assert.match(cardText(card), /That time is no longer free/);
    const alternatives = actionsOf(card);
    assert.ok(alternatives.length > 0, "other times are offered, each with a Book button");
    for (const a of alternatives) {
      const slot = slotOf(a.data);
      assert.ok(slot.end <= taken.start || slot.start >= taken.end, "never the time that was taken");
    }
    const booked = await chat.execute(people.erik, alternatives[0]!);
    assert.match(cardText(booked.body.value), new RegExp(`Booked: ${subject}`));
    assert.equal((await eventsOf(people.erik.mail, subject)).length, 1);
  });

  test("meetings lists it numbered (en, pt-BR); cancel <n> cancels it in the calendar", async () => {
    const subject = `Planejamento ${Date.now()}`;
    const [reply] = await chat.say(people.lucas, `agendar 1 hora com ana ${day.pt} sobre ${subject}`, {
      locale: "pt-BR",
    });
    const [agendar] = actionsOf(cardOf(reply!));
    assert.equal(agendar!.title, "Agendar");
    const booked = await chat.execute(people.lucas, agendar!, { locale: "pt-BR" });
    assert.match(cardText(booked.body.value), new RegExp(`Agendado: ${subject}`));

    const [en] = await chat.say(people.lucas, "meetings week");
    const enText = cardText(cardOf(en!));
    assert.match(enText, /Your meetings/);
    assert.match(
      enText,
      new RegExp(`1\\.\\n\\[${subject}\\]\\(https://teams\\.microsoft\\.com/l/meetup-join/`),
    );
    const [pt] = await chat.say(people.lucas, "reuniões semana", { locale: "pt-BR" });
    assert.match(cardText(cardOf(pt!)), /Suas reuniões/);
    const [today] = await chat.say(people.lucas, "meetings today");
    assert.doesNotMatch(cardText(cardOf(today!)), new RegExp(subject));

    const [none] = await chat.say(people.lucas, "cancel 7");
    assert.match(none!.body.text!, /There is no meeting number 7/);
    const [cancelled] = await chat.say(people.lucas, "cancelar 1", { locale: "pt-BR" });
    assert.match(cancelled!.body.text!, new RegExp(`^Cancelada: ${subject} \\(`));
    const events = await eventsOf(people.lucas.mail, subject);
    assert.ok(
      events.every((e) => e.isCancelled),
      "the event is cancelled in the calendar",
    );
    const [after] = await chat.say(people.lucas, "meetings week");
    assert.doesNotMatch(cardText(cardOf(after!)), new RegExp(subject));
  });

  test("a scheduler's booking into a colleague's calendar is told to the colleague in Teams, in their language", async () => {
    const tid = stack.tenants[0]!.id;
    const db = stack.product.database.db;
    await chat.say(people.sofia, "hjälp", { locale: "sv-SE" });
    await db
      .update(members)
      .set({ roles: ["member", "scheduler"] })
      .where(and(eq(members.tenantId, tid), eq(members.userId, people.erik.id)));
    await db
      .insert(seatPools)
      .values({ tenantId: tid, kind: "sync", total: 10, used: 1 })
      .onConflictDoNothing();
    await db
      .insert(seatAssignments)
      .values({
        tenantId: tid,
        kind: "sync",
        userId: people.sofia.id,
        state: "active",
        assignedBy: people.admin.id,
      })
      .onConflictDoNothing();

    const token = await stack.tokenFor(people.erik.upn);
    const q = new URLSearchParams({
      start: iso(day.ms - (day.ms % DAY)),
      end: iso(day.ms - (day.ms % DAY) + DAY),
      durationMinutes: "30",
      timeZone: "Europe/Stockholm",
      includeGrid: "false",
    });
    q.append("required", people.sofia.mail);
    q.append("required", people.ana.mail);
    const free = await stack.request<{
      suggestions: { start: number | string; end: number | string; uncertain: number }[];
    }>("GET", `/api/availability?${q}`, { token });
    assert.equal(free.status, 200, free.text);
    const slot = free.body.suggestions.find((s) => s.uncertain === 0);
    assert.ok(slot, "a free slot for Sofia and Ana");

    const from = connector.sent.length;
    const subject = `Kundmöte ${Date.now()}`;
    const booked = await stack.request<{ notification?: unknown }>("POST", "/api/bookings", {
      token,
      headers: { "idempotency-key": `bot-test-${Date.now()}` },
      body: {
        subject,
        start: iso(new Date(slot.start).getTime()),
        end: iso(new Date(slot.end).getTime()),
        timeZone: "Europe/Stockholm",
        required: [people.ana.mail],
        organizer: people.sofia.mail,
      },
    });
    assert.equal(booked.status, 201, booked.text);
    const [told] = await connector.waitFor(chat.conversationOf(people.sofia), 1, from);
    assert.match(told!.body.text!, new RegExp(`^Erik Lindqvist bokade ${subject} i din kalender: `));
    assert.match(
      told!.body.text!,
      /\[Anslut till Teams-mötet\]\(https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
    );
  });

  test("a join request made in the tab reaches the admins as an approve/deny card; approving tells the requester", async () => {
    const admin: TeamsUser = people.admin;
    await chat.say(admin, "help");
    await chat.say(people.claire, "aide", { locale: "fr-FR" });
    const from = connector.sent.length;
    const res = await stack.request("POST", "/api/join-requests", {
      token: await stack.tokenFor(people.claire.upn),
      body: { seatKinds: ["sync"], message: "For calendar sync" },
    });
    assert.equal(res.status, 201, res.text);
    const [notice] = await connector.waitFor(chat.conversationOf(admin), 1, from);
    const card = cardOf(notice!);
    assert.match(cardText(card), /Claire Dubois asks for: Sync/);
    assert.match(cardText(card), /For calendar sync/);
    const [approve, deny] = actionsOf(card);
    assert.equal(approve!.title, "Approve");
    assert.equal(deny!.title, "Deny");
    const decided = await chat.execute(admin, approve!);
    assert.match(cardText(decided.body.value), /Approved: Claire Dubois/);
    const [told] = await connector.waitFor(chat.conversationOf(people.claire), 1, from);
    assert.equal(told!.body.text, "Votre demande pour rejoindre Quorum a été approuvée. Bienvenue !");
  });

  test("an invitation reaches the invitee as an accept/decline card in their language; accepting grants the role", async () => {
    const admin: TeamsUser = people.admin;
    await chat.say(admin, "help");
    await chat.say(people.lucas, "ajuda", { locale: "pt-BR" });
    const from = connector.sent.length;
    const invited = await stack.request<{ invitationId: string }>("POST", "/api/admin/invitations", {
      token: await stack.tokenFor(admin.upn),
      body: { userId: people.lucas.id, role: "scheduler", seatKinds: [] },
    });
    assert.equal(invited.status, 201, invited.text);
    const [notice] = await connector.waitFor(chat.conversationOf(people.lucas), 1, from);
    const card = cardOf(notice!);
    assert.match(cardText(card), /Megan Bowen convidou você para o Quorum\./);
    assert.match(cardText(card), /Função: Agendador/);
    const [accept, decline] = actionsOf(card);
    assert.equal(accept!.title, "Aceitar");
    assert.equal(decline!.title, "Recusar");

    // The card's actions are Lucas's alone.
    const stolen = await chat.execute(people.claire, accept!);
    assert.doesNotMatch(cardText(stolen.body.value), /Boas-vindas/);

    const answered = await chat.execute(people.lucas, accept!, { locale: "pt-BR" });
    assert.match(cardText(answered.body.value), /Você aceitou\. Boas-vindas ao Quorum!/);
    const [row] = await stack.product.database.db
      .select({ roles: members.roles })
      .from(members)
      .where(and(eq(members.tenantId, stack.tenants[0]!.id), eq(members.userId, people.lucas.id)));
    assert.ok(row?.roles.includes("scheduler"), `roles ${row?.roles}`);
    const [told] = await connector.waitFor(chat.conversationOf(admin), 1, from);
    assert.equal(told!.body.text, "Lucas Oliveira accepted your invitation to Quorum.");

    // A second answer changes nothing and says why.
    const again = await chat.execute(people.lucas, decline!, { locale: "pt-BR" });
    assert.match(cardText(again.body.value), /already accepted/);
  });

  test("a directory round that fails is told to the admins once, in their language, with its cause", async () => {
    const admin: TeamsUser = people.admin;
    await chat.say(admin, "aide", { locale: "fr-FR" });
    const from = connector.sent.length;
    const fault = await stack.emulatorRequest<{ id: string }>("POST", "/_emulator/faults", {
      tenantId: stack.tenants[0]!.id,
      path: "/users/delta",
      status: 403,
    });
    assert.equal(fault.status, 201, fault.text);
    try {
      const token = await stack.tokenFor(admin.upn);
      for (let i = 0; i < 2; i++) {
        const failed = await stack.request("POST", "/api/admin/directory/sync", { token });
        assert.equal(failed.status, 502, failed.text);
      }
    } finally {
      await stack.emulatorRequest("DELETE", `/_emulator/faults/${fault.body.id}`);
    }
    const [told] = await connector.waitFor(chat.conversationOf(admin), 1, from);
    assert.match(
      told!.body.text!,
      /^Quorum n’a pas pu lire votre annuaire : .* Cause : Microsoft 365 denied Quorum access \(403 Authorization_RequestDenied/,
    );
    // The notice goes out within the failing request, so by now the second failure would have been told
    // too: it was not.
    assert.equal(
      connector.sent.slice(from).filter((m) => m.conversationId === chat.conversationOf(admin)).length,
      1,
    );
  });
});
