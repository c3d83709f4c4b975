/**
 * The grid's building blocks: one bit per status per slot (busy, oof, tentative, outside hours, unknown,
 * ...), the character each bit set shows in the grid, and the painting of intervals and of hours onto the
 * flat slot and cell bit arrays.
 *
 * Candidate slot starts are the instants `t0 + i * g`, so an interval [a, b) blocks exactly the slot
 * indices i with `s_i - bufferBefore < b` and `s_i + duration + bufferAfter > a`, a contiguous index range
 * computed in O(1).
 */
import type { DailyHours, ParticipantRole, ScheduleStatus, WorkingHours } from "./model.ts";
import { fromLocal, localDatesCovering, offsetAt } from "./zones.ts";

export const MINUTE = 60_000;
export const DAY = 86_400_000;

export const WE = 1;
export const OUT_WORK = 2;
export const OUT_BUSINESS = 4;
export const TENT = 8;
export const UNK = 16;
export const BUSY = 32;
export const OOF = 64;
export const FAILED = 128;

/** The bit each schedule status paints; free paints none. */
const statusBits: Readonly<Record<ScheduleStatus, number>> = {
  free: 0,
  tentative: TENT,
  busy: BUSY,
  oof: OOF,
  workingElsewhere: WE,
  unknown: UNK,
};

export function statusBit(status: ScheduleStatus): number {
  return statusBits[status] ?? 0;
}

/** Grid character per bit set (precedence oof > busy > unknown > tentative > working elsewhere > outside hours). */
export const gridChar = new Uint8Array(256);
for (let bits = 0; bits < 256; bits++) {
  let c = "0";
  if (bits & OOF) c = "3";
  else if (bits & BUSY) c = "2";
  else if (bits & (UNK | FAILED)) c = "9";
  else if (bits & TENT) c = "1";
  else if (bits & WE) c = "4";
  else if (bits & (OUT_WORK | OUT_BUSINESS)) c = "5";
  gridChar[bits] = c.charCodeAt(0);
}

export interface Participant {
  readonly id: string;
  readonly role: ParticipantRole;
  /** Row number in the flat slot and cell bit arrays. */
  readonly row: number;
  readonly workingHours: WorkingHours | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Zone in which business hours apply to this participant. */
  readonly zone: string;
  readonly business: DailyHours | null;
}

export interface Space {
  readonly t0: number;
  readonly g: number;
  readonly slotCount: number;
  readonly cellCount: number;
  /** Slot length plus the buffer after: how far past its start a slot must be clear of busy time. */
  readonly spanAfter: number;
  readonly bufferBefore: number;
  readonly duration: number;
}

/**
 * Sets `bit` on every index of the row [base, base + length) whose slot, lasting `spanAfter` past its
 * start and needing `spanBefore` clear before it, meets the interval [a, b).
 */
function paint(
  bits: Uint8Array,
  base: number,
  length: number,
  t0: number,
  g: number,
  a: number,
  b: number,
  spanAfter: number,
  spanBefore: number,
  bit: number,
): void {
  const lo = Math.max(0, Math.floor((a - spanAfter - t0) / g) + 1);
  const hi = Math.min(length - 1, Math.ceil((b + spanBefore - t0) / g) - 1);
  for (let i = base + lo, last = base + hi; i <= last; i++) bits[i]! |= bit;
}

/** The instants [start, end) of `hours` on each local date in `zone` around the window, ascending. */
export function hoursIntervals(
  zone: string,
  hours: DailyHours,
  start: number,
  end: number,
): [number, number][] {
  const days = new Set(hours.daysOfWeek);
  const out: [number, number][] = [];
  for (const d of localDatesCovering(zone, start, end)) {
    if (!days.has(d.weekday)) continue;
    const from = fromLocal(zone, d.year, d.month, d.day, hours.startMinute);
    const endMinute = hours.endMinute > hours.startMinute ? hours.endMinute : hours.endMinute + 1440;
    const to = fromLocal(zone, d.year, d.month, d.day, endMinute);
    if (to > from) out.push([from, to]);
  }
  return out;
}

/** Paints `bit` on everything outside the given ascending intervals. */
function paintComplement(
  slots: Uint8Array,
  cells: Uint8Array,
  space: Space,
  intervals: readonly [number, number][],
  bit: number,
): void {
  let cursor = Number.NEGATIVE_INFINITY;
  for (const [from, to] of intervals) {
    if (from > cursor) {
      paint(slots, 0, slots.length, space.t0, space.g, cursor, from, space.duration, 0, bit);
      paint(cells, 0, cells.length, space.t0, space.g, cursor, from, space.g, 0, bit);
    }
    cursor = Math.max(cursor, to);
  }
  paint(slots, 0, slots.length, space.t0, space.g, cursor, Number.POSITIVE_INFINITY, space.duration, 0, bit);
  paint(cells, 0, cells.length, space.t0, space.g, cursor, Number.POSITIVE_INFINITY, space.g, 0, bit);
}

/** Days, start and end packed into one number (7 + 11 + 11 bits); -1 for none. */
function hoursKey(h: DailyHours | null): number {
  if (!h) return -1;
  let days = 0;
  for (const d of h.daysOfWeek) days |= 1 << d;
  return days * 4_194_304 + h.startMinute * 2048 + h.endMinute;
}

export interface HoursMask {
  readonly slots: Uint8Array;
  readonly cells: Uint8Array;
}

/**
 * Outside-hours masks for the slots and cells of `space`, computed once per (zone, working hours,
 * business hours) and then shared by every participant with the same hours.
 */
export function hoursMasks(
  space: Space,
  windowEnd: number,
): (zone: string, working: DailyHours | null, business: DailyHours | null) => HoursMask {
  const masks = new Map<string, Map<number, HoursMask>>();
  return (zone, working, business) => {
    let byZone = masks.get(zone);
    if (!byZone) {
      byZone = new Map();
      masks.set(zone, byZone);
    }
    const key = (hoursKey(working) + 1) * 2 ** 29 + hoursKey(business) + 1;
    let m = byZone.get(key);
    if (!m) {
      m = { slots: new Uint8Array(space.slotCount), cells: new Uint8Array(space.cellCount) };
      const from = space.t0 - DAY;
      const to = windowEnd + DAY;
      if (working)
        paintComplement(m.slots, m.cells, space, hoursIntervals(zone, working, from, to), OUT_WORK);
      if (business)
        paintComplement(m.slots, m.cells, space, hoursIntervals(zone, business, from, to), OUT_BUSINESS);
      byZone.set(key, m);
    }
    return m;
  };
}

/** The first instant at or after `instant` whose wall-clock time in `zone` is a whole number of steps. */
export function alignUp(instant: number, step: number, zone: string): number {
  const offset = offsetAt(zone, instant);
  const aligned = Math.ceil((instant + offset) / step) * step - offset;
  // Across an offset change the wall clock jumps; the step is then counted in the new offset.
  return offsetAt(zone, aligned) === offset
    ? aligned
    : Math.ceil((instant + offsetAt(zone, aligned)) / step) * step - offsetAt(zone, aligned);
}
