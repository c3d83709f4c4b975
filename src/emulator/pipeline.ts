/**
 * The Graph request pipeline shared by HTTP requests and `$batch` items:
 * fault injection -> per app+mailbox throttling -> route dispatch -> Graph error envelope.
 */
import type { Logger } from "pino";
import type { Faults } from "./faults.ts";
import type { GraphContext, GraphRouter } from "./graph/context.ts";
import { normalisePath } from "./graph/context.ts";
import { errorResponse, GraphError, type GraphRequest, type GraphResponse } from "./http.ts";
import type { Throttle } from "./throttle.ts";

export interface Pipeline {
  ctx: GraphContext;
  router: GraphRouter;
  throttle: Throttle;
  faults: Faults;
  logger: Logger | undefined;
}

/** Thrown to make the HTTP layer destroy the socket (dropped-connection fault). */
export class DropConnection extends Error {
  constructor() {
    super("connection dropped by fault injection");
    this.name = "DropConnection";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function mailboxKeys(p: Pipeline, req: GraphRequest): { id: string | null; keys: string[] } {
  const m = /^\/users\/([^/]+)/i.exec(req.path);
  if (!m || /^\/users\/delta$/i.test(req.path)) return { id: null, keys: [] };
  const raw = decodeURIComponent(m[1] ?? "");
  const tenant = p.ctx.state.tenant(req.principal.tenantId);
  const user = tenant ? p.ctx.state.findUser(tenant, raw) : undefined;
  if (!user) return { id: raw.toLowerCase(), keys: [raw.toLowerCase()] };
  return {
    id: user.id,
    keys: [
      user.id.toLowerCase(),
      user.mail.toLowerCase(),
      user.userPrincipalName.toLowerCase(),
      ...user.proxyAddresses.map((a) => a.replace(/^smtp:/i, "").toLowerCase()),
    ],
  };
}

/**
 * Runs one Graph request (path relative to /v1.0). `external` requests (apps) get faults and throttling;
 * internal ones (the control API acting as Outlook) do not. Rejects with DropConnection for dropped connections.
 */
export async function runGraph(p: Pipeline, request: GraphRequest, external = true): Promise<GraphResponse> {
  let req = request;
  try {
    req = { ...request, path: normalisePath(request.path, request.principal.userId) };
    const mailbox = mailboxKeys(p, req);
    if (!external) return await p.router.dispatch(p.ctx, req);
    const decision = p.faults.decide({
      tenantId: req.principal.tenantId,
      mailboxKeys: mailbox.keys,
      path: req.path,
      method: req.method,
    });
    if (decision.drop) {
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      throw new DropConnection();
    }
    if (decision.respond) {
      const { status, retryAfterSeconds } = decision.respond;
      const headers: Record<string, string> =
        retryAfterSeconds !== undefined ? { "retry-after": String(retryAfterSeconds) } : {};
      const code =
        status === 403
          ? "Authorization_RequestDenied"
          : status === 429
            ? "TooManyRequests"
            : status === 503
              ? "ServiceUnavailable"
              : status === 504
                ? "GatewayTimeout"
                : "InternalServerError";
      const message =
        status === 403
          ? "Insufficient privileges to complete the operation."
          : status === 429
            ? "Too many requests. Please retry after the time in the Retry-After header."
            : "The service encountered an error (injected fault).";
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      return errorResponse(new GraphError(status, code, message, headers), req);
    }
    if (mailbox.id === null) {
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      return await p.router.dispatch(p.ctx, req);
    }
    const admission = p.throttle.admit(req.principal.appId, mailbox.id);
    if (!admission.ok) {
      return errorResponse(
        new GraphError(429, "TooManyRequests", admission.message, {
          "retry-after": String(admission.retryAfterSeconds),
        }),
        req,
      );
    }
    try {
      // Injected latency holds the concurrency slot, like a slow mailbox backend; otherwise yield once so
      // concurrent requests overlap.
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      else await new Promise((resolve) => setImmediate(resolve));
      return await p.router.dispatch(p.ctx, req);
    } finally {
      admission.release();
    }
  } catch (error) {
    if (error instanceof DropConnection) throw error;
    if (error instanceof GraphError) return errorResponse(error, req);
    p.logger?.error({ err: error, path: req.path }, "emulator graph handler failed");
    return errorResponse(
      new GraphError(500, "InternalServerError", error instanceof Error ? error.message : String(error)),
      req,
    );
  }
}
