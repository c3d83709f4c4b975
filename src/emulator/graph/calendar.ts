/**
 * Calendars and events: calendars CRUD, events CRUD on default and secondary calendars (transactionId
 * idempotency, Teams join URLs, attendees and rooms receiving the meeting, cancel), occurrences and
 * exceptions, calendarView with recurrence expansion, calendarView/delta and `Prefer: outlook.timezone`.
 * PATCH and DELETE honour `If-Match` (412 `ErrorIrresolvableConflict` once the change key has moved).
 */
import { createHash } from "node:crypto";
import {
  asRecord,
  badRequest,
  checkIfMatch,
  GraphError,
  type GraphRequest,
  noContent,
  notFound,
  ok,
} from "../http.ts";
import type {
  Attendee,
  EmCalendar,
  EmEvent,
  EmUser,
  MailboxData,
  RecurrencePattern,
  RecurrenceRange,
  TenantState,
} from "../model.ts";
import { itemIdFrom, joinUrlFor } from "../seed.ts";
import type { EmulatorState } from "../state.ts";
import {
  formatWall,
  parseDateTimeTimeZone,
  parseQueryInstant,
  preferredPageSize,
  preferredZone,
  toDateTimeTimeZone,
  toIana,
  utcToWall,
  WEEKDAYS,
} from "../time.ts";
import { type GraphContext, type GraphRouter, iso, isoSeconds, link, type RouteMatch } from "./context.ts";
import { applySelect, parseSelect } from "./odata.ts";
import { expandSeries, isOccurrence, type Occurrence } from "./recurrence.ts";

// ---------------------------------------------------------------------------------------------------------
// Rendering

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

function calendarById(box: MailboxData, id: string | undefined): EmCalendar {
  if (id === undefined) return box.calendars[0]!;
  const c = box.calendars.find((x) => x.id === id);
  if (!c) throw notFound("The specified object was not found in the store.", "ErrorItemNotFound");
  return c;
}

// ---------------------------------------------------------------------------------------------------------
// Instances in a window (used by calendarView, delta, getSchedule)

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

// ---------------------------------------------------------------------------------------------------------
// Writes

interface EventInput {
  subject?: string;
  body?: { contentType?: string; content?: string };
  start?: { dateTime?: string; timeZone?: string };
  end?: { dateTime?: string; timeZone?: string };
  isAllDay?: boolean;
  showAs?: EmEvent["showAs"];
  sensitivity?: EmEvent["sensitivity"];
  importance?: EmEvent["importance"];
  location?: { displayName?: string; locationEmailAddress?: string; locationType?: string };
  attendees?: { emailAddress?: { address?: string; name?: string }; type?: Attendee["type"] }[];
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: EmEvent["onlineMeetingProvider"];
  recurrence?: { pattern?: Partial<RecurrencePattern>; range?: Partial<RecurrenceRange> } | null;
  transactionId?: string;
  categories?: string[];
  reminderMinutesBeforeStart?: number;
  isReminderOn?: boolean;
  responseRequested?: boolean;
}

const SHOW_AS = ["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"];
const SENSITIVITY = ["normal", "personal", "private", "confidential"];

function parseWhen(value: unknown, name: string): { utc: number; zone: string } {
  const v = value as { dateTime?: unknown; timeZone?: unknown } | undefined;
  if (!v || typeof v.dateTime !== "string")
    throw badRequest(
      `The ${name} property is required and must be a dateTimeTimeZone.`,
      "ErrorInvalidRequest",
    );
  const zone = typeof v.timeZone === "string" && v.timeZone ? v.timeZone : "UTC";
  if (!toIana(zone))
    throw badRequest(
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`,
      "TimeZoneNotSupportedException",
    );
  const utc = parseDateTimeTimeZone(v);
  if (utc === undefined)
    throw badRequest(
      `Cannot convert the literal '${v.dateTime}' to the expected type 'Edm.DateTimeOffset'.`,
      "ErrorInvalidRequest",
    );
  return { utc, zone };
}

function validateInput(input: EventInput): void {
  if (input.showAs !== undefined && !SHOW_AS.includes(input.showAs))
    throw badRequest(`Invalid showAs '${input.showAs}'.`, "ErrorInvalidRequest");
  if (input.sensitivity !== undefined && !SENSITIVITY.includes(input.sensitivity))
    throw badRequest(`Invalid sensitivity '${input.sensitivity}'.`, "ErrorInvalidRequest");
  if (input.subject !== undefined && typeof input.subject !== "string")
    throw badRequest("subject must be a string.", "ErrorInvalidRequest");
  if (input.attendees !== undefined && !Array.isArray(input.attendees))
    throw badRequest("attendees must be an array.", "ErrorInvalidRequest");
  for (const a of input.attendees ?? []) {
    if (!a?.emailAddress?.address || !/^[^@\s]+@[^@\s]+$/.test(a.emailAddress.address)) {
      throw badRequest("Every attendee needs emailAddress.address.", "ErrorInvalidRecipients");
    }
  }
}

function parseRecurrence(
  input: EventInput["recurrence"],
  startUtc: number,
  zone: string,
): EmEvent["recurrence"] {
  if (!input) return null;
  const p = input.pattern ?? {};
  const r = input.range ?? {};
  const types = ["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"];
  if (!p.type || !types.includes(p.type))
    throw badRequest("recurrence.pattern.type is not valid.", "ErrorInvalidRequest");
  if (
    (p.type === "weekly" || p.type.startsWith("relative")) &&
    (!p.daysOfWeek || p.daysOfWeek.length === 0)
  ) {
    throw badRequest("recurrence.pattern.daysOfWeek is required for this pattern.", "ErrorInvalidRequest");
  }
  for (const d of p.daysOfWeek ?? [])
    if (!WEEKDAYS.includes(d)) throw badRequest(`Invalid day '${d}'.`, "ErrorInvalidRequest");
  const iana = toIana(zone) ?? "UTC";
  const startDate = r.startDate ?? formatWall(utcToWall(startUtc, iana)).slice(0, 10);
  const rangeType = r.type ?? "noEnd";
  if (rangeType === "endDate" && !r.endDate)
    throw badRequest("recurrence.range.endDate is required.", "ErrorInvalidRequest");
  if (rangeType === "numbered" && !(Number(r.numberOfOccurrences) > 0))
    throw badRequest("recurrence.range.numberOfOccurrences is required.", "ErrorInvalidRequest");
  const pattern: RecurrencePattern = { type: p.type, interval: Math.max(1, Number(p.interval ?? 1)) };
  if (p.daysOfWeek) pattern.daysOfWeek = p.daysOfWeek;
  if (p.dayOfMonth) pattern.dayOfMonth = p.dayOfMonth;
  if (p.month) pattern.month = p.month;
  pattern.firstDayOfWeek = p.firstDayOfWeek ?? "sunday";
  if (p.index) pattern.index = p.index;
  const range: RecurrenceRange = {
    type: rangeType,
    startDate,
    recurrenceTimeZone: r.recurrenceTimeZone ?? zone,
  };
  if (r.endDate) range.endDate = r.endDate;
  if (r.numberOfOccurrences) range.numberOfOccurrences = Number(r.numberOfOccurrences);
  return { pattern, range };
}

function resolveAttendees(
  state: EmulatorState,
  tenant: TenantState,
  input: EventInput["attendees"],
): Attendee[] {
  return (input ?? []).map((a) => {
    const address = a.emailAddress?.address ?? "";
    const user = state.findUser(tenant, address);
    const type = a.type ?? (user?.kind === "room" ? "resource" : "required");
    return {
      type,
      name: a.emailAddress?.name ?? user?.displayName ?? address,
      address: user?.mail ?? address,
      response: "none",
    };
  });
}

export class CalendarService {
  constructor(private readonly state: EmulatorState) {}

  private emit(
    tenant: TenantState,
    owner: EmUser,
    eventId: string,
    changeType: "created" | "updated" | "deleted",
  ): void {
    this.state.emit({
      tenantId: tenant.id,
      resource: `Users/${owner.id}/Events/${eventId}`,
      collection: "events",
      mailboxId: owner.id,
      containerId: null,
      itemId: eventId,
      changeType,
    });
  }

  create(
    tenant: TenantState,
    owner: EmUser,
    calendarId: string | undefined,
    raw: unknown,
  ): { event: EmEvent; created: boolean } {
    const input = asRecord(raw) as EventInput;
    validateInput(input);
    const box = this.state.mailbox(tenant, owner);
    const calendar = calendarById(box, calendarId);
    if (input.transactionId) {
      for (const e of box.events.values())
        if (e.transactionId === input.transactionId) return { event: e, created: false };
    }
    const start = parseWhen(input.start, "start");
    const end = parseWhen(input.end, "end");
    if (end.utc < start.utc)
      throw badRequest("The end time of the event must not be before its start time.", "ErrorInvalidRequest");
    const isAllDay = input.isAllDay === true;
    if (isAllDay) {
      const z = toIana(start.zone) ?? "UTC";
      const midnight = (t: number) => utcToWall(t, z) % 86_400_000 === 0;
      if (!midnight(start.utc) || !midnight(end.utc) || end.utc === start.utc) {
        throw badRequest(
          "Your request can't be completed. If the event is an all-day event, start and end must be at midnight and differ.",
          "ErrorPropertyValidationFailure",
        );
      }
    }
    const now = this.state.clock.now();
    const version = this.state.nextVersion();
    const id = itemIdFrom("Evt", `${tenant.id}:${owner.id}:${version}:${now}:${Math.random()}`);
    const online = input.isOnlineMeeting === true;
    const attendees = resolveAttendees(this.state, tenant, input.attendees);
    const room = attendees.find((a) => a.type === "resource");
    const location = input.location?.displayName
      ? {
          displayName: input.location.displayName,
          ...(input.location.locationEmailAddress
            ? { locationEmailAddress: input.location.locationEmailAddress }
            : {}),
          ...(input.location.locationType ? { locationType: input.location.locationType } : {}),
        }
      : room
        ? { displayName: room.name, locationEmailAddress: room.address, locationType: "conferenceRoom" }
        : { displayName: online ? "Microsoft Teams Meeting" : "" };
    const recurrence = parseRecurrence(input.recurrence, start.utc, start.zone);
    const event: EmEvent = {
      id,
      mailboxId: owner.id,
      calendarId: calendar.id,
      iCalUId: `040000008200E00074C5B7101A82E008${createHash("sha1").update(id).digest("hex").toUpperCase()}`,
      type: recurrence ? "seriesMaster" : "singleInstance",
      subject: input.subject ?? "",
      body: {
        contentType: input.body?.contentType === "text" ? "text" : "html",
        content: input.body?.content ?? "",
      },
      startUtc: start.utc,
      endUtc: end.utc,
      timeZone: start.zone,
      isAllDay,
      showAs: input.showAs ?? "busy",
      sensitivity: input.sensitivity ?? "normal",
      importance: input.importance ?? "normal",
      isCancelled: false,
      isOrganizer: true,
      organizer: { name: owner.displayName, address: owner.mail },
      attendees,
      location,
      isOnlineMeeting: online,
      onlineMeetingProvider: online ? (input.onlineMeetingProvider ?? "teamsForBusiness") : "unknown",
      joinUrl:
        online && (input.onlineMeetingProvider ?? "teamsForBusiness") === "teamsForBusiness"
          ? joinUrlFor(id)
          : null,
      recurrence,
      exceptions: {},
      transactionId: input.transactionId ?? null,
      categories: Array.isArray(input.categories) ? input.categories : [],
      responseStatus: { response: "organizer", time: "0001-01-01T00:00:00Z" },
      reminderMinutesBeforeStart: input.reminderMinutesBeforeStart ?? 15,
      isReminderOn: input.isReminderOn ?? true,
      responseRequested: input.responseRequested ?? true,
      createdAt: now,
      modifiedAt: now,
      version,
    };
    box.events.set(id, event);
    this.emit(tenant, owner, id, "created");
    this.syncAttendeeCopies(tenant, event, []);
    return { event, created: true };
  }

  /** Creates, updates or cancels the attendees' copies of an organizer's event. */
  private syncAttendeeCopies(tenant: TenantState, event: EmEvent, previousAttendees: Attendee[]): void {
    if (!event.isOrganizer) return;
    const current = new Set(event.attendees.map((a) => a.address.toLowerCase()));
    for (const a of event.attendees) {
      const user = this.state.findUser(tenant, a.address);
      if (!user?.hasMailbox || user.id === event.mailboxId) continue;
      const box = this.state.mailbox(tenant, user);
      const existing = [...box.events.values()].find((e) => e.iCalUId === event.iCalUId);
      if (user.kind === "room") {
        // Rooms auto-accept when free, decline when taken.
        const busy = instancesInWindow(box, event.startUtc, event.endUtc, null).some(
          (i) => i.event.iCalUId !== event.iCalUId && !i.event.isCancelled && i.event.showAs !== "free",
        );
        a.response = busy && !existing ? "declined" : "accepted";
        if (a.response === "declined") continue;
      }
      const version = this.state.nextVersion();
      const copy: EmEvent = {
        ...structuredClone(event),
        id: existing?.id ?? itemIdFrom("Evt", `${event.id}:${user.id}`),
        mailboxId: user.id,
        calendarId: box.calendars[0]!.id,
        isOrganizer: false,
        transactionId: null,
        responseStatus: existing?.responseStatus ?? {
          response: user.kind === "room" ? "accepted" : "notResponded",
          time: "0001-01-01T00:00:00Z",
        },
        showAs: existing?.showAs && existing.showAs !== event.showAs ? existing.showAs : event.showAs,
        createdAt: existing?.createdAt ?? event.modifiedAt,
        modifiedAt: event.modifiedAt,
        version,
      };
      if (user.kind !== "room" && copy.responseStatus.response === "notResponded")
        copy.showAs = event.showAs === "busy" ? "tentative" : event.showAs;
      box.events.set(copy.id, copy);
      this.emit(tenant, user, copy.id, existing ? "updated" : "created");
    }
    for (const a of previousAttendees) {
      if (current.has(a.address.toLowerCase())) continue;
      const user = this.state.findUser(tenant, a.address);
      if (user) this.cancelCopy(tenant, user, event.iCalUId);
    }
  }

  private cancelCopy(
    tenant: TenantState,
    user: EmUser,
    iCalUId: string,
    originalStart: number | null = null,
  ): void {
    const box = this.state.mailbox(tenant, user);
    const copy = [...box.events.values()].find((e) => e.iCalUId === iCalUId && !e.isOrganizer);
    if (!copy) return;
    const version = this.state.nextVersion();
    if (originalStart !== null) {
      copy.exceptions[String(originalStart)] = {
        cancelled: true,
        version,
        modifiedAt: this.state.clock.now(),
      };
      copy.version = version;
    } else if (user.kind === "room") {
      box.events.delete(copy.id);
      box.deleted.set(copy.id, this.state.clock.now());
      this.emit(tenant, user, copy.id, "deleted");
      return;
    } else {
      copy.isCancelled = true;
      if (!copy.subject.startsWith("Canceled: ")) copy.subject = `Canceled: ${copy.subject}`;
      copy.version = version;
    }
    copy.modifiedAt = this.state.clock.now();
    this.emit(tenant, user, copy.id, "updated");
  }

  update(tenant: TenantState, owner: EmUser, ref: EventRef, raw: unknown): EmEvent {
    const input = asRecord(raw) as EventInput;
    validateInput(input);
    const ev = ref.event;
    const now = this.state.clock.now();
    const version = this.state.nextVersion();
    if (ref.originalStart !== null) {
      // Editing one occurrence makes it an exception.
      const key = String(ref.originalStart);
      const prev = ev.exceptions[key] ?? { version, modifiedAt: now };
      const next = { ...prev, version, modifiedAt: now };
      if (input.start) next.startUtc = parseWhen(input.start, "start").utc;
      if (input.end) next.endUtc = parseWhen(input.end, "end").utc;
      if (input.subject !== undefined) next.subject = input.subject;
      if (input.showAs !== undefined) next.showAs = input.showAs;
      if (input.location?.displayName !== undefined)
        next.location = { displayName: input.location.displayName };
      if (input.body?.content !== undefined) next.bodyContent = input.body.content;
      ev.exceptions[key] = next;
      ev.version = version;
      ev.modifiedAt = now;
      this.emit(tenant, owner, occurrenceId(ev.id, ref.originalStart), "updated");
      if (ev.isOrganizer) this.propagateException(tenant, ev, key);
      return ev;
    }
    if (!ev.isOrganizer && (input.start || input.end || input.attendees)) {
      throw new GraphError(
        400,
        "ErrorInvalidRequest",
        "Only the organizer can change the time or attendees of a meeting.",
      );
    }
    const previousAttendees = ev.attendees.map((a) => ({ ...a }));
    if (input.subject !== undefined) ev.subject = input.subject;
    if (input.body)
      ev.body = {
        contentType: input.body.contentType === "text" ? "text" : "html",
        content: input.body.content ?? "",
      };
    if (input.start) {
      const s = parseWhen(input.start, "start");
      // Moving a whole series drops its exceptions (they were keyed by the old occurrence times), as Outlook does.
      if (ev.type === "seriesMaster" && s.utc !== ev.startUtc) ev.exceptions = {};
      ev.startUtc = s.utc;
      ev.timeZone = s.zone;
    }
    if (input.end) ev.endUtc = parseWhen(input.end, "end").utc;
    if (ev.endUtc < ev.startUtc)
      throw badRequest("The end time of the event must not be before its start time.", "ErrorInvalidRequest");
    if (input.isAllDay !== undefined) ev.isAllDay = input.isAllDay;
    if (input.showAs !== undefined) ev.showAs = input.showAs;
    if (input.sensitivity !== undefined) ev.sensitivity = input.sensitivity;
    if (input.importance !== undefined) ev.importance = input.importance;
    if (input.categories !== undefined) ev.categories = input.categories;
    if (input.location)
      ev.location = {
        displayName: input.location.displayName ?? "",
        ...(input.location.locationEmailAddress
          ? { locationEmailAddress: input.location.locationEmailAddress }
          : {}),
      };
    if (input.attendees) ev.attendees = resolveAttendees(this.state, tenant, input.attendees);
    if (input.isOnlineMeeting === true && !ev.isOnlineMeeting) {
      ev.isOnlineMeeting = true;
      ev.onlineMeetingProvider = input.onlineMeetingProvider ?? "teamsForBusiness";
      if (ev.onlineMeetingProvider === "teamsForBusiness") ev.joinUrl = joinUrlFor(ev.id);
    }
    // An online meeting cannot be turned back into a plain one (isOnlineMeeting false is ignored, as in Graph).
    if (input.recurrence !== undefined) {
      ev.recurrence = parseRecurrence(input.recurrence, ev.startUtc, ev.timeZone);
      ev.type = ev.recurrence ? "seriesMaster" : "singleInstance";
      ev.exceptions = {};
    }
    ev.version = version;
    ev.modifiedAt = now;
    this.emit(tenant, owner, ev.id, "updated");
    this.syncAttendeeCopies(tenant, ev, previousAttendees);
    return ev;
  }

  private propagateException(tenant: TenantState, ev: EmEvent, key: string): void {
    for (const a of ev.attendees) {
      const user = this.state.findUser(tenant, a.address);
      if (!user || user.id === ev.mailboxId || !user.hasMailbox) continue;
      const box = this.state.mailbox(tenant, user);
      const copy = [...box.events.values()].find((e) => e.iCalUId === ev.iCalUId && !e.isOrganizer);
      if (!copy) continue;
      const version = this.state.nextVersion();
      copy.exceptions[key] = { ...structuredClone(ev.exceptions[key]!), version };
      copy.version = version;
      copy.modifiedAt = this.state.clock.now();
      this.emit(tenant, user, occurrenceId(copy.id, Number(key)), "updated");
    }
  }

  /** DELETE: the organizer's delete cancels the meeting for attendees; an attendee's delete removes their copy. */
  remove(tenant: TenantState, owner: EmUser, ref: EventRef): void {
    const ev = ref.event;
    const now = this.state.clock.now();
    if (ref.originalStart !== null) {
      const version = this.state.nextVersion();
      ev.exceptions[String(ref.originalStart)] = { cancelled: true, version, modifiedAt: now };
      ev.version = version;
      ev.modifiedAt = now;
      this.emit(tenant, owner, occurrenceId(ev.id, ref.originalStart), "deleted");
      if (ev.isOrganizer) {
        for (const a of ev.attendees) {
          const user = this.state.findUser(tenant, a.address);
          if (user && user.id !== owner.id) this.cancelCopy(tenant, user, ev.iCalUId, ref.originalStart);
        }
      }
      return;
    }
    ref.box.events.delete(ev.id);
    ref.box.deleted.set(ev.id, now);
    this.emit(tenant, owner, ev.id, "deleted");
    if (ev.isOrganizer) {
      for (const a of ev.attendees) {
        const user = this.state.findUser(tenant, a.address);
        if (user && user.id !== owner.id) this.cancelCopy(tenant, user, ev.iCalUId);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Routes

function calendarResource(c: EmCalendar, owner: EmUser): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    color: c.color,
    hexColor: "",
    isDefaultCalendar: c.isDefaultCalendar,
    changeKey: changeKeyOf(c.version),
    canShare: true,
    canViewPrivateItems: true,
    canEdit: c.canEdit,
    allowedOnlineMeetingProviders: ["teamsForBusiness"],
    defaultOnlineMeetingProvider: "teamsForBusiness",
    isTallyingResponses: true,
    isRemovable: !c.isDefaultCalendar,
    owner: { name: owner.displayName, address: owner.mail },
  };
}

function windowFromQuery(req: GraphRequest): { from: number; to: number } {
  const s = req.query.get("startDateTime") ?? req.query.get("StartDateTime");
  const e = req.query.get("endDateTime") ?? req.query.get("EndDateTime");
  if (!s || !e) {
    throw new GraphError(
      400,
      "ErrorInvalidParameter",
      "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
    );
  }
  const from = parseQueryInstant(s);
  const to = parseQueryInstant(e);
  if (from === undefined || to === undefined)
    throw new GraphError(
      400,
      "ErrorInvalidParameter",
      "The value of StartDateTime or EndDateTime is not a valid date.",
    );
  if (to < from)
    throw new GraphError(400, "ErrorInvalidParameter", "EndDateTime must be after StartDateTime.");
  return { from, to };
}

function pageOf<T>(
  req: GraphRequest,
  items: T[],
  def: number,
  max: number,
): { page: T[]; next: number | null } {
  const top = req.query.get("$top") ? Number(req.query.get("$top")) : def;
  if (!Number.isInteger(top) || top < 1 || top > max)
    throw badRequest(`Invalid $top value; it must be between 1 and ${max}.`, "ErrorInvalidParameter");
  const skip = Number(req.query.get("$skip") ?? 0);
  if (!Number.isInteger(skip) || skip < 0) throw badRequest("Invalid $skip value.", "ErrorInvalidParameter");
  const page = items.slice(skip, skip + top);
  return { page, next: skip + top < items.length ? skip + top : null };
}

function nextLinkWithSkip(ctx: GraphContext, req: GraphRequest, skip: number): string {
  const params: Record<string, string> = {};
  for (const [k, v] of req.query) params[k] = v;
  params.$skip = String(skip);
  return link(ctx, req.path, params);
}

function zoneHeaders(zone: string): Record<string, string> {
  return zone === "UTC" ? {} : { "preference-applied": `outlook.timezone="${zone}"` };
}

export function registerCalendar(router: GraphRouter, service: CalendarService): void {
  const box = (ctx: GraphContext, m: RouteMatch) => ctx.state.mailbox(m.tenant, m.owner!);

  // Calendars
  router.add(
    "GET",
    "/users/:u/calendars",
    (ctx, req, m) =>
      ok({
        "@odata.context": `${ctx.graphBaseUrl}/$metadata#users('${m.owner!.id}')/calendars`,
        value: box(ctx, m).calendars.map((c) =>
          applySelect(calendarResource(c, m.owner!), parseSelect(req.query)),
        ),
      }),
    { mailbox: true },
  );
  router.add(
    "GET",
    "/users/:u/calendar",
    (ctx, req, m) =>
      ok(applySelect(calendarResource(box(ctx, m).calendars[0]!, m.owner!), parseSelect(req.query))),
    { mailbox: true },
  );
  router.add(
    "GET",
    "/users/:u/calendars/:x",
    (ctx, req, m) =>
      ok(
        applySelect(
          calendarResource(calendarById(box(ctx, m), m.params[1]), m.owner!),
          parseSelect(req.query),
        ),
      ),
    { mailbox: true },
  );
  router.add(
    "POST",
    "/users/:u/calendars",
    (ctx, req, m) => {
      const body = asRecord(req.body);
      const name = typeof body.name === "string" ? body.name.trim() : "";
      if (!name) throw badRequest("The calendar name is required.", "ErrorInvalidRequest");
      const b = box(ctx, m);
      if (b.calendars.some((c) => c.name.toLowerCase() === name.toLowerCase()))
        throw new GraphError(409, "ErrorFolderExists", "A folder with the specified name already exists.");
      const c: EmCalendar = {
        id: itemIdFrom("Cal", `${m.owner!.id}:${name}:${ctx.state.nextVersion()}`),
        name,
        color: typeof body.color === "string" ? body.color : "auto",
        isDefaultCalendar: false,
        canEdit: true,
        version: ctx.state.nextVersion(),
      };
      b.calendars.push(c);
      return ok(calendarResource(c, m.owner!), 201);
    },
    { mailbox: true },
  );
  router.add(
    "DELETE",
    "/users/:u/calendars/:x",
    (ctx, _req, m) => {
      const b = box(ctx, m);
      const c = calendarById(b, m.params[1]);
      if (c.isDefaultCalendar)
        throw new GraphError(
          400,
          "ErrorDeleteDistinguishedFolder",
          "Distinguished folders cannot be deleted.",
        );
      b.calendars = b.calendars.filter((x) => x.id !== c.id);
      for (const [id, e] of b.events) if (e.calendarId === c.id) b.events.delete(id);
      return noContent();
    },
    { mailbox: true },
  );

  // Events
  const listEvents = (
    ctx: GraphContext,
    req: GraphRequest,
    m: RouteMatch,
    calendarId: string | undefined,
  ) => {
    const b = box(ctx, m);
    const cal = calendarById(b, calendarId);
    const zone = preferredZone(req.headers.prefer);
    const select = parseSelect(req.query);
    let events = [...b.events.values()].filter((e) => e.calendarId === cal.id);
    const filter = req.query.get("$filter");
    if (filter) {
      const t = /^transactionId eq '([^']*)'$/i.exec(filter.trim());
      const ic = /^iCalUId eq '([^']*)'$/i.exec(filter.trim());
      if (t) events = events.filter((e) => e.transactionId === t[1]);
      else if (ic) events = events.filter((e) => e.iCalUId === ic[1]);
      else
        throw badRequest(
          "The emulator supports $filter on transactionId or iCalUId only for events.",
          "ErrorInvalidUrlQueryFilter",
        );
    }
    events.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    const { page, next } = pageOf(req, events, 10, 1000);
    const body: Record<string, unknown> = {
      "@odata.context": `${ctx.graphBaseUrl}/$metadata#users('${m.owner!.id}')/events`,
      value: page.map((e) => renderEvent(ctx, e, null, zone, select)),
    };
    if (next !== null) body["@odata.nextLink"] = nextLinkWithSkip(ctx, req, next);
    return ok(body, 200, zoneHeaders(zone));
  };
  const createEvent = (
    ctx: GraphContext,
    req: GraphRequest,
    m: RouteMatch,
    calendarId: string | undefined,
  ) => {
    const { event, created } = service.create(m.tenant, m.owner!, calendarId, req.body);
    const zone = preferredZone(req.headers.prefer);
    return ok(renderEvent(ctx, event, null, zone, null), 201, {
      ...zoneHeaders(zone),
      ...(created ? {} : { "x-emulator-idempotent-replay": "true" }),
    });
  };
  router.add("GET", "/users/:u/events", (ctx, req, m) => listEvents(ctx, req, m, undefined), {
    mailbox: true,
  });
  router.add("GET", "/users/:u/calendar/events", (ctx, req, m) => listEvents(ctx, req, m, undefined), {
    mailbox: true,
  });
  router.add("GET", "/users/:u/calendars/:x/events", (ctx, req, m) => listEvents(ctx, req, m, m.params[1]), {
    mailbox: true,
  });
  router.add("POST", "/users/:u/events", (ctx, req, m) => createEvent(ctx, req, m, undefined), {
    mailbox: true,
  });
  router.add("POST", "/users/:u/calendar/events", (ctx, req, m) => createEvent(ctx, req, m, undefined), {
    mailbox: true,
  });
  router.add(
    "POST",
    "/users/:u/calendars/:x/events",
    (ctx, req, m) => createEvent(ctx, req, m, m.params[1]),
    { mailbox: true },
  );

  const eventId = (m: RouteMatch) => m.params[m.params.length - 1] ?? "";
  const getOne = (ctx: GraphContext, req: GraphRequest, m: RouteMatch) => {
    const ref = findEvent(box(ctx, m), eventId(m));
    const zone = preferredZone(req.headers.prefer);
    const occ = ref.originalStart !== null ? occurrenceOf(ref.event, ref.originalStart) : null;
    return ok(renderEvent(ctx, ref.event, occ, zone, parseSelect(req.query)), 200, zoneHeaders(zone));
  };
  const patchOne = (ctx: GraphContext, req: GraphRequest, m: RouteMatch) => {
    const ref = findEvent(box(ctx, m), eventId(m));
    checkIfMatch(req.headers, etagOf(ref));
    const ev = service.update(m.tenant, m.owner!, ref, req.body);
    const zone = preferredZone(req.headers.prefer);
    const occ = ref.originalStart !== null ? occurrenceOf(ev, ref.originalStart) : null;
    return ok(renderEvent(ctx, ev, occ, zone, null), 200, zoneHeaders(zone));
  };
  const deleteOne = (ctx: GraphContext, req: GraphRequest, m: RouteMatch) => {
    const ref = findEvent(box(ctx, m), eventId(m));
    checkIfMatch(req.headers, etagOf(ref));
    service.remove(m.tenant, m.owner!, ref);
    return noContent();
  };
  for (const prefix of [
    "/users/:u/events/:x",
    "/users/:u/calendar/events/:x",
    "/users/:u/calendars/:x/events/:x",
  ]) {
    router.add("GET", prefix, getOne, { mailbox: true });
    router.add("PATCH", prefix, patchOne, { mailbox: true });
    router.add("DELETE", prefix, deleteOne, { mailbox: true });
  }
  router.add(
    "POST",
    "/users/:u/events/:x/cancel",
    (ctx, req, m) => {
      const ref = findEvent(box(ctx, m), m.params[1] ?? "");
      if (!ref.event.isOrganizer)
        throw new GraphError(
          400,
          "ErrorAccessDenied",
          "Your request can't be completed. You need to be an organizer to cancel a meeting.",
        );
      if (req.body !== undefined) asRecord(req.body);
      service.remove(m.tenant, m.owner!, ref);
      return noContent(202);
    },
    { mailbox: true },
  );
  for (const action of ["accept", "decline", "tentativelyAccept"] as const) {
    router.add(
      "POST",
      `/users/:u/events/:x/${action}`,
      (ctx, _req, m) => {
        const ref = findEvent(box(ctx, m), m.params[1] ?? "");
        const ev = ref.event;
        if (ev.isOrganizer)
          throw new GraphError(
            400,
            "ErrorInvalidRequest",
            "Your request can't be completed. You can't respond to a meeting you organized.",
          );
        const response =
          action === "accept" ? "accepted" : action === "decline" ? "declined" : "tentativelyAccepted";
        ev.responseStatus = { response, time: isoSeconds(ctx.state.clock.now()) };
        ev.showAs = action === "accept" ? "busy" : action === "decline" ? "free" : "tentative";
        ev.version = ctx.state.nextVersion();
        const organizer = ctx.state.findUser(m.tenant, ev.organizer.address);
        if (organizer) {
          const orgEvent = [...ctx.state.mailbox(m.tenant, organizer).events.values()].find(
            (e) => e.iCalUId === ev.iCalUId && e.isOrganizer,
          );
          const att = orgEvent?.attendees.find(
            (a) => a.address.toLowerCase() === m.owner!.mail.toLowerCase(),
          );
          if (orgEvent && att) {
            att.response = response;
            orgEvent.version = ctx.state.nextVersion();
          }
        }
        return noContent(202);
      },
      { mailbox: true },
    );
  }
  router.add(
    "GET",
    "/users/:u/events/:x/instances",
    (ctx, req, m) => {
      const ref = findEvent(box(ctx, m), m.params[1] ?? "");
      if (ref.event.type !== "seriesMaster" || ref.originalStart !== null)
        throw badRequest("The event is not a recurring series master.", "ErrorInvalidRequest");
      const { from, to } = windowFromQuery(req);
      const zone = preferredZone(req.headers.prefer);
      const items = expandSeries(ref.event, from, to).map((o) =>
        renderEvent(ctx, ref.event, o, zone, parseSelect(req.query)),
      );
      const { page, next } = pageOf(req, items, 10, 1000);
      const body: Record<string, unknown> = { value: page };
      if (next !== null) body["@odata.nextLink"] = nextLinkWithSkip(ctx, req, next);
      return ok(body, 200, zoneHeaders(zone));
    },
    { mailbox: true },
  );

  // calendarView
  const calendarView = (
    ctx: GraphContext,
    req: GraphRequest,
    m: RouteMatch,
    calendarId: string | undefined,
  ) => {
    const b = box(ctx, m);
    const cal = calendarById(b, calendarId);
    const { from, to } = windowFromQuery(req);
    const zone = preferredZone(req.headers.prefer);
    const select = parseSelect(req.query);
    const instances = instancesInWindow(b, from, to, cal.id);
    const { page, next } = pageOf(req, instances, 10, 1000);
    const body: Record<string, unknown> = {
      "@odata.context": `${ctx.graphBaseUrl}/$metadata#users('${m.owner!.id}')/calendarView`,
      value: page.map((i) => renderEvent(ctx, i.event, i.occ, zone, select)),
    };
    if (next !== null) body["@odata.nextLink"] = nextLinkWithSkip(ctx, req, next);
    return ok(body, 200, zoneHeaders(zone));
  };
  router.add("GET", "/users/:u/calendarView", (ctx, req, m) => calendarView(ctx, req, m, undefined), {
    mailbox: true,
  });
  router.add(
    "GET",
    "/users/:u/calendar/calendarView",
    (ctx, req, m) => calendarView(ctx, req, m, undefined),
    { mailbox: true },
  );
  router.add(
    "GET",
    "/users/:u/calendars/:x/calendarView",
    (ctx, req, m) => calendarView(ctx, req, m, m.params[1]),
    { mailbox: true },
  );

  const calendarViewDelta = (ctx: GraphContext, req: GraphRequest, m: RouteMatch) => {
    for (const q of ["$select", "$filter", "$orderby", "$search", "$expand"]) {
      if (req.query.has(q))
        throw badRequest(`The query parameter '${q}' is not supported with delta.`, "ErrorInvalidUrlQuery");
    }
    const b = box(ctx, m);
    const { from, to } = windowFromQuery(req);
    const zone = preferredZone(req.headers.prefer);
    const pageSize = Math.min(Math.max(preferredPageSize(req.headers.prefer) ?? 50, 1), 1000);
    const scope = `${m.tenant.id}|calendarView|${m.owner!.id}|${from}|${to}`;
    const result = ctx.delta.page({
      scope,
      epoch: m.tenant.deltaEpoch,
      skipToken: req.query.get("$skiptoken"),
      deltaToken: req.query.get("$deltatoken"),
      pageSize,
      current: () =>
        instancesInWindow(b, from, to, b.calendars[0]!.id).map((i) => ({
          id: i.id,
          version: i.version,
          render: () => renderEvent(ctx, i.event, i.occ, zone, null),
        })),
      removed: (id) => ({ "@odata.type": "#microsoft.graph.event", id, "@removed": { reason: "deleted" } }),
    });
    const base = {
      startDateTime: req.query.get("startDateTime") ?? req.query.get("StartDateTime") ?? "",
      endDateTime: req.query.get("endDateTime") ?? req.query.get("EndDateTime") ?? "",
    };
    const body: Record<string, unknown> = {
      "@odata.context": `${ctx.graphBaseUrl}/$metadata#Collection(event)`,
      value: result.value,
    };
    if (result.nextSkipToken)
      body["@odata.nextLink"] = link(ctx, req.path, { ...base, $skiptoken: result.nextSkipToken });
    if (result.deltaToken)
      body["@odata.deltaLink"] = link(ctx, req.path, { ...base, $deltatoken: result.deltaToken });
    const prefer = [
      zone === "UTC" ? "" : `outlook.timezone="${zone}"`,
      preferredPageSize(req.headers.prefer) ? `odata.maxpagesize=${pageSize}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    return ok(body, 200, prefer ? { "preference-applied": prefer } : {});
  };
  router.add("GET", "/users/:u/calendarView/delta", calendarViewDelta, { mailbox: true });
  router.add("GET", "/users/:u/calendar/calendarView/delta", calendarViewDelta, { mailbox: true });
}

function occurrenceOf(ev: EmEvent, originalStart: number): Occurrence {
  const o = ev.exceptions[String(originalStart)];
  const duration = ev.endUtc - ev.startUtc;
  return {
    originalStart,
    start: o?.startUtc ?? originalStart,
    end: o?.endUtc ?? originalStart + duration,
    override: o,
  };
}
