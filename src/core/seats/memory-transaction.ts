/**
 * A transaction of the in-memory seat store: the SeatTransaction port over a tenant's state (a copy the
 * store keeps only when the work succeeds). Pools refuse to give more than they hold, a user holds at most
 * one number, a join request is decided at most once.
 */
import type {
  AuditInput,
  AuditRecord,
  HeldInvitation,
  InvitationRecord,
  JoinRequestRecord,
  PhoneNumberRecord,
  PlanRecord,
  RuleRecord,
  SeatTransaction,
} from "./ports.ts";
import type { DirectoryUser, PlanRow, PoolState, SeatHolding, SeatKind } from "./types.ts";
import { seatKinds } from "./types.ts";

interface MemoryMember extends DirectoryUser {
  roles: string[];
  syncEnabled: boolean;
}

export type StoredSeat = {
  -readonly [K in keyof SeatHolding]: SeatHolding[K];
} & { assignedAt: string; lastErrorCode: string | null; lastErrorMessage: string | null };
type StoredRequest = Omit<JoinRequestRecord, "displayName" | "upn">;
export type StoredInvitation = Omit<InvitationRecord, "displayName" | "upn" | "invitedByName">;

export interface Tenant {
  version: number;
  members: Map<string, MemoryMember>;
  groups: Map<string, { name: string; memberIds: string[] }>;
  pools: Map<SeatKind, { total: number; used: number }>;
  seats: Map<string, StoredSeat>;
  numbers: Map<string, { -readonly [K in keyof PhoneNumberRecord]: PhoneNumberRecord[K] }>;
  plans: Map<string, { record: PlanRecord; rows: PlanRow[] }>;
  rules: Map<string, RuleRecord>;
  requests: Map<string, StoredRequest>;
  invitations: Map<string, StoredInvitation>;
  audit: AuditRecord[];
}

export const seatKey = (kind: string, userId: string) => `${kind}\u0000${userId}`;
export const holding = (s: StoredSeat): SeatHolding => ({
  userId: s.userId,
  kind: s.kind,
  phoneNumber: s.phoneNumber,
  source: s.source,
  ruleId: s.ruleId,
  state: s.state,
});
export const directoryUser = ({ roles: _r, syncEnabled: _s, ...user }: MemoryMember): DirectoryUser => user;
export const poolList = (pools: Tenant["pools"] | undefined): PoolState[] =>
  seatKinds.map((kind) => ({ kind, total: pools?.get(kind)?.total ?? 0, used: pools?.get(kind)?.used ?? 0 }));

export function memoryTransaction(
  t: Tenant,
  now: () => string,
  nextId: (prefix: string) => string,
): SeatTransaction {
  const appendAudit = (entries: readonly AuditInput[]) => {
    for (const e of entries) {
      t.audit.push({
        auditId: t.audit.length + 1,
        actorUserId: e.actorUserId,
        action: e.action,
        targetType: e.targetType ?? null,
        targetId: e.targetId ?? null,
        actorName: null,
        targetName: null,
        before: e.before ?? null,
        after: e.after ?? null,
        reason: e.reason ?? null,
        at: now(),
      });
    }
  };
  const take = (kind: SeatKind, userIds: readonly string[], keep: (s: StoredSeat) => boolean) => {
    const wanted = new Set(userIds);
    return [...t.seats.values()]
      .filter((s) => s.kind === kind && wanted.has(s.userId) && keep(s))
      .map(holding);
  };
  return {
    lockVersion: async () => t.version,
    bumpVersion: async () => {
      t.version++;
    },
    member: async (userId) => {
      const m = t.members.get(userId);
      return m ? directoryUser(m) : undefined;
    },
    activeMembers: async (userIds) =>
      new Set(
        userIds.filter((id) => {
          const m = t.members.get(id);
          return m?.accountEnabled && !m.deleted;
        }),
      ),
    liveRoles: async (userId) => {
      const m = t.members.get(userId);
      return m && !m.deleted ? [...m.roles] : undefined;
    },
    writeRoles: async (change) => {
      const m = t.members.get(change.userId);
      if (m) m.roles = [...change.next];
      appendAudit([
        {
          actorUserId: change.actorUserId,
          action: "role.changed",
          targetType: "member",
          targetId: change.userId,
          before: { roles: change.before },
          after: { roles: change.next },
          reason: change.reason,
        },
      ]);
    },
    pools: async () => poolList(t.pools),
    moveUsed: async (kind, delta) => {
      const pool = t.pools.get(kind);
      if (!pool) return delta <= 0;
      if (pool.used + delta < 0 || pool.used + delta > pool.total) return false;
      pool.used += delta;
      return true;
    },
    setPoolTotal: async (kind, total) => {
      const used = t.pools.get(kind)?.used ?? 0;
      if (used > total) return false;
      t.pools.set(kind, { total, used });
      return true;
    },
    holdings: async (userIds) =>
      [...t.seats.values()].filter((s) => !userIds || userIds.includes(s.userId)).map(holding),
    addSeats: async (seats) => {
      let added = 0;
      for (const s of seats) {
        if (t.seats.has(seatKey(s.kind, s.userId))) continue;
        t.seats.set(seatKey(s.kind, s.userId), {
          ...s,
          assignedAt: now(),
          lastErrorCode: null,
          lastErrorMessage: null,
        });
        added++;
      }
      return added;
    },
    removeSeats: async (kind, userIds) => {
      const gone = take(kind, userIds, () => true);
      for (const s of gone) t.seats.delete(seatKey(s.kind, s.userId));
      return gone;
    },
    dropSeats: async (userIds) => {
      const gone = seatKinds.flatMap((kind) => take(kind, userIds, () => true));
      for (const s of gone) t.seats.delete(seatKey(s.kind, s.userId));
      return gone;
    },
    suspendSeats: async (userIds) => {
      const hit = seatKinds.flatMap((kind) => take(kind, userIds, (s) => s.state !== "suspended"));
      for (const s of hit) t.seats.get(seatKey(s.kind, s.userId))!.state = "suspended";
      return hit;
    },
    reviveSeat: async ({ kind, userId, state, phoneNumber }) => {
      const s = t.seats.get(seatKey(kind, userId));
      if (s) Object.assign(s, { state, phoneNumber });
    },
    reserveNumber: async (userId, wanted) => {
      const holdsOne = [...t.numbers.values()].some((n) => n.assignedUserId === userId);
      const n =
        wanted === null
          ? [...t.numbers.values()]
              .sort((a, b) => (a.number < b.number ? -1 : 1))
              .find((x) => x.assignedUserId === null)
          : t.numbers.get(wanted);
      if (!n) return { refused: wanted === null ? "none_free" : "not_in_pool" };
      if (n.assignedUserId === userId) return { refused: "holds_another" };
      if (n.assignedUserId !== null) return { refused: "taken" };
      if (holdsOne) return { refused: "holds_another" };
      Object.assign(n, { assignedUserId: userId, state: "assigning", operationId: null, lastError: null });
      return { number: n.number };
    },
    releaseNumbers: async (held) => {
      for (const { userId, number } of held) {
        const n = t.numbers.get(number);
        if (n?.assignedUserId === userId)
          Object.assign(n, { state: "unassigning", operationId: null, lastError: null });
      }
    },
    addNumbers: async (numbers, numberType) => {
      let added = 0;
      for (const number of numbers) {
        if (t.numbers.has(number)) continue;
        t.numbers.set(number, {
          number,
          numberType,
          assignedUserId: null,
          state: "free",
          operationId: null,
          lastError: null,
        });
        added++;
      }
      return added;
    },
    savePlan: async (plan, meta) => {
      const planId = nextId("plan");
      const { baseVersion, createdBy, undoesPlanId = null } = meta;
      const { source, summary } = plan;
      const decided = { undoneByPlanId: null, committedBy: null, committedAt: null };
      t.plans.set(planId, {
        record: {
          planId,
          source,
          summary,
          status: "draft",
          baseVersion,
          undoesPlanId,
          createdBy,
          createdAt: now(),
          ...decided,
        },
        rows: [...plan.rows],
      });
      return planId;
    },
    lockPlan: async (planId) => t.plans.get(planId)?.record,
    planRows: async (planId) => [...(t.plans.get(planId)?.rows ?? [])],
    markPlanCommitted: async (planId, actorUserId) => {
      const p = t.plans.get(planId)!;
      p.record = { ...p.record, status: "committed", committedBy: actorUserId, committedAt: now() };
      return p.record;
    },
    markPlanUndone: async (planId, undoneByPlanId) => {
      const p = t.plans.get(planId)!;
      p.record = { ...p.record, status: "undone", undoneByPlanId };
    },
    groupExists: async (groupId) => t.groups.has(groupId),
    addRule: async (rule, createdBy) => {
      if ([...t.rules.values()].some((r) => r.groupId === rule.groupId && r.kind === rule.kind)) return null;
      const ruleId = nextId("rule");
      t.rules.set(ruleId, { ruleId, ...rule, groupName: rule.groupId, createdBy });
      return ruleId;
    },
    removeRule: async (ruleId) => {
      const r = t.rules.get(ruleId);
      t.rules.delete(ruleId);
      return r ? { groupId: r.groupId, kind: r.kind } : undefined;
    },
    pendingJoinRequest: async (userId) =>
      [...t.requests.values()].find((r) => r.userId === userId && r.state === "pending")?.requestId,
    createJoinRequest: async (request) => {
      const requestId = nextId("request");
      const undecided = { decidedBy: null, reason: null, decidedAt: null };
      t.requests.set(requestId, { requestId, ...request, state: "pending", createdAt: now(), ...undecided });
      return requestId;
    },
    decideJoinRequest: async (requestId, decision) => {
      const r = t.requests.get(requestId);
      if (r?.state !== "pending") return { state: r?.state };
      t.requests.set(requestId, { ...r, ...decision, decidedAt: now() });
      return { decided: { userId: r.userId, seatKinds: r.seatKinds } };
    },
    createInvitation: async (invitation) => {
      const invitationId = nextId("invitation");
      const unanswered = { notifiedAt: null, respondedAt: null };
      t.invitations.set(invitationId, {
        invitationId,
        ...invitation,
        state: "pending",
        createdAt: now(),
        ...unanswered,
      });
      return invitationId;
    },
    lockInvitation: async (invitationId): Promise<HeldInvitation | undefined> =>
      t.invitations.get(invitationId),
    setInvitationState: async (invitationId, state) => {
      const i = t.invitations.get(invitationId);
      if (i) t.invitations.set(invitationId, { ...i, state, respondedAt: now() });
    },
    setSyncSwitch: async (userId, enabled) => {
      const m = t.members.get(userId);
      if (!m) return undefined;
      const before = m.syncEnabled;
      m.syncEnabled = enabled;
      return before;
    },
    audit: async (entries) => appendAudit(entries),
  };
}
