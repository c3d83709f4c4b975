import { badRequest, GraphError, type GraphRequest, type GraphResponse, ok } from "../http.ts";
import { parseQueryInstant, preferredZone } from "../time.ts";
import { type GraphContext, link, type RouteMatch } from "./context.ts";
import { parseSelect } from "./odata.ts";

export function windowFromQuery(req: GraphRequest): { from: number; to: number } {
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

export function pageOf<T>(
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

export function nextLinkWithSkip(ctx: GraphContext, req: GraphRequest, skip: number): string {
  const params: Record<string, string> = {};
  for (const [k, v] of req.query) params[k] = v;
  params.$skip = String(skip);
  return link(ctx, req.path, params);
}

export function zoneHeaders(zone: string): Record<string, string> {
  return zone === "UTC" ? {} : { "preference-applied": `outlook.timezone="${zone}"` };
}

/**
 * One page of events with its nextLink. `render` gets the zone `Prefer: outlook.timezone` asked for and
 * the `$select`ed fields; the answer says which zone was applied.
 */
export function eventPage<T>(
  ctx: GraphContext,
  req: GraphRequest,
  items: T[],
  render: (item: T, zone: string, select: string[] | null) => unknown,
  context?: string,
) {
  const zone = preferredZone(req.headers.prefer);
  const select = parseSelect(req.query);
  const { page, next } = pageOf(req, items, 10, 1000);
  const body: Record<string, unknown> = {
    ...(context ? { "@odata.context": context } : {}),
    value: page.map((item) => render(item, zone, select)),
  };
  if (next !== null) body["@odata.nextLink"] = nextLinkWithSkip(ctx, req, next);
  return ok(body, 200, zoneHeaders(zone));
}

/** A handler over one calendar of the owner's mailbox: the default one when `calendarId` is undefined. */
export type CalendarHandler = (
  ctx: GraphContext,
  req: GraphRequest,
  m: RouteMatch,
  calendarId: string | undefined,
) => GraphResponse;
