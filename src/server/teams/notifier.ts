/**
 * Proactive Teams messages: the Notifier port (src/core/notifier.ts) delivered through the conversation
 * references the bot stored when each person last talked to it, worded in their language and zone.
 */
import { Client as ConnectorClient } from "@microsoft/teams.api";
import type { App } from "@microsoft/teams.apps";
import type { Logger } from "pino";
import type { CardSigner } from "../../../bot/card-signing.ts";
import { type Language, languageOf } from "../../../bot/lexicon.ts";
import {
  invitationNotice,
  joinRequestNotice,
  noticeText,
  notificationText,
} from "../../../bot/notifications.ts";
import type { BotReply } from "../../../bot/quorum-bot.ts";
import type { Clock } from "../../core/clock.ts";
import type { Notice, Notification, Notifier, NotifyResult } from "../../core/notifier.ts";
import type { ConversationStore } from "../../store/conversations.ts";
import type { Database } from "../../store/db.ts";
import { toActivity } from "./app.ts";
import { loadInvitation, loadJoinRequest } from "./bot-services.ts";

/** A reply worded for its recipient's language, zone and locale. */
type ReplyFor = (to: { language: Language; timeZone: string; locale: string }) => BotReply;

export function createTeamsNotifier(deps: {
  sdk: App;
  conversations: ConversationStore;
  database: Database;
  signer: CardSigner;
  clock: Clock;
  logger: Logger;
}): Notifier {
  const { sdk, conversations, database, signer, clock, logger: log } = deps;

  async function deliver(
    tenantId: string,
    userId: string,
    message: Notification | ReplyFor,
  ): Promise<boolean> {
    const stored = await conversations.get(tenantId, userId);
    if (!stored) return false;
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
    const connector = new ConnectorClient(stored.serviceUrl, sdk.api.http);
    const bot = stored.reference.bot as { id: string; name?: string } | undefined;
    await connector.conversations.activities(stored.conversationId).create({
      ...toActivity(reply),
      ...(bot ? { from: { id: bot.id, name: bot.name ?? "Quorum", role: "bot" as const } } : {}),
    });
    return true;
  }

  /** Who an event is for: the tenant's admins, its owners, or one person. */
  async function recipientsOf(notification: Notification): Promise<readonly string[]> {
    switch (notification.kind) {
      case "joinRequested":
      case "adminNotice":
        return conversations.adminIds(notification.tenantId);
      case "consentLost":
        return conversations.adminIds(notification.tenantId, "owner");
      default:
        return [notification.userId];
    }
  }

  /**
   * A notice's reply: a new join request reaches each admin as an approve/deny card signed for that
   * admin, an invitation reaches the invitee as an accept/decline card signed for them; other notices
   * are text.
   */
  async function noticeReply(tenantId: string, notice: Notice) {
    const requestId = notice.details?.requestId;
    const request =
      notice.topic === "join_request" && typeof requestId === "string"
        ? await loadJoinRequest(database, tenantId, requestId)
        : undefined;
    const invitationId = notice.details?.invitationId;
    const invitation =
      notice.topic === "invitation" && typeof invitationId === "string"
        ? await loadInvitation(database, tenantId, invitationId)
        : undefined;
    return (userId: string): ReplyFor =>
      ({ language, timeZone, locale }) => {
        const recipient = { tenantId, userId, locale, timeZone };
        if (request) return joinRequestNotice(signer, clock.now(), recipient, request);
        if (invitation?.state === "pending")
          return invitationNotice(signer, clock.now(), recipient, invitation);
        return { text: noticeText(notice, language) };
      };
  }

  return {
    async notify(notification): Promise<NotifyResult> {
      const recipients = await recipientsOf(notification);
      const notice =
        notification.kind === "adminNotice" || notification.kind === "userNotice"
          ? await noticeReply(notification.tenantId, notification.notice)
          : undefined;
      let delivered = 0;
      const unreachable: string[] = [];
      for (const userId of recipients) {
        if (await deliver(notification.tenantId, userId, notice ? notice(userId) : notification))
          delivered += 1;
        else unreachable.push(userId);
      }
      log.info(
        {
          kind: notification.kind,
          ...(notice && "notice" in notification ? { topic: notification.notice.topic } : {}),
          delivered,
          unreachable: unreachable.length,
        },
        "notification sent",
      );
      return { delivered, unreachable };
    },
  };
}
