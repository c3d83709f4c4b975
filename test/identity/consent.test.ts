import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import { meResponse, tenantView } from "../../src/api-contract/identity.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { auditLog, members, tenants, tokenCache } from "../../src/store/schema.ts";
import { type Stack, startStack } from "../support/stack.ts";

const contoso = DEMO.contoso;

describe("admin consent", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test("readiness includes the login authority", async () => {
    const ready = await stack.request<{ checks: { name: string; ok: boolean; authorityHost?: string }[] }>(
      "GET",
      "/readyz",
    );
    const entra = ready.body.checks.find((c) => c.name === "entra");
    assert.equal(entra?.ok, true, JSON.stringify(ready.body));
    assert.equal(entra?.authorityHost, stack.emulator.authorityHost);
  });

  test("before consent, API calls say whom to ask and the tenant is unknown", async () => {
    const token = await stack.tokenFor(contoso.users.ana.upn);
    const me = await stack.request<{ tenant: unknown; actor: { roles: string[] } }>("GET", "/api/me", {
      token,
    });
    assert.equal(me.status, 200);
    assert.equal(me.body.tenant, null);
    meResponse.parse(me.body);
    assert.deepEqual(me.body.actor.roles, []);
  });

  test("a cancelled consent changes nothing and consumes the state", async () => {
    const answer = await stack.consent(contoso.id, { action: "cancel" });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /CONSENT_DENIED/);
    const rows = await stack.product.database.db
      .select()
      .from(tenants)
      .where(eq(tenants.tenantId, contoso.id));
    assert.equal(rows.length, 0);
    const denied = await stack.product.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, contoso.id), eq(auditLog.action, "consent.denied")));
    assert.equal(denied.length, 1);
  });

  test("a non-admin user cannot grant consent in the emulator's consent page", async () => {
    const answer = await stack.consent(contoso.id, { adminUpn: contoso.users.ana.upn });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /CONSENT_DENIED/);
  });

  test("happy path: the tenant is recorded as consented and the admin becomes owner", async () => {
    const answer = await stack.consent(contoso.id);
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.text, /data-result="connected"/);
    const { db } = stack.product.database;
    const [tenant] = await db.select().from(tenants).where(eq(tenants.tenantId, contoso.id));
    assert.equal(tenant?.status, "consented");
    assert.equal(tenant?.ownerUserId, contoso.admin.id);
    const [owner] = await db
      .select()
      .from(members)
      .where(and(eq(members.tenantId, contoso.id), eq(members.userId, contoso.admin.id)));
    assert.ok(owner?.roles.includes("owner"));
    const granted = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, contoso.id), eq(auditLog.action, "consent.granted")));
    assert.equal(granted.length, 1);

    // The app-only token that proved consent is cached encrypted: no token text at rest.
    const [cache] = await db.select().from(tokenCache).where(eq(tokenCache.tenantId, contoso.id));
    assert.ok(cache, "token cache row written");
    assert.match(cache.ciphertext, /^v1\./);
    assert.doesNotMatch(cache.ciphertext, /eyJ/);

    const token = await stack.tokenFor(contoso.admin.upn);
    const me = await stack.request<{ tenant: { status: string }; actor: { roles: string[] } }>(
      "GET",
      "/api/me",
      {
        token,
      },
    );
    meResponse.parse(me.body); // the shape the tab and the add-in read
    assert.equal(me.body.tenant.status, "consented");
    assert.deepEqual([...me.body.actor.roles].sort(), ["member", "owner"]);

    const admin = await stack.request<{ tenant: { status: string }; admins: { upn: string }[] }>(
      "GET",
      "/api/admin/tenant",
      { token },
    );
    assert.equal(admin.status, 200);
    tenantView.parse(admin.body.tenant);
    assert.deepEqual(
      admin.body.admins.map((a) => a.upn),
      [contoso.admin.upn],
    );
  });
});
