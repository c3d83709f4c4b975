/**
 * One scenario suite for the seat service, run against every SeatStore: in memory, PGlite, and PostgreSQL
 * when QUORUM_TEST_DATABASE_URL is set. Number pushes, notices and Teams messages are recorded.
 */
import assert from "node:assert/strict";
import { test } from "vitest";
import { DomainError } from "../../src/core/errors.ts";
import type { SeatInput } from "../../src/core/seats/plan.ts";
import type { SeatKind } from "../../src/core/seats/types.ts";
import { describeEngines } from "../support/engines.ts";
import { databaseRig, memoryRig, type Rig } from "./seat-rig.ts";

const code = (c: string, pattern?: RegExp, reason?: string) => (error: unknown) => {
  assert.ok(error instanceof DomainError, String(error));
  assert.equal(error.code, c, error.message);
  if (pattern) assert.match(error.message, pattern);
  if (reason) assert.equal(error.details?.reason, reason, error.message);
  return true;
};

async function* csvRows(lines: [string, string, string?][]): AsyncIterable<SeatInput> {
  let line = 2;
  for (const [email, kinds, phone] of lines)
    yield { line: line++, email, seatKinds: kinds.split(";"), phoneNumber: phone ?? null, displayName: null };
}

const users = (...ids: string[]) => ids.map((id) => ({ id }));
const A = "+14255550100";
const B = "+14255550101";
const C = "+14255550102";

describeEngines("seat scenarios", { memory: true }, (_engine, database) => {
  let n = 0;
  const fresh = async (): Promise<Rig & { admin: ReturnType<Rig["actor"]> }> => {
    const db = database();
    const rig = db ? await databaseRig(db) : memoryRig(`tenant-${++n}`);
    return Object.assign(rig, { admin: rig.actor("admin") });
  };
  const kindsOf = async (rig: Rig, userId: string) =>
    (await rig.seats.seats(rig.tenantId, { userId })).map((s) => s.kind).sort();
  const used = async (rig: Rig, kind: SeatKind) =>
    (await rig.seats.pools(rig.tenantId)).find((p) => p.kind === kind)?.used;
  /** Ada and Bob in the directory, two sync seats, and a CSV plan made from `lines`. */
  const adaAndBobPlan = async (lines: [string, string][]) => {
    const rig = await fresh();
    await rig.people(users("ada", "bob"));
    await rig.seats.setPoolSize(rig.admin, "sync", 2);
    const plan = await rig.seats.makePlan(rig.admin, { source: "csv", rows: csvRows(lines) });
    return { rig, plan };
  };

  test("concurrent requests racing for the last seat: exactly one wins, the others get SEAT_POOL_EXHAUSTED", async () => {
    const rig = await fresh();
    const { seats, admin } = rig;
    await rig.people(users("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"));
    await seats.setPoolSize(admin, "sync", 3);
    await seats.assign(admin, { userId: "u0", kind: "sync" });
    await seats.assign(admin, { userId: "u1", kind: "sync" });
    const racing = ["u2", "u3", "u4", "u5", "u6", "u7"];
    const results = await Promise.allSettled(
      racing.map((u) => seats.assign(admin, { userId: u, kind: "sync" })),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const lost = results.flatMap((r, i) =>
      r.status === "rejected" ? [{ userId: racing[i]!, error: r.reason }] : [],
    );
    assert.equal(lost.length, 5);
    for (const { error } of lost) {
      code("SEAT_POOL_EXHAUSTED", /sync seat pool: all 3 are in use/)(error);
      assert.deepEqual(error.details, { pool: "sync", total: 3 });
    }
    assert.deepEqual(
      (await seats.pools(rig.tenantId)).find((p) => p.kind === "sync"),
      { kind: "sync", total: 3, used: 3 },
    );
    assert.equal((await seats.seats(rig.tenantId, { kind: "sync" })).length, 3);
    // Lowering the pool below what is in use is refused; releasing frees a licence.
    await assert.rejects(
      seats.setPoolSize(admin, "sync", 2),
      code("CONFLICT", /3 sync seats are in use/, "POOL_BELOW_USE"),
    );
    await seats.release(admin, { userId: "u0", kind: "sync" });
    await seats.assign(admin, { userId: lost[0]!.userId, kind: "sync" });
    const audit = await seats.auditTrail(rig.tenantId, { action: "seat." });
    assert.ok(
      audit.some((a) => a.action === "seat.released" && a.targetId === "u0" && a.actorUserId === "admin"),
    );
    assert.ok(audit.some((a) => a.action === "seat.pool_changed"));
  });

  test("a plan commits all-or-nothing, a stale plan is refused, undo restores the seats before", async () => {
    const rig = await fresh();
    const { seats, admin, tenantId } = rig;
    await rig.people(users("ada", "bob", "cy", "dee"));
    await seats.setPoolSize(admin, "sync", 3);
    await seats.setPoolSize(admin, "calling", 2);
    await seats.addNumbers(admin, [A, B], "callingPlan");
    await seats.assign(admin, { userId: "dee", kind: "sync" });
    const makePlan = (lines: [string, string, string?][]) =>
      seats.makePlan(admin, { source: "csv", rows: csvRows(lines) });
    const lines: [string, string, string?][] = [
      ["ada.alias@contoso.com", "sync;calling", B],
      ["BOB@contoso.com", "sync"],
    ];

    const plan = await makePlan(lines);
    const preview = await seats.plan(tenantId, plan.planId);
    assert.deepEqual(
      preview.rows.map((r) => [r.line, r.userId, r.kind, r.action, r.reason, r.phoneNumber]),
      [
        [2, "ada", "sync", "add", "matched by proxy address", null],
        [2, "ada", "calling", "add", "matched by proxy address", B],
        [3, "bob", "sync", "add", "matched by mail", null],
        [null, "dee", "sync", "remove", "not in the file", null],
      ],
    );

    // Another change lands first: the plan is stale and nothing of it is applied.
    const stalePlan = await makePlan([["cy@contoso.com", "sync"]]);
    await seats.assign(admin, { userId: "cy", kind: "sync" });
    await assert.rejects(seats.commitPlan(admin, stalePlan.planId), code("PLAN_STALE"));
    await assert.rejects(seats.commitPlan(admin, plan.planId), code("PLAN_STALE"));
    assert.deepEqual((await seats.seats(tenantId)).map((s) => [s.kind, s.userId]).sort(), [
      ["sync", "cy"],
      ["sync", "dee"],
    ]);

    await seats.release(admin, { userId: "cy", kind: "sync" });
    const fresh_ = await makePlan(lines);
    const committed = await seats.commitPlan(admin, fresh_.planId);
    assert.equal(committed.status, "committed");
    assert.deepEqual(rig.pushes.pushed.at(-1)?.work.assign, [{ userId: "ada", number: B }]);
    assert.deepEqual(
      (await seats.seats(tenantId)).map((s) => [s.kind, s.userId, s.phoneNumber, s.state, s.source]),
      [
        ["calling", "ada", B, "pending", "csv"],
        ["sync", "ada", null, "active", "csv"],
        ["sync", "bob", null, "active", "csv"],
      ],
    );
    assert.deepEqual(
      (await seats.pools(tenantId)).map((p) => [p.kind, p.used]),
      [
        ["calling", 1],
        ["sync", 2],
      ],
    );
    await assert.rejects(seats.commitPlan(admin, fresh_.planId), code("CONFLICT", /already committed/));

    const undo = await seats.undoPlan(admin, fresh_.planId);
    assert.equal(undo.source, "undo");
    assert.equal(undo.undoesPlanId, fresh_.planId);
    assert.deepEqual(rig.pushes.pushed.at(-1)?.work.unassign, [{ userId: "ada", number: B }]);
    assert.deepEqual(
      (await seats.seats(tenantId)).map((s) => [s.kind, s.userId, s.source]),
      [["sync", "dee", "manual"]],
    );
    assert.deepEqual(
      (await seats.pools(tenantId)).map((p) => [p.kind, p.used]),
      [
        ["calling", 0],
        ["sync", 1],
      ],
    );
    assert.equal((await seats.plan(tenantId, fresh_.planId)).plan.status, "undone");
    await assert.rejects(seats.undoPlan(admin, fresh_.planId), code("CONFLICT"));
  });

  test("a plan with error rows commits only when the admin chooses to skip them", async () => {
    const { rig, plan } = await adaAndBobPlan([
      ["ada@contoso.com", "sync"],
      ["not-an-email", "sync"],
      ["bob@contoso.com", "pager"],
    ]);
    const { seats, admin, tenantId } = rig;
    assert.deepEqual(plan.summary.problemLines, [3, 4]);
    for (const choice of [undefined, {}, { skipProblemRows: false }]) {
      await assert.rejects(seats.commitPlan(admin, plan.planId, choice), (error: unknown) => {
        code("PLAN_HAS_PROBLEMS", /lines 3, 4/)(error);
        assert.deepEqual((error as { details: unknown }).details, { problems: 2, lines: [3, 4], changes: 1 });
        return true;
      });
    }
    assert.equal((await seats.seats(tenantId)).length, 0);
    const committed = await seats.commitPlan(admin, plan.planId, { skipProblemRows: true });
    assert.equal(committed.status, "committed");
    assert.deepEqual(
      (await seats.seats(tenantId)).map((s) => [s.kind, s.userId]),
      [["sync", "ada"]],
    );
  });

  test("a plan that no longer fits the pool changes nothing", async () => {
    const { rig, plan } = await adaAndBobPlan([
      ["ada@contoso.com", "sync"],
      ["bob@contoso.com", "sync"],
    ]);
    const { seats, admin, tenantId } = rig;
    // A second writer shrinks the pool without bumping the seat version (an old replica).
    await rig.store.transaction(tenantId, (tx) => tx.setPoolTotal("sync", 1));
    await assert.rejects(seats.commitPlan(admin, plan.planId), code("SEAT_POOL_EXHAUSTED"));
    assert.equal((await seats.seats(tenantId)).length, 0);
    assert.equal((await seats.plan(tenantId, plan.planId)).plan.status, "draft");
  });

  test("the member rules: only enabled, live members get seats, a sync seat needs a mailbox, one seat per kind", async () => {
    const rig = await fresh();
    const { seats, admin } = rig;
    await rig.people([
      { id: "ada" },
      { id: "dis", enabled: false },
      { id: "gone", deleted: true },
      { id: "nomail", mail: null },
    ]);
    await seats.setPoolSize(admin, "sync", 5);
    await seats.assign(admin, { userId: "ada", kind: "sync" });
    const assign = (userId: string) => seats.assign(admin, { userId, kind: "sync" });
    await assert.rejects(assign("dis"), code("CONFLICT", /DIS is disabled or deleted/, "MEMBER_INACTIVE"));
    await assert.rejects(assign("gone"), code("CONFLICT", /GONE is disabled or deleted/, "MEMBER_INACTIVE"));
    await assert.rejects(assign("nomail"), code("CONFLICT", /has no mailbox/, "MAILBOX_REQUIRED"));
    await assert.rejects(assign("nobody"), code("NOT_FOUND", undefined, "MEMBER_UNKNOWN"));
    await assert.rejects(assign("ada"), code("CONFLICT", /ADA already has a sync seat/, "SEAT_HELD"));
    await assert.rejects(
      seats.release(admin, { userId: "bob", kind: "sync" }),
      code("NOT_FOUND", /no sync seat/, "SEAT_NOT_HELD"),
    );
    assert.equal(await used(rig, "sync"), 1, "refusals take no licence");
    await assert.rejects(
      seats.setPoolSize(admin, "sync", 101),
      code("VALIDATION_FAILED", /at most 100 sync seats/, "SEAT_LIMIT"),
    );
  });

  test("several seats for one person are given all or none: an approved join request is never half-applied", async () => {
    const rig = await fresh();
    const { seats, admin, tenantId } = rig;
    await rig.people(users("ada", "bo"));
    await seats.setPoolSize(admin, "sync", 5);
    await seats.setPoolSize(admin, "calling", 1);
    await seats.addNumbers(admin, [B], "callingPlan");
    await seats.assign(admin, { userId: "bo", kind: "calling" });
    const ada = rig.actor("ada", ["member"]);
    const request = await seats.requestToJoin(ada, { seatKinds: ["sync", "calling"], message: null });
    assert.ok(rig.notices.sent.some((s) => s.to === "admins" && s.notice.topic === "join_request"));
    await assert.rejects(
      seats.requestToJoin(ada, { seatKinds: ["sync"], message: null }),
      code("CONFLICT", /already have a pending request/),
    );

    await assert.rejects(
      seats.decideJoinRequest(admin, request.requestId, "approved", "ok"),
      code("SEAT_POOL_EXHAUSTED"),
    );
    assert.equal(await used(rig, "sync"), 0, "the sync seat was not kept");
    assert.deepEqual(await kindsOf(rig, "ada"), []);
    assert.equal((await seats.joinRequest(tenantId, request.requestId))?.state, "pending");

    await seats.setPoolSize(admin, "calling", 2);
    await seats.addNumbers(admin, [C], "callingPlan");
    await seats.assign(admin, { userId: "ada", kind: "sync" });
    const decided = await seats.decideJoinRequest(admin, request.requestId, "approved", "welcome");
    assert.equal(decided.state, "approved");
    assert.deepEqual(
      await kindsOf(rig, "ada"),
      ["calling", "sync"],
      "the seat held is kept, the missing one added",
    );
    assert.deepEqual(rig.pushes.pushed.at(-1)?.work.assign, [{ userId: "ada", number: C }]);
    assert.ok(rig.notices.sent.some((s) => s.to === "ada" && s.notice.topic === "join_request.decided"));
  });

  test("approve and deny racing on one join request: one decision wins, the seats follow it", async () => {
    const rig = await fresh();
    const { seats, admin } = rig;
    await rig.people(users("ada"));
    await seats.setPoolSize(admin, "sync", 5);
    const ada = rig.actor("ada", ["member"]);
    for (let round = 1; round <= 4; round++) {
      const { requestId } = await seats.requestToJoin(ada, { seatKinds: ["sync"], message: null });
      const order: ("approved" | "denied")[] = round % 2 ? ["approved", "denied"] : ["denied", "approved"];
      const results = await Promise.allSettled(
        order.map((d) => seats.decideJoinRequest(admin, requestId, d, `round ${round}`)),
      );
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1, `round ${round}`);
      const refusal = results.find((r) => r.status === "rejected");
      code(
        "CONFLICT",
        /already (approved|denied)/,
      )(refusal?.status === "rejected" ? refusal.reason : undefined);
      const state = (await seats.joinRequest(rig.tenantId, requestId))?.state;
      const held = await kindsOf(rig, "ada");
      assert.equal(
        held.length,
        state === "approved" ? 1 : 0,
        `round ${round}: ${state} with ${held.length} seats`,
      );
      assert.equal(await used(rig, "sync"), held.length);
      if (held.length > 0) await seats.release(admin, { userId: "ada", kind: "sync" });
    }
  });

  test("an invitation grants its role and seats, but not once the inviter is no longer an admin", async () => {
    const rig = await fresh();
    const { seats, tenantId } = rig;
    await rig.people([
      { id: "boss", roles: ["owner", "member"] },
      { id: "erik", roles: ["member", "admin"] },
      { id: "ana" },
    ]);
    const boss = rig.actor("boss", ["owner", "member"]);
    await seats.setPoolSize(boss, "sync", 5);
    const ana = rig.actor("ana", ["member"]);
    const rolesOf = (userId: string) =>
      rig.store.transaction(tenantId, (tx) => tx.liveRoles(userId, "share"));

    const invited = await seats.invite(rig.actor("erik"), {
      userId: "ana",
      role: "admin",
      seatKinds: ["sync"],
    });
    assert.ok(rig.notices.sent.some((s) => s.to === "ana" && s.notice.topic === "invitation"));
    await rig.change("erik", { roles: ["member"] });
    await assert.rejects(
      seats.answerInvitation(ana, invited.invitationId, "accepted"),
      code("INVITATION_NO_LONGER_VALID", /no longer a Quorum owner or admin/),
    );
    assert.deepEqual(await rolesOf("ana"), ["member"]);
    assert.deepEqual(await kindsOf(rig, "ana"), [], "no seat either");
    assert.equal((await seats.invitation(tenantId, invited.invitationId))?.state, "pending");
    const refused = await seats.auditTrail(tenantId, { action: "invitation.refused" });
    assert.equal(refused[0]?.targetId, "ana");
    assert.match(refused[0]?.reason ?? "", /no longer an owner or admin/);

    // Declining stays possible; an invitation from a current owner grants the role and the seats.
    assert.equal((await seats.answerInvitation(ana, invited.invitationId, "declined")).state, "declined");
    const fresh_ = await seats.invite(boss, { userId: "ana", role: "admin", seatKinds: ["sync"] });
    assert.equal((await seats.answerInvitation(ana, fresh_.invitationId, "accepted")).state, "accepted");
    assert.deepEqual([...((await rolesOf("ana")) ?? [])].sort(), ["admin", "member"]);
    assert.deepEqual(await kindsOf(rig, "ana"), ["sync"]);
    assert.ok(rig.notices.sent.some((s) => s.to === "boss" && s.notice.topic === "invitation.accepted"));
    await assert.rejects(
      seats.invite(boss, { userId: "nobody", role: "member", seatKinds: [] }),
      code("NOT_FOUND"),
    );
  });

  test("the person's own sync switch needs an active sync seat", async () => {
    const rig = await fresh();
    const { seats, admin } = rig;
    await rig.people(users("ana"));
    const ana = rig.actor("ana", ["member"]);
    await assert.rejects(
      seats.setMySync(ana, true),
      code(
        "SEAT_REQUIRED",
        /^Calendar sync needs a sync seat\. Ask your admin or request to join\.$/,
        "SYNC_SEAT_REQUIRED",
      ),
    );
    assert.deepEqual(await seats.mySync(ana), { hasSyncSeat: false, enabled: false });
    await seats.setPoolSize(admin, "sync", 1);
    await seats.assign(admin, { userId: "ana", kind: "sync" });
    assert.deepEqual(await seats.mySync(ana), { hasSyncSeat: true, enabled: true });
    await seats.setMySync(ana, false);
    assert.deepEqual(await seats.mySync(ana), { hasSyncSeat: true, enabled: false });
    assert.equal((await seats.auditTrail(rig.tenantId, { action: "sync.user_switch_changed" })).length, 1);
  });

  test("seats follow the directory: suspended and freed, back while licences last", async () => {
    const rig = await fresh();
    const { seats, admin, tenantId } = rig;
    await rig.people(users("ada", "bob"));
    await seats.setPoolSize(admin, "sync", 1);
    await seats.assign(admin, { userId: "ada", kind: "sync" });
    assert.equal(await seats.suspend(tenantId, ["ada"], "disabled in the directory", false), 1);
    assert.deepEqual(
      (await seats.seats(tenantId)).map((s) => [s.userId, s.state]),
      [["ada", "suspended"]],
    );
    assert.equal(await used(rig, "sync"), 0);
    assert.equal(await seats.suspend(tenantId, ["ada"], "again", false), 0, "suspending again does nothing");
    assert.deepEqual(await seats.restore(tenantId, ["ada"], "enabled again"), { restored: 1, waiting: 0 });
    assert.deepEqual(
      (await seats.seats(tenantId)).map((s) => [s.userId, s.state]),
      [["ada", "active"]],
    );
    assert.equal(await used(rig, "sync"), 1);

    // While ada is suspended, bob takes the licence: ada waits, suspended.
    await seats.suspend(tenantId, ["ada"], "disabled again", false);
    await seats.assign(admin, { userId: "bob", kind: "sync" });
    assert.deepEqual(await seats.restore(tenantId, ["ada"], "enabled"), { restored: 0, waiting: 1 });
    assert.equal((await seats.seats(tenantId, { userId: "ada" }))[0]?.state, "suspended");
    // Deleted for good: the seat goes; its licence was already free.
    assert.equal(await seats.suspend(tenantId, ["ada"], "deleted", true), 1);
    assert.deepEqual(await kindsOf(rig, "ada"), []);
    assert.equal(await used(rig, "sync"), 1);
  });

  test("a restored calling seat takes its number back, or a free one when someone else took it", async () => {
    const rig = await fresh();
    const { seats, admin, tenantId, store } = rig;
    await rig.people(users("ada", "bob"));
    await seats.setPoolSize(admin, "calling", 2);
    await seats.addNumbers(admin, [A, B], "callingPlan");
    await seats.assign(admin, { userId: "ada", kind: "calling", phoneNumber: A });
    await seats.suspend(tenantId, ["ada"], "disabled", false);
    assert.deepEqual(rig.pushes.pushed.at(-1)?.work.unassign, [{ userId: "ada", number: A }]);
    await store.recordNumberState(tenantId, A, { state: "free" });
    await seats.assign(admin, { userId: "bob", kind: "calling", phoneNumber: A });
    assert.deepEqual(await seats.restore(tenantId, ["ada"], "enabled"), { restored: 1, waiting: 0 });
    const back = (await seats.seats(tenantId, { userId: "ada" }))[0];
    assert.deepEqual([back?.phoneNumber, back?.state], [B, "pending"]);
    assert.deepEqual(rig.pushes.pushed.at(-1)?.work.assign, [{ userId: "ada", number: B }]);

    // A number still being released stays its holder's: no second number meanwhile.
    await seats.release(admin, { userId: "bob", kind: "calling" });
    await seats.setPoolSize(admin, "calling", 3);
    await seats.addNumbers(admin, [C], "callingPlan");
    await assert.rejects(
      seats.assign(admin, { userId: "bob", kind: "calling" }),
      code("CONFLICT", /still being released/, "NUMBER_BEING_RELEASED"),
    );
    await assert.rejects(
      seats.assign(admin, { userId: "bob", kind: "calling", phoneNumber: B }),
      code("CONFLICT", /assigned to another user/, "NUMBER_TAKEN"),
    );
    await store.recordNumberState(tenantId, A, { state: "free" });
    assert.equal((await seats.assign(admin, { userId: "bob", kind: "calling" })).seat.phoneNumber, A);
  });

  test("group rules hand out seats in directory order while licences last; the rest queue", async () => {
    const rig = await fresh();
    const { seats, admin, tenantId } = rig;
    await rig.people(users("g1", "g2", "g3", "g4"));
    await rig.group("sales", "Sales", ["g3", "g1", "g4", "g2"]);
    await seats.setPoolSize(admin, "sync", 2);
    const rule = await seats.addRule(admin, { groupId: "sales", kind: "sync", priority: 0 });
    assert.equal("groupName" in rule ? rule.groupName : null, "Sales");
    await assert.rejects(
      seats.addRule(admin, { groupId: "sales", kind: "sync", priority: 1 }),
      code("CONFLICT"),
    );
    await assert.rejects(
      seats.addRule(admin, { groupId: "nope", kind: "sync", priority: 0 }),
      code("NOT_FOUND"),
    );
    const plan = await seats.makePlan(admin, { source: "rule" });
    const rows = (await seats.plan(tenantId, plan.planId)).rows;
    assert.deepEqual(
      rows.map((r) => [r.userId, r.action]),
      [
        ["g1", "add"],
        ["g2", "add"],
        ["g3", "queue"],
        ["g4", "queue"],
      ],
    );
    await seats.commitPlan(admin, plan.planId);
    const { queueAdvanced } = await seats.setPoolSize(admin, "sync", 3);
    assert.equal(queueAdvanced, 1);
    assert.deepEqual(
      (await seats.seats(tenantId, { kind: "sync" })).map((s) => [s.userId, s.source]),
      [
        ["g1", "rule"],
        ["g2", "rule"],
        ["g3", "rule"],
      ],
    );
    assert.equal(
      (await seats.auditTrail(tenantId, { action: "plan.committed", limit: 1 }))[0]?.actorUserId,
      "quorum",
    );
    assert.ok(rig.notices.sent.some((s) => s.notice.topic === "seats.restored"));
    await seats.removeRule(admin, "ruleId" in rule ? rule.ruleId : "");
    assert.deepEqual(await seats.rules(tenantId), []);
  });

  test("the person is told in Teams; a failed delivery leaves the seat as it is", async () => {
    const rig = await fresh();
    const { seats, admin } = rig;
    await rig.people(users("ana"));
    await seats.setPoolSize(admin, "sync", 1);
    rig.teams.failing = true;
    const { seat, told } = await seats.assign(admin, { userId: "ana", kind: "sync" });
    assert.deepEqual(
      [seat.userId, seat.state, seat.upn, told.status],
      ["ana", "active", "ana@contoso.com", "failed"],
    );
    rig.teams.failing = false;
    const released = await seats.release(admin, { userId: "ana", kind: "sync" });
    assert.equal(released.told.status, "sent");
    assert.deepEqual(
      rig.teams.sent.map((t) => [t.kind, "userId" in t ? t.userId : null]),
      [["seatRemoved", "ana"]],
    );
  });
});
