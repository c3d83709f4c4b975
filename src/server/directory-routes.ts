/**
 * `GET /api/directory/search?q=`: type-ahead over the caller's own tenant directory (the `members` table
 * that directory sync fills). Enabled, not-deleted people whose name, UPN or e-mail starts with the text,
 * or one of whose name parts does. Also the caller's own seats (`GET /api/me/seats`) and the colleagues
 * one can call in Teams (`GET /api/directory/callers`: active calling seats, with a call deep link).
 */
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import {
  type CallersResponse,
  type DirectoryPerson,
  directorySearchQuery,
  type MySeatsResponse,
} from "../api-contract/directory.ts";
import type { Database } from "../store/db.ts";
import { members, seatAssignments } from "../store/schema.ts";
import { authenticate, requireConsented } from "./auth.ts";

/** The seats a person holds (also summarised in `GET /api/me`). */
export function mySeatsOf(database: Database) {
  return async (tenantId: string, userId: string): Promise<MySeatsResponse> => {
    const rows = await database.db
      .select({
        kind: seatAssignments.kind,
        state: seatAssignments.state,
        phoneNumber: seatAssignments.phoneNumber,
      })
      .from(seatAssignments)
      .where(and(eq(seatAssignments.tenantId, tenantId), eq(seatAssignments.userId, userId)))
      .orderBy(asc(seatAssignments.kind));
    return { seats: rows.map((r) => ({ ...r, kind: r.kind === "calling" ? "calling" : "sync" })) };
  };
}

/** `lower(x) like 'ana%'`, with LIKE's wildcards in the text escaped. */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
}

/** The columns of a `DirectoryPerson`. */
export const personColumns = {
  userId: members.userId,
  upn: members.upn,
  displayName: members.displayName,
  mail: members.mail,
  jobTitle: members.jobTitle,
  department: members.department,
};

/** A member whose name, UPN or e-mail starts with the text, or one of whose name parts does. */
export function memberMatches(text: string) {
  const prefix = likePrefix(text);
  return or(
    sql`lower(${members.displayName}) like ${prefix}`,
    sql`lower(${members.displayName}) like ${`% ${prefix}`}`,
    sql`lower(${members.upn}) like ${prefix}`,
    sql`lower(${members.mail}) like ${prefix}`,
  );
}

export function directoryRoutes(database: Database) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      "/api/directory/search",
      { onRequest: [authenticate, requireConsented] },
      async (request): Promise<{ people: DirectoryPerson[] }> => {
        const { q, limit } = directorySearchQuery.parse(request.query);

        const rows = await database.db
          .select(personColumns)
          .from(members)
          .where(
            and(
              eq(members.tenantId, request.actor.tenantId),
              isNull(members.deletedAt),
              eq(members.accountEnabled, true),
              memberMatches(q),
            ),
          )
          .orderBy(asc(members.displayName), asc(members.userId))
          .limit(limit);
        return { people: rows };
      },
    );

    app.get(
      "/api/me/seats",
      { onRequest: [authenticate, requireConsented] },
      async (request): Promise<MySeatsResponse> =>
        mySeatsOf(database)(request.actor.tenantId, request.actor.userId),
    );

    app.get(
      "/api/directory/callers",
      { onRequest: [authenticate, requireConsented] },
      async (request): Promise<CallersResponse> => {
        const rows = await database.db
          .select({
            userId: members.userId,
            displayName: members.displayName,
            upn: members.upn,
            phoneNumber: seatAssignments.phoneNumber,
          })
          .from(seatAssignments)
          .innerJoin(
            members,
            and(eq(members.tenantId, seatAssignments.tenantId), eq(members.userId, seatAssignments.userId)),
          )
          .where(
            and(
              eq(seatAssignments.tenantId, request.actor.tenantId),
              eq(seatAssignments.kind, "calling"),
              eq(seatAssignments.state, "active"),
              isNull(members.deletedAt),
            ),
          )
          .orderBy(asc(members.displayName))
          .limit(500);
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
