/**
 * Card actions carry their data signed (HMAC-SHA256), bound to the tenant and user the card was made for,
 * with an expiry. A submit whose data was changed, replayed by someone else, or is too old is rejected.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const cardPayloadSchema = z.discriminatedUnion("verb", [
  z.object({
    verb: z.literal("book"),
    /** One idempotency key per card: every button of a card books through the same key. */
    key: z.string().min(8).max(200),
    start: z.number().int(),
    end: z.number().int(),
    subject: z.string().max(255),
    attendees: z
      .array(z.object({ userId: z.string(), displayName: z.string(), mail: z.string() }))
      .min(1)
      .max(50),
  }),
  z.object({
    verb: z.literal("choose"),
    /** The original command text, re-run with the chosen person pinned. */
    text: z.string().max(2000),
    pinned: z.record(z.string(), z.object({ userId: z.string(), displayName: z.string(), mail: z.string() })),
  }),
  z.object({
    verb: z.literal("decide"),
    requestId: z.string().min(1),
    approve: z.boolean(),
  }),
  z.object({
    verb: z.literal("invitation"),
    invitationId: z.string().min(1),
    accept: z.boolean(),
  }),
]);
export type CardPayload = z.infer<typeof cardPayloadSchema>;

const envelopeSchema = z.object({
  t: z.string(),
  u: z.string(),
  exp: z.number().int(),
  p: cardPayloadSchema,
});

/** The data an Action.Execute/Submit carries: `{ quorum: "<base64url json>.<base64url hmac>" }`. */
export const actionDataSchema = z.object({ quorum: z.string().min(10).max(20_000) }).passthrough();

export type VerifyResult =
  | { readonly ok: true; readonly payload: CardPayload }
  | { readonly ok: false; readonly reason: "malformed" | "signature" | "wrong_user" | "expired" };

export interface CardSigner {
  sign(payload: CardPayload, owner: { tenantId: string; userId: string }, nowMs: number): { quorum: string };
  verify(data: unknown, actor: { tenantId: string; userId: string }, nowMs: number): VerifyResult;
}

/** Cards stay actionable this long. */
export const cardLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export function createCardSigner(secretKey: string): CardSigner {
  const key = createHmac("sha256", secretKey).update("quorum-bot-card-actions/v1").digest();
  const mac = (body: string) => createHmac("sha256", key).update(body).digest();
  return {
    sign(payload, owner, nowMs) {
      const body = Buffer.from(
        JSON.stringify({ t: owner.tenantId, u: owner.userId, exp: nowMs + cardLifetimeMs, p: payload }),
      ).toString("base64url");
      return { quorum: `${body}.${mac(body).toString("base64url")}` };
    },
    verify(data, actor, nowMs) {
      const parsed = actionDataSchema.safeParse(data);
      if (!parsed.success) return { ok: false, reason: "malformed" };
      const [body, sig, extra] = parsed.data.quorum.split(".");
      if (!body || !sig || extra !== undefined) return { ok: false, reason: "malformed" };
      const expected = mac(body);
      const given = Buffer.from(sig, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: "signature" };
      }
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      } catch {
        // A correctly signed body is always JSON; a body that is not is reported as malformed.
        return { ok: false, reason: "malformed" };
      }
      const envelope = envelopeSchema.safeParse(json);
      if (!envelope.success) return { ok: false, reason: "malformed" };
      if (envelope.data.t !== actor.tenantId || envelope.data.u !== actor.userId) {
        return { ok: false, reason: "wrong_user" };
      }
      if (envelope.data.exp < nowMs) return { ok: false, reason: "expired" };
      return { ok: true, payload: envelope.data.p };
    },
  };
}
