import assert from "node:assert/strict";
import pino from "pino";
import { test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { startProduct } from "../../src/server/product.ts";
import { openTestDatabase } from "../support/database.ts";
import { appToken, control, graphClient } from "./support.ts";

test("emulator mode starts the tenant emulator with the product and reports it in /readyz", async () => {
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    M365_MODE: "emulator",
    EMULATOR_PORT: "0",
    LOG_LEVEL: "silent",
  });
  const database = await openTestDatabase();
  const product = await startProduct(config, { database, logger: pino({ level: "silent" }) });
  try {
    const emulator = product.emulator;
    assert.ok(emulator, "product.emulator is set in emulator mode");
    assert.match(emulator.graphBaseUrl, /^https:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    assert.ok(product.startupLines.some((l) => l.includes(emulator.graphBaseUrl)));
    assert.ok(product.startupLines.some((l) => l.includes(`login authority ${emulator.authorityHost}`)));
    const ready = await fetch(`${product.url}/readyz`);
    const body = (await ready.json()) as {
      checks: { name: string; ok: boolean; graphBaseUrl?: string; authority?: string }[];
    };
    const check = body.checks.find((c) => c.name === "emulator");
    assert.deepEqual(
      { ok: check?.ok, graphBaseUrl: check?.graphBaseUrl, authority: check?.authority },
      { ok: true, graphBaseUrl: emulator.graphBaseUrl, authority: emulator.authorityHost },
    );
    // The emulator serves the app registration from config: a consented tenant hands out tokens for it.
    await control(emulator, "POST", `/tenants/${DEMO.contoso.id}/consent`, {});
    const token = await appToken(emulator, DEMO.contoso.id);
    const me = await graphClient(emulator, async () => token)
      .api(`/users/${DEMO.contoso.admin.upn}`)
      .get();
    assert.equal(me.id, DEMO.contoso.admin.id);
  } finally {
    await product.stop();
  }
});
