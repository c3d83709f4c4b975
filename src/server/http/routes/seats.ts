/**
 * Seat administration over HTTP, translated to the seat service (src/core/seats/service.ts). Admin routes
 * (owner/admin only, 403 otherwise): `/api/admin/seats`, `/api/admin/plans` (create from CSV or JSON,
 * get, commit, undo), `/api/admin/directory/sync`, `/api/admin/rules`, `/api/admin/invitations`,
 * `/api/admin/audit`. Everyone in a consented tenant: `/api/join-requests` (create, see their own),
 * `/api/me/sync`, `/api/me/invitations` (see, accept, decline).
 */

import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  addNumbersRequest,
  assignSeatRequest,
  auditQuery,
  commitPlanRequest,
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
} from "../../../api-contract/seats.ts";
import type { SeatInput } from "../../../core/seats/plan.ts";
import type { PlanRecord, SeatRecord } from "../../../core/seats/ports.ts";
import type { SeatService, Told } from "../../../core/seats/service.ts";
import type { PlanRow, PoolState } from "../../../core/seats/types.ts";
import type { Database } from "../../../store/db.ts";
import { directoryRoundState } from "../../../store/directory.ts";
import type { SeatJobs } from "../../jobs/seat-jobs.ts";
import type { RoutePlugin } from "../app.ts";
import { authenticate, requireConsented, requireRole } from "../auth.ts";
import { payloadTooLarge } from "../errors.ts";
import { parseSeatCsv, seatCsvMaxBytes, seatCsvTemplate } from "../seat-csv.ts";

export interface SeatRoutesDeps {
  database: Database;
  seats: SeatService;
  jobs: Pick<SeatJobs, "syncDirectory">;
  /** Whether directory rounds also run on a schedule (DIRECTORY_ROUND_CRON). */
  scheduledRounds: boolean;
}

const callLink = (phoneNumber: string | null) =>
  phoneNumber ? `https://teams.microsoft.com/l/call/0/0?users=4:${encodeURIComponent(phoneNumber)}` : null;

const seatView = (s: SeatRecord) => ({
  ...s,
  callLink: s.kind === "calling" ? callLink(s.phoneNumber) : null,
});
const poolView = (p: PoolState) => ({ ...p, available: p.total - p.used });

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

/** A roster to auto-match, as input rows of a plan. */
async function* rosterRows(roster: readonly { email: string; phoneNumber?: string | null }[]) {
  let line = 1;
  for (const r of roster) {
    yield {
      line: line++,
      email: r.email,
      seatKinds: [],
      phoneNumber: r.phoneNumber ?? null,
      displayName: null,
    };
  }
}

export function seatRoutes(deps: SeatRoutesDeps): RoutePlugin {
  const { seats } = deps;
  return async function register(root: FastifyInstance): Promise<void> {
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
      const logTold = (request: FastifyRequest, told: Told, kind: string) => {
        if (told.status === "failed")
          request.log.warn({ err: told.error, kind }, "Teams notification not delivered");
      };

      const numbersView = async (tenantId: string) =>
        (await seats.numbers(tenantId)).map((n) => ({
          number: n.number,
          numberType: n.numberType,
          assignedUserId: n.assignedUserId,
          state: n.state,
          lastError: n.lastError,
        }));

      app.get("/api/admin/seats", admin, async (request) => {
        const tenantId = tenantOf(request);
        const [pools, list, numbers] = await Promise.all([
          seats.pools(tenantId),
          seats.seats(tenantId),
          numbersView(tenantId),
        ]);
        return { pools: pools.map(poolView), seats: list.map(seatView), numbers, limits: seats.limits };
      });

      app.get("/api/admin/seats/summary", admin, async (request) => {
        const tenantId = tenantOf(request);
        const [pools, round] = await Promise.all([
          seats.pools(tenantId),
          directoryRoundState(deps.database.db, tenantId),
        ]);
        return {
          pools: pools.map(poolView),
          limits: seats.limits,
          directory: {
            lastImportedAt: round?.syncedAt ? new Date(round.syncedAt).toISOString() : null,
            scheduled: deps.scheduledRounds,
            lastError:
              round?.error && round.failedAt
                ? { message: round.error, at: new Date(round.failedAt).toISOString() }
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
        const { pool, queueAdvanced } = await seats.setPoolSize(request.actor, kind, total);
        return { ...poolView(pool), queueAdvanced };
      });

      app.post("/api/admin/seats/assign", admin, async (request, reply) => {
        const body = assignSeatRequest.parse(request.body);
        const { seat, told } = await seats.assign(request.actor, {
          userId: body.userId,
          kind: body.kind,
          phoneNumber: body.phoneNumber ?? null,
        });
        logTold(request, told, "seatAssigned");
        // The same view as `GET /api/admin/seats` (with the person's names), so clients parse one `seat` shape.
        return reply.status(201).send(seatView(seat));
      });

      app.post("/api/admin/seats/release", admin, async (request) => {
        const body = releaseSeatRequest.parse(request.body);
        const { queueAdvanced, told } = await seats.release(request.actor, {
          userId: body.userId,
          kind: body.kind,
          ...(body.reason ? { reason: body.reason } : {}),
        });
        logTold(request, told, "seatRemoved");
        return { released: true, queueAdvanced };
      });

      app.post("/api/admin/seats/numbers", admin, async (request) => {
        const body = addNumbersRequest.parse(request.body);
        let added = 0;
        if (body.importFromTeams) added += await seats.importNumbers(request.actor);
        if (body.numbers) added += await seats.addNumbers(request.actor, body.numbers, body.numberType);
        return { added, numbers: await numbersView(tenantOf(request)) };
      });

      app.post("/api/admin/seats/retry-number", admin, async (request, reply) => {
        const { userId } = assignSeatRequest.pick({ userId: true }).parse(request.body);
        await seats.retryNumber(request.actor, userId);
        return reply.status(202).send({ retrying: true });
      });

      const planBody = async (tenantId: string, plan: PlanRecord, query: unknown) => {
        const page = planQuery.parse(query ?? {});
        const got = await seats.plan(tenantId, plan.planId, page);
        const { offset, limit } = page;
        return { plan: got.plan, rows: got.rows.map(rowView), totalRows: got.totalRows, offset, limit };
      };

      app.post("/api/admin/plans", admin, async (request, reply) => {
        const contentType = String(request.headers["content-type"] ?? "");
        let plan: PlanRecord;
        if (/^(text|application)\/csv/i.test(contentType)) {
          const query = csvPlanQuery.parse(request.query ?? {});
          const rows: AsyncIterable<SeatInput> = parseSeatCsv(
            request.body as NodeJS.ReadableStream as AsyncIterable<Buffer>,
            { maxBytes: seatCsvMaxBytes },
          );
          plan = await seats.makePlan(request.actor, { source: query.source, rows, kinds: query.kinds });
        } else {
          const body = createPlanRequest.parse(request.body);
          plan = await seats.makePlan(
            request.actor,
            body.source === "auto"
              ? { source: "auto", rows: rosterRows(body.roster), kinds: body.kinds }
              : body,
          );
        }
        return reply.status(201).send(await planBody(tenantOf(request), plan, {}));
      });

      app.get("/api/admin/plans/:planId", admin, async (request) => {
        const { planId } = request.params as { planId: string };
        const { plan } = await seats.plan(tenantOf(request), planId, { limit: 1 });
        return planBody(tenantOf(request), plan, request.query);
      });

      app.post("/api/admin/plans/:planId/commit", admin, async (request) => {
        const { planId } = request.params as { planId: string };
        const choice = commitPlanRequest.parse(request.body ?? {});
        return { plan: await seats.commitPlan(request.actor, planId, choice) };
      });

      app.post("/api/admin/plans/:planId/undo", admin, async (request) => {
        const { planId } = request.params as { planId: string };
        return planBody(tenantOf(request), await seats.undoPlan(request.actor, planId), {});
      });

      app.post("/api/admin/directory/sync", admin, async (request) =>
        deps.jobs.syncDirectory(tenantOf(request), request.actor.userId),
      );

      app.get("/api/admin/rules", admin, async (request) => ({
        rules: await seats.rules(tenantOf(request)),
      }));
      app.post("/api/admin/rules", admin, async (request, reply) => {
        const body = createRuleRequest.parse(request.body);
        return reply.status(201).send(await seats.addRule(request.actor, body));
      });
      app.delete("/api/admin/rules/:ruleId", admin, async (request, reply) => {
        await seats.removeRule(request.actor, (request.params as { ruleId: string }).ruleId);
        return reply.status(204).send();
      });

      app.get("/api/admin/invitations", admin, async (request) => ({
        invitations: await seats.invitations(tenantOf(request)),
      }));
      app.post("/api/admin/invitations", admin, async (request, reply) => {
        const body = createInvitationRequest.parse(request.body);
        return reply.status(201).send(await seats.invite(request.actor, body));
      });
      app.delete("/api/admin/invitations/:invitationId", admin, async (request) => {
        const { invitationId } = request.params as { invitationId: string };
        return seats.revokeInvitation(request.actor, invitationId);
      });

      app.get("/api/admin/audit", admin, async (request) => ({
        entries: await seats.auditTrail(tenantOf(request), auditQuery.parse(request.query ?? {})),
      }));

      app.post("/api/join-requests", member, async (request, reply) => {
        const body = createJoinRequest.parse(request.body);
        const created = await seats.requestToJoin(request.actor, {
          seatKinds: body.seatKinds,
          message: body.message ?? null,
        });
        return reply.status(201).send(created);
      });

      app.get("/api/join-requests", member, async (request) => {
        const state = (request.query as { state?: string } | undefined)?.state;
        return { requests: await seats.joinRequests(request.actor, state ? { state } : {}) };
      });

      const decide = (decision: "approved" | "denied") =>
        async function handler(request: FastifyRequest) {
          const { requestId } = request.params as { requestId: string };
          const { reason } = decideJoinRequest.parse(request.body);
          return seats.decideJoinRequest(request.actor, requestId, decision, reason);
        };
      app.post("/api/join-requests/:requestId/approve", admin, decide("approved"));
      app.post("/api/join-requests/:requestId/deny", admin, decide("denied"));

      /** The invitee answers. Accepting assigns the invited seats first, all or none, then the role. */
      const answerInvitation = (state: "accepted" | "declined") =>
        async function handler(request: FastifyRequest) {
          const { invitationId } = request.params as { invitationId: string };
          return seats.answerInvitation(request.actor, invitationId, state);
        };
      app.post("/api/me/invitations/:invitationId/accept", member, answerInvitation("accepted"));
      app.post("/api/me/invitations/:invitationId/decline", member, answerInvitation("declined"));

      app.get("/api/me/invitations", member, async (request) => ({
        invitations: await seats.invitations(tenantOf(request), { userId: request.actor.userId }),
      }));

      app.get("/api/me/sync", member, async (request) => seats.mySync(request.actor));

      app.put("/api/me/sync", member, async (request) => {
        const { enabled } = setMySyncRequest.parse(request.body);
        await seats.setMySync(request.actor, enabled);
        return { hasSyncSeat: true, enabled };
      });
    });
  };
}
