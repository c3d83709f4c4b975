/**
 * People and places around a booking, beyond the type-ahead of routes/directory.ts:
 * - `GET /api/admin/members` (owner/admin): everyone the directory import brought in, with Quorum roles
 *   and seats, filtered by text, role and seat, paged by offset.
 * - `GET /api/admin/groups?q=` (owner/admin): Entra groups as the last import saw them, with member
 *   counts (what group-to-seat rules pick from).
 * - `GET /api/rooms?q=&minCapacity=`: the tenant's meeting rooms from Graph places (app-only,
 *   Place.Read.All), kept per tenant for a few minutes.
 * - `GET /api/me/mailbox-settings`: the caller's mailbox time zone (IANA), working hours and language
 *   (app-only, MailboxSettings.Read). The zone and language are also kept on the member, for the bot.
 */
import type { FastifyInstance } from "fastify";
import {
  type GroupsResponse,
  groupsQuery,
  type MailboxSettingsResponse,
  type MembersResponse,
  membersQuery,
  type RoleName,
  type Room,
  type RoomsResponse,
  roleName,
  roomsQuery,
} from "../../../api-contract/directory.ts";
import type { Clock } from "../../../core/clock.ts";
import type { GraphGateway } from "../../../graph/gateway.ts";
import { readMailboxSettings } from "../../../graph/mailbox-settings.ts";
import { listRoomPlaces } from "../../../graph/places.ts";
import type { Database } from "../../../store/db.ts";
import { groupsMatching } from "../../../store/directory.ts";
import { memberPage, setMailboxPreferences, usageLocationOf } from "../../../store/members.ts";
import { holdings } from "../../../store/seats/assignments.ts";
import type { RoutePlugin } from "../app.ts";
import { authenticate, requireConsented, requireRole } from "../auth.ts";

export interface PeopleRoutesDeps {
  database: Database;
  graph: GraphGateway;
  clock: Clock;
  /** How long a tenant's room list and a user's mailbox settings are reused (default five minutes). */
  cacheSeconds?: number;
}

/** A small time-bounded memo; an optimisation only, so each replica keeps its own. */
function memo<T>(ttlMs: number, now: () => number, maxEntries = 5_000) {
  const entries = new Map<string, { value: Promise<T>; until: number }>();
  return (key: string, load: () => Promise<T>): Promise<T> => {
    const hit = entries.get(key);
    if (hit && hit.until > now()) return hit.value;
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    const value = load();
    entries.set(key, { value, until: now() + ttlMs });
    // A failure is not remembered: the next call asks Graph again.
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}

export function peopleRoutes(deps: PeopleRoutesDeps): RoutePlugin {
  const { db } = deps.database;
  const ttl = (deps.cacheSeconds ?? 300) * 1000;
  const now = () => deps.clock.now();
  const roomsOf = memo<Room[]>(ttl, now, 1_000);
  const mailboxOf = memo<MailboxSettingsResponse>(ttl, now);

  const loadRooms = (tenantId: string): Promise<Room[]> => listRoomPlaces(deps.graph, tenantId);

  const loadMailbox = async (tenantId: string, userId: string): Promise<MailboxSettingsResponse> => {
    const country = await usageLocationOf(db, tenantId, userId);
    const settings = await readMailboxSettings(deps.graph, tenantId, userId, country);
    // The bot answers in the member's zone and language when the chat does not say.
    await setMailboxPreferences(
      db,
      tenantId,
      userId,
      { timeZone: settings.timeZone, locale: settings.locale },
      new Date(deps.clock.now()),
    );
    return settings;
  };

  return async function register(app: FastifyInstance): Promise<void> {
    const admin = { onRequest: [authenticate, requireConsented, requireRole("owner", "admin")] };
    const member = { onRequest: [authenticate, requireConsented] };

    app.get("/api/admin/members", admin, async (request): Promise<MembersResponse> => {
      const q = membersQuery.parse(request.query);
      const tenantId = request.actor.tenantId;
      const { page, total } = await memberPage(db, tenantId, q);
      const seatRows =
        page.length === 0
          ? []
          : await holdings(
              db,
              tenantId,
              page.map((m) => m.userId),
            );
      const seatOf = new Map(seatRows.map((s) => [`${s.userId}:${s.kind}`, s]));
      const seatView = (userId: string, kind: "calling" | "sync") => {
        const s = seatOf.get(`${userId}:${kind}`);
        return s ? { state: s.state, phoneNumber: s.phoneNumber } : null;
      };
      return {
        members: page.map((m) => ({
          ...m,
          roles: m.roles.filter((r): r is RoleName => roleName.safeParse(r).success),
          seats: { calling: seatView(m.userId, "calling"), sync: seatView(m.userId, "sync") },
        })),
        total,
        offset: q.offset,
        limit: q.limit,
      };
    });

    app.get("/api/admin/groups", admin, async (request): Promise<GroupsResponse> => {
      const q = groupsQuery.parse(request.query);
      const tenantId = request.actor.tenantId;
      return { groups: await groupsMatching(db, tenantId, q.q, q.limit) };
    });

    app.get("/api/rooms", member, async (request): Promise<RoomsResponse> => {
      const q = roomsQuery.parse(request.query);
      const tenantId = request.actor.tenantId;
      const all = await roomsOf(tenantId, () => loadRooms(tenantId));
      const text = q.q?.toLowerCase();
      const matches = (r: Room) =>
        !text ||
        [r.displayName, r.building ?? "", r.email].some((s) => s.toLowerCase().startsWith(text)) ||
        r.displayName
          .toLowerCase()
          .split(/\s+/)
          .some((w) => w.startsWith(text));
      return {
        rooms: all.filter(
          (r) => matches(r) && (q.minCapacity === undefined || (r.capacity ?? 0) >= q.minCapacity),
        ),
      };
    });

    app.get("/api/me/mailbox-settings", member, async (request): Promise<MailboxSettingsResponse> => {
      const { tenantId, userId } = request.actor;
      return mailboxOf(`${tenantId}:${userId}`, () => loadMailbox(tenantId, userId));
    });
  };
}
