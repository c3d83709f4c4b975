/**
 * Graph routing: a route table matched against the normalised path (`/me` becomes `/users/{oid}`), with
 * the mailbox owner resolved for `/users/{id|upn}/...` routes (also the throttling key).
 */
import type { Entra } from "../entra.ts";
import { GraphError, type GraphRequest, type GraphResponse } from "../http.ts";
import type { EmUser, TenantState } from "../model.ts";
import type { EmulatorState } from "../state.ts";
import type { DeltaStore } from "./delta.ts";
import { checkPermissions } from "./permissions.ts";

export interface GraphContext {
  state: EmulatorState;
  entra: Entra;
  /** e.g. https://127.0.0.1:PORT/v1.0 */
  graphBaseUrl: string;
  delta: DeltaStore;
}

export interface RouteMatch {
  tenant: TenantState;
  /** The `{id|upn}` owner of a `/users/{id}/...` route. */
  owner: EmUser | undefined;
  params: string[];
}

export type Handler = (
  ctx: GraphContext,
  req: GraphRequest,
  m: RouteMatch,
) => GraphResponse | Promise<GraphResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** The route needs the owner's mailbox (calendar, contacts, To Do). */
  mailbox: boolean;
}

const SEG = "([^/]+)";

export class GraphRouter {
  private routes: Route[] = [];

  /** `path` uses `:u` for the user segment and `:x` for other parameters. */
  add(method: string, path: string, handler: Handler, options: { mailbox?: boolean } = {}): void {
    const source = path
      .split("/")
      .map((part) => (part.startsWith(":") ? SEG : part.replace(/[.$]/g, (c) => `\\${c}`)))
      .join("/");
    this.routes.push({
      method,
      pattern: new RegExp(`^${source}$`, "i"),
      handler,
      mailbox: options.mailbox ?? false,
    });
  }

  /** Returns the matched route and params, or a 404/405 Graph error. */
  match(req: GraphRequest): { route: Route; params: string[] } {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(req.path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    }
    if (pathMatched)
      throw new GraphError(
        405,
        "Request_BadRequest",
        `The HTTP method '${req.method}' is not allowed for this resource.`,
      );
    throw new GraphError(
      400,
      "BadRequest",
      `Resource not found for the segment '${req.path.split("/")[1] ?? ""}'.`,
    );
  }

  async dispatch(ctx: GraphContext, req: GraphRequest): Promise<GraphResponse> {
    const { route, params } = this.match(req);
    const tenant = ctx.state.tenant(req.principal.tenantId);
    if (!tenant) throw new GraphError(401, "InvalidAuthenticationToken", "Unknown tenant.");
    checkPermissions(req.principal, req.method, req.path);
    let owner: EmUser | undefined;
    if (/^\/users\/[^/]+/i.test(req.path) && params[0] !== undefined && !/^\/users\/delta$/i.test(req.path)) {
      owner = ctx.state.findUser(tenant, params[0]);
      if (!owner) {
        if (route.mailbox)
          throw new GraphError(404, "ErrorInvalidUser", `The requested user '${params[0]}' is invalid.`);
        throw new GraphError(
          404,
          "Request_ResourceNotFound",
          `Resource '${params[0]}' does not exist or one of its queried reference-property objects are not present.`,
        );
      }
      if (route.mailbox && !owner.hasMailbox) {
        throw new GraphError(
          404,
          "MailboxNotEnabledForRESTAPI",
          "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        );
      }
    }
    return route.handler(ctx, req, { tenant, owner, params });
  }
}

/** Bound functions the emulator serves: Graph takes them with or without `()` (Kiota-based SDKs send `delta()`). */
const FUNCTIONS = ["delta"];
/** Bound actions the emulator serves. */
const ACTIONS = [
  "getSchedule",
  "assignNumber",
  "unassignNumber",
  "cancel",
  "accept",
  "decline",
  "tentativelyAccept",
];
const OPERATION_SEGMENT = new RegExp(
  `^(?:microsoft\\.graph\\.)?(?:(${FUNCTIONS.join("|")})(?:\\(\\)|%28%29)?|(${ACTIONS.join("|")}))$`,
  "i",
);

/**
 * Normalises `/me/...` to `/users/{oid}/...` (app-only callers get Graph's error), and operation segments
 * to their plain names as the route table spells them: `delta()` and `microsoft.graph.delta()` become
 * `delta`, `microsoft.graph.getSchedule` becomes `getSchedule`.
 */
export function normalisePath(path: string, userId: string | null): string {
  let clean = path.replace(/\/+$/, "") || "/";
  if (/^\/me(\/|$)/i.test(clean)) {
    if (!userId)
      throw new GraphError(
        400,
        "BadRequest",
        "/me request is only valid with delegated authentication flow.",
      );
    clean = `/users/${userId}${clean.slice(3)}`;
  }
  return clean
    .split("/")
    .map((segment, i) => {
      const m = i > 1 ? OPERATION_SEGMENT.exec(segment) : null;
      return m ? (m[1] ?? m[2] ?? segment) : segment;
    })
    .join("/");
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Builds an absolute Graph link for paging (`@odata.nextLink`, `@odata.deltaLink`). */
export function link(ctx: GraphContext, path: string, params: Record<string, string>): string {
  // Graph writes `$skiptoken=` / `$deltatoken=` with a literal dollar sign; values are encoded.
  const query = Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
  return `${ctx.graphBaseUrl}${path}${query ? `?${query}` : ""}`;
}
