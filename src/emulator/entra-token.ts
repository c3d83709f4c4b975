import { errors as joseErrors, jwtVerify } from "jose";
import {
  delegatedClaims,
  type Entra,
  type EntraError,
  entraError,
  GRAPH_RESOURCE,
  servicePrincipalId,
  type TokenResult,
} from "./entra.ts";
import type { TenantState } from "./model.ts";

/** POST /{tenant}/oauth2/v2.0/token: client_credentials and on-behalf-of (jwt-bearer). */
export async function grantToken(
  entra: Entra,
  segment: string,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<TokenResult | EntraError> {
  const correlationId = form.get("client-request-id") ?? undefined;
  let clientId = form.get("client_id") ?? "";
  let clientSecret = form.get("client_secret") ?? "";
  if (authorization?.startsWith("Basic ")) {
    const [id, secret] = Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":");
    clientId = decodeURIComponent(id ?? "");
    clientSecret = decodeURIComponent(secret ?? "");
  }
  const grant = form.get("grant_type");
  if (!grant)
    return entraError(
      400,
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'grant_type'.",
      correlationId,
    );
  if (!clientId)
    return entraError(
      400,
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'client_id'.",
      correlationId,
    );

  const multi = ["organizations", "common"].includes(segment.toLowerCase());
  const pathTenant = entra.resolveTenant(segment);
  if (!pathTenant && !multi) {
    return entraError(
      400,
      "invalid_request",
      90002,
      `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      correlationId,
    );
  }
  if (clientId !== entra.app.clientId) {
    return entraError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${pathTenant?.name ?? segment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      correlationId,
    );
  }
  if (clientSecret !== entra.app.clientSecret) {
    return entraError(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${entra.app.clientId}'.`,
      correlationId,
    );
  }

  if (grant === "client_credentials") {
    if (!pathTenant) {
      return entraError(
        400,
        "invalid_request",
        700016,
        "Use a tenant-specific endpoint or configure the application to be multi-tenant; client_credentials requires a tenant.",
        correlationId,
      );
    }
    const scope = form.get("scope") ?? "";
    if (
      !/(^|\s)https:\/\/graph\.microsoft\.com\/\.default(\s|$)/.test(scope) &&
      !/(^|\s)00000003-0000-0000-c000-000000000000\/\.default(\s|$)/.test(scope)
    ) {
      return entraError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        correlationId,
      );
    }
    const consent = consentError(entra, pathTenant, correlationId);
    if (consent) return consent;
    const accessToken = await entra.sign(
      {
        aud: GRAPH_RESOURCE,
        iss: entra.issuer(pathTenant.id),
        app_displayname: entra.app.displayName,
        appid: entra.app.clientId,
        appidacr: "1",
        idtyp: "app",
        oid: servicePrincipalId(pathTenant.id, entra.app.clientId),
        roles: pathTenant.consent.permissions ?? entra.app.applicationPermissions,
        sub: servicePrincipalId(pathTenant.id, entra.app.clientId),
        tid: pathTenant.id,
        ver: "1.0",
        xms_cg: pathTenant.consent.generation,
      },
      3599,
    );
    return {
      status: 200,
      body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken },
    };
  }

  if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    return onBehalfOf(entra, pathTenant, form, correlationId);
  }
  return entraError(
    400,
    "unsupported_grant_type",
    70003,
    `The app requested an unsupported grant type '${grant}'.`,
    correlationId,
  );
}

function consentError(
  entra: Entra,
  tenant: TenantState,
  correlationId: string | undefined,
): EntraError | undefined {
  if (tenant.consent.granted) return undefined;
  return entraError(
    400,
    "invalid_grant",
    65001,
    `The user or administrator has not consented to use the application with ID '${entra.app.clientId}' named '${entra.app.displayName}'. Send an interactive authorization request for this user and resource.`,
    correlationId,
  );
}

async function onBehalfOf(
  entra: Entra,
  pathTenant: TenantState | undefined,
  form: URLSearchParams,
  correlationId: string | undefined,
): Promise<TokenResult | EntraError> {
  const assertion = form.get("assertion");
  if (!assertion)
    return entraError(
      400,
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'assertion'.",
      correlationId,
    );
  if (form.get("requested_token_use") !== "on_behalf_of") {
    return entraError(
      400,
      "invalid_request",
      50027,
      "The requested_token_use parameter must be 'on_behalf_of'.",
      correlationId,
    );
  }
  let payload: Record<string, unknown>;
  try {
    const verified = await jwtVerify(assertion, entra.publicKey, {
      algorithms: ["RS256"],
      currentDate: new Date(entra.state.clock.now()),
    });
    payload = verified.payload as Record<string, unknown>;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      return entraError(
        400,
        "invalid_grant",
        500133,
        "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.",
        correlationId,
      );
    }
    return entraError(
      400,
      "invalid_grant",
      50013,
      `Assertion failed signature validation. [Reason - ${error instanceof Error ? error.message : String(error)}]`,
      correlationId,
    );
  }
  const tid = String(payload.tid ?? "");
  const tenant = entra.resolveTenant(tid);
  if (!tenant || payload.iss !== entra.issuer(tenant.id)) {
    return entraError(
      400,
      "invalid_grant",
      50013,
      "Assertion failed signature validation. [Reason - The issuer of the assertion is not a known tenant.]",
      correlationId,
    );
  }
  if (pathTenant && pathTenant.id !== tenant.id) {
    return entraError(
      400,
      "invalid_grant",
      50013,
      `Assertion failed signature validation. [Reason - The assertion was issued by tenant '${tenant.id}', not '${pathTenant.id}'.]`,
      correlationId,
    );
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud.map(String) : [String(payload.aud ?? "")];
  const appAudience = audiences.some(
    (a) => a === entra.app.clientId || (a.startsWith("api://") && a.endsWith(`/${entra.app.clientId}`)),
  );
  if (!appAudience) {
    return entraError(
      400,
      "invalid_grant",
      50013,
      "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '" +
        audiences.join(",") +
        "' and the expected audience is '" +
        entra.app.clientId +
        "' or one of the Application Id URIs of this application.",
      correlationId,
    );
  }
  const user = tenant.users.get(String(payload.oid ?? ""));
  if (user?.kind !== "user") {
    return entraError(
      400,
      "invalid_grant",
      50034,
      "The user account does not exist in the directory.",
      correlationId,
    );
  }
  if (!user.accountEnabled) {
    return entraError(400, "invalid_grant", 50057, "The user account is disabled.", correlationId);
  }
  const consent = consentError(entra, tenant, correlationId);
  if (consent) return consent;
  const requested = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
  const graphScopes = requested.filter((s) => !["openid", "profile", "offline_access", "email"].includes(s));
  const unknown = graphScopes.filter((s) => {
    const name = s.replace(/^https:\/\/graph\.microsoft\.com\//, "");
    return (
      name !== ".default" &&
      !entra.app.delegatedPermissions.some((p) => p.toLowerCase() === name.toLowerCase())
    );
  });
  if (unknown.length > 0) {
    return entraError(
      400,
      "invalid_grant",
      65001,
      `The user or administrator has not consented to use the application with ID '${entra.app.clientId}' named '${entra.app.displayName}' for the scopes '${unknown.join(" ")}'.`,
      correlationId,
    );
  }
  const scp = entra.app.delegatedPermissions
    .filter((p) => !["openid", "profile", "offline_access"].includes(p))
    .join(" ");
  const accessToken = await entra.sign(delegatedClaims(entra, tenant, user, scp), 4199);
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: scp
      .split(" ")
      .map((s) => `${GRAPH_RESOURCE}/${s}`)
      .join(" "),
    expires_in: 4199,
    ext_expires_in: 4199,
    access_token: accessToken,
  };
  if (requested.includes("openid") || requested.includes("profile")) {
    body.id_token = await entra.sign(
      {
        aud: entra.app.clientId,
        iss: entra.issuer(tenant.id),
        name: user.displayName,
        oid: user.id,
        preferred_username: user.userPrincipalName,
        sub: user.id,
        tid: tenant.id,
        ver: "2.0",
      },
      3600,
    );
  }
  if (form.get("client_info") === "1") {
    body.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: tenant.id })).toString("base64url");
  }
  return { status: 200, body };
}
