/**
 * Seat administration over HTTP. Admin routes (owner/admin only, 403 otherwise): `/api/admin/seats`,
 * `/api/admin/plans` (create from CSV or JSON, get, commit, undo), `/api/admin/directory/sync`,
 * `/api/admin/rules`, `/api/admin/invitations`, `/api/admin/audit`. Everyone in a consented tenant:
 * `/api/join-requests` (create, see their own), `/api/me/sync`, `/api/me/invitations` (see, accept, decline).
 */

import { eq } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import {
  addNumbersRequest,
  assignSeatRequest,
  auditQuery,
  createInvitationRequest,
  createJoinRequest,
  createPlanRequest,
  createRuleRequest,
  csvPlanQuery,
  decideJoinRequest,
  planQuery,
  releaseSeatRequest,
  seatKind,
  setMySyncRequest,
  setPoolRequest,
} from "../../api-contract/seats.ts";
import type { Config } from "../../config.ts";
import { isAdmin } from "../../core/actor.ts";
import type { Clock } from "../../core/clock.ts";
import type { Notifier } from "../../core/directory/sync.ts";
import { DomainError } from "../../core/errors.ts";
import type { Notification, Notifier as TeamsNotifier } from "../../core/notifier.ts";
import { planRuleSeats, planSeats, type SeatInput } from "../../core/seats/plan.ts";
import type { Telephony } from "../../core/seats/telephony.ts";
import type { PlanRow } from "../../core/seats/types.ts";
import { graphDirectorySource } from "../../graph/directory.ts";
import type { GraphGateway } from "../../graph/gateway.ts";
import { graphTelephony } from "../../graph/telephony.ts";
import type { Database } from "../../store/db.ts";
import type { JobQueue } from "../../store/queue.ts";
import { createRequestStore } from "../../store/requests.ts";
import { tenants } from "../../store/schema.ts";
import { createSeatStore, type NumberWork, type PlanRecord } from "../../store/seats.ts";
import { authenticate, requireConsented, requireRole } from "../auth.ts";
import { payloadTooLarge } from "../errors.ts";
import {
  answerInvitation as answerInvitationOf,
  decideJoinRequest as decideRequest,
  switchMySync,
} from "../seat-answers.ts";
import { parseSeatCsv, seatCsvMaxBytes, seatCsvTemplate } from "../seat-csv.ts";
import { createAuditNotifier, createSeatService, type SeatService } from "../seat-service.ts";

export interface SeatRoutesDeps {
  config: Config;
  database: Database;
  clock: Clock;
  queue: JobQueue;
  graph: GraphGateway;
  logger: Logger;
  /** Defaults to Graph telephone number management. */
  telephony?: Telephony;
  notifier?: Notifier;
  /** Tells people in Teams that they got or lost a seat (the bot's notifier). */
  teamsNotifier?: TeamsNotifier;
  /** Seconds between polls of a Teams number operation. */
  numberPollSeconds?: number;
  /** Receives the service once built (for composition and tests). */
  onService?: (service: SeatService) => void;
}

const callLink = (phoneNumber: string | null) =>
  phoneNumber ? `https://teams.microsoft.com/l/call/0/0?users=4:${encodeURIComponent(phoneNumber)}` : null;

const rowView = (r: PlanRow) => ({
  line: r.line,
  email: r.email,
  userId: r.userId,
  displayName: r.displayName,
  kind: r.kind,
  action: r.action,
  reason: r.reason,
  phoneNumber: r.phoneNumber,
});

export function seatRoutes(deps: SeatRoutesDeps) {
  return async function register(root: FastifyInstance): Promise<void> {
    const seats = createSeatStore(deps.database, deps.clock);
    const requests = createRequestStore(deps.database, deps.clock);
    const notifier = deps.notifier ?? createAuditNotifier(seats, deps.logger.child({ component: "notices" }));
    const service = createSeatService({
      database: deps.database,
      clock: deps.clock,
      seats,
      queue: deps.queue,
      telephony: deps.telephony ?? graphTelephony(deps.graph),
      directorySource: (tenantId) => graphDirectorySource(deps.graph, tenantId),
      notifier,
      logger: deps.logger.child({ component: "seats" }),
      ...(deps.numberPollSeconds !== undefined ? { pollSeconds: deps.numberPollSeconds } : {}),
      directoryRoundCron: deps.config.directoryRoundCron,
    });
    await service.start();
    deps.onService?.(service);
    const limits = { calling: deps.config.plan.maxCallingSeats, sync: deps.config.plan.maxSyncSeats };

    // An encapsulated scope: the streaming text/csv body parser applies to these routes only. It runs after
    // the onRequest sign-in checks, and hands the handler the request stream itself (parsed as it arrives,
    // under seatCsvMaxBytes); a declared length over the limit is refused before a byte is read.
    await root.register(async (app) => {
      app.addContentTypeParser(["text/csv", "application/csv"], (request, payload, done) => {
        const declared = Number(request.headers["content-length"] ?? 0);
        if (declared > seatCsvMaxBytes) done(payloadTooLarge(seatCsvMaxBytes, "The file"), undefined);
        else done(null, payload);
      });

      const admin = { onRequest: [authenticate, requireConsented, requireRole("owner", "admin")] };
      const member = { onRequest: [authenticate, requireConsented] };
      const tenantOf = (request: FastifyRequest) => request.actor.tenantId;
      /** The change is committed; telling the person in Teams is best effort and never undoes it. */
      const tellInTeams = async (request: FastifyRequest, notification: Notification) => {
        if (!deps.teamsNotifier) return;
        await deps.teamsNotifier.notify(notification).catch((error: unknown) => {
          request.log.warn({ err: error, kind: notification.kind }, "Teams notification not delivered");
        });
      };

      const overview = async (tenantId: string) => {
        const [pools, list, numbers] = await Promise.all([
          seats.pools(tenantId),
          seats.seats(tenantId),
          seats.numbers(tenantId),
        ]);
        return {
          pools: pools.map((p) => ({ ...p, available: p.total - p.used })),
          seats: list.map((s) => ({ ...s, callLink: s.kind === "calling" ? callLink(s.phoneNumber) : null })),
          numbers: numbers.map((n) => ({
            number: n.number,
            numberType: n.numberType,
            assignedUserId: n.assignedUserId,
            state: n.state,
            lastError: n.lastError,
          })),
          limits,
        };
      };

      app.get("/api/admin/seats", admin, async (request) => overview(tenantOf(request)));

      app.get("/api/admin/seats/summary", admin, async (request) => {
        const tenantId = tenantOf(request);
        const [pools, [tenant]] = await Promise.all([
          seats.pools(tenantId),
          deps.database.db
            .select({
              syncedAt: tenants.directorySyncedAt,
              error: tenants.directoryRoundError,
              failedAt: tenants.directoryRoundFailedAt,
            })
            .from(tenants)
            .where(eq(tenants.tenantId, tenantId)),
        ]);
        return {
          pools: pools.map((p) => ({ ...p, available: p.total - p.used })),
          limits,
          directory: {
            lastImportedAt: tenant?.syncedAt ? new Date(tenant.syncedAt).toISOString() : null,
            scheduled: deps.config.directoryRoundCron !== null,
            lastError:
              tenant?.error && tenant.failedAt
                ? { message: tenant.error, at: new Date(tenant.failedAt).toISOString() }
                : null,
          },
        };
      });

      app.get("/api/admin/seats/template.csv", admin, async (_request, reply) =>
        reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", 'attachment; filename="quorum-seats.csv"')
          .send(seatCsvTemplate),
      );

      app.put("/api/admin/seats/pools/:kind", admin, async (request) => {
        const kind = seatKind.parse((request.params as { kind: string }).kind);
        const { total } = setPoolRequest.parse(request.body);
        if (total > limits[kind]) {
          throw new DomainError(
            "VALIDATION_FAILED",
            `Your plan allows at most ${limits[kind]} ${kind} seats.`,
            {
              details: { limit: limits[kind] },
            },
          );
        }
        await seats.setPoolTotal(tenantOf(request), kind, total, request.actor.userId);
        const queueAdvanced = await service.advanceRuleQueue(tenantOf(request));
        const pool = (await seats.pools(tenantOf(request))).find((p) => p.kind === kind)!;
        return { ...pool, available: pool.total - pool.used, queueAdvanced };
      });

      app.post("/api/admin/seats/assign", admin, async (request, reply) => {
        const body = assignSeatRequest.parse(request.body);
        const { seat, numbers } = await seats.assignSeat(
          tenantOf(request),
          { userId: body.userId, kind: body.kind, phoneNumber: body.phoneNumber ?? null },
          request.actor.userId,
        );
        await service.enqueue(tenantOf(request), numbers);
        await tellInTeams(request, {
          kind: "seatAssigned",
          tenantId: tenantOf(request),
          userId: body.userId,
          seatKind: body.kind,
          phoneNumber: seat.phoneNumber,
        });
        // The same view as `GET /api/admin/seats` (with the person's names), so clients parse one `seat` shape.
        const [view] = await seats.seats(tenantOf(request), { userId: body.userId, kind: body.kind });
        const record = view ?? seat;
        return reply.status(201).send({
          ...record,
          callLink: record.kind === "calling" ? callLink(record.phoneNumber) : null,
        });
      });

      app.post("/api/admin/seats/release", admin, async (request) => {
        const body = releaseSeatRequest.parse(request.body);
        const numbers = await seats.releaseSeat(
          tenantOf(request),
          { userId: body.userId, kind: body.kind, ...(body.reason ? { reason: body.reason } : {}) },
          request.actor.userId,
        );
        await service.enqueue(tenantOf(request), numbers);
        await tellInTeams(request, {
          kind: "seatRemoved",
          tenantId: tenantOf(request),
          userId: body.userId,
          seatKind: body.kind,
        });
        return { released: true, queueAdvanced: await service.advanceRuleQueue(tenantOf(request)) };
      });

      app.post("/api/admin/seats/numbers", admin, async (request) => {
        const body = addNumbersRequest.parse(request.body);
        let added = 0;
        if (body.importFromTeams)
          added += await service.importNumbers(tenantOf(request), request.actor.userId);
        if (body.numbers) {
          added += await seats.addNumbers(
            tenantOf(request),
            body.numbers,
            body.numberType,
            request.actor.userId,
          );
        }
        return { added, numbers: (await overview(tenantOf(request))).numbers };
      });

      app.post("/api/admin/seats/retry-number", admin, async (request, reply) => {
        const { userId } = assignSeatRequest.pick({ userId: true }).parse(request.body);
        await service.retryNumber(tenantOf(request), userId, request.actor.userId);
        return reply.status(202).send({ retrying: true });
      });

      const planBody = async (tenantId: string, plan: PlanRecord, query: unknown) => {
        const page = planQuery.parse(query ?? {});
        const got = await seats.getPlan(tenantId, plan.planId, page);
        return {
          plan: got.plan,
          rows: got.rows.map(rowView),
          totalRows: got.totalRows,
          offset: page.offset,
          limit: page.limit,
        };
      };

      app.post("/api/admin/plans", admin, async (request, reply) => {
        const tenantId = tenantOf(request);
        const contentType = String(request.headers["content-type"] ?? "");
        const state = await seats.seatState(tenantId);
        let computed: Awaited<ReturnType<typeof planSeats>>;
        if (/^(text|application)\/csv/i.test(contentType)) {
          const query = csvPlanQuery.parse(request.query ?? {});
          computed = await planSeats({
            source: query.source,
            rows: parseSeatCsv(request.body as NodeJS.ReadableStream as AsyncIterable<Buffer>, {
              maxBytes: seatCsvMaxBytes,
            }),
            directory: await seats.directoryIndex(tenantId),
            ...(query.kinds ? { kinds: query.kinds } : {}),
            ...state,
          });
        } else {
          const body = createPlanRequest.parse(request.body);
          if (body.source === "auto") {
            computed = await planSeats({
              source: "auto",
              kinds: body.kinds,
              rows: (async function* (): AsyncIterable<SeatInput> {
                let line = 1;
                for (const r of body.roster) {
                  yield {
                    line: line++,
                    email: r.email,
                    seatKinds: [],
                    phoneNumber: r.phoneNumber ?? null,
                    displayName: null,
                  };
                }
              })(),
              directory: await seats.directoryIndex(tenantId),
              ...state,
            });
          } else {
            computed = await planRuleSeats({
              rules: await seats.rules(tenantId),
              membersOf: (groupId) => seats.groupMembers(tenantId, groupId),
              ...state,
            });
          }
        }
        const plan = await seats.savePlan(tenantId, computed, {
          baseVersion: state.version,
          createdBy: request.actor.userId,
        });
        return reply.status(201).send(await planBody(tenantId, plan, {}));
      });

      app.get("/api/admin/plans/:planId", admin, async (request) => {
        const { planId } = request.params as { planId: string };
        const got = await seats.getPlan(tenantOf(request), planId, { limit: 1 });
        return planBody(tenantOf(request), got.plan, request.query);
      });

      app.post("/api/admin/plans/:planId/commit", admin, async (request) => {
        const { planId } = request.params as { planId: string };
        const { plan, numbers } = await seats.commitPlan(tenantOf(request), planId, request.actor.userId);
        await service.enqueue(tenantOf(request), numbers);
        return { plan };
      });

      app.post("/api/admin/plans/:planId/undo", admin, async (request) => {
        const { planId } = request.params as { planId: string };
        const { plan, numbers } = await seats.undoPlan(tenantOf(request), planId, request.actor.userId);
        await service.enqueue(tenantOf(request), numbers);
        return planBody(tenantOf(request), plan, {});
      });

      app.post("/api/admin/directory/sync", admin, async (request) => {
        const report = await service.syncDirectory(tenantOf(request));
        await seats.audit(tenantOf(request), [
          {
            actorUserId: request.actor.userId,
            action: "directory.synced",
            targetType: "tenant",
            after: report,
          },
        ]);
        return report;
      });

      app.get("/api/admin/rules", admin, async (request) => ({
        rules: await seats.rules(tenantOf(request)),
      }));
      app.post("/api/admin/rules", admin, async (request, reply) => {
        const body = createRuleRequest.parse(request.body);
        const ruleId = await seats.addRule(tenantOf(request), body, request.actor.userId);
        const created = (await seats.rules(tenantOf(request))).find((r) => r.ruleId === ruleId);
        return reply.status(201).send(created ?? { ruleId });
      });
      app.delete("/api/admin/rules/:ruleId", admin, async (request, reply) => {
        await seats.removeRule(
          tenantOf(request),
          (request.params as { ruleId: string }).ruleId,
          request.actor.userId,
        );
        return reply.status(204).send();
      });

      app.get("/api/admin/invitations", admin, async (request) => ({
        invitations: await requests.invitations(tenantOf(request)),
      }));
      app.post("/api/admin/invitations", admin, async (request, reply) => {
        const body = createInvitationRequest.parse(request.body);
        const invitation = await requests.invite(tenantOf(request), body, request.actor.userId);
        await notifier.notifyUser(tenantOf(request), body.userId, {
          topic: "invitation",
          text: `${request.actor.displayName} invited you to Quorum.`,
          details: {
            invitationId: invitation.invitationId,
            seatKinds: body.seatKinds,
            role: body.role,
            name: request.actor.displayName,
          },
        });
        await requests.markInvitationNotified(tenantOf(request), invitation.invitationId);
        return reply.status(201).send(invitation);
      });

      app.get("/api/admin/audit", admin, async (request) => {
        const q = auditQuery.parse(request.query ?? {});
        return { entries: await seats.auditTrail(tenantOf(request), q) };
      });

      app.post("/api/join-requests", member, async (request, reply) => {
        const body = createJoinRequest.parse(request.body);
        const created = await requests.requestToJoin(tenantOf(request), {
          userId: request.actor.userId,
          seatKinds: body.seatKinds,
          message: body.message ?? null,
        });
        await notifier.notifyAdmins(tenantOf(request), {
          topic: "join_request",
          text: `${request.actor.displayName} asks for ${body.seatKinds.join(" and ")} seats.`,
          details: { requestId: created.requestId, userId: request.actor.userId },
        });
        return reply.status(201).send(created);
      });

      app.get("/api/join-requests", member, async (request) => {
        const state = (request.query as { state?: string } | undefined)?.state;
        const all = isAdmin(request.actor);
        return {
          requests: await requests.joinRequests(tenantOf(request), {
            ...(all ? {} : { userId: request.actor.userId }),
            ...(state ? { state } : {}),
          }),
        };
      });

      const answers = {
        seats,
        requests,
        seatWork: (tenantId: string, work: NumberWork) => service.enqueue(tenantId, work),
        notices: notifier,
      };
      const decide = (decision: "approved" | "denied") =>
        async function handler(request: FastifyRequest) {
          const { requestId } = request.params as { requestId: string };
          const { reason } = decideJoinRequest.parse(request.body);
          return decideRequest(answers, request.actor, requestId, decision, reason);
        };
      app.post("/api/join-requests/:requestId/approve", admin, decide("approved"));
      app.post("/api/join-requests/:requestId/deny", admin, decide("denied"));

      app.delete("/api/admin/invitations/:invitationId", admin, async (request) => {
        const { invitationId } = request.params as { invitationId: string };
        return requests.respondToInvitation(tenantOf(request), invitationId, {
          state: "revoked",
          actorUserId: request.actor.userId,
        });
      });

      /** The invitee answers. Accepting assigns the invited seats first, all or none, then the role. */
      const answerInvitation = (state: "accepted" | "declined") =>
        async function handler(request: FastifyRequest) {
          const { invitationId } = request.params as { invitationId: string };
          return answerInvitationOf(answers, request.actor, invitationId, state);
        };
      app.post("/api/me/invitations/:invitationId/accept", member, answerInvitation("accepted"));
      app.post("/api/me/invitations/:invitationId/decline", member, answerInvitation("declined"));

      app.get("/api/me/invitations", member, async (request) => ({
        invitations: await requests.invitations(tenantOf(request), { userId: request.actor.userId }),
      }));

      app.get("/api/me/sync", member, async (request) => {
        const held = await seats.seats(tenantOf(request), { kind: "sync", userId: request.actor.userId });
        const hasSyncSeat = held.some((s) => s.state === "active");
        return {
          hasSyncSeat,
          enabled: hasSyncSeat && (await requests.syncSwitch(tenantOf(request), request.actor.userId)),
        };
      });

      app.put("/api/me/sync", member, async (request) => {
        const { enabled } = setMySyncRequest.parse(request.body);
        await switchMySync(answers, request.actor, enabled);
        return { hasSyncSeat: true, enabled };
      });
    });
  };
}
