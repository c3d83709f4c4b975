/**
 * The slot finder: from schedules, working hours and the tenant policy to a grid per attendee/room and
 * ranked meeting-time suggestions with a reason per attendee per slot.
 *
 * Everything is numbers. Each participant gets a bit set per slot painted from their items (slot-grid.ts);
 * hours masks are computed once per (zone, hours) pair and copied. Ranking then reads the bits; the picks
 * are spaced over the window (slot-spread.ts) and explained (slot-reasons.ts).
 */
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import {
  type AvailabilityPolicy,
  type AvailabilityRequest,
  type AvailabilityResult,
  type EmptyReason,
  type GridRow,
  isFailedSchedule,
  type ParticipantRole,
  type Schedule,
  type Suggestion,
} from "./model.ts";
import {
  alignUp,
  BUSY,
  DAY,
  FAILED,
  gridChar,
  hoursMasks,
  MINUTE,
  OOF,
  OUT_BUSINESS,
  OUT_WORK,
  type Participant,
  type Space,
  statusBit,
  TENT,
  UNK,
  WE,
} from "./slot-grid.ts";
import { neverFreeReason, verdict } from "./slot-reasons.ts";
import { spread } from "./slot-spread.ts";

/** Upper bound on cells per row, to keep one request's work bounded. */
export const MAX_CELLS = 20_000;
/** Upper bound on attendee-intervals per request (memory: two bytes each). */
export const MAX_WORK = 5_000_000;

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

  const hoursMask = hoursMasks(space, windowEnd);

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

/** Grid characters are ASCII digits: UTF-8 decoding takes the fast ASCII path. */
const ascii = new TextDecoder();
