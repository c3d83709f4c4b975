/**
 * Events as Graph shows them: rendering (with `Prefer: outlook.timezone`), change keys and ETags, finding an
 * event or occurrence by id, and the instances of a mailbox's events in a window (used by calendarView,
 * delta and getSchedule).
 */
import { createHash } from "node:crypto";
import { GraphError, notFound } from "../http.ts";
import type { EmCalendar, EmEvent, MailboxData } from "../model.ts";
import { formatWall, toDateTimeTimeZone, toIana, utcToWall } from "../time.ts";
import { type GraphContext, iso } from "./context.ts";
import { applySelect } from "./odata.ts";
import { expandSeries, isOccurrence, type Occurrence } from "./recurrence.ts";

export function changeKeyOf(version: number): string {
  return createHash("sha1").update(String(version)).digest("base64").slice(0, 22);
}

export function occurrenceId(masterId: string, originalStart: number): string {
  return `${masterId}.${originalStart}`;
}

function renderWhen(ev: EmEvent, utcMs: number, zoneName: string): { dateTime: string; timeZone: string } {
  if (ev.isAllDay) {
    // All-day items are floating dates: midnight of the date in the zone they were created in.
    const zone = toIana(ev.timeZone) ?? "UTC";
    return { dateTime: formatWall(utcToWall(utcMs, zone)), timeZone: zoneName };
  }
  return toDateTimeTimeZone(utcMs, zoneName);
}

export function renderEvent(
  _ctx: GraphContext,
  ev: EmEvent,
  occ: Occurrence | null,
  zoneName: string,
  select: string[] | null,
): Record<string, unknown> {
  const o = occ?.override;
  const version = Math.max(ev.version, o?.version ?? 0);
  const changeKey = changeKeyOf(version);
  const start = occ ? occ.start : ev.startUtc;
  const end = occ ? occ.end : ev.endUtc;
  const subject = o?.subject ?? ev.subject;
  const location = o?.location ?? ev.location;
  const id = occ ? occurrenceId(ev.id, occ.originalStart) : ev.id;
  const type = occ ? (o ? "exception" : "occurrence") : ev.type;
  const body: Record<string, unknown> = {
    "@odata.etag": `W/"${changeKey}"`,
    id,
    createdDateTime: iso(ev.createdAt),
    lastModifiedDateTime: iso(Math.max(ev.modifiedAt, o?.modifiedAt ?? 0)),
    changeKey,
    categories: ev.categories,
    transactionId: ev.transactionId,
    originalStartTimeZone: ev.timeZone,
    originalEndTimeZone: ev.timeZone,
    iCalUId: ev.iCalUId,
    uid: ev.iCalUId,
    reminderMinutesBeforeStart: ev.reminderMinutesBeforeStart,
    isReminderOn: ev.isReminderOn,
    hasAttachments: false,
    subject,
    bodyPreview: (o?.bodyContent ?? ev.body.content).replace(/<[^>]+>/g, "").slice(0, 255),
    importance: ev.importance,
    sensitivity: ev.sensitivity,
    isAllDay: ev.isAllDay,
    isCancelled: ev.isCancelled,
    isOrganizer: ev.isOrganizer,
    responseRequested: ev.responseRequested,
    seriesMasterId: occ ? ev.id : null,
    showAs: o?.showAs ?? ev.showAs,
    type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: ev.isOnlineMeeting,
    onlineMeetingProvider: ev.onlineMeetingProvider,
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: ev.responseStatus,
    body: { contentType: ev.body.contentType, content: o?.bodyContent ?? ev.body.content },
    start: renderWhen(ev, start, zoneName),
    end: renderWhen(ev, end, zoneName),
    location: {
      displayName: location.displayName,
      locationType: location.locationType ?? "default",
      uniqueIdType: "unknown",
      ...(location.locationEmailAddress ? { locationEmailAddress: location.locationEmailAddress } : {}),
    },
    locations: location.displayName
      ? [
          {
            displayName: location.displayName,
            locationType: location.locationType ?? "default",
            ...(location.locationEmailAddress ? { locationEmailAddress: location.locationEmailAddress } : {}),
          },
        ]
      : [],
    recurrence: occ ? null : ev.recurrence,
    attendees: ev.attendees.map((a) => ({
      type: a.type,
      status: { response: a.response, time: "0001-01-01T00:00:00Z" },
      emailAddress: { name: a.name, address: a.address },
    })),
    organizer: { emailAddress: { name: ev.organizer.name, address: ev.organizer.address } },
    onlineMeeting: ev.joinUrl ? { joinUrl: ev.joinUrl } : null,
  };
  if (occ) body.originalStart = iso(occ.originalStart).replace(/\.\d+Z$/, "Z");
  return applySelect(body, select);
}

// ---------------------------------------------------------------------------------------------------------
// Lookup

export interface EventRef {
  box: MailboxData;
  event: EmEvent;
  /** Set when the id names an occurrence of a series. */
  originalStart: number | null;
}

/** The ETag an event or occurrence is served with (`@odata.etag`), which `If-Match` is checked against. */
export function etagOf(ref: EventRef): string {
  const override = ref.originalStart === null ? undefined : ref.event.exceptions[String(ref.originalStart)];
  return `W/"${changeKeyOf(Math.max(ref.event.version, override?.version ?? 0))}"`;
}

export function findEvent(box: MailboxData, id: string): EventRef {
  const direct = box.events.get(id);
  if (direct) return { box, event: direct, originalStart: null };
  const dot = id.lastIndexOf(".");
  if (dot > 0) {
    const master = box.events.get(id.slice(0, dot));
    const original = Number(id.slice(dot + 1));
    if (master?.recurrence && Number.isFinite(original) && isOccurrence(master, original)) {
      if (master.exceptions[String(original)]?.cancelled) throw notFound();
      return { box, event: master, originalStart: original };
    }
  }
  if (!/^[\w=.+/-]+$/.test(id)) throw new GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
  throw notFound();
}

export function calendarById(box: MailboxData, id: string | undefined): EmCalendar {
  if (id === undefined) return box.calendars[0]!;
  const c = box.calendars.find((x) => x.id === id);
  if (!c) throw notFound("The specified object was not found in the store.", "ErrorItemNotFound");
  return c;
}

export interface Instance {
  event: EmEvent;
  occ: Occurrence | null;
  start: number;
  end: number;
  id: string;
  version: number;
}

export function instancesInWindow(
  box: MailboxData,
  from: number,
  to: number,
  calendarId: string | null,
): Instance[] {
  const out: Instance[] = [];
  for (const ev of box.events.values()) {
    if (calendarId !== null && ev.calendarId !== calendarId) continue;
    if (ev.type === "seriesMaster") {
      for (const occ of expandSeries(ev, from, to)) {
        out.push({
          event: ev,
          occ,
          start: occ.start,
          end: occ.end,
          id: occurrenceId(ev.id, occ.originalStart),
          version: Math.max(ev.version, occ.override?.version ?? 0),
        });
      }
    } else if (ev.startUtc < to && ev.endUtc > from) {
      out.push({ event: ev, occ: null, start: ev.startUtc, end: ev.endUtc, id: ev.id, version: ev.version });
    }
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
  return out;
}

export function occurrenceOf(ev: EmEvent, originalStart: number): Occurrence {
  const o = ev.exceptions[String(originalStart)];
  const duration = ev.endUtc - ev.startUtc;
  return {
    originalStart,
    start: o?.startUtc ?? originalStart,
    end: o?.endUtc ?? originalStart + duration,
    override: o,
  };
}
