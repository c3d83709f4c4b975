import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { DomainError } from "../../src/core/errors.ts";
import { planSeats, type SeatInput } from "../../src/core/seats/plan.ts";
import { members, tenants } from "../../src/store/schema.ts";
import { createSeatStore } from "../../src/store/seats.ts";
import { openTestDatabase, type TestDatabase, testEngines } from "../support/database.ts";

const T = "tenant-seats";
const clock = { now: () => Date.parse("2026-11-21T10:00:00Z") };

async function setup(database: TestDatabase, users: string[]) {
  await database.db.insert(tenants).values({ tenantId: T, displayName: "Contoso", status: "consented" });
  await database.db.insert(members).values(
    users.map((u, i) => ({
      tenantId: T,
      userId: u,
      upn: `${u}@contoso.com`,
      mail: `${u}@contoso.com`,
      displayName: u.toUpperCase(),
      proxyAddresses: [`SMTP:${u}@contoso.com`, `smtp:${u}.alias@contoso.com`],
      directoryOrder: i,
    })),
  );
  return createSeatStore(database, clock);
}

const code = (c: string, pattern?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof DomainError, String(error));
  assert.equal(error.code, c, error.message);
  if (pattern) assert.match(error.message, pattern);
  return true;
};

async function* csvRows(lines: [string, string, string?][]): AsyncIterable<SeatInput> {
  let line = 2;
  for (const [email, kinds, phone] of lines)
    yield { line: line++, email, seatKinds: kinds.split(";"), phoneNumber: phone ?? null, displayName: null };
}

for (const engine of testEngines()) {
  describe(`seat store on ${engine}`, () => {
    test("concurrent requests racing for the last seat: exactly one wins, the other gets SEAT_POOL_EXHAUSTED", async () => {
      const database = await openTestDatabase(engine);
      try {
        const seats = await setup(
          database,
          Array.from({ length: 8 }, (_, i) => `u${i}`),
        );
        await seats.setPoolTotal(T, "sync", 3, "admin");
        await seats.assignSeat(T, { userId: "u0", kind: "sync" }, "admin");
        await seats.assignSeat(T, { userId: "u1", kind: "sync" }, "admin");
        const results = await Promise.allSettled(
          ["u2", "u3", "u4", "u5", "u6", "u7"].map((u) =>
            seats.assignSeat(T, { userId: u, kind: "sync" }, "admin"),
          ),
        );
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r) => r.status === "rejected");
        assert.equal(won.length, 1);
        assert.equal(lost.length, 5);
        for (const l of lost) {
          code(
            "SEAT_POOL_EXHAUSTED",
            /sync seat pool: all 3 are in use/,
          )((l as PromiseRejectedResult).reason);
          assert.deepEqual((l as PromiseRejectedResult).reason.details, { pool: "sync", total: 3 });
        }
        const pools = await seats.pools(T);
        assert.deepEqual(
          pools.find((p) => p.kind === "sync"),
          { kind: "sync", total: 3, used: 3 },
        );
        assert.equal((await seats.seats(T, { kind: "sync" })).length, 3);
        // Lowering the pool below what is in use is refused; releasing frees a licence.
        await assert.rejects(
          seats.setPoolTotal(T, "sync", 2, "admin"),
          code("CONFLICT", /3 sync seats are in use/),
        );
        await seats.releaseSeat(T, { userId: "u0", kind: "sync" }, "admin");
        await seats.assignSeat(T, { userId: "u7", kind: "sync" }, "admin");
        const audit = await seats.auditTrail(T, { action: "seat." });
        assert.ok(
          audit.some((a) => a.action === "seat.released" && a.targetId === "u0" && a.actorUserId === "admin"),
        );
      } finally {
        await database.close();
      }
    });

    test("a plan commits all-or-nothing, a stale plan is refused, undo restores the seats before", async () => {
      const database = await openTestDatabase(engine);
      try {
        const seats = await setup(database, ["ada", "bob", "cy", "dee"]);
        await seats.setPoolTotal(T, "sync", 3, "admin");
        await seats.setPoolTotal(T, "calling", 2, "admin");
        await seats.addNumbers(T, ["+14255550100", "+14255550101"], "callingPlan", "admin");
        await seats.assignSeat(T, { userId: "dee", kind: "sync" }, "admin");

        const makePlan = async (lines: [string, string, string?][]) => {
          const state = await seats.seatState(T);
          const computed = await planSeats({
            source: "csv",
            rows: csvRows(lines),
            directory: await seats.directoryIndex(T),
            ...state,
          });
          return seats.savePlan(T, computed, { baseVersion: state.version, createdBy: "admin" });
        };

        const plan = await makePlan([
          ["ada.alias@contoso.com", "sync;calling", "+14255550101"],
          ["BOB@contoso.com", "sync"],
        ]);
        const preview = await seats.getPlan(T, plan.planId);
        assert.deepEqual(
          preview.rows.map((r) => [r.line, r.userId, r.kind, r.action, r.reason, r.phoneNumber]),
          [
            [2, "ada", "sync", "add", "matched by proxy address", null],
            [2, "ada", "calling", "add", "matched by proxy address", "+14255550101"],
            [3, "bob", "sync", "add", "matched by mail", null],
            [4, "dee", "sync", "remove", "not in the file", null],
          ],
        );

        // Another change lands first: the plan is stale and nothing of it is applied.
        const stalePlan = await makePlan([["cy@contoso.com", "sync"]]);
        await seats.assignSeat(T, { userId: "cy", kind: "sync" }, "admin");
        await assert.rejects(seats.commitPlan(T, stalePlan.planId, "admin"), code("PLAN_STALE"));
        await assert.rejects(seats.commitPlan(T, plan.planId, "admin"), code("PLAN_STALE"));
        assert.deepEqual((await seats.seats(T)).map((s) => [s.kind, s.userId]).sort(), [
          ["sync", "cy"],
          ["sync", "dee"],
        ]);

        await seats.releaseSeat(T, { userId: "cy", kind: "sync" }, "admin");
        const fresh = await makePlan([
          ["ada.alias@contoso.com", "sync;calling", "+14255550101"],
          ["BOB@contoso.com", "sync"],
        ]);
        const committed = await seats.commitPlan(T, fresh.planId, "admin");
        assert.equal(committed.plan.status, "committed");
        assert.deepEqual(committed.numbers.assign, [{ userId: "ada", number: "+14255550101" }]);
        assert.deepEqual(
          (await seats.seats(T)).map((s) => [s.kind, s.userId, s.phoneNumber, s.state, s.source]),
          [
            ["calling", "ada", "+14255550101", "pending", "csv"],
            ["sync", "ada", null, "active", "csv"],
            ["sync", "bob", null, "active", "csv"],
          ],
        );
        assert.deepEqual(
          (await seats.pools(T)).map((p) => [p.kind, p.used]),
          [
            ["calling", 1],
            ["sync", 2],
          ],
        );
        await assert.rejects(
          seats.commitPlan(T, fresh.planId, "admin"),
          code("CONFLICT", /already committed/),
        );

        const undo = await seats.undoPlan(T, fresh.planId, "admin");
        assert.equal(undo.plan.source, "undo");
        assert.equal(undo.plan.undoesPlanId, fresh.planId);
        assert.deepEqual(undo.numbers.unassign, [{ userId: "ada", number: "+14255550101" }]);
        assert.deepEqual(
          (await seats.seats(T)).map((s) => [s.kind, s.userId, s.source]),
          [["sync", "dee", "manual"]],
        );
        assert.deepEqual(
          (await seats.pools(T)).map((p) => [p.kind, p.used]),
          [
            ["calling", 0],
            ["sync", 1],
          ],
        );
        assert.equal((await seats.getPlan(T, fresh.planId)).plan.status, "undone");
        await assert.rejects(seats.undoPlan(T, fresh.planId, "admin"), code("CONFLICT"));
      } finally {
        await database.close();
      }
    });

    test("several seats for one person are given all or none (an approved join request is never half-applied)", async () => {
      const database = await openTestDatabase(engine);
      try {
        const seats = await setup(database, ["ada", "bo"]);
        await seats.setPoolTotal(T, "sync", 5, "admin");
        await seats.setPoolTotal(T, "calling", 1, "admin");
        await seats.addNumbers(T, ["+14255550101"], "callingPlan", "admin");
        await seats.assignSeat(T, { userId: "bo", kind: "calling" }, "admin");
        await assert.rejects(
          seats.assignMissingSeats(
            T,
            { userId: "ada", kinds: ["sync", "calling"], reason: "approved" },
            "admin",
          ),
          code("SEAT_POOL_EXHAUSTED"),
        );
        const afterFailure = await seats.pools(T);
        assert.equal(afterFailure.find((p) => p.kind === "sync")?.used, 0, "the sync seat was not kept");
        assert.deepEqual(await seats.seats(T, { userId: "ada" }), []);

        await seats.setPoolTotal(T, "calling", 2, "admin");
        await seats.addNumbers(T, ["+14255550102"], "callingPlan", "admin");
        await seats.assignSeat(T, { userId: "ada", kind: "sync" }, "admin");
        const given = await seats.assignMissingSeats(
          T,
          { userId: "ada", kinds: ["sync", "calling"], reason: "approved" },
          "admin",
        );
        assert.deepEqual(
          given.seats.map((s) => s.kind),
          ["calling"],
          "a seat already held is kept, the missing one is added",
        );
        assert.equal(given.numbers.assign.length, 1);
      } finally {
        await database.close();
      }
    });

    test("a plan that no longer fits the pool changes nothing", async () => {
      const database = await openTestDatabase(engine);
      try {
        const seats = await setup(database, ["ada", "bob"]);
        await seats.setPoolTotal(T, "sync", 2, "admin");
        const state = await seats.seatState(T);
        const computed = await planSeats({
          source: "csv",
          rows: csvRows([
            ["ada@contoso.com", "sync"],
            ["bob@contoso.com", "sync"],
          ]),
          directory: await seats.directoryIndex(T),
          ...state,
        });
        const plan = await seats.savePlan(T, computed, { baseVersion: state.version, createdBy: "admin" });
        // Simulate a concurrent shrink that bypasses the version (a second writer on an old replica).
        await database.executeSql(
          `update seat_pools set total = 1 where tenant_id = '${T}' and kind = 'sync'`,
        );
        await assert.rejects(seats.commitPlan(T, plan.planId, "admin"), code("SEAT_POOL_EXHAUSTED"));
        assert.equal((await seats.seats(T)).length, 0);
        assert.equal((await seats.getPlan(T, plan.planId)).plan.status, "draft");
      } finally {
        await database.close();
      }
    });

    test("disabled users' seats are suspended and freed, and come back when they are enabled again", async () => {
      const database = await openTestDatabase(engine);
      try {
        const seats = await setup(database, ["ada", "bob"]);
        await seats.setPoolTotal(T, "sync", 1, "admin");
        await seats.assignSeat(T, { userId: "ada", kind: "sync" }, "admin");
        const suspended = await seats.suspendSeats(T, ["ada"], "disabled in the directory");
        assert.equal(suspended.seats.length, 1);
        assert.deepEqual(
          (await seats.seats(T)).map((s) => [s.userId, s.state]),
          [["ada", "suspended"]],
        );
        assert.equal((await seats.pools(T)).find((p) => p.kind === "sync")?.used, 0);
        // Suspending again is a no-op.
        assert.equal((await seats.suspendSeats(T, ["ada"], "again")).seats.length, 0);
        const back = await seats.restoreSeats(T, ["ada"], "enabled again");
        assert.equal(back.restored.length, 1);
        assert.deepEqual(
          (await seats.seats(T)).map((s) => [s.userId, s.state]),
          [["ada", "active"]],
        );
        assert.equal((await seats.pools(T)).find((p) => p.kind === "sync")?.used, 1);
      } finally {
        await database.close();
      }
    });
  });
}
