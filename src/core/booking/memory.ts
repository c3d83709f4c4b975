/**
 * In-memory implementations of the booking ports, with the real ones' semantics: the store's claim is
 * atomic, versions conflict, calendars dedupe on transactionId and put invitations into every attendee's
 * calendar, a mailbox can be made to fail, and event creation can be held in flight.
 */
import type { AvailabilityPolicy, Schedule, ScheduleItem, WorkingHours } from "../availability/model.ts";
import { defaultAvailabilityPolicy } from "../availability/model.ts";
import { DomainError } from "../errors.ts";
import type { Notification, Notifier, NotifyResult } from "../notifier.ts";
import { type Booking, type BookingHistoryEntry, bookingResources, isActive, overlaps } from "./model.ts";
import type {
  BookingPatch,
  BookingStore,
  Calendars,
  ClaimResult,
  CreatedEvent,
  EventInput,
  People,
  Person,
  Policies,
  Rooms,
} from "./ports.ts";

/** Runs tasks one at a time, like a database serialising conflicting transactions. */
function serial() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => T | Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
}

export class MemoryBookingStore implements BookingStore {
  private readonly rows = new Map<string, Booking>();
  private readonly log = new Map<string, BookingHistoryEntry[]>();
  private readonly exclusive = serial();

  private key = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

  private conflictFor(b: Booking): Booking | undefined {
    const mine = new Set(bookingResources(b));
    for (const other of this.rows.values()) {
      if (other.tenantId !== b.tenantId || other.id === b.id || !isActive(other) || !overlaps(other, b))
        continue;
      if (bookingResources(other).some((r) => mine.has(r))) return other;
    }
    return undefined;
  }

  claim(booking: Booking): Promise<ClaimResult> {
    return this.exclusive(() => {
      const existing = [...this.rows.values()].find(
        (r) =>
          r.tenantId === booking.tenantId &&
          r.createdByUserId === booking.createdByUserId &&
          r.idempotencyKey === booking.idempotencyKey,
      );
      if (existing && !(existing.status === "failed" && existing.requestHash === booking.requestHash))
        return { kind: "existing", booking: existing } as const;
      const candidate = existing
        ? {
            ...existing,
            status: "creating" as const,
            claimedAt: booking.claimedAt,
            version: existing.version + 1,
          }
        : booking;
      const conflicting = this.conflictFor(candidate);
      if (conflicting) return { kind: "conflict", conflicting } as const;
      this.rows.set(this.key(candidate.tenantId, candidate.id), candidate);
      if (!existing) this.log.set(this.key(candidate.tenantId, candidate.id), []);
      return { kind: "claimed", booking: candidate } as const;
    });
  }

  async get(tenantId: string, bookingId: string): Promise<Booking | null> {
    return this.rows.get(this.key(tenantId, bookingId)) ?? null;
  }

  update(
    tenantId: string,
    bookingId: string,
    expectedVersion: number,
    patch: BookingPatch,
    history: { action: BookingHistoryEntry["action"]; actorUserId: string | null; at: number },
    options?: { recheck?: boolean },
  ): Promise<Booking> {
    return this.exclusive(() => {
      const k = this.key(tenantId, bookingId);
      const current = this.rows.get(k);
      if (!current) throw new DomainError("NOT_FOUND", "No such booking.");
      if (current.version !== expectedVersion) throw new DomainError("CONFLICT");
      const next: Booking = { ...current, ...patch, version: current.version + 1 };
      if (options?.recheck) {
        const conflicting = this.conflictFor(next);
        if (conflicting)
          throw new DomainError("SLOT_NO_LONGER_FREE", undefined, {
            details: { busy: bookingResources(conflicting), alternatives: [] },
          });
      }
      this.rows.set(k, next);
      const entries = this.log.get(k) ?? [];
      entries.push({
        seq: entries.length + 1,
        action: history.action,
        actorUserId: history.actorUserId,
        before: pick(current, patch),
        after: pick(next, patch),
        at: history.at,
      });
      this.log.set(k, entries);
      return next;
    });
  }

  async listFor(tenantId: string, userId: string, from: number, to: number): Promise<Booking[]> {
    return [...this.rows.values()]
      .filter(
        (b) =>
          b.tenantId === tenantId &&
          (b.organizerUserId === userId || b.createdByUserId === userId) &&
          b.start >= from &&
          b.start < to,
      )
      .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  }

  async history(tenantId: string, bookingId: string): Promise<BookingHistoryEntry[]> {
    return [...(this.log.get(this.key(tenantId, bookingId)) ?? [])];
  }

  async staleClaims(claimedBefore: number, limit: number): Promise<Booking[]> {
    return [...this.rows.values()]
      .filter((b) => b.status === "creating" && b.claimedAt < claimedBefore)
      .sort((a, b) => a.claimedAt - b.claimedAt || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }
}

/** The fields of `b` named in `patch`, for history. */
export function pick(b: Booking, patch: BookingPatch): Partial<Booking> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(patch)) out[k] = (b as unknown as Record<string, unknown>)[k];
  return out as Partial<Booking>;
}

interface MemoryEvent {
  id: string;
  organizer: string;
  transactionId: string | null;
  event: EventInput;
  cancelled: boolean;
  changeKey: number;
}

const createdEvent = (e: MemoryEvent): CreatedEvent => ({
  eventId: e.id,
  iCalUId: `ical-${e.id}`,
  joinUrl: e.event.isOnlineMeeting ? `https://teams.microsoft.com/l/meetup-join/${e.id}` : null,
  webLink: null,
  changeKey: String(e.changeKey),
});

/** Mailboxes with calendars. Attendees see invitations as tentative, the organizer and rooms as busy. */
export class MemoryCalendars implements Calendars {
  private readonly events: MemoryEvent[] = [];
  private readonly blocks = new Map<string, ScheduleItem[]>();
  private readonly hours = new Map<string, WorkingHours>();
  private readonly failing = new Map<string, string>();
  /** Organizers whose createEvent calls wait before reaching the calendar (a request in flight). */
  private readonly held = new Map<string, Promise<void>>();
  private nextId = 1;
  /** Every call, for assertions on what was asked. */
  readonly calls: { op: string; detail: unknown }[] = [];

  /** Maps a user id to their address (the organizer is addressed by id). */
  constructor(private readonly addressOf: (userId: string) => string = (u) => u) {}

  addBusy(address: string, item: ScheduleItem): void {
    const k = address.toLowerCase();
    this.blocks.set(k, [...(this.blocks.get(k) ?? []), item]);
  }

  setWorkingHours(address: string, hours: WorkingHours): void {
    this.hours.set(address.toLowerCase(), hours);
  }

  failMailbox(address: string, message: string): void {
    this.failing.set(address.toLowerCase(), message);
  }

  /**
   * Holds event creation in an organizer's calendar: createEvent calls wait before reaching the calendar
   * until the returned function is called.
   */
  holdCreates(organizer: string): () => void {
    const key = organizer.toLowerCase();
    let release: () => void = () => undefined;
    this.held.set(
      key,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.held.delete(key);
      release();
    };
  }

  /** Active events in an address's calendar (as organizer or attendee). */
  calendarOf(address: string): { id: string; start: number; end: number; subject: string }[] {
    const a = address.toLowerCase();
    return this.events
      .filter((e) => !e.cancelled && this.participants(e).has(a))
      .map((e) => ({ id: e.id, start: e.event.start, end: e.event.end, subject: e.event.subject }));
  }

  private participants(e: MemoryEvent): Set<string> {
    return new Set(
      [e.organizer, ...e.event.required, ...e.event.optional, ...(e.event.room ? [e.event.room] : [])].map(
        (x) => x.toLowerCase(),
      ),
    );
  }

  async getSchedule(input: Parameters<Calendars["getSchedule"]>[0]): Promise<Schedule[]> {
    this.calls.push({ op: "getSchedule", detail: input.schedules });
    return input.schedules.map((id): Schedule => {
      const a = id.toLowerCase();
      const failure = this.failing.get(a);
      if (failure) return { id, error: { code: "ErrorMailboxUnavailable", message: failure } };
      const items: ScheduleItem[] = (this.blocks.get(a) ?? []).filter(
        (i) => i.start < input.end && input.start < i.end,
      );
      for (const e of this.events) {
        if (e.cancelled || !this.participants(e).has(a)) continue;
        if (!(e.event.start < input.end && input.start < e.event.end)) continue;
        const owner = e.organizer.toLowerCase() === a || e.event.room?.toLowerCase() === a;
        items.push({ start: e.event.start, end: e.event.end, status: owner ? "busy" : "tentative" });
      }
      return { id, items, workingHours: this.hours.get(a) ?? null };
    });
  }

  async createEvent(input: Parameters<Calendars["createEvent"]>[0]): Promise<CreatedEvent> {
    this.calls.push({ op: "createEvent", detail: input.transactionId });
    const organizer = this.addressOf(input.organizer);
    await this.held.get(organizer.toLowerCase());
    const failure = this.failing.get(organizer.toLowerCase());
    if (failure) throw new DomainError("GRAPH_ERROR", failure);
    let e = this.events.find((x) => x.transactionId === input.transactionId && x.organizer === organizer);
    if (!e) {
      e = {
        id: `event-${this.nextId++}`,
        organizer,
        transactionId: input.transactionId,
        event: input.event,
        cancelled: false,
        changeKey: 1,
      };
      this.events.push(e);
    }
    return createdEvent(e);
  }

  async findEvent(input: Parameters<Calendars["findEvent"]>[0]): Promise<CreatedEvent | null> {
    this.calls.push({ op: "findEvent", detail: input.transactionId });
    const organizer = this.addressOf(input.organizer);
    const failure = this.failing.get(organizer.toLowerCase());
    if (failure) throw new DomainError("GRAPH_ERROR", failure);
    const e = this.events.find(
      (x) => x.transactionId === input.transactionId && x.organizer === organizer && !x.cancelled,
    );
    return e ? createdEvent(e) : null;
  }

  async updateEvent(input: Parameters<Calendars["updateEvent"]>[0]): Promise<{ changeKey: string | null }> {
    this.calls.push({ op: "updateEvent", detail: input.eventId });
    const e = this.events.find((x) => x.id === input.eventId && !x.cancelled);
    if (!e) throw new DomainError("NOT_FOUND", "The event does not exist.");
    e.event = input.event;
    e.changeKey++;
    return { changeKey: String(e.changeKey) };
  }

  async cancelEvent(input: Parameters<Calendars["cancelEvent"]>[0]): Promise<void> {
    this.calls.push({ op: "cancelEvent", detail: input.eventId });
    const e = this.events.find((x) => x.id === input.eventId);
    if (!e) throw new DomainError("NOT_FOUND", "The event does not exist.");
    e.cancelled = true;
  }

  /** Number of events ever created (cancelled included). */
  get eventCount(): number {
    return this.events.length;
  }
}

export class MemoryPeople implements People {
  private readonly people: (Person & { tenantId: string; seats: Set<string> })[] = [];

  add(tenantId: string, person: Person, seats: ("sync" | "calling")[] = []): void {
    this.people.push({ ...person, tenantId, seats: new Set(seats) });
  }

  async find(tenantId: string, address: string): Promise<Person | null> {
    const a = address.toLowerCase();
    const p = this.people.find((x) => x.tenantId === tenantId && x.email.toLowerCase() === a);
    return p ? { userId: p.userId, email: p.email, displayName: p.displayName } : null;
  }

  async hasSeat(tenantId: string, userId: string, kind: "sync" | "calling"): Promise<boolean> {
    return this.people.some((p) => p.tenantId === tenantId && p.userId === userId && p.seats.has(kind));
  }
}

/** Rooms per tenant, as the directory's room list would give them. */
export class MemoryRooms implements Rooms {
  readonly #rooms = new Map<string, Set<string>>();

  constructor(tenantId?: string, rooms: readonly string[] = []) {
    if (tenantId) for (const r of rooms) this.add(tenantId, r);
  }

  add(tenantId: string, address: string): void {
    const set = this.#rooms.get(tenantId) ?? new Set<string>();
    set.add(address.trim().toLowerCase());
    this.#rooms.set(tenantId, set);
  }

  async knownRooms(tenantId: string, addresses: readonly string[]): Promise<ReadonlySet<string>> {
    const set = this.#rooms.get(tenantId) ?? new Set<string>();
    return new Set(addresses.map((a) => a.trim().toLowerCase()).filter((a) => set.has(a)));
  }
}

/** Notifications as they were sent; every recipient counts as reached. */
export class MemoryNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async notify(notification: Notification): Promise<NotifyResult> {
    this.sent.push(notification);
    return { delivered: 1, unreachable: [] };
  }
}

export class MemoryPolicies implements Policies {
  constructor(public policy: AvailabilityPolicy = defaultAvailabilityPolicy) {}
  async availabilityPolicy(): Promise<AvailabilityPolicy> {
    return this.policy;
  }
}
