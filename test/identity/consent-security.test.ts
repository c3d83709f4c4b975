import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import { DEMO } from "../../src/emulator/seed.ts";
import { auditLog, members, tenants } from "../../src/store/schema.ts";
import { testClock } from "../support/clock.ts";
import { type Stack, startStack } from "../support/stack.ts";

const { contoso, fabrikam } = DEMO;

describe("consent state and tenant isolation", () => {
  let stack: Stack;
  let shiftMs = 0;
  const pinned = testClock();
  const clock = { now: () => pinned.now() + shiftMs };

  beforeAll(async () => {
    stack = await startStack({ clock });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const start = async (upn: string, tenantId: string) => {
    const token = await stack.tokenFor(upn, tenantId);
    const res = await stack.request<{ consentUrl: string }>("POST", "/api/admin/consent/start", {
      token,
      body: {},
    });
    assert.equal(res.status, 200, res.text);
    return new URL(res.body.consentUrl).searchParams.get("state")!;
  };
  const callback = (query: Record<string, string>) =>
    stack.request<string>("GET", `/admin/consent/callback?${new URLSearchParams(query)}`);

  test("a forged state is refused at the redirect and at the callback", async () => {
    const state = await start(contoso.admin.upn, contoso.id);
    const [id, tid] = state.split(".");
    const forged = `${id}.${tid}.${"A".repeat(43)}`;
    const redirect = await stack.request("GET", `/admin/consent?state=${encodeURIComponent(forged)}`);
    assert.equal(redirect.status, 400);
    assert.match(redirect.text, /CONSENT_STATE_INVALID/);
    const answer = await callback({ admin_consent: "True", tenant: contoso.id, state: forged });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /CONSENT_STATE_INVALID/);
    // Re-signing with another tenant id in the state breaks the signature too.
    const swapped = state.replace(contoso.id, fabrikam.id);
    assert.equal(
      (await callback({ admin_consent: "True", tenant: fabrikam.id, state: swapped })).status,
      400,
    );
  });

  test("a callback claiming consent that Entra never granted records nothing", async () => {
    const state = await start(contoso.admin.upn, contoso.id);
    const answer = await callback({ admin_consent: "True", tenant: contoso.id, state });
    assert.equal(answer.status, 403);
    assert.match(answer.text, /CONSENT_REQUIRED/);
    assert.match(answer.text, /AADSTS65001|consent/i);
    const rows = await stack.product.database.db
      .select()
      .from(tenants)
      .where(eq(tenants.tenantId, contoso.id));
    assert.equal(rows[0]?.status ?? "none", "none");
  });

  test("a replayed callback is refused; the first one made the admin owner", async () => {
    let callbackUrl = "";
    const first = await stack.consent(contoso.id, {
      onCallback: (url) => {
        callbackUrl = url;
      },
    });
    assert.equal(first.status, 200, first.text);
    const replay = await stack.request<string>(
      "GET",
      new URL(callbackUrl).pathname + new URL(callbackUrl).search,
    );
    assert.equal(replay.status, 400);
    assert.match(replay.text, /CONSENT_STATE_INVALID/);
  });

  test("a state whose tenant differs from the redirect's tenant is refused", async () => {
    const state = await start(fabrikam.admin.upn, fabrikam.id);
    const answer = await callback({ admin_consent: "True", tenant: contoso.id, state });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /CONSENT_STATE_INVALID/);
  });

  test("an expired state is refused", async () => {
    const state = await start(fabrikam.admin.upn, fabrikam.id);
    shiftMs = 16 * 60_000;
    try {
      const redirect = await stack.request("GET", `/admin/consent?state=${encodeURIComponent(state)}`);
      assert.equal(redirect.status, 400);
      assert.equal((await callback({ admin_consent: "True", tenant: fabrikam.id, state })).status, 400);
    } finally {
      shiftMs = 0;
    }
  });

  test("a token accepted once is refused after it expires", async () => {
    const token = await stack.tokenFor(contoso.users.ana.upn, contoso.id, { expiresInSeconds: 600 });
    assert.equal((await stack.request("GET", "/api/me", { token })).status, 200);
    shiftMs = 20 * 60_000;
    try {
      const res = await stack.request<{ error: { code: string } }>("GET", "/api/me", { token });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "TOKEN_EXPIRED");
    } finally {
      shiftMs = 0;
    }
  });

  test("once consented, only owners and admins may start a reconnect", async () => {
    const token = await stack.tokenFor(contoso.users.ana.upn);
    const res = await stack.request<{ error: { code: string } }>("POST", "/api/admin/consent/start", {
      token,
      body: {},
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "ROLE_REQUIRED");
  });

  test("tenant A's token never reaches tenant B's data", async () => {
    const fab = await stack.consent(fabrikam.id);
    assert.equal(fab.status, 200, fab.text);
    const token = await stack.tokenFor(fabrikam.admin.upn, fabrikam.id);

    const direct = await stack.request<{ error: { code: string } }>("GET", `/api/tenants/${contoso.id}`, {
      token,
    });
    assert.equal(direct.status, 403);
    assert.equal(direct.body.error.code, "FORBIDDEN");
    assert.doesNotMatch(direct.text, new RegExp(`${contoso.admin.upn}|${contoso.domain}`));

    // Tenant hints in the URL, headers or body are ignored: the token's tenant wins.
    const hinted = await stack.request<{ tenant: { tenantId: string }; admins: { upn: string }[] }>(
      "GET",
      `/api/admin/tenant?tenantId=${contoso.id}`,
      { token, headers: { "x-tenant-id": contoso.id } },
    );
    assert.equal(hinted.status, 200);
    assert.equal(hinted.body.tenant.tenantId, fabrikam.id);
    assert.deepEqual(
      hinted.body.admins.map((a) => a.upn),
      [fabrikam.admin.upn],
    );
    const bodyHint = await stack.request("POST", "/api/admin/consent/start", {
      token,
      body: { tenantId: contoso.id },
    });
    assert.equal(bodyHint.status, 400);

    // Contoso's owner is not an admin of Fabrikam, and Fabrikam's admin is not an admin of Contoso.
    const contosoAdminInFabrikam = await stack.product.database.db
      .select()
      .from(members)
      .where(and(eq(members.tenantId, fabrikam.id), eq(members.userId, contoso.admin.id)));
    assert.equal(contosoAdminInFabrikam.length, 0);
    const own = await stack.request<{ tenant: { tenantId: string } }>("GET", `/api/tenants/${fabrikam.id}`, {
      token,
    });
    assert.equal(own.status, 200);
    assert.equal(own.body.tenant.tenantId, fabrikam.id);
  });
});

describe("consent callback", () => {
  let stack: Stack;
  const logLines: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ logDestination: { write: (line) => logLines.push(line) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const startAs = async (upn: string) => {
    const res = await stack.request<{ consentUrl: string }>("POST", "/api/admin/consent/start", {
      token: await stack.tokenFor(upn),
      body: {},
    });
    assert.equal(res.status, 200, res.text);
    return new URL(res.body.consentUrl).searchParams.get("state")!;
  };
  /** Entra's success redirect, sent by hand: the caller never went through the consent page. */
  const forgedCallback = (state: string) =>
    stack.request<string>(
      "GET",
      `/admin/consent/callback?${new URLSearchParams({ admin_consent: "True", tenant: contoso.id, state })}`,
    );
  const rolesOf = async (userId: string) => {
    const [row] = await stack.product.database.db
      .select({ roles: members.roles })
      .from(members)
      .where(and(eq(members.tenantId, contoso.id), eq(members.userId, userId)));
    return row ? [...row.roles].sort() : [];
  };
  const refusals = async (userId: string) =>
    stack.product.database.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, contoso.id),
          eq(auditLog.action, "consent.refused"),
          eq(auditLog.actorUserId, userId),
        ),
      );
  const addMember = (user: { id: string; upn: string; displayName: string }) =>
    stack.product.database.db
      .insert(members)
      .values({ tenantId: contoso.id, userId: user.id, upn: user.upn, displayName: user.displayName });

  test("with tenant consent already in place, a member who never went through the consent page keeps their roles", async () => {
    // Contoso's Global Administrator granted consent in the Entra admin center; Quorum has no owner yet.
    const granted = await stack.emulatorRequest("POST", `/_emulator/tenants/${contoso.id}/consent`, {
      adminUpn: contoso.admin.upn,
    });
    assert.equal(granted.status, 200, granted.text);
    await addMember(contoso.users.ana);

    const answer = await forgedCallback(await startAs(contoso.users.ana.upn));
    assert.equal(answer.status, 403, answer.text);
    assert.match(answer.text, /data-result="CONSENT_ADMIN_ROLE_REQUIRED"/);
    assert.match(answer.text, /Global Administrator/);

    assert.deepEqual(await rolesOf(contoso.users.ana.id), ["member"]);
    const { db } = stack.product.database;
    assert.deepEqual(await db.select().from(tenants).where(eq(tenants.tenantId, contoso.id)), []);
    const me = await stack.request<{ tenant: unknown; admins: unknown[]; actor: { roles: string[] } }>(
      "GET",
      "/api/me",
      { token: await stack.tokenFor(contoso.users.ana.upn) },
    );
    assert.equal(me.body.tenant, null);
    assert.deepEqual(me.body.admins, []);
    assert.deepEqual(me.body.actor.roles, ["member"]);
    assert.equal((await refusals(contoso.users.ana.id)).length, 1);
  });

  test("a Quorum admin cannot undo the owner's disconnect through the callback", async () => {
    // The Global Administrator connects Quorum through the consent page and owns it.
    assert.equal((await stack.consent(contoso.id)).status, 200);
    const ownerToken = await stack.tokenFor(contoso.admin.upn);
    await addMember(contoso.users.erik);
    const promoted = await stack.request("PUT", `/api/admin/members/${contoso.users.erik.id}/roles`, {
      token: ownerToken,
      body: { roles: ["admin"] },
    });
    assert.equal(promoted.status, 200, promoted.text);
    const disconnected = await stack.request("POST", "/api/admin/tenant/disconnect", {
      token: ownerToken,
      body: { data: "keep" },
    });
    assert.equal(disconnected.status, 200, disconnected.text);

    // Entra still holds the consent; the admin replays the success redirect by hand.
    const answer = await forgedCallback(await startAs(contoso.users.erik.upn));
    assert.equal(answer.status, 403, answer.text);
    assert.match(answer.text, /data-result="CONSENT_ADMIN_ROLE_REQUIRED"/);
    assert.match(answer.text, /disconnected by its owner/);

    const { db } = stack.product.database;
    const [tenant] = await db.select().from(tenants).where(eq(tenants.tenantId, contoso.id));
    assert.equal(tenant?.status, "disconnected");
    assert.equal(tenant?.ownerUserId, contoso.admin.id);
    assert.deepEqual(await rolesOf(contoso.users.erik.id), ["admin", "member"]);
    assert.deepEqual(await rolesOf(contoso.admin.id), ["member", "owner"]);
    assert.equal((await refusals(contoso.users.erik.id)).length, 1);

    // The owner can connect it again.
    assert.equal((await stack.consent(contoso.id)).status, 200);
    const [back] = await db.select().from(tenants).where(eq(tenants.tenantId, contoso.id));
    assert.equal(back?.status, "consented");
  });

  test("the consent state never reaches the request logs", async () => {
    let callbackUrl = "";
    const answer = await stack.consent(fabrikam.id, {
      onCallback: (url) => {
        callbackUrl = url;
      },
    });
    assert.equal(answer.status, 200, answer.text);
    const state = new URL(callbackUrl).searchParams.get("state") ?? "";
    const [stateId, , signature] = state.split(".");
    assert.ok(stateId && signature, callbackUrl);
    // A replayed callback and a forged state are logged too (as refusals).
    await stack.request("GET", new URL(callbackUrl).pathname + new URL(callbackUrl).search);
    await stack.request("GET", `/admin/consent?state=${encodeURIComponent(`${stateId}.${fabrikam.id}.x`)}`);

    const logged = logLines.join("");
    assert.match(logged, /\/admin\/consent\/callback/, "the callback's requests are logged");
    assert.doesNotMatch(logged, new RegExp(stateId));
    assert.doesNotMatch(logged, new RegExp(signature.replace(/[-]/g, "\\-")));
  });
});
