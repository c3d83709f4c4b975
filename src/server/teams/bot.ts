/**
 * The bot's inbound side on the Teams SDK: messages, card actions and installs reach QuorumBot (bot/) as
 * plain calls; who is talking comes from the member store, and each conversation reference is stored for
 * proactive messages (src/server/teams/notifier.ts).
 */
import type { IAdaptiveCard } from "@microsoft/teams.cards";
import type { Logger } from "pino";
import type { CardSigner } from "../../../bot/card-signing.ts";
import type { BotServices, BotUser } from "../../../bot/ports.ts";
import { QuorumBot } from "../../../bot/quorum-bot.ts";
import type { Config } from "../../config.ts";
import type { Clock } from "../../core/clock.ts";
import { errorCatalogue } from "../../core/errors.ts";
import type { ConversationStore } from "../../store/conversations.ts";
import type { Database } from "../../store/db.ts";
import { type TeamsApp, toActivity } from "./app.ts";
import { loadMember } from "./bot-services.ts";

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

const actionError = (statusCode: 400 | 500, message: string) => ({
  code: statusCode === 400 ? "BadRequest" : "InternalServerError",
  message,
  innerHttpError: { statusCode, body: { message } },
});

export interface BotDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly database: Database;
  readonly conversations: ConversationStore;
  readonly signer: CardSigner;
  readonly services: BotServices;
  readonly teams: TeamsApp;
}

/** Answers activities on the Teams app's messaging endpoint with QuorumBot. */
export function serveBot(deps: BotDeps): void {
  const { config, logger, clock, database, conversations } = deps;
  const log = logger;
  const bot = new QuorumBot(deps.services, { clock, signer: deps.signer });

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

  const teams = deps.teams.sdk;
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
}
