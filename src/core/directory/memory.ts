/**
 * In-memory directory source and store with the real ones' semantics: delta rounds that end in a link,
 * replays that carry only changes, expired links, soft and hard deletes, and access transitions.
 */

import type { Notice, Notification, Notifier, NotifyResult } from "../notifier.ts";
import {
  DeltaExpiredError,
  type DirectoryChange,
  type DirectoryGroup,
  type DirectoryPage,
  type DirectorySource,
  type DirectoryStore,
  type DirectoryUserRecord,
  type PageOutcome,
} from "./sync.ts";

/** A directory whose changes are recorded per round, like Graph's delta links. */
export class MemoryDirectorySource implements DirectorySource {
  readonly users = new Map<string, DirectoryUserRecord>();
  readonly groupList: DirectoryGroup[] = [];
  #round = 0;
  #log: { round: number; change: DirectoryChange }[] = [];
  #expiredBefore = 0;
  requests = 0;

  constructor(readonly pageSize = 2) {}

  put(user: DirectoryUserRecord): void {
    this.users.set(user.userId, user);
    this.#log.push({ round: this.#round, change: { type: "user", user } });
  }

  remove(userId: string, permanent: boolean): void {
    this.users.delete(userId);
    this.#log.push({ round: this.#round, change: { type: "removed", userId, permanent } });
  }

  /** Every link issued so far stops working. */
  expireLinks(): void {
    this.#expiredBefore = this.#round + 1;
  }

  async *userChanges(deltaLink: string | null): AsyncIterable<DirectoryPage> {
    let changes: DirectoryChange[];
    if (deltaLink === null) {
      changes = [...this.users.values()].map((user) => ({ type: "user", user }));
    } else {
      const since = Number(deltaLink.replace("delta:", ""));
      if (since < this.#expiredBefore) throw new DeltaExpiredError();
      const latest = new Map<string, DirectoryChange>();
      for (const { round, change } of this.#log) {
        if (round >= since) latest.set(change.type === "user" ? change.user.userId : change.userId, change);
      }
      changes = [...latest.values()];
    }
    this.#round++;
    const link = `delta:${this.#round}`;
    if (changes.length === 0) {
      this.requests++;
      yield { changes: [], deltaLink: link };
      return;
    }
    for (let i = 0; i < changes.length; i += this.pageSize) {
      this.requests++;
      const last = i + this.pageSize >= changes.length;
      yield { changes: changes.slice(i, i + this.pageSize), ...(last ? { deltaLink: link } : {}) };
    }
  }

  async *groups(): AsyncIterable<DirectoryGroup> {
    for (const g of this.groupList) yield g;
  }
}

interface StoredUser extends DirectoryUserRecord {
  deleted: boolean;
}

export class MemoryDirectoryStore implements DirectoryStore {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, DirectoryGroup>();
  link: string | null = null;

  async deltaLink(): Promise<string | null> {
    return this.link;
  }

  async applyPage(_tenantId: string, changes: readonly DirectoryChange[]): Promise<PageOutcome> {
    const lostAccess: string[] = [];
    const regainedAccess: string[] = [];
    const deletedForGood: string[] = [];
    for (const c of changes) {
      if (c.type === "user") {
        const was = this.users.get(c.user.userId);
        this.users.set(c.user.userId, { ...c.user, deleted: false });
        if (!was) continue;
        const wasLive = was.accountEnabled && !was.deleted;
        if (wasLive && !c.user.accountEnabled) lostAccess.push(c.user.userId);
        else if (!wasLive && c.user.accountEnabled) regainedAccess.push(c.user.userId);
      } else if (c.permanent) {
        if (this.users.delete(c.userId)) deletedForGood.push(c.userId);
      } else {
        const was = this.users.get(c.userId);
        if (was && !was.deleted) {
          this.users.set(c.userId, { ...was, deleted: true });
          lostAccess.push(c.userId);
        }
      }
    }
    return { lostAccess, regainedAccess, deletedForGood };
  }

  async replaceGroups(_tenantId: string, groups: AsyncIterable<DirectoryGroup>): Promise<number> {
    this.groups.clear();
    for await (const g of groups) this.groups.set(g.groupId, g);
    return this.groups.size;
  }

  async finishRound(_tenantId: string, deltaLink: string): Promise<void> {
    this.link = deltaLink;
  }
}

/** Notices as they were sent: to "admins" or to a user id. Other events are not recorded. */
export class RecordingNotifier implements Notifier {
  readonly sent: { to: string; notice: Notice }[] = [];
  async notify(notification: Notification): Promise<NotifyResult> {
    if (notification.kind === "adminNotice") this.sent.push({ to: "admins", notice: notification.notice });
    if (notification.kind === "userNotice")
      this.sent.push({ to: notification.userId, notice: notification.notice });
    return { delivered: 1, unreachable: [] };
  }
}
