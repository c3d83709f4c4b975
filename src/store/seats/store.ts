/**
 * The seat store on PGlite or PostgreSQL: the SeatStore port composed from the seat tables' modules
 * (pools, assignments, numbers, plans, rules), the join requests and invitations, the members and the
 * audit log. A transaction is a database transaction; every seat-affecting change bumps
 * `tenants.seat_version`, and a plan made against an older version is stale.
 */
import { eq, sql } from "drizzle-orm";
import type { Clock } from "../../core/clock.ts";
import { DomainError } from "../../core/errors.ts";
import type { SeatState } from "../../core/seats/plan.ts";
import type { SeatStore, SeatTransaction } from "../../core/seats/ports.ts";
import { appendAudit, auditTrail } from "../audit.ts";
import type { Database } from "../db.ts";
import {
  activeMemberIds,
  directoryIndex,
  directoryUser,
  groupDirectoryUsers,
  heldRoles,
  syncSwitchOf,
  writeSyncSwitch,
} from "../members.ts";
import * as requests from "../requests.ts";
import { writeRoles } from "../roles.ts";
import { tenants } from "../schema.ts";
import type { Conn, Tx } from "../sql.ts";
import * as assignments from "./assignments.ts";
import * as numbers from "./numbers.ts";
import * as plans from "./plans.ts";
import * as pools from "./pools.ts";
import * as rules from "./rules.ts";

const unknownTenant = () => new DomainError("NOT_FOUND", "The tenant is not known to Quorum.");

async function seatVersion(conn: Conn, tenantId: string, hold: boolean): Promise<number> {
  const query = conn.select({ v: tenants.seatVersion }).from(tenants).where(eq(tenants.tenantId, tenantId));
  const [row] = await (hold ? query.for("update") : query);
  if (!row) throw unknownTenant();
  return row.v;
}

export class DrizzleSeatStore implements SeatStore {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  private now = () => new Date(this.clock.now());

  transaction<T>(tenantId: string, work: (tx: SeatTransaction) => Promise<T>): Promise<T> {
    return this.database.db.transaction((tx) => work(this.changes(tx, tenantId)));
  }

  private changes(tx: Tx, tenantId: string): SeatTransaction {
    const now = this.now;
    return {
      lockVersion: () => seatVersion(tx, tenantId, true),
      async bumpVersion() {
        const rows = await tx
          .update(tenants)
          .set({ seatVersion: sql`${tenants.seatVersion} + 1`, updatedAt: now() })
          .where(eq(tenants.tenantId, tenantId))
          .returning({ v: tenants.seatVersion });
        if (!rows[0]) throw unknownTenant();
      },
      member: (userId) => directoryUser(tx, tenantId, userId),
      activeMembers: (userIds) => activeMemberIds(tx, tenantId, userIds),
      liveRoles: (userId, hold) => heldRoles(tx, tenantId, userId, { live: true, hold }),
      writeRoles: (change) => writeRoles(tx, { tenantId, ...change, at: now() }),
      pools: () => pools.poolsOf(tx, tenantId),
      moveUsed: (kind, delta) => pools.moveUsed(tx, tenantId, kind, delta, now()),
      setPoolTotal: (kind, total) => pools.setPoolTotal(tx, tenantId, kind, total, now()),
      holdings: (userIds) => assignments.holdings(tx, tenantId, userIds),
      addSeats: (seats, assignedBy) => assignments.addSeats(tx, tenantId, seats, assignedBy, now()),
      removeSeats: (kind, userIds) => assignments.removeSeats(tx, tenantId, kind, userIds),
      dropSeats: (userIds) => assignments.removeSeats(tx, tenantId, null, userIds),
      suspendSeats: (userIds) => assignments.suspendSeats(tx, tenantId, userIds, now()),
      reviveSeat: (seat) => assignments.reviveSeat(tx, tenantId, seat, now()),
      reserveNumber: (userId, wanted) => numbers.reserveNumber(tx, tenantId, userId, wanted, now()),
      releaseNumbers: (held) => numbers.releaseNumbers(tx, tenantId, held, now()),
      addNumbers: (list, numberType) => numbers.addNumbers(tx, tenantId, list, numberType, now()),
      savePlan: (plan, meta) => plans.savePlan(tx, tenantId, plan, meta, now()),
      lockPlan: (planId) => plans.lockPlan(tx, tenantId, planId),
      planRows: (planId) => plans.allPlanRows(tx, tenantId, planId),
      markPlanCommitted: (planId, actorUserId) =>
        plans.markPlanCommitted(tx, tenantId, planId, actorUserId, now()),
      markPlanUndone: (planId, undoneBy) => plans.markPlanUndone(tx, tenantId, planId, undoneBy),
      groupExists: (groupId) => rules.groupExists(tx, tenantId, groupId),
      addRule: (rule, createdBy) => rules.addRule(tx, tenantId, rule, createdBy, now()),
      removeRule: (ruleId) => rules.removeRule(tx, tenantId, ruleId),
      pendingJoinRequest: (userId) => requests.pendingJoinRequest(tx, tenantId, userId),
      createJoinRequest: (request) => requests.createJoinRequest(tx, tenantId, request, now()),
      decideJoinRequest: (requestId, decision) =>
        requests.decideJoinRequest(tx, tenantId, requestId, decision, now()),
      createInvitation: (invitation) => requests.createInvitation(tx, tenantId, invitation, now()),
      lockInvitation: (invitationId) => requests.lockInvitation(tx, tenantId, invitationId),
      setInvitationState: (invitationId, state) =>
        requests.setInvitationState(tx, tenantId, invitationId, state, now()),
      async setSyncSwitch(userId, enabled) {
        const before = await syncSwitchOf(tx, tenantId, userId, true);
        if (before !== undefined) await writeSyncSwitch(tx, tenantId, userId, enabled, now());
        return before;
      },
      audit: (entries) => appendAudit(tx, tenantId, entries, now()),
    };
  }

  pools(tenantId: string) {
    return pools.poolsOf(this.database.db, tenantId);
  }

  seats(tenantId: string, filter?: { kind?: "calling" | "sync"; userId?: string }) {
    return assignments.seatList(this.database.db, tenantId, filter);
  }

  seatState(tenantId: string): Promise<SeatState & { version: number }> {
    return this.database.db.transaction(async (tx) => ({
      version: await seatVersion(tx, tenantId, false),
      holdings: await assignments.holdings(tx, tenantId),
      numbers: await numbers.numberOwners(tx, tenantId),
      pools: await pools.poolsOf(tx, tenantId),
    }));
  }

  numbers(tenantId: string) {
    return numbers.numberList(this.database.db, tenantId);
  }

  numberRecord(tenantId: string, number: string) {
    return numbers.numberRecord(this.database.db, tenantId, number);
  }

  recordNumberState(
    tenantId: string,
    number: string,
    outcome: Parameters<SeatStore["recordNumberState"]>[2],
  ) {
    return numbers.recordNumberState(this.database.db, tenantId, number, outcome, this.now());
  }

  directoryIndex(tenantId: string) {
    return directoryIndex(this.database.db, tenantId);
  }

  groupMembers(tenantId: string, groupId: string) {
    return groupDirectoryUsers(this.database.db, tenantId, groupId);
  }

  plan(tenantId: string, planId: string, page?: Parameters<SeatStore["plan"]>[2]) {
    return plans.planPage(this.database.db, tenantId, planId, page);
  }

  rules(tenantId: string) {
    return rules.ruleList(this.database.db, tenantId);
  }

  joinRequest(tenantId: string, requestId: string) {
    return requests.joinRequest(this.database.db, tenantId, requestId);
  }

  joinRequests(tenantId: string, filter?: { userId?: string; state?: string }) {
    return requests.joinRequestList(this.database.db, tenantId, filter);
  }

  invitation(tenantId: string, invitationId: string) {
    return requests.invitation(this.database.db, tenantId, invitationId);
  }

  invitations(tenantId: string, filter?: { userId?: string }) {
    return requests.invitationList(this.database.db, tenantId, filter);
  }

  markInvitationNotified(tenantId: string, invitationId: string) {
    return requests.markInvitationNotified(this.database.db, tenantId, invitationId, this.now());
  }

  syncSwitch(tenantId: string, userId: string) {
    return syncSwitchOf(this.database.db, tenantId, userId);
  }

  audit(tenantId: string, entries: Parameters<SeatStore["audit"]>[1]) {
    return appendAudit(this.database.db, tenantId, entries, this.now());
  }

  auditTrail(tenantId: string, query?: Parameters<SeatStore["auditTrail"]>[1]) {
    return auditTrail(this.database.db, tenantId, query);
  }
}
