/**
 * The Quorum bot on the Teams SDK (@microsoft/teams.apps), mounted on our Fastify server at
 * POST /api/messages through the SDK's HTTP-server adapter seam (no second server). This is the only
 * module that imports the SDK; conversation logic lives in bot/ and knows nothing of Teams.
 */

import { Client as ConnectorClient } from "@microsoft/teams.api";
import { App, type AppOptions, type HttpRouteHandler, type IHttpServerAdapter } from "@microsoft/teams.apps";
import type { IAdaptiveCard } from "@microsoft/teams.cards";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { createCardSigner } from "../../../bot/card-signing.ts";
import { type Language, languageOf } from "../../../bot/lexicon.ts";
import { noticeText, notificationText } from "../../../bot/notifications.ts";
import type { BotServices, BotUser } from "../../../bot/ports.ts";
import { type BotReply, QuorumBot } from "../../../bot/quorum-bot.ts";
import type { Config } from "../../config.ts";
import type { Clock } from "../../core/clock.ts";
import type { Notice } from "../../core/directory/sync.ts";
import { DomainError, errorCatalogue } from "../../core/errors.ts";
import type { Notification, Notifier, NotifyResult } from "../../core/notifier.ts";
import { type ConversationStore, createConversationStore } from "../../store/conversations.ts";
import type { Database } from "../../store/db.ts";
import { botChatRoutes } from "../dev/bot-chat.ts";
import { loadInvitation, loadJoinRequest, loadMember } from "./bot-services.ts";

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

/** Routes the SDK's requests through our Fastify instance. */
class FastifyAdapter implements IHttpServerAdapter {
  constructor(
    private readonly app: FastifyInstance,
    private readonly requireToken: boolean,
  ) {}

  registerRoute(method: "POST", path: string, handler: HttpRouteHandler): void {
    this.app.route({
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

/** The parts of an inbound activity the host reads (validated loosely: Teams adds fields over time). */
interface InboundActivity {
  readonly type: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly replyToId?: string;
  readonly locale?: string;
  readonly localTimezone?: string;
  readonly serviceUrl?: string;
  readonly channelId?: string;
  readonly from: { readonly id: string; readonly name?: string; readonly aadObjectId?: string };
  readonly recipient?: { readonly id: string; readonly name?: string };
  readonly conversation: {
    readonly id: string;
    readonly tenantId?: string;
    readonly conversationType?: string;
  };
  readonly channelData?: { readonly tenant?: { readonly id?: string } };
  readonly entities?: readonly {
    readonly type?: string;
    readonly timezone?: string;
    readonly locale?: string;
  }[];
}

function clientInfo(activity: InboundActivity) {
  return activity.entities?.find((e) => e.type === "clientInfo");
}

const toActivity = (reply: BotReply) =>
  "text" in reply
    ? { type: "message" as const, text: reply.text, textFormat: "markdown" as const }
    : {
        type: "message" as const,
        attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: reply.card }],
      };

const actionError = (statusCode: 400 | 500, message: string) => ({
  code: statusCode === 400 ? "BadRequest" : "InternalServerError",
  message,
  innerHttpError: { statusCode, body: { message } },
});

export interface BotHostDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly database: Database;
  readonly services: BotServices;
}

export interface BotHost {
  /** Fastify plugin that mounts POST /api/messages. */
  readonly plugin: (app: FastifyInstance) => Promise<void>;
  /** Proactive notifications through stored conversation references. */
  readonly notifier: Notifier;
  /** Delivers a seat/directory notice (already worded by its service) to a user or to the tenant's admins. */
  deliverNotice(tenantId: string, to: "admins" | { userId: string }, notice: Notice): Promise<void>;
}

export function createBotHost(deps: BotHostDeps): BotHost {
  const { config, logger, clock, database } = deps;
  const log = logger.child({ component: "bot" });
  const conversations: ConversationStore = createConversationStore(database, clock);
  const bot = new QuorumBot(deps.services, { clock, signer: createCardSigner(config.secretKey) });
  let teams: App | undefined;

  async function userOf(activity: InboundActivity): Promise<BotUser | undefined> {
    const tenantId = activity.channelData?.tenant?.id ?? activity.conversation.tenantId;
    const userId = activity.from.aadObjectId;
    if (!tenantId || !userId) return undefined;
    const member = await loadMember(database, tenantId, userId);
    const info = clientInfo(activity);
    return {
      tenantId,
      userId,
      upn: member?.upn ?? "",
      displayName: member?.displayName || activity.from.name || "",
      roles: member?.roles ?? [],
      locale: activity.locale ?? info?.locale ?? member?.locale ?? "en-US",
      timeZone: activity.localTimezone ?? info?.timezone ?? member?.timeZone ?? "UTC",
    };
  }

  /** What was last stored per user, so an unchanged reference is not written on every message. */
  const remembered = new Map<string, string>();
  async function remember(activity: InboundActivity, user: BotUser): Promise<void> {
    if (!activity.serviceUrl) return;
    const ref = {
      tenantId: user.tenantId,
      userId: user.userId,
      conversationId: activity.conversation.id,
      serviceUrl: activity.serviceUrl,
      reference: {
        channelId: activity.channelId ?? "msteams",
        serviceUrl: activity.serviceUrl,
        bot: activity.recipient ?? { id: config.bot.appId ?? "quorum" },
        user: { id: activity.from.id, aadObjectId: user.userId, name: activity.from.name },
        conversation: activity.conversation,
        timeZone: user.timeZone,
      },
      locale: user.locale,
    };
    const key = `${user.tenantId}/${user.userId}`;
    const fingerprint = JSON.stringify(ref);
    if (remembered.get(key) === fingerprint) return;
    await conversations.save(ref);
    remembered.set(key, fingerprint);
  }

  const plugin = async (app: FastifyInstance): Promise<void> => {
    const unauthenticated = config.bot.auth === "off";
    if (unauthenticated) {
      log.warn(
        "BOT AUTH IS OFF: inbound activities on POST /api/messages are NOT validated (emulator mode only; never in production)",
      );
    }
    teams = new App({
      httpServerAdapter: new FastifyAdapter(app, !unauthenticated),
      messagingEndpoint,
      logger: sdkLogger(log),
      dangerouslyAllowUnauthenticatedRequests: unauthenticated,
      // Explicit values so the SDK never falls back to its own environment variables.
      clientId: config.bot.appId ?? "",
      ...(config.bot.appPassword ? { clientSecret: config.bot.appPassword } : {}),
      tenantId: "",
      // Without a password the app id is used as a user-assigned managed identity (the SDK default).
      managedIdentityClientId: config.bot.appId ?? "",
      serviceUrl: "https://smba.trafficmanager.net/teams",
    });

    teams.on("message", async (ctx) => {
      const activity = ctx.activity as unknown as InboundActivity;
      const user = await userOf(activity);
      if (!user) {
        log.warn(
          { conversation: activity.conversation.id },
          "message without a tenant or Entra user id ignored",
        );
        return;
      }
      try {
        await remember(activity, user);
        if (activity.value !== undefined && activity.value !== null && !activity.text) {
          // Action.Submit from a card (clients without Universal Actions): update the card in place.
          const answer = await bot.onAction(user, activity.value);
          if (!answer.accepted)
            log.warn({ tenantId: user.tenantId, userId: user.userId }, "card submit rejected");
          await ctx.send({
            ...toActivity({ card: answer.card }),
            ...(activity.replyToId ? { id: activity.replyToId } : {}),
          });
          return;
        }
        for (const reply of await bot.onMessage(user, activity.text ?? "")) await ctx.send(toActivity(reply));
      } catch (error) {
        // Logged with its cause, and the person is told: a failure is never silence.
        log.error({ err: error, tenantId: user.tenantId, userId: user.userId }, "bot message failed");
        await ctx.send(toActivity(bot.failure(user)));
      }
    });

    teams.on("card.action", async (ctx) => {
      const activity = ctx.activity as unknown as InboundActivity & {
        value: { action?: { verb?: string; data?: unknown } };
      };
      const user = await userOf(activity);
      if (!user) {
        return {
          statusCode: 400 as const,
          type: "application/vnd.microsoft.error" as const,
          value: actionError(400, "The action has no tenant or user."),
        };
      }
      try {
        await remember(activity, user);
        const answer = await bot.onAction(user, activity.value.action?.data);
        if (!answer.accepted) {
          log.warn(
            { tenantId: user.tenantId, userId: user.userId },
            "card action rejected (unverifiable data)",
          );
          return {
            statusCode: 400 as const,
            type: "application/vnd.microsoft.error" as const,
            value: actionError(400, "The card's data could not be verified; nothing was done."),
          };
        }
        return {
          statusCode: 200 as const,
          type: "application/vnd.microsoft.card.adaptive" as const,
          value: answer.card as unknown as IAdaptiveCard,
        };
      } catch (error) {
        log.error({ err: error, tenantId: user.tenantId, userId: user.userId }, "bot card action failed");
        return {
          statusCode: 500 as const,
          type: "application/vnd.microsoft.error" as const,
          value: actionError(500, errorCatalogue.INTERNAL.message),
        };
      }
    });

    teams.on("install.add", async (ctx) => {
      const activity = ctx.activity as unknown as InboundActivity;
      const user = await userOf(activity);
      if (!user) return;
      await remember(activity, user);
      await ctx.send(toActivity(bot.welcome(user)));
    });

    teams.event("error", ({ error }) => log.error({ err: error }, "bot activity failed"));

    await teams.initialize();
    if (config.devHosts) await botChatRoutes({ database })(app);
  };

  async function deliver(
    tenantId: string,
    userId: string,
    message: Notification | ((to: { language: Language; timeZone: string; locale: string }) => BotReply),
  ): Promise<boolean> {
    const stored = await conversations.get(tenantId, userId);
    if (!stored) return false;
    if (!teams) throw new Error("The bot is not mounted yet.");
    const timeZone =
      (typeof stored.reference.timeZone === "string" ? stored.reference.timeZone : null) ??
      (await conversations.timeZoneOf(tenantId, userId)) ??
      "UTC";
    const locale = stored.locale ?? "en-US";
    const language = languageOf(locale);
    const reply: BotReply =
      typeof message === "function"
        ? message({ language, timeZone, locale })
        : { text: notificationText(message, language, timeZone) };
    const connector = new ConnectorClient(stored.serviceUrl, teams.api.http);
    const bot = stored.reference.bot as { id: string; name?: string } | undefined;
    await connector.conversations.activities(stored.conversationId).create({
      ...toActivity(reply),
      ...(bot ? { from: { id: bot.id, name: bot.name ?? "Quorum", role: "bot" as const } } : {}),
    });
    return true;
  }

  const notifier: Notifier = {
    async notify(notification): Promise<NotifyResult> {
      const recipients =
        notification.kind === "joinRequested"
          ? await conversations.adminIds(notification.tenantId)
          : notification.kind === "consentLost"
            ? await conversations.adminIds(notification.tenantId, "owner")
            : [notification.userId];
      let delivered = 0;
      const unreachable: string[] = [];
      for (const userId of recipients) {
        if (await deliver(notification.tenantId, userId, notification)) delivered += 1;
        else unreachable.push(userId);
      }
      log.info({ kind: notification.kind, delivered, unreachable: unreachable.length }, "notification sent");
      return { delivered, unreachable };
    },
  };

  async function deliverNotice(tenantId: string, to: "admins" | { userId: string }, notice: Notice) {
    const recipients = to === "admins" ? await conversations.adminIds(tenantId) : [to.userId];
    const requestId = notice.details?.requestId;
    // A new join request reaches each admin as an approve/deny card signed for that admin.
    const request =
      notice.topic === "join_request" && typeof requestId === "string"
        ? await loadJoinRequest(database, tenantId, requestId)
        : undefined;
    // An invitation reaches the invitee as an accept/decline card signed for them.
    const invitationId = notice.details?.invitationId;
    const invitation =
      notice.topic === "invitation" && typeof invitationId === "string"
        ? await loadInvitation(database, tenantId, invitationId)
        : undefined;
    let delivered = 0;
    for (const userId of recipients) {
      const sent = await deliver(tenantId, userId, ({ language, timeZone, locale }) =>
        request
          ? bot.joinRequestNotice({ tenantId, userId, locale, timeZone }, request)
          : invitation?.state === "pending"
            ? bot.invitationNotice({ tenantId, userId, locale, timeZone }, invitation)
            : { text: noticeText(notice, language) },
      );
      if (sent) delivered += 1;
    }
    log.info({ topic: notice.topic, delivered, recipients: recipients.length }, "notice sent");
  }

  return { plugin, notifier, deliverNotice };
}
