/**
 * Transport-neutral request/response shapes shared by the Graph routes, `$batch` and the HTTP server,
 * and Graph's error envelope.
 */
import { randomUUID } from "node:crypto";

export interface Principal {
  tenantId: string;
  appId: string;
  /** Set for delegated tokens. */
  userId: string | null;
  roles: string[];
  scopes: string[];
  issuedAt: number;
}

export interface GraphRequest {
  method: string;
  /** Path after `/v1.0`, percent-decoded per segment, e.g. `/users/ana@contoso.com/calendarView`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  principal: Principal;
  requestId: string;
  /** Set when the request arrived inside `$batch`. */
  inBatch: boolean;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** A Graph error; rendered as `{error:{code,message,innerError:{date,request-id,client-request-id}}}`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId?: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ""),
        "request-id": requestId,
        "client-request-id": clientRequestId ?? requestId,
      },
    },
  };
}

export function errorResponse(
  error: GraphError,
  request: { requestId: string; headers: Record<string, string> },
): GraphResponse {
  return {
    status: error.status,
    headers: { "content-type": "application/json", ...error.headers },
    body: graphErrorBody(error.code, error.message, request.requestId, request.headers["client-request-id"]),
  };
}

export function ok(body: unknown, status = 200, headers: Record<string, string> = {}): GraphResponse {
  return {
    status,
    headers: { "content-type": "application/json; odata.metadata=minimal", ...headers },
    body,
  };
}

export function noContent(status = 204, headers: Record<string, string> = {}): GraphResponse {
  return { status, headers };
}

export function newRequestId(): string {
  return randomUUID();
}

export function badRequest(message: string, code = "BadRequest"): GraphError {
  return new GraphError(400, code, message);
}

export function notFound(
  message = "The specified object was not found in the store.",
  code = "ErrorItemNotFound",
): GraphError {
  return new GraphError(404, code, message);
}

export function resourceNotFound(what: string): GraphError {
  return new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function asRecord(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.", "BadRequest");
  return body as Record<string, unknown>;
}

/** Opaque paging/delta tokens: base64url JSON. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

/**
 * An action's body with its parameter names spelled as `names` spells them, matched case-insensitively at
 * every depth, as Graph matches them: Microsoft's Kiota-based SDKs send action parameters in PascalCase
 * (`Schedules`, `StartTime`), other clients in camelCase. Other names are kept as sent.
 */
export function actionParameters(body: unknown, names: readonly string[]): Record<string, unknown> {
  const canonical = new Map(names.map((n) => [n.toLowerCase(), n] as const));
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename);
    if (!value || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      out[canonical.get(key.toLowerCase()) ?? key] = rename(inner);
    return out;
  };
  return rename(asRecord(body)) as Record<string, unknown>;
}

/**
 * Answers 412 when an `If-Match` header names none of the item's current ETag (weak or strong form, or
 * `*`), as Outlook does for a change key that moved: `ErrorIrresolvableConflict`.
 */
export function checkIfMatch(headers: Record<string, string>, etag: string): void {
  const header = headers["if-match"];
  if (header === undefined) return;
  const bare = (tag: string) => tag.trim().replace(/^W\//i, "").replace(/^"|"$/g, "");
  const current = bare(etag);
  if (header.split(",").some((tag) => tag.trim() === "*" || bare(tag) === current)) return;
  throw new GraphError(
    412,
    "ErrorIrresolvableConflict",
    "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
  );
}
