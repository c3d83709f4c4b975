/**
 * The Teams SDK app (@microsoft/teams.apps): its authenticated client for proactive messages and its
 * messaging endpoint POST /api/messages, mounted on our Fastify server through the SDK's HTTP-server
 * adapter seam. src/server/teams/ is the only place that imports the SDK; conversation logic lives in bot/
 * and knows nothing of Teams.
 */
import { App, type AppOptions, type HttpRouteHandler, type IHttpServerAdapter } from "@microsoft/teams.apps";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { BotReply } from "../../../bot/quorum-bot.ts";
import type { Config } from "../../config.ts";
import { DomainError } from "../../core/errors.ts";

export const messagingEndpoint = "/api/messages";

/** The largest inbound activity read; Teams messages and card actions are a few kilobytes. */
const botActivityMaxBytes = 256 * 1024;

/**
 * onRequest hook of the messaging endpoint when bot authentication is on: Bot Framework always sends its
 * token in the Authorization header, so a request without one is refused before its body is read. The SDK
 * then verifies the token itself (signature, audience, serviceUrl of the activity).
 */
async function requireBotToken(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  if (typeof header !== "string" || !/^Bearer\s+\S+$/i.test(header)) {
    throw new DomainError(
      "UNAUTHENTICATED",
      "Bot Framework activities carry `Authorization: Bearer <token>`.",
    );
  }
}

/**
 * The SDK's HTTP seam: the routes it registers when initialised are kept, and mounted on our Fastify app
 * by `mount` (no second server). The SDK app exists before the HTTP app, so proactive messages can be
 * composed without it.
 */
class FastifyAdapter implements IHttpServerAdapter {
  private readonly routes: { method: "POST"; path: string; handler: HttpRouteHandler }[] = [];

  constructor(private readonly requireToken: boolean) {}

  registerRoute(method: "POST", path: string, handler: HttpRouteHandler): void {
    this.routes.push({ method, path, handler });
  }

  mount(app: FastifyInstance): void {
    for (const { method, path, handler } of this.routes) this.mountRoute(app, method, path, handler);
  }

  private mountRoute(app: FastifyInstance, method: "POST", path: string, handler: HttpRouteHandler): void {
    app.route({
      method,
      url: path,
      bodyLimit: botActivityMaxBytes,
      ...(this.requireToken ? { onRequest: requireBotToken } : {}),
      handler: async (request, reply) => {
        const result = await handler({
          body: request.body,
          headers: request.headers as Record<string, string | string[]>,
        });
        reply.status(result.status);
        return result.body === undefined ? reply.send() : reply.send(result.body);
      },
    });
  }
}

type SdkLogger = NonNullable<AppOptions<never>["logger"]>;

/** The SDK's logger interface over pino. */
function sdkLogger(logger: Logger): SdkLogger {
  const write =
    (level: "debug" | "info" | "warn" | "error" | "trace") =>
    (...msg: unknown[]) => {
      const [first, ...rest] = msg;
      const err = msg.find((m) => m instanceof Error);
      logger[level](
        {
          sdk: "teams",
          ...(err ? { err } : {}),
          ...(rest.length > 0 ? { details: rest.filter((m) => m !== err) } : {}),
        },
        String(first),
      );
    };
  const self: SdkLogger = {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    trace: write("trace"),
    log: (level: string, ...msg: unknown[]) =>
      write(level === "error" || level === "warn" || level === "info" || level === "trace" ? level : "debug")(
        ...msg,
      ),
    child: () => self,
  };
  return self;
}

/** An outbound message or card activity from a bot reply. */
export const toActivity = (reply: BotReply) =>
  "text" in reply
    ? { type: "message" as const, text: reply.text, textFormat: "markdown" as const }
    : {
        type: "message" as const,
        attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: reply.card }],
      };

export interface TeamsApp {
  /** The SDK app: register activity handlers on it; `sdk.api.http` is its authenticated client. */
  readonly sdk: App;
  /** Fastify plugin that mounts POST /api/messages. */
  readonly plugin: (app: FastifyInstance) => Promise<void>;
}

/** Creates and initialises the SDK app; its endpoint is served once `plugin` is registered. */
export async function createTeamsApp(deps: { config: Config; logger: Logger }): Promise<TeamsApp> {
  const { config, logger } = deps;
  const unauthenticated = config.bot.auth === "off";
  if (unauthenticated) {
    logger.warn(
      "BOT AUTH IS OFF: inbound activities on POST /api/messages are NOT validated (emulator mode only; never in production)",
    );
  }
  const adapter = new FastifyAdapter(!unauthenticated);
  const sdk = new App({
    httpServerAdapter: adapter,
    messagingEndpoint,
    logger: sdkLogger(logger),
    dangerouslyAllowUnauthenticatedRequests: unauthenticated,
    // Explicit values so the SDK never falls back to its own environment variables.
    clientId: config.bot.appId ?? "",
    ...(config.bot.appPassword ? { clientSecret: config.bot.appPassword } : {}),
    tenantId: "",
    // Without a password the app id is used as a user-assigned managed identity (the SDK default).
    managedIdentityClientId: config.bot.appId ?? "",
    serviceUrl: "https://smba.trafficmanager.net/teams",
  });
  await sdk.initialize();
  return {
    sdk,
    plugin: async (app) => adapter.mount(app),
  };
}
