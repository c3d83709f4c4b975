/**
 * The words and cards of proactive notifications, in the recipient's language and zone.
 */
import type { Notification } from "../src/core/notifier.ts";
import type { CardSigner } from "./card-signing.ts";
import { invitationCard, joinRequestCard } from "./cards.ts";
import { commandWords, formattingLocale, type Language, languageOf } from "./lexicon.ts";
import type { InvitationView, PendingJoinRequest } from "./ports.ts";
import type { BotReply } from "./quorum-bot.ts";
import { say } from "./strings.ts";
import { formatRange } from "./zoned-time.ts";

const kindLabel = (language: Language, kind: string) =>
  kind === "calling" ? say(language, "kindCalling") : kind === "sync" ? say(language, "kindSync") : kind;

export function notificationText(notification: Notification, language: Language, timeZone: string): string {
  switch (notification.kind) {
    case "seatAssigned":
      return notification.phoneNumber
        ? say(language, "notifySeatAssignedNumber", {
            kind: kindLabel(language, notification.seatKind),
            number: notification.phoneNumber,
          })
        : say(language, "notifySeatAssigned", { kind: kindLabel(language, notification.seatKind) });
    case "seatRemoved":
      return say(language, "notifySeatRemoved", { kind: kindLabel(language, notification.seatKind) });
    case "joinRequested":
      return `${say(language, "notifyJoinRequest", {
        name: notification.requesterName,
        kinds: notification.seatKinds.map((k) => kindLabel(language, k)).join(", "),
      })} → **${commandWords[language].requests[0] ?? "requests"}**`;
    case "bookedForYou": {
      const when = formatRange(notification.start, notification.end, formattingLocale[language], timeZone);
      const text = say(language, "notifyBookedForYou", {
        organizer: notification.organizerName,
        subject: notification.subject,
        when,
      });
      return notification.joinUrl ? `${text} [${say(language, "join")}](${notification.joinUrl})` : text;
    }
    case "syncFailed":
      return say(language, "notifySyncFailure", { message: notification.message });
    case "consentLost":
      return say(language, "notifyConsentLost", { message: notification.message });
    case "adminNotice":
    case "userNotice":
      return noticeText(notification.notice, language);
  }
}

/** A service notice (already worded in English by its service) in the recipient's language where known. */
export function noticeText(
  notice: {
    readonly topic: string;
    readonly text: string;
    readonly details?: Readonly<Record<string, unknown>>;
  },
  language: Language,
): string {
  if (notice.topic === "join_request.decided") {
    const decision = notice.details?.decision;
    if (decision === "approved") return say(language, "notifyRequestApproved");
    if (decision === "denied") return say(language, "notifyRequestDenied");
  }
  if (notice.topic === "directory.round_failed" && typeof notice.details?.message === "string")
    return say(language, "notifyDirectoryFailed", { message: notice.details.message });
  const name = typeof notice.details?.name === "string" ? notice.details.name : null;
  if (name && notice.topic === "invitation") return say(language, "notifyInvited", { name });
  if (name && notice.topic === "invitation.accepted")
    return say(language, "notifyInvitationAccepted", { name });
  if (name && notice.topic === "invitation.declined")
    return say(language, "notifyInvitationDeclined", { name });
  return notice.text;
}

/** Who a notice card is for: its actions are signed for that person only. */
export interface NoticeRecipient {
  readonly tenantId: string;
  readonly userId: string;
  readonly locale: string;
  readonly timeZone: string;
}

/** A join request as an approve/deny card for one admin. */
export function joinRequestNotice(
  signer: CardSigner,
  now: number,
  admin: NoticeRecipient,
  request: PendingJoinRequest,
): BotReply {
  const sign = (approve: boolean) =>
    signer.sign({ verb: "decide", requestId: request.requestId, approve }, admin, now);
  return {
    card: joinRequestCard({ language: languageOf(admin.locale), timeZone: admin.timeZone }, request, {
      approve: sign(true),
      deny: sign(false),
    }),
  };
}

/** An invitation as an accept/decline card for the invitee. */
export function invitationNotice(
  signer: CardSigner,
  now: number,
  invitee: NoticeRecipient,
  invitation: InvitationView,
): BotReply {
  const sign = (accept: boolean) =>
    signer.sign({ verb: "invitation", invitationId: invitation.invitationId, accept }, invitee, now);
  return {
    card: invitationCard({ language: languageOf(invitee.locale), timeZone: invitee.timeZone }, invitation, {
      accept: sign(true),
      decline: sign(false),
    }),
  };
}
