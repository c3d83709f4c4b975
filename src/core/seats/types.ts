/** The domain vocabulary of seats: kinds, directory users as seats see them, plans and their rows. */
import type { DirectoryUserRecord } from "../directory/sync.ts";

export const seatKinds = ["calling", "sync"] as const;
export type SeatKind = (typeof seatKinds)[number];

export const isSeatKind = (value: string): value is SeatKind =>
  (seatKinds as readonly string[]).includes(value);

/** A directory user as far as seats care: the imported record's identity and addresses, and its standing. */
export interface DirectoryUser
  extends Pick<
    DirectoryUserRecord,
    "userId" | "displayName" | "mail" | "upn" | "proxyAddresses" | "accountEnabled"
  > {
  /** Soft-deleted in the directory (restorable) when set. */
  readonly deleted: boolean;
  /** Position in the directory import; group rules hand out licences in this order. */
  readonly directoryOrder: number;
}

/** A seat someone holds now. */
export interface SeatHolding {
  readonly userId: string;
  readonly kind: SeatKind;
  readonly phoneNumber: string | null;
  /** manual | csv | auto | rule */
  readonly source: string;
  readonly ruleId: string | null;
  /** active | pending | failed | suspended */
  readonly state: string;
}

export interface PoolState {
  readonly kind: SeatKind;
  readonly total: number;
  readonly used: number;
}

export type PlanSource = "csv" | "auto" | "rule" | "undo";
export type PlanAction = "add" | "remove" | "keep" | "skip" | "error" | "queue";

export interface PlanRow {
  /**
   * Input line number (CSV, header is line 1) or ordinal for generated plans; null for a row no line
   * asked for (a holder removed because the file or roster leaves them out).
   */
  readonly line: number | null;
  readonly email: string | null;
  readonly userId: string | null;
  readonly displayName: string | null;
  readonly kind: SeatKind | null;
  readonly action: PlanAction;
  /** A sentence an admin can read: "matched by proxy address", "duplicate of line 41", ... */
  readonly reason: string;
  readonly phoneNumber: string | null;
  /** What the row replaces (for undo): the holding before the change. */
  readonly previous?: {
    readonly phoneNumber: string | null;
    readonly source: string;
    readonly ruleId: string | null;
  };
  readonly ruleId?: string | null;
}

/** Per seat kind, the licence summary admins know from their licensing portals. */
export interface KindSummary {
  readonly kind: SeatKind;
  /** Licences free before the plan. */
  readonly licencesAvailable: number;
  readonly totalLicences: number;
  /** Users the plan adds a seat for. */
  readonly newMatchingEmails: number;
  /** Current holders the plan removes (not in the input any more). */
  readonly usersToRemove: number;
  /** Seat holders once the plan is committed. */
  readonly totalUsersAfterSync: number;
  readonly kept: number;
  /** Rows that could not get a seat because the pool ran out, or wait in a rule's queue. */
  readonly waiting: number;
}

export interface PlanSummary {
  readonly kinds: readonly KindSummary[];
  readonly rows: number;
  readonly errors: number;
  readonly skipped: number;
  /** The input lines of the error rows, ascending (the first `problemLinesShown`). */
  readonly problemLines: readonly number[];
}

/** How many problem lines a plan's summary lists. */
export const problemLinesShown = 100;

export interface ComputedPlan {
  readonly source: PlanSource;
  readonly summary: PlanSummary;
  readonly rows: readonly PlanRow[];
}
