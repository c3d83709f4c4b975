import assert from "node:assert/strict";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { appToken, CLIENT_ID, control, graphClient, msalApp, raw } from "./support.ts";

const contoso = DEMO.contoso.id;
const fabrikam = DEMO.fabrikam.id;

describe("emulator: Entra", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  test("serves per-tenant OpenID configuration and RS256 keys over TLS", async () => {
    assert.match(emu.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emu.graphBaseUrl, `${emu.url}/v1.0`);
    assert.deepEqual(
      emu.tenants.map((t) => [t.id, t.domain]),
      [
        [contoso, "contoso.com"],
        [fabrikam, "fabrikam.com"],
      ],
    );
    const config = await raw(emu, `/${contoso}/v2.0/.well-known/openid-configuration`);
    assert.equal(config.status, 200);
    assert.equal(config.json.issuer, `${emu.url}/${contoso}/v2.0`);
    assert.equal(config.json.token_endpoint, `${emu.url}/${contoso}/oauth2/v2.0/token`);
    const keys = await raw(emu, String(config.json.jwks_uri));
    const list = keys.json.keys as { kty: string; alg: string; kid: string }[];
    assert.equal(list[0]?.kty, "RSA");
    assert.equal(list[0]?.alg, "RS256");
    const unknown = await raw(
      emu,
      "/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration",
    );
    assert.equal(unknown.status, 400);
  });

  test("client credentials through msal-node: refused before consent (AADSTS65001), issued after", async () => {
    await control(emu, "POST", "/reset");
    const app = await msalApp(emu, contoso);
    await assert.rejects(
      app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] }),
      /AADSTS65001/,
    );
    const granted = await control<{ granted: boolean }>(emu, "POST", `/tenants/${contoso}/consent`, {});
    assert.equal(granted.body.granted, true);
    const result = await app.acquireTokenByClientCredential({
      scopes: ["https://graph.microsoft.com/.default"],
    });
    assert.ok(result?.accessToken);
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.tid, contoso);
    assert.equal(claims.aud, "https://graph.microsoft.com");
    assert.ok((claims.roles as string[]).includes("Calendars.ReadWrite"));
    // Fabrikam has not consented: its tenant stays closed.
    const fab = await msalApp(emu, fabrikam);
    await assert.rejects(
      fab.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] }),
      /AADSTS65001/,
    );
  });

  test("token endpoint errors have Entra's shape (bad secret, unknown app, non-.default scope)", async () => {
    await control(emu, "POST", `/tenants/${contoso}/consent`, {});
    const bad = await msalApp(emu, contoso, "wrong-secret");
    await assert.rejects(
      bad.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] }),
      /AADSTS7000215/,
    );
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const unknownApp = await raw(
      emu,
      `/${contoso}/oauth2/v2.0/token`,
      form({
        grant_type: "client_credentials",
        client_id: "11111111-1111-1111-1111-111111111111",
        client_secret: "x",
        scope: "https://graph.microsoft.com/.default",
      }),
    );
    assert.equal(unknownApp.status, 400);
    assert.deepEqual(unknownApp.json.error_codes, [700016]);
    for (const key of ["error", "error_description", "trace_id", "correlation_id", "timestamp"])
      assert.ok(key in unknownApp.json, key);
    const scope = await raw(
      emu,
      `/${contoso}/oauth2/v2.0/token`,
      form({
        grant_type: "client_credentials",
        client_id: CLIENT_ID,
        client_secret: "quorum-emulator-secret",
        scope: "User.Read",
      }),
    );
    assert.equal(scope.json.error, "invalid_scope");
  });

  test("on-behalf-of through msal-node: a Teams SSO token becomes a delegated Graph token", async () => {
    await control(emu, "POST", `/tenants/${contoso}/consent`, {});
    const sso = await emu.signInToken(contoso, DEMO.contoso.users.ana.upn);
    const ssoClaims = decodeJwt(sso);
    assert.equal(ssoClaims.aud, CLIENT_ID);
    assert.equal(ssoClaims.scp, "access_as_user");
    assert.equal(ssoClaims.oid, DEMO.contoso.users.ana.id);
    assert.equal(ssoClaims.iss, `${emu.url}/${contoso}/v2.0`);
    const app = await msalApp(emu, contoso);
    const result = await app.acquireTokenOnBehalfOf({
      oboAssertion: sso,
      scopes: ["https://graph.microsoft.com/.default"],
    });
    assert.ok(result?.accessToken);
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.oid, DEMO.contoso.users.ana.id);
    assert.match(String(claims.scp), /Calendars\.ReadWrite/);
    // The delegated token works for /me.
    const me = await graphClient(emu, async () => result.accessToken)
      .api("/me")
      .get();
    assert.equal(me.userPrincipalName, DEMO.contoso.users.ana.upn);
  });

  test("on-behalf-of refuses a forged, mis-addressed or expired assertion (AADSTS50013 / 500133)", async () => {
    await control(emu, "POST", `/tenants/${contoso}/consent`, {});
    const app = await msalApp(emu, contoso);
    const { privateKey } = await generateKeyPair("RS256");
    const genuine = decodeJwt(await emu.signInToken(contoso, DEMO.contoso.users.ana.upn));
    const forged = await new SignJWT({ ...genuine })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "forged" })
      .sign(privateKey);
    await assert.rejects(
      app.acquireTokenOnBehalfOf({ oboAssertion: forged, scopes: ["https://graph.microsoft.com/.default"] }),
      /AADSTS50013/,
    );
    const otherAudience = await emu.signInToken(contoso, DEMO.contoso.users.ana.upn, {
      audience: "api://elsewhere/99999999-9999-9999-9999-999999999999",
    });
    await assert.rejects(
      app.acquireTokenOnBehalfOf({
        oboAssertion: otherAudience,
        scopes: ["https://graph.microsoft.com/.default"],
      }),
      /AADSTS50013/,
    );
    const expired = await emu.signInToken(contoso, DEMO.contoso.users.ana.upn, { expiresInSeconds: -600 });
    await assert.rejects(
      app.acquireTokenOnBehalfOf({ oboAssertion: expired, scopes: ["https://graph.microsoft.com/.default"] }),
      /AADSTS500133/,
    );
    // A Fabrikam user's token presented at Contoso's authority is refused too.
    const foreign = await emu.signInToken(fabrikam, DEMO.fabrikam.users.hana.upn);
    await assert.rejects(
      app.acquireTokenOnBehalfOf({ oboAssertion: foreign, scopes: ["https://graph.microsoft.com/.default"] }),
      /AADSTS50013/,
    );
  });

  test("v2 admin consent page: Accept redirects with admin_consent=True, Cancel with access_denied", async () => {
    await control(emu, "POST", "/reset");
    const query = new URLSearchParams({
      client_id: CLIENT_ID,
      scope: "https://graph.microsoft.com/.default",
      redirect_uri: "http://127.0.0.1:9/admin/consent/callback",
      state: "s-123",
    });
    const page = await raw(emu, `/organizations/v2.0/adminconsent?${query}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Quorum/);
    assert.match(page.text, /Read and write calendars in all mailboxes/);
    assert.match(page.text, />Accept</);
    assert.match(page.text, />Cancel</);
    const post = (fields: Record<string, string>) =>
      raw(emu, "/organizations/v2.0/adminconsent", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...Object.fromEntries(query), ...fields }).toString(),
      });
    const cancelled = await post({ action: "cancel", admin: `${contoso}|${DEMO.contoso.admin.id}` });
    assert.equal(cancelled.status, 302);
    const c = new URL(cancelled.headers.get("location") ?? "");
    assert.equal(c.searchParams.get("error"), "access_denied");
    assert.equal(c.searchParams.get("state"), "s-123");
    const notAdmin = await post({ action: "accept", admin: `${contoso}|${DEMO.contoso.users.ana.id}` });
    assert.equal(new URL(notAdmin.headers.get("location") ?? "").searchParams.get("error"), "access_denied");
    const accepted = await post({ action: "accept", admin: `${contoso}|${DEMO.contoso.admin.id}` });
    const a = new URL(accepted.headers.get("location") ?? "");
    assert.equal(a.origin + a.pathname, "http://127.0.0.1:9/admin/consent/callback");
    assert.equal(a.searchParams.get("admin_consent"), "True");
    assert.equal(a.searchParams.get("tenant"), contoso);
    assert.equal(a.searchParams.get("state"), "s-123");
    const state = await control<{ granted: boolean; grantedBy: string }>(
      emu,
      "GET",
      `/tenants/${contoso}/consent`,
    );
    assert.equal(state.body.granted, true);
    assert.equal(state.body.grantedBy, DEMO.contoso.admin.id);
  });

  test("revoking consent closes the tenant: token requests fail and issued Graph tokens stop working", async () => {
    await control(emu, "POST", `/tenants/${contoso}/consent`, {});
    const token = await appToken(emu, contoso);
    const client = graphClient(emu, async () => token);
    const before = await client.api(`/users/${DEMO.contoso.users.erik.upn}`).get();
    assert.equal(before.id, DEMO.contoso.users.erik.id);
    await control(emu, "DELETE", `/tenants/${contoso}/consent`);
    await assert.rejects(
      client.api(`/users/${DEMO.contoso.users.erik.upn}`).get(),
      (e: { statusCode?: number; code?: string }) => {
        assert.equal(e.statusCode, 401);
        assert.equal(e.code, "InvalidAuthenticationToken");
        return true;
      },
    );
    const fresh = await msalApp(emu, contoso);
    await assert.rejects(
      fresh.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] }),
      /AADSTS65001/,
    );
  });

  test("Graph requires a valid token and keeps tenants apart", async () => {
    const none = await raw(emu, `/v1.0/users`);
    assert.equal(none.status, 401);
    const err = none.json.error as { code: string; innerError: Record<string, string> };
    assert.equal(err.code, "InvalidAuthenticationToken");
    assert.ok(err.innerError["request-id"]);
    assert.ok(err.innerError.date);
    const sso = await emu.signInToken(contoso, DEMO.contoso.users.ana.upn);
    const wrongAudience = await raw(emu, `/v1.0/users`, { headers: { authorization: `Bearer ${sso}` } });
    assert.equal(wrongAudience.status, 401);
    await control(emu, "POST", `/tenants/${fabrikam}/consent`, {});
    const fabToken = await appToken(emu, fabrikam);
    const fab = graphClient(emu, async () => fabToken);
    await assert.rejects(
      fab.api(`/users/${DEMO.contoso.users.ana.upn}`).get(),
      (e: { statusCode?: number }) => e.statusCode === 404,
    );
    const hana = await fab.api(`/users/${DEMO.fabrikam.users.hana.id}`).get();
    assert.equal(hana.mail, DEMO.fabrikam.users.hana.mail);
  });

  test("dev sign-in endpoint issues a Teams-SSO-shaped token for a demo user", async () => {
    const res = await control<{ token: string }>(emu, "POST", "/dev/sso-token", {
      tenantId: contoso,
      user: DEMO.contoso.users.claire.upn,
    });
    assert.equal(res.status, 200);
    const claims = decodeJwt(res.body.token);
    assert.equal(claims.tid, contoso);
    assert.equal(claims.preferred_username, DEMO.contoso.users.claire.upn);
    assert.equal(claims.name, "Claire Dubois");
    assert.equal(claims.ver, "2.0");
    const missing = await control(emu, "POST", "/dev/sso-token", {
      tenantId: contoso,
      user: "nobody@contoso.com",
    });
    assert.equal(missing.status, 404);
  });
});
