/**
 * The bot's ports implemented over the store and core services: the directory (members), seats and sync
 * state, join requests, and the conversation references used for proactive messages.
 */
import { and, asc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import type {
  BotServices,
  BotUser,
  MySeats,
  PendingJoinRequest,
  PeopleDirectory,
  Person,
  PoolSummary,
  Scheduling,
  SeatDesk,
} from "../../bot/ports.ts";
import { roles as allRoles, isAdmin, type Role } from "../core/actor.ts";
import type { Clock } from "../core/clock.ts";
import { DomainError } from "../core/errors.ts";
import { isSeatKind } from "../core/seats/types.ts";
import type { Database } from "../store/db.ts";
import {
  auditLog,
  conversationRefs,
  joinRequests,
  members,
  seatAssignments,
  seatPools,
  syncState,
} from "../store/schema.ts";
import { createSeatStore } from "../store/seats.ts";

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const toPerson = (m: { userId: string; displayName: string; mail: string | null; upn: string }): Person => ({
  userId: m.userId,
  displayName: m.displayName || m.upn,
  mail: m.mail ?? m.upn,
});

export function createMemberDirectory(database: Database): PeopleDirectory {
  const { db } = database;
  const columns = {
    userId: members.userId,
    displayName: members.displayName,
    mail: members.mail,
    upn: members.upn,
  };
  const active = (tenantId: string) =>
    and(eq(members.tenantId, tenantId), eq(members.accountEnabled, true), isNull(members.deletedAt));
  return {
    async find(tenantId, query) {
      const q = query.trim().toLowerCase();
      if (q.length === 0) return [];
      if (q.includes("@")) {
        const rows = await db
          .select(columns)
          .from(members)
          .where(
            and(
              active(tenantId),
              or(
                sql`lower(${members.mail}) = ${q}`,
                sql`lower(${members.upn}) = ${q}`,
                sql`${`smtp:${q}`} = ANY(SELECT lower(a) FROM unnest(${members.proxyAddresses}) AS a)`,
              ),
            ),
          )
          .limit(2);
        return rows.map(toPerson);
      }
      const pattern = escapeLike(q);
      const rows = await db
        .select(columns)
        .from(members)
        .where(
          and(
            active(tenantId),
            or(ilike(members.displayName, `${pattern}%`), ilike(members.displayName, `% ${pattern}%`)),
          ),
        )
        .orderBy(asc(members.displayName), asc(members.userId))
        .limit(11);
      const exact = rows.filter((r) => r.displayName.toLowerCase() === q);
      return (exact.length === 1 ? exact : rows).map(toPerson);
    },
  };
}

/** Who is talking to the bot: their member record (roles, zone, locale) when they are in the directory. */
export async function loadMember(
  database: Database,
  tenantId: string,
  userId: string,
): Promise<
  | { upn: string; displayName: string; roles: Role[]; locale: string | null; timeZone: string | null }
  | undefined
> {
  const rows = await database.db
    .select({
      upn: members.upn,
      displayName: members.displayName,
      roles: members.roles,
      locale: members.locale,
      timeZone: members.timeZone,
    })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.userId, userId), isNull(members.deletedAt)));
  const m = rows[0];
  if (!m) return undefined;
  return { ...m, roles: m.roles.filter((r): r is Role => (allRoles as readonly string[]).includes(r)) };
}

function requireAdmin(user: BotUser): void {
  if (!isAdmin(user)) throw new DomainError("ROLE_REQUIRED", "Only Quorum owners and admins can do this.");
}

export function createSeatDesk(database: Database, clock: Clock): SeatDesk {
  const { db } = database;
  const seatStore = createSeatStore(database, clock);

  async function requestWithPerson(
    tenantId: string,
    requestId: string,
  ): Promise<PendingJoinRequest | undefined> {
    const rows = await db
      .select({
        requestId: joinRequests.requestId,
        seatKinds: joinRequests.seatKinds,
        message: joinRequests.message,
        createdAt: joinRequests.createdAt,
        userId: members.userId,
        displayName: members.displayName,
        mail: members.mail,
        upn: members.upn,
      })
      .from(joinRequests)
      .innerJoin(
        members,
        and(eq(members.tenantId, joinRequests.tenantId), eq(members.userId, joinRequests.userId)),
      )
      .where(and(eq(joinRequests.tenantId, tenantId), eq(joinRequests.requestId, requestId)));
    const r = rows[0];
    return r
      ? {
          requestId: r.requestId,
          person: toPerson(r),
          seatKinds: r.seatKinds,
          message: r.message,
          createdAt: r.createdAt.getTime(),
        }
      : undefined;
  }

  return {
    async mySeats(user): Promise<MySeats> {
      const seats = await db
        .select({
          kind: seatAssignments.kind,
          phoneNumber: seatAssignments.phoneNumber,
          state: seatAssignments.state,
        })
        .from(seatAssignments)
        .where(and(eq(seatAssignments.tenantId, user.tenantId), eq(seatAssignments.userId, user.userId)))
        .orderBy(asc(seatAssignments.kind));
      const member = await db
        .select({ syncEnabled: members.syncEnabled })
        .from(members)
        .where(and(eq(members.tenantId, user.tenantId), eq(members.userId, user.userId)));
      const state = await db
        .select({ status: syncState.status, lastErrorMessage: syncState.lastErrorMessage })
        .from(syncState)
        .where(
          and(
            eq(syncState.tenantId, user.tenantId),
            eq(syncState.userId, user.userId),
            eq(syncState.resource, "calendar"),
          ),
        );
      return {
        seats,
        sync: {
          enabled: member[0]?.syncEnabled ?? false,
          status: state[0]?.status ?? "idle",
          lastError: state[0]?.lastErrorMessage ?? null,
        },
      };
    },

    async setSync(user, enabled) {
      const updated = await db
        .update(members)
        .set({ syncEnabled: enabled, updatedAt: new Date(clock.now()) })
        .where(and(eq(members.tenantId, user.tenantId), eq(members.userId, user.userId)))
        .returning({ userId: members.userId });
      if (updated.length === 0) {
        throw new DomainError("SEAT_REQUIRED", "You are not in your organization's Quorum directory yet.");
      }
      await db.insert(auditLog).values({
        tenantId: user.tenantId,
        actorUserId: user.userId,
        action: enabled ? "sync.enabled" : "sync.disabled",
        targetType: "user",
        targetId: user.userId,
        after: { syncEnabled: enabled, via: "bot" },
      });
    },

    async pools(user): Promise<PoolSummary[]> {
      requireAdmin(user);
      return db
        .select({ kind: seatPools.kind, total: seatPools.total, used: seatPools.used })
        .from(seatPools)
        .where(eq(seatPools.tenantId, user.tenantId))
        .orderBy(asc(seatPools.kind));
    },

    async pendingRequests(user) {
      requireAdmin(user);
      const ids = await db
        .select({ requestId: joinRequests.requestId })
        .from(joinRequests)
        .where(and(eq(joinRequests.tenantId, user.tenantId), eq(joinRequests.state, "pending")))
        .orderBy(asc(joinRequests.createdAt), asc(joinRequests.requestId));
      const out: PendingJoinRequest[] = [];
      for (const { requestId } of ids) {
        const r = await requestWithPerson(user.tenantId, requestId);
        if (r) out.push(r);
      }
      return out;
    },

    async decide(user, requestId, approve) {
      requireAdmin(user);
      const request = await requestWithPerson(user.tenantId, requestId);
      if (!request) throw new DomainError("NOT_FOUND", "That join request does not exist.");
      const decided = await db
        .update(joinRequests)
        .set({
          state: approve ? "approved" : "denied",
          decidedBy: user.userId,
          decidedAt: new Date(clock.now()),
        })
        .where(
          and(
            eq(joinRequests.tenantId, user.tenantId),
            eq(joinRequests.requestId, requestId),
            eq(joinRequests.state, "pending"),
          ),
        )
        .returning({ requestId: joinRequests.requestId });
      if (decided.length === 0) throw new DomainError("CONFLICT", "That join request was already decided.");
      if (approve) {
        for (const kind of request.seatKinds) {
          if (!isSeatKind(kind)) continue;
          await seatStore.assignSeat(
            user.tenantId,
            { userId: request.person.userId, kind, source: "manual", reason: `join request ${requestId}` },
            user.userId,
          );
        }
      }
      return request;
    },
  };
}

export interface StoredConversation {
  readonly tenantId: string;
  readonly userId: string;
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly reference: Record<string, unknown>;
  readonly locale: string | null;
}

export interface ConversationStore {
  save(ref: StoredConversation): Promise<void>;
  get(tenantId: string, userId: string): Promise<StoredConversation | undefined>;
  /** Owners and admins (or only owners) of a tenant, for admin notifications. */
  adminIds(tenantId: string, only?: "owner"): Promise<string[]>;
  /** Zone of a member for formatting notifications. */
  timeZoneOf(tenantId: string, userId: string): Promise<string | null>;
}

export function createConversationStore(database: Database, clock: Clock): ConversationStore {
  const { db } = database;
  return {
    async save(ref) {
      const values = { ...ref, updatedAt: new Date(clock.now()) };
      await db
        .insert(conversationRefs)
        .values(values)
        .onConflictDoUpdate({
          target: [conversationRefs.tenantId, conversationRefs.userId],
          set: {
            conversationId: values.conversationId,
            serviceUrl: values.serviceUrl,
            reference: values.reference,
            locale: values.locale,
            updatedAt: values.updatedAt,
          },
        });
    },
    async get(tenantId, userId) {
      const rows = await db
        .select()
        .from(conversationRefs)
        .where(and(eq(conversationRefs.tenantId, tenantId), eq(conversationRefs.userId, userId)));
      const r = rows[0];
      return r
        ? {
            tenantId: r.tenantId,
            userId: r.userId,
            conversationId: r.conversationId,
            serviceUrl: r.serviceUrl,
            reference: r.reference as Record<string, unknown>,
            locale: r.locale,
          }
        : undefined;
    },
    async adminIds(tenantId, only) {
      const wanted = only === "owner" ? ["owner"] : ["owner", "admin"];
      const rows = await db
        .select({ userId: members.userId })
        .from(members)
        .where(
          and(
            eq(members.tenantId, tenantId),
            isNull(members.deletedAt),
            sql`${members.roles} && ${sql.raw(`ARRAY[${wanted.map((w) => `'${w}'`).join(",")}]::text[]`)}`,
          ),
        )
        .orderBy(asc(members.userId));
      return rows.map((r) => r.userId);
    },
    async timeZoneOf(tenantId, userId) {
      const rows = await db
        .select({ timeZone: members.timeZone })
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.userId, userId)));
      return rows[0]?.timeZone ?? null;
    },
  };
}

/** Scheduling before the availability and booking services are composed: an honest "not available". */
const schedulingUnavailable: Scheduling = {
  async suggest() {
    throw new DomainError("SERVICE_UNAVAILABLE", "Scheduling is not available on this server yet.");
  },
  async book() {
    throw new DomainError("SERVICE_UNAVAILABLE", "Scheduling is not available on this server yet.");
  },
  async meetings() {
    throw new DomainError("SERVICE_UNAVAILABLE", "Scheduling is not available on this server yet.");
  },
  async cancel() {
    throw new DomainError("SERVICE_UNAVAILABLE", "Scheduling is not available on this server yet.");
  },
};

export function createBotServices(deps: {
  database: Database;
  clock: Clock;
  scheduling?: Scheduling;
}): BotServices {
  return {
    directory: createMemberDirectory(deps.database),
    seats: createSeatDesk(deps.database, deps.clock),
    scheduling: deps.scheduling ?? schedulingUnavailable,
  };
}
