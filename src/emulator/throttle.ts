/**
 * Outlook-style throttling per app + mailbox: at most `concurrencyPerMailbox` requests in flight and
 * `requestsPerWindow` requests per `windowMs`; beyond either, 429 with Retry-After. Also records what it saw
 * (max concurrency per key, counts) so tests can assert a client stayed within the limits.
 */
export interface ThrottleLimits {
  concurrencyPerMailbox: number;
  requestsPerWindow: number;
  windowMs: number;
}

export interface ThrottleStat {
  appId: string;
  mailbox: string;
  inFlight: number;
  maxConcurrent: number;
  requests: number;
  throttled: number;
}

interface Bucket extends ThrottleStat {
  windowStart: number;
  windowCount: number;
}

export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; retryAfterSeconds: number; code: string; message: string };

export class Throttle {
  private buckets = new Map<string, Bucket>();

  constructor(
    readonly limits: ThrottleLimits,
    private readonly now: () => number,
  ) {}

  admit(appId: string, mailbox: string): Admission {
    const key = `${appId}|${mailbox}`;
    let b = this.buckets.get(key);
    const now = this.now();
    if (!b) {
      b = {
        appId,
        mailbox,
        inFlight: 0,
        maxConcurrent: 0,
        requests: 0,
        throttled: 0,
        windowStart: now,
        windowCount: 0,
      };
      this.buckets.set(key, b);
    }
    if (now - b.windowStart >= this.limits.windowMs) {
      b.windowStart = now;
      b.windowCount = 0;
    }
    b.requests += 1;
    if (b.inFlight >= this.limits.concurrencyPerMailbox) {
      b.throttled += 1;
      b.maxConcurrent = Math.max(b.maxConcurrent, b.inFlight + 1);
      return {
        ok: false,
        retryAfterSeconds: 1,
        code: "ApplicationThrottled",
        message: `Application is over its MailboxConcurrency limit (${this.limits.concurrencyPerMailbox} concurrent requests per mailbox).`,
      };
    }
    if (b.windowCount >= this.limits.requestsPerWindow) {
      b.throttled += 1;
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((b.windowStart + this.limits.windowMs - now) / 1000)),
        code: "ApplicationThrottled",
        message: `Application is over its request limit (${this.limits.requestsPerWindow} requests per ${Math.round(this.limits.windowMs / 1000)} s per mailbox).`,
      };
    }
    b.windowCount += 1;
    b.inFlight += 1;
    b.maxConcurrent = Math.max(b.maxConcurrent, b.inFlight);
    const bucket = b;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        bucket.inFlight -= 1;
      },
    };
  }

  stats(): ThrottleStat[] {
    return [...this.buckets.values()].map(
      ({ appId, mailbox, inFlight, maxConcurrent, requests, throttled }) => ({
        appId,
        mailbox,
        inFlight,
        maxConcurrent,
        requests,
        throttled,
      }),
    );
  }

  reset(): void {
    for (const [k, b] of this.buckets) {
      if (b.inFlight === 0) this.buckets.delete(k);
      else
        Object.assign(b, {
          maxConcurrent: b.inFlight,
          requests: 0,
          throttled: 0,
          windowCount: 0,
          windowStart: this.now(),
        });
    }
  }
}
