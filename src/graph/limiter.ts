/**
 * Per-mailbox limits Graph enforces for Outlook resources: at most 4 concurrent requests per app per
 * mailbox, and a request budget (10,000 per 10 minutes). Requests over the limit wait their turn (FIFO)
 * instead of being sent and throttled.
 */
export interface MailboxLimits {
  /** Concurrent requests per mailbox (Graph: 4). */
  concurrency: number;
  /** Requests per mailbox per window (Graph: 10,000 per 600,000 ms). */
  budget: number;
  windowMs: number;
}

export const GRAPH_MAILBOX_LIMITS: MailboxLimits = { concurrency: 4, budget: 10_000, windowMs: 600_000 };

interface Slot {
  active: number;
  /** Most requests that ran at once, and how many had to wait for a slot (diagnostics). */
  peak: number;
  queued: number;
  waiting: (() => void)[];
  tokens: number;
  refilledAt: number;
}

export class MailboxLimiter {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly limits: MailboxLimits = GRAPH_MAILBOX_LIMITS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Waits for `count` concurrency slots (≤ the limit) and budget for `count` requests; returns the release function. */
  async acquire(key: string, count = 1): Promise<() => void> {
    const n = Math.max(1, Math.min(count, this.limits.concurrency));
    const slot = this.slotFor(key);
    await this.spendBudget(slot, count);
    for (let i = 0; i < n; i++) {
      if (slot.active < this.limits.concurrency && slot.waiting.length === 0) slot.active++;
      else {
        slot.queued++;
        await new Promise<void>((resolve) => slot.waiting.push(resolve));
      }
    }
    slot.peak = Math.max(slot.peak, slot.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (let i = 0; i < n; i++) this.releaseOne(slot);
    };
  }

  /** Per key: requests running now, the most that ever ran at once, and how many waited for a slot. */
  stats(): { key: string; active: number; peak: number; queued: number }[] {
    return [...this.slots].map(([key, s]) => ({ key, active: s.active, peak: s.peak, queued: s.queued }));
  }

  private releaseOne(slot: Slot): void {
    const next = slot.waiting.shift();
    if (next) {
      next(); // the slot passes straight to the next waiter
      return;
    }
    slot.active--;
  }

  private slotFor(key: string): Slot {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = {
        active: 0,
        peak: 0,
        queued: 0,
        waiting: [],
        tokens: this.limits.budget,
        refilledAt: this.now(),
      };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private async spendBudget(slot: Slot, count: number): Promise<void> {
    const rate = this.limits.budget / this.limits.windowMs;
    for (;;) {
      const t = this.now();
      slot.tokens = Math.min(this.limits.budget, slot.tokens + (t - slot.refilledAt) * rate);
      slot.refilledAt = t;
      if (slot.tokens >= count) {
        slot.tokens -= count;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil((count - slot.tokens) / rate)));
    }
  }
}

/**
 * The mailbox a Graph path addresses (`users/{id|upn}` or `me` for delegated calls), lower-cased, or
 * undefined for requests not bound to one mailbox (directory listings, $batch, telephony admin).
 */
export function mailboxOf(path: string): string | undefined {
  const m = /^\/?(?:(?:v1\.0|beta)\/)?(users|groups)\/([^/?#]+)/i.exec(path);
  if (m?.[1] && m[2]) {
    const id = decodeURIComponent(m[2]).replace(/^'|'$/g, "").toLowerCase();
    return `${m[1].toLowerCase()}/${id}`;
  }
  if (/^\/?(?:(?:v1\.0|beta)\/)?me(\/|$|\?)/i.test(path)) return "me";
  return undefined;
}
