/**
 * `POST /users/{id}/calendar/getSchedule`: at most 20 schedules, a window under 62 days, interval 5..1440
 * minutes; availabilityView digits (0 free, 1 tentative, 2 busy, 3 oof, 4 workingElsewhere), scheduleItems
 * from expanded occurrences (private items without subject/location), workingHours with a Windows zone
 * name, a per-schedule error for unknown addresses, and `Prefer: outlook.timezone` for returned times.
 * Parameter names match case-insensitively (Kiota-based SDKs send `Schedules`, `StartTime`, ...).
 */
import { actionParameters, badRequest, GraphError, ok } from "../http.ts";
import type { EmEvent } from "../model.ts";
import {
  DAY,
  MINUTE,
  parseDateTimeTimeZone,
  preferredZone,
  timeOfDay,
  toDateTimeTimeZone,
  toIana,
  toWindows,
} from "../time.ts";
import type { GraphRouter } from "./context.ts";
import { instancesInWindow } from "./event-render.ts";

const DIGIT: Record<EmEvent["showAs"], number> = {
  free: 0,
  tentative: 1,
  busy: 2,
  oof: 3,
  workingElsewhere: 4,
  unknown: 0,
};
/** Higher wins when items overlap an interval. */
const RANK: Record<EmEvent["showAs"], number> = {
  free: 0,
  unknown: 0,
  workingElsewhere: 1,
  tentative: 2,
  busy: 3,
  oof: 4,
};

/** getSchedule's parameters and the properties of their values (dateTimeTimeZone). */
const SCHEDULE_PARAMETERS = [
  "schedules",
  "startTime",
  "endTime",
  "availabilityViewInterval",
  "dateTime",
  "timeZone",
];

export function registerSchedule(router: GraphRouter): void {
  router.add(
    "POST",
    "/users/:u/calendar/getSchedule",
    (ctx, req, m) => {
      const body = actionParameters(req.body, SCHEDULE_PARAMETERS);
      const schedules = body.schedules;
      if (
        !Array.isArray(schedules) ||
        schedules.length === 0 ||
        schedules.some((s) => typeof s !== "string")
      ) {
        throw badRequest("schedules must be a non-empty array of SMTP addresses.", "ErrorInvalidParameter");
      }
      // Distribution lists count member by member against the limit of 20.
      const groupOf = (address: string) =>
        [...m.tenant.groups.values()].find((g) => g.mail.toLowerCase() === address.toLowerCase());
      const counted = (schedules as string[]).reduce(
        (n, address) =>
          n + (ctx.state.findUser(m.tenant, address) ? 1 : (groupOf(address)?.memberIds.length ?? 1)),
        0,
      );
      if (counted > 20)
        throw new GraphError(
          400,
          "ErrorInvalidParameter",
          "The number of schedules requested exceeds the maximum of 20 (distribution list members count one by one).",
        );
      const start = parseDateTimeTimeZone(body.startTime as { dateTime?: unknown; timeZone?: unknown });
      const end = parseDateTimeTimeZone(body.endTime as { dateTime?: unknown; timeZone?: unknown });
      if (start === undefined || end === undefined)
        throw badRequest(
          "startTime and endTime must be dateTimeTimeZone values with a known time zone.",
          "ErrorInvalidParameter",
        );
      if (end <= start)
        throw badRequest("The end time must be after the start time.", "ErrorInvalidParameter");
      if (end - start >= 62 * DAY)
        throw new GraphError(400, "ErrorInvalidParameter", "The time window must be shorter than 62 days.");
      const interval =
        body.availabilityViewInterval === undefined ? 30 : Number(body.availabilityViewInterval);
      if (!Number.isInteger(interval) || interval < 5 || interval > 1440) {
        throw badRequest(
          "availabilityViewInterval must be between 5 and 1440 minutes.",
          "ErrorInvalidParameter",
        );
      }
      const zone = preferredZone(req.headers.prefer);
      const slots = Math.ceil((end - start) / (interval * MINUTE));
      const value = (schedules as string[]).map((address) => {
        const user = ctx.state.findUser(m.tenant, address);
        const group = user ? undefined : groupOf(address);
        if (group) {
          // A distribution list answers the merged view of its members; their items stay private.
          const ranks = new Array<number>(slots).fill(-1);
          const digits = new Array<number>(slots).fill(0);
          for (const id of group.memberIds) {
            const member = m.tenant.users.get(id);
            if (!member?.hasMailbox) continue;
            const box = ctx.state.mailbox(m.tenant, member);
            for (const i of instancesInWindow(box, start, end, box.calendars[0]!.id)) {
              if (i.event.isCancelled) continue;
              const showAs = i.occ?.override?.showAs ?? i.event.showAs;
              const first = Math.max(0, Math.floor((i.start - start) / (interval * MINUTE)));
              const last = Math.min(slots - 1, Math.ceil((i.end - start) / (interval * MINUTE)) - 1);
              for (let s = first; s <= last; s++) {
                if (RANK[showAs] > (ranks[s] ?? -1)) {
                  ranks[s] = RANK[showAs];
                  digits[s] = DIGIT[showAs];
                }
              }
            }
          }
          return { scheduleId: address, availabilityView: digits.join(""), scheduleItems: [] };
        }
        if (!user?.hasMailbox) {
          return {
            scheduleId: address,
            availabilityView: "",
            scheduleItems: [],
            error: {
              message: `The mailbox '${address}' was not found.`,
              responseCode: "ErrorMailRecipientNotFound",
            },
          };
        }
        const box = ctx.state.mailbox(m.tenant, user);
        const instances = instancesInWindow(box, start, end, box.calendars[0]!.id).filter(
          (i) => !i.event.isCancelled,
        );
        const view = new Array<number>(slots).fill(-1);
        const digits = new Array<number>(slots).fill(0);
        const items = instances.map((i) => {
          const showAs = i.occ?.override?.showAs ?? i.event.showAs;
          const first = Math.max(0, Math.floor((i.start - start) / (interval * MINUTE)));
          const last = Math.min(slots - 1, Math.ceil((i.end - start) / (interval * MINUTE)) - 1);
          for (let s = first; s <= last; s++) {
            if (RANK[showAs] > (view[s] ?? -1)) {
              view[s] = RANK[showAs];
              digits[s] = DIGIT[showAs];
            }
          }
          const isPrivate = i.event.sensitivity === "private" || i.event.sensitivity === "confidential";
          return {
            isPrivate,
            status: showAs,
            ...(isPrivate
              ? {}
              : {
                  subject: i.occ?.override?.subject ?? i.event.subject,
                  location: (i.occ?.override?.location ?? i.event.location).displayName,
                }),
            isMeeting: i.event.attendees.length > 0,
            isRecurring: i.occ !== null,
            isException: i.occ?.override !== undefined,
            isReminderSet: i.event.isReminderOn,
            start: toDateTimeTimeZone(i.start, zone),
            end: toDateTimeTimeZone(i.end, zone),
          };
        });
        const windowsZone = toWindows(toIana(user.timeZone) ?? "UTC");
        return {
          scheduleId: address,
          availabilityView: digits.join(""),
          scheduleItems: items,
          workingHours: {
            daysOfWeek: user.workingHours.daysOfWeek,
            startTime: timeOfDay(user.workingHours.startMinutes),
            endTime: timeOfDay(user.workingHours.endMinutes),
            timeZone: { name: windowsZone },
          },
        };
      });
      return ok(
        {
          "@odata.context": `${ctx.graphBaseUrl}/$metadata#Collection(microsoft.graph.scheduleInformation)`,
          value,
        },
        200,
        zone === "UTC" ? {} : { "preference-applied": `outlook.timezone="${zone}"` },
      );
    },
    { mailbox: true },
  );
}
