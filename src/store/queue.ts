/**
 * The job queue lives in the same database (pg-boss). On PostgreSQL every replica shares it; on the
 * embedded PGlite it runs in-process through pg-boss's `db.executeSql` seam. Jobs survive restarts.
 */
import PgBoss from "pg-boss";
import type { Database } from "./db.ts";

export interface JobQueue {
  /**
   * Enqueues a job. On a queue declared "stately", `singletonKey` keeps at most one waiting and one running
   * job per key (a duplicate is dropped: null). Returns the job id.
   */
  send<T extends object>(
    name: string,
    data: T,
    options?: { singletonKey?: string; startAfterSeconds?: number; retryLimit?: number },
  ): Promise<string | null>;
  /** Registers a handler; jobs are fetched in batches of one per worker. */
  work<T extends object>(
    name: string,
    handler: (data: T, jobId: string) => Promise<void>,
    options?: { pollingIntervalSeconds?: number },
  ): Promise<void>;
  /** Creates a queue with a policy before its first use ("stately": one waiting and one running per key). */
  declare(name: string, policy: "standard" | "stately"): Promise<void>;
  /** Sends `data` to the queue `name` on a five-field cron (UTC); one schedule per name, shared by replicas. */
  schedule(name: string, cron: string, data?: object): Promise<void>;
  unschedule(name: string): Promise<void>;
  /** Stops fetching, waits for running handlers (up to `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startQueue(
  database: Database,
  options: { onError?: (error: Error) => void } = {},
): Promise<JobQueue> {
  // On PostgreSQL pg-boss runs its own small pool (its commands use transactions, which need a dedicated
  // connection); on PGlite it shares the in-process database through `executeSql`.
  const connectionString = database.kind === "postgres" ? database.url : undefined;
  if (database.kind === "postgres" && !connectionString)
    throw new Error("the job queue needs the PostgreSQL URL");
  const boss = connectionString
    ? new PgBoss({
        connectionString,
        schema: "pgboss",
        max: 4,
        application_name: "quorum-queue",
      })
    : new PgBoss({
        db: { executeSql: (text, values) => database.executeSql(text, values) },
        schema: "pgboss",
      });
  boss.on("error", (error: Error) => options.onError?.(error));
  await boss.start();
  const created = new Set<string>();
  const ensure = async (name: string, policy: "standard" | "stately" = "standard") => {
    if (created.has(name)) return;
    await boss.createQueue(name, { name, policy });
    created.add(name);
  };
  return {
    async send(name, data, opts) {
      await ensure(name);
      return boss.send(name, data, {
        ...(opts?.singletonKey ? { singletonKey: opts.singletonKey } : {}),
        ...(opts?.startAfterSeconds ? { startAfter: opts.startAfterSeconds } : {}),
        retryLimit: opts?.retryLimit ?? 5,
        retryBackoff: true,
      });
    },
    async work(name, handler, opts) {
      await ensure(name);
      await boss.work<typeof handler extends (d: infer D, id: string) => Promise<void> ? D : never>(
        name,
        { pollingIntervalSeconds: opts?.pollingIntervalSeconds ?? 1, batchSize: 1 },
        async (jobs) => {
          for (const job of jobs) await handler(job.data as never, job.id);
        },
      );
    },
    async declare(name, policy) {
      await ensure(name, policy);
    },
    async schedule(name, cron, data) {
      await ensure(name);
      await boss.schedule(name, cron, data ?? {}, { tz: "UTC" });
    },
    async unschedule(name) {
      await ensure(name);
      await boss.unschedule(name);
    },
    async stop(timeoutMs = 10_000) {
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
    },
  };
}
