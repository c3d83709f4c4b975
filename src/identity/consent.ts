/**
 * Entra v2 admin consent with a signed, single-use `state` bound to the admin who started it.
 *
 * 1. The tab POSTs `/api/admin/consent/start` with the admin's SSO token. Quorum stores a state row
 *    (tenant, user, the user's directory roles from the token, expiry) and answers `{consentUrl}` = `/admin/consent?state=<id>.<tenant>.<hmac>`.
 *    No token ever travels in a URL.
 * 2. The tab opens `consentUrl` top-level; `GET /admin/consent` checks the state (signature, unused,
 *    unexpired) and redirects to `${authority}/{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri&state`.
 * 3. Entra redirects to `GET /admin/consent/callback?admin_consent=True&tenant&state` (or `error&...`).
 *    The state is consumed (single use, also when consent was cancelled), then consent is PROVEN by
 *    acquiring an app-only token for the state's tenant and checking its `tid` claim; the redirect's
 *    `tenant` parameter alone is never trusted.
 * 4. A token proves that the tenant consented, not that the person who started did (the tenant may have
 *    consented long before, in the Entra admin center). So Quorum records the consent only for a starter
 *    who can grant it themselves — their SSO token at start named a directory role able to grant Graph
 *    application permissions (`wids`) — or who already owns Quorum in the tenant; and after an owner
 *    disconnected Quorum, only an owner connects it again. Anyone else is refused (CONSENT_ADMIN_ROLE_REQUIRED,
 *    audited) and their roles stay as they were. The starter becomes owner on the first consent (admin
 *    otherwise), and the audit log records it.
 */
import { randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import type { Actor } from "../core/actor.ts";
import type { Clock } from "../core/clock.ts";
import { DomainError } from "../core/errors.ts";
import {
  type ConsentState,
  consentStateUsable,
  consumeConsentState,
  saveConsentState,
} from "../store/consent-states.ts";
import type { Database } from "../store/db.ts";
import type { M365Endpoints } from "./endpoints.ts";
import type { Secrets } from "./secrets.ts";
import type { TenantRecord, TenantStore } from "./tenants.ts";
import { GRAPH_DEFAULT_SCOPE, type TokenProvider } from "./tokens.ts";

export const CONSENT_STATE_TTL_MS = 15 * 60_000;

/**
 * Template ids of the Entra directory roles whose holders can grant tenant-wide admin consent to Microsoft
 * Graph application permissions: Global Administrator and Privileged Role Administrator. (Cloud Application
 * and Application Administrators can grant consent to any permission except Graph application permissions.)
 */
export const ADMIN_CONSENT_ROLE_IDS: ReadonlySet<string> = new Set([
  "62e90394-69f5-4237-9190-012177145e10",
  "e8611ab8-c189-46e8-94e1-60213ab1f814",
]);

export interface ConsentService {
  /** Starts a consent for the actor's own tenant; returns the URL to open top-level. */
  start(
    actor: Actor,
    options: {
      /** Template ids of the actor's Entra directory roles, from their validated SSO token (`wids`). */
      directoryRoleIds: readonly string[];
      returnTo?: string | undefined;
    },
  ): Promise<{ consentUrl: string; expiresAt: string }>;
  /** The Entra admin-consent URL for a valid, unused state (does not consume it). */
  authorizeUrl(state: string): Promise<string>;
  /** Handles Entra's redirect. Consumes the state; proves consent with a token. */
  complete(query: Record<string, string | undefined>): Promise<{
    tenant: TenantRecord;
    firstConsent: boolean;
    returnTo: string | null;
  }>;
}

export interface ConsentServiceOptions {
  database: Database;
  secrets: Secrets;
  tokens: TokenProvider;
  tenants: TenantStore;
  endpoints: M365Endpoints;
  clientId: string;
  clock: Clock;
  /** The service's public base URL (known after it listens). */
  publicUrl: () => string;
  /**
   * Where the browser is sent for Entra's consent page, when not the login authority itself (the local
   * tenant emulator's pages are served through the service's own origin, so no certificate warning shows).
   */
  browserAuthority?: () => string;
}

const STATE = /^([A-Za-z0-9_-]{32})\.([0-9A-Za-z-]{1,64})\.([A-Za-z0-9_-]{43})$/;

export function createConsentService(options: ConsentServiceOptions): ConsentService {
  const { database, secrets, tokens, tenants, endpoints, clientId, clock } = options;
  const { db } = database;

  const parse = (state: string | undefined) => {
    const m = state ? STATE.exec(state) : null;
    if (!m?.[1] || !m[2] || !m[3]) throw new DomainError("CONSENT_STATE_INVALID");
    const [, stateId, tenantId, signature] = m;
    if (!secrets.verify(`consent|${stateId}|${tenantId}`, signature))
      throw new DomainError("CONSENT_STATE_INVALID");
    return { stateId, tenantId };
  };

  /** Why the starter of a proven consent may not connect Quorum, or undefined when they may. */
  const refusalOf = async (row: ConsentState) => {
    const [tenant, roles] = await Promise.all([
      tenants.get(row.tenantId),
      tenants.rolesOf(row.tenantId, row.userId),
    ]);
    const owner = roles.includes("owner");
    if (tenant?.status === "disconnected" && !owner) {
      // An owner's disconnect stands until an owner reverses it (unless the data, owners included, was deleted).
      const [firstOwner] = (await tenants.admins(row.tenantId)).filter((a) => a.roles.includes("owner"));
      if (firstOwner) {
        return {
          reason: "Quorum was disconnected by its owner; only an owner connects it again",
          message: `Quorum was disconnected by its owner, ${firstOwner.displayName}. Only an owner can connect it again.`,
        };
      }
    }
    if (owner || row.directoryRoleIds.some((id) => ADMIN_CONSENT_ROLE_IDS.has(id.toLowerCase()))) {
      return undefined;
    }
    return {
      reason: "the starter holds no directory role that can grant admin consent and does not own Quorum",
      message: undefined,
    };
  };

  return {
    async start(actor, { directoryRoleIds, returnTo }) {
      // Once Quorum has owners/admins in the tenant, only they reconnect it; before that (first consent, or
      // after the data was deleted) any user may start, and Entra lets only a Global Administrator grant.
      const hasAdmins = (await tenants.admins(actor.tenantId)).length > 0;
      if (hasAdmins && !actor.roles.some((r) => r === "owner" || r === "admin")) {
        throw new DomainError(
          "ROLE_REQUIRED",
          "Quorum is already set up for your organization; only its owner or admins can reconnect it.",
        );
      }
      const stateId = randomBytes(24).toString("base64url");
      const expiresAt = new Date(clock.now() + CONSENT_STATE_TTL_MS);
      await saveConsentState(db, {
        tenantId: actor.tenantId,
        stateId,
        userId: actor.userId,
        upn: actor.upn,
        displayName: actor.displayName,
        directoryRoleIds: [...directoryRoleIds],
        returnTo: returnTo ?? null,
        expiresAt,
      });
      await tenants.audit({
        tenantId: actor.tenantId,
        actorUserId: actor.userId,
        action: "consent.started",
        targetType: "tenant",
        targetId: actor.tenantId,
      });
      const signature = secrets.sign(`consent|${stateId}|${actor.tenantId}`);
      const state = `${stateId}.${actor.tenantId}.${signature}`;
      return {
        consentUrl: `${options.publicUrl()}/admin/consent?state=${encodeURIComponent(state)}`,
        expiresAt: expiresAt.toISOString(),
      };
    },

    async authorizeUrl(state) {
      const { stateId, tenantId } = parse(state);
      if (!(await consentStateUsable(db, tenantId, stateId, new Date(clock.now())))) {
        throw new DomainError("CONSENT_STATE_INVALID");
      }
      const authority = options.browserAuthority?.() ?? endpoints.authorityHost;
      const url = new URL(`${authority}/${tenantId}/v2.0/adminconsent`);
      url.searchParams.set("client_id", clientId);
      url.searchParams.set("scope", GRAPH_DEFAULT_SCOPE);
      url.searchParams.set("redirect_uri", `${options.publicUrl()}/admin/consent/callback`);
      url.searchParams.set("state", state);
      return url.toString();
    },

    async complete(query) {
      const { stateId, tenantId } = parse(query.state);
      // Single use: the state is consumed atomically whatever the outcome.
      const row = await consumeConsentState(db, tenantId, stateId, new Date(clock.now()));
      if (!row) throw new DomainError("CONSENT_STATE_INVALID");

      if (query.error || query.admin_consent?.toLowerCase() !== "true") {
        const description = (query.error_description ?? "").split(/\r?\n/)[0]?.slice(0, 300) ?? "";
        await tenants.audit({
          tenantId,
          actorUserId: row.userId,
          action: "consent.denied",
          targetType: "tenant",
          targetId: tenantId,
          reason: `${query.error ?? "no admin_consent"}${description ? `: ${description}` : ""}`,
        });
        throw new DomainError(
          "CONSENT_DENIED",
          `Admin consent was cancelled or denied${description ? ` (${description})` : ""}. Quorum was not connected.`,
          { details: { error: query.error ?? null } },
        );
      }
      if (query.tenant && query.tenant.toLowerCase() !== tenantId.toLowerCase()) {
        await tenants.audit({
          tenantId,
          actorUserId: row.userId,
          action: "consent.tenant_mismatch",
          targetType: "tenant",
          targetId: tenantId,
          reason: `redirect named tenant ${query.tenant}`,
        });
        throw new DomainError(
          "CONSENT_STATE_INVALID",
          "Consent was granted in a different organization than the one that started it. Start again from Teams.",
        );
      }

      // Proof: Entra issues an app-only token for the tenant only once consent is in place.
      const token = await tokens.appOnly(tenantId, { force: true }).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === "RECONNECT_NEEDED") {
          throw new DomainError(
            "CONSENT_REQUIRED",
            `Microsoft Entra did not confirm the consent: ${String(error.details?.explanation ?? error.message)}`,
            { cause: error, details: error.details ? { ...error.details } : {} },
          );
        }
        throw error;
      });
      let tid: unknown;
      try {
        tid = decodeJwt(token.token).tid;
      } catch (error) {
        throw new DomainError("GRAPH_ERROR", "The app-only token could not be read to verify the tenant.", {
          cause: error,
        });
      }
      if (tid !== tenantId) {
        throw new DomainError("CONSENT_STATE_INVALID", "The token Entra issued is for another tenant.");
      }

      // The tenant has consented; whether this starter may connect Quorum is a separate question.
      const refusal = await refusalOf(row);
      if (refusal) {
        await tenants.audit({
          tenantId,
          actorUserId: row.userId,
          action: "consent.refused",
          targetType: "tenant",
          targetId: tenantId,
          reason: refusal.reason,
        });
        throw new DomainError("CONSENT_ADMIN_ROLE_REQUIRED", refusal.message);
      }
      const domain = row.upn.includes("@") ? row.upn.split("@")[1]! : "";
      const { tenant, firstConsent } = await tenants.recordConsent({
        tenantId,
        displayName: domain,
        admin: { tenantId, userId: row.userId, upn: row.upn, displayName: row.displayName ?? row.upn },
      });
      return { tenant, firstConsent, returnTo: row.returnTo };
    },
  };
}
