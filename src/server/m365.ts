/**
 * Wires identity and the Graph gateway for one deployment: endpoints (Entra + Graph, or the emulator),
 * keep-alive connection pools trusting the configured CA, token validation, tenants, msal-node tokens,
 * admin consent and the Graph gateway.
 */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Clock } from "../core/clock.ts";
import { createGraphGateway, type GraphGateway } from "../graph/gateway.ts";
import { type ConsentService, createConsentService } from "../identity/consent.ts";
import { createDispatcher, fetchThrough, type M365Endpoints } from "../identity/endpoints.ts";
import { createSecrets } from "../identity/secrets.ts";
import { createTenantStore, type TenantStore } from "../identity/tenants.ts";
import { createTokenValidator, type TokenValidator } from "../identity/token-validator.ts";
import { createTokenProvider, type TokenProvider } from "../identity/tokens.ts";
import type { Database } from "../store/db.ts";
import type { ReadinessCheck } from "./http/app.ts";

export interface M365 {
  readonly endpoints: M365Endpoints;
  readonly clock: Clock;
  /** /readyz probe: the login authority publishes its metadata (through the trusted connection pools). */
  readonly readiness: ReadinessCheck;
  readonly validator: TokenValidator;
  readonly tenants: TenantStore;
  readonly tokens: TokenProvider;
  readonly consent: ConsentService;
  readonly graph: GraphGateway;
  readonly clientId: string;
  close(): Promise<void>;
}

/** Endpoints from config; in emulator mode from the running emulator. */
export function endpointsFromConfig(
  config: Config,
  emulator?: { authorityHost: string; graphBaseUrl: string; caCertPem: string },
): M365Endpoints {
  if (config.m365.mode === "emulator") {
    if (!emulator) throw new Error("emulator mode needs a running emulator");
    return {
      mode: "emulator",
      authorityHost: emulator.authorityHost.replace(/\/$/, ""),
      graphBaseUrl: emulator.graphBaseUrl.replace(/\/$/, ""),
      caCertPem: emulator.caCertPem,
    };
  }
  return {
    mode: "microsoft",
    authorityHost: config.m365.authorityHost,
    graphBaseUrl: config.m365.graphBaseUrl,
  };
}

export function createM365(deps: {
  config: Config;
  endpoints: M365Endpoints;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** The service's public base URL; known once it listens. */
  publicUrl: () => string;
  /** Called once when a consented tenant turns `reconnect_needed` (owners are told in Teams). */
  onConsentLost: (tenantId: string, explanation: string) => Promise<void>;
  /** Where browsers are sent for Entra's consent page, when not the authority itself (emulator mode). */
  browserAuthority?: () => string;
}): M365 {
  const { config, endpoints, database, clock, logger } = deps;
  const dispatcher = createDispatcher(endpoints);
  const fetch = fetchThrough(dispatcher);
  const secrets = createSecrets(config.secretKey);
  const tenants = createTenantStore(database, clock);
  const validator = createTokenValidator({
    endpoints,
    clientId: config.m365.clientId,
    // The app id URI registered in Entra and named in the Teams and add-in manifests: api://<public host>/<client id>.
    appIdUri: () => {
      const url = deps.publicUrl();
      return url ? `api://${new URL(url).host}/${config.m365.clientId}` : undefined;
    },
    clientAppIds: config.m365.ssoClientAppIds,
    clock,
    fetch,
  });
  const tokens = createTokenProvider({
    endpoints,
    clientId: config.m365.clientId,
    clientSecret: config.m365.clientSecret,
    database,
    secrets,
    fetch,
    clock,
    logger: logger.child({ component: "tokens" }),
    onConsentLost: async (tenantId, failure) => {
      const changed = await tenants.markReconnectNeeded(tenantId, failure.code, failure.explanation);
      if (changed) {
        await deps.onConsentLost(tenantId, failure.explanation).catch((error: unknown) => {
          logger.warn({ err: error, tenantId }, "owners could not be told that consent was lost");
        });
      }
    },
  });
  const consent = createConsentService({
    database,
    secrets,
    tokens,
    tenants,
    endpoints,
    clientId: config.m365.clientId,
    clock,
    publicUrl: deps.publicUrl,
    ...(deps.browserAuthority ? { browserAuthority: deps.browserAuthority } : {}),
  });
  const graph = createGraphGateway({ endpoints, tokens, logger, dispatcher });
  return {
    endpoints,
    clock,
    readiness: {
      name: "entra",
      info: () => ({
        mode: endpoints.mode,
        authorityHost: endpoints.authorityHost,
        graphBaseUrl: endpoints.graphBaseUrl,
      }),
      async check() {
        const res = await fetch(
          `${endpoints.authorityHost}/organizations/v2.0/.well-known/openid-configuration`,
          {
            signal: AbortSignal.timeout(5000),
          },
        );
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`the login authority answered ${res.status}`);
      },
    },
    validator,
    tenants,
    tokens,
    consent,
    graph,
    clientId: config.m365.clientId,
    async close() {
      await graph.close();
      await dispatcher.close();
    },
  };
}
