/**
 * `GET /api/directory/search?q=`: type-ahead over the caller's own tenant directory (the `members` table
 * that directory sync fills). Enabled, not-deleted people whose name, UPN or e-mail starts with the text,
 * or one of whose name parts does. Also the caller's own seats (`GET /api/me/seats`) and the colleagues
 * one can call in Teams (`GET /api/directory/callers`: active calling seats, with a call deep link).
 */
import type { FastifyInstance } from "fastify";
import {
  type CallersResponse,
  type DirectoryPerson,
  directorySearchQuery,
  type MySeatsResponse,
} from "../../../api-contract/directory.ts";
import { rankByName } from "../../../core/directory/name-match.ts";
import type { SeatService } from "../../../core/seats/service.ts";
import type { Database } from "../../../store/db.ts";
import { activeCallers, searchPeople } from "../../../store/members.ts";
import type { RoutePlugin } from "../app.ts";
import { authenticate, requireConsented } from "../auth.ts";

/** The seats a person holds (also summarised in `GET /api/me`). */
export function mySeatsOf(seats: Pick<SeatService, "seats">) {
  return async (tenantId: string, userId: string): Promise<MySeatsResponse> => {
    const held = await seats.seats(tenantId, { userId });
    return { seats: held.map((s) => ({ kind: s.kind, state: s.state, phoneNumber: s.phoneNumber })) };
  };
}

export function directoryRoutes(deps: {
  database: Database;
  seats: Pick<SeatService, "seats">;
}): RoutePlugin {
  const { db } = deps.database;
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      "/api/directory/search",
      { onRequest: [authenticate, requireConsented] },
      async (request): Promise<{ people: DirectoryPerson[] }> => {
        const { q, limit } = directorySearchQuery.parse(request.query);
        return { people: rankByName(q, await searchPeople(db, request.actor.tenantId, q, limit)) };
      },
    );

    app.get(
      "/api/me/seats",
      { onRequest: [authenticate, requireConsented] },
      async (request): Promise<MySeatsResponse> =>
        mySeatsOf(deps.seats)(request.actor.tenantId, request.actor.userId),
    );

    app.get(
      "/api/directory/callers",
      { onRequest: [authenticate, requireConsented] },
      async (request): Promise<CallersResponse> => {
        const rows = await activeCallers(db, request.actor.tenantId, 500);
        return {
          people: rows
            .filter((r) => r.userId !== request.actor.userId)
            .map((r) => ({
              ...r,
              callLink: `https://teams.microsoft.com/l/call/0/0?users=${encodeURIComponent(r.upn)}`,
            })),
        };
      },
    );
  };
}
