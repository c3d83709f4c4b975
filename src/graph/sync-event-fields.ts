import { z } from "zod";
import { localIso } from "../core/availability/zones.ts";
import { DomainError } from "../core/errors.ts";
import type { AttendeeResponse, EventAttendee, EventFields, Recurrence, ShowAs } from "../core/sync/model.ts";
import type { RemoteItem } from "../core/sync/ports.ts";
import { ianaZone, parseGraphDateTime } from "./calendars.ts";

// ------------------------------------------------------------------------------------ Graph shapes

const when = z.object({ dateTime: z.string(), timeZone: z.string().nullish() });
const graphEvent = z.object({
  id: z.string(),
  changeKey: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
  type: z.string().nullish(),
  seriesMasterId: z.string().nullish(),
  transactionId: z.string().nullish(),
  subject: z.string().nullish(),
  body: z.object({ content: z.string().nullish() }).nullish(),
  start: when.nullish(),
  end: when.nullish(),
  originalStart: z.string().nullish(),
  originalStartTimeZone: z.string().nullish(),
  isAllDay: z.boolean().nullish(),
  isCancelled: z.boolean().nullish(),
  showAs: z.string().nullish(),
  location: z.object({ displayName: z.string().nullish() }).nullish(),
  attendees: z
    .array(
      z.object({
        type: z.string().nullish(),
        status: z.object({ response: z.string().nullish() }).nullish(),
        emailAddress: z.object({ address: z.string().nullish() }).nullish(),
      }),
    )
    .nullish(),
  recurrence: z
    .object({
      pattern: z.object({
        type: z.string(),
        interval: z.number().nullish(),
        daysOfWeek: z.array(z.string()).nullish(),
      }),
      range: z.object({
        type: z.string(),
        endDate: z.string().nullish(),
        numberOfOccurrences: z.number().nullish(),
        recurrenceTimeZone: z.string().nullish(),
      }),
    })
    .nullish(),
});
type GraphEvent = z.infer<typeof graphEvent>;
export const removedEntry = z.object({
  id: z.string(),
  "@removed": z.object({ reason: z.string().nullish() }),
});
export const collection = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().nullish(),
  "@odata.deltaLink": z.string().nullish(),
});
export const calendarList = z.object({
  value: z.array(z.object({ id: z.string(), name: z.string().nullish() })),
  "@odata.nextLink": z.string().nullish(),
});
export const subscription = z.object({ id: z.string(), expirationDateTime: z.string() });

// --------------------------------------------------------------------------- fields <-> Graph event

const showAsValues: readonly ShowAs[] = ["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"];
const responses: Record<string, AttendeeResponse> = {
  accepted: "accepted",
  tentativelyAccepted: "tentative",
  declined: "declined",
};
const kinds: Record<string, EventFields["kind"]> = {
  singleInstance: "single",
  seriesMaster: "series",
  occurrence: "occurrence",
  exception: "exception",
};
const frequencies: Record<string, Recurrence["frequency"]> = {
  daily: "daily",
  weekly: "weekly",
  absoluteMonthly: "monthly",
  relativeMonthly: "monthly",
  absoluteYearly: "yearly",
  relativeYearly: "yearly",
};

/** A Graph date ("2026-12-08") at midnight in `zone`. */
const midnightOf = (date: string, zone: string) => parseGraphDateTime(`${date}T00:00:00`, zone);

function readRecurrence(e: GraphEvent, zone: string): Recurrence | null {
  const r = e.recurrence;
  if (!r) return null;
  const frequency = frequencies[r.pattern.type];
  if (!frequency) return null;
  return {
    frequency,
    interval: r.pattern.interval ?? 1,
    daysOfWeek: frequency === "weekly" ? (r.pattern.daysOfWeek ?? []).map((d) => d.toLowerCase()) : [],
    count: r.range.type === "numbered" ? (r.range.numberOfOccurrences ?? null) : null,
    until:
      r.range.type === "endDate" && r.range.endDate
        ? midnightOf(r.range.endDate, ianaZone(r.range.recurrenceTimeZone) ?? zone)
        : null,
  };
}

/** The event as sync compares it. All-day events are floating dates: read in their own zone. */
export function eventFieldsOf(e: GraphEvent): EventFields {
  const zone = ianaZone(e.originalStartTimeZone) ?? "UTC";
  const instant = (w: z.infer<typeof when> | null | undefined) => {
    if (!w) throw new DomainError("GRAPH_ERROR", `Graph returned event ${e.id} without a start or end.`);
    return parseGraphDateTime(w.dateTime, e.isAllDay ? zone : (w.timeZone ?? "UTC"));
  };
  const kind = kinds[e.type ?? "singleInstance"] ?? "single";
  return {
    resource: "event",
    kind,
    subject: e.subject ?? "",
    body: e.body?.content ? e.body.content : null,
    start: instant(e.start),
    end: instant(e.end),
    timeZone: zone,
    isAllDay: e.isAllDay ?? false,
    location: e.location?.displayName ? e.location.displayName : null,
    showAs: showAsValues.find((s) => s === e.showAs) ?? "busy",
    isCancelled: e.isCancelled ?? false,
    attendees: (e.attendees ?? []).map(
      (a): EventAttendee => ({
        email: a.emailAddress?.address ?? "",
        type: a.type === "optional" ? "optional" : a.type === "resource" ? "resource" : "required",
        response: responses[a.status?.response ?? ""] ?? "none",
      }),
    ),
    recurrence: kind === "series" ? readRecurrence(e, zone) : null,
    originalStart: e.originalStart ? Date.parse(e.originalStart) : null,
  };
}

const wall = (zone: string, instant: number) => ({ dateTime: localIso(zone, instant), timeZone: zone });

function writeRecurrence(f: EventFields): Record<string, unknown> | null {
  const r = f.recurrence;
  if (f.kind !== "series" || !r) return null;
  const [year, month, day] = localIso(f.timeZone, f.start).slice(0, 10).split("-").map(Number);
  const pattern =
    r.frequency === "daily"
      ? { type: "daily", interval: r.interval }
      : r.frequency === "weekly"
        ? { type: "weekly", interval: r.interval, daysOfWeek: r.daysOfWeek, firstDayOfWeek: "sunday" }
        : r.frequency === "monthly"
          ? { type: "absoluteMonthly", interval: r.interval, dayOfMonth: day }
          : { type: "absoluteYearly", interval: r.interval, dayOfMonth: day, month };
  const range = {
    startDate: `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
    recurrenceTimeZone: f.timeZone,
    ...(r.count !== null
      ? { type: "numbered", numberOfOccurrences: r.count }
      : r.until !== null
        ? { type: "endDate", endDate: localIso(f.timeZone, r.until).slice(0, 10) }
        : { type: "noEnd" }),
  };
  return { pattern, range };
}

/** The writable part of an event. Responses and cancellation are not written: attendees and `cancel` own them. */
export function graphEventOf(f: EventFields): Record<string, unknown> {
  const body: Record<string, unknown> = {
    subject: f.subject,
    body: { contentType: "text", content: f.body ?? "" },
    start: wall(f.timeZone, f.start),
    end: wall(f.timeZone, f.end),
    isAllDay: f.isAllDay,
    showAs: f.showAs,
    location: { displayName: f.location ?? "" },
    attendees: f.attendees.map((a) => ({ emailAddress: { address: a.email }, type: a.type })),
  };
  const recurrence = writeRecurrence(f);
  if (recurrence) body.recurrence = recurrence;
  return body;
}

export function itemOf(raw: unknown, containerId: string | null): RemoteItem {
  const e = graphEvent.parse(raw);
  return {
    id: e.id,
    changeKey: e.changeKey ?? "",
    fields: eventFieldsOf(e),
    lastModified: e.lastModifiedDateTime ? Date.parse(e.lastModifiedDateTime) : 0,
    containerId,
    seriesMasterId: e.seriesMasterId ?? null,
    transactionId: e.transactionId ?? null,
  };
}
