/**
 * The Notifier port: tells people in Teams about things that happened to them. Core services call it
 * after a change is committed; the bot host implements it with stored conversation references.
 */

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
  | { readonly kind: "consentLost"; readonly tenantId: string; readonly message: string };

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
