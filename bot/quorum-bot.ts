/**
 * The bot's conversation flows: a message or a card action in, replies out. Plain TypeScript over the
 * bot's ports; the Teams host turns replies into activities and invoke responses.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../src/core/clock.ts";
import { DomainError, isDomainError } from "../src/core/errors.ts";
import type { CardPayload, CardSigner } from "./card-signing.ts";
import {
  type CardJson,
  choiceCard,
  confirmationCard,
  helpCard,
  invitationCard,
  joinRequestCard,
  meetingsCard,
  messageCard,
  poolsCard,
  seatCard,
  slotTakenCard,
  suggestionsCard,
  type Viewer,
} from "./cards.ts";
import { type Command, parseCommand } from "./command-parser.ts";
import { commandWords, formattingLocale, type Language, languageOf } from "./lexicon.ts";
import type { BookedMeeting, BotServices, BotUser, Person, SlotSuggestion, TenantAdmin } from "./ports.ts";
import { say, usageKey } from "./strings.ts";
import type { TimeWindow } from "./when-parser.ts";
import { meetingsWindow } from "./when-parser.ts";
import { formatRange } from "./zoned-time.ts";

/** The name to quote in "ask your admin <name>": the owner first, else any admin. */
function whomToAsk(admins: unknown): string | undefined {
  if (!Array.isArray(admins)) return undefined;
  const contacts = admins.filter(
    (a): a is TenantAdmin => typeof a === "object" && a !== null && typeof a.upn === "string",
  );
  const first = contacts.find((a) => a.role === "owner") ?? contacts[0];
  return first ? first.displayName || first.upn : undefined;
}

/** Seat rules the bot words in the person's language; other reasons keep the service's message. */
function seatReasonText(language: Language, error: DomainError): string | undefined {
  const reason = error.details?.reason ?? error.code;
  if (reason === "SYNC_SEAT_REQUIRED") return say(language, "seatSyncRequired");
  if (reason !== "SEAT_POOL_EXHAUSTED") return undefined;
  const pool = error.details?.pool;
  const kind =
    pool === "calling"
      ? say(language, "kindCalling")
      : pool === "sync"
        ? say(language, "kindSync")
        : undefined;
  const total = error.details?.total;
  return kind && typeof total === "number"
    ? say(language, "seatPoolExhausted", { pool: kind, total })
    : undefined;
}

/** A domain error as the person reads it, in their language; a missing connection names whom to ask. */
function errorText(language: Language, error: DomainError): string {
  if (error.code === "CONSENT_REQUIRED" || error.code === "RECONNECT_NEEDED") {
    const admin = whomToAsk(error.details?.admins);
    if (error.code === "CONSENT_REQUIRED") {
      return admin ? say(language, "consentRequired", { admin }) : say(language, "consentRequiredNoName");
    }
    return admin ? say(language, "reconnectNeeded", { admin }) : say(language, "reconnectNeededNoName");
  }
  const seatText = seatReasonText(language, error);
  if (seatText) return say(language, "errorPrefix", { message: seatText });
  const required = error.details?.required;
  const adminsOnly =
    error.code === "ROLE_REQUIRED" &&
    Array.isArray(required) &&
    required.length > 0 &&
    required.every((r) => r === "owner" || r === "admin");
  return say(language, "errorPrefix", { message: adminsOnly ? say(language, "adminsOnly") : error.message });
}

export type BotReply = { readonly text: string } | { readonly card: CardJson };

/** What a card action answers: the card that replaces the clicked one. */
export interface ActionAnswer {
  readonly card: CardJson;
  /** False when the action was refused (tampered, expired, or someone else's card). */
  readonly accepted: boolean;
}

export interface QuorumBotOptions {
  readonly clock: Clock;
  readonly signer: CardSigner;
  /** How many suggestions a card shows. */
  readonly maxSuggestions?: number;
  /** How far ahead `cancel <n>` numbers upcoming meetings (days). */
  readonly upcomingDays?: number;
  /** Card ids (used as the booking idempotency key); random by default. */
  readonly newCardId?: () => string;
}

type Resolution = { ok: true; people: Person[] } | { ok: false; reply: BotReply };

export class QuorumBot {
  private readonly maxSuggestions: number;
  private readonly upcomingDays: number;
  private readonly newCardId: () => string;

  constructor(
    private readonly services: BotServices,
    private readonly options: QuorumBotOptions,
  ) {
    this.maxSuggestions = options.maxSuggestions ?? 5;
    this.upcomingDays = options.upcomingDays ?? 31;
    this.newCardId = options.newCardId ?? randomUUID;
  }

  /** Handles a chat message. Always answers (never silence); domain errors become a readable reply. */
  /**
   * Handles a chat message. Always answers (never silence); domain errors become a readable reply. Nothing
   * runs unless the organization is connected (the same check as the HTTP API's).
   */
  async onMessage(user: BotUser, text: string): Promise<BotReply[]> {
    const language = languageOf(user.locale);
    const command = parseCommand(text, {
      language,
      referenceMs: this.options.clock.now(),
      timeZone: user.timeZone,
    });
    try {
      await this.services.tenant.admit(user);
      return await this.run(user, language, command, text, {});
    } catch (error) {
      if (isDomainError(error)) return [{ text: errorText(language, error) }];
      throw error;
    }
  }

  /**
   * Handles a card action (Action.Execute / Action.Submit data): verified as signed for this user, then
   * run only if the organization is connected, like a message.
   */
  async onAction(user: BotUser, data: unknown): Promise<ActionAnswer> {
    const language = languageOf(user.locale);
    const verified = this.options.signer.verify(data, user, this.options.clock.now());
    if (!verified.ok) {
      const key = verified.reason === "expired" ? "actionExpired" : "actionRejected";
      return { accepted: false, card: messageCard(say(language, key), "attention") };
    }
    try {
      await this.services.tenant.admit(user);
      return { accepted: true, card: await this.act(user, language, verified.payload) };
    } catch (error) {
      if (isDomainError(error)) {
        return { accepted: true, card: messageCard(errorText(language, error), "attention") };
      }
      throw error;
    }
  }

  /** What the person is told when handling failed unexpectedly (the cause is logged by the host). */
  failure(user: BotUser): BotReply {
    return { text: say(languageOf(user.locale), "unexpectedError") };
  }

  /** A localized welcome, sent when the app is installed. */
  welcome(user: BotUser): BotReply {
    return { text: say(languageOf(user.locale), "welcome", { name: user.displayName }) };
  }

  private viewer(user: BotUser, language: Language): Viewer {
    return { language, timeZone: user.timeZone };
  }

  /** Signs a card action for the one person who may use it. */
  private sign(owner: { tenantId: string; userId: string }, payload: CardPayload) {
    return this.options.signer.sign(payload, owner, this.options.clock.now());
  }

  private async run(
    user: BotUser,
    language: Language,
    command: Command,
    text: string,
    pinned: Record<string, Person>,
  ): Promise<BotReply[]> {
    const viewer = this.viewer(user, language);
    switch (command.kind) {
      case "help":
        return [{ card: helpCard(viewer) }];
      case "unknown":
        return [
          {
            text: command.suggestion
              ? say(language, "didYouMean", {
                  input: command.input,
                  command: commandWords[language][command.suggestion][0] ?? command.suggestion,
                })
              : say(language, "notUnderstood", { input: command.input }),
          },
        ];
      case "usage": {
        const key = usageKey[command.command];
        return [{ text: say(language, "usage", { usage: key ? say(language, key) : command.command }) }];
      }
      case "availability":
      case "book": {
        const resolution = await this.resolvePeople(user, viewer, command.people, text, pinned);
        if (!resolution.ok) return [resolution.reply];
        const people = resolution.people;
        const durationMinutes = command.kind === "book" ? command.durationMinutes : 30;
        const answer = await this.services.scheduling.suggest(user, {
          attendees: people,
          durationMinutes,
          window: command.window,
        });
        const shown = {
          people,
          suggestions: answer.suggestions.slice(0, this.maxSuggestions),
          unreadable: answer.unreadable,
          unavailable: answer.unavailable,
        };
        if (command.kind === "availability") return [{ card: suggestionsCard(viewer, shown) }];
        const key = `bot-card:${this.newCardId()}`;
        const subject = command.subject ?? say(language, "defaultSubject");
        const attendees = people.map((p) => ({ userId: p.userId, displayName: p.displayName, mail: p.mail }));
        return [
          {
            card: suggestionsCard(viewer, {
              ...shown,
              bookAction: (s) =>
                this.sign(user, { verb: "book", key, start: s.start, end: s.end, subject, attendees }),
            }),
          },
        ];
      }
      case "meetings": {
        const window = meetingsWindow(command.range, this.whenContext(user, language));
        const numbered = await this.upcoming(user, language);
        const shown = numbered.filter(
          (m) => m.meeting.end > window.startMs && m.meeting.start < window.endMs,
        );
        return [{ card: meetingsCard(viewer, shown) }];
      }
      case "cancel": {
        const numbered = await this.upcoming(user, language);
        const target = numbered.find((m) => m.n === command.index);
        if (!target) return [{ text: say(language, "noSuchMeeting", { n: command.index }) }];
        await this.services.scheduling.cancel(user, target.meeting.bookingId);
        const when = formatRange(
          target.meeting.start,
          target.meeting.end,
          formattingLocale[language],
          user.timeZone,
        );
        return [{ text: say(language, "cancelled", { subject: target.meeting.subject, when }) }];
      }
      case "seat":
        return [{ card: seatCard(viewer, await this.services.seats.mySeats(user)) }];
      case "sync":
        await this.services.seats.setSync(user, command.enabled);
        return [{ text: say(language, command.enabled ? "syncChangedOn" : "syncChangedOff") }];
      case "seats":
        return [{ card: poolsCard(viewer, await this.services.seats.pools(user)) }];
      case "requests": {
        const pending = await this.services.seats.pendingRequests(user);
        if (pending.length === 0) return [{ text: say(language, "noRequests") }];
        return [
          { text: say(language, "requestsTitle") },
          ...pending.map((request) => ({
            card: joinRequestCard(viewer, request, {
              approve: this.sign(user, { verb: "decide", requestId: request.requestId, approve: true }),
              deny: this.sign(user, { verb: "decide", requestId: request.requestId, approve: false }),
            }),
          })),
        ];
      }
    }
  }

  private whenContext(user: BotUser, language: Language) {
    return { language, referenceMs: this.options.clock.now(), timeZone: user.timeZone };
  }

  /** The user's upcoming meetings, numbered from 1 by start; `meetings` and `cancel <n>` share it. */
  private async upcoming(
    user: BotUser,
    language: Language,
  ): Promise<{ n: number; meeting: BookedMeeting }[]> {
    const ctx = this.whenContext(user, language);
    const today = meetingsWindow("today", ctx);
    const window: TimeWindow = {
      startMs: today.startMs,
      endMs: ctx.referenceMs + this.upcomingDays * 24 * 60 * 60 * 1000,
    };
    const meetings = await this.services.scheduling.meetings(user, window);
    return [...meetings]
      .sort((a, b) => a.start - b.start || a.bookingId.localeCompare(b.bookingId))
      .map((meeting, i) => ({ n: i + 1, meeting }));
  }

  private async resolvePeople(
    user: BotUser,
    viewer: Viewer,
    queries: readonly string[],
    text: string,
    pinned: Record<string, Person>,
  ): Promise<Resolution> {
    const open = queries.filter((q) => !pinned[q.toLowerCase()]);
    const answers = await this.services.directory.findEach(user.tenantId, open);
    const found = new Map(open.map((q, i) => [q, answers[i] ?? []]));
    const people: Person[] = [];
    for (const query of queries) {
      const chosen = pinned[query.toLowerCase()];
      if (chosen) {
        people.push(chosen);
        continue;
      }
      const matches = found.get(query) ?? [];
      if (matches.length === 0) {
        return { ok: false, reply: { text: say(viewer.language, "nobodyFound", { query }) } };
      }
      if (matches.length > 1) {
        const candidates = matches.slice(0, 10).map((person) => ({
          person,
          data: this.sign(user, {
            verb: "choose",
            text,
            pinned: { ...pinned, [query.toLowerCase()]: person },
          }),
        }));
        return { ok: false, reply: { card: choiceCard(viewer, query, candidates) } };
      }
      people.push(matches[0]!);
    }
    const unique = new Map(people.map((p) => [p.userId, p]));
    return { ok: true, people: [...unique.values()] };
  }

  private async act(user: BotUser, language: Language, payload: CardPayload): Promise<CardJson> {
    const viewer = this.viewer(user, language);
    switch (payload.verb) {
      case "book": {
        try {
          const meeting = await this.services.scheduling.book(user, {
            idempotencyKey: payload.key,
            attendees: payload.attendees,
            start: payload.start,
            end: payload.end,
            subject: payload.subject,
          });
          return confirmationCard(
            viewer,
            meeting,
            payload.attendees.map((a) => a.displayName),
          );
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== "SLOT_NO_LONGER_FREE") throw error;
          // Another booking took the time: offer the free ones instead, each a new intent with its own key.
          const key = `bot-card:${this.newCardId()}`;
          return slotTakenCard(viewer, {
            alternatives: alternativesOf(error.details?.alternatives),
            bookAction: (s) => this.sign(user, { ...payload, key, start: s.start, end: s.end }),
          });
        }
      }
      case "choose": {
        const command = parseCommand(payload.text, this.whenContext(user, language));
        const replies = await this.run(user, language, command, payload.text, payload.pinned);
        const first = replies[0];
        if (!first) throw new DomainError("INTERNAL", "The command produced no reply.");
        return "card" in first ? first.card : messageCard(first.text);
      }
      case "decide": {
        const request = await this.services.seats.decide(user, payload.requestId, payload.approve);
        return joinRequestCard(viewer, request, { decided: payload.approve ? "approved" : "denied" });
      }
      case "invitation": {
        const invitation = await this.services.seats.answerInvitation(
          user,
          payload.invitationId,
          payload.accept,
        );
        return invitationCard(viewer, invitation, { answered: payload.accept ? "accepted" : "declined" });
      }
    }
  }
}

/** The alternatives a SLOT_NO_LONGER_FREE answer carries, as slots to book (malformed entries skipped). */
function alternativesOf(value: unknown): SlotSuggestion[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((a: unknown) => {
    const start = (a as { start?: unknown } | null)?.start;
    const end = (a as { end?: unknown } | null)?.end;
    return typeof start === "number" && typeof end === "number" ? [{ start, end, attendees: [] }] : [];
  });
}
