/**
 * Number push jobs on the real store (PGlite / PostgreSQL) with the in-memory phone system and an
 * in-memory job queue that hands jobs over when told to (so duplicate delivery can be replayed).
 */
import assert from "node:assert/strict";
import pino from "pino";
import { describe, test } from "vitest";
import { MemoryDirectorySource, RecordingNotifier } from "../../src/core/directory/memory.ts";
import { RecordingTeams } from "../../src/core/seats/memory.ts";
import { MemoryTelephony } from "../../src/core/seats/memory-telephony.ts";
import { SeatService } from "../../src/core/seats/service.ts";
import { GraphError } from "../../src/graph/errors.ts";
import {
  createSeatJobs,
  NUMBER_JOB,
  type NumberJob,
  queueNumberPushes,
} from "../../src/server/jobs/seat-jobs.ts";
import type { JobQueue } from "../../src/store/queue.ts";
import { members, tenants } from "../../src/store/schema.ts";
import { DrizzleSeatStore } from "../../src/store/seats/store.ts";
import { openTestDatabase, testEngines } from "../support/database.ts";

const T = "tenant-numbers";
const admin = { tenantId: T, userId: "admin", displayName: "Admin" };

class ManualQueue implements JobQueue {
  readonly pending: NumberJob[] = [];
  async send<D extends object>(name: string, data: D): Promise<string> {
    assert.equal(name, NUMBER_JOB);
    this.pending.push(data as unknown as NumberJob);
    return String(this.pending.length);
  }
  /** Jobs are run by the test itself, one `runNumberJob` at a time. */
  async work(): Promise<void> {
    return undefined;
  }
  async declare(): Promise<void> {
    return undefined;
  }
  async schedule(): Promise<void> {
    return undefined;
  }
  async unschedule(): Promise<void> {
    return undefined;
  }
  async stop(): Promise<void> {
    this.pending.length = 0;
  }
}

for (const engine of testEngines()) {
  describe(`number push jobs on ${engine}`, () => {
    const setup = async () => {
      const database = await openTestDatabase(engine);
      await database.db.insert(tenants).values({ tenantId: T, status: "consented" });
      await database.db.insert(members).values(
        ["ada", "bob"].map((u, i) => ({
          tenantId: T,
          userId: u,
          upn: `${u}@contoso.com`,
          mail: `${u}@contoso.com`,
          directoryOrder: i,
        })),
      );
      const clock = { now: () => Date.parse("2026-11-21T10:00:00Z") };
      const store = new DrizzleSeatStore(database, clock);
      const queue = new ManualQueue();
      const telephony = new MemoryTelephony();
      const notifier = new RecordingNotifier();
      const seats = new SeatService({
        store,
        numbers: queueNumberPushes(queue),
        notices: notifier,
        teams: new RecordingTeams(),
        telephony,
        limits: { calling: 10, sync: 10 },
      });
      const jobs = createSeatJobs({
        database,
        clock,
        store,
        seats,
        queue,
        telephony,
        directorySource: () => new MemoryDirectorySource(),
        notifier,
        logger: pino({ level: "silent" }),
      });
      await seats.setPoolSize(admin, "calling", 5);
      return { database, store, seats, queue, telephony, jobs };
    };

    test("a job delivered twice starts one Teams operation and settles once", async () => {
      const { database, store, seats, queue, telephony, jobs } = await setup();
      try {
        telephony.add("+14255550100");
        await seats.addNumbers(admin, ["+14255550100"], "callingPlan");
        await seats.assign(admin, { userId: "ada", kind: "calling" });
        const job = queue.pending.shift()!;
        // The same job twice (at-least-once delivery): the second run finds the stored operation.
        await jobs.runNumberJob(job);
        await jobs.runNumberJob(job);
        assert.deepEqual(telephony.calls, ["assign +14255550100 ada"]);
        while (queue.pending.length > 0) await jobs.runNumberJob(queue.pending.shift()!);
        assert.equal((await store.numberRecord(T, "+14255550100"))?.state, "assigned");
        assert.equal((await store.seats(T, { userId: "ada" }))[0]?.state, "active");
        assert.equal(telephony.inventory.get("+14255550100")?.assignedTo, "ada");

        // Release: unassignNumber, then the number is free again in both places.
        await seats.release(admin, { userId: "ada", kind: "calling" });
        while (queue.pending.length > 0) await jobs.runNumberJob(queue.pending.shift()!);
        assert.equal(telephony.inventory.get("+14255550100")?.assignedTo, null);
        const record = await store.numberRecord(T, "+14255550100");
        assert.deepEqual([record?.state, record?.assignedUserId], ["free", null]);
      } finally {
        await database.close();
      }
    });

    test("a refused push shows on the user's seat and can be retried once fixed", async () => {
      const { database, store, seats, queue, telephony, jobs } = await setup();
      try {
        await seats.addNumbers(admin, ["+14255550111"], "callingPlan");
        await seats.assign(admin, { userId: "bob", kind: "calling" });
        while (queue.pending.length > 0) await jobs.runNumberJob(queue.pending.shift()!);
        const failed = (await store.seats(T, { userId: "bob" }))[0]!;
        assert.equal(failed.state, "failed");
        assert.equal(failed.lastErrorCode, "NumberNotFound");

        telephony.add("+14255550111");
        await seats.retryNumber(admin, "bob");
        while (queue.pending.length > 0) await jobs.runNumberJob(queue.pending.shift()!);
        assert.equal((await store.seats(T, { userId: "bob" }))[0]?.state, "active");
        await assert.rejects(seats.retryNumber(admin, "bob"), /only a failed push is retried/);
      } finally {
        await database.close();
      }
    });

    test("Graph client errors are recorded per user; server errors are left to the queue's retries", async () => {
      const { database, store, seats, queue, telephony, jobs } = await setup();
      try {
        telephony.add("+14255550122");
        await seats.addNumbers(admin, ["+14255550122"], "callingPlan");
        await seats.assign(admin, { userId: "ada", kind: "calling" });
        const job = queue.pending.shift()!;
        const assign = telephony.assignNumber.bind(telephony);
        telephony.assignNumber = async () => {
          throw new GraphError({
            status: 503,
            code: "ServiceUnavailable",
            message: "try later",
            method: "POST",
            path: "/x",
          });
        };
        await assert.rejects(jobs.runNumberJob(job), /ServiceUnavailable/);
        assert.equal((await store.numberRecord(T, "+14255550122"))?.state, "assigning", "still to do");
        telephony.assignNumber = async () => {
          throw new GraphError({
            status: 403,
            code: "Forbidden",
            message: "missing permission",
            method: "POST",
            path: "/x",
          });
        };
        await jobs.runNumberJob(job);
        const seat = (await store.seats(T, { userId: "ada" }))[0]!;
        assert.deepEqual([seat.state, seat.lastErrorCode], ["failed", "Forbidden"]);
        telephony.assignNumber = assign;
      } finally {
        await database.close();
      }
    });
  });
}
