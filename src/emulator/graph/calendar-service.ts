/**
 * Event writes: create (transactionId idempotency, Teams join URLs, attendees and rooms receiving the
 * meeting), update (occurrences become exceptions), and remove or cancel, each emitting a change.
 */
import { createHash } from "node:crypto";
import { asRecord, badRequest, GraphError } from "../http.ts";
import type { Attendee, EmEvent, EmUser, TenantState } from "../model.ts";
import { itemIdFrom, joinUrlFor } from "../seed-random.ts";
import type { EmulatorState } from "../state.ts";
import { toIana, utcToWall } from "../time.ts";
import {
  type EventInput,
  parseRecurrence,
  parseWhen,
  resolveAttendees,
  validateInput,
} from "./event-input.ts";
import { calendarById, type EventRef, instancesInWindow, occurrenceId } from "./event-render.ts";

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
