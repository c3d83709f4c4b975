/**
 * The one error type for failed Graph calls. It keeps the HTTP status, Graph's error `code`, and the
 * `request-id` Microsoft support asks for; callers branch on `code` (ErrorItemNotFound, ErrorAccessDenied,
 * MailboxNotEnabledForRESTAPI, syncStateNotFound, TooManyRequests, ...). A failed fetch is always this
 * error (status 0 for network failures and timeouts), never an empty result.
 *
 * It extends the SDK's GraphClientError so that, thrown from our middleware, the SDK passes it through
 * unchanged instead of re-wrapping it.
 */
import { GraphClientError } from "@microsoft/microsoft-graph-client";
import { DomainError } from "../core/errors.ts";

export class GraphError extends GraphClientError {
  override readonly name = "GraphError";
  /** HTTP status; 0 when no response arrived (network failure, timeout). */
  readonly status: number;
  /** Graph's `error.code`, or NetworkError / Timeout / UnexpectedResponse. */
  readonly code: string;
  /** Microsoft's `request-id` of the failed response (what support asks for). */
  readonly requestId: string | undefined;
  /** The `client-request-id` we sent (same across retries of one call). */
  readonly clientRequestId: string | undefined;
  /** Seconds from Retry-After on the last response, when present. */
  readonly retryAfterSeconds: number | undefined;
  readonly method: string;
  /** The request path without host and query string (no tokens, no personal data in the query). */
  readonly path: string;
  readonly attempts: number;
  /** Graph's own `error.message` (the Error's message adds the method, path, status and code). */
  readonly graphMessage: string;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    method: string;
    path: string;
    requestId?: string | undefined;
    clientRequestId?: string | undefined;
    retryAfterSeconds?: number | undefined;
    attempts?: number;
    cause?: unknown;
  }) {
    super(`${init.method} ${init.path} -> ${init.status || "no response"} ${init.code}: ${init.message}`);
    this.graphMessage = init.message;
    // The SDK's base constructor resets the prototype to its own class; restore ours.
    Object.setPrototypeOf(this, new.target.prototype);
    if (init.cause !== undefined) (this as { cause?: unknown }).cause = init.cause;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts ?? 1;
  }

  /** True for throttling (429, or 503 with Retry-After). */
  get throttled(): boolean {
    return this.status === 429 || (this.status === 503 && this.retryAfterSeconds !== undefined);
  }

  /**
   * The HTTP-facing error for this failure (502/503 with the Graph details kept). Its message says what a
   * person can do: a refusal quotes Graph's reason, and a denial points to the connection test, which names
   * the missing permission.
   */
  toDomainError(): DomainError {
    const unavailable = this.status === 0 || this.status >= 500 || this.status === 429;
    const what = `${this.status || "no response"} ${this.code}`;
    const reason = this.graphMessage.trim().replace(/\.$/, "");
    const message = unavailable
      ? `Microsoft 365 could not be reached or is busy (${what}). Try again shortly.`
      : this.status === 401 || this.status === 403
        ? `Microsoft 365 denied Quorum access (${what}: ${reason}). Test the connection in the Admin tab to see which permission is missing.`
        : `Microsoft 365 refused the request (${what}: ${reason}).`;
    return new DomainError(unavailable ? "GRAPH_UNAVAILABLE" : "GRAPH_ERROR", message, {
      cause: this,
      details: { graphStatus: this.status, graphCode: this.code, graphRequestId: this.requestId ?? null },
    });
  }
}

/** Carries a non-Graph failure (e.g. RECONNECT_NEEDED from token acquisition) through the SDK unchanged. */
export class GraphPassThrough extends GraphClientError {
  override readonly name = "GraphPassThrough";
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The error a caller should see: our GraphError, the DomainError behind a pass-through, or a GraphError built from anything else. */
export function unwrapGraphFailure(error: unknown, method = "?", path = "?"): Error {
  if (error instanceof GraphPassThrough)
    return error.error instanceof Error ? error.error : new Error(String(error.error));
  if (error instanceof GraphError || error instanceof DomainError) return error;
  const e = error as { statusCode?: number; code?: string; message?: string; requestId?: string | null };
  return new GraphError({
    status: typeof e?.statusCode === "number" && e.statusCode > 0 ? e.statusCode : 0,
    code: e?.code ?? "UnexpectedResponse",
    message: e?.message ?? String(error),
    method,
    path,
    requestId: e?.requestId ?? undefined,
    cause: error,
  });
}

/** Parses a Graph error body `{error: {code, message, innerError: {request-id}}}`. */
export function parseGraphErrorBody(text: string): { code?: string; message?: string; requestId?: string } {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> };
    };
    const err = body?.error;
    if (!err || typeof err !== "object") return {};
    const inner = err.innerError ?? {};
    return {
      ...(typeof err.code === "string" ? { code: err.code } : {}),
      ...(typeof err.message === "string" ? { message: err.message } : {}),
      ...(typeof inner["request-id"] === "string" ? { requestId: inner["request-id"] as string } : {}),
    };
  } catch {
    return {};
  }
}
