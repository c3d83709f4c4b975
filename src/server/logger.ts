import pino, { type Logger } from "pino";
import type { Config } from "../config.ts";

/**
 * Query parameters whose values are secrets or one-time credentials: the consent `state` (it lets whoever
 * holds it finish a consent), OAuth codes and tokens.
 */
const SECRET_QUERY_PARAMETERS = new Set([
  "state",
  "code",
  "token",
  "access_token",
  "id_token",
  "client_secret",
]);

/** The URL with the values of secret query parameters replaced, for logs. */
export function redactUrl(url: string): string {
  const at = url.indexOf("?");
  if (at < 0) return url;
  const query = new URLSearchParams(url.slice(at + 1));
  let redacted = false;
  for (const name of new Set(query.keys())) {
    if (SECRET_QUERY_PARAMETERS.has(name.toLowerCase())) {
      query.set(name, "redacted");
      redacted = true;
    }
  }
  return redacted ? `${url.slice(0, at)}?${query.toString()}` : url;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, with secret query values redacted from the URL. */
function requestSerializer(request: LoggedRequest) {
  return {
    method: request.method,
    url: typeof request.url === "string" ? redactUrl(request.url) : request.url,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * Structured JSON logs; tokens, secrets and cookies are redacted wherever they appear in logged objects, and
 * secret query parameters (the consent state) in logged request URLs.
 */
export function createLogger(config: Pick<Config, "logLevel">, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: "quorum" },
      serializers: { req: requestSerializer },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          "*.access_token",
          "*.client_secret",
          "*.assertion",
          "*.token",
          "*.password",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
