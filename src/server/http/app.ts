/**
 * `createServer(deps)` builds the HTTP app and returns it without listening; only main.ts listens.
 */
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Config } from "../../config.ts";
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../store/db.ts";
import { type AuthServices, refuseAuthAfterBody, registerAuth } from "./auth.ts";
import { errorHandler, notFoundHandler } from "./errors.ts";

/** A route plugin: registers one feature's routes on the app. Built with its services as arguments. */
export type RoutePlugin = (app: FastifyInstance) => Promise<void>;

/** A named readiness probe (database, emulator, ...); it throws when its dependency is not usable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /** Extra facts shown in /readyz (e.g. the emulator's Graph base URL). */
  info?: () => Record<string, unknown>;
}

export interface ServerDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  database: Database;
  readiness?: ReadinessCheck[];
  /** Token validation and tenant lookup behind the `authenticate`/`requireConsented` hooks (src/server/http/auth.ts). */
  auth?: AuthServices;
  /** Feature route plugins registered after the core routes. */
  plugins?: readonly ((app: FastifyInstance) => Promise<void> | void)[];
}

/**
 * The most a JSON (or any other buffered) body may hold. Requests are small documents; the seat CSV, the
 * one large upload, is streamed by its own route under its own limit once the caller is signed in.
 */
const bodyLimitBytes = 1024 * 1024;

export async function createServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w.-]{8,128}$/.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // Before any route: sign-in checks must run before a body is read (see auth.ts).
  app.addHook("onRoute", refuseAuthAfterBody);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  app.get("/healthz", async () => ({ status: "ok" }));

  const checks: ReadinessCheck[] = [
    { name: "database", check: () => deps.database.ping(), info: () => ({ engine: deps.database.kind }) },
    ...(deps.readiness ?? []),
  ];
  app.get("/readyz", async (_request, reply) => {
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          await c.check();
          return { name: c.name, ok: true, ...(c.info?.() ?? {}) };
        } catch (error) {
          return {
            name: c.name,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
            ...(c.info?.() ?? {}),
          };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks: results });
  });

  if (deps.auth) registerAuth(app, deps.auth);
  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}
