/**
 * The slot finder: from schedules, working hours and the tenant policy to a grid per attendee/room and
 * ranked meeting-time suggestions with a reason per attendee per slot.
 *
 * Everything is numbers. Candidate slot starts are the instants `window.start + i * granularity`, so an
 * interval [a, b) blocks exactly the slot indices i with `s_i - bufferBefore < b` and
 * `s_i + duration + bufferAfter > a`, a contiguous index range computed in O(1). Each participant gets a
 * bit set per slot (busy, oof, tentative, outside hours, unknown, ...) painted from their items; hours
 * masks are computed once per (zone, hours) pair and copied. Ranking then reads the bits.
 */
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import {
  type AttendeeStatus,
  type AttendeeVerdict,
  type AvailabilityPolicy,
  type AvailabilityRequest,
  type AvailabilityResult,
  type DailyHours,
  type EmptyReason,
  type GridRow,
  type HoursNote,
  isFailedSchedule,
  type ParticipantRole,
  type Schedule,
  type ScheduleStatus,
  type Suggestion,
  type VerdictReason,
  type WorkingHours,
} from "./model.ts";
import { fromLocal, localDatesCovering, offsetAt } from "./zones.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Upper bound on cells per row, to keep one request's work bounded. */
export const MAX_CELLS = 20_000;
/** Upper bound on attendee-intervals per request (memory: two bytes each). */
export const MAX_WORK = 5_000_000;

const WE = 1;
const OUT_WORK = 2;
const OUT_BUSINESS = 4;
const TENT = 8;
const UNK = 16;
const BUSY = 32;
const OOF = 64;
const FAILED = 128;

function statusBit(status: ScheduleStatus): number {
  switch (status) {
    case "busy":
      return BUSY;
    case "tentative":
      return TENT;
    case "oof":
      return OOF;
    case "workingElsewhere":
      return WE;
    case "unknown":
      return UNK;
    default:
      return 0;
  }
}

/** Grid character per bit set (precedence oof > busy > unknown > tentative > working elsewhere > outside hours). */
const gridChar = new Uint8Array(256);
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

interface Participant {
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

interface Space {
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

export function validateAvailabilityRequest(request: AvailabilityRequest): void {
  const fail = (message: string) => {
    throw new DomainError("VALIDATION_FAILED", message);
  };
  const { window: w, durationMinutes: d, granularityMinutes: g } = request;
  if (!Number.isFinite(w.start) || !Number.isFinite(w.end) || w.end <= w.start)
    fail("The window must end after it starts.");
  if (!Number.isInteger(d) || d < 5 || d > 1440) fail("The duration must be 5 to 1440 minutes.");
  if (!Number.isInteger(g) || g < 5 || g > 1440) fail("The interval must be 5 to 1440 minutes.");
  if ((w.end - w.start) / (g * MINUTE) > MAX_CELLS)
    fail(`The window holds more than ${MAX_CELLS} intervals; shorten it or use a larger interval.`);
  const people = request.required.length + (request.optional?.length ?? 0) + (request.rooms?.length ?? 0);
  if (people * ((w.end - w.start) / (g * MINUTE)) > MAX_WORK)
    fail("Too many attendees for this window and interval; shorten the window or use a larger interval.");
  if (request.required.length + (request.optional?.length ?? 0) === 0)
    fail("At least one attendee is needed.");
  for (const [name, v] of [
    ["bufferBeforeMinutes", request.bufferBeforeMinutes],
    ["bufferAfterMinutes", request.bufferAfterMinutes],
    ["minimumNoticeMinutes", request.minimumNoticeMinutes],
    ["horizonDays", request.horizonDays],
  ] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) fail(`${name} must be zero or more.`);
  }
}

const normalise = (id: string) => id.trim().toLowerCase();

/** Computes the availability grid and ranked suggestions. Pure: `clock` is the only notion of now. */
export function findAvailability(
  request: AvailabilityRequest,
  schedules: readonly Schedule[],
  policy: AvailabilityPolicy,
  clock: Clock,
): AvailabilityResult {
  validateAvailabilityRequest(request);
  const now = clock.now();
  const g = request.granularityMinutes * MINUTE;
  const duration = request.durationMinutes * MINUTE;
  const bufferBefore = (request.bufferBeforeMinutes ?? 0) * MINUTE;
  const bufferAfter = (request.bufferAfterMinutes ?? 0) * MINUTE;
  // Slots and cells start on the step in the organizer's zone (09:00, 09:15 …) even when the window starts
  // at an odd instant such as "now".
  const t0 = alignUp(request.window.start, g, request.organizerTimeZone);
  const windowEnd = request.window.end;
  const space: Space = {
    t0,
    g,
    slotCount: Math.max(0, Math.floor((windowEnd - duration - t0) / g) + 1),
    cellCount: Math.ceil((windowEnd - t0) / g),
    spanAfter: duration + bufferAfter,
    bufferBefore,
    duration,
  };
  const hardMask =
    BUSY |
    (policy.outOfOfficeIsBusy ? OOF : 0) |
    (policy.tentativeIsBusy ? TENT : 0) |
    (policy.workingElsewhereIsBusy ? WE : 0);

  const byId = new Map<string, Schedule>();
  for (const s of schedules) byId.set(normalise(s.id), s);

  // Participants, each once, in a canonical order (role, then address): results do not depend on input order.
  const roleOf = new Map<string, ParticipantRole>();
  for (const id of request.rooms ?? []) roleOf.set(normalise(id), "room");
  for (const id of request.optional ?? []) roleOf.set(normalise(id), "optional");
  for (const id of request.required) roleOf.set(normalise(id), "required");
  const rank: Record<ParticipantRole, number> = { required: 0, optional: 1, room: 2 };
  const ids = [...roleOf.keys()].sort((a, b) => {
    const r = rank[roleOf.get(a)!] - rank[roleOf.get(b)!];
    return r !== 0 ? r : a < b ? -1 : a > b ? 1 : 0;
  });

  const masks = new Map<string, Map<number, { slots: Uint8Array; cells: Uint8Array }>>();
  const hoursMask = (zone: string, working: DailyHours | null, business: DailyHours | null) => {
    let byZone = masks.get(zone);
    if (!byZone) {
      byZone = new Map();
      masks.set(zone, byZone);
    }
    const key = (hoursKey(working) + 1) * 2 ** 29 + hoursKey(business) + 1;
    let m = byZone.get(key);
    if (!m) {
      m = { slots: new Uint8Array(space.slotCount), cells: new Uint8Array(space.cellCount) };
      const from = t0 - DAY;
      const to = windowEnd + DAY;
      if (working)
        paintComplement(m.slots, m.cells, space, hoursIntervals(zone, working, from, to), OUT_WORK);
      if (business)
        paintComplement(m.slots, m.cells, space, hoursIntervals(zone, business, from, to), OUT_BUSINESS);
      byZone.set(key, m);
    }
    return m;
  };

  const S = space.slotCount;
  const withGrid = request.includeGrid ?? true;
  const C = withGrid ? space.cellCount : 0;
  const slotBits = new Uint8Array(ids.length * S);
  const slotLead = space.spanAfter + t0;
  const slotTrail = t0 - bufferBefore;
  const cellLead = g + t0;
  const cellBits = new Uint8Array(ids.length * C);
  const participants: Participant[] = ids.map((id, row) => {
    const role = roleOf.get(id)!;
    const schedule = byId.get(id);
    if (!schedule || isFailedSchedule(schedule)) {
      slotBits.fill(FAILED, row * S, (row + 1) * S);
      cellBits.fill(FAILED, row * C, (row + 1) * C);
      return {
        id,
        role,
        row,
        workingHours: null,
        error: schedule
          ? schedule.error
          : { code: "scheduleMissing", message: "No schedule was returned for this address." },
        zone: request.organizerTimeZone,
        business: null,
      };
    }
    const working = schedule.workingHours;
    const zone = working?.timeZone ?? request.organizerTimeZone;
    const business = role === "room" ? null : policy.businessHours;
    if (role !== "room" && (working || business)) {
      const mask = hoursMask(zone, working, business);
      slotBits.set(mask.slots, row * S);
      if (withGrid) cellBits.set(mask.cells, row * C);
    }
    const items = schedule.items;
    // paint() inlined: slot i meets [a, b) when t0 + i*g - bufferBefore < b and t0 + i*g + spanAfter > a.
    const slotBase = row * S;
    const cellBase = row * C;
    for (let k = 0; k < items.length; k++) {
      const item = items[k]!;
      const bit = statusBit(item.status);
      const a = item.start;
      const b = item.end;
      if (bit === 0 || !(b > a)) continue;
      let lo = Math.floor((a - slotLead) / g) + 1;
      let hi = Math.ceil((b - slotTrail) / g) - 1;
      if (lo < 0) lo = 0;
      if (hi > S - 1) hi = S - 1;
      for (let i = slotBase + lo, last = slotBase + hi; i <= last; i++) slotBits[i]! |= bit;
      if (withGrid) {
        lo = Math.floor((a - cellLead) / g) + 1;
        hi = Math.ceil((b - t0) / g) - 1;
        if (lo < 0) lo = 0;
        if (hi > C - 1) hi = C - 1;
        for (let j = cellBase + lo, last = cellBase + hi; j <= last; j++) cellBits[j]! |= bit;
      }
    }
    return {
      id,
      role,
      row,
      workingHours: working,
      error: null,
      zone,
      business,
    };
  });

  const chars = new Uint8Array(cellBits.length);
  for (let j = 0; j < chars.length; j++) chars[j] = gridChar[cellBits[j]!]!;
  const views = ascii.decode(chars);
  const grid: GridRow[] = !withGrid
    ? []
    : participants.map((p) => ({
        id: p.id,
        role: p.role,
        view: views.slice(p.row * C, (p.row + 1) * C),
        workingHours: p.workingHours,
        error: p.error,
      }));

  // Slots that may be offered: after the minimum notice, within the horizon and the window.
  const earliest = now + (request.minimumNoticeMinutes ?? 0) * MINUTE;
  const latestEnd = Math.min(
    windowEnd,
    request.horizonDays === undefined ? Number.POSITIVE_INFINITY : now + request.horizonDays * DAY,
  );
  const iMin = Math.max(0, Math.ceil((earliest - t0) / g));
  const iMax = Math.min(S - 1, Math.floor((latestEnd - duration - t0) / g));

  const excluded = new Uint8Array(S);
  const uncertain = new Uint16Array(S);
  const optionalAvailable = new Uint16Array(S);
  const requiredExclude = hardMask | OUT_WORK | OUT_BUSINESS;
  const requiredDoubt = (UNK | FAILED | TENT) & ~hardMask;
  const optionalUnavailable = hardMask | OUT_WORK | OUT_BUSINESS | UNK | FAILED | TENT;
  const rooms: Participant[] = [];
  // Required attendees come first in `participants`; optional ones are then only counted where all can meet.
  let open: Int32Array | null = null;
  for (const p of participants) {
    const base = p.row * S;
    if (p.role === "required") {
      for (let i = iMin; i <= iMax; i++) {
        const b = slotBits[base + i]!;
        if (b & requiredExclude) excluded[i] = 1;
        else if (b & requiredDoubt) uncertain[i]!++;
      }
    } else if (p.role === "optional") {
      if (!open) {
        const list: number[] = [];
        for (let i = iMin; i <= iMax; i++) if (!excluded[i]) list.push(i);
        open = Int32Array.from(list);
      }
      for (let k = 0; k < open.length; k++) {
        const i = open[k]!;
        if (!(slotBits[base + i]! & optionalUnavailable)) optionalAvailable[i]!++;
      }
    } else {
      rooms.push(p);
    }
  }

  const chosenRoom = new Int32Array(S).fill(-1);
  const candidates: number[] = [];
  for (let i = iMin; i <= iMax; i++) {
    if (excluded[i]) continue;
    if (rooms.length > 0) {
      let certain = -1;
      let possible = -1;
      for (let r = 0; r < rooms.length; r++) {
        const b = slotBits[rooms[r]!.row * S + i]!;
        if (b & hardMask) continue;
        if (!(b & (UNK | FAILED | TENT))) {
          certain = r;
          break;
        }
        if (possible < 0) possible = r;
      }
      if (certain >= 0) chosenRoom[i] = certain;
      else if (possible >= 0) {
        chosenRoom[i] = possible;
        uncertain[i]!++;
      } else continue;
    }
    candidates.push(i);
  }
  candidates.sort(
    (a, b) => uncertain[a]! - uncertain[b]! || optionalAvailable[b]! - optionalAvailable[a]! || a - b,
  );

  const max = request.maxSuggestions ?? 10;
  const people = participants.filter((p) => p.role !== "room");
  const chosen = spread(
    candidates,
    max,
    (i) => uncertain[i]! * 65_536 - optionalAvailable[i]!,
    (i) => t0 + i * g,
    duration,
    request.organizerTimeZone,
  );
  const suggestions: Suggestion[] = chosen.map((i) => {
    const start = t0 + i * g;
    const room = chosenRoom[i]! >= 0 ? rooms[chosenRoom[i]!]! : null;
    return {
      start,
      end: start + duration,
      room: room?.id ?? null,
      uncertain: uncertain[i]!,
      optionalAvailable: optionalAvailable[i]!,
      attendees: people.concat(room ? [room] : []).map((p) => verdict(p, slotBits[p.row * S + i]!, policy)),
    };
  });

  let emptyReason: EmptyReason | null = null;
  if (suggestions.length === 0) {
    if (iMin > iMax) emptyReason = { code: "NO_SLOT_IN_WINDOW" };
    else {
      const unavailable = participants
        .filter((p) => p.role === "required")
        .flatMap((p) => {
          const reason = neverFreeReason(p, slotBits, p.row * S, iMin, iMax, requiredExclude, policy);
          return reason ? [{ id: p.id, reason }] : [];
        });
      if (unavailable.length > 0) emptyReason = { code: "ATTENDEES_UNAVAILABLE", attendees: unavailable };
      else if (rooms.length > 0 && excluded.subarray(iMin, iMax + 1).includes(0))
        emptyReason = { code: "NO_ROOM_FREE" };
      else emptyReason = { code: "NO_COMMON_TIME" };
    }
  }
  return {
    window: { start: t0, end: request.window.end },
    intervalMinutes: request.granularityMinutes,
    grid,
    suggestions,
    emptyReason,
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

/**
 * Picks up to `max` of the ranked candidate slots so that they spread over the window. Rank comes first:
 * a slot of a better tier (fewer uncertain attendees, more optional ones free) always goes before any slot
 * of a worse one. Within a tier, the slots at least an hour (or the meeting's length, if longer) from every
 * slot taken, and on a day that has not had its share yet, are taken first; the rest of the tier fills up
 * in rank order, and the tier's picks keep their rank order. So the first suggestions are different times worth choosing between, not
 * consecutive quarter-hours.
 */
function spread(
  ranked: readonly number[],
  max: number,
  tierOf: (i: number) => number,
  startOf: (i: number) => number,
  duration: number,
  zone: string,
): number[] {
  if (ranked.length <= 1 || max <= 1) return ranked.slice(0, max);
  const gap = Math.max(duration, 60 * MINUTE);
  const dayOf = (i: number) => Math.floor((startOf(i) + offsetAt(zone, startOf(i))) / DAY);
  const share = Math.max(1, Math.ceil(max / new Set(ranked.map(dayOf)).size));
  const perDay = new Map<number, number>();
  const taken: number[] = [];
  for (let k = 0; k < ranked.length && taken.length < max; ) {
    // One tier: ranked[k .. end) share a tier (the ranking sorts by tier first).
    const tier = tierOf(ranked[k]!);
    let end = k;
    while (end < ranked.length && tierOf(ranked[end]!) === tier) end++;
    const picked = new Set<number>();
    const room = max - taken.length;
    for (let n = k; n < end && picked.size < room; n++) {
      const i = ranked[n]!;
      const day = dayOf(i);
      if ((perDay.get(day) ?? 0) >= share) continue;
      if (taken.some((j) => Math.abs(startOf(j) - startOf(i)) < gap)) continue;
      if ([...picked].some((j) => Math.abs(startOf(j) - startOf(i)) < gap)) continue;
      picked.add(i);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    for (let n = k; n < end && picked.size < room; n++) picked.add(ranked[n]!);
    // The tier's picks keep their rank order.
    for (let n = k; n < end; n++) if (picked.has(ranked[n]!)) taken.push(ranked[n]!);
    k = end;
  }
  return taken;
}

/** Grid characters are ASCII digits: UTF-8 decoding takes the fast ASCII path. */
const ascii = new TextDecoder();

const hoursNote = (h: DailyHours, timeZone: string): HoursNote => ({
  startMinute: h.startMinute,
  endMinute: h.endMinute,
  timeZone,
});

/** The reason a slot's bits give, in order of what weighs most (a failed read, out of office, busy, ...). */
function reasonOf(p: Participant, bits: number, policy: AvailabilityPolicy): VerdictReason | null {
  if (bits & FAILED) return { code: "CALENDAR_UNREADABLE" };
  if (bits & OOF) return { code: "OUT_OF_OFFICE" };
  if (bits & BUSY) return { code: "BUSY" };
  if (bits & TENT) return { code: "TENTATIVE" };
  if (bits & OUT_WORK && p.workingHours)
    return { code: "OUTSIDE_WORKING_HOURS", hours: hoursNote(p.workingHours, p.workingHours.timeZone) };
  if (bits & OUT_BUSINESS && p.business)
    return { code: "OUTSIDE_BUSINESS_HOURS", hours: hoursNote(p.business, p.zone) };
  if (bits & UNK) return { code: "STATUS_UNKNOWN" };
  if (bits & WE && policy.workingElsewhereIsBusy) return { code: "WORKING_ELSEWHERE" };
  return null;
}

function verdict(p: Participant, bits: number, policy: AvailabilityPolicy): AttendeeVerdict {
  let status: AttendeeStatus = "free";
  if (bits & FAILED) status = "unknown";
  else if (bits & OOF) status = "oof";
  else if (bits & BUSY) status = "busy";
  else if (bits & TENT) status = "tentative";
  else if (bits & OUT_WORK && p.workingHours) status = "outsideWorkingHours";
  else if (bits & OUT_BUSINESS && p.business) status = "outsideBusinessHours";
  else if (bits & UNK) status = "unknown";
  else if (bits & WE) status = "workingElsewhere";
  return { id: p.id, role: p.role, status, reason: reasonOf(p, bits, policy) };
}

/**
 * For a required attendee who is free at no slot of [iMin, iMax]: what keeps them, read where it matters
 * most. Inside their hours, the most frequent blocking status names the cause (out of office on the days
 * asked, busy all of it); when no slot is inside their hours at all, the hours are the cause. Null when the
 * attendee is free at some slot.
 */
function neverFreeReason(
  p: Participant,
  slotBits: Uint8Array,
  base: number,
  iMin: number,
  iMax: number,
  exclude: number,
  policy: AvailabilityPolicy,
): VerdictReason | null {
  const counts = new Map<string, { reason: VerdictReason; n: number }>();
  let outside: VerdictReason | null = null;
  for (let i = iMin; i <= iMax; i++) {
    const bits = slotBits[base + i]!;
    if (!(bits & exclude)) return null;
    const inside = bits & ~(OUT_WORK | OUT_BUSINESS);
    const reason = reasonOf(p, inside & (FAILED | OOF | BUSY | TENT | UNK | WE) ? inside : bits, policy);
    if (!reason) continue;
    if (reason.code === "OUTSIDE_WORKING_HOURS" || reason.code === "OUTSIDE_BUSINESS_HOURS") {
      outside ??= reason;
      continue;
    }
    const seen = counts.get(reason.code);
    if (seen) seen.n++;
    else counts.set(reason.code, { reason, n: 1 });
  }
  let best: { reason: VerdictReason; n: number } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return best?.reason ?? outside;
}
