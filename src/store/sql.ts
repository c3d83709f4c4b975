/**
 * What the store's modules share: a connection or transaction to run on, PostgreSQL's error codes (looked
 * up through drizzle's wrappers), raw result rows on either driver, and batched inserts.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./db.ts";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** The database, or a transaction on it. */
export type Conn = Db | Tx;

export const CHECK_VIOLATION = "23514";
export const UNIQUE_VIOLATION = "23505";

/** The first own property `key` of an error or of one of its causes (drizzle wraps driver errors). */
function fromCauses(error: unknown, read: (e: object) => string | undefined): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    const found = read(e);
    if (found !== undefined) return found;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The PostgreSQL error code (SQLSTATE) of a driver error. */
export function pgErrorCode(error: unknown): string | undefined {
  return fromCauses(error, (e) => {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  });
}

/** The constraint a driver error names (postgres.js: `constraint_name`, PGlite: `constraint`). */
export function pgConstraint(error: unknown): string | undefined {
  return fromCauses(error, (e) => {
    const name =
      (e as { constraint_name?: unknown; constraint?: unknown }).constraint_name ??
      (e as { constraint?: unknown }).constraint;
    return typeof name === "string" ? name : undefined;
  });
}

/** Rows of a raw `execute` result (PGlite answers `{rows}`, postgres.js an array). */
export function rowsOf<T>(result: unknown): T[] {
  const r = result as { rows?: T[] } | T[];
  return Array.isArray(r) ? r : (r.rows ?? []);
}

const BATCH = 1000;

export function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts many rows with one parameter: the batch as JSON, unpacked by `jsonb_to_recordset`. On PGlite
 * this is an order of magnitude faster than binding every value as its own parameter. `onConflict`
 * (e.g. "on conflict do nothing") is appended; answers how many rows were inserted.
 */
export async function bulkInsert(
  conn: Conn,
  table: string,
  columns: readonly (readonly [name: string, type: string])[],
  rows: readonly Record<string, unknown>[],
  onConflict = "",
): Promise<number> {
  const names = columns.map(([n]) => n).join(", ");
  const types = columns.map(([n, t]) => `${n} ${t}`).join(", ");
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 5000) {
    const json = JSON.stringify(rows.slice(i, i + 5000));
    const result = await conn.execute(
      sql`insert into ${sql.identifier(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${json}::jsonb) as x(${sql.raw(types)}) ${sql.raw(onConflict ? `${onConflict} returning 1 as one` : "")}`,
    );
    // Without a conflict clause every row is inserted (or the statement fails).
    inserted += onConflict ? rowsOf(result).length : Math.min(5000, rows.length - i);
  }
  return inserted;
}
