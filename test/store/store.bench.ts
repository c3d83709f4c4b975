/**
 * Store throughput: batched insert and point-read of members through drizzle, on PGlite (always) and on
 * PostgreSQL (when QUORUM_BENCH_DATABASE_URL is set). Baselines, measured in the same run: the same work
 * as raw SQL on the same engine (the query builder's overhead), and PGlite against PostgreSQL.
 */
import { and, eq } from "drizzle-orm";
import { type Database, openDatabase } from "../../src/store/db.ts";
import { members } from "../../src/store/schema.ts";
import { opsPerSecond, reportBench } from "../support/bench.ts";
import { openTestDatabase } from "../support/database.ts";

const ROWS = 5000;
const BATCH = 500;

async function measure(database: Database, tenantId: string) {
  let seq = 0;
  const insertRowsPerSec = await opsPerSecond(async () => {
    const values = Array.from({ length: BATCH }, () => {
      const n = seq++;
      return {
        tenantId,
        userId: `u${n}`,
        upn: `user${n}@contoso.com`,
        displayName: `User ${n}`,
        mail: `user${n}@contoso.com`,
      };
    });
    await database.db.insert(members).values(values);
  }, 1500);
  const rawInsertRowsPerSec = await opsPerSecond(async () => {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = seq++;
      params.push(`${tenantId}-raw`, `u${n}`, `user${n}@contoso.com`, `User ${n}`);
      const b = i * 4;
      tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4})`);
    }
    await database.executeSql(
      `insert into members (tenant_id, user_id, upn, display_name) values ${tuples.join(",")}`,
      params,
    );
  }, 1500);
  let k = 0;
  const readsPerSec = await opsPerSecond(async () => {
    const id = `u${k++ % ROWS}`;
    await database.db
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.userId, id)))
      .limit(1);
  }, 1500);
  const rawReadsPerSec = await opsPerSecond(async () => {
    const id = `u${k++ % ROWS}`;
    await database.executeSql("select * from members where tenant_id = $1 and user_id = $2 limit 1", [
      tenantId,
      id,
    ]);
  }, 1500);
  return {
    insert: insertRowsPerSec * BATCH,
    rawInsert: rawInsertRowsPerSec * BATCH,
    reads: readsPerSec,
    rawReads: rawReadsPerSec,
  };
}

const pglite = await openTestDatabase("pglite");
const lite = await measure(pglite, "bench");
await pglite.close();
reportBench({
  name: "store insert rows/s (PGlite, drizzle, batches of 500)",
  unit: "rows/s",
  ours: lite.insert,
  baseline: lite.rawInsert,
  baselineName: "raw SQL on PGlite",
  higherIsBetter: true,
});
reportBench({
  name: "store point reads/s (PGlite, drizzle)",
  unit: "ops/s",
  ours: lite.reads,
  baseline: lite.rawReads,
  baselineName: "raw SQL on PGlite",
  higherIsBetter: true,
});

const url = process.env.QUORUM_BENCH_DATABASE_URL;
if (url) {
  const pg = await openDatabase({ kind: "postgres", url });
  await pg.migrate();
  await pg.executeSql("delete from members where tenant_id like 'bench%'");
  const real = await measure(pg, "bench");
  await pg.executeSql("delete from members where tenant_id like 'bench%'");
  await pg.close();
  reportBench({
    name: "store insert rows/s (PostgreSQL, drizzle)",
    unit: "rows/s",
    ours: real.insert,
    baseline: lite.insert,
    baselineName: "PGlite",
    higherIsBetter: true,
  });
  reportBench({
    name: "store point reads/s (PostgreSQL, drizzle)",
    unit: "ops/s",
    ours: real.reads,
    baseline: lite.reads,
    baselineName: "PGlite",
    higherIsBetter: true,
  });
} else {
  process.stdout.write("PostgreSQL figures skipped: set QUORUM_BENCH_DATABASE_URL to include them.\n");
}
