/**
 * Directory import: pages of user changes (Graph `/users/delta`) flow into batched upserts one page at a
 * time, so memory is bounded by a page, not by the tenant. The delta link of a finished round is kept and
 * replayed next round, which then carries only changes. Users who became disabled or deleted lose their
 * seats (suspended, reversible while only soft-deleted); users enabled or restored get them back; admins
 * are told either way.
 */
import type { Notifier } from "../notifier.ts";

export interface DirectoryUserRecord {
  readonly userId: string;
  readonly displayName: string;
  /** Primary SMTP address; null when the user has no mailbox. */
  readonly mail: string | null;
  readonly upn: string;
  /** Raw proxy addresses as Graph returns them (`SMTP:primary`, `smtp:alias`, `SIP:...`). */
  readonly proxyAddresses: readonly string[];
  readonly accountEnabled: boolean;
  readonly department: string | null;
  readonly jobTitle: string | null;
  readonly usageLocation: string | null;
  /**
   * The IANA zone of the user's mailbox (from its settings, the country picking among the zones of a
   * Windows zone); null when the user has no mailbox, undefined when the source does not read it.
   */
  readonly timeZone?: string | null;
}

export type DirectoryChange =
  | { readonly type: "user"; readonly user: DirectoryUserRecord }
  /** `permanent` false: soft-deleted (restorable for 30 days); true: gone for good. */
  | { readonly type: "removed"; readonly userId: string; readonly permanent: boolean };

export interface DirectoryPage {
  readonly changes: readonly DirectoryChange[];
  /** Present on the last page of a round. */
  readonly deltaLink?: string;
}

export interface DirectoryGroup {
  readonly groupId: string;
  readonly displayName: string;
  readonly mail: string | null;
  readonly memberIds: readonly string[];
}

/** Raised by a source when a stored delta link is no longer accepted; the round restarts in full. */
export class DeltaExpiredError extends Error {
  constructor(message = "The directory delta link has expired.", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DeltaExpiredError";
  }
}

/** Where directory changes come from (Graph in production, the emulator in development). */
export interface DirectorySource {
  userChanges(deltaLink: string | null): AsyncIterable<DirectoryPage>;
  groups(): AsyncIterable<DirectoryGroup>;
}

/** What an applied page did to people's access. */
export interface PageOutcome {
  /** Enabled, live users who are now disabled or soft-deleted. */
  readonly lostAccess: readonly string[];
  /** Users hard-deleted from the directory. */
  readonly deletedForGood: readonly string[];
  /** Disabled or soft-deleted users who are enabled and live again. */
  readonly regainedAccess: readonly string[];
}

export interface DirectoryStore {
  deltaLink(tenantId: string): Promise<string | null>;
  /** Applies one page in a batch; only fields present change. */
  applyPage(tenantId: string, changes: readonly DirectoryChange[]): Promise<PageOutcome>;
  /** Replaces the tenant's groups and their members. */
  replaceGroups(tenantId: string, groups: AsyncIterable<DirectoryGroup>): Promise<number>;
  finishRound(tenantId: string, deltaLink: string): Promise<void>;
}

/** Takes seats away from people who lost directory access and gives them back when it returns. */
export interface SeatKeeper {
  suspend(tenantId: string, userIds: readonly string[], reason: string, permanent: boolean): Promise<number>;
  restore(
    tenantId: string,
    userIds: readonly string[],
    reason: string,
  ): Promise<{ restored: number; waiting: number }>;
}

export interface DirectorySyncReport {
  readonly full: boolean;
  readonly pages: number;
  readonly users: number;
  readonly removed: number;
  readonly groups: number;
  readonly seatsSuspended: number;
  readonly seatsRestored: number;
  readonly seatsWaiting: number;
}

export async function syncDirectory(deps: {
  tenantId: string;
  source: DirectorySource;
  store: DirectoryStore;
  seats: SeatKeeper;
  notifier: Notifier;
  /** Also re-read groups and their members (default true). */
  groups?: boolean;
}): Promise<DirectorySyncReport> {
  const { tenantId, source, store, seats, notifier } = deps;
  let link = await store.deltaLink(tenantId);
  let full = link === null;
  let pages = 0;
  let users = 0;
  let removed = 0;
  const lost = new Set<string>();
  const gone = new Set<string>();
  const regained = new Set<string>();
  let finalLink: string | undefined;

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      for await (const page of source.userChanges(link)) {
        pages++;
        const outcome = await store.applyPage(tenantId, page.changes);
        for (const c of page.changes) {
          if (c.type === "user") users++;
          else removed++;
        }
        for (const id of outcome.lostAccess) {
          lost.add(id);
          regained.delete(id);
        }
        for (const id of outcome.deletedForGood) {
          gone.add(id);
          lost.delete(id);
          regained.delete(id);
        }
        for (const id of outcome.regainedAccess) {
          regained.add(id);
          lost.delete(id);
        }
        if (page.deltaLink) finalLink = page.deltaLink;
      }
      break;
    } catch (error) {
      if (!(error instanceof DeltaExpiredError) || link === null) throw error;
      // The stored link expired: start over with a full round.
      link = null;
      full = true;
    }
  }
  if (finalLink === undefined) {
    throw new Error("The directory source ended a round without a delta link.");
  }

  const suspended =
    (await seats.suspend(tenantId, [...lost], "disabled or deleted in the directory", false)) +
    (await seats.suspend(tenantId, [...gone], "permanently deleted from the directory", true));
  const back = await seats.restore(tenantId, [...regained], "enabled or restored in the directory");

  if (suspended > 0) {
    await notifier.notify({
      kind: "adminNotice",
      tenantId,
      notice: {
        topic: "seats.lost",
        text: `${suspended} seat(s) were taken from users disabled or deleted in the directory. They come back if the users are enabled or restored.`,
        details: { users: [...lost, ...gone], seats: suspended },
      },
    });
  }
  if (back.restored > 0 || back.waiting > 0) {
    await notifier.notify({
      kind: "adminNotice",
      tenantId,
      notice: {
        topic: "seats.restored",
        text: `${back.restored} seat(s) came back to users enabled or restored in the directory${
          back.waiting > 0 ? `; ${back.waiting} wait for a free licence` : ""
        }.`,
        details: { users: [...regained], restored: back.restored, waiting: back.waiting },
      },
    });
  }

  const groupCount = deps.groups === false ? 0 : await store.replaceGroups(tenantId, source.groups());
  await store.finishRound(tenantId, finalLink);
  return {
    full,
    pages,
    users,
    removed,
    groups: groupCount,
    seatsSuspended: suspended,
    seatsRestored: back.restored,
    seatsWaiting: back.waiting,
  };
}
