/**
 * Test databases. PGlite tests start from a prepared template (initdb + migrations done once per run by
 * scripts/test.mjs) instead of running initdb per file. When QUORUM_TEST_DATABASE_URL points at a real
 * PostgreSQL, each call gets a fresh database on it, migrated, and dropped on close.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { type Database, openDatabase } from "../../src/store/db.ts";
import { migrationsHash } from "./migrations-hash.ts";

export const repoRoot = path.resolve(import.meta.dirname, "../..");

export function testPostgresUrl(): string | undefined {
  return process.env.QUORUM_TEST_DATABASE_URL || undefined;
}

export async function templatePath(): Promise<string> {
  return path.join(repoRoot, ".data", `test-template-${await migrationsHash()}.tar.gz`);
}

/** Creates the PGlite template if it does not exist yet (idempotent, atomic rename). */
export async function ensurePgliteTemplate(): Promise<string> {
  const file = await templatePath();
  if (existsSync(file)) return file;
  await mkdir(path.dirname(file), { recursive: true });
  const db = await openDatabase({ kind: "pglite" });
  await db.migrate();
  const blob = await db.pglite!.dumpDataDir("gzip");
  await db.close();
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
  await rename(tmp, file);
  return file;
}

export type TestEngine = "pglite" | "postgres";

/** Which engines this run covers: PGlite always, PostgreSQL too when a URL is configured. */
export function testEngines(): TestEngine[] {
  return testPostgresUrl() ? ["pglite", "postgres"] : ["pglite"];
}

/** The engine integration tests run on: PostgreSQL when configured for this run, else PGlite. */
export function defaultEngine(): TestEngine {
  return testPostgresUrl() ? "postgres" : "pglite";
}

export interface TestDatabase extends Database {
  /** For PostgreSQL: the connection string of this test's own database. */
  readonly url?: string;
}

/** Opens a migrated, empty database of the given engine. Close it when done (drops the PostgreSQL database). */
export async function openTestDatabase(engine: TestEngine = defaultEngine()): Promise<TestDatabase> {
  if (engine === "pglite") {
    const file = await ensurePgliteTemplate();
    const blob = new Blob([await readFile(file)]);
    const db = await openDatabase({ kind: "pglite", loadDataDir: blob });
    await db.migrate();
    return db;
  }
  const baseUrl = testPostgresUrl();
  if (!baseUrl) throw new Error("QUORUM_TEST_DATABASE_URL is not set");
  const name = `quorum_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString(), max: 5 });
  await db.migrate();
  const close = db.close.bind(db);
  return Object.assign(db, {
    url: url.toString(),
    async close() {
      await close();
      const dropper = postgres(baseUrl, { max: 1, onnotice: () => undefined });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  });
}
