/**
 * Responses of the identity and tenant routes (`/api/me`, `/api/admin/consent/start`,
 * `/api/admin/tenant`), as the service sends them and the tab and add-in read them.
 */
import { z } from "zod";

export const tenantStatus = z.enum(["pending", "consented", "reconnect_needed", "disconnected"]);
export type TenantStatus = z.infer<typeof tenantStatus>;

export const tenantView = z.object({
  tenantId: z.string(),
  displayName: z.string(),
  status: tenantStatus,
  consentedAt: z.string().nullable(),
  disconnectedAt: z.string().nullable(),
  ownerUserId: z.string().nullable(),
  consentError: z.object({ code: z.string().nullable(), explanation: z.string().nullable() }).nullable(),
});
export type TenantView = z.infer<typeof tenantView>;

export const actorView = z.object({
  tenantId: z.string(),
  userId: z.string(),
  upn: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
});

export const adminContact = z.object({
  displayName: z.string(),
  upn: z.string(),
  role: z.string(),
});
export type AdminContact = z.infer<typeof adminContact>;

export const meResponse = z.object({
  actor: actorView,
  /** null until someone in the organization starts admin consent. */
  tenant: tenantView.nullable(),
  /** Whom to ask for consent, a seat or a reconnect. */
  admins: z.array(adminContact),
  /** The caller's seats by kind; null where they hold none. */
  seats: z.object({
    calling: z.object({ state: z.string(), phoneNumber: z.string().nullable() }).nullable(),
    sync: z.object({ state: z.string(), phoneNumber: z.string().nullable() }).nullable(),
  }),
});
export type MeResponse = z.infer<typeof meResponse>;

export const consentStartResponse = z.object({ consentUrl: z.string(), expiresAt: z.string() });

/** `POST /api/admin/test-connection`: each permission Quorum relies on, tried against Microsoft 365. */
export const testConnectionResponse = z.object({
  ok: z.boolean(),
  probes: z.array(
    z.object({
      name: z.enum(["app_token", "read_users", "read_schedule", "write_event", "read_number_assignments"]),
      /** The Graph permission (or "admin consent") the probe needs. */
      permission: z.string(),
      status: z.enum(["ok", "missing", "failed", "skipped"]),
      detail: z.string().optional(),
      graphCode: z.string().optional(),
      /** What to do when not ok: which permission, where in the Entra admin center. */
      fix: z.string().optional(),
    }),
  ),
});
export type TestConnectionResponse = z.infer<typeof testConnectionResponse>;
export type ConsentStartResponse = z.infer<typeof consentStartResponse>;
