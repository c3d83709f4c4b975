/**
 * Fault injection for tests and demos: rules scoped globally, to a tenant, a mailbox and/or a path fragment,
 * that add latency, fail a share of requests with 5xx, answer 429 storms with Retry-After, or drop the
 * connection. Rates use a seeded generator so runs are reproducible; `count` limits how often a rule fires.
 */
import { z } from "zod";
import { prng } from "./seed-random.ts";

export const faultRuleSchema = z.object({
  tenantId: z.string().optional(),
  /** User id, UPN or mail of the mailbox the request targets (`/users/{x}/...`). */
  mailbox: z.string().optional(),
  /** Case-insensitive fragment of the Graph path (after /v1.0), e.g. "getSchedule" or "/users". */
  path: z.string().optional(),
  method: z.string().optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /**
   * Respond with this status instead of the real answer: 5xx or 429, or 403 as Graph answers a call the
   * app has no permission for (Authorization_RequestDenied), e.g. after an admin removed one.
   */
  status: z
    .union([z.literal(403), z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)])
    .optional(),
  /** Share of matching requests that fail (default 1 when status or drop is set). */
  rate: z.number().min(0).max(1).optional(),
  retryAfterSeconds: z.number().min(0).max(3600).optional(),
  /** Destroy the socket without answering. */
  drop: z.boolean().optional(),
  /** Fire at most this many times, then the rule retires. */
  count: z.number().int().min(1).optional(),
});

export type FaultRuleInput = z.infer<typeof faultRuleSchema>;

export interface FaultRule extends FaultRuleInput {
  id: string;
  fired: number;
}

export interface FaultTarget {
  tenantId: string;
  /** Resolved mailbox owner id and addresses (lower-case), or empty. */
  mailboxKeys: string[];
  path: string;
  method: string;
}

export interface FaultDecision {
  latencyMs: number;
  respond: { status: number; retryAfterSeconds: number | undefined } | null;
  drop: boolean;
}

export class Faults {
  private rules: FaultRule[] = [];
  private counter = 0;
  private random: () => number;

  constructor(seed: string) {
    this.random = prng(`${seed}:faults`);
  }

  add(input: FaultRuleInput): FaultRule {
    this.counter += 1;
    const rule: FaultRule = { ...input, id: `fault-${this.counter}`, fired: 0 };
    this.rules.push(rule);
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  decide(target: FaultTarget): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, respond: null, drop: false };
    for (const rule of [...this.rules]) {
      if (rule.tenantId && rule.tenantId.toLowerCase() !== target.tenantId.toLowerCase()) continue;
      if (rule.mailbox && !target.mailboxKeys.includes(rule.mailbox.toLowerCase())) continue;
      if (rule.path && !target.path.toLowerCase().includes(rule.path.toLowerCase())) continue;
      if (rule.method && rule.method.toUpperCase() !== target.method.toUpperCase()) continue;
      const failing = rule.status !== undefined || rule.drop === true;
      const hit = !failing || this.random() < (rule.rate ?? 1);
      if (!hit) continue;
      if (rule.latencyMs) decision.latencyMs += rule.latencyMs;
      if (rule.drop) decision.drop = true;
      else if (rule.status !== undefined && !decision.respond) {
        decision.respond = {
          status: rule.status,
          retryAfterSeconds: rule.retryAfterSeconds ?? (rule.status === 429 ? 1 : undefined),
        };
      }
      rule.fired += 1;
      if (rule.count !== undefined && rule.fired >= rule.count) this.remove(rule.id);
    }
    return decision;
  }
}
