/**
 * The bot runs the HTTP API's checks before every command and card action: the organization must be
 * connected (the tab's CONSENT_REQUIRED / RECONNECT_NEEDED), and admin commands need the owner or admin
 * role. Refusals are in the person's language and name whom to ask. Against the emulator, through the
 * real admin routes.
 */
import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { DirectorySyncResponse } from "../../src/api-contract/seats.ts";
import { joinRequests, members, seatAssignments, seatPools } from "../../src/store/schema.ts";
import { demoWorkingDay, pinnedNow } from "../support/clock.ts";
import { type Stack, startStack } from "../support/stack.ts";
import { type LocalConnector, startConnector } from "./connector.ts";
import { actionsOf, type BotChat, botChat, cardOf, cardText, people } from "./harness.ts";

const DAY = 86_400_000;
const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** A working day 2..6 days after the run's pinned "now" (UTC) with the demo people in, named in English. */
function workingDay(): string {
  return weekdays[new Date(`${demoWorkingDay(pinnedNow(), 2)}T12:00:00Z`).getUTCDay()]!;
}

describe("the bot checks the organization's state and the person's role as the HTTP API does", () => {
  let stack: Stack;
  let connector: LocalConnector;
  let chat: BotChat;
  let tenantId: string;
  const day = workingDay();

  const eventsWith = async (address: string, subject: string) => {
    const api = stack.product.m365!.graph.forTenant(tenantId);
    const start = stack.clock.now() - DAY;
    const page = await api.get<{ value: { subject: string }[] }>(
      `/users/${encodeURIComponent(address)}/calendarView?startDateTime=${new Date(start).toISOString()}&endDateTime=${new Date(start + 10 * DAY).toISOString()}&$top=500`,
    );
    return page.value.filter((e) => e.subject === subject);
  };

  beforeAll(async () => {
    connector = await startConnector();
    stack = await startStack();
    tenantId = stack.tenants[0]!.id;
    const consent = await stack.consent();
    assert.ok(consent.status < 400, consent.text);
    const sync = await stack.request<DirectorySyncResponse>("POST", "/api/admin/directory/sync", {
      token: await stack.tokenFor(stack.tenants[0]!.adminUpn),
    });
    assert.equal(sync.status, 200, sync.text);
    chat = botChat(stack.baseUrl, connector, tenantId);
  });

  afterAll(async () => {
    await stack?.stop();
    await connector?.close();
  });

  test("a role-gated bot command is refused for a non-admin, in their language", async () => {
    const db = stack.product.database.db;
    await db.insert(seatPools).values({ tenantId, kind: "sync", total: 10, used: 0 }).onConflictDoNothing();

    const [seats] = await chat.say(people.ana, "assentos", { locale: "pt-BR" });
    assert.equal(
      seats!.body.text,
      "Desculpe, não deu certo: Só proprietários e administradores do Quorum podem fazer isso.",
    );
    const [requests] = await chat.say(people.ana, "demandes", { locale: "fr-FR" });
    assert.equal(
      requests!.body.text,
      "Désolé, cela n'a pas fonctionné : Seuls les propriétaires et les administrateurs de Quorum peuvent faire cela.",
    );

    // An approve card signed for an admin who has since lost the role decides nothing.
    await db
      .update(members)
      .set({ roles: ["member", "admin"] })
      .where(and(eq(members.tenantId, tenantId), eq(members.userId, people.erik.id)));
    await db.insert(joinRequests).values({
      tenantId,
      requestId: "req-demoted",
      userId: people.claire.id,
      seatKinds: ["sync"],
    });
    const listed = await chat.say(people.erik, "requests", { expect: 2 });
    const [approve] = actionsOf(cardOf(listed[1]!));
    await db
      .update(members)
      .set({ roles: ["member"] })
      .where(and(eq(members.tenantId, tenantId), eq(members.userId, people.erik.id)));
    const refused = await chat.execute(people.erik, approve!, { locale: "sv-SE" });
    assert.equal(refused.body.statusCode, 200);
    assert.equal(
      cardText(refused.body.value),
      "Tyvärr gick det inte: Bara ägare och administratörer i Quorum kan göra det.",
    );
    const [request] = await db
      .select({ state: joinRequests.state })
      .from(joinRequests)
      .where(and(eq(joinRequests.tenantId, tenantId), eq(joinRequests.requestId, "req-demoted")));
    assert.equal(request?.state, "pending");
    const seatsOfClaire = await db
      .select()
      .from(seatAssignments)
      .where(and(eq(seatAssignments.tenantId, tenantId), eq(seatAssignments.userId, people.claire.id)));
    assert.equal(seatsOfClaire.length, 0);
  });

  describe("once the owner disconnected the organization", () => {
    const cardSubject = `Before disconnect ${Date.now()}`;
    let book: { verb: string; title: string; data: unknown } | undefined;
    const refusal =
      "Quorum is not connected to your organization, so I cannot do this. Ask your admin Megan Bowen to grant admin consent to Quorum in the Admin tab.";

    beforeAll(async () => {
      // A Book card handed out while the organization was connected.
      const [offer] = await chat.say(people.erik, `book 30 min with sofia ${day} about ${cardSubject}`);
      [book] = actionsOf(cardOf(offer!));
      assert.equal(book?.verb, "book");

      const owner = await stack.tokenFor(stack.tenants[0]!.adminUpn);
      const disconnected = await stack.request<{ tenant: { status: string } }>(
        "POST",
        "/api/admin/tenant/disconnect",
        { token: owner, body: { data: "keep" } },
      );
      assert.equal(disconnected.status, 200, disconnected.text);
      assert.equal(disconnected.body.tenant.status, "disconnected");

      // The tab's API refuses, naming whom to ask.
      const tab = await stack.request<{
        error: { code: string; details: { admins: { displayName: string }[] } };
      }>("GET", "/api/me/sync", { token: await stack.tokenFor(people.erik.upn) });
      assert.equal(tab.status, 403, tab.text);
      assert.equal(tab.body.error.code, "CONSENT_REQUIRED");
      assert.equal(tab.body.error.details.admins[0]?.displayName, "Megan Bowen");
    });

    test("a disconnected tenant's bot refuses to book", async () => {
      const subject = `After disconnect ${Date.now()}`;
      const [byMessage] = await chat.say(people.erik, `book 30 min with sofia ${day} about ${subject}`);
      assert.equal(byMessage!.body.text, refusal);
      const [inPortuguese] = await chat.say(people.lucas, "agendar 30 min com ana sexta", {
        locale: "pt-BR",
      });
      assert.equal(
        inPortuguese!.body.text,
        "O Quorum não está conectado à sua organização, então não posso fazer isso. Peça ao seu administrador Megan Bowen para conceder o consentimento ao Quorum na guia Admin.",
      );
      assert.equal((await eventsWith(people.erik.mail, subject)).length, 0);
    });

    test("a disconnected tenant's bot refuses a signed Book card", async () => {
      const byCard = await chat.execute(people.erik, book!);
      assert.equal(byCard.body.statusCode, 200);
      assert.equal(cardText(byCard.body.value), refusal);
      assert.equal((await eventsWith(people.erik.mail, cardSubject)).length, 0);
      assert.equal((await eventsWith(people.sofia.mail, cardSubject)).length, 0);
    });

    test("a disconnected tenant's bot refuses every command, even help", async () => {
      const [help] = await chat.say(people.ana, "hjälp", { locale: "sv-SE" });
      assert.equal(
        help!.body.text,
        "Quorum är inte anslutet till din organisation, så jag kan inte göra det. Be din administratör Megan Bowen att ge administratörsmedgivande till Quorum på fliken Admin.",
      );
    });
  });
});
