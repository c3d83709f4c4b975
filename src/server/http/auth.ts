/**
 * Authentication and authorization for `/api` routes.
 *
 * Usage in a feature route plugin (`deps.plugins`):
 * ```ts
 * import { authenticate, requireConsented, requireRole } from "./auth.ts";
 * app.get("/api/bookings", { onRequest: [authenticate, requireConsented] }, async (request) => {
 *   const { tenantId, userId } = request.actor; // always from the validated token, never from the body/URL
 *   ...
 * });
 * app.post("/api/admin/seats", { onRequest: [authenticate, requireConsented, requireRole("owner", "admin")] }, ...);
 * ```
 * The checks are `onRequest` hooks: they run before the body is read, so a caller who is not signed in
 * (or lacks the role) is answered without the service receiving, buffering or parsing what they sent.
 * Listing them anywhere later (`preHandler`, `preValidation`, ...) is refused when the route is declared.
 *
 * `authenticate` validates the `Authorization: Bearer <SSO token>` header and sets `request.actor`
 * (roles from the `members` table of the token's tenant). Failures are 401 with a code naming the
 * failed check (TOKEN_EXPIRED, TOKEN_AUDIENCE_INVALID, ...). `requireConsented` rejects with
 * CONSENT_REQUIRED (details.admins: whom to ask) or RECONNECT_NEEDED (details.errorCode, explanation).
 * `requireRole(...roles)` rejects with ROLE_REQUIRED unless the actor holds one of the roles.
 *
 * The checks themselves are `consentedTenant` and `assertRole`: the bot runs the same two before every
 * command and card action (src/server/teams/bot-services.ts), so chat and HTTP cannot drift apart.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import type { Actor, Role } from "../../core/actor.ts";
import { DomainError } from "../../core/errors.ts";
import type { TenantRecord, TenantStore } from "../../identity/tenants.ts";
import type { TokenValidator } from "../../identity/token-validator.ts";

export interface AuthServices {
  readonly validator: TokenValidator;
  readonly tenants: TenantStore;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Set by `registerAuth`; used by the hooks below. */
    auth: AuthServices;
  }
  interface FastifyRequest {
    /** The validated caller; set by `authenticate`. */
    actor: Actor;
    /** The caller's tenant record; set by `requireConsented`. */
    tenant: TenantRecord | undefined;
  }
}

/** Called once by createServer; makes `authenticate` and friends usable in every route plugin. */
export function registerAuth(app: FastifyInstance, services: AuthServices): void {
  app.decorate("auth", services);
  app.decorateRequest("actor", undefined as unknown as Actor);
  app.decorateRequest("tenant", undefined);
}

/** `authenticate`, `requireConsented` and every check made by `requireRole`. */
const authChecks = new WeakSet<object>();

/** Hooks that run once the body has been read (or while it is being read). */
const afterBodyHooks = ["preParsing", "preValidation", "preHandler"] as const;

/**
 * `onRoute` hook (createServer adds it before any route): a route that lists an authentication check
 * after `onRequest` would read its whole body for anyone, so declaring it stops start-up, naming the route.
 */
export function refuseAuthAfterBody(route: RouteOptions): void {
  for (const hook of afterBodyHooks) {
    const value = route[hook] as unknown;
    const hooks = Array.isArray(value) ? value : value ? [value] : [];
    if (hooks.some((h) => typeof h === "function" && authChecks.has(h))) {
      const methods = Array.isArray(route.method) ? route.method.join(",") : route.method;
      throw new Error(
        `${methods} ${route.url}: authenticate, requireConsented and requireRole belong in onRequest, not ${hook} (the body must not be read before sign-in is checked).`,
      );
    }
  }
}

/** Extracts the bearer token of a request, or throws UNAUTHENTICATED. */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1])
    throw new DomainError("UNAUTHENTICATED", "Send the sign-in token as `Authorization: Bearer <token>`.");
  return match[1];
}

/** Validates a token and builds the actor (roles looked up in the token's own tenant). */
export async function actorFromToken(services: AuthServices, token: string): Promise<Actor> {
  const user = await services.validator.validate(token);
  const roles = await services.tenants.rolesOf(user.tenantId, user.userId);
  return {
    tenantId: user.tenantId,
    userId: user.userId,
    upn: user.upn,
    displayName: user.displayName,
    roles,
  };
}

function servicesOf(request: FastifyRequest): AuthServices {
  const services = request.server.auth as AuthServices | undefined;
  if (!services) throw new DomainError("SERVICE_UNAVAILABLE", "Sign-in is not configured on this server.");
  return services;
}

/** onRequest hook: validates the bearer token and sets `request.actor`. */
export async function authenticate(request: FastifyRequest): Promise<void> {
  const services = servicesOf(request);
  request.actor = await actorFromToken(services, bearerToken(request));
  request.log.debug({ tenantId: request.actor.tenantId, userId: request.actor.userId }, "authenticated");
}
authChecks.add(authenticate);

/**
 * The tenant must have granted consent and still be reachable: returns its record, or throws
 * CONSENT_REQUIRED (details.status, details.admins: whom to ask) or RECONNECT_NEEDED (details.errorCode,
 * details.explanation, details.admins).
 */
export async function consentedTenant(
  tenants: Pick<TenantStore, "get" | "admins">,
  tenantId: string,
): Promise<TenantRecord> {
  const tenant = await tenants.get(tenantId);
  if (tenant?.status === "consented") return tenant;
  const admins = (await tenants.admins(tenantId)).map((a) => ({
    displayName: a.displayName,
    upn: a.upn,
    role: a.roles.includes("owner") ? "owner" : "admin",
  }));
  if (tenant?.status === "reconnect_needed") {
    throw new DomainError("RECONNECT_NEEDED", undefined, {
      details: { errorCode: tenant.consentErrorCode, explanation: tenant.consentErrorMessage, admins },
    });
  }
  throw new DomainError("CONSENT_REQUIRED", undefined, {
    details: { status: tenant?.status ?? "pending", admins },
  });
}

/** The actor must hold at least one of the roles, or ROLE_REQUIRED (details.required). */
export function assertRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.some((r) => actor.roles.includes(r))) {
    throw new DomainError("ROLE_REQUIRED", `This needs one of these roles: ${roles.join(", ")}.`, {
      details: { required: roles },
    });
  }
}

/** onRequest hook (after `authenticate`): the actor's tenant must have granted consent and still be reachable. */
export async function requireConsented(request: FastifyRequest): Promise<void> {
  const services = servicesOf(request);
  const actor = requireActor(request);
  request.tenant = await consentedTenant(services.tenants, actor.tenantId);
}
authChecks.add(requireConsented);

/** onRequest hook factory (after `authenticate`): the actor must hold at least one of the roles. */
export function requireRole(...roles: Role[]): (request: FastifyRequest) => Promise<void> {
  const check = async (request: FastifyRequest) => {
    assertRole(requireActor(request), ...roles);
  };
  authChecks.add(check);
  return check;
}

function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError("UNAUTHENTICATED");
  return request.actor;
}
