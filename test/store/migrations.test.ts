import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { describe, test } from "vitest";
import { auditLog, seatPools, tenants } from "../../src/store/schema.ts";
import { openTestDatabase, testEngines } from "../support/database.ts";

for (const engine of testEngines()) {
  describe(`migrations on ${engine}`, () => {
    test("create every table, run again as a no-op, and enforce the seat pool constraint", async () => {
      const database = await openTestDatabase(engine);
      try {
        const { db } = database;
        const tables = await database.executeSql(
          "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
        );
        const names = (tables.rows as { table_name: string }[]).map((r) => r.table_name);
        for (const t of [
          "tenants",
          "members",
          "seat_pools",
          "seat_assignments",
          "bookings",
          "sync_state",
          "audit_log",
          "plans",
          "plan_rows",
        ]) {
          assert.ok(names.includes(t), `table ${t} exists (have ${names.join(", ")})`);
        }
        // Idempotent: running the migrations again changes nothing and does not fail.
        await database.migrate();
        await database.migrate();

        await db.insert(tenants).values({ tenantId: "t1", displayName: "Contoso" });
        await db.insert(seatPools).values({ tenantId: "t1", kind: "sync", total: 1, used: 1 });
        await assert.rejects(
          db.update(seatPools).set({ used: 2 }).where(eq(seatPools.tenantId, "t1")),
          (error: Error) =>
            /seat_pools_used_within_total/.test(
              `${error.message} ${(error.cause as Error | undefined)?.message}`,
            ),
        );
        await db.insert(auditLog).values([
          { tenantId: "t1", action: "a" },
          { tenantId: "t1", action: "b" },
        ]);
        const rows = await db.select().from(auditLog).where(eq(auditLog.tenantId, "t1"));
        assert.equal(rows.length, 2);
        assert.notEqual(rows[0]!.auditId, rows[1]!.auditId);
      } finally {
        await database.close();
      }
    });

    test("every tenant table has tenant_id leading its primary key or a unique index", async () => {
      const database = await openTestDatabase(engine);
      try {
        const result = await database.executeSql(`
          select c.relname as table_name,
                 bool_or(a.attname = 'tenant_id' and k.ord = 1) as tenant_first
          from pg_index i
          join pg_class c on c.oid = i.indrelid
          join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
          cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
          where (i.indisprimary or i.indisunique)
          group by c.relname`);
        const rows = result.rows as {
          table_name: string;
          tenant_first: boolean;
        }[];
        assert.ok(rows.length >= 15, `found ${rows.length} keyed tables`);
        for (const row of rows)
          assert.equal(row.tenant_first, true, `${row.table_name} is keyed by tenant_id first`);
      } finally {
        await database.close();
      }
    });
  });
}
