/**
 * The emulator's single TLS server: Entra login endpoints (`/{tenant}/...`), Graph (`/v1.0/...`) and the
 * control API (`/_emulator/...`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { consentPage, consentSubmit } from "./consent.ts";
import type { ControlApi } from "./control.ts";
import type { Entra } from "./entra.ts";
import { runBatch } from "./graph/batch.ts";
import {
  errorResponse,
  GraphError,
  type GraphRequest,
  type GraphResponse,
  graphErrorBody,
  newRequestId,
} from "./http.ts";
import { DropConnection, type Pipeline, runGraph } from "./pipeline.ts";

export interface HandlerParts {
  entra: Entra;
  pipeline: Pipeline;
  control: ControlApi;
  logger: Logger | undefined;
  url: () => string;
  /** Called once each request has been handled (answered or failed): it may have changed the state. */
  changed?: () => void;
}

const MAX_BODY = 8 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new GraphError(413, "RequestEntityTooLarge", "The request body is too large.");
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const isText = typeof body === "string";
  const payload = body === undefined ? "" : isText ? body : JSON.stringify(body);
  const h: Record<string, string> = { ...headers };
  if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === "content-type")) {
    h["content-type"] = isText ? "text/plain; charset=utf-8" : "application/json";
  }
  res.writeHead(status, h);
  res.end(payload);
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === "string") out[k.toLowerCase()] = v;
    else if (Array.isArray(v)) out[k.toLowerCase()] = v.join(", ");
  }
  return out;
}

export function createHandler(parts: HandlerParts): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const answered = handle(parts, req, res);
    if (parts.changed) void answered.then(parts.changed, parts.changed);
    answered.catch((error: unknown) => {
      if (error instanceof DropConnection) {
        req.socket.destroy();
        return;
      }
      parts.logger?.error({ err: error, url: req.url }, "emulator request failed");
      if (!res.headersSent) {
        const id = newRequestId();
        const status = error instanceof GraphError ? error.status : 500;
        send(
          res,
          status,
          {},
          graphErrorBody(
            error instanceof GraphError ? error.code : "InternalServerError",
            error instanceof Error ? error.message : String(error),
            id,
          ),
        );
      } else res.destroy();
    });
  };
}

/** A request as the Graph and login handlers get it: parsed URL, method and lower-cased headers. */
type Route = (
  parts: HandlerParts,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  headers: Record<string, string>,
) => Promise<void>;

async function handle(parts: HandlerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", parts.url());
  const path = url.pathname;
  const method = (req.method ?? "GET").toUpperCase();
  const headers = lowerHeaders(req);

  if (path === "/" && method === "GET") {
    send(res, 200, {}, parts.control.describe());
    return;
  }
  if (path.startsWith("/_emulator")) {
    const text = method === "GET" || method === "DELETE" ? "" : await readBody(req);
    const answer = await parts.control.handle(method, path.slice("/_emulator".length) || "/", text);
    send(res, answer.status, answer.headers ?? {}, answer.body);
    return;
  }
  if (path === "/v1.0" || path.startsWith("/v1.0/")) {
    await handleGraph(parts, req, res, url, method, headers);
    return;
  }
  if (path === "/beta" || path.startsWith("/beta/")) {
    send(res, 400, {}, graphErrorBody("BadRequest", "The emulator serves Graph v1.0 only.", newRequestId()));
    return;
  }
  await handleLogin(parts, req, res, url, method, headers);
}

const handleGraph: Route = async (parts, req, res, url, method, headers) => {
  const requestId = newRequestId();
  const baseHeaders = {
    "request-id": requestId,
    "client-request-id": headers["client-request-id"] ?? requestId,
  };
  const auth = await parts.entra.verifyGraphToken(headers.authorization);
  if (!auth.ok) {
    send(
      res,
      401,
      {
        ...baseHeaders,
        "www-authenticate":
          'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
      },
      graphErrorBody(auth.code, auth.message, requestId, headers["client-request-id"]),
    );
    return;
  }
  let body: unknown;
  if (method !== "GET" && method !== "DELETE") {
    const text = await readBody(req);
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        send(
          res,
          400,
          baseHeaders,
          graphErrorBody(
            "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
            requestId,
          ),
        );
        return;
      }
    }
  }
  const request: GraphRequest = {
    method,
    path: url.pathname.slice("/v1.0".length) || "/",
    query: url.searchParams,
    headers,
    body,
    principal: auth.principal,
    requestId,
    inBatch: false,
  };
  let response: GraphResponse;
  if (request.path === "/$batch" && method === "POST") {
    try {
      response = await runBatch(parts.pipeline, request);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      response = errorResponse(error, request);
    }
  } else {
    response = await runGraph(parts.pipeline, request);
  }
  send(res, response.status, { ...baseHeaders, ...response.headers }, response.body);
};

const handleLogin: Route = async (parts, req, res, url, method, headers) => {
  const segments = url.pathname.split("/").filter(Boolean);
  const [tenant, ...rest] = segments;
  const tail = rest.join("/").toLowerCase();
  const entra = parts.entra;
  if (
    tenant &&
    method === "GET" &&
    (tail === "v2.0/.well-known/openid-configuration" || tail === ".well-known/openid-configuration")
  ) {
    const config = entra.openidConfiguration(tenant);
    if (!config) {
      send(
        res,
        400,
        {},
        {
          error: "invalid_tenant",
          error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
          error_codes: [90002],
        },
      );
      return;
    }
    send(res, 200, {}, config);
    return;
  }
  if (tenant && method === "GET" && (tail === "discovery/v2.0/keys" || tail === "discovery/keys")) {
    send(res, 200, {}, entra.jwks());
    return;
  }
  if (tenant === "common" && method === "GET" && tail === "discovery/instance") {
    const host = new URL(parts.url()).host;
    send(
      res,
      200,
      {},
      {
        tenant_discovery_endpoint: `${parts.url()}/${url.searchParams.get("authorization_endpoint")?.split("/")[3] ?? "common"}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    );
    return;
  }
  if (tenant && method === "POST" && tail === "oauth2/v2.0/token") {
    const form = new URLSearchParams(await readBody(req));
    const result = await entra.token(tenant, form, headers.authorization);
    send(res, result.status, { "cache-control": "no-store, no-cache", pragma: "no-cache" }, result.body);
    return;
  }
  if (tenant && tail === "v2.0/adminconsent") {
    const answer =
      method === "POST"
        ? consentSubmit(entra, parts.control.state, tenant, new URLSearchParams(await readBody(req)))
        : consentPage(entra, parts.control.state, tenant, url.searchParams);
    send(res, answer.status, answer.headers, answer.body);
    return;
  }
  send(res, 404, {}, { error: "not_found", error_description: `No emulator endpoint at ${url.pathname}.` });
};
