import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import { DomainError } from "../../src/core/errors.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { auditLog, members } from "../../src/store/schema.ts";
import { type Stack, startStack } from "../support/stack.ts";

const { contoso } = DEMO;

describe("roles, on-behalf-of calls and logs", () => {
  let stack: Stack;
  const logLines: string[] = [];
  let ownerToken: string;

  beforeAll(async () => {
    stack = await startStack({ logDestination: { write: (line) => logLines.push(line) } });
    assert.equal((await stack.consent()).status, 200);
    ownerToken = await stack.tokenFor(contoso.admin.upn);
    // Members as the directory import would have created them.
    await stack.product.database.db.insert(members).values(
      [contoso.users.ana, contoso.users.erik].map((u) => ({
        tenantId: contoso.id,
        userId: u.id,
        upn: u.upn,
        displayName: u.displayName,
      })),
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const setRoles = (token: string, userId: string, roles: string[]) =>
    stack.request<{ roles?: string[]; error?: { code: string } }>(
      "PUT",
      `/api/admin/members/${userId}/roles`,
      {
        token,
        body: { roles },
      },
    );

  test("owners grant admin; admins grant scheduler but cannot touch owners; the last owner stays", async () => {
    const granted = await setRoles(ownerToken, contoso.users.ana.id, ["admin"]);
    assert.equal(granted.status, 200);
    assert.deepEqual(granted.body.roles, ["admin", "member"]);

    const anaToken = await stack.tokenFor(contoso.users.ana.upn);
    const me = await stack.request<{ actor: { roles: string[] } }>("GET", "/api/me", { token: anaToken });
    assert.deepEqual(me.body.actor.roles, ["admin", "member"]);

    const scheduler = await setRoles(anaToken, contoso.users.erik.id, ["scheduler"]);
    assert.equal(scheduler.status, 200);
    assert.deepEqual(scheduler.body.roles, ["scheduler", "member"]);

    const demoteOwner = await setRoles(anaToken, contoso.admin.id, ["member"]);
    assert.equal(demoteOwner.status, 403);
    const selfPromote = await setRoles(anaToken, contoso.users.ana.id, ["owner"]);
    assert.equal(selfPromote.status, 403);

    const erikToken = await stack.tokenFor(contoso.users.erik.upn);
    const byScheduler = await setRoles(erikToken, contoso.users.erik.id, ["admin"]);
    assert.equal(byScheduler.status, 403);
    assert.equal(byScheduler.body.error?.code, "ROLE_REQUIRED");

    const lastOwner = await setRoles(ownerToken, contoso.admin.id, ["admin"]);
    assert.equal(lastOwner.status, 409);

    const stranger = await setRoles(ownerToken, contoso.users.james.id, ["admin"]);
    assert.equal(stranger.status, 404);

    const changes = await stack.product.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, contoso.id), eq(auditLog.action, "role.changed")));
    assert.equal(changes.length, 2);
  });

  test("on-behalf-of: delegated calls run as the signed-in user", async () => {
    const ssoToken = await stack.tokenFor(contoso.users.ana.upn);
    const api = stack.product.m365!.graph.forUser(contoso.id, ssoToken, contoso.users.ana.id);
    const me = await api.get<{ id: string; userPrincipalName: string }>("/me?$select=id,userPrincipalName");
    assert.equal(me.id, contoso.users.ana.id);
    assert.equal(me.userPrincipalName, contoso.users.ana.upn);
  });

  test("on-behalf-of after consent was revoked: RECONNECT_NEEDED with the Entra code, not a silent failure", async () => {
    const ssoToken = await stack.tokenFor(contoso.users.erik.upn);
    const api = stack.product.m365!.graph.forUser(contoso.id, ssoToken, contoso.users.erik.id);
    assert.equal((await api.get<{ id: string }>("/me?$select=id")).id, contoso.users.erik.id);
    assert.equal(
      (await stack.emulatorRequest("DELETE", `/_emulator/tenants/${contoso.id}/consent`)).status,
      200,
    );
    try {
      await assert.rejects(api.get("/me?$select=id"), (error: unknown) => {
        assert.ok(error instanceof DomainError, String(error));
        assert.equal(error.code, "RECONNECT_NEEDED");
        assert.equal(error.details?.errorCode, "AADSTS65001");
        return true;
      });
    } finally {
      assert.equal(
        (await stack.emulatorRequest("POST", `/_emulator/tenants/${contoso.id}/consent`, {})).status,
        200,
      );
    }
  });

  test("tokens never reach the logs", async () => {
    const token = await stack.tokenFor(contoso.users.ana.upn);
    await stack.request("GET", "/api/me", { token });
    await stack.request("GET", "/api/me", { token: `${token}x` });
    await stack.request("GET", "/api/me", { token: "garbage.token.value" });
    const logs = logLines.join("");
    assert.ok(logs.length > 0, "the product logged at debug level");
    const signature = token.split(".")[2]!;
    assert.ok(!logs.includes(signature), "an SSO token signature appears in the logs");
    assert.ok(!logs.includes(token.split(".")[1]!), "an SSO token payload appears in the logs");
    assert.doesNotMatch(logs, /eyJ[\w-]{20,}\.eyJ/, "a JWT appears in the logs");
    assert.doesNotMatch(logs, /quorum-emulator-secret/, "the client secret appears in the logs");
  });
});
