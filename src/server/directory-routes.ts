/**
 * `GET /api/directory/search?q=`: type-ahead over the caller's own tenant directory (the `members` table
 * that directory sync fills). Enabled, not-deleted people whose name, UPN or e-mail starts with the text,
 * or one of whose name parts does.
 */
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { type DirectoryPerson, directorySearchQuery } from "../api-contract/directory.ts";
import type { Database } from "../store/db.ts";
import { members } from "../store/schema.ts";
import { authenticate, requireConsented } from "./auth.ts";

function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
}

export function directoryRoutes(database: Database) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      "/api/directory/search",
      { preHandler: [authenticate, requireConsented] },
      async (request): Promise<{ people: DirectoryPerson[] }> => {
        const { q, limit } = directorySearchQuery.parse(request.query);
        const prefix = likePrefix(q);
        const word = `% ${prefix}`;
        const rows = await database.db
          .select({
            userId: members.userId,
            upn: members.upn,
            displayName: members.displayName,
            mail: members.mail,
            jobTitle: members.jobTitle,
            department: members.department,
          })
          .from(members)
          .where(
            and(
              eq(members.tenantId, request.actor.tenantId),
              isNull(members.deletedAt),
              eq(members.accountEnabled, true),
              or(
                sql`lower(${members.displayName}) like ${prefix}`,
                sql`lower(${members.displayName}) like ${word}`,
                sql`lower(${members.upn}) like ${prefix}`,
                sql`lower(${members.mail}) like ${prefix}`,
              ),
            ),
          )
          .orderBy(asc(members.displayName), asc(members.userId))
          .limit(limit);
        return { people: rows };
      },
    );
  };
}
