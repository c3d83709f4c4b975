/**
 * Where Microsoft 365 lives for this deployment. The same code talks to Entra + Graph or to the local
 * tenant emulator; only these URLs (and the credentials) differ.
 */
import { Agent, fetch as undiciFetch } from "undici";

export interface M365Endpoints {
  readonly mode: "emulator" | "microsoft";
  /** Login authority host without a trailing slash, e.g. https://login.microsoftonline.com. The authority of a tenant is `${authorityHost}/${tenantId}`. */
  readonly authorityHost: string;
  /** Graph base URL ending in the version segment, e.g. https://graph.microsoft.com/v1.0. */
  readonly graphBaseUrl: string;
  /** PEM of a CA to trust for the authority and Graph hosts (the emulator's self-signed CA). */
  readonly caCertPem?: string;
}

/** Entra's v2 issuer of a tenant's tokens. */
export const v2Issuer = (endpoints: M365Endpoints, tenantId: string): string =>
  `${endpoints.authorityHost}/${tenantId}/v2.0`;

/** Entra's v1 issuer (tokens of apps without accessTokenAcceptedVersion 2); Microsoft mode only. */
export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

export const jwksUri = (endpoints: M365Endpoints, tenantId: string): string =>
  `${endpoints.authorityHost}/${tenantId}/discovery/v2.0/keys`;

/** The host's keep-alive connection pools, trusting the emulator CA when one is configured (TLS checks stay on). */
export function createDispatcher(endpoints: M365Endpoints, options: { connections?: number } = {}): Agent {
  return new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: 30_000,
    pipelining: 1,
    ...(endpoints.caCertPem ? { connect: { ca: [endpoints.caCertPem] } } : {}),
  });
}

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** A `fetch` that goes through the given dispatcher (used for JWKS, authority metadata and msal-node). */
export function fetchThrough(dispatcher: Agent): FetchLike {
  return (url, init) =>
    undiciFetch(url, { ...(init as object), dispatcher } as Parameters<
      typeof undiciFetch
    >[1]) as unknown as Promise<Response>;
}
