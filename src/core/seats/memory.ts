/**
 * The seat store in memory, with the database's semantics: transactions run one at a time on a copy of
 * the tenant that replaces it only when the work succeeds (so readers see committed state only); pools
 * refuse to give more than they hold (SEAT_POOL_EXHAUSTED comes from the rules above); a user holds at
 * most one number; a decision finds a join request pending at most once; plans carry the version they
 * were made from. Also the recording twins of the effects the seat service needs.
 */
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import type { Notification, Notifier, NotifyResult } from "../notifier.ts";
import { EmailIndex } from "./email-match.ts";
import {
  directoryUser,
  holding,
  memoryTransaction,
  poolList,
  type StoredInvitation,
  type StoredSeat,
  seatKey,
  type Tenant,
} from "./memory-transaction.ts";
import type { SeatState } from "./plan.ts";
import type {
  AuditInput,
  AuditQuery,
  AuditRecord,
  InvitationRecord,
  JoinRequestRecord,
  NumberPushes,
  NumberWork,
  PhoneNumberRecord,
  PlanRecord,
  RuleRecord,
  SeatRecord,
  SeatStore,
  SeatTransaction,
} from "./ports.ts";
import type { DirectoryUser, PlanRow, PoolState, SeatKind } from "./types.ts";

export class MemorySeatStore implements SeatStore {
  private readonly tenants = new Map<string, Tenant>();
  private tail: Promise<unknown> = Promise.resolve();
  private ids = 0;

  constructor(private readonly clock: Clock) {}

  /** Setup: a tenant Quorum knows, with its directory. */
  addTenant(tenantId: string): void {
    this.tenants.set(tenantId, {
      version: 0,
      ...{ members: new Map(), groups: new Map(), pools: new Map(), seats: new Map(), numbers: new Map() },
      ...{ plans: new Map(), rules: new Map(), requests: new Map(), invitations: new Map(), audit: [] },
    });
  }

  /** Setup: adds or changes a directory member (as a directory round would). */
  putMember(tenantId: string, member: DirectoryUser & { roles?: string[]; syncEnabled?: boolean }): void {
    const t = this.tenant(tenantId);
    const was = t.members.get(member.userId);
    t.members.set(member.userId, {
      ...member,
      roles: member.roles ?? was?.roles ?? ["member"],
      syncEnabled: member.syncEnabled ?? was?.syncEnabled ?? true,
    });
  }

  putGroup(tenantId: string, groupId: string, name: string, memberIds: string[]): void {
    this.tenant(tenantId).groups.set(groupId, { name, memberIds: [...memberIds] });
  }

  private tenant(tenantId: string): Tenant {
    const t = this.tenants.get(tenantId);
    if (!t) throw new DomainError("NOT_FOUND", "The tenant is not known to Quorum.");
    return t;
  }

  private now = () => new Date(this.clock.now()).toISOString();

  transaction<T>(tenantId: string, work: (tx: SeatTransaction) => Promise<T>): Promise<T> {
    return this.mutate(tenantId, (t) =>
      work(memoryTransaction(t, this.now, (prefix) => `${prefix}-${++this.ids}`)),
    );
  }

  /** Runs `change` alone on a copy of the tenant, which replaces it only when the change succeeds. */
  private mutate<T>(tenantId: string, change: (t: Tenant) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      const draft = structuredClone(this.tenant(tenantId));
      const result = await change(draft);
      this.tenants.set(tenantId, draft);
      return result;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private read(tenantId: string): Tenant | undefined {
    return this.tenants.get(tenantId);
  }

  async pools(tenantId: string): Promise<PoolState[]> {
    return poolList(this.read(tenantId)?.pools);
  }

  async seats(tenantId: string, filter: { kind?: SeatKind; userId?: string } = {}): Promise<SeatRecord[]> {
    const t = this.read(tenantId);
    if (!t) return [];
    const order = (s: StoredSeat) => t.members.get(s.userId)?.directoryOrder ?? Number.POSITIVE_INFINITY;
    return [...t.seats.values()]
      .filter(
        (s) => (!filter.kind || s.kind === filter.kind) && (!filter.userId || s.userId === filter.userId),
      )
      .sort((a, b) => a.kind.localeCompare(b.kind) || order(a) - order(b) || a.userId.localeCompare(b.userId))
      .map((s) => {
        const m = t.members.get(s.userId);
        return {
          ...holding(s),
          lastErrorCode: s.lastErrorCode,
          lastErrorMessage: s.lastErrorMessage,
          assignedAt: s.assignedAt,
          displayName: m?.displayName ?? null,
          upn: m?.upn ?? null,
          mail: m?.mail ?? null,
        };
      });
  }

  async seatState(tenantId: string): Promise<SeatState & { version: number }> {
    const t = this.tenant(tenantId);
    const numbers = new Map([...t.numbers.values()].map((n) => [n.number, n.assignedUserId] as const));
    return {
      holdings: [...t.seats.values()].map(holding),
      pools: poolList(t.pools),
      numbers,
      version: t.version,
    };
  }

  async numbers(tenantId: string): Promise<PhoneNumberRecord[]> {
    return [...(this.read(tenantId)?.numbers.values() ?? [])]
      .map((n) => ({ ...n }))
      .sort((a, b) => (a.number < b.number ? -1 : 1));
  }

  async numberRecord(tenantId: string, number: string): Promise<PhoneNumberRecord | undefined> {
    const n = this.read(tenantId)?.numbers.get(number);
    return n ? { ...n } : undefined;
  }

  async recordNumberState(
    tenantId: string,
    number: string,
    outcome: Parameters<SeatStore["recordNumberState"]>[2],
  ) {
    await this.mutate(tenantId, async (t) => {
      const n = t.numbers.get(number);
      if (!n) return;
      const owner = n.assignedUserId;
      Object.assign(n, {
        state: outcome.state,
        ...(outcome.operationId !== undefined ? { operationId: outcome.operationId } : {}),
        lastError: outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : null,
        ...(outcome.state === "free" ? { assignedUserId: null } : {}),
      });
      if (!owner || (outcome.state !== "assigned" && outcome.state !== "failed")) return;
      const seat = t.seats.get(seatKey("calling", owner));
      // A suspended seat keeps its state whatever happens to the number being released.
      if (!seat || seat.phoneNumber !== number || seat.state === "suspended") return;
      Object.assign(seat, {
        state: outcome.state === "assigned" ? "active" : "failed",
        lastErrorCode: outcome.error?.code ?? null,
        lastErrorMessage: outcome.error?.message ?? null,
      });
    });
  }

  async directoryIndex(tenantId: string): Promise<EmailIndex> {
    const index = new EmailIndex();
    for (const m of this.read(tenantId)?.members.values() ?? []) index.add(directoryUser(m));
    return index;
  }

  async groupMembers(tenantId: string, groupId: string): Promise<DirectoryUser[]> {
    const t = this.read(tenantId);
    return (t?.groups.get(groupId)?.memberIds ?? [])
      .flatMap((id) => {
        const m = t?.members.get(id);
        return m ? [directoryUser(m)] : [];
      })
      .sort((a, b) => a.directoryOrder - b.directoryOrder);
  }

  async plan(
    tenantId: string,
    planId: string,
    page: { offset?: number; limit?: number; action?: string } = {},
  ): Promise<{ plan: PlanRecord; rows: PlanRow[]; totalRows: number } | undefined> {
    const p = this.read(tenantId)?.plans.get(planId);
    if (!p) return undefined;
    const rows = p.rows.filter((r) => !page.action || r.action === page.action);
    const offset = page.offset ?? 0;
    return { plan: p.record, rows: rows.slice(offset, offset + (page.limit ?? 100)), totalRows: rows.length };
  }

  async rules(tenantId: string): Promise<RuleRecord[]> {
    const t = this.read(tenantId);
    return [...(t?.rules.values() ?? [])]
      .map((r) => ({ ...r, groupName: t?.groups.get(r.groupId)?.name ?? r.groupId }))
      .sort((a, b) => a.priority - b.priority || a.ruleId.localeCompare(b.ruleId));
  }

  private names(t: Tenant | undefined, userId: string) {
    const m = t?.members.get(userId);
    return { displayName: m?.displayName ?? null, upn: m?.upn ?? null };
  }

  async joinRequest(tenantId: string, requestId: string): Promise<JoinRequestRecord | undefined> {
    const t = this.read(tenantId);
    const r = t?.requests.get(requestId);
    return r ? { ...r, ...this.names(t, r.userId) } : undefined;
  }

  async joinRequests(
    tenantId: string,
    filter: { userId?: string; state?: string } = {},
  ): Promise<JoinRequestRecord[]> {
    const t = this.read(tenantId);
    return [...(t?.requests.values() ?? [])]
      .filter(
        (r) => (!filter.userId || r.userId === filter.userId) && (!filter.state || r.state === filter.state),
      )
      .reverse()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((r) => ({ ...r, ...this.names(t, r.userId) }));
  }

  private invitationView(t: Tenant | undefined, i: StoredInvitation): InvitationRecord {
    return { ...i, ...this.names(t, i.userId), invitedByName: this.names(t, i.invitedBy).displayName };
  }

  async invitation(tenantId: string, invitationId: string): Promise<InvitationRecord | undefined> {
    const t = this.read(tenantId);
    const i = t?.invitations.get(invitationId);
    return i ? this.invitationView(t, i) : undefined;
  }

  async invitations(tenantId: string, filter: { userId?: string } = {}): Promise<InvitationRecord[]> {
    const t = this.read(tenantId);
    return [...(t?.invitations.values() ?? [])]
      .filter((i) => !filter.userId || i.userId === filter.userId)
      .reverse()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((i) => this.invitationView(t, i));
  }

  async markInvitationNotified(tenantId: string, invitationId: string): Promise<void> {
    await this.mutate(tenantId, async (t) => {
      const i = t.invitations.get(invitationId);
      if (i) t.invitations.set(invitationId, { ...i, notifiedAt: this.now() });
    });
  }

  async syncSwitch(tenantId: string, userId: string): Promise<boolean | undefined> {
    return this.read(tenantId)?.members.get(userId)?.syncEnabled;
  }

  audit(tenantId: string, entries: readonly AuditInput[]): Promise<void> {
    return this.transaction(tenantId, (tx) => tx.audit(entries));
  }

  async auditTrail(tenantId: string, query: AuditQuery = {}): Promise<AuditRecord[]> {
    const t = this.read(tenantId);
    return [...(t?.audit ?? [])]
      .filter(
        (a) =>
          (!query.action || a.action.startsWith(query.action)) &&
          (!query.targetId || a.targetId === query.targetId) &&
          (query.before === undefined || a.auditId < query.before),
      )
      .reverse()
      .slice(0, query.limit ?? 100)
      .map((a) => ({
        ...a,
        actorName: a.actorUserId ? this.names(t, a.actorUserId).displayName : null,
        targetName: a.targetId ? this.names(t, a.targetId).displayName : null,
      }));
  }
}

/** Number work as it was pushed, per tenant, in order. */
export class RecordingNumberPushes implements NumberPushes {
  readonly pushed: { tenantId: string; work: NumberWork }[] = [];
  async push(tenantId: string, work: NumberWork): Promise<void> {
    if (work.assign.length > 0 || work.unassign.length > 0) this.pushed.push({ tenantId, work });
  }
}

/** Teams notifications as they were sent; `failing` makes delivery reject. */
export class RecordingTeams implements Notifier {
  readonly sent: Notification[] = [];
  failing = false;
  async notify(notification: Notification): Promise<NotifyResult> {
    if (this.failing) throw new Error("Teams could not be reached.");
    this.sent.push(notification);
    return { delivered: 1, unreachable: [] };
  }
}
