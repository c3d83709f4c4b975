/**
 * Identity, consent and tenant administration routes:
 *   POST /api/admin/consent/start   (bearer) -> {consentUrl}: open it top-level; no token in any URL
 *   GET  /admin/consent?state=...   -> 302 to the Entra v2 admin-consent page
 *   GET  /admin/consent/callback    -> verifies the state, proves consent, records the tenant + owner
 *   GET  /api/me                    -> actor, tenant status, whom to ask, the caller's seats by kind
 *   GET  /api/admin/tenant          -> tenant record and consent health (owner/admin)
 *   POST /api/admin/test-connection -> probes each permission Quorum relies on (owner/admin)
 *   PUT  /api/admin/members/:userId/roles {roles} -> owners/admins grant admin/scheduler; owner only by owners
 *   POST /api/admin/tenant/disconnect {data: keep|export|delete} (owner)
 *   GET  /api/tenants/:tenantId     -> the caller's own tenant only; any other id is 403
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import type { MySeatsResponse } from "../../../api-contract/directory.ts";
import type { Actor } from "../../../core/actor.ts";
import { DomainError, isDomainError } from "../../../core/errors.ts";
import {
  CONSENT_BLADE,
  type ConnectionProbe,
  GRAPH_PERMISSIONS,
  probeGraphPermissions,
} from "../../../graph/permission-probes.ts";
import type { TenantRecord } from "../../../identity/tenants.ts";
import type { M365 } from "../../m365.ts";
import type { RoutePlugin } from "../app.ts";
import { authenticate, bearerToken, requireRole } from "../auth.ts";

const startBody = z
  .object({
    /** Where the tab wants to land after consent: a path on this service. */
    returnTo: z
      .string()
      .regex(/^\/(?!\/)[\w\-./?=&%#]*$/, "must be a path on this service, e.g. /tab")
      .max(500)
      .optional(),
  })
  .strict()
  .default({});

const callbackQuery = z.object({
  state: z.string().max(200).optional(),
  admin_consent: z.string().max(10).optional(),
  tenant: z.string().max(100).optional(),
  scope: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(4000).optional(),
});

const rolesBody = z
  .object({ roles: z.array(z.enum(["owner", "admin", "scheduler", "member"])).max(4) })
  .strict();

const disconnectBody = z
  .object({
    data: z.enum(["keep", "export", "delete"], { message: "choose keep, export or delete" }),
    /** Required for `delete`: the tenant id, typed again. */
    confirmTenantId: z.string().optional(),
  })
  .strict();

export const tenantView = (tenant: TenantRecord | undefined) =>
  tenant
    ? {
        tenantId: tenant.tenantId,
        displayName: tenant.displayName,
        status: tenant.status,
        consentedAt: tenant.consentedAt?.toISOString() ?? null,
        disconnectedAt: tenant.disconnectedAt?.toISOString() ?? null,
        ownerUserId: tenant.ownerUserId,
        consentError:
          tenant.status === "reconnect_needed"
            ? { code: tenant.consentErrorCode, explanation: tenant.consentErrorMessage }
            : null,
      }
    : null;

const actorView = (a: Actor) => ({
  tenantId: a.tenantId,
  userId: a.userId,
  upn: a.upn,
  displayName: a.displayName,
  roles: a.roles,
});

export interface AdminRoutesDeps {
  readonly m365: M365;
  /** The caller's seats, for `/api/me`. */
  readonly seatsOf: (tenantId: string, userId: string) => Promise<MySeatsResponse>;
}

export function adminRoutes(deps: AdminRoutesDeps): RoutePlugin {
  const { m365, seatsOf } = deps;
  return async function register(app: FastifyInstance): Promise<void> {
    const admin = [authenticate, requireRole("owner", "admin")];

    app.post("/api/admin/consent/start", { onRequest: [authenticate] }, async (request) => {
      const body = startBody.parse(request.body ?? {});
      // The caller's directory roles (`wids`) decide at the callback whether they may connect Quorum. The
      // token was validated by `authenticate`; validating it again is answered from the validator's cache.
      const { directoryRoleIds } = await m365.validator.validate(bearerToken(request));
      return m365.consent.start(request.actor, { directoryRoleIds, returnTo: body.returnTo });
    });

    app.get("/admin/consent", async (request, reply) => {
      const { state } = z.object({ state: z.string().max(200) }).parse(request.query);
      return reply.redirect(await m365.consent.authorizeUrl(state), 302);
    });

    app.get("/admin/consent/callback", async (request, reply) => {
      const query = callbackQuery.parse(request.query);
      try {
        const result = await m365.consent.complete(query);
        request.log.info(
          { tenantId: result.tenant.tenantId, firstConsent: result.firstConsent },
          "admin consent recorded",
        );
        return html(
          reply,
          200,
          "Quorum is connected",
          `Quorum is connected to ${result.tenant.displayName || "your organization"}. You can close this window and return to Teams.`,
          "connected",
          result.returnTo,
        );
      } catch (error) {
        if (!isDomainError(error) || error.status >= 500) throw error;
        request.log.info({ code: error.code }, "admin consent not completed");
        return html(reply, error.status, "Quorum is not connected", error.message, error.code, null);
      }
    });

    const seatSummary = async (actor: { tenantId: string; userId: string }) => {
      const { seats } = await seatsOf(actor.tenantId, actor.userId);
      const of = (kind: "calling" | "sync") => {
        const seat = seats.find((s) => s.kind === kind);
        return seat ? { state: seat.state, phoneNumber: seat.phoneNumber } : null;
      };
      return { calling: of("calling"), sync: of("sync") };
    };

    app.get("/api/me", { onRequest: [authenticate] }, async (request) => {
      const actor = request.actor;
      const tenant = await m365.tenants.get(actor.tenantId);
      const admins = await m365.tenants.admins(actor.tenantId);
      return {
        actor: actorView(actor),
        tenant: tenantView(tenant),
        /** Whom to ask for consent, a seat or a reconnect. */
        admins: admins.map((a) => ({
          displayName: a.displayName,
          upn: a.upn,
          role: a.roles.includes("owner") ? "owner" : "admin",
        })),
        /** The caller's seats, by kind (null: none). */
        seats: await seatSummary(actor),
      };
    });

    app.get("/api/tenants/:tenantId", { onRequest: [authenticate] }, async (request) => {
      const { tenantId } = z.object({ tenantId: z.string().max(100) }).parse(request.params);
      if (tenantId.toLowerCase() !== request.actor.tenantId.toLowerCase()) {
        throw new DomainError("FORBIDDEN", "You can only see your own organization.");
      }
      return { tenant: tenantView(await m365.tenants.get(request.actor.tenantId)) };
    });

    app.get("/api/admin/tenant", { onRequest: admin }, async (request) => {
      const tenantId = request.actor.tenantId;
      const tenant = await m365.tenants.get(tenantId);
      const admins = await m365.tenants.admins(tenantId);
      return {
        tenant: tenantView(tenant),
        admins: admins.map((a) => ({
          userId: a.userId,
          displayName: a.displayName,
          upn: a.upn,
          roles: a.roles,
        })),
      };
    });

    app.put("/api/admin/members/:userId/roles", { onRequest: admin }, async (request) => {
      const { userId } = z.object({ userId: z.string().min(1).max(100) }).parse(request.params);
      const { roles } = rolesBody.parse(request.body);
      return {
        userId,
        roles: await m365.tenants.setRoles(request.actor.tenantId, request.actor, userId, roles),
      };
    });

    app.post("/api/admin/test-connection", { onRequest: admin }, async (request) => {
      const probes = await testConnection(m365, request.actor);
      const ok = probes.every((p) => p.status === "ok");
      await m365.tenants.audit({
        tenantId: request.actor.tenantId,
        actorUserId: request.actor.userId,
        action: "consent.tested",
        targetType: "tenant",
        targetId: request.actor.tenantId,
        after: { ok, probes: probes.map((p) => ({ name: p.name, status: p.status })) },
      });
      return { ok, probes, tenant: tenantView(await m365.tenants.get(request.actor.tenantId)) };
    });

    app.post(
      "/api/admin/tenant/disconnect",
      { onRequest: [authenticate, requireRole("owner")] },
      async (request) => {
        const body = disconnectBody.parse(request.body);
        const tenantId = request.actor.tenantId;
        if (body.data === "delete" && body.confirmTenantId !== tenantId) {
          throw new DomainError(
            "VALIDATION_FAILED",
            "To delete Quorum's data for your organization, repeat your tenant id in confirmTenantId.",
          );
        }
        const exported = body.data === "export" ? await exportTenant(m365, tenantId) : undefined;
        const tenant = await m365.tenants.disconnect(tenantId, request.actor.userId, body.data);
        if (body.data === "delete") await m365.tenants.deleteTenantData(tenantId);
        return { tenant: tenantView(tenant), data: body.data, ...(exported ? { export: exported } : {}) };
      },
    );
  };
}

async function exportTenant(m365: M365, tenantId: string) {
  return {
    exportedAt: new Date(m365.clock.now()).toISOString(),
    tables: await m365.tenants.exportTenantData(tenantId),
  };
}

/** Probes each permission Quorum relies on, against the caller's own mailbox. */
export async function testConnection(m365: M365, actor: Actor): Promise<ConnectionProbe[]> {
  const probes: ConnectionProbe[] = [];
  const tenantId = actor.tenantId;
  try {
    await m365.tokens.appOnly(tenantId, { force: true });
    probes.push({ name: "app_token", permission: "admin consent", status: "ok" });
    const tenant = await m365.tenants.get(tenantId);
    if (tenant?.status === "reconnect_needed") {
      await m365.tenants.recordConsent({
        tenantId,
        displayName: tenant.displayName,
        admin: { tenantId, userId: actor.userId, upn: actor.upn, displayName: actor.displayName },
      });
    }
  } catch (error) {
    if (!isDomainError(error) || error.code !== "RECONNECT_NEEDED") throw error;
    probes.push({
      name: "app_token",
      permission: "admin consent",
      status: "missing",
      detail: String(error.details?.explanation ?? error.message),
      graphCode: String(error.details?.errorCode ?? ""),
      fix: `Reconnect Quorum (Admin > Reconnect), or ${CONSENT_BLADE}.`,
    });
    for (const name of ["read_users", "read_schedule", "write_event", "read_number_assignments"] as const) {
      probes.push({
        name,
        permission: GRAPH_PERMISSIONS[name],
        status: "skipped",
        detail: "No app-only token.",
      });
    }
    return probes;
  }

  probes.push(...(await probeGraphPermissions(m365.graph, tenantId, actor, new Date(m365.clock.now()))));
  return probes;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(
  reply: FastifyReply,
  status: number,
  title: string,
  message: string,
  code: string,
  returnTo: string | null,
): FastifyReply {
  const back = returnTo ? `<p><a href="${escapeHtml(returnTo)}">Continue</a></p>` : "";
  return reply
    .status(status)
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family:'Segoe UI',system-ui,sans-serif;max-width:36rem;margin:3rem auto">` +
        `<main data-result="${escapeHtml(code)}"><h1>${escapeHtml(title)}</h1><p role="status">${escapeHtml(message)}</p>${back}</main></body></html>`,
    );
}
