/**
 * Graph access tokens through @azure/msal-node: app-only (client credentials) per consented tenant and
 * on-behalf-of per user. One ConfidentialClientApplication per tenant; its token cache is persisted in
 * the `token_cache` table, AES-256-GCM-encrypted with a key derived from SECRET_KEY.
 *
 * The authority's metadata is fetched by us (through the dispatcher that trusts the configured CA) and
 * handed to msal-node together with cloud discovery metadata, so the same code runs against Entra and
 * the local emulator with only URLs and credentials differing.
 *
 * A failed acquisition caused by the tenant (consent revoked, app removed, secret expired) becomes a
 * `ConsentLostError`-carrying RECONNECT_NEEDED DomainError, reported once to `onConsentLost`; later
 * calls for that tenant fail fast without contacting Entra until `appOnly(tenantId, {force: true})`
 * succeeds (re-consent or "Test connection"), or at most once per FAILURE_RECHECK_MS (a reconnect done
 * through another replica is noticed) — never in a loop.
 */
import {
  type AuthenticationResult,
  ConfidentialClientApplication,
  type ICachePlugin,
  type INetworkModule,
  LogLevel,
  type NetworkResponse,
  ServerError,
  type TokenCacheContext,
} from "@azure/msal-node";
import type { Logger } from "pino";
import type { Clock } from "../core/clock.ts";
import { DomainError } from "../core/errors.ts";
import type { Database } from "../store/db.ts";
import { readTokenCache, writeTokenCache } from "../store/token-cache.ts";
import type { FetchLike, M365Endpoints } from "./endpoints.ts";
import type { Secrets } from "./secrets.ts";

export const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";

export interface AccessToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly tenantId: string;
}

export interface TokenProvider {
  /** App-only Graph token for a tenant. `force` skips every cache and the reconnect-needed fast fail. */
  appOnly(tenantId: string, options?: { force?: boolean }): Promise<AccessToken>;
  /** Delegated Graph token on behalf of the user whose SSO token is `userAssertion`. */
  onBehalfOf(
    tenantId: string,
    userAssertion: string,
    scopes?: string[],
    options?: { force?: boolean },
  ): Promise<AccessToken>;
  /** Forgets the in-memory app-only token of a tenant (e.g. after Graph answered 401). */
  invalidate(tenantId: string): void;
  /** The reconnect-needed error a tenant is currently failing fast with, if any. */
  failure(tenantId: string): ConsentFailure | undefined;
}

export interface ConsentFailure {
  /** AADSTS code (e.g. AADSTS65001) or the OAuth error code when Entra gave none. */
  readonly code: string;
  readonly explanation: string;
}

export interface TokenProviderOptions {
  endpoints: M365Endpoints;
  clientId: string;
  clientSecret: string;
  database: Database;
  secrets: Secrets;
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  /** Told once per tenant when token acquisition starts failing because of the tenant's consent or app. */
  onConsentLost?: (tenantId: string, failure: ConsentFailure) => Promise<void>;
}

const EXPLANATIONS: Record<string, string> = {
  AADSTS65001:
    "Admin consent for Quorum is missing or was revoked in this tenant. A Global Administrator must reconnect Quorum (grant admin consent again).",
  AADSTS650051:
    "Admin consent for Quorum could not be completed. A Global Administrator must reconnect Quorum.",
  AADSTS700016:
    "Quorum's app is not registered in this tenant (its enterprise application was deleted). A Global Administrator must reconnect Quorum.",
  AADSTS7000112:
    "Quorum's enterprise application is disabled in this tenant. Enable it in Entra admin center > Enterprise applications > Quorum > Properties.",
  AADSTS7000215:
    "Quorum's client secret is not valid. The Quorum operator must configure the current secret.",
  AADSTS7000222:
    "Quorum's client secret has expired. The Quorum operator must create and configure a new secret.",
  AADSTS90002: "The tenant was not found. It may have been deleted or the tenant id is wrong.",
  AADSTS90072: "The tenant was not found. It may have been deleted or the tenant id is wrong.",
  AADSTS500011: "Microsoft Graph is not available in this tenant.",
  AADSTS53003:
    "A Conditional Access policy blocked Quorum's access. Review Conditional Access for the Quorum app.",
  AADSTS700082: "The sign-in expired after 90 days of inactivity. Sign in again.",
  AADSTS50173: "The sign-in was revoked (password changed or sessions revoked). Sign in again.",
};

/** A human explanation of an Entra error code, for admins. */
export function explainEntraError(code: string, description?: string): string {
  return (
    EXPLANATIONS[code] ??
    `Microsoft Entra refused Quorum's token request (${code}${description ? `: ${firstLine(description)}` : ""}). A Global Administrator should reconnect Quorum.`
  );
}

/** How long a tenant whose token failed is answered from memory before Entra is asked again. */
export const FAILURE_RECHECK_MS = 5 * 60_000;

const firstLine = (s: string) => s.split(/\r?\n/)[0]!.slice(0, 300);

/** OAuth errors from the token endpoint that are about the tenant/app, not transient. */
const CONSENT_ERRORS = new Set([
  "invalid_client",
  "unauthorized_client",
  "invalid_grant",
  "invalid_request",
  "consent_required",
  "interaction_required",
  "access_denied",
  "invalid_resource",
]);

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { endpoints, clientId, clientSecret, database, secrets, clock, logger } = options;
  const apps = new Map<string, Promise<ConfidentialClientApplication>>();
  const appTokens = new Map<string, AccessToken>();
  const inflight = new Map<string, Promise<AccessToken>>();
  /** Tenants failing fast, with when they failed: retried once per FAILURE_RECHECK_MS (another replica may have reconnected them). */
  const failures = new Map<string, ConsentFailure & { at: number }>();
  const authorityHost = new URL(endpoints.authorityHost).host;

  const network: INetworkModule = {
    async sendGetRequestAsync<T>(url: string, opts?: { headers?: Record<string, string> }, timeout?: number) {
      const response = await options.fetch(url, {
        method: "GET",
        headers: opts?.headers ?? {},
        signal: AbortSignal.timeout(timeout ?? 15_000),
      });
      return toNetworkResponse<T>(response);
    },
    async sendPostRequestAsync<T>(url: string, opts?: { headers?: Record<string, string>; body?: string }) {
      const response = await options.fetch(url, {
        method: "POST",
        headers: opts?.headers ?? {},
        body: opts?.body ?? "",
        signal: AbortSignal.timeout(15_000),
      });
      return toNetworkResponse<T>(response);
    },
  };

  const cachePlugin = (tenantId: string): ICachePlugin => {
    let loaded = false;
    const partition = "msal";
    const context = `${tenantId}/${partition}`;
    return {
      async beforeCacheAccess(ctx: TokenCacheContext) {
        if (loaded) return;
        const ciphertext = await readTokenCache(database.db, tenantId, partition);
        if (ciphertext !== undefined) {
          try {
            ctx.tokenCache.deserialize(secrets.decrypt(ciphertext, context));
          } catch (error) {
            // A cache written under another SECRET_KEY cannot be read: start empty and overwrite it.
            logger.warn({ tenantId, err: error }, "token cache could not be decrypted; starting empty");
          }
        }
        loaded = true;
      },
      async afterCacheAccess(ctx: TokenCacheContext) {
        if (!ctx.cacheHasChanged) return;
        const ciphertext = secrets.encrypt(ctx.tokenCache.serialize(), context);
        await writeTokenCache(database.db, tenantId, partition, ciphertext, new Date(clock.now()));
      },
    };
  };

  const createApp = async (tenantId: string): Promise<ConfidentialClientApplication> => {
    const authority = `${endpoints.authorityHost}/${tenantId}`;
    const metadataUrl = `${authority}/v2.0/.well-known/openid-configuration`;
    const response = await options.fetch(metadataUrl, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) {
      throw new DomainError(
        "GRAPH_UNAVAILABLE",
        `The sign-in authority answered ${response.status} for its metadata.`,
      );
    }
    const authorityMetadata = await response.text();
    return new ConfidentialClientApplication({
      auth: {
        clientId,
        clientSecret,
        authority,
        knownAuthorities: [authorityHost],
        authorityMetadata,
        cloudDiscoveryMetadata: JSON.stringify({
          tenant_discovery_endpoint: metadataUrl,
          "api-version": "1.1",
          metadata: [
            { preferred_network: authorityHost, preferred_cache: authorityHost, aliases: [authorityHost] },
          ],
        }),
      },
      cache: { cachePlugin: cachePlugin(tenantId) },
      system: {
        networkClient: network,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message) => {
            if (level <= LogLevel.Error) logger.warn({ tenantId }, `msal: ${message}`);
          },
        },
      },
    });
  };

  const appFor = (tenantId: string) => {
    let app = apps.get(tenantId);
    if (!app) {
      app = createApp(tenantId);
      apps.set(tenantId, app);
      app.catch(() => apps.delete(tenantId));
    }
    return app;
  };

  const fail = async (tenantId: string, error: unknown): Promise<never> => {
    const failure = consentFailureOf(error);
    if (!failure) {
      throw new DomainError("GRAPH_UNAVAILABLE", "Microsoft Entra could not be reached for a token.", {
        cause: error,
      });
    }
    const known = failures.get(tenantId);
    failures.set(tenantId, { ...failure, at: clock.now() });
    appTokens.delete(tenantId);
    if (!known || known.code !== failure.code) {
      logger.warn({ tenantId, code: failure.code }, "token acquisition failed: tenant needs reconnecting");
      await options.onConsentLost?.(tenantId, failure);
    }
    throw new DomainError("RECONNECT_NEEDED", undefined, {
      cause: error,
      details: { errorCode: failure.code, explanation: failure.explanation },
    });
  };

  const acquireAppOnly = async (tenantId: string, force: boolean): Promise<AccessToken> => {
    let result: AuthenticationResult | null;
    try {
      const app = await appFor(tenantId);
      result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE], skipCache: force });
    } catch (error) {
      return fail(tenantId, error);
    }
    if (!result?.accessToken) return fail(tenantId, new Error("Entra returned no access token"));
    failures.delete(tenantId);
    const token = {
      token: result.accessToken,
      expiresAt: result.expiresOn?.getTime() ?? clock.now() + 300_000,
      tenantId: result.tenantId || tenantId,
    };
    appTokens.set(tenantId, token);
    return token;
  };

  return {
    async appOnly(tenantId, opts = {}) {
      const force = opts.force === true;
      if (!force) {
        const known = failures.get(tenantId);
        if (known && clock.now() - known.at < FAILURE_RECHECK_MS) {
          throw new DomainError("RECONNECT_NEEDED", undefined, {
            details: { errorCode: known.code, explanation: known.explanation },
          });
        }
        const cached = appTokens.get(tenantId);
        if (cached && cached.expiresAt - 300_000 > clock.now()) return cached;
        const running = inflight.get(tenantId);
        if (running) return running;
      }
      const promise = acquireAppOnly(tenantId, force).finally(() => {
        if (inflight.get(tenantId) === promise) inflight.delete(tenantId);
      });
      if (!force) inflight.set(tenantId, promise);
      return promise;
    },

    async onBehalfOf(tenantId, userAssertion, scopes = [GRAPH_DEFAULT_SCOPE], opts = {}) {
      let result: AuthenticationResult | null;
      try {
        const app = await appFor(tenantId);
        result = await app.acquireTokenOnBehalfOf({
          oboAssertion: userAssertion,
          scopes,
          skipCache: opts.force === true,
        });
      } catch (error) {
        const failure = consentFailureOf(error);
        if (!failure) {
          throw new DomainError("GRAPH_UNAVAILABLE", "Microsoft Entra could not be reached for a token.", {
            cause: error,
          });
        }
        throw new DomainError("RECONNECT_NEEDED", failure.explanation, {
          cause: error,
          details: { errorCode: failure.code, explanation: failure.explanation },
        });
      }
      if (!result?.accessToken) throw new DomainError("GRAPH_UNAVAILABLE", "Entra returned no access token.");
      return {
        token: result.accessToken,
        expiresAt: result.expiresOn?.getTime() ?? clock.now() + 300_000,
        tenantId: result.tenantId || tenantId,
      };
    },

    invalidate(tenantId) {
      appTokens.delete(tenantId);
    },

    failure(tenantId) {
      const known = failures.get(tenantId);
      return known ? { code: known.code, explanation: known.explanation } : undefined;
    },
  };
}

async function toNetworkResponse<T>(response: Response): Promise<NetworkResponse<T>> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  const text = await response.text();
  let body: unknown = {};
  if (text) {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new Error(`The sign-in authority answered ${response.status} with a body that is not JSON`, {
        cause: error,
      });
    }
  }
  return { headers, body: body as T, status: response.status };
}

/** The tenant-caused failure in an msal error, or undefined for transient/network failures. */
export function consentFailureOf(error: unknown): ConsentFailure | undefined {
  if (!(error instanceof ServerError)) return undefined;
  if (error.status !== undefined && error.status >= 500) return undefined;
  const text = `${error.errorMessage ?? ""} ${error.message ?? ""}`;
  const aadsts = /AADSTS(\d+)/.exec(text);
  if (!aadsts && !CONSENT_ERRORS.has(error.errorCode)) return undefined;
  const code = aadsts ? `AADSTS${aadsts[1]}` : error.errorCode;
  const description = error.errorMessage?.replace(/^AADSTS\d+:\s*/, "");
  return { code, explanation: explainEntraError(code, description) };
}
