import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { members, tenants } from "../../src/store/schema.ts";
import { repoRoot } from "../support/database.ts";
import { startStack } from "../support/stack.ts";

/** What the emulator and a fresh checkout run with: published, so anyone can read these. */
const published = loadConfig({});

/** A complete microsoft-mode environment with values of its own. */
const microsoft = {
  M365_MODE: "microsoft",
  ENTRA_CLIENT_ID: "0d6b4c1e-8f3a-4b2d-9c7e-5a1f2e3d4c5b",
  ENTRA_CLIENT_SECRET: "a-secret-of-the-real-app-registration",
  SECRET_KEY: "k".repeat(32),
  BOT_APP_ID: "7e2a9c41-3b5d-4f6e-8a1c-2d3e4f5a6b7c",
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

describe("config", () => {
  test("defaults give the embedded stack: emulator, PGlite under ./.data, port 3978", () => {
    const config = loadConfig({});
    assert.equal(config.port, 3978);
    assert.equal(config.m365.mode, "emulator");
    assert.deepEqual(config.database, { kind: "pglite", dataDir: path.resolve(".data", "db") });
    assert.equal(config.devHosts, true);
    assert.equal(config.directoryRoundCron, "17 * * * *", "directories are re-read hourly");
    assert.equal(loadConfig({ DIRECTORY_ROUND_CRON: "off" }).directoryRoundCron, null);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.m365), "config is frozen");
  });

  test("DATABASE_URL selects PostgreSQL", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://u:p@127.0.0.1:5432/q" });
    assert.deepEqual(config.database, { kind: "postgres", url: "postgres://u:p@127.0.0.1:5432/q" });
  });

  test("a bad value is rejected naming the variable and the allowed values", () => {
    const port = configError({ PORT: "eighty" });
    assert.match(port.message, /PORT: /);
    assert.equal(port.issues[0]?.variable, "PORT");

    const level = configError({ LOG_LEVEL: "loud" });
    assert.match(level.message, /LOG_LEVEL: allowed values: fatal, error, warn, info, debug, trace, silent/);

    const mode = configError({ M365_MODE: "cloud" });
    assert.match(mode.message, /M365_MODE: allowed values: emulator, microsoft/);

    const db = configError({ DATABASE_URL: "mysql://x" });
    assert.match(db.message, /DATABASE_URL: must be a postgres:\/\//);

    const cron = configError({ DIRECTORY_ROUND_CRON: "every hour" });
    assert.match(
      cron.message,
      /DIRECTORY_ROUND_CRON: must be a five-field cron such as "17 \* \* \* \*" \(UTC\), or "off"/,
    );

    const several = configError({ PORT: "99999", BOT_AUTH: "maybe" });
    assert.deepEqual(several.issues.map((i) => i.variable).sort(), ["BOT_AUTH", "PORT"]);
  });

  test("Microsoft mode requires real credentials and keeps bot authentication on", () => {
    const missing = configError({ M365_MODE: "microsoft" });
    assert.deepEqual(missing.issues.map((i) => i.variable).sort(), [
      "BOT_APP_ID",
      "ENTRA_CLIENT_ID",
      "ENTRA_CLIENT_SECRET",
      "SECRET_KEY",
    ]);
    const botOff = configError({ ...microsoft, BOT_AUTH: "off" });
    assert.deepEqual(
      botOff.issues.map((i) => i.variable),
      ["BOT_AUTH"],
    );
    const ok = loadConfig(microsoft);
    assert.equal(ok.bot.auth, "on");
    assert.equal(ok.devHosts, false);
  });

  test("microsoft mode refuses DEV_HOSTS=true", () => {
    const error = configError({ ...microsoft, DEV_HOSTS: "true" });
    assert.deepEqual(
      error.issues.map((i) => i.variable),
      ["DEV_HOSTS"],
    );
    assert.match(error.message, /DEV_HOSTS: may be true only when M365_MODE=emulator/);
    assert.equal(loadConfig({ ...microsoft, DEV_HOSTS: "false" }).devHosts, false);
  });

  test("microsoft mode refuses the published default SECRET_KEY", () => {
    const error = configError({ ...microsoft, SECRET_KEY: published.secretKey });
    assert.deepEqual(
      error.issues.map((i) => i.variable),
      ["SECRET_KEY"],
    );
    assert.match(error.message, /SECRET_KEY: is the published development default/);
  });

  test("microsoft mode refuses an unset BOT_APP_ID", () => {
    const { BOT_APP_ID: _, ...withoutBot } = microsoft;
    for (const env of [withoutBot, { ...withoutBot, BOT_APP_ID: "" }]) {
      const error = configError(env);
      assert.deepEqual(
        error.issues.map((i) => i.variable),
        ["BOT_APP_ID"],
      );
      assert.match(error.message, /BOT_APP_ID: is required when M365_MODE=microsoft/);
    }
  });

  test("microsoft mode refuses the emulator's Entra app id and secret", () => {
    const error = configError({
      ...microsoft,
      ENTRA_CLIENT_ID: published.m365.clientId,
      ENTRA_CLIENT_SECRET: published.m365.clientSecret,
    });
    assert.deepEqual(error.issues.map((i) => i.variable).sort(), ["ENTRA_CLIENT_ID", "ENTRA_CLIENT_SECRET"]);
    assert.match(error.message, /ENTRA_CLIENT_SECRET: is the published development default/);
  });

  test("the dev bot chat lists only the demo tenants' people, never another tenant's directory", async () => {
    const stack = await startStack({ env: { DEV_HOSTS: "true" } });
    try {
      const db = stack.product.database.db;
      const other = "9b1d3f5a-7c2e-4a6b-8d0f-1e3c5a7b9d2f";
      await db.insert(tenants).values({ tenantId: other, status: "consented" });
      await db.insert(members).values([
        { tenantId: other, userId: "real-person", upn: "ceo@real.example", displayName: "Real CEO" },
        { tenantId: DEMO.contoso.id, userId: DEMO.contoso.users.ana.id, upn: DEMO.contoso.users.ana.upn },
      ]);
      const res = await stack.request<{ users: { tenantId: string; upn: string }[] }>(
        "GET",
        "/dev/bot/users",
      );
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        res.body.users.map((u) => u.upn),
        [DEMO.contoso.users.ana.upn],
        "only the demo tenants' people are offered",
      );
    } finally {
      await stack.stop();
    }
  });

  test("the service refuses to start with a bad value and names it", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, PORT: "not-a-port" },
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(result.status, 78, result.stderr);
    assert.match(result.stderr, /Invalid configuration:\n\s+PORT: /);
  });
});
