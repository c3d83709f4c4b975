import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { cardLifetimeMs, createCardSigner } from "../../bot/card-signing.ts";

const owner = { tenantId: "t1", userId: "u1" };
const now = Date.parse("2026-11-21T10:00:00Z");
const payload = { verb: "decide" as const, requestId: "r1", approve: false };

describe("signed card actions", () => {
  const signer = createCardSigner("a-test-secret-key-that-is-long-enough-000");

  test("a signed payload verifies for its owner", () => {
    const data = signer.sign(payload, owner, now);
    assert.deepEqual(signer.verify(data, owner, now + 1000), { ok: true, payload });
  });

  test("changed data, another user or tenant, expiry and another key are refused", () => {
    const data = signer.sign(payload, owner, now);
    const [body, sig] = data.quorum.split(".");
    const envelope = JSON.parse(Buffer.from(body!, "base64url").toString("utf8"));
    envelope.p.approve = true;
    const forged = { quorum: `${Buffer.from(JSON.stringify(envelope)).toString("base64url")}.${sig}` };
    assert.deepEqual(signer.verify(forged, owner, now), { ok: false, reason: "signature" });
    assert.deepEqual(signer.verify(data, { ...owner, userId: "u2" }, now), {
      ok: false,
      reason: "wrong_user",
    });
    assert.deepEqual(signer.verify(data, { ...owner, tenantId: "t2" }, now), {
      ok: false,
      reason: "wrong_user",
    });
    assert.deepEqual(signer.verify(data, owner, now + cardLifetimeMs + 1), { ok: false, reason: "expired" });
    const other = createCardSigner("another-secret-key-that-is-long-enough-111");
    assert.deepEqual(other.verify(data, owner, now), { ok: false, reason: "signature" });
  });

  test("malformed data is refused", () => {
    for (const data of [
      undefined,
      null,
      "x",
      {},
      { quorum: "no-dot-here-at-all" },
      { quorum: "a.b.c.d.e.f" },
    ]) {
      const result = signer.verify(data, owner, now);
      assert.equal(result.ok, false, JSON.stringify(data));
    }
  });
});
