/**
 * The bot's ports implemented over the store and core services: the directory (members), seats and sync
 * state, join requests, and the conversation references used for proactive messages.
 */
import { and, asc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import type {
  BotServices,
  BotUser,
  InvitationView,
  MySeats,
  PendingJoinRequest,
  PeopleDirectory,
  Person,
  PoolSummary,
  Scheduling,
  SeatDesk,
  TenantGate,
} from "../../bot/ports.ts";
import { roles as allRoles, type Role } from "../core/actor.ts";
import type { Clock } from "../core/clock.ts";
import type { Notifier as NoticeNotifier } from "../core/directory/sync.ts";
import { DomainError } from "../core/errors.ts";
import { createTenantStore, type TenantStore } from "../identity/tenants.ts";
import type { Database } from "../store/db.ts";
import { createRequestStore, type InvitationRecord, type JoinRequestRecord } from "../store/requests.ts";
import { conversationRefs, members, syncState } from "../store/schema.ts";
import { createSeatStore, type NumberWork } from "../store/seats.ts";
import { assertRole, consentedTenant } from "./auth.ts";
import { answerInvitation, decideJoinRequest, switchMySync } from "./seat-answers.ts";

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const toPerson = (m: { userId: string; displayName: string; mail: string | null; upn: string }): Person => ({
  userId: m.userId,
  displayName: m.displayName || m.upn,
  mail: m.mail ?? m.upn,
});

export function createMemberDirectory(database: Database): PeopleDirectory {
  const { db } = database;
  const active = (tenantId: string) =>
    and(eq(members.tenantId, tenantId), eq(members.accountEnabled, true), isNull(members.deletedAt));
  const condition = (q: string) =>
    q.includes("@")
      ? or(
          sql`lower(${members.mail}) = ${q}`,
          sql`lower(${members.upn}) = ${q}`,
          sql`${`smtp:${q}`} = ANY(SELECT lower(a) FROM unnest(${members.proxyAddresses}) AS a)`,
        )
      : or(
          ilike(members.displayName, `${escapeLike(q)}%`),
          ilike(members.displayName, `% ${escapeLike(q)}%`),
        );
  const matches = (
    q: string,
    m: { displayName: string; mail: string | null; upn: string; proxyAddresses: string[] },
  ): boolean => {
    if (q.includes("@")) {
      return (
        m.mail?.toLowerCase() === q ||
        m.upn.toLowerCase() === q ||
        m.proxyAddresses.some((a) => a.toLowerCase() === `smtp:${q}`)
      );
    }
    const name = m.displayName.toLowerCase();
    return name.startsWith(q) || name.includes(` ${q}`);
  };

  async function findEach(tenantId: string, queries: readonly string[]): Promise<Person[][]> {
    const wanted = queries.map((q) => q.trim().toLowerCase());
    const nonEmpty = wanted.filter((q) => q.length > 0);
    if (nonEmpty.length === 0) return wanted.map(() => []);
    // One round trip for every name of the message; each query then takes its own matches.
    const rows = await db
      .select({
        userId: members.userId,
        displayName: members.displayName,
        mail: members.mail,
        upn: members.upn,
        proxyAddresses: members.proxyAddresses,
      })
      .from(members)
      .where(and(active(tenantId), or(...nonEmpty.map(condition))))
      .orderBy(asc(members.displayName), asc(members.userId))
      .limit(50 * nonEmpty.length);
    return wanted.map((q) => {
      if (q.length === 0) return [];
      const found = rows.filter((r) => matches(q, r));
      const exact = found.filter((r) => r.displayName.toLowerCase() === q);
      return (exact.length === 1 ? exact : found.slice(0, 11)).map(toPerson);
    });
  }

  return {
    findEach,
    async find(tenantId, query) {
      return (await findEach(tenantId, [query]))[0] ?? [];
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

async function pendingView(
  db: Database["db"],
  tenantId: string,
  r: JoinRequestRecord,
): Promise<PendingJoinRequest> {
  const m = await db
    .select({
      userId: members.userId,
      displayName: members.displayName,
      mail: members.mail,
      upn: members.upn,
    })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.userId, r.userId)));
  return {
    requestId: r.requestId,
    person: m[0]
      ? toPerson(m[0])
      : { userId: r.userId, displayName: r.displayName ?? r.userId, mail: r.upn ?? "" },
    seatKinds: r.seatKinds,
    message: r.message,
    createdAt: Date.parse(r.createdAt),
  };
}

/** A join request as the bot shows it (for the approve/deny card sent to admins). */
export async function loadJoinRequest(
  database: Database,
  clock: Clock,
  tenantId: string,
  requestId: string,
): Promise<PendingJoinRequest | undefined> {
  const r = await createRequestStore(database, clock).joinRequest(tenantId, requestId);
  return r ? pendingView(database.db, tenantId, r) : undefined;
}

function invitationView(r: InvitationRecord): InvitationView {
  return {
    invitationId: r.invitationId,
    invitedByName: r.invitedByName,
    role: r.role,
    seatKinds: r.seatKinds,
    state: r.state,
  };
}

/** An invitation as the bot shows it (for the accept/decline card sent to the invitee). */
export async function loadInvitation(
  database: Database,
  clock: Clock,
  tenantId: string,
  invitationId: string,
): Promise<InvitationView | undefined> {
  const r = await createRequestStore(database, clock).invitation(tenantId, invitationId);
  return r ? invitationView(r) : undefined;
}

/** Admin commands need what the HTTP API's admin routes need: the owner or admin role. */
const requireAdmin = (user: BotUser): void => assertRole(user, "owner", "admin");

/** Starts the Teams number work a seat change needs (the seat service's job queue). */
export type SeatWork = (tenantId: string, work: NumberWork) => Promise<void>;

/**
 * Seats, sync switch and join requests with the same stores and rules as the tab's seat routes:
 * sync needs an active sync seat; approving assigns the missing seats first (a full pool leaves the
 * request pending), then records the decision; the requester is told.
 */
export function createSeatDesk(deps: {
  database: Database;
  clock: Clock;
  seatWork?: SeatWork;
  notices?: NoticeNotifier;
}): SeatDesk {
  const { db } = deps.database;
  const seatStore = createSeatStore(deps.database, deps.clock);
  const requests = createRequestStore(deps.database, deps.clock);
  const answers = {
    seats: seatStore,
    requests,
    ...(deps.seatWork ? { seatWork: deps.seatWork } : {}),
    ...(deps.notices ? { notices: deps.notices } : {}),
  };

  return {
    async mySeats(user): Promise<MySeats> {
      const seats = await seatStore.seats(user.tenantId, { userId: user.userId });
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
      const hasSync = seats.some((s) => s.kind === "sync" && s.state === "active");
      return {
        seats: seats.map((s) => ({ kind: s.kind, phoneNumber: s.phoneNumber, state: s.state })),
        sync: {
          enabled: hasSync && (await requests.syncSwitch(user.tenantId, user.userId)),
          status: state[0]?.status ?? "idle",
          lastError: state[0]?.lastErrorMessage ?? null,
        },
      };
    },

    async setSync(user, enabled) {
      await switchMySync(answers, user, enabled);
    },

    async pools(user): Promise<PoolSummary[]> {
      requireAdmin(user);
      const pools = await seatStore.pools(user.tenantId);
      return pools.map((p) => ({ kind: p.kind, total: p.total, used: p.used }));
    },

    async pendingRequests(user) {
      requireAdmin(user);
      const pending = await requests.joinRequests(user.tenantId, { state: "pending" });
      const oldestFirst = [...pending].sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.requestId.localeCompare(b.requestId),
      );
      return Promise.all(oldestFirst.map((r) => pendingView(db, user.tenantId, r)));
    },

    async decide(user, requestId, approve) {
      requireAdmin(user);
      const decision = approve ? "approved" : "denied";
      const reason = `${decision} in Teams chat by ${user.displayName || user.upn}`;
      const decided = await decideJoinRequest(answers, user, requestId, decision, reason);
      return pendingView(db, user.tenantId, decided);
    },

    async answerInvitation(user, invitationId, accept) {
      const answer = accept ? "accepted" : "declined";
      return invitationView(await answerInvitation(answers, user, invitationId, answer));
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

function lazyScheduling(current: () => Scheduling | undefined): Scheduling {
  const get = () => current() ?? schedulingUnavailable;
  return {
    suggest: (user, request) => get().suggest(user, request),
    book: (user, request) => get().book(user, request),
    meetings: (user, window) => get().meetings(user, window),
    cancel: (user, bookingId) => get().cancel(user, bookingId),
  };
}

/** The HTTP API's tenant check (`requireConsented`), for the bot's commands and card actions. */
export function createTenantGate(tenants: Pick<TenantStore, "get" | "admins">): TenantGate {
  return {
    async admit(user) {
      await consentedTenant(tenants, user.tenantId);
    },
  };
}

export function createBotServices(deps: {
  database: Database;
  clock: Clock;
  /** The tenant store behind the HTTP API's checks (a store over `database` when omitted). */
  tenants?: TenantStore;
  /** Resolved per call: the scheduling services are composed after the bot (they notify through it). */
  scheduling?: () => Scheduling | undefined;
  seatWork?: SeatWork;
  notices?: NoticeNotifier;
}): BotServices {
  return {
    tenant: createTenantGate(deps.tenants ?? createTenantStore(deps.database, deps.clock)),
    directory: createMemberDirectory(deps.database),
    seats: createSeatDesk(deps),
    scheduling: lazyScheduling(deps.scheduling ?? (() => undefined)),
  };
}
