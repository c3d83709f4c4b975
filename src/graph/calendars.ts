/**
 * The `Calendars` port over Microsoft Graph: `getSchedule` (chunked by 20 mailboxes and by windows under
 * 62 days, chunks in parallel; the gateway enforces the per-mailbox limits), and events created with
 * attendees, the room as a resource attendee, a Teams meeting and a transactionId (by which an event
 * whose creation lost its answer is found again).
 *
 * Graph's strings become numbers here, once: instants as UTC epoch ms (times are requested in UTC), and
 * working-hours zones converted from Windows names to IANA with the CLDR table (`windows-iana`).
 */
import { findIana, findWindows } from "windows-iana";
import { z } from "zod";
import type { Schedule, ScheduleItem, ScheduleStatus, WorkingHours } from "../core/availability/model.ts";
import { scheduleStatuses } from "../core/availability/model.ts";
import { fromLocal, isTimeZone, localIso } from "../core/availability/zones.ts";
import type { Calendars, CreatedEvent, EventInput } from "../core/booking/ports.ts";
import { DomainError, isDomainError } from "../core/errors.ts";
import { GraphError } from "./errors.ts";
import type { GraphGateway } from "./gateway.ts";

const DAY = 86_400_000;
/** Graph's limits: at most 20 schedules per call and a window shorter than 62 days. */
export const SCHEDULES_PER_CALL = 20;
export const MAX_WINDOW_MS = 61 * DAY;

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string().optional() });
/** Graph's workingHours (getSchedule, mailboxSettings): days, "08:00:00.0000000" times and a zone name. */
export const graphWorkingHours = z.object({
  daysOfWeek: z.array(z.string()).nullish(),
  startTime: z.string().nullish(),
  endTime: z.string().nullish(),
  timeZone: z.object({ name: z.string().nullish() }).nullish(),
});

const scheduleInformation = z.object({
  scheduleId: z.string(),
  scheduleItems: z
    .array(z.object({ status: z.string(), start: dateTimeTimeZone, end: dateTimeTimeZone }))
    .nullish(),
  workingHours: graphWorkingHours.nullish(),
  error: z.object({ message: z.string().nullish(), responseCode: z.string().nullish() }).nullish(),
});
const getScheduleResponse = z.object({ value: z.array(scheduleInformation) });
const eventResponse = z.object({
  id: z.string(),
  iCalUId: z.string().nullish(),
  changeKey: z.string().nullish(),
  webLink: z.string().nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
  isCancelled: z.boolean().nullish(),
});
const eventsResponse = z.object({ value: z.array(eventResponse) });

const createdEvent = (e: z.infer<typeof eventResponse>): CreatedEvent => ({
  eventId: e.id,
  iCalUId: e.iCalUId ?? null,
  joinUrl: e.onlineMeeting?.joinUrl ?? null,
  webLink: e.webLink ?? null,
  changeKey: e.changeKey ?? null,
});

const days: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};

/**
 * An IANA zone for a Graph zone name (Windows such as "W. Europe Standard Time", or already IANA). A
 * Windows zone covers several IANA zones; the person's country (ISO 3166 `usageLocation`, e.g. "SE")
 * picks theirs (Europe/Stockholm rather than the zone's primary Europe/Berlin).
 */
export function ianaZone(name: string | null | undefined, territory?: string | null): string | null {
  if (!name) return null;
  const key = territory ? `${name}|${territory.toUpperCase()}` : name;
  const known = zoneMemo.get(key);
  if (known !== undefined) return known;
  const mapped = (territory ? findIana(name, territory.toUpperCase())[0] : undefined) ?? findIana(name)[0];
  const zone = mapped && isTimeZone(mapped) ? mapped : isTimeZone(name) ? name : null;
  // The table is fixed for the process: every mailbox of a zone maps once, not once per request.
  if (zoneMemo.size >= 4096) zoneMemo.clear();
  zoneMemo.set(key, zone);
  return zone;
}

/** Zone name (and territory) → IANA zone, remembered: the mapping costs more than the slot finder. */
const zoneMemo = new Map<string, string | null>();

const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/** Wall-clock fields of "YYYY-MM-DDTHH:MM[:SS[.fffffff]]", read by character codes; null when malformed. */
function wallFields(s: string): [number, number, number, number, number] | null {
  if (s.length < 16 || s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":") return null;
  const y = two(s, 0) * 100 + two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const minutes = two(s, 11) * 60 + two(s, 14);
  let extra = 0;
  if (s.length >= 19 && s[16] === ":") {
    extra = two(s, 17) * 1000;
    if (s.length >= 21 && s[19] === ".") {
      for (let i = 20, scale = 100; i < 23 && i < s.length; i++, scale /= 10) extra += digit(s, i) * scale;
    }
  } else if (s.length !== 16) return null;
  if (!(y > 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && minutes >= 0 && minutes < 1440 && extra >= 0))
    return null;
  return [y, mo, d, minutes, extra];
}

/** "2026-11-24T09:00:00.0000000" in `zone` (UTC when absent) → epoch ms, without Date.parse. */
export function parseGraphDateTime(dateTime: string, zone: string | null | undefined): number {
  const f = wallFields(dateTime);
  if (!f) throw new DomainError("GRAPH_ERROR", `Graph returned an unreadable time "${dateTime}".`);
  const [y, mo, d, minutes, extra] = f;
  if (!zone || zone === "UTC" || zone.toUpperCase() === "UTC")
    return Date.UTC(y, mo - 1, d, 0, minutes) + extra;
  const tz = ianaZone(zone);
  if (!tz) throw new DomainError("GRAPH_ERROR", `Graph returned an unknown time zone "${zone}".`);
  return fromLocal(tz, y, mo, d, minutes) + extra;
}

const minuteOfDay = (t: string | null | undefined) => {
  const m = /^(\d{2}):(\d{2})/.exec(t ?? "");
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

function toWorkingHours(
  w: z.infer<typeof scheduleInformation>["workingHours"],
  country: string | null | undefined,
): WorkingHours | null {
  if (!w) return null;
  const timeZone = ianaZone(w.timeZone?.name, country);
  const startMinute = minuteOfDay(w.startTime);
  let endMinute = minuteOfDay(w.endTime);
  const daysOfWeek = (w.daysOfWeek ?? []).map((d) => days[d.toLowerCase()]).filter((d) => d !== undefined);
  if (!timeZone || startMinute === null || endMinute === null || daysOfWeek.length === 0) return null;
  if (endMinute === 0) endMinute = 1440;
  return { timeZone, startMinute, endMinute, daysOfWeek };
}

const statusOf = (s: string): ScheduleStatus =>
  (scheduleStatuses as readonly string[]).includes(s) ? (s as ScheduleStatus) : "unknown";

/** "2026-11-24T09:00:00.000" (UTC, no offset) for Graph's dateTimeTimeZone. */
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 23);

function graphFailure(error: unknown): unknown {
  if (error instanceof GraphError) {
    if (error.status === 404)
      return new DomainError("NOT_FOUND", "The meeting no longer exists in the calendar.", { cause: error });
    return error.toDomainError();
  }
  return error;
}

/**
 * The countries (ISO 3166, the directory's `usageLocation`) of the people behind addresses, keyed by the
 * lower-cased address: a Windows zone in working hours maps to the IANA zone of the person's country.
 */
export type CountriesOf = (
  tenantId: string,
  addresses: readonly string[],
) => Promise<ReadonlyMap<string, string>>;

export function createGraphCalendars(graph: GraphGateway, countriesOf?: CountriesOf): Calendars {
  return {
    async getSchedule({ tenantId, asUser, schedules, start, end, intervalMinutes }): Promise<Schedule[]> {
      const api = graph.forTenant(tenantId);
      const addresses = [...new Set(schedules.map((s) => s.trim()).filter(Boolean))];
      const countries = countriesOf ? await countriesOf(tenantId, addresses) : new Map<string, string>();
      const windows: [number, number][] = [];
      for (let from = start; from < end; from += MAX_WINDOW_MS)
        windows.push([from, Math.min(end, from + MAX_WINDOW_MS)]);
      const chunks: string[][] = [];
      for (let i = 0; i < addresses.length; i += SCHEDULES_PER_CALL)
        chunks.push(addresses.slice(i, i + SCHEDULES_PER_CALL));

      const items = new Map<string, ScheduleItem[]>();
      const hours = new Map<string, WorkingHours | null>();
      const errors = new Map<string, { code: string; message: string }>();
      await Promise.all(
        chunks.flatMap((chunk) =>
          windows.map(async ([from, to]) => {
            let body: z.infer<typeof getScheduleResponse>;
            try {
              body = getScheduleResponse.parse(
                await api.post(
                  `/users/${encodeURIComponent(asUser)}/calendar/getSchedule`,
                  {
                    schedules: chunk,
                    startTime: { dateTime: utc(from), timeZone: "UTC" },
                    endTime: { dateTime: utc(to), timeZone: "UTC" },
                    availabilityViewInterval: Math.max(5, Math.min(1440, intervalMinutes)),
                  },
                  { headers: { Prefer: 'outlook.timezone="UTC"' }, idempotent: true },
                ),
              );
            } catch (error) {
              // The caller's own access failing (consent lost, reader mailbox missing) is the request's
              // failure; anything else marks these calendars unreadable, never free.
              if (isDomainError(error)) throw error;
              if (error instanceof GraphError && [401, 403, 404].includes(error.status)) {
                // 404 here is the reader's own mailbox (missing, or MailboxNotEnabledForRESTAPI).
                throw new DomainError(
                  "GRAPH_ERROR",
                  error.status === 404
                    ? "Your account has no Exchange Online mailbox, so calendars cannot be read for you."
                    : undefined,
                  {
                    cause: error,
                    details: {
                      graphStatus: error.status,
                      graphCode: error.code,
                      graphRequestId: error.requestId ?? null,
                    },
                  },
                );
              }
              const reason =
                error instanceof GraphError
                  ? { code: error.code, message: error.message }
                  : {
                      code: "UnexpectedResponse",
                      message: error instanceof Error ? error.message : String(error),
                    };
              for (const a of chunk) errors.set(a.toLowerCase(), reason);
              return;
            }
            const seen = new Set<string>();
            for (const info of body.value) {
              const id = info.scheduleId.toLowerCase();
              seen.add(id);
              if (info.error) {
                errors.set(id, {
                  code: info.error.responseCode ?? "ScheduleError",
                  message: info.error.message ?? "The calendar could not be read.",
                });
                continue;
              }
              const list = items.get(id) ?? [];
              for (const it of info.scheduleItems ?? []) {
                list.push({
                  start: parseGraphDateTime(it.start.dateTime, it.start.timeZone),
                  end: parseGraphDateTime(it.end.dateTime, it.end.timeZone),
                  status: statusOf(it.status),
                });
              }
              items.set(id, list);
              if (!hours.has(id)) hours.set(id, toWorkingHours(info.workingHours, countries.get(id)));
            }
            for (const a of chunk) {
              if (!seen.has(a.toLowerCase()))
                errors.set(a.toLowerCase(), {
                  code: "scheduleMissing",
                  message: "Graph returned no schedule for this address.",
                });
            }
          }),
        ),
      );
      return addresses.map((id): Schedule => {
        const key = id.toLowerCase();
        const error = errors.get(key);
        if (error) return { id, error };
        return { id, items: items.get(key) ?? [], workingHours: hours.get(key) ?? null };
      });
    },

    async createEvent({ tenantId, organizer, event, transactionId }): Promise<CreatedEvent> {
      try {
        const created = eventResponse.parse(
          await graph
            .forTenant(tenantId)
            .post(
              `/users/${encodeURIComponent(organizer)}/events`,
              { ...eventBody(event), transactionId },
              { idempotent: true },
            ),
        );
        return createdEvent(created);
      } catch (error) {
        throw graphFailure(error);
      }
    },

    async findEvent({ tenantId, organizer, transactionId }) {
      // OData string literals double their quotes; spaces travel as %20 (not "+").
      const filter = encodeURIComponent(`transactionId eq '${transactionId.replace(/'/g, "''")}'`);
      const query = `$filter=${filter}&$select=id,iCalUId,changeKey,webLink,onlineMeeting,isCancelled`;
      try {
        const found = eventsResponse.parse(
          await graph.forTenant(tenantId).get(`/users/${encodeURIComponent(organizer)}/events?${query}`),
        );
        const live = found.value.find((e) => !e.isCancelled);
        return live ? createdEvent(live) : null;
      } catch (error) {
        throw graphFailure(error);
      }
    },

    async updateEvent({ tenantId, organizer, eventId, event }) {
      try {
        const body = { ...eventBody(event) } as Record<string, unknown>;
        // A Teams meeting cannot be turned off once on; only send the switch when turning it on.
        if (!event.isOnlineMeeting) {
          delete body.isOnlineMeeting;
          delete body.onlineMeetingProvider;
        }
        const updated = eventResponse.parse(
          await graph
            .forTenant(tenantId)
            .patch(`/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}`, body),
        );
        return { changeKey: updated.changeKey ?? null };
      } catch (error) {
        throw graphFailure(error);
      }
    },

    async cancelEvent({ tenantId, organizer, eventId, comment }) {
      try {
        await graph
          .forTenant(tenantId)
          .post(
            `/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}/cancel`,
            comment ? { comment } : {},
          );
      } catch (error) {
        throw graphFailure(error);
      }
    },
  };
}

/**
 * An instant as Graph's dateTimeTimeZone in the organizer's zone, so Outlook shows the meeting in the zone
 * it was booked in (and recurring edits keep their wall-clock time). Graph takes Windows zone names
 * everywhere but IANA names only for a subset, so the zone is sent by its Windows name; a zone without
 * one goes as UTC.
 */
export function inZone(instant: number, zone: string): { dateTime: string; timeZone: string } {
  const windows = zone === "UTC" ? undefined : findWindows(zone)[0];
  if (!windows || !isTimeZone(zone)) return { dateTime: utc(instant), timeZone: "UTC" };
  return {
    dateTime: localIso(zone, instant),
    timeZone: windows,
  };
}

function eventBody(e: EventInput): Record<string, unknown> {
  const attendees = [
    ...e.required.map((address) => ({ emailAddress: { address }, type: "required" })),
    ...e.optional.map((address) => ({ emailAddress: { address }, type: "optional" })),
    ...(e.room ? [{ emailAddress: { address: e.room }, type: "resource" }] : []),
  ];
  const location = e.location ?? e.room;
  return {
    subject: e.subject,
    body: { contentType: "text", content: e.body ?? "" },
    start: inZone(e.start, e.timeZone),
    end: inZone(e.end, e.timeZone),
    attendees,
    ...(location
      ? { location: { displayName: location, ...(e.room ? { locationEmailAddress: e.room } : {}) } }
      : {}),
    isReminderOn: e.reminderMinutes !== null,
    ...(e.reminderMinutes !== null ? { reminderMinutesBeforeStart: e.reminderMinutes } : {}),
    showAs: "busy",
    ...(e.isOnlineMeeting ? { isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" } : {}),
  };
}
