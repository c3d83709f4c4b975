/**
 * The Notifier port, the one way every feature tells people about things that happened to them: a
 * discriminated union of typed events. Core services call it after a change is committed; the Teams
 * adapter (src/server/teams/notifier.ts) delivers each event through the bot's stored conversation
 * references, and the server audits notices before they are delivered.
 */

/** A notice its service words itself (seats, invitations, directory rounds); kept in the audit log. */
export interface Notice {
  readonly topic:
    | "seats.lost"
    | "seats.restored"
    | "join_request"
    | "join_request.decided"
    | "invitation"
    | "invitation.accepted"
    | "invitation.declined"
    | "directory.round_failed";
  readonly text: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Notification =
  | {
      readonly kind: "seatAssigned";
      readonly tenantId: string;
      readonly userId: string;
      readonly seatKind: string;
      readonly phoneNumber?: string | null;
    }
  | {
      readonly kind: "seatRemoved";
      readonly tenantId: string;
      readonly userId: string;
      readonly seatKind: string;
    }
  /** Sent to every owner and admin of the tenant. */
  | {
      readonly kind: "joinRequested";
      readonly tenantId: string;
      readonly requestId: string;
      readonly requesterName: string;
      readonly seatKinds: readonly string[];
    }
  /** A scheduler booked a meeting into this user's calendar. */
  | {
      readonly kind: "bookedForYou";
      readonly tenantId: string;
      readonly userId: string;
      readonly organizerName: string;
      readonly subject: string;
      /** UTC epoch ms. */
      readonly start: number;
      readonly end: number;
      readonly joinUrl?: string | null;
    }
  | {
      readonly kind: "syncFailed";
      readonly tenantId: string;
      readonly userId: string;
      readonly message: string;
    }
  /** Sent to the tenant's owners. */
  | { readonly kind: "consentLost"; readonly tenantId: string; readonly message: string }
  /** Sent to every owner and admin of the tenant. */
  | { readonly kind: "adminNotice"; readonly tenantId: string; readonly notice: Notice }
  | {
      readonly kind: "userNotice";
      readonly tenantId: string;
      readonly userId: string;
      readonly notice: Notice;
    };

export interface NotifyResult {
  /** Messages delivered. */
  readonly delivered: number;
  /** Recipients with no conversation with the bot yet (the app is not installed for them). */
  readonly unreachable: readonly string[];
}

export interface Notifier {
  /** Delivers a notification; a delivery failure rejects (nothing is silently dropped). */
  notify(notification: Notification): Promise<NotifyResult>;
}

/** A notice for every owner and admin of the tenant. */
export const adminNotice = (tenantId: string, notice: Notice): Notification => ({
  kind: "adminNotice",
  tenantId,
  notice,
});

/** A notice for one person. */
export const userNotice = (tenantId: string, userId: string, notice: Notice): Notification => ({
  kind: "userNotice",
  tenantId,
  userId,
  notice,
});
