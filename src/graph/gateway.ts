/**
 * The Graph gateway: the one way Quorum talks to Microsoft Graph (or the emulator).
 *
 * ```ts
 * const graph = createGraphGateway({ endpoints, tokens, logger });
 * const api = graph.forTenant(actor.tenantId);              // app-only
 * const me = graph.forUser(actor.tenantId, ssoToken);        // on-behalf-of the signed-in user
 * const schedule = await api.post<{ value: unknown[] }>(`/users/${upn}/calendar/getSchedule`, body);
 * for await (const page of graph.pages<User>(tenantId, "/users?$top=999")) save(page.value);
 * const results = await graph.batch(tenantId, [{ id: "1", method: "GET", url: "/users/a@x/events" }]);
 * ```
 * The per-mailbox limiter keys on the `/users/{x}` segment: address a mailbox the same way in every call
 * (the object id is best), or the same mailbox under two names gets two budgets.
 * Every failure is a `GraphError` (status, Graph `code`, `requestId`) or a RECONNECT_NEEDED DomainError
 * when the tenant's token cannot be acquired. Nothing failed is ever returned as empty.
 */
import { Client, ResponseType } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import type { Agent } from "undici";
import type { M365Endpoints } from "../identity/endpoints.ts";
import { createDispatcher } from "../identity/endpoints.ts";
import type { TokenProvider } from "../identity/tokens.ts";
import { GraphError, unwrapGraphFailure } from "./errors.ts";
import { GRAPH_MAILBOX_LIMITS, MailboxLimiter, type MailboxLimits, mailboxOf } from "./limiter.ts";
import {
  AuthMiddleware,
  DEFAULT_RETRY,
  MailboxLimitMiddleware,
  RequestPolicy,
  RetryMiddleware,
  type RetrySettings,
  UndiciTransport,
} from "./middleware.ts";

export interface GraphRequestOptions {
  headers?: Record<string, string>;
  /** Safe to re-send after a 5xx or a dropped connection (e.g. a POST carrying a transactionId). */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface GraphResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface GraphApi {
  /** The SDK client with Quorum's middleware chain, for fluent use (`client.api(path).select(...)`). */
  readonly client: Client;
  get<T>(path: string, options?: GraphRequestOptions): Promise<T>;
  post<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T>;
  put<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T>;
  delete(path: string, options?: GraphRequestOptions): Promise<void>;
  /** Any request, with status and headers (e.g. the Location of a 202 operation). */
  request<T>(
    method: string,
    path: string,
    body?: unknown,
    options?: GraphRequestOptions,
  ): Promise<GraphResponse<T>>;
}

export interface BatchRequest {
  /** Unique within the call. */
  id: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Relative to the version root, e.g. `/users/a@contoso.com/events`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Ids this request waits for; they are sent in the same `$batch`. */
  dependsOn?: string[];
}

export interface BatchResult<T = unknown> {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: T;
  /** Set when the item failed (status >= 400 after the gateway's own retries of throttled items). */
  error?: GraphError;
}

export interface GraphPage<T> {
  value: T[];
  nextLink?: string;
  deltaLink?: string;
  /** The whole page object (for properties besides `value`). */
  raw: Record<string, unknown>;
}

export interface GraphGateway {
  forTenant(tenantId: string): GraphApi;
  /** Delegated calls on behalf of the user whose SSO token is `userAssertion` (on-behalf-of flow). */
  forUser(tenantId: string, userAssertion: string, userId?: string): GraphApi;
  /** Sends up to 20 requests per `$batch`, retries throttled items itself and returns one result per request, in order. */
  batch<T = unknown>(tenantId: string, requests: BatchRequest[]): Promise<BatchResult<T>[]>;
  /** Streams pages, following `@odata.nextLink` to the end; the last page carries the deltaLink if any. */
  pages<T>(tenantId: string, path: string, options?: GraphRequestOptions): AsyncGenerator<GraphPage<T>>;
  /** The limiter (exposed for diagnostics). */
  readonly limiter: MailboxLimiter;
  close(): Promise<void>;
}

export interface GraphGatewayOptions {
  endpoints: M365Endpoints;
  tokens: TokenProvider;
  logger: Logger;
  /** Shared keep-alive pools; created (trusting endpoints.caCertPem) when not given. */
  dispatcher?: Agent;
  retry?: Partial<RetrySettings>;
  mailboxLimits?: MailboxLimits;
}

const MAX_BATCH = 20;
const MAX_BATCH_ROUNDS = 8;

export function createGraphGateway(options: GraphGatewayOptions): GraphGateway {
  const { endpoints, tokens, logger } = options;
  const ownsDispatcher = !options.dispatcher;
  const dispatcher = options.dispatcher ?? createDispatcher(endpoints);
  const retry: RetrySettings = { ...DEFAULT_RETRY, ...options.retry };
  const limiter = new MailboxLimiter(options.mailboxLimits ?? GRAPH_MAILBOX_LIMITS);
  const base = new URL(endpoints.graphBaseUrl);
  const version = base.pathname.replace(/^\/|\/$/g, "") || "v1.0";
  const origin = base.origin;
  const graphLogger = logger.child({ component: "graph" });
  const tenantApis = new Map<string, GraphApi>();

  const buildApi = (
    tenantId: string,
    token: (force: boolean) => Promise<string>,
    invalidate: () => void,
    meKey: string | undefined,
  ): GraphApi => {
    const chain = [
      new RetryMiddleware(retry, graphLogger, tenantId),
      new MailboxLimitMiddleware(limiter, tenantId, meKey),
      new AuthMiddleware(token, invalidate),
      new UndiciTransport(dispatcher, retry.timeoutMs),
    ];
    const client = Client.initWithMiddleware({ middleware: chain, baseUrl: origin, defaultVersion: version });

    const request = async <T>(
      method: string,
      path: string,
      body?: unknown,
      opts: GraphRequestOptions = {},
    ): Promise<GraphResponse<T>> => {
      const target = resolvePath(path);
      const req = client
        .api(target)
        .responseType(ResponseType.RAW)
        .headers(opts.headers ?? {})
        .middlewareOptions([
          new RequestPolicy({
            ...(opts.idempotent !== undefined ? { idempotent: opts.idempotent } : {}),
            ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
          }),
        ]);
      let raw: Response;
      try {
        switch (method.toUpperCase()) {
          case "GET":
            raw = await req.get();
            break;
          case "POST":
            raw = await req.post(body ?? {});
            break;
          case "PATCH":
            raw = await req.patch(body ?? {});
            break;
          case "PUT":
            raw = await req.put(body ?? {});
            break;
          case "DELETE":
            raw = await req.delete();
            break;
          default:
            throw new Error(`Unsupported Graph method ${method}`);
        }
      } catch (error) {
        throw unwrapGraphFailure(error, method.toUpperCase(), target.split("?")[0]);
      }
      const text = await raw.text();
      let parsed: unknown;
      if (text === "") parsed = undefined;
      else if ((raw.headers.get("content-type") ?? "").includes("json")) {
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          throw new GraphError({
            status: raw.status,
            code: "UnexpectedResponse",
            message: "Graph answered with malformed JSON",
            method,
            path: target.split("?")[0] ?? target,
            requestId: raw.headers.get("request-id") ?? undefined,
            cause: error,
          });
        }
      } else parsed = text;
      return { status: raw.status, headers: raw.headers, body: parsed as T };
    };

    return {
      client,
      get: async (path, opts) => (await request<never>("GET", path, undefined, opts)).body,
      post: async (path, body, opts) => (await request<never>("POST", path, body, opts)).body,
      patch: async (path, body, opts) => (await request<never>("PATCH", path, body, opts)).body,
      put: async (path, body, opts) => (await request<never>("PUT", path, body, opts)).body,
      delete: async (path, opts) => {
        await request("DELETE", path, undefined, opts);
      },
      request,
    };
  };

  /** Relative paths stay relative; absolute links must point at our Graph base (tokens never leave it). */
  const resolvePath = (path: string): string => {
    if (!/^https?:\/\//i.test(path)) return path.startsWith("/") ? path : `/${path}`;
    if (!path.startsWith(`${origin}/`)) {
      throw new GraphError({
        status: 0,
        code: "UntrustedLink",
        message: "A Graph link points outside the configured Graph base URL",
        method: "GET",
        path: "(link)",
      });
    }
    return path;
  };

  const forTenant = (tenantId: string): GraphApi => {
    let api = tenantApis.get(tenantId);
    if (!api) {
      api = buildApi(
        tenantId,
        async (force) => (await tokens.appOnly(tenantId, { force })).token,
        () => tokens.invalidate(tenantId),
        undefined,
      );
      tenantApis.set(tenantId, api);
    }
    return api;
  };

  const sendBatch = async (
    tenantId: string,
    chunk: BatchRequest[],
  ): Promise<Map<string, { status: number; headers: Record<string, string>; body: unknown }>> => {
    const weights = new Map<string, number>();
    for (const r of chunk) {
      const key = mailboxOf(r.url);
      if (key) weights.set(key, (weights.get(key) ?? 0) + 1);
    }
    const api = forTenant(tenantId);
    const inChunk = new Set(chunk.map((r) => r.id));
    const body = {
      requests: chunk.map((r) => ({
        id: r.id,
        method: r.method,
        url: r.url.startsWith("/") ? r.url : `/${r.url}`,
        ...(r.body !== undefined
          ? { body: r.body, headers: { "Content-Type": "application/json", ...(r.headers ?? {}) } }
          : r.headers
            ? { headers: r.headers }
            : {}),
        // A dependency answered in an earlier round is not re-sent, so it is no longer waited for.
        ...(r.dependsOn?.some((d) => inChunk.has(d))
          ? { dependsOn: r.dependsOn.filter((d) => inChunk.has(d)) }
          : {}),
      })),
    };
    let raw: Response;
    try {
      raw = await api.client
        .api("/$batch")
        .responseType(ResponseType.RAW)
        .middlewareOptions([
          new RequestPolicy({
            idempotent: chunk.every((r) => r.method === "GET"),
            mailboxes: [...weights].map(([key, weight]) => ({ key, weight })),
          }),
        ])
        .post(body);
    } catch (error) {
      throw unwrapGraphFailure(error, "POST", "/$batch");
    }
    const parsed = (await raw.json()) as {
      responses?: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[];
    };
    const out = new Map<string, { status: number; headers: Record<string, string>; body: unknown }>();
    for (const item of parsed.responses ?? []) {
      out.set(String(item.id), { status: item.status, headers: item.headers ?? {}, body: item.body });
    }
    return out;
  };

  const batch = async <T>(tenantId: string, requests: BatchRequest[]): Promise<BatchResult<T>[]> => {
    const ids = new Set<string>();
    for (const r of requests) {
      if (ids.has(r.id)) throw new Error(`Duplicate batch request id ${r.id}`);
      ids.add(r.id);
    }
    const results = new Map<string, BatchResult<T>>();
    let pending = requests;
    for (let round = 1; pending.length > 0; round++) {
      const chunks = packBatches(pending);
      const retryNext: BatchRequest[] = [];
      let waitMs = 0;
      // Chunks go out one after another: Outlook already runs up to 4 requests of a batch at once.
      for (const chunk of chunks) {
        const responses = await sendBatch(tenantId, chunk);
        for (const r of chunk) {
          const response = responses.get(r.id);
          if (!response) {
            retryNext.push(r);
            continue;
          }
          const throttled = response.status === 429 || response.status === 503;
          const blockedByThrottled =
            response.status === 424 && (r.dependsOn ?? []).some((d) => retryNext.some((x) => x.id === d));
          if ((throttled || blockedByThrottled) && round < MAX_BATCH_ROUNDS) {
            const after = parseRetryAfterHeader(response.headers);
            waitMs = Math.max(
              waitMs,
              after ?? Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (round - 1)),
            );
            retryNext.push(r);
            continue;
          }
          results.set(r.id, toBatchResult<T>(r, response));
        }
      }
      if (retryNext.length > 0 && round >= MAX_BATCH_ROUNDS) {
        for (const r of retryNext) {
          if (!results.has(r.id)) {
            results.set(
              r.id,
              toBatchResult<T>(r, {
                status: 429,
                headers: {},
                body: {
                  error: { code: "TooManyRequests", message: "Still throttled after the batch retries" },
                },
              }),
            );
          }
        }
        break;
      }
      if (retryNext.length > 0) {
        graphLogger.debug({ tenantId, retrying: retryNext.length, waitMs }, "retrying throttled batch items");
        await new Promise((r) => setTimeout(r, waitMs + Math.floor(Math.random() * 50)));
      }
      pending = retryNext;
    }
    return requests.map((r) => results.get(r.id)!);
  };

  async function* pages<T>(
    tenantId: string,
    path: string,
    opts?: GraphRequestOptions,
  ): AsyncGenerator<GraphPage<T>> {
    const api = forTenant(tenantId);
    let next: string | undefined = path;
    while (next) {
      const raw: Record<string, unknown> = await api.get<Record<string, unknown>>(next, opts);
      if (!raw || typeof raw !== "object" || !Array.isArray(raw.value)) {
        throw new GraphError({
          status: 200,
          code: "UnexpectedResponse",
          message: "A collection page has no value array",
          method: "GET",
          path: next.split("?")[0] ?? next,
        });
      }
      const nextLink: string | undefined =
        typeof raw["@odata.nextLink"] === "string" ? (raw["@odata.nextLink"] as string) : undefined;
      const deltaLink =
        typeof raw["@odata.deltaLink"] === "string" ? (raw["@odata.deltaLink"] as string) : undefined;
      yield {
        value: raw.value as T[],
        ...(nextLink ? { nextLink } : {}),
        ...(deltaLink ? { deltaLink } : {}),
        raw,
      };
      next = nextLink;
    }
  }

  return {
    forTenant,
    forUser(tenantId, userAssertion, userId) {
      let cached: { token: string; expiresAt: number } | undefined;
      return buildApi(
        tenantId,
        async (force) => {
          if (!force && cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
          cached = await tokens.onBehalfOf(tenantId, userAssertion, undefined, { force });
          return cached.token;
        },
        () => {
          cached = undefined;
        },
        userId ? `users/${userId.toLowerCase()}` : undefined,
      );
    },
    batch,
    pages,
    limiter,
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function parseRetryAfterHeader(headers: Record<string, string>): number | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === "retry-after" && /^\d+(\.\d+)?$/.test(v.trim()))
      return Math.round(Number(v) * 1000);
  }
  return undefined;
}

function toBatchResult<T>(
  request: BatchRequest,
  response: { status: number; headers: Record<string, string>; body: unknown },
): BatchResult<T> {
  const result: BatchResult<T> = {
    id: request.id,
    status: response.status,
    headers: response.headers,
    body: response.body as T,
  };
  if (response.status >= 400) {
    const err = (
      response.body as { error?: { code?: string; message?: string; innerError?: Record<string, string> } }
    )?.error;
    result.error = new GraphError({
      status: response.status,
      code: err?.code ?? `Http${response.status}`,
      message: err?.message ?? "Batch item failed",
      method: request.method,
      path: request.url.split("?")[0] ?? request.url,
      requestId: err?.innerError?.["request-id"] ?? response.headers["request-id"],
    });
  }
  return result;
}

/**
 * Packs requests into batches of at most 20, keeping each dependsOn chain in one batch (Graph requires
 * it). Order within a batch follows the input.
 */
export function packBatches(requests: BatchRequest[]): BatchRequest[][] {
  const byId = new Map(requests.map((r) => [r.id, r]));
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  for (const r of requests) {
    parent.set(r.id, parent.get(r.id) ?? r.id);
    for (const d of r.dependsOn ?? []) {
      if (!byId.has(d)) continue;
      parent.set(d, parent.get(d) ?? d);
      parent.set(find(r.id), find(d));
    }
  }
  const groups = new Map<string, BatchRequest[]>();
  for (const r of requests) {
    const root = find(r.id);
    const group = groups.get(root) ?? [];
    group.push(r);
    groups.set(root, group);
  }
  const batches: BatchRequest[][] = [];
  let current: BatchRequest[] = [];
  for (const group of groups.values()) {
    if (group.length > MAX_BATCH)
      throw new Error(`A dependsOn chain of ${group.length} requests exceeds ${MAX_BATCH}`);
    if (current.length + group.length > MAX_BATCH) {
      batches.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
