import pino, { type Logger } from "pino";
import type { Config } from "../config.ts";

/** Structured JSON logs; tokens, secrets and cookies are redacted wherever they appear in logged objects. */
export function createLogger(config: Pick<Config, "logLevel">, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: "quorum" },
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
