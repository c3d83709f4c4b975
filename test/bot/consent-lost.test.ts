/**
 * Consent lost: when Quorum can no longer get a token for a tenant (admin consent revoked), the tenant
 * turns reconnect_needed and its owners are told in Teams, once, in their language.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, test } from "vitest";
import { tenants } from "../../src/store/schema.ts";
import { type BotHarness, people, startBotHarness, tenantId } from "./harness.ts";

let h: BotHarness;
beforeAll(async () => {
  // The harness records the tenant as consented, but the emulator holds no consent for it: the first
  // token request is refused with AADSTS65001, exactly as after an admin revoked consent in Entra.
  h = await startBotHarness();
});
afterAll(async () => h?.stop());

test("owners are told in Teams when consent is lost, once", async () => {
  await h.say(people.admin, "ajuda", { locale: "pt-BR" });
  await h.say(people.ana, "help");
  const from = h.connector.sent.length;
  const admin = await h.product.emulator!.signInToken(tenantId, people.admin.upn);
  const probe = () =>
    fetch(`${h.product.url}/api/admin/test-connection`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
    });
  await probe();
  const [told] = await h.connector.waitFor(h.conversationOf(people.admin), 1, from);
  assert.match(
    told!.body.text!,
    /^O Quorum perdeu o acesso à sua organização \(.+\)\. Um administrador precisa reconectá-lo/,
  );
  const [row] = await h.database.db.select().from(tenants).where(eq(tenants.tenantId, tenantId));
  assert.equal(row?.status, "reconnect_needed");
  assert.equal(row?.consentErrorCode, "AADSTS65001");

  // A second failure does not repeat the message; members are not told. Owners are told within the
  // failing request (the token path awaits it), so anything sent is already recorded when it answers.
  await probe();
  const later = h.connector.sent.slice(from);
  assert.equal(later.filter((s) => s.conversationId === h.conversationOf(people.admin)).length, 1);
  assert.equal(later.filter((s) => s.conversationId === h.conversationOf(people.ana)).length, 0);
});

test("while the organization needs reconnecting, the bot says so and names whom to ask", async () => {
  const [row] = await h.database.db.select().from(tenants).where(eq(tenants.tenantId, tenantId));
  assert.equal(row?.status, "reconnect_needed");
  const [reply] = await h.say(people.ana, "seat", { locale: "fr-FR" });
  assert.equal(
    reply!.body.text,
    "Quorum a perdu l'accès à votre organisation, je ne peux donc pas faire cela. Demandez à votre administrateur Megan Bowen de reconnecter Quorum dans l'onglet Admin.",
  );
});
