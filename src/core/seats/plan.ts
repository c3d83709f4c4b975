/**
 * Plans: what a bulk seat change will do, computed before anything changes. The input is a stream of rows
 * (a CSV upload, a roster to auto-match, group rules); the directory comes through the DirectoryLookup port.
 * Core never parses files: adapters turn bytes into rows and validate them with a schema first.
 */
import {
  type DirectoryLookup,
  describeMatch,
  type EmailMatch,
  isEmail,
  normalizeEmail,
} from "./email-match.ts";
import { parseE164 } from "./phone.ts";
import { holdingKey, poolOf, row, summarize } from "./plan-rows.ts";
import type {
  ComputedPlan,
  DirectoryUser,
  PlanRow,
  PlanSource,
  PoolState,
  SeatHolding,
  SeatKind,
} from "./types.ts";
import { seatKinds } from "./types.ts";

/** One input line, already shaped by the adapter's schema (`email,seat_kinds,phone_number,display_name`). */
export interface SeatInputRow {
  readonly line: number;
  readonly email: string;
  /** Empty means "the kinds the plan is about" (auto-match); unknown names are reported per line. */
  readonly seatKinds: readonly string[];
  readonly phoneNumber: string | null;
  readonly displayName: string | null;
}

/** A line the adapter could not shape (for example an empty e-mail cell); it becomes an error row. */
export interface InvalidInputRow {
  readonly line: number;
  readonly invalid: string;
  readonly email?: string | null;
}

export type SeatInput = SeatInputRow | InvalidInputRow;

/** The tenant's telephone numbers: E.164 number -> user it is assigned to (null when free). */
export type NumberPool = ReadonlyMap<string, string | null>;

export interface SeatState {
  readonly holdings: readonly SeatHolding[];
  readonly pools: readonly PoolState[];
  readonly numbers: NumberPool;
}

export interface PlanSeatsInput extends SeatState {
  readonly source: Extract<PlanSource, "csv" | "auto">;
  readonly rows: AsyncIterable<SeatInput>;
  readonly directory: DirectoryLookup;
  /**
   * The seat kinds the input describes completely: holders of these kinds missing from the input are
   * removed. Defaults to the kinds named anywhere in the input.
   */
  readonly kinds?: readonly SeatKind[];
  /** Rows resolved against the directory per round trip. */
  readonly batchSize?: number;
}

interface Candidate {
  readonly line: number;
  readonly email: string;
  readonly user: DirectoryUser;
  readonly kind: SeatKind;
  readonly reason: string;
  readonly phoneNumber: string | null;
}

type Slot = { row: PlanRow } | { candidate: Candidate };

function ambiguity(match: Extract<EmailMatch, { kind: "ambiguous" }>): string {
  const names = match.users.map((u) => u.upn).sort();
  return `ambiguous: the address belongs to ${names.length} users (${names.join(", ")})`;
}

/** Plans a CSV upload or an auto-match roster against the directory and the seats held now. */
export async function planSeats(input: PlanSeatsInput): Promise<ComputedPlan> {
  const batchSize = input.batchSize ?? 1000;
  const held = new Map<string, SeatHolding>();
  for (const h of input.holdings) held.set(holdingKey(h.kind, h.userId), h);

  const slots: Slot[] = [];
  const seenUserKind = new Map<string, number>();
  /** Users the input names per kind, even on lines with errors: they are not "missing from the input". */
  const listed = new Set<string>();
  const seenNumber = new Map<string, number>();
  const namedKinds = new Set<SeatKind>(input.kinds ?? []);
  const defaultKinds: readonly SeatKind[] = input.kinds ?? [];
  const freeNumbers = [...input.numbers].filter(([, owner]) => owner === null).map(([n]) => n);
  freeNumbers.sort();
  let batch: SeatInput[] = [];

  const processBatch = async () => {
    const emails = batch.flatMap((r) => ("invalid" in r ? [] : [r.email]).filter(isEmail));
    const matches = await input.directory.resolve(emails);
    for (const r of batch) processRow(r, matches);
    batch = [];
  };

  /** Why `phone` cannot go to `userId` on `line`, or null when it can. */
  const phoneRefusal = (phone: string, userId: string, line: number): string | null => {
    if (!input.numbers.has(phone))
      return `phone "${phone}" on line ${line} is not in the tenant's number pool`;
    const owner = input.numbers.get(phone);
    if (owner !== null && owner !== userId)
      return `phone "${phone}" on line ${line} is assigned to another user`;
    const usedOn = seenNumber.get(phone);
    if (usedOn !== undefined) return `phone "${phone}" on line ${line} is already used on line ${usedOn}`;
    return null;
  };

  const processRow = (r: SeatInput, matches: Map<string, EmailMatch>) => {
    if ("invalid" in r) {
      slots.push({ row: row({ line: r.line, email: r.email ?? null, action: "error", reason: r.invalid }) });
      return;
    }
    const email = r.email.trim();
    if (!isEmail(email)) {
      slots.push({ row: row({ line: r.line, email, action: "error", reason: `invalid e-mail "${email}"` }) });
      return;
    }
    const kinds: SeatKind[] = [];
    for (const raw of r.seatKinds) {
      const k = raw.trim().toLowerCase();
      if (k === "") continue;
      if (!(seatKinds as readonly string[]).includes(k)) {
        slots.push({
          row: row({
            line: r.line,
            email,
            action: "error",
            reason: `unknown seat kind "${raw.trim()}" on line ${r.line} (allowed: ${seatKinds.join(", ")})`,
          }),
        });
        return;
      }
      if (!kinds.includes(k as SeatKind)) kinds.push(k as SeatKind);
    }
    if (kinds.length === 0) kinds.push(...defaultKinds);
    if (kinds.length === 0) {
      slots.push({
        row: row({ line: r.line, email, action: "error", reason: `no seat kind on line ${r.line}` }),
      });
      return;
    }
    for (const k of kinds) namedKinds.add(k);
    let phone: string | null = null;
    if (r.phoneNumber !== null && r.phoneNumber.trim() !== "") {
      phone = parseE164(r.phoneNumber);
      if (phone === null) {
        slots.push({
          row: row({
            line: r.line,
            email,
            action: "error",
            reason: `invalid phone "${r.phoneNumber.trim()}" on line ${r.line}`,
          }),
        });
        return;
      }
    }
    const match = matches.get(normalizeEmail(email)) ?? { kind: "none" };
    if (match.kind === "none") {
      slots.push({
        row: row({
          line: r.line,
          email,
          action: "skip",
          reason: "no directory user has this e-mail address",
        }),
      });
      return;
    }
    if (match.kind === "ambiguous") {
      slots.push({ row: row({ line: r.line, email, action: "error", reason: ambiguity(match) }) });
      return;
    }
    const user = match.user;
    const base = { line: r.line, email, userId: user.userId, displayName: user.displayName };
    for (const kind of kinds) {
      const key = holdingKey(kind, user.userId);
      const firstLine = seenUserKind.get(key);
      if (firstLine !== undefined) {
        slots.push({ row: row({ ...base, kind, action: "skip", reason: `duplicate of line ${firstLine}` }) });
        continue;
      }
      listed.add(key);
      if (user.deleted) {
        slots.push({ row: row({ ...base, kind, action: "skip", reason: "deleted in the directory" }) });
        continue;
      }
      if (!user.accountEnabled) {
        slots.push({ row: row({ ...base, kind, action: "skip", reason: "disabled" }) });
        continue;
      }
      if (kind === "sync" && !user.mail) {
        slots.push({ row: row({ ...base, kind, action: "skip", reason: "no mailbox" }) });
        continue;
      }
      const holding = held.get(key);
      if (holding) {
        seenUserKind.set(key, r.line);
        const stays =
          kind === "calling" && phone !== null && holding.phoneNumber !== phone
            ? ` (keeps ${holding.phoneNumber ?? "no number"}; release the seat first to change it to ${phone})`
            : "";
        slots.push({
          row: row({
            ...base,
            kind,
            phoneNumber: holding.phoneNumber,
            action: "keep",
            reason: `already has a ${kind} seat${stays}`,
          }),
        });
        continue;
      }
      let number: string | null = null;
      if (kind === "calling" && phone !== null) {
        const refusal = phoneRefusal(phone, user.userId, r.line);
        if (refusal) {
          slots.push({ row: row({ ...base, kind, phoneNumber: phone, action: "error", reason: refusal }) });
          continue;
        }
        number = phone;
      }
      if (number !== null) seenNumber.set(number, r.line);
      seenUserKind.set(key, r.line);
      slots.push({
        candidate: {
          line: r.line,
          email,
          user,
          kind,
          reason: describeMatch(match.by),
          phoneNumber: number,
        },
      });
    }
  };

  for await (const r of input.rows) {
    batch.push(r);
    if (batch.length >= batchSize) await processBatch();
  }
  if (batch.length > 0) await processBatch();

  // Holders of the described kinds who are not in the input lose their seats.
  const removals: PlanRow[] = [];
  const removedPerKind = new Map<SeatKind, number>();
  for (const h of input.holdings) {
    if (!namedKinds.has(h.kind) || listed.has(holdingKey(h.kind, h.userId))) continue;
    // No line of the input asked for this row: it names the holder instead.
    const holder = await input.directory.user(h.userId);
    removals.push(
      row({
        line: null,
        email: holder ? (holder.mail ?? holder.upn) : null,
        displayName: holder?.displayName ?? null,
        userId: h.userId,
        kind: h.kind,
        phoneNumber: h.phoneNumber,
        action: "remove",
        reason: input.source === "csv" ? "not in the file" : "not in the roster",
        previous: { phoneNumber: h.phoneNumber, source: h.source, ruleId: h.ruleId },
      }),
    );
    if (h.state !== "suspended") removedPerKind.set(h.kind, (removedPerKind.get(h.kind) ?? 0) + 1);
  }

  // Licences go to the rows in input order while they last.
  const room = new Map<SeatKind, number>();
  for (const kind of seatKinds) {
    const pool = poolOf(input.pools, kind);
    room.set(kind, pool.total - pool.used + (removedPerKind.get(kind) ?? 0));
  }
  const numbersLeft = new Set(freeNumbers.filter((n) => !seenNumber.has(n)));
  const rows: PlanRow[] = [];
  for (const slot of slots) {
    if ("row" in slot) {
      rows.push(slot.row);
      continue;
    }
    const c = slot.candidate;
    const base = {
      line: c.line,
      email: c.email,
      userId: c.user.userId,
      displayName: c.user.displayName,
      kind: c.kind,
    };
    const left = room.get(c.kind) ?? 0;
    if (left <= 0) {
      const pool = poolOf(input.pools, c.kind);
      rows.push(
        row({
          ...base,
          phoneNumber: c.phoneNumber,
          action: "skip",
          reason: `pool exhausted (the ${c.kind} pool has ${pool.total} licences)`,
        }),
      );
      continue;
    }
    let phone = c.phoneNumber;
    let reason = c.reason;
    if (c.kind === "calling" && phone === null) {
      const next = numbersLeft.values().next();
      if (next.done) {
        rows.push(
          row({ ...base, action: "error", reason: "no free phone number left in the tenant's number pool" }),
        );
        continue;
      }
      phone = next.value;
      numbersLeft.delete(phone);
      reason = `${reason}; number ${phone} from the pool`;
    }
    room.set(c.kind, left - 1);
    rows.push(row({ ...base, phoneNumber: phone, action: "add", reason }));
  }
  rows.push(...removals);

  return { source: input.source, summary: summarize(rows, input.pools, input.holdings), rows };
}
