/**
 * What every events `RemoteItems` promises, asserted the same way on the in-memory twin and on Graph's
 * adapter against the emulator: delta rounds after a token carry creates, edits and `@removed`; lists
 * cover a span; If-Match writes and their failures; creates idempotent on the transaction id and found
 * by it; series expanded, an edited occurrence turned exception; containers by name; subscriptions; and
 * each Graph failure as the one RemoteFailure the engine acts on.
 */
import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import {
  type EventFields,
  normalizeFields,
  type SyncScope,
  type SyncWindow,
} from "../../src/core/sync/model.ts";
import type { ListPage, RemoteChange, RemoteItems, RemoteResult } from "../../src/core/sync/ports.ts";
import { event } from "./rig.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What a person (or the fault injector) does on Microsoft's side of the adapter under test. */
export interface OutlookSide {
  create(
    fields: EventFields,
    options?: { transactionId?: string },
  ): Promise<{ id: string; changeKey: string }>;
  rename(id: string, subject: string): Promise<void>;
  delete(id: string): Promise<void>;
  expireDeltaTokens(): Promise<void>;
  /** The next request to the mailbox answers 429 with this Retry-After. */
  throttleNext(retryAfterSeconds: number): Promise<void>;
  /** Delta pages repeat items and rounds start with an empty page that has a next link (or stop doing so). */
  quirkyDelta(on: boolean): Promise<void>;
}

export interface RemoteFixture {
  readonly remote: RemoteItems;
  readonly scope: SyncScope;
  /** A user of the same tenant without a usable mailbox. */
  readonly withoutMailbox: SyncScope;
  readonly outlook: OutlookSide;
  readonly now: () => number;
  close(): Promise<void>;
}

const value = <T>(r: RemoteResult<T>): T => {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.failure)}`);
  return r.value;
};

/** Every change of one delta round from `token`, and the token of the next round. */
async function round(remote: RemoteItems, scope: SyncScope, token: string) {
  const changes: RemoteChange[] = [];
  let link = token;
  for (let pages = 0; pages < 1000; pages++) {
    const page = value(await remote.delta(scope, link));
    changes.push(...page.changes);
    if (page.deltaToken) return { changes, next: page.deltaToken };
    assert.ok(page.nextPageToken, "a page without a delta token has a next page");
    link = page.nextPageToken;
  }
  throw new Error("the delta round did not end");
}

const upserted = (changes: RemoteChange[], id: string) =>
  changes.flatMap((c) => (c.kind === "upsert" && c.item.id === id ? [c.item] : []));
const removed = (changes: RemoteChange[], id: string) =>
  changes.some((c) => c.kind === "removed" && c.id === id);

export function remoteItemsContract(label: string, open: () => Promise<RemoteFixture>) {
  describe(`RemoteItems contract (events) on ${label}`, () => {
    let fx: RemoteFixture;
    /** Two days from now at 09:00 UTC: inside the window, clear of the demo week's edges. */
    let day: number;
    let window: SyncWindow;
    let n = 0;
    const meeting = (overrides: Partial<EventFields> = {}) => {
      n++;
      return event({
        subject: `Contract ${label} ${n}`,
        start: day + n * HOUR,
        end: day + n * HOUR + 30 * 60_000,
        ...overrides,
      });
    };

    beforeAll(async () => {
      fx = await open();
      day = Math.floor(fx.now() / DAY) * DAY + 2 * DAY + 9 * HOUR;
      window = { from: day - 7 * DAY, to: day + 30 * DAY };
    });
    afterAll(async () => {
      await fx?.close();
    });

    test("an event made after tracking began arrives whole in the next delta round, once", async () => {
      const token = value(await fx.remote.beginTracking(fx.scope, window));
      const fields = meeting({
        body: "Agenda: the roadmap",
        location: "Room 4",
        showAs: "tentative",
        attendees: [{ email: "dana@fabrikam.com", type: "optional", response: "none" }],
      });
      const made = await fx.outlook.create(fields);
      const { changes, next } = await round(fx.remote, fx.scope, token);
      const [seen, ...more] = upserted(changes, made.id);
      assert.ok(seen, "the new event is in the round");
      assert.deepEqual(more, []);
      assert.deepEqual(normalizeFields(seen.fields), normalizeFields(fields));
      assert.equal(seen.changeKey, made.changeKey);
      assert.equal(seen.seriesMasterId, null);
      const quiet = await round(fx.remote, fx.scope, next);
      assert.deepEqual(upserted(quiet.changes, made.id), [], "the next round does not carry it again");
    });

    test("an edit arrives with a new change key; a deletion, and a move out of the window, as removed", async () => {
      const kept = await fx.outlook.create(meeting());
      const leaving = await fx.outlook.create(meeting());
      const token = value(await fx.remote.beginTracking(fx.scope, window));
      await fx.outlook.rename(kept.id, "Renamed in Outlook");
      await fx.outlook.delete(leaving.id);
      const { changes } = await round(fx.remote, fx.scope, token);
      const [edited] = upserted(changes, kept.id);
      assert.equal(edited?.fields.resource === "event" && edited.fields.subject, "Renamed in Outlook");
      assert.notEqual(edited?.changeKey, kept.changeKey);
      assert.ok(removed(changes, leaving.id), "the deleted event comes as @removed");
    });

    test("a list of a span holds the events overlapping it, not the others, page by page", async () => {
      const inside = await fx.outlook.create(meeting());
      const outside = await fx.outlook.create(meeting({ start: day + 20 * DAY, end: day + 20 * DAY + HOUR }));
      const chunk = { part: "future" as const, from: day, to: day + 2 * DAY };
      const ids: string[] = [];
      let pageToken: string | null = null;
      for (let pages = 0; pages < 100; pages++) {
        const page: ListPage = value(await fx.remote.list(fx.scope, chunk, pageToken));
        ids.push(...page.items.map((i) => i.id));
        pageToken = page.nextPageToken;
        if (!pageToken) break;
      }
      assert.ok(ids.includes(inside.id));
      assert.ok(!ids.includes(outside.id));
      assert.equal(new Set(ids).size, ids.length, "no event twice");
    });

    test("writes go through only with the current change key; a stale one is precondition-failed", async () => {
      const made = value(
        await fx.remote.create(fx.scope, {
          containerId: null,
          transactionId: `tx-${label}-w`,
          fields: meeting(),
        }),
      );
      const renamed = { ...(made.fields as EventFields), subject: "Moved by Quorum", start: day + 30 * HOUR };
      const written = value(
        await fx.remote.update(fx.scope, made.id, made.changeKey, { ...renamed, end: day + 31 * HOUR }),
      );
      assert.notEqual(written.changeKey, made.changeKey);
      assert.deepEqual(
        normalizeFields(written.fields),
        normalizeFields({ ...renamed, end: day + 31 * HOUR }),
      );
      assert.deepEqual(
        normalizeFields(value(await fx.remote.get(fx.scope, made.id)).fields),
        normalizeFields(written.fields),
      );

      assert.deepEqual(await fx.remote.update(fx.scope, made.id, made.changeKey, renamed), {
        ok: false,
        failure: { kind: "precondition-failed" },
      });
      assert.deepEqual(await fx.remote.delete(fx.scope, made.id, made.changeKey), {
        ok: false,
        failure: { kind: "precondition-failed" },
      });
      assert.deepEqual(await fx.remote.delete(fx.scope, made.id, written.changeKey), {
        ok: true,
        value: null,
      });
      assert.deepEqual(await fx.remote.get(fx.scope, made.id), { ok: false, failure: { kind: "not-found" } });
      assert.deepEqual(await fx.remote.update(fx.scope, made.id, written.changeKey, renamed), {
        ok: false,
        failure: { kind: "not-found" },
      });
    });

    test("a create retried under its transaction id makes one event, found again by that id", async () => {
      const tx = `tx-${label}-once`;
      const input = { containerId: null, transactionId: tx, fields: meeting() };
      const first = value(await fx.remote.create(fx.scope, input));
      const again = value(await fx.remote.create(fx.scope, input));
      assert.equal(again.id, first.id);
      assert.equal(first.transactionId, tx);
      assert.equal(value(await fx.remote.findByTransactionId(fx.scope, tx))?.id, first.id);
      assert.equal(value(await fx.remote.findByTransactionId(fx.scope, `tx-${label}-never`)), null);
      const booked = await fx.outlook.create(meeting(), { transactionId: `tx-${label}-booking` });
      assert.equal(
        value(await fx.remote.findByTransactionId(fx.scope, `tx-${label}-booking`))?.id,
        booked.id,
      );
    });

    test("a series is expanded into occurrences; an edited occurrence becomes an exception with the same id", async () => {
      const token = value(await fx.remote.beginTracking(fx.scope, window));
      const start = day + DAY;
      const fields = meeting({
        kind: "series",
        start,
        end: start + HOUR,
        recurrence: { frequency: "weekly", interval: 1, daysOfWeek: [weekday(start)], count: 3, until: null },
      });
      const master = await fx.outlook.create(fields);
      const { changes } = await round(fx.remote, fx.scope, token);
      const occurrences = changes
        .flatMap((c) => (c.kind === "upsert" && c.item.seriesMasterId === master.id ? [c.item] : []))
        .sort((a, b) => (a.fields as EventFields).start - (b.fields as EventFields).start);
      assert.deepEqual(
        occurrences.map((o) => [(o.fields as EventFields).kind, (o.fields as EventFields).originalStart]),
        [0, 1, 2].map((i) => ["occurrence", start + i * 7 * DAY]),
      );
      const got = value(await fx.remote.get(fx.scope, master.id));
      assert.equal((got.fields as EventFields).kind, "series");
      assert.deepEqual((got.fields as EventFields).recurrence, fields.recurrence);

      const second = occurrences[1]!;
      const moved = {
        ...(second.fields as EventFields),
        subject: "Moved this week",
        start: start + 7 * DAY + HOUR,
      };
      const edited = value(
        await fx.remote.update(fx.scope, second.id, second.changeKey, {
          ...moved,
          end: start + 7 * DAY + 2 * HOUR,
        }),
      );
      assert.equal(edited.id, second.id);
      assert.equal(edited.seriesMasterId, master.id);
      assert.equal((edited.fields as EventFields).kind, "exception");
      assert.equal((edited.fields as EventFields).subject, "Moved this week");
      assert.equal((edited.fields as EventFields).originalStart, start + 7 * DAY);
    });

    test("Quorum's container is found and made by name once; items made in it are found; it can go", async () => {
      const name = `Quorum ${label}`;
      assert.equal(value(await fx.remote.findContainer(fx.scope, name)), null);
      const id = value(await fx.remote.createContainer(fx.scope, name));
      assert.deepEqual(await fx.remote.createContainer(fx.scope, name), {
        ok: false,
        failure: { kind: "already-exists" },
      });
      assert.equal(value(await fx.remote.findContainer(fx.scope, name)), id);
      const made = value(
        await fx.remote.create(fx.scope, {
          containerId: id,
          transactionId: `tx-${label}-in`,
          fields: meeting(),
        }),
      );
      assert.equal(made.containerId, id);
      assert.deepEqual(value(await fx.remote.deleteContainer(fx.scope, id)), null);
      assert.deepEqual(await fx.remote.deleteContainer(fx.scope, id), {
        ok: false,
        failure: { kind: "not-found" },
      });
      assert.equal(value(await fx.remote.findContainer(fx.scope, name)), null);
    });

    test("items in the Quorum container are found again by transaction id", async () => {
      const id = value(await fx.remote.createContainer(fx.scope, "Quorum"));
      const made = value(
        await fx.remote.create(fx.scope, {
          containerId: id,
          transactionId: `tx-${label}-q`,
          fields: meeting(),
        }),
      );
      const found = value(await fx.remote.findByTransactionId(fx.scope, `tx-${label}-q`));
      assert.equal(found?.id, made.id);
      assert.equal(found?.containerId, id);
      value(await fx.remote.deleteContainer(fx.scope, id));
    });

    test("a subscription is made with an expiry days ahead and removed once", async () => {
      const sub = value(await fx.remote.subscribe(fx.scope));
      assert.ok(sub.expiresAt > fx.now() + DAY, "it lives for days");
      assert.ok(sub.expiresAt <= fx.now() + 7 * DAY + 60_000, "under a week");
      assert.deepEqual(await fx.remote.unsubscribe(fx.scope, sub.id), { ok: true, value: null });
      assert.deepEqual(await fx.remote.unsubscribe(fx.scope, sub.id), {
        ok: false,
        failure: { kind: "not-found" },
      });
    });

    test("empty delta pages with a next link, and items repeated across pages, are followed to the end", async () => {
      const token = value(await fx.remote.beginTracking(fx.scope, window));
      const made = await Promise.all([1, 2, 3].map(() => fx.outlook.create(meeting())));
      await fx.outlook.quirkyDelta(true);
      try {
        const { changes } = await round(fx.remote, fx.scope, token);
        for (const m of made) assert.ok(upserted(changes, m.id).length >= 1, `${m.id} is in the round`);
      } finally {
        await fx.outlook.quirkyDelta(false);
      }
    });

    test("an expired delta token answers token-expired", async () => {
      const token = value(await fx.remote.beginTracking(fx.scope, window));
      await fx.outlook.expireDeltaTokens();
      assert.deepEqual(await fx.remote.delta(fx.scope, token), {
        ok: false,
        failure: { kind: "token-expired" },
      });
    });

    test("429 answers throttled with Retry-After; the next request goes through", async () => {
      await fx.outlook.throttleNext(2);
      const throttled = await fx.remote.findContainer(fx.scope, "Quorum");
      assert.deepEqual(throttled, { ok: false, failure: { kind: "throttled", retryAfterMs: 2000 } });
      assert.ok((await fx.remote.findContainer(fx.scope, "Quorum")).ok);
    });

    test("a user without an Exchange mailbox is mailbox-unavailable, not a failed round of nothing", async () => {
      const res = await fx.remote.beginTracking(fx.withoutMailbox, window);
      assert.deepEqual(res, {
        ok: false,
        failure: {
          kind: "mailbox-unavailable",
          graphCode: "MailboxNotEnabledForRESTAPI",
          consentLost: false,
        },
      });
    });
  });
}

const weekday = (ms: number) =>
  ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][new Date(ms).getUTCDay()]!;
