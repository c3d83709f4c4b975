/**
 * Who wins when both sides changed an item since the last sync. One-way directions always side with
 * their source; otherwise the tenant's policy decides. The loser is never dropped: the caller records it.
 */
import type { ConflictPolicy, Side, SyncDirection, VersionRecord } from "./model.ts";

export interface ConflictOutcome {
  /** "direction" when a one-way sync decided, not the tenant's policy. */
  readonly policy: ConflictPolicy | "direction";
  readonly winner: Side;
  readonly winning: VersionRecord;
  readonly losing: VersionRecord;
}

/**
 * Resolves a conflict between Quorum's version and Microsoft's. Under most-recent-wins the later
 * modification wins; a deletion counts from when it was seen; an unknown time loses; a tie goes to
 * Microsoft (the mailbox is what attendees see).
 */
export function resolveConflict(
  policy: ConflictPolicy,
  direction: SyncDirection,
  quorum: VersionRecord,
  microsoft: VersionRecord,
): ConflictOutcome {
  const pick = (winner: Side, by: ConflictPolicy | "direction"): ConflictOutcome =>
    winner === "quorum"
      ? { policy: by, winner, winning: quorum, losing: microsoft }
      : { policy: by, winner, winning: microsoft, losing: quorum };
  if (direction === "to-microsoft") return pick("quorum", "direction");
  if (direction === "from-microsoft") return pick("microsoft", "direction");
  switch (policy) {
    case "quorum-wins":
      return pick("quorum", policy);
    case "microsoft-wins":
      return pick("microsoft", policy);
    case "most-recent-wins": {
      const q = quorum.modifiedAt ?? Number.NEGATIVE_INFINITY;
      const m = microsoft.modifiedAt ?? Number.NEGATIVE_INFINITY;
      return pick(q > m ? "quorum" : "microsoft", policy);
    }
  }
}
