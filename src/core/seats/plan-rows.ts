/** The pieces every seat plan is made of: one row per line, the pools, and the totals per seat kind. */
import type { KindSummary, PlanRow, PlanSummary, PoolState, SeatHolding, SeatKind } from "./types.ts";
import { problemLinesShown, seatKinds } from "./types.ts";

export const holdingKey = (kind: string, userId: string) => `${kind}\u0000${userId}`;

export function poolOf(pools: readonly PoolState[], kind: SeatKind): PoolState {
  return pools.find((p) => p.kind === kind) ?? { kind, total: 0, used: 0 };
}

export function row(partial: Partial<PlanRow> & Pick<PlanRow, "line" | "action" | "reason">): PlanRow {
  return {
    email: null,
    userId: null,
    displayName: null,
    kind: null,
    phoneNumber: null,
    ...partial,
  };
}

/** Totals per seat kind, the way licence summaries show them. */
export function summarize(
  rows: readonly PlanRow[],
  pools: readonly PoolState[],
  holdings: readonly SeatHolding[],
): PlanSummary {
  const kinds: KindSummary[] = seatKinds.map((kind) => {
    const pool = poolOf(pools, kind);
    let added = 0;
    let removed = 0;
    let kept = 0;
    let waiting = 0;
    for (const r of rows) {
      if (r.kind !== kind) continue;
      if (r.action === "add") added++;
      else if (r.action === "remove") removed++;
      else if (r.action === "keep") kept++;
      else if (r.action === "queue" || (r.action === "skip" && r.reason.startsWith("pool exhausted")))
        waiting++;
    }
    const holders = holdings.filter((h) => h.kind === kind).length;
    return {
      kind,
      licencesAvailable: pool.total - pool.used,
      totalLicences: pool.total,
      newMatchingEmails: added,
      usersToRemove: removed,
      totalUsersAfterSync: holders + added - removed,
      kept,
      waiting,
    };
  });
  const errorLines = new Set<number>();
  for (const r of rows) if (r.action === "error" && r.line !== null) errorLines.add(r.line);
  return {
    kinds,
    rows: rows.length,
    errors: rows.filter((r) => r.action === "error").length,
    skipped: rows.filter((r) => r.action === "skip").length,
    problemLines: [...errorLines].sort((a, b) => a - b).slice(0, problemLinesShown),
  };
}
