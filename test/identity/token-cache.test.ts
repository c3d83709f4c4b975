import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { createDispatcher, fetchThrough } from "../../src/identity/endpoints.ts";
import { createSecrets } from "../../src/identity/secrets.ts";
import { createTokenProvider } from "../../src/identity/tokens.ts";
import { type Stack, startStack } from "../support/stack.ts";

const { contoso } = DEMO;

describe("msal-node token cache at rest", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    assert.equal((await stack.consent()).status, 200);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const provider = (secretKey: string) => {
    const m365 = stack.product.m365!;
    const dispatcher = createDispatcher(m365.endpoints);
    return {
      dispatcher,
      tokens: createTokenProvider({
        endpoints: m365.endpoints,
        clientId: m365.clientId,
        clientSecret: loadConfig({ NODE_ENV: "test" }).m365.clientSecret,
        database: stack.product.database,
        secrets: createSecrets(secretKey),
        fetch: fetchThrough(dispatcher),
        clock: { now: () => Date.now() },
        logger: stack.product.logger,
      }),
    };
  };

  test("a new process reads the encrypted cache; another key cannot", async () => {
    const first = await stack.product.m365!.tokens.appOnly(contoso.id);
    // Entra now refuses new tokens for the tenant: only a cached token can still be returned.
    assert.equal(
      (await stack.emulatorRequest("DELETE", `/_emulator/tenants/${contoso.id}/consent`)).status,
      200,
    );

    const sameKey = provider(loadConfig({ NODE_ENV: "test" }).secretKey);
    try {
      const cached = await sameKey.tokens.appOnly(contoso.id);
      assert.equal(cached.token, first.token, "token read back from the persisted, encrypted cache");
    } finally {
      await sameKey.dispatcher.close();
    }

    const otherKey = provider("another-secret-key-of-at-least-32-characters");
    try {
      await assert.rejects(otherKey.tokens.appOnly(contoso.id), /lost access/);
    } finally {
      await otherKey.dispatcher.close();
    }
  });
});
