/**
 * "Delete my data" on disconnect, through the HTTP API against the emulator: nothing of the tenant's
 * directory survives, not even where the last import stood.
 */
import assert from "node:assert/strict";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { DirectorySyncResponse } from "../../src/api-contract/seats.ts";
import { members } from "../../src/store/schema.ts";
import { type Stack, startStack } from "../support/stack.ts";

describe("deleting a tenant's data", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test("after delete my data the next import is a full one", async () => {
    const tenant = stack.tenants[0]!;
    const admin = await stack.tokenFor(tenant.adminUpn);
    const importDirectory = async () => {
      const res = await stack.request<DirectorySyncResponse>("POST", "/api/admin/directory/sync", {
        token: admin,
      });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const liveMembers = async () =>
      (
        await stack.product.database.db
          .select({ userId: members.userId })
          .from(members)
          .where(and(eq(members.tenantId, tenant.id), isNull(members.deletedAt)))
      ).length;

    assert.equal((await stack.consent()).status, 200);
    const first = await importDirectory();
    assert.equal(first.full, true);
    const everyone = await liveMembers();
    assert.ok(everyone > 10, `the first import brought the directory in (${everyone} members)`);

    const deleted = await stack.request("POST", "/api/admin/tenant/disconnect", {
      token: admin,
      body: { data: "delete", confirmTenantId: tenant.id },
    });
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal(await liveMembers(), 0);

    assert.equal((await stack.consent()).status, 200, "reconnecting after the delete works");
    const next = await importDirectory();
    assert.equal(next.full, true, "the import after the delete reads the whole directory");
    assert.equal(next.users, first.users);
    assert.equal(await liveMembers(), everyone, "every member is back");
  });
});
