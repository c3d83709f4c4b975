/** People and policy as the booking services read them from the database, on every engine. */
import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import { defaultAvailabilityPolicy } from "../../src/core/availability/model.ts";
import { DomainError } from "../../src/core/errors.ts";
import { DrizzlePeople, DrizzlePolicies } from "../../src/store/booking-directory.ts";
import { members, seatAssignments, tenants } from "../../src/store/schema.ts";
import { openTestDatabase, type TestDatabase, testEngines } from "../support/database.ts";

const T = "tenant-people";

for (const engine of testEngines()) {
  describe(`booking directory on ${engine}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await database.db.insert(tenants).values([{ tenantId: T }, { tenantId: "tenant-other" }]);
      await database.db.insert(members).values([
        {
          tenantId: T,
          userId: "u-claire",
          upn: "claire.dubois@contoso.onmicrosoft.com",
          mail: "Claire.Dubois@contoso.com",
          proxyAddresses: ["SMTP:Claire.Dubois@contoso.com", "smtp:cd@contoso.com"],
          displayName: "Claire Dubois",
        },
        {
          tenantId: T,
          userId: "u-gone",
          upn: "gone@contoso.com",
          mail: "gone@contoso.com",
          accountEnabled: false,
        },
        { tenantId: "tenant-other", userId: "u-x", upn: "x@fabrikam.com", mail: "x@fabrikam.com" },
      ]);
      await database.db.insert(seatAssignments).values([
        { tenantId: T, kind: "sync", userId: "u-claire", state: "active" },
        { tenantId: T, kind: "calling", userId: "u-claire", state: "suspended" },
      ]);
    });
    afterAll(async () => {
      await database?.close();
    });

    test("finds people by mail, UPN or proxy address, case-insensitively, within the tenant", async () => {
      const people = new DrizzlePeople(database);
      for (const address of [
        "claire.dubois@contoso.com",
        "CLAIRE.DUBOIS@contoso.onmicrosoft.com",
        "cd@CONTOSO.com",
      ]) {
        assert.deepEqual(await people.find(T, address), {
          userId: "u-claire",
          email: "Claire.Dubois@contoso.com",
          displayName: "Claire Dubois",
        });
      }
      assert.equal(await people.find(T, "gone@contoso.com"), null, "disabled accounts are not bookable");
      assert.equal(await people.find(T, "x@fabrikam.com"), null, "other tenants are invisible");
    });

    test("only active seats count", async () => {
      const people = new DrizzlePeople(database);
      assert.equal(await people.hasSeat(T, "u-claire", "sync"), true);
      assert.equal(await people.hasSeat(T, "u-claire", "calling"), false);
      assert.equal(await people.hasSeat("tenant-other", "u-claire", "sync"), false);
    });

    test("the availability policy comes from tenant settings, defaults filling the gaps", async () => {
      const policies = new DrizzlePolicies(database);
      assert.deepEqual(await policies.availabilityPolicy(T), defaultAvailabilityPolicy);
      await database.executeSql(
        `update tenants set settings = '{"availability":{"tentativeIsBusy":false,"businessHours":null}}' where tenant_id = $1`,
        [T],
      );
      assert.deepEqual(await policies.availabilityPolicy(T), {
        ...defaultAvailabilityPolicy,
        tentativeIsBusy: false,
        businessHours: null,
      });
      await database.executeSql(
        `update tenants set settings = '{"availability":{"businessHours":{"daysOfWeek":[9],"startMinute":0,"endMinute":60}}}' where tenant_id = $1`,
        [T],
      );
      await assert.rejects(
        policies.availabilityPolicy(T),
        (e: unknown) => e instanceof DomainError && e.code === "INTERNAL" && /daysOfWeek/.test(e.message),
      );
    });
  });
}
