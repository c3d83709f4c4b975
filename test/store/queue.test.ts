import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "vitest";
import { openDatabase } from "../../src/store/db.ts";
import { startQueue } from "../../src/store/queue.ts";
import { openTestDatabase, testEngines } from "../support/database.ts";

function waitFor<T>(register: (resolve: (value: T) => void) => Promise<void>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no job within ${ms} ms`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    }).catch(reject);
  });
}

describe("job queue", () => {
  test("a job sent before a restart of the embedded database is processed after it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "quorum-queue-"));
    try {
      const first = await openDatabase({ kind: "pglite", dataDir: dir });
      await first.migrate();
      const q1 = await startQueue(first);
      const id = await q1.send("test-restart", { hello: "world" });
      assert.ok(id);
      await q1.stop();
      await first.close();

      const second = await openDatabase({ kind: "pglite", dataDir: dir });
      const q2 = await startQueue(second);
      const got = await waitFor<{ data: { hello: string }; id: string }>(
        (resolve) =>
          q2.work<{ hello: string }>("test-restart", async (data, jobId) => resolve({ data, id: jobId }), {
            pollingIntervalSeconds: 0.5,
          }),
        20_000,
      );
      assert.deepEqual(got, { data: { hello: "world" }, id });
      await q2.stop();
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const engine of testEngines().filter((e) => e === "postgres")) {
    test(`two queue instances (replicas) on ${engine} share the jobs, each processed once`, async () => {
      const database = await openTestDatabase(engine);
      const url = database.url!;
      const replicaA = await startQueue(database);
      const dbB = await openDatabase({ kind: "postgres", url, max: 2 });
      const replicaB = await startQueue(dbB);
      try {
        const seen: string[] = [];
        let finish: () => void = () => undefined;
        const done = new Promise<void>((resolve) => {
          finish = resolve;
        });
        const handler = async (data: { n: number }) => {
          seen.push(String(data.n));
          if (seen.length === 10) finish();
        };
        // Both replicas are working before any job is sent.
        await replicaA.work("test-shared", handler, { pollingIntervalSeconds: 0.5 });
        await replicaB.work("test-shared", handler, { pollingIntervalSeconds: 0.5 });
        for (let n = 0; n < 10; n++) await replicaA.send("test-shared", { n });
        await done;
        assert.deepEqual([...seen].sort(), ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
      } finally {
        await replicaA.stop();
        await replicaB.stop();
        await dbB.close();
        await database.close();
      }
    });
  }
});
