/**
 * Validates Teams SSO and Outlook add-in tokens (Entra v2 access tokens for Quorum's API): issuer for the
 * token's `tid`, audience (the client id, or exactly the app id URI `api://<public host>/<clientId>`), the
 * client application that asked for the token (`azp`, `appid` in v1 tokens: Teams and Outlook only), the
 * `access_as_user` scope, then the signature against the token tenant's key set and expiry with a small clock
 * skew. Each failed check has its own error code; tokens are never logged.
 *
 * Key sets are fetched at most once per tenant per cooldown: a tenant whose fetch failed, or whose key set has
 * no key with the token's `kid`, is answered from memory until the cooldown passes, and all tenants together
 * share a budget of fetches per minute, so forged tokens naming many tenants cannot fan out into fetches.
 */
import { createHash } from "node:crypto";
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
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
  /**
   * Template ids of the user's Entra directory roles (`wids`); present when the app registration's
   * groupMembershipClaims includes DirectoryRole (or All), empty otherwise.
   */
  readonly directoryRoleIds: readonly string[];
}

export interface TokenValidator {
  /** Resolves with the user, or rejects with a 401 DomainError whose code names the failed check. */
  validate(token: string): Promise<ValidatedUser>;
}

export interface TokenValidatorOptions {
  endpoints: M365Endpoints;
  clientId: string;
  /**
   * The application id URI accepted as audience besides the client id, `api://<public host>/<clientId>`.
   * Read at each validation: the public URL is known once the service listens.
   */
  appIdUri?: () => string | undefined;
  /** Client applications (`azp`, or `appid` in v1 tokens) whose tokens are accepted: Teams and Outlook. */
  clientAppIds: readonly string[];
  clock: Clock;
  fetch: FetchLike;
  /** Accepted clock difference for `exp`/`nbf`, seconds. */
  clockSkewSeconds?: number;
  /** Most tenants whose key sets are kept; the least recently used is dropped beyond it. */
  maxTenants?: number;
  /**
   * Least time between two key-set fetches of a tenant: an unknown `kid`, or a tenant whose fetch failed,
   * is not fetched again before it passes.
   */
  jwksCooldownMs?: number;
  /** Most key-set fetches in any minute, all tenants together. */
  maxKeyFetchesPerMinute?: number;
  /** Most validated tokens remembered (by SHA-256) until they expire, so a token is verified once. */
  maxCachedTokens?: number;
}

const REQUIRED_SCOPE = "access_as_user";
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Key sets are refreshed after a day even when every `kid` is known. */
const KEY_SET_MAX_AGE_MS = 24 * 3600_000;
const KEY_FETCH_TIMEOUT_MS = 10_000;
const MINUTE_MS = 60_000;

type KeyResolver = ReturnType<typeof createLocalJWKSet>;

interface TenantKeys {
  readonly keys: KeyResolver;
  readonly kids: ReadonlySet<string>;
  /** When the tenant's key set was last fetched (successfully or not). */
  fetchedAt: number;
}

export function createTokenValidator(options: TokenValidatorOptions): TokenValidator {
  const { endpoints, clientId, clock } = options;
  const skew = options.clockSkewSeconds ?? 120;
  const maxTenants = options.maxTenants ?? 1000;
  const cooldownMs = options.jwksCooldownMs ?? 30_000;
  const maxFetchesPerMinute = options.maxKeyFetchesPerMinute ?? 60;
  const clientApps = new Set(options.clientAppIds.map((id) => id.toLowerCase()));
  const maxCached = options.maxCachedTokens ?? 10_000;
  /** SHA-256 of a validated token -> its user and expiry (epoch ms). Only successes are remembered. */
  const validated = new Map<string, { user: ValidatedUser; expiresAt: number }>();
  /** Tenants with a key set, least recently used first. */
  const known = new Map<string, TenantKeys>();
  /** Tenants whose last key-set fetch failed: when, and the error their tokens get until the cooldown passes. */
  const failed = new Map<string, { at: number; error: DomainError }>();
  /** One fetch per tenant at a time; concurrent tokens of the tenant wait for it. */
  const inflight = new Map<string, Promise<void>>();
  /** Times of the key-set fetches of the last minute. */
  const recentFetches: number[] = [];

  const touch = <V>(map: Map<string, V>, key: string, value: V, max: number) => {
    map.delete(key);
    map.set(key, value);
    if (map.size > max) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  };

  const takeFetchBudget = (now: number): boolean => {
    while (recentFetches.length > 0 && (recentFetches[0] ?? 0) <= now - MINUTE_MS) recentFetches.shift();
    if (recentFetches.length >= maxFetchesPerMinute) return false;
    recentFetches.push(now);
    return true;
  };

  const fetchKeySet = async (tenantId: string): Promise<void> => {
    const fail = (error: DomainError) => {
      touch(failed, tenantId, { at: clock.now(), error }, maxTenants * 10);
      const stale = known.get(tenantId);
      if (stale) stale.fetchedAt = clock.now();
    };
    let jwks: JSONWebKeySet;
    try {
      const response = await options.fetch(jwksUri(endpoints, tenantId), {
        signal: AbortSignal.timeout(KEY_FETCH_TIMEOUT_MS),
      });
      if (!response.ok) {
        await response.body?.cancel();
        fail(
          response.status >= 500
            ? new DomainError("GRAPH_UNAVAILABLE", "The sign-in service's keys could not be fetched.", {
                details: { status: response.status },
              })
            : new DomainError("TOKEN_ISSUER_INVALID", "The token's tenant publishes no signing keys.", {
                details: { status: response.status },
              }),
        );
        return;
      }
      jwks = (await response.json()) as JSONWebKeySet;
    } catch (error) {
      fail(
        new DomainError("GRAPH_UNAVAILABLE", "The sign-in service's keys could not be fetched.", {
          cause: error,
        }),
      );
      return;
    }
    let keys: KeyResolver;
    try {
      keys = createLocalJWKSet(jwks);
    } catch (error) {
      fail(
        new DomainError("TOKEN_ISSUER_INVALID", "The token's tenant publishes no signing keys.", {
          cause: error,
        }),
      );
      return;
    }
    const kids = new Set(jwks.keys.map((k) => k.kid).filter((kid): kid is string => typeof kid === "string"));
    failed.delete(tenantId);
    touch(known, tenantId, { keys, kids, fetchedAt: clock.now() }, maxTenants);
  };

  const noSuchKey = () =>
    new DomainError(
      "TOKEN_SIGNATURE_INVALID",
      "The sign-in token's signing key is not one its tenant publishes.",
    );

  /** The tenant's keys when they hold `kid`; fetches the key set only when the cooldown and the budget allow. */
  const keysFor = async (tenantId: string, kid: string): Promise<KeyResolver> => {
    const now = clock.now();
    const entry = known.get(tenantId);
    if (entry) touch(known, tenantId, entry, maxTenants);
    const holdsKid = entry?.kids.has(kid) ?? false;
    if (entry && holdsKid && now - entry.fetchedAt < KEY_SET_MAX_AGE_MS) return entry.keys;

    const failure = failed.get(tenantId);
    const coolingDown =
      (failure !== undefined && now - failure.at < cooldownMs) ||
      (entry !== undefined && now - entry.fetchedAt < cooldownMs);
    if (coolingDown) {
      if (entry && holdsKid) return entry.keys;
      throw failure && now - failure.at < cooldownMs ? failure.error : noSuchKey();
    }

    let pending = inflight.get(tenantId);
    if (!pending) {
      if (!takeFetchBudget(now)) {
        if (entry && holdsKid) return entry.keys;
        throw new DomainError(
          "GRAPH_UNAVAILABLE",
          "The sign-in service's keys cannot be fetched right now. Try again in a minute.",
        );
      }
      pending = fetchKeySet(tenantId).finally(() => inflight.delete(tenantId));
      inflight.set(tenantId, pending);
    }
    await pending;
    const fetched = known.get(tenantId);
    if (fetched?.kids.has(kid)) return fetched.keys;
    throw failed.get(tenantId)?.error ?? noSuchKey();
  };

  const issuersFor = (tenantId: string): string[] =>
    endpoints.mode === "microsoft"
      ? [v2Issuer(endpoints, tenantId), v1Issuer(tenantId)]
      : [v2Issuer(endpoints, tenantId)];

  const audienceAccepted = (aud: unknown): boolean => {
    const accepted = [clientId, options.appIdUri?.()]
      .filter((a): a is string => a !== undefined)
      .map((a) => a.toLowerCase());
    const audiences = Array.isArray(aud) ? aud : [aud];
    return audiences.some((a) => typeof a === "string" && accepted.includes(a.toLowerCase()));
  };

  const verify = async (token: string): Promise<{ user: ValidatedUser; expiresAt: number }> => {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch (error) {
      throw new DomainError("TOKEN_INVALID", "The sign-in token is not a well-formed JWT.", {
        cause: error,
      });
    }
    if (header.alg !== "RS256" || token.split(".")[2] === "" || typeof header.kid !== "string") {
      throw new DomainError("TOKEN_SIGNATURE_INVALID", "The sign-in token is not signed with RS256.");
    }
    const tid = claims.tid;
    if (typeof tid !== "string" || !TENANT_ID.test(tid)) {
      throw new DomainError("TOKEN_INVALID", "The sign-in token has no valid tenant (tid) claim.");
    }
    const issuers = issuersFor(tid);
    if (typeof claims.iss !== "string" || !issuers.includes(claims.iss)) {
      throw new DomainError("TOKEN_ISSUER_INVALID");
    }
    // The claims below are checked before the signature so that a token Quorum would refuse anyway never
    // costs a key-set fetch; the signature then covers exactly these claims.
    if (!audienceAccepted(claims.aud)) throw new DomainError("TOKEN_AUDIENCE_INVALID");
    const clientApp = typeof claims.azp === "string" ? claims.azp : claims.appid;
    if (typeof clientApp !== "string" || !clientApps.has(clientApp.toLowerCase())) {
      throw new DomainError("TOKEN_CLIENT_APP_INVALID");
    }
    const scopes = typeof claims.scp === "string" ? claims.scp.split(" ").filter(Boolean) : [];
    if (!scopes.includes(REQUIRED_SCOPE)) throw new DomainError("TOKEN_SCOPE_MISSING");

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await keysFor(tid, header.kid), {
        algorithms: ["RS256"],
        issuer: issuers,
        clockTolerance: skew,
        currentDate: new Date(clock.now()),
        requiredClaims: ["exp", "iss", "aud", "tid", "oid"],
      }));
    } catch (error) {
      throw mapJoseError(error);
    }

    const oid = payload.oid;
    if (typeof oid !== "string" || oid === "") {
      throw new DomainError("TOKEN_INVALID", "The sign-in token has no object id (oid) claim.");
    }
    const upn =
      (typeof payload.preferred_username === "string" && payload.preferred_username) ||
      (typeof payload.upn === "string" && payload.upn) ||
      "";
    const displayName = (typeof payload.name === "string" && payload.name) || upn;
    const directoryRoleIds = Array.isArray(payload.wids)
      ? payload.wids.filter((id): id is string => typeof id === "string").map((id) => id.toLowerCase())
      : [];
    return {
      user: { tenantId: tid, userId: oid, upn, displayName, scopes, directoryRoleIds },
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
  if (error instanceof DomainError) return error;
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
  if (error instanceof joseErrors.JOSEError)
    return new DomainError("TOKEN_INVALID", undefined, { cause: error });
  return new DomainError("INTERNAL", "The sign-in token could not be verified.", { cause: error });
}
