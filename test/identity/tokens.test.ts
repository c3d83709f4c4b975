import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import { startEmulator } from "../../src/emulator/index.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { testClock } from "../support/clock.ts";
import { type Stack, startStack } from "../support/stack.ts";

const contoso = DEMO.contoso;
const HOUR = 3600;

/** Re-encodes a JWT's payload with changes (the signature no longer matches). */
function tamper(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
  change(claims);
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
}

describe("SSO token validation", () => {
  let stack: Stack;
  // The emulator's clock runs two hours behind the service: a token with its default one-hour lifetime
  // is expired for the service, a six-hour token is valid.
  const clock = testClock();
  const offset = { now: () => clock.now() - 2 * HOUR * 1000 };
  const valid = (user: string, options: { audience?: string; scopes?: string; clientAppId?: string } = {}) =>
    stack.tokenFor(user, contoso.id, { expiresInSeconds: 6 * HOUR, ...options });

  beforeAll(async () => {
    stack = await startStack({ clock, emulator: { clock: offset } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const me = (token?: string, headers?: Record<string, string>) =>
    stack.request<{ error?: { code: string; message: string }; actor?: { userId: string } }>(
      "GET",
      "/api/me",
      {
        ...(token ? { token } : {}),
        ...(headers ? { headers } : {}),
      },
    );

  test("a valid token authenticates the user of the token's tenant", async () => {
    const res = await me(await valid(contoso.users.ana.upn));
    assert.equal(res.status, 200);
    assert.equal(res.body.actor?.userId, contoso.users.ana.id);
  });

  test("an app id URI audience is accepted like the client id", async () => {
    const clientId = stack.product.m365!.clientId;
    const host = new URL(stack.baseUrl).host;
    const res = await me(await valid(contoso.users.ana.upn, { audience: `api://${host}/${clientId}` }));
    assert.equal(res.status, 200, res.body.error?.message);
    // The app id URI names the service's own public host, nothing else.
    const elsewhere = await me(
      await valid(contoso.users.ana.upn, { audience: `api://quorum.contoso.com/${clientId}` }),
    );
    assert.equal(elsewhere.status, 401);
    assert.equal(elsewhere.body.error?.code, "TOKEN_AUDIENCE_INVALID");
  });

  test("tokens handed out by Outlook are accepted; by any other client application refused", async () => {
    const outlook = await me(
      await valid(contoso.users.ana.upn, { clientAppId: "bc59ab01-8403-45c6-8796-ac3ef710b3e3" }),
    );
    assert.equal(outlook.status, 200, outlook.body.error?.message);
    const other = await me(
      await valid(contoso.users.ana.upn, { clientAppId: "0f0e0d0c-0b0a-4090-8070-605040302010" }),
    );
    assert.equal(other.status, 401);
    assert.equal(other.body.error?.code, "TOKEN_CLIENT_APP_INVALID");
  });

  test("no token -> 401 UNAUTHENTICATED", async () => {
    const res = await me();
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, "UNAUTHENTICATED");
  });

  test("expired token -> 401 TOKEN_EXPIRED", async () => {
    const res = await me(await stack.tokenFor(contoso.users.ana.upn, contoso.id, { expiresInSeconds: HOUR }));
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, "TOKEN_EXPIRED");
  });

  test("token for another application -> 401 TOKEN_AUDIENCE_INVALID", async () => {
    const res = await me(
      await valid(contoso.users.ana.upn, { audience: "00000003-0000-0000-c000-000000000000" }),
    );
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, "TOKEN_AUDIENCE_INVALID");
  });

  test("token without access_as_user -> 401 TOKEN_SCOPE_MISSING", async () => {
    const res = await me(await valid(contoso.users.ana.upn, { scopes: "User.Read" }));
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, "TOKEN_SCOPE_MISSING");
  });

  test("token signed by another authority -> 401 TOKEN_ISSUER_INVALID", async () => {
    const other = await startEmulator({ port: 0, clock: offset });
    try {
      const foreign = await other.signInToken(contoso.id, contoso.users.ana.upn, {
        expiresInSeconds: 6 * HOUR,
      });
      const res = await me(foreign);
      assert.equal(res.status, 401);
      assert.equal(res.body.error?.code, "TOKEN_ISSUER_INVALID");
    } finally {
      await other.close();
    }
  });

  test("a token whose issuer names another tenant -> 401 TOKEN_ISSUER_INVALID", async () => {
    const token = tamper(await valid(contoso.users.ana.upn), (c) => {
      c.iss = String(c.iss).replace(contoso.id, DEMO.fabrikam.id);
    });
    const res = await me(token);
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, "TOKEN_ISSUER_INVALID");
  });

  test("unsigned token (alg none) -> 401 TOKEN_SIGNATURE_INVALID", async () => {
    const [, payload] = (await valid(contoso.users.ana.upn)).split(".");
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const res = await me(`${header}.${payload}.`);
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, "TOKEN_SIGNATURE_INVALID");
  });

  test("a token with altered claims -> 401 TOKEN_SIGNATURE_INVALID", async () => {
    const token = tamper(await valid(contoso.users.ana.upn), (c) => {
      c.oid = contoso.admin.id;
    });
    const res = await me(token);
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, "TOKEN_SIGNATURE_INVALID");
  });

  test("garbage -> 401 TOKEN_INVALID, and the error never echoes the token", async () => {
    const res = await me("not-a-jwt");
    assert.equal(res.status, 401);
    assert.equal(res.body.error?.code, "TOKEN_INVALID");
    const token = tamper(await valid(contoso.users.ana.upn), (c) => {
      c.oid = "x";
    });
    const tampered = await stack.request("GET", "/api/me", { token });
    assert.doesNotMatch(tampered.text, new RegExp(token.split(".")[1]!.slice(0, 40)));
  });
});
