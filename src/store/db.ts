/**
 * Opens the database: embedded PGlite (default, persisted on disk) or PostgreSQL (DATABASE_URL), both
 * driven by drizzle-orm with the same schema and the same SQL migrations.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { lockDataDir } from "./data-dir-lock.ts";
import * as schema from "./schema.ts";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** Runs one SQL text with positional parameters; used by pg-boss and raw maintenance queries. */
export type ExecuteSql = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly db: Db;
  readonly executeSql: ExecuteSql;
  /** Applies pending migrations; safe to call from several replicas at once (advisory lock). */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly closed: boolean;
  /** PostgreSQL only: the connection string (the job queue opens its own pool with it). */
  readonly url?: string;
  /** PGlite only: the underlying instance (for dumps in test templates). */
  readonly pglite?: PGlite;
}

export type DatabaseOptions =
  | { kind: "pglite"; dataDir?: string; loadDataDir?: Blob }
  | { kind: "postgres"; url: string; max?: number };

const MIGRATION_LOCK = 7_361_202_600;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "pglite") return openPglite(options);
  return openPostgres(options);
}

/**
 * PGlite in memory, or on disk under `dataDir`, which one process at a time may open (a second one is
 * refused with DataDirInUseError naming the directory and the pid holding it).
 */
async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const lock = options.dataDir ? lockDataDir(options.dataDir) : undefined;
  let pg: PGlite;
  try {
    pg = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  let closed = false;
  const executeSql: ExecuteSql = async (text, values) => {
    if (values && values.length > 0) return { rows: (await pg.query(text, values)).rows };
    const results = await pg.exec(text);
    return { rows: results.at(-1)?.rows ?? [] };
  };
  return {
    kind: "pglite",
    db,
    executeSql,
    pglite: pg,
    async migrate() {
      await migratePglite(db as never, { migrationsFolder });
    },
    async ping() {
      if (closed) throw new Error("database is closed");
      await pg.query("select 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        lock?.release();
      }
    },
    get closed() {
      return closed;
    },
  };
}

async function openPostgres(options: { url: string; max?: number }): Promise<Database> {
  const client = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => undefined,
    connection: { application_name: "quorum" },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    kind: "postgres",
    url: options.url,
    db,
    async executeSql(text, values) {
      const rows = await client.unsafe(text, (values ?? []) as never[]);
      return { rows: [...rows] };
    },
    async migrate() {
      // One replica migrates at a time: the lock is held on a reserved connection for the whole run.
      const reserved = await client.reserve();
      try {
        await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
        try {
          await migratePostgres(db as never, { migrationsFolder });
        } finally {
          await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`;
        }
      } finally {
        reserved.release();
      }
    },
    async ping() {
      if (closed) throw new Error("database is closed");
      await db.execute(sql`select 1`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.end({ timeout: 5 });
    },
    get closed() {
      return closed;
    },
  };
}
