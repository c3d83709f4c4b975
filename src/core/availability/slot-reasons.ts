/**
 * What a participant's slot bits mean to a person: the status and reason per attendee per suggestion, and
 * why a required attendee is free at no slot at all (the empty result's reason).
 */
import type {
  AttendeeStatus,
  AttendeeVerdict,
  AvailabilityPolicy,
  DailyHours,
  HoursNote,
  VerdictReason,
} from "./model.ts";
import { BUSY, FAILED, OOF, OUT_BUSINESS, OUT_WORK, type Participant, TENT, UNK, WE } from "./slot-grid.ts";

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

export function verdict(p: Participant, bits: number, policy: AvailabilityPolicy): AttendeeVerdict {
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
export function neverFreeReason(
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
