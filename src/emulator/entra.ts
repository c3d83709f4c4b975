/**
 * Entra ID (v2 endpoints) for the emulated tenants: OpenID configuration, JWKS, the token endpoint
 * (client_credentials and on-behalf-of jwt-bearer, in entra-token.ts), v2 admin consent, Teams-SSO-shaped sign-in tokens and
 * validation of the access tokens presented to Graph. Errors follow Entra's shape:
 * `{error, error_description, error_codes, timestamp, trace_id, correlation_id}`.
 */
import { createHash, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { grantToken } from "./entra-token.ts";
import type { EmUser, TenantState } from "./model.ts";
import type { EmulatorState } from "./state.ts";

export const GRAPH_RESOURCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Teams web client id (the `azp` of Teams SSO tokens). */
export const TEAMS_WEB_CLIENT_ID = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346";

/**
 * Role template ids of Entra's built-in directory roles the emulator knows, as tokens carry them in `wids`
 * (when the app registration's groupMembershipClaims includes DirectoryRole or All).
 */
export const DIRECTORY_ROLE_TEMPLATE_IDS: Readonly<Record<string, string>> = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
  "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
};
/** The role every member user holds; Entra lists it in `wids` too. */
const MEMBER_USER_ROLE_TEMPLATE_ID = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/** Roles whose holders may grant tenant-wide admin consent to Microsoft Graph application permissions. */
export const ADMIN_CONSENT_ROLES: readonly string[] = [
  "Global Administrator",
  "Privileged Role Administrator",
];

/** The `wids` claim of a user's tokens: the template ids of their directory roles. */
export function directoryRoleIds(user: EmUser): string[] {
  const ids = user.directoryRoles
    .map((role) => DIRECTORY_ROLE_TEMPLATE_IDS[role])
    .filter((id): id is string => id !== undefined);
  return [...ids, MEMBER_USER_ROLE_TEMPLATE_ID];
}

export interface SignInTokenOptions {
  audience?: string;
  expiresInSeconds?: number;
  scopes?: string;
  /** The client application that asked for the token (`azp`); Teams on the web by default. */
  clientAppId?: string;
}

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Application permissions granted with admin consent (token `roles`). */
  applicationPermissions: string[];
  /** Delegated permissions granted with admin consent (token `scp`). */
  delegatedPermissions: string[];
}

export const DEFAULT_APPLICATION_PERMISSIONS = [
  "User.Read.All",
  "Group.Read.All",
  "GroupMember.Read.All",
  "Calendars.ReadWrite",
  "MailboxSettings.Read",
  "Place.Read.All",
  "Contacts.ReadWrite",
  "Tasks.ReadWrite.All",
  "TeamsTelephoneNumber.ReadWrite.All",
];

export const DEFAULT_DELEGATED_PERMISSIONS = [
  "User.Read",
  "User.ReadBasic.All",
  "Calendars.ReadWrite",
  "Calendars.Read.Shared",
  "MailboxSettings.Read",
  "Contacts.ReadWrite",
  "Tasks.ReadWrite",
  "offline_access",
  "openid",
  "profile",
];

export interface EntraError {
  status: number;
  body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
    error_uri?: string;
  };
}

export function entraError(
  status: number,
  error: string,
  code: number,
  description: string,
  correlationId?: string,
): EntraError {
  const traceId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "Z");
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId ?? traceId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId ?? traceId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

let spare: ReturnType<typeof generateKeyPair> | undefined;

/**
 * A fresh RS256 signing key pair for each emulator. RSA generation dominates start-up time, so the next
 * pair is generated in the background (off the main thread) while this emulator starts.
 */
function signingKeys(): ReturnType<typeof generateKeyPair> {
  const keys = spare ?? generateKeyPair("RS256", { extractable: true });
  spare = generateKeyPair("RS256", { extractable: true });
  return keys;
}

export class Entra {
  private baseUrl = "";

  private constructor(
    readonly state: EmulatorState,
    readonly app: AppRegistration,
    private readonly privateKey: CryptoKey,
    readonly publicKey: CryptoKey,
    readonly publicJwk: JWK,
  ) {}

  /** `keys`: a signing key kept between runs (store.ts); a fresh one otherwise. */
  static async create(
    state: EmulatorState,
    app: AppRegistration,
    keys?: Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }>,
  ): Promise<Entra> {
    const { privateKey, publicKey } = await (keys ?? signingKeys());
    const jwk = await exportJWK(publicKey);
    const kid = createHash("sha256").update(JSON.stringify(jwk)).digest("base64url").slice(0, 27);
    return new Entra(state, app, privateKey, publicKey, {
      ...jwk,
      kid,
      use: "sig",
      alg: "RS256",
      kty: "RSA",
    });
  }

  /** Set once the server listens (the port is OS-assigned). */
  setBaseUrl(url: string): void {
    this.baseUrl = url;
  }

  get kid(): string {
    return this.publicJwk.kid ?? "";
  }

  issuer(tenantId: string): string {
    return `${this.baseUrl}/${tenantId}/v2.0`;
  }

  /** The tenant a path segment names (GUID or verified domain); undefined for unknown tenants. */
  resolveTenant(segment: string): TenantState | undefined {
    const s = segment.toLowerCase();
    return (
      this.state.tenant(s) ??
      this.state.tenantList().find((t) => t.domain === s || `${t.domain.split(".")[0]}.onmicrosoft.com` === s)
    );
  }

  openidConfiguration(segment: string): Record<string, unknown> | undefined {
    const tenant = this.resolveTenant(segment);
    const multi = ["organizations", "common", "consumers"].includes(segment.toLowerCase());
    if (!tenant && !multi) return undefined;
    const t = tenant?.id ?? segment;
    const issuerTenant = tenant?.id ?? "{tenantid}";
    return {
      token_endpoint: `${this.baseUrl}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${this.baseUrl}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${this.baseUrl}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${this.baseUrl}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${this.baseUrl}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${this.baseUrl}/${t}/oauth2/v2.0/logout`,
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "nonce",
        "name",
        "tid",
        "ver",
        "oid",
        "preferred_username",
      ],
      kerberos_endpoint: `${this.baseUrl}/${t}/kerberos`,
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: new URL(this.baseUrl).host,
      rbac_url: "https://pas.windows.net",
    };
  }

  jwks(): { keys: (JWK & { issuer: string })[] } {
    return { keys: [{ ...this.publicJwk, x5t: this.kid, issuer: `${this.baseUrl}/{tenantid}/v2.0` }] };
  }

  private now(): number {
    return Math.floor(this.state.clock.now() / 1000);
  }

  /** A signed access token with `claims`, valid for `lifetimeSeconds` from now. */
  async sign(claims: Record<string, unknown>, lifetimeSeconds: number): Promise<string> {
    const iat = this.now();
    return new SignJWT({ ...claims, uti: randomUUID().replace(/-/g, "").slice(0, 22) })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.kid })
      .setIssuedAt(iat)
      .setNotBefore(iat - 5)
      .setExpirationTime(iat + lifetimeSeconds)
      .sign(this.privateKey);
  }

  /**
   * A Teams-SSO-shaped v2 token for a demo user (aud = client id and azp = Teams web unless overridden), with
   * the user's directory roles in `wids` as Entra puts them for an app whose groupMembershipClaims include them.
   */
  async signInToken(tenantId: string, userKey: string, options: SignInTokenOptions = {}): Promise<string> {
    const tenant = this.resolveTenant(tenantId);
    if (!tenant) throw new Error(`unknown tenant ${tenantId}`);
    const user = this.state.findUser(tenant, userKey);
    if (user?.kind !== "user") throw new Error(`unknown user ${userKey} in tenant ${tenant.id}`);
    return this.sign(
      {
        aud: options.audience ?? this.app.clientId,
        iss: this.issuer(tenant.id),
        azp: options.clientAppId ?? TEAMS_WEB_CLIENT_ID,
        azpacr: "0",
        name: user.displayName,
        oid: user.id,
        preferred_username: user.userPrincipalName,
        rh: "0.emulated.",
        scp: options.scopes ?? "access_as_user",
        sub: createHash("sha256").update(`${user.id}:${this.app.clientId}`).digest("base64url").slice(0, 43),
        tid: tenant.id,
        ver: "2.0",
        wids: directoryRoleIds(user),
      },
      options.expiresInSeconds ?? 3600,
    );
  }

  /** POST /{tenant}/oauth2/v2.0/token (entra-token.ts). */
  token(
    segment: string,
    form: URLSearchParams,
    authorization: string | undefined,
  ): Promise<TokenResult | EntraError> {
    return grantToken(this, segment, form, authorization);
  }

  /** Validates a Graph bearer token; returns the principal or a Graph-style 401 reason. */
  async verifyGraphToken(
    authorization: string | undefined,
  ): Promise<
    { ok: true; principal: import("./http.ts").Principal } | { ok: false; code: string; message: string }
  > {
    if (!authorization || !/^Bearer\s+\S+/i.test(authorization)) {
      return { ok: false, code: "InvalidAuthenticationToken", message: "Access token is empty." };
    }
    const token = authorization.replace(/^Bearer\s+/i, "").trim();
    let payload: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, this.publicKey, {
        algorithms: ["RS256"],
        currentDate: new Date(this.state.clock.now()),
      });
      payload = verified.payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        return {
          ok: false,
          code: "InvalidAuthenticationToken",
          message: "Lifetime validation failed, the token is expired.",
        };
      }
      return {
        ok: false,
        code: "InvalidAuthenticationToken",
        message:
          `Access token validation failure. Invalid signature or format. ${error instanceof Error ? error.message : ""}`.trim(),
      };
    }
    if (payload.aud !== GRAPH_RESOURCE && payload.aud !== GRAPH_APP_ID) {
      return {
        ok: false,
        code: "InvalidAuthenticationToken",
        message: "Access token validation failure. Invalid audience.",
      };
    }
    const tenant = this.resolveTenant(String(payload.tid ?? ""));
    if (!tenant || payload.iss !== this.issuer(tenant.id)) {
      return {
        ok: false,
        code: "InvalidAuthenticationToken",
        message: "Access token validation failure. Invalid issuer.",
      };
    }
    const issuedAt = Number(payload.iat ?? 0) * 1000;
    // Revoking consent removes the service principal: tokens issued before the revocation stop working.
    if (!tenant.consent.granted || payload.xms_cg !== tenant.consent.generation) {
      return {
        ok: false,
        code: "InvalidAuthenticationToken",
        message:
          "Access token validation failure. The service principal of the application was removed from the tenant (consent revoked).",
      };
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.map(String) : [];
    const scopes = typeof payload.scp === "string" ? payload.scp.split(" ").filter(Boolean) : [];
    const userId = typeof payload.scp === "string" ? String(payload.oid ?? "") : null;
    return {
      ok: true,
      principal: {
        tenantId: tenant.id,
        appId: String(payload.appid ?? payload.azp ?? ""),
        userId,
        roles,
        scopes,
        issuedAt,
      },
    };
  }
}

export function delegatedClaims(
  entra: Entra,
  tenant: TenantState,
  user: EmUser,
  scp: string,
): Record<string, unknown> {
  return {
    aud: GRAPH_RESOURCE,
    iss: entra.issuer(tenant.id),
    app_displayname: entra.app.displayName,
    appid: entra.app.clientId,
    appidacr: "1",
    family_name: user.surname,
    given_name: user.givenName,
    idtyp: "user",
    name: user.displayName,
    oid: user.id,
    scp,
    sub: user.id,
    tid: tenant.id,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    ver: "1.0",
    xms_cg: tenant.consent.generation,
    wids: directoryRoleIds(user),
  };
}

export function servicePrincipalId(tenantId: string, clientId: string): string {
  const h = createHash("sha1").update(`${tenantId}:${clientId}:sp`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
