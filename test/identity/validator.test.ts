/**
 * The validator against an authority served through its fetch port: Microsoft mode accepts v1 and v2
 * issuers, the emulator mode only v2; a rotated signing key is fetched on its unknown `kid`; key-set fetches
 * stay bounded whatever tenants forged tokens name; only Quorum's own audiences and Microsoft's Teams and
 * Outlook clients are accepted.
 */
import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { describe, test } from "vitest";
import { DomainError } from "../../src/core/errors.ts";
import type { M365Endpoints } from "../../src/identity/endpoints.ts";
import { createTokenValidator, type TokenValidatorOptions } from "../../src/identity/token-validator.ts";

const tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const clientId = "6f1c2c52-7a43-4c39-9d1f-5d7c3ab1e0a1";
const appIdUri = `api://quorum.contoso.com/${clientId}`;
const TEAMS_WEB = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346";
const OUTLOOK_WEB = "bc59ab01-8403-45c6-8796-ac3ef710b3e3";
const clientAppIds = [TEAMS_WEB, OUTLOOK_WEB];
const microsoft: M365Endpoints = {
  mode: "microsoft",
  authorityHost: "https://login.microsoftonline.com",
  graphBaseUrl: "https://graph.microsoft.com/v1.0",
};

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } as JWK };
}

/** An authority publishing `keys()` for every tenant, or answering 400 (unknown tenant) when it returns undefined. */
function authority(keys: (tenantId: string) => JWK[] | undefined) {
  const fetched: string[] = [];
  const fetch = async (url: string) => {
    fetched.push(url);
    const tenantId = new URL(url).pathname.split("/")[1] ?? "";
    const published = keys(tenantId);
    return published
      ? new Response(JSON.stringify({ keys: published }), { headers: { "content-type": "application/json" } })
      : new Response(JSON.stringify({ error: "invalid_tenant", error_codes: [90002] }), { status: 400 });
  };
  return { fetch, fetched };
}

const sign = (key: Awaited<ReturnType<typeof keyPair>>, claims: Record<string, unknown>) =>
  new SignJWT({
    tid,
    oid: "u1",
    scp: "access_as_user",
    preferred_username: "u@contoso.com",
    azp: TEAMS_WEB,
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(key.privateKey);

/** A validator for the Microsoft endpoints with this file's app, fetching keys through `fetch`. */
const validatorWith = (fetch: TokenValidatorOptions["fetch"], options: Partial<TokenValidatorOptions> = {}) =>
  createTokenValidator({
    endpoints: microsoft,
    clientId,
    clientAppIds,
    clock: { now: Date.now },
    fetch,
    ...options,
  });

describe("token validator", () => {
  test("Microsoft mode accepts v2 and v1 tokens of the tenant; the emulator mode only v2", async () => {
    const key = await keyPair("k1");
    const { fetch, fetched } = authority(() => [key.jwk]);
    const validator = validatorWith(fetch, { appIdUri: () => appIdUri });
    const v2 = await sign(key, { iss: `https://login.microsoftonline.com/${tid}/v2.0`, aud: clientId });
    const v1 = await sign(key, {
      iss: `https://sts.windows.net/${tid}/`,
      aud: appIdUri,
      azp: undefined,
      appid: OUTLOOK_WEB,
    });
    assert.equal((await validator.validate(v2)).tenantId, tid);
    assert.equal((await validator.validate(v1)).userId, "u1");
    assert.deepEqual(fetched, [`https://login.microsoftonline.com/${tid}/discovery/v2.0/keys`]);

    const emulatorMode = validatorWith(fetch, { endpoints: { ...microsoft, mode: "emulator" } });
    await assert.rejects(
      emulatorMode.validate(v1),
      (e: unknown) => e instanceof DomainError && e.code === "TOKEN_ISSUER_INVALID",
    );
  });

  test("a rotated key is fetched on its unknown kid; a key the authority never published is refused", async () => {
    const first = await keyPair("k1");
    const second = await keyPair("k2");
    const stranger = await keyPair("k3");
    let published = [first.jwk];
    const { fetch, fetched } = authority(() => published);
    const validator = validatorWith(fetch, { jwksCooldownMs: 0 });
    const iss = `https://login.microsoftonline.com/${tid}/v2.0`;
    await validator.validate(await sign(first, { iss, aud: clientId }));
    published = [first.jwk, second.jwk];
    await validator.validate(await sign(second, { iss, aud: clientId, oid: "u2" }));
    assert.equal(fetched.length, 2);
    await assert.rejects(
      validator.validate(await sign(stranger, { iss, aud: clientId, oid: "u3" })),
      (e: unknown) => e instanceof DomainError && e.code === "TOKEN_SIGNATURE_INVALID",
    );
  });
  test("forged tokens naming 50 tenants cause a bounded number of key-set fetches", async () => {
    const genuine = await keyPair("k1");
    const forger = await keyPair("forged");
    // Half of the named tenants do not exist (Entra answers 400); the other half publish keys, none "forged".
    const tenants = Array.from(
      { length: 50 },
      (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
    );
    const existing = new Set([tid, ...tenants.slice(25)]);
    const { fetch, fetched } = authority((t) => (existing.has(t) ? [genuine.jwk] : undefined));
    let now = Date.now();
    const validator = validatorWith(fetch, {
      clock: { now: () => now },
      jwksCooldownMs: 30_000,
      maxKeyFetchesPerMinute: 20,
    });
    const iss = (t: string) => `https://login.microsoftonline.com/${t}/v2.0`;
    const user = (oid: string) => sign(genuine, { iss: iss(tid), aud: clientId, oid });
    assert.equal((await validator.validate(await user("u1"))).userId, "u1");
    assert.equal(fetched.length, 1);

    const attack = async () => {
      const codes = new Set<string>();
      for (const t of tenants) {
        for (const oid of ["a", "b"]) {
          const forged = await sign(forger, { tid: t, iss: iss(t), aud: clientId, oid });
          await assert.rejects(validator.validate(forged), (e: unknown) => {
            assert.ok(e instanceof DomainError, String(e));
            codes.add(e.code);
            return true;
          });
        }
      }
      return codes;
    };
    const codes = await attack();
    assert.ok(fetched.length <= 1 + 20, `${fetched.length} key-set fetches`);
    for (const code of codes) {
      assert.ok(
        ["GRAPH_UNAVAILABLE", "TOKEN_ISSUER_INVALID", "TOKEN_SIGNATURE_INVALID"].includes(code),
        code,
      );
    }
    // A tenant whose keys are known keeps signing in during the attack, without a fetch.
    assert.equal((await validator.validate(await user("u2"))).userId, "u2");
    const afterFirstRound = fetched.length;

    // The same tenants again within the cooldown: answered from memory.
    now += 10_000;
    await attack();
    assert.ok(fetched.length - afterFirstRound <= 20, `${fetched.length - afterFirstRound} more fetches`);
    const tenantsFetchedTwice = tenants.filter(
      (t) => fetched.filter((url) => url.includes(`/${t}/`)).length > 1,
    );
    assert.deepEqual(tenantsFetchedTwice, [], "no tenant is fetched twice within the cooldown");

    // After the cooldown and a minute, fetches resume, still within the budget.
    now += 61_000;
    const before = fetched.length;
    await attack();
    assert.ok(fetched.length - before <= 20, `${fetched.length - before} fetches after the cooldown`);
    assert.ok(fetched.length - before > 0, "fetches resume once the cooldown has passed");
  });

  test("an app id URI on another host is refused", async () => {
    const key = await keyPair("k1");
    const { fetch, fetched } = authority(() => [key.jwk]);
    const validator = validatorWith(fetch, { appIdUri: () => appIdUri });
    const iss = `https://login.microsoftonline.com/${tid}/v2.0`;
    assert.equal((await validator.validate(await sign(key, { iss, aud: appIdUri }))).userId, "u1");
    for (const aud of [
      `api://attacker.example/${clientId}`,
      `api://quorum.contoso.com.attacker.example/${clientId}`,
      `api://${clientId}`,
      `api://quorum.contoso.com/${clientId}/extra`,
    ]) {
      await assert.rejects(
        validator.validate(await sign(key, { iss, aud, oid: aud })),
        (e: unknown) => e instanceof DomainError && e.code === "TOKEN_AUDIENCE_INVALID",
        aud,
      );
    }
    assert.equal(fetched.length, 1, "refused audiences cost no key-set fetch");
  });

  test("a token from an unknown client application (azp) is refused", async () => {
    const key = await keyPair("k1");
    const { fetch } = authority(() => [key.jwk]);
    const validator = validatorWith(fetch);
    const v2 = `https://login.microsoftonline.com/${tid}/v2.0`;
    const v1 = `https://sts.windows.net/${tid}/`;
    assert.equal((await validator.validate(await sign(key, { iss: v2, aud: clientId }))).userId, "u1");
    assert.equal(
      (await validator.validate(await sign(key, { iss: v2, aud: clientId, azp: OUTLOOK_WEB, oid: "u2" })))
        .userId,
      "u2",
    );
    const refused = [
      { iss: v2, azp: "0f0e0d0c-0b0a-4090-8070-605040302010" }, // someone else's app, consented by a user
      { iss: v2, azp: undefined }, // no client application named
      { iss: v1, azp: undefined, appid: "0f0e0d0c-0b0a-4090-8070-605040302010" },
    ];
    for (const claims of refused) {
      await assert.rejects(
        validator.validate(await sign(key, { aud: clientId, oid: "x", ...claims })),
        (e: unknown) => e instanceof DomainError && e.code === "TOKEN_CLIENT_APP_INVALID",
        JSON.stringify(claims),
      );
    }
  });
});
