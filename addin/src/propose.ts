/**
 * "Propose times": the short list of free slots inserted into an e-mail, as HTML or plain text. Each
 * slot is written in the sender's zone and, when a recipient's zone is known and differs, in theirs too.
 * A recipient zone with the sender's offset at that time adds nothing and is left out. A note after the
 * list says whose availability is not known (recipients outside the organization). Formatting uses
 * Intl only, in the sender's locale; offsets and dates in a zone come from the core's zone library.
 */
import { offsetAt } from "../../src/core/availability/zones.ts";
import { isoDateInZone } from "../../src/ui-shared/format.ts";

export interface ProposedSlot {
  /** UTC epoch ms. */
  start: number;
  end: number;
}

export interface RecipientZone {
  /** Display name (or address) of the recipient(s) in this zone. */
  who: string;
  /** IANA zone name. */
  timeZone: string;
}

export interface ProposalOptions {
  locale: string;
  /** The sender's IANA zone. */
  timeZone: string;
  /** Zones of recipients whose zone is known. */
  recipientZones: readonly RecipientZone[];
  /** Introductory line, already translated. */
  intro: string;
  /** A line after the list (whose availability is not known), already translated; none when absent. */
  note?: string;
}

export const MIN_PROPOSED = 3;
export const MAX_PROPOSED = 5;

/** Picks up to five slots, at most two per day, so the list offers a spread of days. */
export function pickProposedSlots(
  candidates: readonly ProposedSlot[],
  dayOf: (ms: number) => string,
): ProposedSlot[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start);
  const perDay = new Map<string, number>();
  const picked: ProposedSlot[] = [];
  for (const slot of sorted) {
    const day = dayOf(slot.start);
    const count = perDay.get(day) ?? 0;
    if (count >= 2) continue;
    if (picked.some((p) => p.start < slot.end && slot.start < p.end)) continue;
    perDay.set(day, count + 1);
    picked.push(slot);
    if (picked.length === MAX_PROPOSED) return picked;
  }
  // Too few days: fill with the remaining non-overlapping slots in time order.
  for (const slot of sorted) {
    if (picked.length === MAX_PROPOSED) break;
    if (picked.some((p) => p.start < slot.end && slot.start < p.end)) continue;
    picked.push(slot);
  }
  return picked.sort((a, b) => a.start - b.start);
}

function rangeText(slot: ProposedSlot, locale: string, timeZone: string, withDate: boolean): string {
  const format = new Intl.DateTimeFormat(locale, {
    ...(withDate ? { weekday: "short", day: "numeric", month: "short" } : {}),
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  });
  return format.formatRange(slot.start, slot.end);
}

function zoneLabel(locale: string, timeZone: string, at: number): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "shortGeneric" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

/** One line per slot: the sender's wording plus, per differing recipient zone, the time there. */
export function proposalLines(slots: readonly ProposedSlot[], options: ProposalOptions): string[] {
  const others = options.recipientZones.filter((z) => z.timeZone !== options.timeZone);
  return slots.map((slot) => {
    const own = `${rangeText(slot, options.locale, options.timeZone, true)} ${zoneLabel(options.locale, options.timeZone, slot.start)}`;
    const theirs = others
      .filter((z) => offsetAt(z.timeZone, slot.start) !== offsetAt(options.timeZone, slot.start))
      .map(
        (z) =>
          `${rangeText(slot, options.locale, z.timeZone, !sameDay(slot.start, options.timeZone, z.timeZone))} ${zoneLabel(options.locale, z.timeZone, slot.start)} (${z.who})`,
      );
    return theirs.length > 0 ? `${own} · ${theirs.join(" · ")}` : own;
  });
}

/** Whether an instant falls on the same calendar date in two zones. */
function sameDay(at: number, a: string, b: string): boolean {
  return isoDateInZone(at, a) === isoDateInZone(at, b);
}

const escapeHtml = (value: string) =>
  value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

export function proposalHtml(slots: readonly ProposedSlot[], options: ProposalOptions): string {
  const items = proposalLines(slots, options)
    .map((line) => `<li>${escapeHtml(line)}</li>`)
    .join("");
  const note = options.note ? `<p data-quorum="availability-note">${escapeHtml(options.note)}</p>` : "";
  return `<p>${escapeHtml(options.intro)}</p><ul data-quorum="proposed-times">${items}</ul>${note}`;
}

export function proposalText(slots: readonly ProposedSlot[], options: ProposalOptions): string {
  // Own lines before and after, so the list never runs into the text around the cursor.
  const note = options.note ? `${options.note}\n` : "";
  return `\n${options.intro}\n${proposalLines(slots, options)
    .map((line) => `- ${line}`)
    .join("\n")}\n${note}`;
}
