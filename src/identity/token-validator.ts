/**
 * Validates Teams SSO and Outlook add-in tokens (Entra v2 access tokens for Quorum's API): signature
 * against the token tenant's JWKS (cached, refetched on an unknown `kid`), issuer for the token's `tid`,
 * audience (client id or an `api://.../<clientId>` app id URI), expiry with a small clock skew, and the
 * `access_as_user` scope. Each failed check has its own error code; tokens are never logged.
 */
import { createHash } from "node:crypto";
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from "jose";
import type { Clock } from "../core/clock.ts";
import { DomainError } from "../core/errors.ts";
import { type FetchLike, jwksUri, type M365Endpoints, v1Issuer, v2Issuer } from "./endpoints.ts";

export interface ValidatedUser {
  readonly tenantId: string;
  /** Entra object id (`oid`). */
  readonly userId: string;
  readonly upn: string;
  readonly displayName: string;
  readonly scopes: readonly string[];
}

export interface TokenValidator {
  /** Resolves with the user, or rejects with a 401 DomainError whose code names the failed check. */
  validate(token: string): Promise<ValidatedUser>;
}

export interface TokenValidatorOptions {
  endpoints: M365Endpoints;
  clientId: string;
  clock: Clock;
  fetch: FetchLike;
  /** Accepted clock difference for `exp`/`nbf`, seconds. */
  clockSkewSeconds?: number;
  /** Most tenants whose key sets are kept; the least recently used is dropped beyond it. */
  maxTenants?: number;
  /** Least time between two key-set fetches of a tenant (an unknown `kid` refetches after it). */
  jwksCooldownMs?: number;
  /** Most validated tokens remembered (by SHA-256) until they expire, so a token is verified once. */
  maxCachedTokens?: number;
}

const REQUIRED_SCOPE = "access_as_user";
const TENANT_ID = /^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/;

export function createTokenValidator(options: TokenValidatorOptions): TokenValidator {
  const { endpoints, clientId, clock } = options;
  const skew = options.clockSkewSeconds ?? 120;
  const maxTenants = options.maxTenants ?? 1000;
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  const maxCached = options.maxCachedTokens ?? 10_000;
  /** SHA-256 of a validated token -> its user and expiry (epoch ms). Only successes are remembered. */
  const validated = new Map<string, { user: ValidatedUser; expiresAt: number }>();
  const appIdUri = new RegExp(`^api://([^/]+/)?${clientId.replace(/[-]/g, "\\-")}$`, "i");

  const keySetFor = (tenantId: string) => {
    let set = keySets.get(tenantId);
    if (set) {
      keySets.delete(tenantId);
      keySets.set(tenantId, set);
      return set;
    }
    set = createRemoteJWKSet(new URL(jwksUri(endpoints, tenantId)), {
      timeoutDuration: 10_000,
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: 24 * 3600_000,
      [customFetch]: (url, init) => options.fetch(url, init as RequestInit),
    });
    keySets.set(tenantId, set);
    if (keySets.size > maxTenants) {
      const oldest = keySets.keys().next().value;
      if (oldest !== undefined) keySets.delete(oldest);
    }
    return set;
  };

  const issuersFor = (tenantId: string): string[] =>
    endpoints.mode === "microsoft"
      ? [v2Issuer(endpoints, tenantId), v1Issuer(tenantId)]
      : [v2Issuer(endpoints, tenantId)];

  const verify = async (token: string): Promise<{ user: ValidatedUser; expiresAt: number }> => {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (error) {
      throw new DomainError("TOKEN_INVALID", "The sign-in token is not a well-formed JWT.", {
        cause: error,
      });
    }
    if (header.alg !== "RS256" || token.split(".")[2] === "") {
      throw new DomainError("TOKEN_SIGNATURE_INVALID", "The sign-in token is not signed with RS256.");
    }
    const tid = unverified.tid;
    if (typeof tid !== "string" || !TENANT_ID.test(tid)) {
      throw new DomainError("TOKEN_INVALID", "The sign-in token has no valid tenant (tid) claim.");
    }
    const issuers = issuersFor(tid);
    if (typeof unverified.iss !== "string" || !issuers.includes(unverified.iss)) {
      throw new DomainError("TOKEN_ISSUER_INVALID");
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySetFor(tid), {
        algorithms: ["RS256"],
        issuer: issuers,
        clockTolerance: skew,
        currentDate: new Date(clock.now()),
        requiredClaims: ["exp", "iss", "aud", "tid", "oid"],
      }));
    } catch (error) {
      throw mapJoseError(error);
    }

    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.some((a) => a === clientId || (typeof a === "string" && appIdUri.test(a)))) {
      throw new DomainError("TOKEN_AUDIENCE_INVALID");
    }
    const scopes = typeof payload.scp === "string" ? payload.scp.split(" ").filter(Boolean) : [];
    if (!scopes.includes(REQUIRED_SCOPE)) throw new DomainError("TOKEN_SCOPE_MISSING");

    const oid = payload.oid;
    if (typeof oid !== "string" || oid === "") {
      throw new DomainError("TOKEN_INVALID", "The sign-in token has no object id (oid) claim.");
    }
    const upn =
      (typeof payload.preferred_username === "string" && payload.preferred_username) ||
      (typeof payload.upn === "string" && payload.upn) ||
      "";
    const displayName = (typeof payload.name === "string" && payload.name) || upn;
    return {
      user: { tenantId: tid, userId: oid, upn, displayName, scopes },
      expiresAt: (payload.exp ?? 0) * 1000 + skew * 1000,
    };
  };

  return {
    async validate(token) {
      const key = createHash("sha256").update(token).digest("base64url");
      const hit = validated.get(key);
      if (hit) {
        if (hit.expiresAt > clock.now()) return hit.user;
        validated.delete(key);
        throw new DomainError("TOKEN_EXPIRED");
      }
      const result = await verify(token);
      validated.set(key, result);
      if (validated.size > maxCached) {
        const oldest = validated.keys().next().value;
        if (oldest !== undefined) validated.delete(oldest);
      }
      return result.user;
    },
  };
}

function mapJoseError(error: unknown): DomainError {
  if (error instanceof joseErrors.JWTExpired)
    return new DomainError("TOKEN_EXPIRED", undefined, { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return new DomainError("TOKEN_ISSUER_INVALID", undefined, { cause: error });
    if (error.claim === "aud") return new DomainError("TOKEN_AUDIENCE_INVALID", undefined, { cause: error });
    return new DomainError("TOKEN_INVALID", `The sign-in token's ${error.claim} claim is not valid.`, {
      cause: error,
    });
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JOSEAlgNotAllowed ||
    error instanceof joseErrors.JWKSMultipleMatchingKeys
  ) {
    return new DomainError("TOKEN_SIGNATURE_INVALID", undefined, { cause: error });
  }
  if (error instanceof joseErrors.JWKSTimeout) {
    return new DomainError("GRAPH_UNAVAILABLE", "The sign-in service's keys could not be fetched.", {
      cause: error,
    });
  }
  if (error instanceof joseErrors.JWKSInvalid) {
    return new DomainError("TOKEN_ISSUER_INVALID", "The token's tenant publishes no signing keys.", {
      cause: error,
    });
  }
  if (error instanceof joseErrors.JOSEError)
    return new DomainError("TOKEN_INVALID", undefined, { cause: error });
  return new DomainError("GRAPH_UNAVAILABLE", "The sign-in service's keys could not be fetched.", {
    cause: error,
  });
}
