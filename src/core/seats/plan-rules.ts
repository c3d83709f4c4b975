/**
 * Group rules as a plan: members of mapped groups get seats in directory order while licences last; the
 * rest wait in a visible queue.
 */
import type { SeatState } from "./plan.ts";
import { holdingKey, poolOf, row, summarize } from "./plan-rows.ts";
import type { ComputedPlan, DirectoryUser, PlanRow, SeatHolding, SeatKind } from "./types.ts";
import { seatKinds } from "./types.ts";

export interface SeatRule {
  readonly ruleId: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly kind: SeatKind;
  readonly priority: number;
}

export interface PlanRuleSeatsInput extends SeatState {
  readonly rules: readonly SeatRule[];
  /** Members of a group, any order (the planner sorts by directory order). */
  readonly membersOf: (groupId: string) => Promise<readonly DirectoryUser[]>;
}

/**
 * Group rules: members of mapped groups get seats in directory order while licences last; the rest wait in
 * a visible queue. Seats a rule gave to someone no longer in any of its kind's groups are removed.
 */
export async function planRuleSeats(input: PlanRuleSeatsInput): Promise<ComputedPlan> {
  const held = new Map<string, SeatHolding>();
  for (const h of input.holdings) held.set(holdingKey(h.kind, h.userId), h);
  const rows: PlanRow[] = [];
  let line = 1;
  const rules = [...input.rules].sort((a, b) => a.priority - b.priority || a.ruleId.localeCompare(b.ruleId));
  const freeNumbers = [...input.numbers].filter(([, owner]) => owner === null).map(([n]) => n);
  freeNumbers.sort();

  for (const kind of seatKinds) {
    const kindRules = rules.filter((r) => r.kind === kind);
    const wanted = new Map<string, { user: DirectoryUser; rule: SeatRule }>();
    for (const rule of kindRules) {
      const members = [...(await input.membersOf(rule.groupId))];
      members.sort((a, b) => a.directoryOrder - b.directoryOrder || a.userId.localeCompare(b.userId));
      for (const user of members) if (!wanted.has(user.userId)) wanted.set(user.userId, { user, rule });
    }
    const pool = poolOf(input.pools, kind);
    let removedActive = 0;
    const removals: PlanRow[] = [];
    for (const h of input.holdings) {
      if (h.kind !== kind || h.source !== "rule") continue;
      const w = wanted.get(h.userId);
      if (w?.user.accountEnabled && !w.user.deleted) continue;
      removals.push(
        row({
          line: 0,
          userId: h.userId,
          kind,
          phoneNumber: h.phoneNumber,
          action: "remove",
          reason: w
            ? w.user.deleted
              ? "deleted in the directory"
              : "disabled"
            : "no longer in a mapped group",
          previous: { phoneNumber: h.phoneNumber, source: h.source, ruleId: h.ruleId },
          ruleId: h.ruleId,
        }),
      );
      if (h.state !== "suspended") removedActive++;
    }
    let room = pool.total - pool.used + removedActive;
    let queued = 0;
    for (const { user, rule } of wanted.values()) {
      const base = {
        line: line++,
        email: user.mail ?? user.upn,
        userId: user.userId,
        displayName: user.displayName,
        kind,
        ruleId: rule.ruleId,
      };
      const via = `member of ${rule.groupName}`;
      const holding = held.get(holdingKey(kind, user.userId));
      if (user.deleted || !user.accountEnabled) {
        if (holding?.source !== "rule")
          rows.push(
            row({ ...base, action: "skip", reason: user.deleted ? "deleted in the directory" : "disabled" }),
          );
        continue;
      }
      if (holding) {
        rows.push(
          row({
            ...base,
            phoneNumber: holding.phoneNumber,
            action: "keep",
            reason: `already has a ${kind} seat`,
          }),
        );
        continue;
      }
      if (kind === "sync" && !user.mail) {
        rows.push(row({ ...base, action: "skip", reason: "no mailbox" }));
        continue;
      }
      if (room <= 0) {
        queued++;
        rows.push(
          row({
            ...base,
            action: "queue",
            reason: `${via}; waiting for a licence (position ${queued} in the queue)`,
          }),
        );
        continue;
      }
      let phone: string | null = null;
      if (kind === "calling") {
        phone = freeNumbers.shift() ?? null;
        if (phone === null) {
          rows.push(
            row({
              ...base,
              action: "error",
              reason: "no free phone number left in the tenant's number pool",
            }),
          );
          continue;
        }
      }
      room--;
      rows.push(
        row({
          ...base,
          phoneNumber: phone,
          action: "add",
          reason: phone ? `${via}; number ${phone} from the pool` : via,
        }),
      );
    }
    for (const r of removals) rows.push({ ...r, line: line++ });
  }
  return { source: "rule", summary: summarize(rows, input.pools, input.holdings), rows };
}
