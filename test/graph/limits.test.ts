import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { MailboxLimiter, mailboxOf } from "../../src/graph/limiter.ts";
import { parseRetryAfter } from "../../src/graph/middleware.ts";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("Retry-After", () => {
  test("delta seconds, fractional seconds and HTTP dates", () => {
    assert.equal(parseRetryAfter("2"), 2000);
    assert.equal(parseRetryAfter("0.25"), 250);
    assert.equal(parseRetryAfter(" 1.5 "), 1500);
    const now = Date.parse("2026-11-21T10:00:00Z");
    assert.equal(parseRetryAfter("Sat, 21 Nov 2026 10:00:03 GMT", now), 3000);
    assert.equal(parseRetryAfter("Sat, 21 Nov 2026 09:59:00 GMT", now), 0);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter("soon"), undefined);
  });
});

describe("mailbox of a Graph path", () => {
  test("users by id or UPN, me, and paths bound to no mailbox", () => {
    assert.equal(
      mailboxOf("/users/Ana.Souza@Contoso.com/calendar/getSchedule"),
      "users/ana.souza@contoso.com",
    );
    assert.equal(mailboxOf("/v1.0/users/b1e2/events?$top=5"), "users/b1e2");
    assert.equal(mailboxOf("/users('ana%40contoso.com')/events"), undefined);
    assert.equal(mailboxOf("/me/events"), "me");
    assert.equal(mailboxOf("/users?$top=999"), undefined);
    assert.equal(mailboxOf("/admin/teams/telephoneNumberManagement/numberAssignments"), undefined);
  });
});

describe("mailbox limiter", () => {
  test("at most 4 at once per mailbox, FIFO, other mailboxes unaffected", async () => {
    const limiter = new MailboxLimiter({ concurrency: 4, budget: 1000, windowMs: 60_000 });
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const pending = Array.from({ length: 6 }, (_, i) =>
      limiter.acquire("t|users/a").then((release) => {
        order.push(i);
        releases.push(release);
      }),
    );
    await settle();
    assert.deepEqual(order, [0, 1, 2, 3]);
    const other = await limiter.acquire("t|users/b");
    releases[0]!();
    releases[0]!(); // releasing twice frees one slot only
    await settle();
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    releases[1]!();
    await Promise.all(pending);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    const a = limiter.stats().find((s) => s.key === "t|users/a")!;
    assert.deepEqual({ active: a.active, peak: a.peak, queued: a.queued }, { active: 4, peak: 4, queued: 2 });
    other();
  });

  test("a batch takes several slots of one mailbox", async () => {
    const limiter = new MailboxLimiter({ concurrency: 4, budget: 1000, windowMs: 60_000 });
    const release = await limiter.acquire("k", 3);
    let fourth = false;
    let fifth = false;
    const r4 = limiter.acquire("k").then((r) => {
      fourth = true;
      return r;
    });
    const r5 = limiter.acquire("k").then((r) => {
      fifth = true;
      return r;
    });
    await settle();
    assert.equal(fourth, true);
    assert.equal(fifth, false);
    release();
    (await r4)();
    (await r5)();
    assert.equal(fifth, true);
  });

  test("the request budget makes requests wait instead of being throttled", async () => {
    const limiter = new MailboxLimiter({ concurrency: 4, budget: 2, windowMs: 100 });
    (await limiter.acquire("k"))();
    (await limiter.acquire("k"))();
    let third = false;
    const waiting = limiter.acquire("k").then((r) => {
      third = true;
      r();
    });
    await settle();
    assert.equal(third, false, "the third request waits for budget");
    await waiting;
    assert.equal(third, true);
  });
});
