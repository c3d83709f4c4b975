/**
 * The seat service's background work on the job queue:
 * - number pushes: a calling seat's number is assigned to its user in Teams (assignNumber, 202 + operation
 *   polled by the job until done; failures recorded per user; safe to retry) or released (unassignNumber);
 * - directory rounds, on an admin's click and on a schedule: a cron tick (one per deployment, whatever the
 *   number of replicas) enqueues one round per consented tenant, at most one waiting and one running per
 *   tenant; seats follow the directory through the seat service.
 * Notices are audited (admins can query them), logged, and delivered by the bot.
 */
import type { Logger } from "pino";
import type { Clock } from "../../core/clock.ts";
import { type DirectorySource, type DirectorySyncReport, syncDirectory } from "../../core/directory/sync.ts";
import { DomainError } from "../../core/errors.ts";
import { adminNotice, type Notifier } from "../../core/notifier.ts";
import type { NumberPushes, NumberWork, SeatStore } from "../../core/seats/ports.ts";
import type { SeatService } from "../../core/seats/service.ts";
import type { Telephony } from "../../core/seats/telephony.ts";
import { GraphError } from "../../graph/errors.ts";
import type { Database } from "../../store/db.ts";
import {
  clearDirectoryRoundFailure,
  createDirectoryStore,
  recordDirectoryRoundFailure,
} from "../../store/directory.ts";
import type { JobQueue } from "../../store/queue.ts";
import { consentedTenantIds } from "../../store/tenants.ts";

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

/** Number work becomes one job per number: releases first, then assignments. */
export function queueNumberPushes(queue: JobQueue): NumberPushes {
  return {
    async push(tenantId: string, work: NumberWork) {
      const jobs = [
        ...work.unassign.map((a) => ({ ...a, action: "unassign" as const })),
        ...work.assign.map((a) => ({ ...a, action: "assign" as const })),
      ];
      for (const { userId, number, action } of jobs) {
        await queue.send<NumberJob>(NUMBER_JOB, { tenantId, number, userId, action });
      }
    },
  };
}

/**
 * Notices are written to the audit log (so admins can query them) and to the log, then delivered by
 * `next`; other notifications pass straight through.
 */
export function auditedNotices(store: Pick<SeatStore, "audit">, logger: Logger, next: Notifier): Notifier {
  return {
    async notify(notification) {
      if (notification.kind === "adminNotice") {
        const { tenantId, notice } = notification;
        await store.audit(tenantId, [
          {
            actorUserId: null,
            action: "notice.admins",
            targetType: "topic",
            targetId: notice.topic,
            after: notice,
          },
        ]);
        logger.info({ tenantId, topic: notice.topic }, notice.text);
      } else if (notification.kind === "userNotice") {
        const { tenantId, userId, notice } = notification;
        await store.audit(tenantId, [
          { actorUserId: null, action: "notice.user", targetType: "user", targetId: userId, after: notice },
        ]);
        logger.info({ tenantId, userId, topic: notice.topic }, notice.text);
      }
      return next.notify(notification);
    },
  };
}

export interface SeatJobsDeps {
  database: Database;
  clock: Clock;
  store: SeatStore;
  /** Seats follow the directory through it; freed licences go to its rule queue. */
  seats: Pick<SeatService, "suspend" | "restore" | "advanceRuleQueue">;
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

export type SeatJobs = ReturnType<typeof createSeatJobs>;

export function createSeatJobs(deps: SeatJobsDeps) {
  const { store, queue, telephony, logger } = deps;
  const pollSeconds = deps.pollSeconds ?? 1;
  const directoryStore = createDirectoryStore(deps.database, deps.clock);

  /** One step of a number job: start the operation if needed, then poll it; re-enqueues itself while running. */
  async function runNumberJob(job: NumberJob): Promise<void> {
    const record = await store.numberRecord(job.tenantId, job.number);
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
        await store.recordNumberState(job.tenantId, job.number, { state: wanted, operationId: operation });
      }
      const state = await telephony.operation(job.tenantId, operation);
      if (state.status === "running") {
        await queue.send<NumberJob>(NUMBER_JOB, job, { startAfterSeconds: pollSeconds });
        return;
      }
      if (state.status === "succeeded") {
        await store.recordNumberState(job.tenantId, job.number, {
          state: job.action === "assign" ? "assigned" : "free",
        });
        return;
      }
      await store.recordNumberState(job.tenantId, job.number, {
        state: "failed",
        error: { code: state.code, message: state.message },
      });
    } catch (error) {
      // Client errors will not fix themselves: record them for the admin. Others are retried by the queue.
      if (error instanceof GraphError && error.status >= 400 && error.status < 500 && !error.throttled) {
        await store.recordNumberState(job.tenantId, job.number, {
          state: "failed",
          error: { code: error.code, message: error.message },
        });
        return;
      }
      throw error;
    }
  }

  /** Per tenant: the end of the latest directory round (never rejects). */
  const rounds = new Map<string, Promise<void>>();

  const jobs = {
    runNumberJob,

    async start(): Promise<void> {
      await queue.work<NumberJob>(NUMBER_JOB, (data) => runNumberJob(data), { pollingIntervalSeconds: 0.5 });
      await queue.declare(DIRECTORY_ROUND_JOB, "stately");
      await queue.work<{ tenantId: string }>(DIRECTORY_ROUND_JOB, ({ tenantId }) => scheduledRound(tenantId));
      await queue.work(DIRECTORY_TICK_JOB, () => startRounds());
      if (deps.directoryRoundCron) await queue.schedule(DIRECTORY_TICK_JOB, deps.directoryRoundCron);
      else await queue.unschedule(DIRECTORY_TICK_JOB);
    },

    /**
     * Runs a directory round; rounds of one tenant run one after another (in this process). A round an
     * admin asked for is audited as theirs.
     */
    async syncDirectory(
      tenantId: string,
      requestedBy?: string,
    ): Promise<DirectorySyncReport & { queueAdvanced: number }> {
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
      const report = await next;
      if (requestedBy !== undefined) {
        await store.audit(tenantId, [
          { actorUserId: requestedBy, action: "directory.synced", targetType: "tenant", after: report },
        ]);
      }
      return report;
    },
  };
  return jobs;

  /** The tick: one round per consented tenant (a tenant whose round is already waiting gets no second). */
  async function startRounds(): Promise<void> {
    const consented = await consentedTenantIds(deps.database.db);
    for (const tenantId of consented) {
      await queue.send(DIRECTORY_ROUND_JOB, { tenantId }, { singletonKey: tenantId, retryLimit: 0 });
    }
    logger.info({ tenants: consented.length }, "scheduled directory rounds started");
  }

  /** A scheduled round: the round keeps its failure on the tenant (Seat pools shows it); the next tick tries again. */
  async function scheduledRound(tenantId: string): Promise<void> {
    try {
      const report = await jobs.syncDirectory(tenantId);
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
      await clearDirectoryRoundFailure(deps.database.db, tenantId);
      return report;
    } catch (error) {
      const message =
        error instanceof GraphError
          ? error.toDomainError().message
          : error instanceof Error
            ? error.message
            : String(error);
      const first = await recordDirectoryRoundFailure(
        deps.database.db,
        tenantId,
        message,
        new Date(deps.clock.now()),
      );
      // Lost consent is told to the owners by its own notice.
      if (first && !(error instanceof DomainError && error.code === "RECONNECT_NEEDED")) {
        await deps.notifier.notify(
          adminNotice(tenantId, {
            topic: "directory.round_failed",
            text: `Quorum could not read your directory: ${message}`,
            details: { message },
          }),
        );
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
      seats: deps.seats,
    });
    return { ...report, queueAdvanced: await deps.seats.advanceRuleQueue(tenantId) };
  }
}
