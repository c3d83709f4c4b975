/**
 * The one typed HTTP client of Quorum's API, shared by the Teams tab and the Outlook add-in.
 * Every call asks `getToken()` for a bearer token (Teams SSO, Office SSO, or a dev token), parses the
 * response with the contract's zod schema, and turns an `{error:{code,message,requestId}}` body into an
 * `ApiError`. It knows nothing of React, teams-js or Office.js.
 */
import { z } from "zod";
import { ApiError } from "./errors.ts";

export { ApiError, isApiError } from "./errors.ts";

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions<S extends z.ZodType> {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Record<string, QueryValue>;
  /**
   * JSON body (objects), raw text (strings, sent as text/csv unless `contentType` says otherwise) or a
   * file's bytes (a Blob).
   */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Schema of a successful response body; `z.void()`-like schemas accept an empty body. */
  schema: S;
  signal?: AbortSignal;
}

export interface ApiTransport {
  request<S extends z.ZodType>(path: string, options: RequestOptions<S>): Promise<z.output<S>>;
  /** A GET whose answer is text (e.g. a CSV template), with the same auth and error handling. */
  text(path: string, options?: { signal?: AbortSignal }): Promise<string>;
  /** Absolute URL of an API path (for downloads and links). */
  url(path: string, query?: Record<string, QueryValue>): string;
}

export interface ApiClientOptions {
  /** Base URL of the service, e.g. `https://quorum.contoso.com` or `""` for same origin. */
  baseUrl: string;
  /** Returns a bearer token for each call (Teams / Office SSO). Rejects when sign-in fails. */
  getToken: () => Promise<string>;
  fetch?: typeof fetch;
}

function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.set(key, String(value));
  }
  const qs = search.toString();
  return `${baseUrl.replace(/\/$/, "")}${path}${qs ? `?${qs}` : ""}`;
}

export function createTransport(options: ApiClientOptions): ApiTransport {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  async function send(
    path: string,
    req: Omit<RequestOptions<z.ZodType>, "schema">,
  ): Promise<{ response: Response; requestId: string | undefined; text: string }> {
    let token: string;
    try {
      token = await options.getToken();
    } catch (cause) {
      throw new ApiError(
        401,
        "SIGN_IN_FAILED",
        cause instanceof Error ? cause.message : "Sign-in failed.",
        undefined,
        {
          cause,
        },
      );
    }
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${token}`,
      ...req.headers,
    };
    let body: string | Blob | undefined;
    if (req.body !== undefined) {
      if (typeof Blob !== "undefined" && req.body instanceof Blob) {
        // A file as the person picked it: its bytes go as they are, so the service sees the real encoding.
        body = req.body;
        headers["content-type"] = req.contentType ?? "application/octet-stream";
      } else if (typeof req.body === "string") {
        body = req.body;
        headers["content-type"] = req.contentType ?? "text/csv";
      } else {
        body = JSON.stringify(req.body);
        headers["content-type"] = req.contentType ?? "application/json";
      }
    }
    let response: Response;
    try {
      response = await doFetch(buildUrl(options.baseUrl, path, req.query), {
        method: req.method ?? (body === undefined ? "GET" : "POST"),
        headers,
        ...(body === undefined ? {} : { body }),
        ...(req.signal ? { signal: req.signal } : {}),
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
      throw new ApiError(0, "NETWORK_ERROR", "The Quorum service could not be reached.", undefined, {
        cause,
      });
    }
    const requestId = response.headers.get("x-request-id") ?? undefined;
    const text = await response.text();
    if (!response.ok) throw errorOf(response.status, text, requestId);
    return { response, requestId, text };
  }

  return {
    url: (path, query) => buildUrl(options.baseUrl, path, query),
    async text(path, o) {
      return (
        await send(path, {
          headers: { accept: "text/csv, text/plain" },
          ...(o?.signal ? { signal: o.signal } : {}),
        })
      ).text;
    },
    async request(path, req) {
      const { response, requestId, text } = await send(path, req);
      let json: unknown;
      if (text.length > 0) {
        try {
          json = JSON.parse(text);
        } catch (cause) {
          throw new ApiError(
            response.status,
            "INVALID_RESPONSE",
            `The service answered ${response.status} with a body that is not JSON.`,
            requestId,
            { cause },
          );
        }
      }
      const parsed = req.schema.safeParse(json);
      if (!parsed.success) {
        throw new ApiError(
          response.status,
          "INVALID_RESPONSE",
          `The service's answer to ${path} did not match the contract: ${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
            .join("; ")}`,
          requestId,
          { cause: parsed.error },
        );
      }
      return parsed.data;
    },
  };
}

function errorOf(status: number, text: string, requestId: string | undefined): ApiError {
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch (cause) {
    return new ApiError(status, "HTTP_ERROR", `The service answered ${status}.`, requestId, { cause });
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success)
    return new ApiError(status, "HTTP_ERROR", `The service answered ${status}.`, requestId);
  const e = parsed.data.error;
  return new ApiError(
    status,
    e.code,
    e.message,
    e.requestId ?? requestId,
    e.details ? { details: e.details } : undefined,
  );
}
