/**
 * Scheduled directory rounds against the emulator, the service and the database: the cron is registered
 * once in the job queue's schedule table; a tick starts one round per consented tenant (never for a tenant
 * that has not consented); the round brings a person added in Entra into Quorum and takes the seat of one
 * disabled there, without anyone pressing "Import directory now".
 */
import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import { DEMO } from "../../src/emulator/seed.ts";
import { DIRECTORY_TICK_JOB } from "../../src/server/jobs/seat-jobs.ts";
import { auditLog, members, seatAssignments } from "../../src/store/schema.ts";
import { type Stack, startStack } from "../support/stack.ts";
import { until } from "../support/until.ts";

const contoso = DEMO.contoso;
/** 03:00 UTC on 29 February: registered like any cron, but never due while the test runs. */
const CRON = "0 3 29 2 *";

describe("scheduled directory rounds", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { DIRECTORY_ROUND_CRON: CRON } });
    const consent = await stack.consent();
    assert.ok(consent.status < 400, consent.text);
    const first = await stack.request("POST", "/api/admin/directory/sync", {
      token: await stack.tokenFor(contoso.admin.upn),
    });
    assert.equal(first.status, 200, first.text);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test("the cron is kept in the job queue's schedule, once, in UTC", async () => {
    const { rows } = await stack.product.database.executeSql(
      "select name, cron, timezone from pgboss.schedule where name = $1",
      [DIRECTORY_TICK_JOB],
    );
    assert.deepEqual(rows, [{ name: DIRECTORY_TICK_JOB, cron: CRON, timezone: "UTC" }]);
  });

  test("a tick re-reads every consented tenant's directory: joiners arrive, leavers lose their seat", async () => {
    const db = stack.product.database.db;
    const tenantId = contoso.id;
    // Sofia holds a sync seat; then Entra changes: Nora joins, Sofia's account is disabled.
    const admin = await stack.tokenFor(contoso.admin.upn);
    const pool = await stack.request("PUT", "/api/admin/seats/pools/sync", {
      token: admin,
      body: { total: 5 },
    });
    assert.ok(pool.status < 400, pool.text);
    const seat = await stack.request("POST", "/api/admin/seats/assign", {
      token: admin,
      body: { userId: contoso.users.sofia.id, kind: "sync" },
    });
    assert.ok(seat.status < 400, seat.text);
    const joined = await stack.emulatorRequest<{ id: string }>(
      "POST",
      `/_emulator/tenants/${tenantId}/users`,
      {
        displayName: "Nora Nilsson",
        mail: "nora.nilsson@contoso.com",
        timeZone: "Europe/Stockholm",
      },
    );
    assert.equal(joined.status, 201, joined.text);
    const disabled = await stack.emulatorRequest(
      "PATCH",
      `/_emulator/tenants/${tenantId}/users/${contoso.users.sofia.upn}`,
      { accountEnabled: false },
    );
    assert.ok(disabled.status < 400, disabled.text);

    // Nothing changes until a round runs.
    const nora = () =>
      db
        .select({ userId: members.userId })
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.userId, joined.body.id)));
    assert.deepEqual(await nora(), []);

    const summary = async () =>
      (
        await stack.request<{ directory: { lastImportedAt: string | null; scheduled: boolean } }>(
          "GET",
          "/api/admin/seats/summary",
          { token: admin },
        )
      ).body.directory;
    const before = await summary();
    assert.equal(before.scheduled, true);
    assert.ok(before.lastImportedAt, "the admin's first import is recorded");

    // The cron's tick, as pg-boss sends it when the cron is due.
    await stack.product.queue.send(DIRECTORY_TICK_JOB, {});
    await until(async () => (await nora()).length === 1, "Nora is a member", 30_000);
    await until(
      async () => {
        const [held] = await db
          .select({ state: seatAssignments.state })
          .from(seatAssignments)
          .where(
            and(
              eq(seatAssignments.tenantId, tenantId),
              eq(seatAssignments.userId, contoso.users.sofia.id),
              eq(seatAssignments.kind, "sync"),
            ),
          );
        return held?.state === "suspended";
      },
      "Sofia's seat is suspended",
      30_000,
    );
    // The round records its end last: the Seat pools section then shows the scheduled round's time.
    await until(
      async () =>
        Date.parse((await summary()).lastImportedAt ?? "") > Date.parse(before.lastImportedAt ?? ""),
      "the round's time is recorded",
      30_000,
    );
  });

  test("a failing round is shown with its cause and told to the admins once; the next good round clears it", async () => {
    const db = stack.product.database.db;
    const admin = await stack.tokenFor(contoso.admin.upn);
    const directory = async () =>
      (
        await stack.request<{
          directory: { lastImportedAt: string | null; lastError: { message: string; at: string } | null };
        }>("GET", "/api/admin/seats/summary", { token: admin })
      ).body.directory;
    const failureNotices = async () =>
      (
        await db
          .select({ id: auditLog.auditId })
          .from(auditLog)
          .where(
            and(
              eq(auditLog.tenantId, contoso.id),
              eq(auditLog.action, "notice.admins"),
              eq(auditLog.targetId, "directory.round_failed"),
            ),
          )
      ).length;
    const roundsDone = async () => {
      const { rows } = await stack.product.database.executeSql(
        "select count(*)::int as n from pgboss.job where name = 'directory.round' and state in ('completed', 'failed')",
      );
      return (rows[0] as { n: number }).n;
    };
    const tick = async () => {
      const done = await roundsDone();
      await stack.product.queue.send(DIRECTORY_TICK_JOB, {});
      await until(async () => (await roundsDone()) > done, "the round ran", 30_000);
    };
    assert.equal((await directory()).lastError, null);

    const fault = await stack.emulatorRequest<{ id: string }>("POST", "/_emulator/faults", {
      tenantId: contoso.id,
      path: "/users/delta",
      // As Graph answers once an admin removed the app's directory permission.
      status: 403,
    });
    assert.equal(fault.status, 201, fault.text);
    try {
      await tick();
      const failed = await directory();
      assert.ok(failed.lastError, "the failure is kept");
      assert.match(failed.lastError.message, /Insufficient privileges to complete the operation/);
      assert.equal(await failureNotices(), 1);
      // Still failing at the next tick: the time moves, the admins are not told again.
      await tick();
      const again = await directory();
      assert.ok(Date.parse(again.lastError?.at ?? "") >= Date.parse(failed.lastError.at));
      assert.equal(await failureNotices(), 1);
    } finally {
      assert.equal((await stack.emulatorRequest("DELETE", `/_emulator/faults/${fault.body.id}`)).status, 204);
    }
    await tick();
    assert.equal((await directory()).lastError, null, "a good round clears the failure");
  });

  test("a tenant that has not consented gets no round", async () => {
    const fabrikam = stack.tenants[1]!;
    const { rows } = await stack.product.database.executeSql(
      "select count(*)::int as n from pgboss.job where name = 'directory.round' and data->>'tenantId' = $1",
      [fabrikam.id],
    );
    assert.deepEqual(rows, [{ n: 0 }]);
    const { rows: contosoRounds } = await stack.product.database.executeSql(
      "select count(*)::int as n from pgboss.job where name = 'directory.round' and data->>'tenantId' = $1",
      [contoso.id],
    );
    assert.ok((contosoRounds[0] as { n: number }).n >= 1, "contoso had its rounds");
  });
});
