/**
 * Join requests and invitations decided under concurrency and after a change of roles, over HTTP against
 * the emulator: a decision is one conditional update that the seats depend on, and an invitation grants
 * only while its inviter still holds the authority to grant it.
 */
import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { DirectorySyncResponse } from "../../src/api-contract/seats.ts";
import { RecordingNotifier } from "../../src/core/directory/memory.ts";
import { DomainError } from "../../src/core/errors.ts";
import { RecordingNumberPushes, RecordingTeams } from "../../src/core/seats/memory.ts";
import { MemoryTelephony } from "../../src/core/seats/memory-telephony.ts";
import { SeatService } from "../../src/core/seats/service.ts";
import { members, seatAssignments, seatPools, tenants } from "../../src/store/schema.ts";
import { DrizzleSeatStore } from "../../src/store/seats/store.ts";
import { openTestDatabase, testEngines } from "../support/database.ts";
import { type Stack, startStack } from "../support/stack.ts";

const ROUNDS = 20;
const T = "tenant-requests";
const clock = { now: () => Date.parse("2026-11-21T10:00:00Z") };

for (const engine of testEngines()) {
  describe(`join request decisions on ${engine}`, () => {
    test("approve and deny racing on one join request leave either seats and approved, or no seats and denied", async () => {
      const database = await openTestDatabase(engine);
      try {
        const { db } = database;
        await db.insert(tenants).values({ tenantId: T, displayName: "Contoso", status: "consented" });
        await db.insert(members).values([
          { tenantId: T, userId: "ada", upn: "ada@contoso.com", mail: "ada@contoso.com", displayName: "Ada" },
          { tenantId: T, userId: "boss", upn: "boss@contoso.com", displayName: "Boss", roles: ["owner"] },
        ]);
        const seats = new SeatService({
          store: new DrizzleSeatStore(database, clock),
          numbers: new RecordingNumberPushes(),
          notices: new RecordingNotifier(),
          teams: new RecordingTeams(),
          telephony: new MemoryTelephony(),
          limits: { calling: 10, sync: 10 },
        });
        const admin = { tenantId: T, userId: "boss", displayName: "Boss" };
        await seats.setPoolSize(admin, "sync", 5);
        const ada = { tenantId: T, userId: "ada", displayName: "Ada" };
        const outcomes = { approved: 0, denied: 0 };

        for (let round = 1; round <= ROUNDS; round++) {
          const { requestId } = await seats.requestToJoin(ada, { seatKinds: ["sync"], message: null });
          // Both decisions start in the same tick; which is called first alternates.
          const decide = (decision: "approved" | "denied") =>
            seats.decideJoinRequest(admin, requestId, decision, `round ${round}`);
          const order: ("approved" | "denied")[] =
            round % 2 ? ["approved", "denied"] : ["denied", "approved"];
          const results = await Promise.allSettled(order.map(decide));
          const won = results.filter((r) => r.status === "fulfilled");
          const lost = results.filter((r) => r.status === "rejected");
          assert.equal(won.length, 1, `round ${round}: exactly one decision wins`);
          const refusal = lost[0]?.status === "rejected" ? lost[0].reason : undefined;
          assert.ok(refusal instanceof DomainError && refusal.code === "CONFLICT", String(refusal));

          const state = (await seats.joinRequest(T, requestId))?.state;
          const held = await db
            .select()
            .from(seatAssignments)
            .where(and(eq(seatAssignments.tenantId, T), eq(seatAssignments.userId, "ada")));
          const [pool] = await db
            .select({ used: seatPools.used })
            .from(seatPools)
            .where(and(eq(seatPools.tenantId, T), eq(seatPools.kind, "sync")));
          assert.ok(
            (state === "approved" && held.length === 1) || (state === "denied" && held.length === 0),
            `round ${round}: request ${state} with ${held.length} seats`,
          );
          assert.equal(pool?.used, held.length, `round ${round}: the pool counts the seats held`);
          outcomes[state as "approved" | "denied"] += 1;
          if (held.length > 0) await seats.release(admin, { userId: "ada", kind: "sync" });
        }
        assert.equal(outcomes.approved + outcomes.denied, ROUNDS);
      } finally {
        await database.close();
      }
    });
  });
}

describe("invitations over HTTP after a change of roles", () => {
  let stack: Stack;
  let owner: string;

  const api = async <T = unknown>(method: string, path: string, token: string, body?: unknown) =>
    stack.request<T>(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const userOf = (token: string) => String(decodeJwt(token).oid);
  const rolesOf = async (token: string) =>
    (await api<{ actor: { roles: string[] } }>("GET", "/api/me", token)).body.actor.roles;
  const syncSeatOf = async (token: string) =>
    (await api<{ hasSyncSeat: boolean }>("GET", "/api/me/sync", token)).body.hasSyncSeat;

  beforeAll(async () => {
    stack = await startStack();
    const consent = await stack.consent();
    assert.ok(consent.status < 400, consent.text);
    owner = await stack.tokenFor(stack.tenants[0]!.adminUpn);
    const sync = await api<DirectorySyncResponse>("POST", "/api/admin/directory/sync", owner);
    assert.equal(sync.status, 200, sync.text);
    const pool = await api("PUT", "/api/admin/seats/pools/sync", owner, { total: 10 });
    assert.equal(pool.status, 200, pool.text);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test("an invitation from a since-demoted admin does not grant admin", async () => {
    const erik = await stack.tokenFor("erik.lindqvist@contoso.com");
    const ana = await stack.tokenFor("ana.souza@contoso.com");
    const promoted = await api("PUT", `/api/admin/members/${userOf(erik)}/roles`, owner, {
      roles: ["member", "admin"],
    });
    assert.equal(promoted.status, 200, promoted.text);
    const invited = await api<{ invitationId: string }>("POST", "/api/admin/invitations", erik, {
      userId: userOf(ana),
      role: "admin",
      seatKinds: ["sync"],
    });
    assert.equal(invited.status, 201, invited.text);
    const demoted = await api("PUT", `/api/admin/members/${userOf(erik)}/roles`, owner, {
      roles: ["member"],
    });
    assert.equal(demoted.status, 200, demoted.text);

    const accepted = await api<{ error: { code: string; message: string } }>(
      "POST",
      `/api/me/invitations/${invited.body.invitationId}/accept`,
      ana,
    );
    assert.equal(accepted.status, 409, accepted.text);
    assert.equal(accepted.body.error.code, "INVITATION_NO_LONGER_VALID");
    assert.match(accepted.body.error.message, /no longer a Quorum owner or admin/);
    assert.deepEqual(await rolesOf(ana), ["member"]);
    assert.equal(await syncSeatOf(ana), false, "no seat either");
    const mine = await api<{ invitations: { invitationId: string; state: string }[] }>(
      "GET",
      "/api/me/invitations",
      ana,
    );
    assert.equal(
      mine.body.invitations.find((i) => i.invitationId === invited.body.invitationId)?.state,
      "pending",
    );
    const audit = await api<{ entries: { action: string; targetId: string; reason: string | null }[] }>(
      "GET",
      "/api/admin/audit?action=invitation.refused",
      owner,
    );
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.body.entries[0]?.targetId, userOf(ana));
    assert.match(audit.body.entries[0]?.reason ?? "", /no longer an owner or admin/);

    // Declining stays possible; an invitation from a current admin still grants the role.
    const declined = await api("POST", `/api/me/invitations/${invited.body.invitationId}/decline`, ana);
    assert.equal(declined.status, 200, declined.text);
    const fresh = await api<{ invitationId: string }>("POST", "/api/admin/invitations", owner, {
      userId: userOf(ana),
      role: "admin",
      seatKinds: [],
    });
    assert.equal(fresh.status, 201, fresh.text);
    const granted = await api("POST", `/api/me/invitations/${fresh.body.invitationId}/accept`, ana);
    assert.equal(granted.status, 200, granted.text);
    assert.ok((await rolesOf(ana)).includes("admin"));
  });
});
