import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import {
  conversationRefs,
  joinRequests,
  members,
  seatAssignments,
  seatPools,
} from "../../src/store/schema.ts";
import {
  actionsOf,
  type BotHarness,
  cardOf,
  cardText,
  people,
  startBotHarness,
  tenantId,
} from "./harness.ts";

describe("bot on the running service: POST /api/messages with Teams activities", () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await startBotHarness();
    await h.database.db.insert(seatPools).values([
      { tenantId, kind: "calling", total: 5, used: 0 },
      { tenantId, kind: "sync", total: 10, used: 1 },
    ]);
    await h.database.db.insert(seatAssignments).values({
      tenantId,
      kind: "sync",
      userId: people.erik.id,
      state: "active",
      assignedBy: people.admin.id,
    });
  });
  afterAll(async () => h?.stop());

  test("help answers with a card of commands and examples, in en and pt-BR", async () => {
    const [en] = await h.say(people.ana, "help");
    const enText = cardText(cardOf(en!));
    assert.match(enText, /Quorum can help you with/);
    assert.match(enText, /availability ana, erik tomorrow afternoon/);
    assert.equal(en!.body.type, "message");
    assert.equal(en!.conversationId, h.conversationOf(people.ana));

    const [pt] = await h.say(people.ana, "ajuda", { locale: "pt-BR" });
    const ptText = cardText(cardOf(pt!));
    assert.match(ptText, /O Quorum pode ajudar com/);
    assert.match(ptText, /disponibilidade ana, erik amanhã à tarde/);
  });

  test("unknown input gets a 'did you mean' with the closest command, never silence", async () => {
    const [en] = await h.say(people.ana, "meetngs");
    assert.match(en!.body.text!, /Did you mean \*\*meetings\*\*/);
    const [pt] = await h.say(people.ana, "reunioens", { locale: "pt-BR" });
    assert.match(pt!.body.text!, /Você quis dizer \*\*reuniões\*\*/);
    const [none] = await h.say(people.ana, "xyzzyplugh");
    assert.match(none!.body.text!, /I did not understand "xyzzyplugh"/);
  });

  test("the conversation reference is stored at the first message", async () => {
    const rows = await h.database.db
      .select()
      .from(conversationRefs)
      .where(and(eq(conversationRefs.tenantId, tenantId), eq(conversationRefs.userId, people.ana.id)));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.conversationId, h.conversationOf(people.ana));
    assert.equal(rows[0]!.serviceUrl, h.connector.url);
  });

  test("seat shows my seats and sync state (en, pt-BR)", async () => {
    const [en] = await h.say(people.erik, "seat");
    const text = cardText(cardOf(en!));
    assert.match(text, /Your seats/);
    assert.match(text, /Sync: active/);
    assert.match(text, /Calendar sync: on/);
    const [pt] = await h.say(people.ana, "assento", { locale: "pt-BR" });
    assert.match(cardText(cardOf(pt!)), /Você ainda não tem um assento do Quorum/);
  });

  test("sync off / sincronizar ligar change my sync switch", async () => {
    const [off] = await h.say(people.erik, "sync off");
    assert.equal(off!.body.text, "Calendar sync is now off.");
    const row = async () =>
      (
        await h.database.db
          .select({ on: members.syncEnabled })
          .from(members)
          .where(and(eq(members.tenantId, tenantId), eq(members.userId, people.erik.id)))
      )[0]!.on;
    assert.equal(await row(), false);
    const [on] = await h.say(people.erik, "sincronizar ligar", { locale: "pt-BR" });
    assert.equal(on!.body.text, "A sincronização da agenda agora está ligada.");
    assert.equal(await row(), true);
    // Without a sync seat the switch is refused, worded by the bot from the seat rule's reason.
    const [refused] = await h.say(people.ana, "sincronizar ligar", { locale: "pt-BR" });
    assert.equal(
      refused!.body.text,
      "Desculpe, não deu certo: A sincronização da agenda precisa de um assento de sincronização. Peça ao seu administrador ou solicite entrada.",
    );
  });

  test("seats (admin) shows pool usage; a member is refused", async () => {
    const [admin] = await h.say(people.admin, "seats");
    const text = cardText(cardOf(admin!));
    assert.match(text, /Calling: 0 of 5 used/);
    assert.match(text, /Sync: 1 of 10 used/);
    const [pt] = await h.say(people.admin, "assentos", { locale: "pt-BR" });
    assert.match(cardText(cardOf(pt!)), /Sincronização: 1 de 10 em uso/);
    const [member] = await h.say(people.ana, "seats");
    assert.match(member!.body.text!, /Sorry, that did not work: Only Quorum owners and admins can do this\./);
  });

  test("requests (admin) lists join requests as approve/deny cards; approving assigns the seat once", async () => {
    await h.database.db.insert(joinRequests).values([
      { tenantId, requestId: "req-1", userId: people.claire.id, seatKinds: ["sync"], message: "Please" },
      { tenantId, requestId: "req-2", userId: people.james.id, seatKinds: ["sync"] },
    ]);
    const replies = await h.say(people.admin, "requests", { expect: 3 });
    assert.equal(replies[0]!.body.text, "Pending join requests");
    const claireCard = cardOf(replies[1]!);
    assert.match(cardText(claireCard), /Claire Dubois asks for: Sync/);
    const [approve, deny] = actionsOf(claireCard);
    assert.equal(approve!.title, "Approve");
    assert.equal(deny!.title, "Deny");

    const approved = await h.execute(people.admin, approve!);
    assert.equal(approved.status, 200);
    assert.equal(approved.body.statusCode, 200);
    assert.match(cardText(approved.body.value), /Approved: Claire Dubois/);
    const seats = await h.database.db
      .select()
      .from(seatAssignments)
      .where(and(eq(seatAssignments.tenantId, tenantId), eq(seatAssignments.userId, people.claire.id)));
    assert.equal(seats.length, 1);

    const again = await h.execute(people.admin, approve!);
    assert.match(cardText(again.body.value), /The request was already approved\./);

    const ptReplies = await h.say(people.admin, "pedidos", { locale: "pt-BR", expect: 2 });
    assert.equal(ptReplies[0]!.body.text, "Pedidos de entrada pendentes");
    const jamesCard = cardOf(ptReplies[1]!);
    assert.match(cardText(jamesCard), /James Carter pede: Sincronização/);
    const [, recusar] = actionsOf(jamesCard);
    assert.equal(recusar!.title, "Recusar");
    const denied = await h.execute(people.admin, recusar!, { locale: "pt-BR" });
    assert.match(cardText(denied.body.value), /Recusado: James Carter/);
    const [james] = await h.database.db
      .select({ state: joinRequests.state })
      .from(joinRequests)
      .where(and(eq(joinRequests.tenantId, tenantId), eq(joinRequests.requestId, "req-2")));
    assert.equal(james!.state, "denied");
  });

  test("Action.Submit (a message with the card's value) updates the card in place", async () => {
    await h.database.db
      .insert(joinRequests)
      .values({ tenantId, requestId: "req-submit", userId: people.sofia.id, seatKinds: ["sync"] });
    const replies = await h.say(people.admin, "requests", { expect: 2 });
    const card = replies.find((r) => r.body.attachments && /Sofia Berg/.test(cardText(cardOf(r))))!;
    const [, deny] = actionsOf(cardOf(card));
    const from = h.connector.sent.length;
    const res = await h.post(
      h.activity(people.admin, { type: "message", value: deny!.data, replyToId: card.id }),
    );
    assert.equal(res.status, 200);
    const [update] = await h.connector.waitFor(h.conversationOf(people.admin), 1, from);
    assert.equal(update!.method, "PUT");
    assert.equal(update!.pathActivityId, card.id);
    assert.match(cardText(cardOf(update!)), /Denied: Sofia Berg/);
  });

  test("an action with tampered data is rejected and changes nothing", async () => {
    await h.database.db
      .insert(joinRequests)
      .values({ tenantId, requestId: "req-3", userId: people.lucas.id, seatKinds: ["sync"] });
    const replies = await h.say(people.admin, "requests", { expect: 2 });
    const [, deny] = actionsOf(cardOf(replies[1]!));
    // Turn "deny" into "approve" by editing the signed body.
    const quorum = (deny!.data as { quorum: string }).quorum;
    const [body, sig] = quorum.split(".");
    const payload = JSON.parse(Buffer.from(body!, "base64url").toString("utf8"));
    payload.p.approve = true;
    const forged = `${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${sig}`;
    const res = await h.execute(people.admin, { verb: "decide", data: { quorum: forged } });
    assert.equal(res.status, 200);
    assert.equal(res.body.statusCode, 400);
    assert.equal(res.body.type, "application/vnd.microsoft.error");
    const [lucas] = await h.database.db
      .select({ state: joinRequests.state })
      .from(joinRequests)
      .where(and(eq(joinRequests.tenantId, tenantId), eq(joinRequests.requestId, "req-3")));
    assert.equal(lucas!.state, "pending");
    const seats = await h.database.db
      .select()
      .from(seatAssignments)
      .where(and(eq(seatAssignments.tenantId, tenantId), eq(seatAssignments.userId, people.lucas.id)));
    assert.equal(seats.length, 0);

    // A card made for the admin cannot be used by someone else, even untouched.
    const stolen = await h.execute(people.ana, deny!);
    assert.equal(stolen.body.statusCode, 400);
  });

  test("a proactive notification reaches the user's stored conversation in their language", async () => {
    await h.say(people.lucas, "ajuda", { locale: "pt-BR" });
    const from = h.connector.sent.length;
    const result = await h.product.notifier.notify({
      kind: "seatAssigned",
      tenantId,
      userId: people.lucas.id,
      seatKind: "sync",
    });
    assert.deepEqual(result, { delivered: 1, unreachable: [] });
    const [sent] = await h.connector.waitFor(h.conversationOf(people.lucas), 1, from);
    assert.equal(sent!.method, "POST");
    assert.equal(sent!.body.text, "Agora você tem um assento de Sincronização do Quorum.");

    const toAdmins = await h.product.notifier.notify({
      kind: "joinRequested",
      tenantId,
      requestId: "req-9",
      requesterName: "Sofia Berg",
      seatKinds: ["calling"],
    });
    assert.equal(toAdmins.delivered, 1);
    const [adminMsg] = await h.connector.waitFor(h.conversationOf(people.admin), 1, from);
    assert.match(adminMsg!.body.text!, /Sofia Berg asks to join Quorum \(Calling\)/);

    const nobody = await h.product.notifier.notify({
      kind: "syncFailed",
      tenantId,
      userId: people.sofia.id,
      message: "x",
    });
    assert.deepEqual(nobody, { delivered: 0, unreachable: [people.sofia.id] });
  });

  test("an admin giving or taking a seat in the Admin tab is told to the person in Teams", async () => {
    await h.say(people.james, "ajuda", { locale: "pt-BR" });
    const from = h.connector.sent.length;
    const admin = await h.product.emulator!.signInToken(tenantId, people.admin.upn);
    const call = (path: string, body: unknown) =>
      fetch(`${h.product.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const assigned = await call("/api/admin/seats/assign", { userId: people.james.id, kind: "sync" });
    assert.equal(assigned.status, 201, await assigned.text());
    const [given] = await h.connector.waitFor(h.conversationOf(people.james), 1, from);
    assert.equal(given!.body.text, "Agora você tem um assento de Sincronização do Quorum.");

    const released = await call("/api/admin/seats/release", { userId: people.james.id, kind: "sync" });
    assert.equal(released.status, 200, await released.text());
    const [, taken] = await h.connector.waitFor(h.conversationOf(people.james), 2, from);
    assert.equal(taken!.body.text, "Seu assento de Sincronização do Quorum foi removido.");
  });

  test("install greets the user and stores the reference", async () => {
    const from = h.connector.sent.length;
    const res = await h.post(
      h.activity(people.sofia, { type: "installationUpdate", action: "add" }, "sv-SE"),
    );
    assert.equal(res.status, 200);
    const [hello] = await h.connector.waitFor(h.conversationOf(people.sofia), 1, from);
    assert.equal(hello!.body.text, "Hej Sofia Berg! Jag är Quorum. Skriv **hjälp** för att se vad jag kan.");
    const rows = await h.database.db
      .select()
      .from(conversationRefs)
      .where(and(eq(conversationRefs.tenantId, tenantId), eq(conversationRefs.userId, people.sofia.id)));
    assert.equal(rows.length, 1);
  });
});
