import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { createSecrets } from "../../src/identity/secrets.ts";
import { explainEntraError } from "../../src/identity/tokens.ts";

const key = "k".repeat(40);

describe("secrets", () => {
  test("AES-256-GCM round trip, bound to its context and key", () => {
    const secrets = createSecrets(key);
    const sealed = secrets.encrypt('{"AccessToken":{}}', "tenant-a/msal");
    assert.match(sealed, /^v1\./);
    assert.notEqual(sealed, secrets.encrypt('{"AccessToken":{}}', "tenant-a/msal"), "fresh IV each time");
    assert.equal(secrets.decrypt(sealed, "tenant-a/msal"), '{"AccessToken":{}}');
    assert.throws(() => secrets.decrypt(sealed, "tenant-b/msal"));
    assert.throws(() => createSecrets("x".repeat(40)).decrypt(sealed, "tenant-a/msal"));
    const raw = Buffer.from(sealed.slice(3), "base64");
    raw[raw.length - 1]! ^= 1;
    assert.throws(() => secrets.decrypt(`v1.${raw.toString("base64")}`, "tenant-a/msal"));
  });

  test("a ciphertext with a truncated tag is refused", () => {
    const secrets = createSecrets(key);
    // An empty plaintext seals to IV + tag only; keeping 4 of the tag's 16 bytes must not verify.
    const raw = Buffer.from(secrets.encrypt("", "tenant-a/msal").slice(3), "base64");
    assert.equal(raw.length, 28);
    assert.equal(secrets.decrypt(`v1.${raw.toString("base64")}`, "tenant-a/msal"), "");
    for (const tagBytes of [4, 8, 12, 15]) {
      const truncated = `v1.${raw.subarray(0, 12 + tagBytes).toString("base64")}`;
      assert.throws(() => secrets.decrypt(truncated, "tenant-a/msal"), `a ${tagBytes}-byte tag`);
    }
  });

  test("HMAC signatures verify only for the same value and key", () => {
    const secrets = createSecrets(key);
    const sig = secrets.sign("consent|abc|t1");
    assert.equal(secrets.verify("consent|abc|t1", sig), true);
    assert.equal(secrets.verify("consent|abc|t2", sig), false);
    assert.equal(secrets.verify("consent|abc|t1", sig.slice(1)), false);
    assert.equal(createSecrets("y".repeat(40)).verify("consent|abc|t1", sig), false);
  });

  test("Entra errors get an explanation an admin can act on", () => {
    assert.match(explainEntraError("AADSTS65001"), /reconnect/i);
    assert.match(explainEntraError("AADSTS7000222"), /expired/);
    assert.match(
      explainEntraError("AADSTS12345", "Something odd.\nTrace ID: x"),
      /AADSTS12345: Something odd\.\)/,
    );
  });
});
