import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { repoRoot } from "../support/database.ts";

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
    assert.deepEqual(missing.issues.map((i) => i.variable).sort(), ["ENTRA_CLIENT_SECRET", "SECRET_KEY"]);
    const botOff = configError({
      M365_MODE: "microsoft",
      ENTRA_CLIENT_SECRET: "s",
      SECRET_KEY: "k".repeat(32),
      BOT_AUTH: "off",
    });
    assert.equal(botOff.issues[0]?.variable, "BOT_AUTH");
    const ok = loadConfig({ M365_MODE: "microsoft", ENTRA_CLIENT_SECRET: "s", SECRET_KEY: "k".repeat(32) });
    assert.equal(ok.bot.auth, "on");
    assert.equal(ok.devHosts, false);
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
