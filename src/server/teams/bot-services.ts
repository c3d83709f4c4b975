/**
 * The bot's ports over the core services and the store: the directory (members), seats and the sync
 * switch through the seat service (the same rules as the tab's seat routes), join requests and
 * invitations as the bot's cards show them, and the tenant gate.
 */
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
} from "../../../bot/ports.ts";
import { roles as allRoles, type Role } from "../../core/actor.ts";
import { pickByName } from "../../core/directory/name-match.ts";
import type { InvitationRecord, JoinRequestRecord } from "../../core/seats/ports.ts";
import type { SeatService } from "../../core/seats/service.ts";
import type { TenantStore } from "../../identity/tenants.ts";
import type { Database } from "../../store/db.ts";
import { activePeopleMatching, chatMember, personOf } from "../../store/members.ts";
import { invitation as storedInvitation, joinRequest as storedJoinRequest } from "../../store/requests.ts";
import { calendarSyncState } from "../../store/sync-state.ts";
import { assertRole, consentedTenant } from "../http/auth.ts";

const toPerson = (m: { userId: string; displayName: string; mail: string | null; upn: string }): Person => ({
  userId: m.userId,
  displayName: m.displayName || m.upn,
  mail: m.mail ?? m.upn,
});

export function createMemberDirectory(database: Database): PeopleDirectory {
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
    const rows = await activePeopleMatching(database.db, tenantId, nonEmpty, 50 * nonEmpty.length);
    return wanted.map((q) => {
      if (q.length === 0) return [];
      const found = rows.filter((r) => matches(q, r));
      // An address answers its person; a name answers an exact match first (taken when it is the only one).
      return (q.includes("@") ? found : pickByName(q, found)).slice(0, 11).map(toPerson);
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
  const m = await chatMember(database.db, tenantId, userId);
  if (!m) return undefined;
  return { ...m, roles: m.roles.filter((r): r is Role => (allRoles as readonly string[]).includes(r)) };
}

async function pendingView(
  database: Database,
  tenantId: string,
  r: JoinRequestRecord,
): Promise<PendingJoinRequest> {
  const m = await personOf(database.db, tenantId, r.userId);
  return {
    requestId: r.requestId,
    person: m ? toPerson(m) : { userId: r.userId, displayName: r.displayName ?? r.userId, mail: r.upn ?? "" },
    seatKinds: r.seatKinds,
    message: r.message,
    createdAt: Date.parse(r.createdAt),
  };
}

/** A join request as the bot shows it (for the approve/deny card sent to admins). */
export async function loadJoinRequest(
  database: Database,
  tenantId: string,
  requestId: string,
): Promise<PendingJoinRequest | undefined> {
  const r = await storedJoinRequest(database.db, tenantId, requestId);
  return r ? pendingView(database, tenantId, r) : undefined;
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
  tenantId: string,
  invitationId: string,
): Promise<InvitationView | undefined> {
  const r = await storedInvitation(database.db, tenantId, invitationId);
  return r ? invitationView(r) : undefined;
}

/** Admin commands need what the HTTP API's admin routes need: the owner or admin role. */
const requireAdmin = (user: BotUser): void => assertRole(user, "owner", "admin");

/** Seats, the sync switch and join requests through the seat service, as the tab's seat routes use it. */
export function createSeatDesk(deps: { database: Database; seats: SeatService }): SeatDesk {
  const { database, seats } = deps;
  return {
    async mySeats(user): Promise<MySeats> {
      const [held, sync, state] = await Promise.all([
        seats.seats(user.tenantId, { userId: user.userId }),
        seats.mySync(user),
        calendarSyncState(database.db, user.tenantId, user.userId),
      ]);
      return {
        seats: held.map((s) => ({ kind: s.kind, phoneNumber: s.phoneNumber, state: s.state })),
        sync: { enabled: sync.enabled, status: state.status, lastError: state.lastError },
      };
    },

    setSync: (user, enabled) => seats.setMySync(user, enabled),

    async pools(user): Promise<PoolSummary[]> {
      requireAdmin(user);
      return (await seats.pools(user.tenantId)).map((p) => ({ kind: p.kind, total: p.total, used: p.used }));
    },

    async pendingRequests(user) {
      requireAdmin(user);
      const pending = await seats.joinRequests(user, { state: "pending" });
      const oldestFirst = [...pending].sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.requestId.localeCompare(b.requestId),
      );
      return Promise.all(oldestFirst.map((r) => pendingView(database, user.tenantId, r)));
    },

    async decide(user, requestId, approve) {
      requireAdmin(user);
      const decision = approve ? "approved" : "denied";
      const reason = `${decision} in Teams chat by ${user.displayName || user.upn}`;
      const decided = await seats.decideJoinRequest(user, requestId, decision, reason);
      return pendingView(database, user.tenantId, decided);
    },

    async answerInvitation(user, invitationId, accept) {
      const answer = accept ? "accepted" : "declined";
      return invitationView(await seats.answerInvitation(user, invitationId, answer));
    },
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
  seats: SeatService;
  /** The tenant store behind the HTTP API's checks. */
  tenants: Pick<TenantStore, "get" | "admins">;
  scheduling: Scheduling;
}): BotServices {
  return {
    tenant: createTenantGate(deps.tenants),
    directory: createMemberDirectory(deps.database),
    seats: createSeatDesk(deps),
    scheduling: deps.scheduling,
  };
}
