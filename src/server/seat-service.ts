/**
 * Seats as the service runs them: the store's transactions plus what must follow a commit — pushing phone
 * numbers to Teams (assignNumber, 202 + operation polled by a queue job until done; failures recorded per
 * user; safe to retry), releasing them (unassignNumber), notifying people, and directory sync rounds —
 * on an admin's click and on a schedule: a cron tick (one per deployment, whatever the number of replicas)
 * enqueues one round per consented tenant, at most one waiting and one running per tenant.
 */
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../core/clock.ts";
import {
  type DirectorySource,
  type DirectorySyncReport,
  type Notice,
  type Notifier,
  syncDirectory,
} from "../core/directory/sync.ts";
import { DomainError } from "../core/errors.ts";
import { planRuleSeats } from "../core/seats/plan.ts";
import type { Telephony } from "../core/seats/telephony.ts";
import { GraphError } from "../graph/errors.ts";
import type { Database } from "../store/db.ts";
import { createDirectoryStore } from "../store/directory.ts";
import type { JobQueue } from "../store/queue.ts";
import { tenants } from "../store/schema.ts";
import type { NumberWork, SeatStore } from "../store/seats.ts";

export const NUMBER_JOB = "seats.number";
/** The scheduled tick that starts a directory round for every consented tenant. */
export const DIRECTORY_TICK_JOB = "directory.tick";
/** One tenant's directory round. */
export const DIRECTORY_ROUND_JOB = "directory.round";

export interface NumberJob {
  tenantId: string;
  number: string;
  userId: string;
  action: "assign" | "unassign";
}

export interface SeatServiceDeps {
  database: Database;
  clock: Clock;
  seats: SeatStore;
  queue: JobQueue;
  telephony: Telephony;
  /** Where the tenant's directory comes from (Graph `/users/delta` in production). */
  directorySource: (tenantId: string) => DirectorySource;
  notifier: Notifier;
  logger: Logger;
  /** Seconds between polls of a number operation. */
  pollSeconds?: number;
  /** Cron (UTC) of the scheduled directory rounds; null or absent: only on an admin's click. */
  directoryRoundCron?: string | null;
}

/** Notifications are written to the audit log (so admins can query them) and to the log; a bot can add delivery. */
export function createAuditNotifier(
  seats: SeatStore,
  logger: Logger,
  deliver?: (tenantId: string, to: "admins" | { userId: string }, notice: Notice) => Promise<void>,
): Notifier {
  return {
    async notifyAdmins(tenantId, notice) {
      await seats.audit(tenantId, [
        {
          actorUserId: null,
          action: "notice.admins",
          targetType: "topic",
          targetId: notice.topic,
          after: notice,
        },
      ]);
      logger.info({ tenantId, topic: notice.topic }, notice.text);
      await deliver?.(tenantId, "admins", notice);
    },
    async notifyUser(tenantId, userId, notice) {
      await seats.audit(tenantId, [
        { actorUserId: null, action: "notice.user", targetType: "user", targetId: userId, after: notice },
      ]);
      logger.info({ tenantId, userId, topic: notice.topic }, notice.text);
      await deliver?.(tenantId, { userId }, notice);
    },
  };
}

export type SeatService = ReturnType<typeof createSeatService>;

export function createSeatService(deps: SeatServiceDeps) {
  const { seats, queue, telephony, logger } = deps;
  const pollSeconds = deps.pollSeconds ?? 1;
  const directoryStore = createDirectoryStore(deps.database, deps.clock);

  async function enqueue(tenantId: string, work: NumberWork): Promise<void> {
    for (const a of work.unassign) {
      await queue.send<NumberJob>(NUMBER_JOB, {
        tenantId,
        number: a.number,
        userId: a.userId,
        action: "unassign",
      });
    }
    for (const a of work.assign) {
      await queue.send<NumberJob>(NUMBER_JOB, {
        tenantId,
        number: a.number,
        userId: a.userId,
        action: "assign",
      });
    }
  }

  /** One step of a number job: start the operation if needed, then poll it; re-enqueues itself while running. */
  async function runNumberJob(job: NumberJob): Promise<void> {
    const record = await seats.numberRecord(job.tenantId, job.number);
    const wanted = job.action === "assign" ? "assigning" : "unassigning";
    if (!record || record.state !== wanted || record.assignedUserId !== job.userId) {
      logger.debug({ job, state: record?.state }, "number job no longer applies");
      return;
    }
    try {
      let operation = record.operationId;
      if (!operation) {
        const started =
          job.action === "assign"
            ? await telephony.assignNumber(job.tenantId, {
                number: job.number,
                userId: job.userId,
                numberType: record.numberType,
              })
            : await telephony.unassignNumber(job.tenantId, {
                number: job.number,
                numberType: record.numberType,
              });
        operation = started.operation;
        await seats.recordNumberState(job.tenantId, job.number, { state: wanted, operationId: operation });
      }
      const state = await telephony.operation(job.tenantId, operation);
      if (state.status === "running") {
        await queue.send<NumberJob>(NUMBER_JOB, job, { startAfterSeconds: pollSeconds });
        return;
      }
      if (state.status === "succeeded") {
        await seats.recordNumberState(job.tenantId, job.number, {
          state: job.action === "assign" ? "assigned" : "free",
        });
        return;
      }
      await seats.recordNumberState(job.tenantId, job.number, {
        state: "failed",
        error: { code: state.code, message: state.message },
      });
    } catch (error) {
      // Client errors will not fix themselves: record them for the admin. Others are retried by the queue.
      if (error instanceof GraphError && error.status >= 400 && error.status < 500 && !error.throttled) {
        await seats.recordNumberState(job.tenantId, job.number, {
          state: "failed",
          error: { code: error.code, message: error.message },
        });
        return;
      }
      throw error;
    }
  }

  /**
   * Moves the group-rule queue: when licences are free, queued members get seats in directory order.
   * Only additions happen automatically (as a committed "rule" plan, audited); removals stay plan-first.
   */
  async function advanceRuleQueue(tenantId: string): Promise<number> {
    const rules = await seats.rules(tenantId);
    if (rules.length === 0) return 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const state = await seats.seatState(tenantId);
      const computed = await planRuleSeats({
        rules,
        membersOf: (groupId) => seats.groupMembers(tenantId, groupId),
        ...state,
      });
      const adds = computed.rows.filter((r) => r.action === "add");
      if (adds.length === 0) return 0;
      const plan = await seats.savePlan(
        tenantId,
        { ...computed, rows: adds },
        { baseVersion: state.version, createdBy: "quorum" },
      );
      try {
        const { numbers } = await seats.commitPlan(tenantId, plan.planId, "quorum");
        await enqueue(tenantId, numbers);
        await deps.notifier.notifyAdmins(tenantId, {
          topic: "seats.restored",
          text: `${adds.length} queued group member(s) got a seat as licences freed up.`,
          details: { planId: plan.planId, users: adds.map((r) => r.userId) },
        });
        return adds.length;
      } catch (error) {
        // Someone changed seats in between: plan again from the new state.
        if (!(error instanceof DomainError && error.code === "PLAN_STALE")) throw error;
      }
    }
    return 0;
  }

  /** Per tenant: the end of the latest directory round (never rejects). */
  const rounds = new Map<string, Promise<void>>();

  const service = {
    enqueue,
    runNumberJob,
    advanceRuleQueue,

    async start(): Promise<void> {
      await queue.work<NumberJob>(NUMBER_JOB, (data) => runNumberJob(data), { pollingIntervalSeconds: 0.5 });
      await queue.declare(DIRECTORY_ROUND_JOB, "stately");
      await queue.work<{ tenantId: string }>(DIRECTORY_ROUND_JOB, ({ tenantId }) => scheduledRound(tenantId));
      await queue.work(DIRECTORY_TICK_JOB, () => startRounds());
      if (deps.directoryRoundCron) await queue.schedule(DIRECTORY_TICK_JOB, deps.directoryRoundCron);
      else await queue.unschedule(DIRECTORY_TICK_JOB);
    },

    /** Pushes a failed number again (same number, same user); safe to call more than once. */
    async retryNumber(tenantId: string, userId: string, actorUserId: string): Promise<void> {
      const seat = (await seats.seats(tenantId, { kind: "calling", userId }))[0];
      if (!seat?.phoneNumber)
        throw new DomainError("NOT_FOUND", "The user has no calling seat with a number.");
      const record = await seats.numberRecord(tenantId, seat.phoneNumber);
      if (record?.state !== "failed") {
        throw new DomainError(
          "CONFLICT",
          `The number is ${record?.state ?? "unknown"}; only a failed push is retried.`,
        );
      }
      await seats.recordNumberState(tenantId, seat.phoneNumber, { state: "assigning", operationId: null });
      await seats.audit(tenantId, [
        {
          actorUserId,
          action: "seat.number_retried",
          targetType: "user",
          targetId: userId,
          after: { number: seat.phoneNumber },
        },
      ]);
      await enqueue(tenantId, { assign: [{ userId, number: seat.phoneNumber }], unassign: [] });
    },

    /** Imports the tenant's unassigned Teams numbers into the number pool. */
    async importNumbers(tenantId: string, actorUserId: string): Promise<number> {
      const byType = new Map<string, string[]>();
      for await (const n of telephony.numbers(tenantId)) {
        if (n.assignedTo !== null) continue;
        const list = byType.get(n.numberType) ?? [];
        list.push(n.number);
        byType.set(n.numberType, list);
      }
      let added = 0;
      for (const [type, numbers] of byType)
        added += await seats.addNumbers(tenantId, numbers, type, actorUserId);
      return added;
    },

    /** Runs a directory round; rounds of one tenant run one after another (in this process). */
    syncDirectory(tenantId: string): Promise<DirectorySyncReport & { queueAdvanced: number }> {
      // Each round's outcome goes to its own caller; the next round only waits for it to end.
      const previous = rounds.get(tenantId) ?? Promise.resolve();
      const next = previous.then(() => directoryRound(tenantId));
      const ended = next.then(
        () => undefined,
        () => undefined,
      );
      rounds.set(tenantId, ended);
      void ended.then(() => {
        if (rounds.get(tenantId) === ended) rounds.delete(tenantId);
      });
      return next;
    },
  };
  return service;

  /** The tick: one round per consented tenant (a tenant whose round is already waiting gets no second). */
  async function startRounds(): Promise<void> {
    const consented = await deps.database.db
      .select({ tenantId: tenants.tenantId })
      .from(tenants)
      .where(eq(tenants.status, "consented"));
    for (const { tenantId } of consented) {
      await queue.send(DIRECTORY_ROUND_JOB, { tenantId }, { singletonKey: tenantId, retryLimit: 0 });
    }
    logger.info({ tenants: consented.length }, "scheduled directory rounds started");
  }

  /** A scheduled round: the round keeps its failure on the tenant (Seat pools shows it); the next tick tries again. */
  async function scheduledRound(tenantId: string): Promise<void> {
    try {
      const report = await service.syncDirectory(tenantId);
      logger.info({ tenantId, users: report.users, full: report.full }, "scheduled directory round done");
    } catch (error) {
      logger.warn({ err: error, tenantId }, "scheduled directory round failed");
    }
  }

  /**
   * A round, its outcome kept on the tenant for the Seat pools section: a failure records why (and tells
   * the admins once, when rounds start failing, not at every tick); a success clears it.
   */
  async function directoryRound(tenantId: string): Promise<DirectorySyncReport & { queueAdvanced: number }> {
    try {
      const report = await readDirectory(tenantId);
      await deps.database.db
        .update(tenants)
        .set({ directoryRoundError: null, directoryRoundFailedAt: null })
        .where(and(eq(tenants.tenantId, tenantId), isNotNull(tenants.directoryRoundError)));
      return report;
    } catch (error) {
      const message =
        error instanceof GraphError
          ? error.toDomainError().message
          : error instanceof Error
            ? error.message
            : String(error);
      const failure = { directoryRoundError: message, directoryRoundFailedAt: new Date(deps.clock.now()) };
      // Only the update that finds no earlier failure tells the admins: one notice however many replicas
      // fail at once. Lost consent is told to the owners by its own notice.
      const first = await deps.database.db
        .update(tenants)
        .set(failure)
        .where(and(eq(tenants.tenantId, tenantId), isNull(tenants.directoryRoundError)))
        .returning({ tenantId: tenants.tenantId });
      if (first.length === 0)
        await deps.database.db.update(tenants).set(failure).where(eq(tenants.tenantId, tenantId));
      else if (!(error instanceof DomainError && error.code === "RECONNECT_NEEDED")) {
        await deps.notifier.notifyAdmins(tenantId, {
          topic: "directory.round_failed",
          text: `Quorum could not read your directory: ${message}`,
          details: { message },
        });
      }
      throw error;
    }
  }

  async function readDirectory(tenantId: string): Promise<DirectorySyncReport & { queueAdvanced: number }> {
    const report = await syncDirectory({
      tenantId,
      source: deps.directorySource(tenantId),
      store: directoryStore,
      notifier: deps.notifier,
      seats: {
        async suspend(t, userIds, reason, permanent) {
          const result = await seats.suspendSeats(t, userIds, reason, { permanent });
          await enqueue(t, result.numbers);
          return result.seats.length;
        },
        async restore(t, userIds, reason) {
          const result = await seats.restoreSeats(t, userIds, reason);
          await enqueue(t, result.numbers);
          return { restored: result.restored.length, waiting: result.waiting.length };
        },
      },
    });
    return { ...report, queueAdvanced: await advanceRuleQueue(tenantId) };
  }
}
