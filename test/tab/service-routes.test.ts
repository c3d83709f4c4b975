/**
 * The service side of the tab against the real service and tenant emulator: the typed API client (auth
 * header, contract parsing, ApiError), the directory type-ahead (tenant-scoped, wildcard-safe), the dev
 * routes (start page, demo users, SSO tokens) and the static tab with its cache headers.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { z } from "zod";
import { createApiClient } from "../../src/api-client/api.ts";
import { ApiError } from "../../src/api-client/errors.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { repoRoot } from "../support/database.ts";
import type { Stack } from "../support/stack.ts";
import { startDevHostStack } from "./support/tab-stack.ts";

const { contoso, fabrikam } = DEMO;

describe("tab service routes and API client", () => {
  let stack: Stack;
  const client = (upn: string, tenantId: string = contoso.id) =>
    createApiClient({ baseUrl: stack.baseUrl, getToken: () => stack.tokenFor(upn, tenantId) });

  beforeAll(async () => {
    stack = await startDevHostStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test("before consent, the directory answers CONSENT_REQUIRED as a typed ApiError", async () => {
    const error = await client(contoso.users.ana.upn)
      .directory.search("eri")
      .then(
        () => assert.fail("expected an ApiError"),
        (e: unknown) => e,
      );
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 403);
    assert.equal(error.code, "CONSENT_REQUIRED");
    assert.match(error.requestId ?? "", /^[\w.-]{8,}$/);
  });

  test("a failing token source and an unreachable service become ApiErrors too", async () => {
    const noToken = createApiClient({
      baseUrl: stack.baseUrl,
      getToken: () => Promise.reject(new Error("Teams could not get a token")),
    });
    await assert.rejects(noToken.me(), (e: unknown) => e instanceof ApiError && e.code === "SIGN_IN_FAILED");
    const closed = createApiClient({ baseUrl: "http://127.0.0.1:9", getToken: async () => "x" });
    await assert.rejects(closed.me(), (e: unknown) => e instanceof ApiError && e.code === "NETWORK_ERROR");
    const wrongContract = client(contoso.users.ana.upn).transport.request("/healthz", {
      schema: z.object({ people: z.array(z.string()) }),
    });
    await assert.rejects(
      wrongContract,
      (e: unknown) => e instanceof ApiError && e.code === "INVALID_RESPONSE",
    );
  });

  test("after consent and directory import, the type-ahead finds colleagues of the caller's tenant only", async () => {
    await stack.consent(contoso.id);
    await stack.consent(fabrikam.id);
    const admin = client(contoso.admin.upn);
    const imported = await admin.seats.syncDirectory();
    assert.ok(imported.users >= 10);
    await client(fabrikam.admin.upn, fabrikam.id).seats.syncDirectory();

    const ana = client(contoso.users.ana.upn);
    const byFirstName = await ana.directory.search("eri");
    assert.deepEqual(
      byFirstName.people.filter((p) => p.userId === contoso.users.erik.id).map((p) => p.displayName),
      ["Erik Lindqvist"],
    );
    const byLastName = await ana.directory.search("Dubois");
    assert.ok(byLastName.people.some((p) => p.userId === contoso.users.claire.id));
    const byMail = await ana.directory.search("claire.dubois@contoso.com");
    assert.equal(byMail.people[0]?.userId, contoso.users.claire.id, "found by primary SMTP, not only UPN");
    assert.deepEqual((await ana.directory.search("%")).people, [], "LIKE wildcards are literal");
    assert.deepEqual(
      (await ana.directory.search("Former Employee")).people,
      [],
      "disabled accounts are hidden",
    );

    const hana = client(fabrikam.users.hana.upn, fabrikam.id);
    assert.deepEqual(
      (await hana.directory.search("erik")).people,
      [],
      "another tenant's people are invisible",
    );
    assert.ok((await hana.directory.search("tom")).people.some((p) => p.userId === fabrikam.users.tom.id));
  });

  test("my seats and callers answer for the caller", async () => {
    const ana = client(contoso.users.ana.upn);
    assert.deepEqual(await ana.mySeats(), { seats: [] });
    const callers = await ana.directory.callers();
    assert.ok(Array.isArray(callers.people));
    for (const p of callers.people)
      assert.match(p.callLink, /^https:\/\/teams\.microsoft\.com\/l\/call\/0\/0\?users=/);
  });

  test("dev routes: start page, demo users and SSO tokens the API accepts", async () => {
    const start = await fetch(`${stack.baseUrl}/`);
    const html = await start.text();
    assert.equal(start.status, 200);
    assert.match(html, /href="\/dev\/teams\?tab=schedule"/);
    assert.match(html, /href="\/dev\/teams\?tab=admin"/);

    const users = (await (await fetch(`${stack.baseUrl}/dev/users`)).json()) as {
      users: { upn: string; tenantId: string; roles: string[] }[];
    };
    const megan = users.users.find((u) => u.upn === contoso.admin.upn);
    assert.ok(megan?.roles.includes("tenant admin"));
    assert.ok(megan?.roles.includes("owner"), "the consenting admin became owner");
    assert.ok(users.users.some((u) => u.upn === fabrikam.users.hana.upn && u.tenantId === fabrikam.id));

    const tokenResponse = await fetch(`${stack.baseUrl}/dev/sso-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenantId: contoso.id, upn: contoso.users.ana.upn }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };
    const me = await createApiClient({ baseUrl: stack.baseUrl, getToken: async () => token }).me();
    assert.equal(me.actor.userId, contoso.users.ana.id);

    const bad = await fetch(`${stack.baseUrl}/dev/sso-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenantId: contoso.id }),
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, "VALIDATION_FAILED");
  });

  test("the built tab is served under /tab/ with revalidated HTML and immutable assets", async () => {
    const dist = path.join(repoRoot, "dist", "tab");
    assert.ok(existsSync(path.join(dist, "index.html")), "build the tab first: npm run build");
    const html = await fetch(`${stack.baseUrl}/tab/?view=schedule`);
    assert.equal(html.status, 200);
    assert.equal(html.headers.get("cache-control"), "no-cache");
    assert.match(await html.text(), /<div id="root">/);
    const asset = readdirSync(path.join(dist, "assets")).find((f) => f.endsWith(".js"));
    const js = await fetch(`${stack.baseUrl}/tab/assets/${asset}`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const bare = await fetch(`${stack.baseUrl}/tab?view=admin`, { redirect: "manual" });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get("location"), "/tab/?view=admin");
  });
});
