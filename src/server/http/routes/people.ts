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
import { z } from "zod";
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
import { DomainError } from "../../../core/errors.ts";
import { graphWorkingHours, ianaZone } from "../../../graph/calendars.ts";
import type { GraphGateway } from "../../../graph/gateway.ts";
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

const graphRoom = z.object({
  emailAddress: z.string().nullish(),
  displayName: z.string().nullish(),
  capacity: z.number().int().nullish(),
  building: z.string().nullish(),
  floorNumber: z.number().int().nullish(),
  address: z.object({ city: z.string().nullish() }).nullish(),
  isWheelChairAccessible: z.boolean().nullish(),
});

const graphMailboxSettings = z.object({
  timeZone: z.string().nullish(),
  language: z.object({ locale: z.string().nullish() }).nullish(),
  workingHours: graphWorkingHours.nullish(),
});

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

const hhmm = (t: string | null | undefined) => /^(\d{2}:\d{2})/.exec(t ?? "")?.[1] ?? null;

export function peopleRoutes(deps: PeopleRoutesDeps): RoutePlugin {
  const { db } = deps.database;
  const ttl = (deps.cacheSeconds ?? 300) * 1000;
  const now = () => deps.clock.now();
  const roomsOf = memo<Room[]>(ttl, now, 1_000);
  const mailboxOf = memo<MailboxSettingsResponse>(ttl, now);

  const loadRooms = async (tenantId: string): Promise<Room[]> => {
    const rooms: Room[] = [];
    for await (const page of deps.graph.pages<unknown>(tenantId, "/places/microsoft.graph.room?$top=100")) {
      for (const item of page.value) {
        const r = graphRoom.parse(item);
        if (!r.emailAddress) continue;
        rooms.push({
          email: r.emailAddress,
          displayName: r.displayName || r.emailAddress,
          capacity: r.capacity && r.capacity > 0 ? r.capacity : null,
          building: r.building || null,
          floorNumber: r.floorNumber ?? null,
          city: r.address?.city || null,
          isWheelChairAccessible: r.isWheelChairAccessible ?? null,
        });
      }
    }
    return rooms.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.email.localeCompare(b.email));
  };

  const loadMailbox = async (tenantId: string, userId: string): Promise<MailboxSettingsResponse> => {
    const raw = await deps.graph
      .forTenant(tenantId)
      .get<unknown>(
        `/users/${encodeURIComponent(userId)}/mailboxSettings?$select=timeZone,language,workingHours`,
      );
    const s = graphMailboxSettings.parse(raw);
    const country = await usageLocationOf(db, tenantId, userId);
    const timeZone = ianaZone(s.timeZone, country);
    if (!timeZone) {
      throw new DomainError(
        "GRAPH_ERROR",
        `The mailbox names a time zone Quorum does not know: "${s.timeZone}".`,
      );
    }
    const w = s.workingHours;
    const start = hhmm(w?.startTime);
    const end = hhmm(w?.endTime);
    const workingZone = ianaZone(w?.timeZone?.name, country) ?? timeZone;
    const settings: MailboxSettingsResponse = {
      timeZone,
      mailboxTimeZone: s.timeZone ?? null,
      workingHours:
        w && start && end && w.daysOfWeek?.length
          ? { daysOfWeek: w.daysOfWeek, startTime: start, endTime: end, timeZone: workingZone }
          : null,
      locale: s.language?.locale || null,
    };
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
