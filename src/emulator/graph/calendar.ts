import { asRecord, badRequest, checkIfMatch, GraphError, type GraphRequest, noContent, ok } from "../http.ts";
import type { EmCalendar, EmUser } from "../model.ts";
import { itemIdFrom } from "../seed-random.ts";
import { preferredZone } from "../time.ts";
import type { CalendarService } from "./calendar-service.ts";
import { type GraphContext, type GraphRouter, isoSeconds, type RouteMatch } from "./context.ts";
import { type CalendarHandler, eventPage, zoneHeaders } from "./event-pages.ts";
import { calendarById, changeKeyOf, etagOf, findEvent, occurrenceOf, renderEvent } from "./event-render.ts";
import { applySelect, parseSelect } from "./odata.ts";

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
  const listEvents: CalendarHandler = (ctx, req, m, calendarId) => {
    const b = box(ctx, m);
    const cal = calendarById(b, calendarId);
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
    return eventPage(
      ctx,
      req,
      events,
      (e, zone, select) => renderEvent(ctx, e, null, zone, select),
      `${ctx.graphBaseUrl}/$metadata#users('${m.owner!.id}')/events`,
    );
  };
  const createEvent: CalendarHandler = (ctx, req, m, calendarId) => {
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
}
