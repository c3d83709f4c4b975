/**
 * The seat service over one SeatStore implementation, with recording effects, for the seat scenarios:
 * in memory, or on a test database (PGlite, PostgreSQL) where each rig gets a tenant of its own.
 */
import { and, eq } from "drizzle-orm";
import type { Actor } from "../../src/core/actor.ts";
import { fixedClock } from "../../src/core/clock.ts";
import { RecordingNotifier } from "../../src/core/directory/memory.ts";
import { MemorySeatStore, RecordingNumberPushes, RecordingTeams } from "../../src/core/seats/memory.ts";
import { MemoryTelephony } from "../../src/core/seats/memory-telephony.ts";
import type { SeatStore } from "../../src/core/seats/ports.ts";
import { SeatService } from "../../src/core/seats/service.ts";
import { groupMembers, groups, members, tenants } from "../../src/store/schema.ts";
import { DrizzleSeatStore } from "../../src/store/seats/store.ts";
import type { TestDatabase } from "../support/database.ts";

export const clock = fixedClock(Date.parse("2026-11-21T10:00:00Z"));

export interface Person {
  readonly id: string;
  /** Default `<id>@contoso.com`; null: no mailbox. */
  readonly mail?: string | null;
  readonly roles?: string[];
  readonly enabled?: boolean;
  readonly deleted?: boolean;
}

export interface Rig {
  readonly tenantId: string;
  readonly store: SeatStore;
  readonly seats: SeatService;
  readonly pushes: RecordingNumberPushes;
  readonly notices: RecordingNotifier;
  readonly teams: RecordingTeams;
  /** The acting person of the tenant. */
  actor(userId: string, roles?: Actor["roles"]): Actor;
  /** Directory members, in directory order. */
  people(list: readonly Person[]): Promise<void>;
  /** A directory or role change of one member. */
  change(userId: string, patch: { enabled?: boolean; deleted?: boolean; roles?: string[] }): Promise<void>;
  group(groupId: string, name: string, memberIds: readonly string[]): Promise<void>;
}

const directoryUser = (p: Person, order: number) => ({
  userId: p.id,
  displayName: p.id.toUpperCase(),
  mail: p.mail === undefined ? `${p.id}@contoso.com` : p.mail,
  upn: `${p.id}@contoso.com`,
  proxyAddresses: [`SMTP:${p.id}@contoso.com`, `smtp:${p.id}.alias@contoso.com`],
  accountEnabled: p.enabled ?? true,
  deleted: p.deleted ?? false,
  directoryOrder: order,
});

function rigOver(tenantId: string, store: SeatStore, setup: Pick<Rig, "people" | "change" | "group">): Rig {
  const pushes = new RecordingNumberPushes();
  const notices = new RecordingNotifier();
  const teams = new RecordingTeams();
  const seats = new SeatService({
    store,
    numbers: pushes,
    notices,
    teams,
    telephony: new MemoryTelephony(),
    limits: { calling: 100, sync: 100 },
  });
  return {
    tenantId,
    store,
    seats,
    pushes,
    notices,
    teams,
    actor: (userId, roles = ["member", "admin"]) => ({
      tenantId,
      userId,
      upn: `${userId}@contoso.com`,
      displayName: userId.toUpperCase(),
      roles,
    }),
    ...setup,
  };
}

export function memoryRig(tenantId: string): Rig {
  const store = new MemorySeatStore(clock);
  store.addTenant(tenantId);
  const known = new Map<string, { person: Person; order: number }>();
  return rigOver(tenantId, store, {
    async people(list) {
      for (const p of list) {
        known.set(p.id, { person: p, order: known.size });
        store.putMember(tenantId, { ...directoryUser(p, known.size - 1), roles: p.roles ?? ["member"] });
      }
    },
    async change(userId, patch) {
      const { person, order } = known.get(userId)!;
      const changed = { ...person, ...patch };
      known.set(userId, { person: changed, order });
      store.putMember(tenantId, {
        ...directoryUser(changed, order),
        ...(patch.roles ? { roles: patch.roles } : {}),
      });
    },
    async group(groupId, name, memberIds) {
      store.putGroup(tenantId, groupId, name, [...memberIds]);
    },
  });
}

let tenants_ = 0;

export async function databaseRig(database: TestDatabase): Promise<Rig> {
  const tenantId = `tenant-${process.pid}-${++tenants_}`;
  const { db } = database;
  await db.insert(tenants).values({ tenantId, displayName: "Contoso", status: "consented" });
  let order = 0;
  const one = (userId: string) => and(eq(members.tenantId, tenantId), eq(members.userId, userId));
  return rigOver(tenantId, new DrizzleSeatStore(database, clock), {
    async people(list) {
      if (list.length === 0) return;
      await db.insert(members).values(
        list.map((p) => {
          const u = directoryUser(p, order++);
          return {
            tenantId,
            userId: u.userId,
            upn: u.upn,
            mail: u.mail,
            displayName: u.displayName,
            proxyAddresses: u.proxyAddresses,
            accountEnabled: u.accountEnabled,
            deletedAt: u.deleted ? new Date(clock.now()) : null,
            directoryOrder: u.directoryOrder,
            roles: p.roles ?? ["member"],
          };
        }),
      );
    },
    async change(userId, patch) {
      await db
        .update(members)
        .set({
          ...(patch.enabled !== undefined ? { accountEnabled: patch.enabled } : {}),
          ...(patch.deleted !== undefined ? { deletedAt: patch.deleted ? new Date(clock.now()) : null } : {}),
          ...(patch.roles ? { roles: patch.roles } : {}),
        })
        .where(one(userId));
    },
    async group(groupId, name, memberIds) {
      await db.insert(groups).values({ tenantId, groupId, displayName: name });
      await db.insert(groupMembers).values(memberIds.map((userId) => ({ tenantId, groupId, userId })));
    },
  });
}
