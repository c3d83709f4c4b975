import { badRequest, type GraphRequest, ok } from "../http.ts";
import { preferredPageSize, preferredZone } from "../time.ts";
import { type GraphContext, type GraphRouter, link, type RouteMatch } from "./context.ts";
import { type CalendarHandler, eventPage, windowFromQuery } from "./event-pages.ts";
import { calendarById, findEvent, instancesInWindow, renderEvent } from "./event-render.ts";
import { expandSeries } from "./recurrence.ts";

export function registerCalendarView(router: GraphRouter): void {
  const box = (ctx: GraphContext, m: RouteMatch) => ctx.state.mailbox(m.tenant, m.owner!);

  router.add(
    "GET",
    "/users/:u/events/:x/instances",
    (ctx, req, m) => {
      const ref = findEvent(box(ctx, m), m.params[1] ?? "");
      if (ref.event.type !== "seriesMaster" || ref.originalStart !== null)
        throw badRequest("The event is not a recurring series master.", "ErrorInvalidRequest");
      const { from, to } = windowFromQuery(req);
      return eventPage(ctx, req, expandSeries(ref.event, from, to), (o, zone, select) =>
        renderEvent(ctx, ref.event, o, zone, select),
      );
    },
    { mailbox: true },
  );

  // calendarView
  const calendarView: CalendarHandler = (ctx, req, m, calendarId) => {
    const b = box(ctx, m);
    const cal = calendarById(b, calendarId);
    const { from, to } = windowFromQuery(req);
    return eventPage(
      ctx,
      req,
      instancesInWindow(b, from, to, cal.id),
      (i, zone, select) => renderEvent(ctx, i.event, i.occ, zone, select),
      `${ctx.graphBaseUrl}/$metadata#users('${m.owner!.id}')/calendarView`,
    );
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
