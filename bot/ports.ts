/**
 * What the bot needs from the product, as small ports. The service implements them over `src/core`
 * services and the store; the bot never calls Graph and knows nothing of Teams transport.
 */
import type { Actor } from "../src/core/actor.ts";
import type { TimeWindow } from "./when-parser.ts";

/** The person talking to the bot: a Quorum actor plus how to speak to them. */
export interface BotUser extends Actor {
  /** BCP 47 locale from Teams ("pt-BR"). */
  readonly locale: string;
  /** IANA zone used for parsing and showing times. */
  readonly timeZone: string;
}

export interface Person {
  readonly userId: string;
  readonly displayName: string;
  /** SMTP address used for calendars. */
  readonly mail: string;
}

export interface PeopleDirectory {
  /**
   * People in the tenant matching a name or an e-mail address. An exact e-mail/UPN match returns that one
   * person; otherwise every enabled member whose name contains the query (word starts) is returned.
   */
  find(tenantId: string, query: string): Promise<Person[]>;
  /** `find` for several queries at once (one answer per query, in order). */
  findEach(tenantId: string, queries: readonly string[]): Promise<Person[][]>;
}

export type AttendeeState =
  | "free"
  | "tentative"
  | "busy"
  | "oof"
  | "workingElsewhere"
  | "outsideWorkingHours"
  | "unknown";

export interface SlotSuggestion {
  readonly start: number;
  readonly end: number;
  readonly attendees: readonly { readonly person: Person; readonly state: AttendeeState }[];
}

export interface AvailabilityAnswer {
  readonly suggestions: readonly SlotSuggestion[];
  /** With no suggestions: required people free at no time asked for, with what keeps them (out of office, …). */
  readonly unavailable: readonly { readonly person: Person; readonly state: AttendeeState }[];
  /** Attendees whose calendar could not be read (never shown as free). */
  readonly unreadable: readonly { readonly person: Person; readonly message: string }[];
}

export interface BookedMeeting {
  readonly bookingId: string;
  readonly subject: string;
  readonly start: number;
  readonly end: number;
  readonly joinUrl: string | null;
  readonly attendees: readonly string[];
}

export interface Scheduling {
  suggest(
    user: BotUser,
    request: { attendees: readonly Person[]; durationMinutes: number; window: TimeWindow },
  ): Promise<AvailabilityAnswer>;
  /** Books through the same idempotent path as the tab: the same key never books twice. */
  book(
    user: BotUser,
    request: {
      idempotencyKey: string;
      attendees: readonly Person[];
      start: number;
      end: number;
      subject: string;
    },
  ): Promise<BookedMeeting>;
  /** The user's Quorum meetings overlapping the window, by start time. */
  meetings(user: BotUser, window: TimeWindow): Promise<BookedMeeting[]>;
  cancel(user: BotUser, bookingId: string): Promise<void>;
}

export interface MySeats {
  readonly seats: readonly {
    readonly kind: string;
    readonly phoneNumber: string | null;
    readonly state: string;
  }[];
  readonly sync: {
    readonly enabled: boolean;
    readonly status: string;
    readonly lastError: string | null;
  };
}

export interface PoolSummary {
  readonly kind: string;
  readonly total: number;
  readonly used: number;
}

export interface PendingJoinRequest {
  readonly requestId: string;
  readonly person: Person;
  readonly seatKinds: readonly string[];
  readonly message: string | null;
  readonly createdAt: number;
}

/** An admin's invitation as the invitee sees it in chat. */
export interface InvitationView {
  readonly invitationId: string;
  /** The inviting admin's name (null when they left the directory). */
  readonly invitedByName: string | null;
  /** member | scheduler | admin | owner */
  readonly role: string;
  readonly seatKinds: readonly string[];
  /** pending | accepted | declined | revoked */
  readonly state: string;
}

export interface SeatDesk {
  mySeats(user: BotUser): Promise<MySeats>;
  setSync(user: BotUser, enabled: boolean): Promise<void>;
  /** Admin only; throws ROLE_REQUIRED otherwise. */
  pools(user: BotUser): Promise<PoolSummary[]>;
  /** Admin only. */
  pendingRequests(user: BotUser): Promise<PendingJoinRequest[]>;
  /** Admin only. Returns the request as decided (a second decision is a CONFLICT). */
  decide(user: BotUser, requestId: string, approve: boolean): Promise<PendingJoinRequest>;
  /** The invitee answers their invitation: accepting gives the invited seats (all or none), then the role. */
  answerInvitation(user: BotUser, invitationId: string, accept: boolean): Promise<InvitationView>;
}

/** Whom to ask when the organization is not connected: its owners first, then its admins. */
export interface TenantAdmin {
  readonly displayName: string;
  readonly upn: string;
  readonly role: "owner" | "admin";
}

/** The organization's state, checked before every command and card action as the HTTP API checks it. */
export interface TenantGate {
  /**
   * Resolves when the user's organization has granted consent and is reachable; otherwise throws the
   * HTTP API's CONSENT_REQUIRED or RECONNECT_NEEDED DomainError, whose `details.admins` are `TenantAdmin`s.
   */
  admit(user: BotUser): Promise<void>;
}

export interface BotServices {
  readonly tenant: TenantGate;
  readonly directory: PeopleDirectory;
  readonly scheduling: Scheduling;
  readonly seats: SeatDesk;
}
