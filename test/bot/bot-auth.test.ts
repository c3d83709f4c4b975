import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type BotHarness, people, startBotHarness } from "./harness.ts";

describe("inbound Bot Framework token validation stays on unless BOT_AUTH=off", () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await startBotHarness({
      env: {
        BOT_AUTH: "on",
        BOT_APP_ID: "0b6a3c1e-7d2f-4e8a-9c51-3f2e1d0c9b8a",
        BOT_APP_PASSWORD: "bot-secret-for-tests",
      },
    });
  });
  afterAll(async () => h?.stop());

  test("an activity without a token is refused and gets no reply", async () => {
    const res = await h.post(h.activity(people.ana, { type: "message", text: "help" }));
    assert.equal(res.status, 401);
    assert.equal(h.connector.sent.length, 0);
  });

  test("an activity with a forged token is refused", async () => {
    const response = await fetch(`${h.product.url}/api/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization:
          "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJhdWQiOiIwYjZhM2MxZS03ZDJmLTRlOGEtOWM1MS0zZjJlMWQwYzliOGEifQ.",
      },
      body: JSON.stringify(h.activity(people.ana, { type: "message", text: "help" })),
    });
    assert.equal(response.status, 401);
    await response.arrayBuffer();
    assert.equal(h.connector.sent.length, 0);
  });
});
