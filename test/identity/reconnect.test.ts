import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, test } from "vitest";
import { tenantView } from "../../src/api-contract/identity.ts";
import { DomainError } from "../../src/core/errors.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { authenticate, requireConsented, requireRole } from "../../src/server/http/auth.ts";
import { auditLog, members, tenants, tokenCache } from "../../src/store/schema.ts";
import { type Stack, startStack } from "../support/stack.ts";

const { contoso } = DEMO;

/** A feature route as other areas write them: consented tenant + role. */
const protectedRoute = async (app: FastifyInstance) => {
  app.get("/api/test/protected", { onRequest: [authenticate, requireConsented] }, async (request) => ({
    tenantId: request.actor.tenantId,
  }));
  app.get(
    "/api/test/schedulers",
    { onRequest: [authenticate, requireConsented, requireRole("scheduler", "admin", "owner")] },
    async () => ({ ok: true }),
  );
};

interface TenantBody {
  tenant: { status: string; consentError: { code: string; explanation: string } | null };
}

describe("consent health", () => {
  let stack: Stack;
  let adminToken: string;
  beforeAll(async () => {
    stack = await startStack({ plugins: [protectedRoute] });
    adminToken = await stack.tokenFor(contoso.admin.upn);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test("before consent, protected routes answer CONSENT_REQUIRED", async () => {
    const token = await stack.tokenFor(contoso.users.ana.upn);
    const res = await stack.request<{ error: { code: string; details: { admins: unknown[] } } }>(
      "GET",
      "/api/test/protected",
      { token },
    );
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "CONSENT_REQUIRED");
    assert.deepEqual(res.body.error.details.admins, []);
  });

  test("consent revoked mid-life -> reconnect_needed with the Entra code; recovers after re-consent", async () => {
    assert.equal((await stack.consent()).status, 200);
    const graph = stack.product.m365!.graph;
    const users = await graph.forTenant(contoso.id).get<{ value: unknown[] }>("/users?$top=2");
    assert.equal(users.value.length, 2);

    const member = await stack.tokenFor(contoso.users.ana.upn);
    const ok = await stack.request("GET", "/api/test/protected", { token: member });
    assert.equal(ok.status, 200);
    const noRole = await stack.request<{ error: { code: string } }>("GET", "/api/test/schedulers", {
      token: member,
    });
    assert.equal(noRole.status, 403);
    assert.equal(noRole.body.error.code, "ROLE_REQUIRED");

    // The tenant revokes consent in Entra: existing Graph tokens stop working.
    const revoked = await stack.emulatorRequest("DELETE", `/_emulator/tenants/${contoso.id}/consent`);
    assert.equal(revoked.status, 200);

    await assert.rejects(graph.forTenant(contoso.id).get("/users?$top=2"), (error: unknown) => {
      assert.ok(error instanceof DomainError, String(error));
      assert.equal(error.code, "RECONNECT_NEEDED");
      assert.equal(error.details?.errorCode, "AADSTS65001");
      return true;
    });
    // Nothing is retried blindly: the next call fails fast with the same answer.
    await assert.rejects(graph.forTenant(contoso.id).get("/users?$top=2"), /lost access/);

    const tenant = await stack.request<TenantBody>("GET", "/api/admin/tenant", { token: adminToken });
    tenantView.parse(tenant.body.tenant);
    assert.equal(tenant.body.tenant.status, "reconnect_needed");
    assert.equal(tenant.body.tenant.consentError?.code, "AADSTS65001");
    assert.match(tenant.body.tenant.consentError?.explanation ?? "", /consent/i);

    const blocked = await stack.request<{ error: { code: string; details: { admins: { upn: string }[] } } }>(
      "GET",
      "/api/test/protected",
      { token: member },
    );
    assert.equal(blocked.status, 409);
    assert.equal(blocked.body.error.code, "RECONNECT_NEEDED");
    assert.deepEqual(
      blocked.body.error.details.admins.map((a) => a.upn),
      [contoso.admin.upn],
    );

    const probe = await stack.request<{
      ok: boolean;
      probes: { name: string; status: string; fix?: string }[];
    }>("POST", "/api/admin/test-connection", { token: adminToken });
    assert.equal(probe.status, 200);
    assert.equal(probe.body.ok, false);
    assert.equal(probe.body.probes[0]?.name, "app_token");
    assert.equal(probe.body.probes[0]?.status, "missing");
    assert.match(probe.body.probes[0]?.fix ?? "", /Grant admin consent/);

    const lost = await stack.product.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, contoso.id), eq(auditLog.action, "consent.lost")));
    assert.equal(lost.length, 1);

    // The owner reconnects.
    assert.equal((await stack.consent()).status, 200);
    const back = await stack.request<TenantBody>("GET", "/api/admin/tenant", { token: adminToken });
    assert.equal(back.body.tenant.status, "consented");
    assert.equal(back.body.tenant.consentError, null);
    const again = await graph.forTenant(contoso.id).get<{ value: unknown[] }>("/users?$top=2");
    assert.equal(again.value.length, 2);
    assert.equal((await stack.request("GET", "/api/test/protected", { token: member })).status, 200);
  });

  test("test connection reports each permission", async () => {
    const probe = await stack.request<{ probes: { name: string; status: string; permission: string }[] }>(
      "POST",
      "/api/admin/test-connection",
      { token: adminToken },
    );
    assert.equal(probe.status, 200, probe.text);
    for (const p of probe.body.probes) assert.equal(p.status, "ok", JSON.stringify(p));
    assert.deepEqual(
      probe.body.probes.map((p) => p.name),
      ["app_token", "read_users", "read_schedule", "write_event", "read_number_assignments"],
    );
  });

  test("only the owner disconnects, with an explicit data choice; data is kept", async () => {
    const member = await stack.tokenFor(contoso.users.ana.upn);
    const denied = await stack.request("POST", "/api/admin/tenant/disconnect", {
      token: member,
      body: { data: "keep" },
    });
    assert.equal(denied.status, 403);
    const noChoice = await stack.request("POST", "/api/admin/tenant/disconnect", {
      token: adminToken,
      body: {},
    });
    assert.equal(noChoice.status, 400);
    const deleteUnconfirmed = await stack.request("POST", "/api/admin/tenant/disconnect", {
      token: adminToken,
      body: { data: "delete" },
    });
    assert.equal(deleteUnconfirmed.status, 400);
    const res = await stack.request<{ tenant: { status: string } }>("POST", "/api/admin/tenant/disconnect", {
      token: adminToken,
      body: { data: "keep" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.tenant.status, "disconnected");
    const me = await stack.request<{ actor: { roles: string[] } }>("GET", "/api/me", { token: adminToken });
    assert.ok(me.body.actor.roles.includes("owner"), "membership kept");
    const blocked = await stack.request<{ error: { code: string } }>("GET", "/api/test/protected", {
      token: member,
    });
    assert.equal(blocked.body.error.code, "CONSENT_REQUIRED");
  });

  test("export hands back the tenant's data without secrets; delete removes it but keeps the record", async () => {
    assert.equal((await stack.consent()).status, 200, "reconnecting after a disconnect works");
    const exported = await stack.request<{ export: { tables: Record<string, { userId?: string }[]> } }>(
      "POST",
      "/api/admin/tenant/disconnect",
      { token: adminToken, body: { data: "export" } },
    );
    assert.equal(exported.status, 200);
    const tables = exported.body.export.tables;
    assert.ok(tables.members?.some((m) => m.userId === contoso.admin.id));
    assert.ok(tables.audit_log && tables.audit_log.length > 0);
    assert.equal(tables.token_cache, undefined);
    assert.equal(tables.consent_states, undefined);

    assert.equal((await stack.consent()).status, 200);
    const deleted = await stack.request("POST", "/api/admin/tenant/disconnect", {
      token: adminToken,
      body: { data: "delete", confirmTenantId: contoso.id },
    });
    assert.equal(deleted.status, 200);
    const { db } = stack.product.database;
    assert.equal((await db.select().from(members).where(eq(members.tenantId, contoso.id))).length, 0);
    assert.equal((await db.select().from(tokenCache).where(eq(tokenCache.tenantId, contoso.id))).length, 0);
    const [tenant] = await db.select().from(tenants).where(eq(tenants.tenantId, contoso.id));
    assert.equal(tenant?.status, "disconnected");
    const trail = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, contoso.id), eq(auditLog.action, "tenant.data_deleted")));
    assert.equal(trail.length, 1);

    // Connecting again starts over: the consenting admin owns the tenant.
    assert.equal((await stack.consent()).status, 200);
    const me = await stack.request<{ actor: { roles: string[] } }>("GET", "/api/me", { token: adminToken });
    assert.ok(me.body.actor.roles.includes("owner"));
  });
});
