/**
 * `createApiClient({baseUrl, getToken})`: Quorum's API as typed methods. Response bodies are parsed with
 * the schemas of `src/api-contract/*`, so the tab, the add-in and the service agree on one contract.
 */
import { z } from "zod";
import { type DirectorySearchResponse, directorySearchResponse } from "../api-contract/directory.ts";
import {
  type ConsentStartResponse,
  consentStartResponse,
  type MeResponse,
  meResponse,
} from "../api-contract/identity.ts";
import { type ApiClientOptions, type ApiTransport, createTransport } from "./client.ts";

export interface QuorumApi {
  readonly transport: ApiTransport;
  /** The caller, their organization's consent status, and whom to ask (admins). */
  me(signal?: AbortSignal): Promise<MeResponse>;
  consent: {
    /** Starts admin consent; open `consentUrl` top-level (it carries no token). */
    start(returnTo?: string): Promise<ConsentStartResponse>;
  };
  directory: {
    search(q: string, options?: { limit?: number; signal?: AbortSignal }): Promise<DirectorySearchResponse>;
  };
}

export function createApiClient(options: ApiClientOptions): QuorumApi {
  const transport = createTransport(options);
  return {
    transport,
    me: (signal) => transport.request("/api/me", { schema: meResponse, ...(signal ? { signal } : {}) }),
    consent: {
      start: (returnTo) =>
        transport.request("/api/admin/consent/start", {
          method: "POST",
          body: returnTo ? { returnTo } : {},
          schema: consentStartResponse,
        }),
    },
    directory: {
      search: (q, o) =>
        transport.request("/api/directory/search", {
          query: { q, limit: o?.limit },
          schema: directorySearchResponse,
          ...(o?.signal ? { signal: o.signal } : {}),
        }),
    },
  };
}

/** Schema for endpoints that answer 204 or an empty body. */
export const noContent = z.unknown();
