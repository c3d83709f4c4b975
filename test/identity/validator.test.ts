/**
 * The validator against an authority served through its fetch port: Microsoft mode accepts v1 and v2
 * issuers, the emulator mode only v2; a rotated signing key is fetched on its unknown `kid`.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { DomainError } from "../../src/core/errors.ts";
import type { M365Endpoints } from "../../src/identity/endpoints.ts";
import { createTokenValidator } from "../../src/identity/token-validator.ts";

const tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const clientId = "6f1c2c52-7a43-4c39-9d1f-5d7c3ab1e0a1";
const microsoft: M365Endpoints = {
  mode: "microsoft",
  authorityHost: "https://login.microsoftonline.com",
  graphBaseUrl: "https://graph.microsoft.com/v1.0",
};

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } as JWK };
}

function authority(keys: () => JWK[]) {
  const fetched: string[] = [];
  const fetch = async (url: string) => {
    fetched.push(url);
    return new Response(JSON.stringify({ keys: keys() }), {
      headers: { "content-type": "application/json" },
    });
  };
  return { fetch, fetched };
}

const sign = (key: Awaited<ReturnType<typeof keyPair>>, claims: Record<string, unknown>) =>
  new SignJWT({ tid, oid: "u1", scp: "access_as_user", preferred_username: "u@contoso.com", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(key.privateKey);

describe("token validator", () => {
  test("Microsoft mode accepts v2 and v1 tokens of the tenant; the emulator mode only v2", async () => {
    const key = await keyPair("k1");
    const { fetch, fetched } = authority(() => [key.jwk]);
    const validator = createTokenValidator({
      endpoints: microsoft,
      clientId,
      clock: { now: Date.now },
      fetch,
    });
    const v2 = await sign(key, { iss: `https://login.microsoftonline.com/${tid}/v2.0`, aud: clientId });
    const v1 = await sign(key, {
      iss: `https://sts.windows.net/${tid}/`,
      aud: `api://quorum.contoso.com/${clientId}`,
    });
    assert.equal((await validator.validate(v2)).tenantId, tid);
    assert.equal((await validator.validate(v1)).userId, "u1");
    assert.deepEqual(fetched, [`https://login.microsoftonline.com/${tid}/discovery/v2.0/keys`]);

    const emulatorMode = createTokenValidator({
      endpoints: { ...microsoft, mode: "emulator" },
      clientId,
      clock: { now: Date.now },
      fetch,
    });
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
    const validator = createTokenValidator({
      endpoints: microsoft,
      clientId,
      clock: { now: Date.now },
      fetch,
      jwksCooldownMs: 0,
    });
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
});
