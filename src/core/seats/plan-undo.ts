/** Undo as a plan: the compensating rows of a committed plan, checked against the seats held now. */
import type { SeatState } from "./plan.ts";
import { holdingKey, row, summarize } from "./plan-rows.ts";
import type { ComputedPlan, PlanRow, SeatHolding } from "./types.ts";

/**
 * The compensating plan of a committed plan: seats it added are removed, seats it removed come back with
 * their number and origin. Rows whose effect was already changed by someone else are skipped and say so.
 */
export function planUndo(
  committed: readonly PlanRow[],
  state: Pick<SeatState, "holdings" | "pools">,
  undoneSource = "plan",
): ComputedPlan {
  const held = new Map<string, SeatHolding>();
  for (const h of state.holdings) held.set(holdingKey(h.kind, h.userId), h);
  const rows: PlanRow[] = [];
  let line = 1;
  for (const r of committed) {
    if (r.kind === null || r.userId === null) continue;
    const what =
      r.line === null ? `the removal of ${r.displayName ?? r.email ?? r.userId}` : `line ${r.line}`;
    const base = { line: line, email: r.email, userId: r.userId, displayName: r.displayName, kind: r.kind };
    const h = held.get(holdingKey(r.kind, r.userId));
    if (r.action === "add") {
      line++;
      if (!h) {
        rows.push(row({ ...base, action: "skip", reason: `undo of ${what}: the seat was already released` }));
        continue;
      }
      rows.push(
        row({
          ...base,
          phoneNumber: h.phoneNumber,
          action: "remove",
          reason: `undo of ${what} of the ${undoneSource}`,
          previous: { phoneNumber: h.phoneNumber, source: h.source, ruleId: h.ruleId },
        }),
      );
    } else if (r.action === "remove") {
      line++;
      if (h) {
        rows.push(row({ ...base, action: "skip", reason: `undo of ${what}: the user has a seat again` }));
        continue;
      }
      rows.push(
        row({
          ...base,
          phoneNumber: r.previous?.phoneNumber ?? r.phoneNumber,
          action: "add",
          reason: `undo of ${what} of the ${undoneSource}: seat restored`,
          ruleId: r.previous?.ruleId ?? null,
          previous: r.previous ?? { phoneNumber: r.phoneNumber, source: "manual", ruleId: null },
        }),
      );
    }
  }
  return { source: "undo", summary: summarize(rows, state.pools, state.holdings), rows };
}
