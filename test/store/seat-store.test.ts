/**
 * The seat store on PGlite and PostgreSQL, where the database itself matters: a number reservation
 * answers only the conflict it can meet (a user keeps one number) and keeps the transaction usable; any
 * other failure reaches the caller as it is, and a restore does not try another number after it.
 */
import assert from "node:assert/strict";
import { test } from "vitest";
import { pgErrorCode } from "../../src/store/sql.ts";
import { databaseRig } from "../seats/seat-rig.ts";
import { describeEngines } from "../support/engines.ts";

const A = "+14255550100";
const B = "+14255550101";

describeEngines("seat store", { memory: false }, (_engine, database) => {
  test("a user holding a number is refused a second one, and the transaction goes on", async () => {
    const rig = await databaseRig(database()!);
    const { seats, admin } = { ...rig, admin: rig.actor("admin") };
    await rig.people([{ id: "ada" }, { id: "bob" }]);
    await seats.setPoolSize(admin, "calling", 2);
    await seats.addNumbers(admin, [A, B], "callingPlan");
    await seats.assign(admin, { userId: "ada", kind: "calling", phoneNumber: A });
    const answers = await rig.store.transaction(rig.tenantId, async (tx) => [
      await tx.reserveNumber("ada", B),
      await tx.reserveNumber("ada", null),
      await tx.reserveNumber("bob", A),
      await tx.reserveNumber("bob", "+14255550999"),
      await tx.reserveNumber("bob", null),
    ]);
    assert.deepEqual(answers, [
      { refused: "holds_another" },
      { refused: "holds_another" },
      { refused: "taken" },
      { refused: "not_in_pool" },
      { number: B },
    ]);
  });

  test("a failure that is not the number's conflict is not retried with another number", async () => {
    const rig = await databaseRig(database()!);
    const { seats, admin, store, tenantId } = { ...rig, admin: rig.actor("admin") };
    await rig.people([{ id: "ada" }]);
    await seats.setPoolSize(admin, "calling", 2);
    await seats.addNumbers(admin, [A, B], "callingPlan");
    // Ada's number is B, so a restore that tried another number would get A, the first free one.
    await seats.assign(admin, { userId: "ada", kind: "calling", phoneNumber: B });
    await seats.suspend(tenantId, ["ada"], "disabled", false);
    await store.recordNumberState(tenantId, B, { state: "free" });
    // The database refuses to give out B for a reason of its own (not a conflict on the number).
    await database()!.executeSql(`
        create function refuse_number() returns trigger language plpgsql as $$
        begin
          if new.tenant_id = '${tenantId}' and new.number = '${B}' and new.assigned_user_id is not null then
            raise exception 'the number store is offline' using errcode = '58030';
          end if;
          return new;
        end $$;
        create trigger refuse_number before update on phone_numbers
          for each row execute function refuse_number();`);
    try {
      await assert.rejects(seats.restore(tenantId, ["ada"], "enabled"), (error: unknown) => {
        assert.equal(pgErrorCode(error), "58030", String(error));
        return true;
      });
      const numbers = await store.numbers(tenantId);
      assert.deepEqual(
        numbers.map((n) => [n.number, n.assignedUserId]),
        [
          [A, null],
          [B, null],
        ],
        "no other number was taken",
      );
      assert.equal((await seats.seats(tenantId, { userId: "ada" }))[0]?.state, "suspended");
    } finally {
      await database()!.executeSql(
        "drop trigger refuse_number on phone_numbers; drop function refuse_number();",
      );
    }
    assert.deepEqual(await seats.restore(tenantId, ["ada"], "enabled"), { restored: 1, waiting: 0 });
    assert.equal((await seats.seats(tenantId, { userId: "ada" }))[0]?.phoneNumber, B);
  });
});
