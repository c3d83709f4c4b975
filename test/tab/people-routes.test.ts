/**
 * The routes behind the tab's members table, group-rule picker, room picker and mailbox time zone, against
 * the real service, tenant emulator and test database, through the typed API client the tab uses.
 */
import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createApiClient } from "../../src/api-client/api.ts";
import { ApiError } from "../../src/api-client/errors.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { members } from "../../src/store/schema.ts";
import { type Stack, startStack } from "../support/stack.ts";

const { contoso, fabrikam } = DEMO;

describe("members, groups, rooms and mailbox settings", () => {
  let stack: Stack;
  const client = (upn: string, tenantId: string = contoso.id) =>
    createApiClient({ baseUrl: stack.baseUrl, getToken: () => stack.tokenFor(upn, tenantId) });
  const admin = () => client(contoso.admin.upn);
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail("expected an ApiError"),
      (e: unknown) => {
        assert.ok(e instanceof ApiError, String(e));
        return e;
      },
    );

  beforeAll(async () => {
    stack = await startStack({ env: { DEV_HOSTS: "false" } });
    await stack.consent(contoso.id);
    await stack.consent(fabrikam.id);
    await admin().seats.syncDirectory();
    await client(fabrikam.admin.upn, fabrikam.id).seats.syncDirectory();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test("members: the whole imported directory, paged, with roles and seats", async () => {
    const first = await admin().members.list({ limit: 5 });
    assert.equal(first.members.length, 5);
    assert.ok(first.total >= 30, `total ${first.total}`);
    const names = first.members.map((m) => m.displayName);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b, "en")),
    );
    const pages = [first];
    for (let offset = 5; offset < first.total; offset += 5) {
      pages.push(await admin().members.list({ offset, limit: 5 }));
    }
    const ids = pages.flatMap((p) => p.members.map((m) => m.userId));
    assert.equal(ids.length, first.total, "paging visits everyone");
    assert.equal(new Set(ids).size, ids.length, "and nobody twice");
    assert.ok(!ids.includes(fabrikam.users.hana.id), "another tenant's people are never listed");
    assert.ok(!ids.includes(contoso.rooms.aurora.id), "room mailboxes are not people");
    assert.ok(!ids.includes(contoso.disabled.id), "disabled accounts without a seat are left out");
    const everyone = await admin().members.list({ includeDisabled: true, limit: 200 });
    assert.ok(everyone.members.some((m) => m.userId === contoso.disabled.id && !m.accountEnabled));
    assert.equal(everyone.total, first.total + 1);

    const owner = (await admin().members.list({ role: "owner" })).members;
    assert.deepEqual(
      owner.map((m) => m.userId),
      [contoso.admin.id],
      "the consenting admin is the owner",
    );
    assert.deepEqual(
      (await admin().members.list({ q: "ana sou" })).members.map((m) => m.userId),
      [contoso.users.ana.id],
      "the start of the full name",
    );
    assert.deepEqual((await admin().members.list({ q: "ouza" })).members, [], "not the middle of a word");
    const anaByWord = (await admin().members.list({ q: "souza" })).members;
    assert.deepEqual(
      anaByWord.map((m) => [m.userId, m.roles, m.seats]),
      [[contoso.users.ana.id, ["member"], { calling: null, sync: null }]],
    );
    assert.deepEqual((await admin().members.list({ q: "%" })).members, [], "LIKE wildcards are literal");
  });

  test("members: role changes and seats show up in the table and its filters", async () => {
    const erik = contoso.users.erik.id;
    const roles = await admin().members.setRoles(erik, ["scheduler"]);
    assert.deepEqual([...roles.roles].sort(), ["member", "scheduler"]);
    const schedulers = await admin().members.list({ role: "scheduler" });
    assert.deepEqual(
      schedulers.members.map((m) => m.userId),
      [erik],
    );

    const seat = await admin()
      .seats.setPool("sync", 5)
      .then(() => admin().seats.assign(erik, "sync"));
    assert.equal(seat.userId, erik);
    assert.equal(seat.displayName, "Erik Lindqvist", "assignment answers the full seat view");
    assert.equal(seat.source, "manual");
    assert.match(seat.assignedAt, /^\d{4}-\d{2}-\d{2}T/);

    const withSync = await admin().members.list({ seat: "sync" });
    assert.deepEqual(
      withSync.members.map((m) => [m.userId, m.seats.sync?.state]),
      [[erik, "active"]],
    );
    const me = await client(contoso.users.erik.upn).me();
    assert.deepEqual(me.seats, { calling: null, sync: { state: "active", phoneNumber: null } });
    const without = await admin().members.list({ seat: "none", limit: 200 });
    assert.ok(!without.members.some((m) => m.userId === erik));
    assert.equal(without.total + withSync.total, (await admin().members.list()).total);

    const notOwner = await rejection(admin().members.setRoles(contoso.admin.id, []));
    assert.equal(notOwner.code, "CONFLICT", "the last owner stays owner");
  });

  test("invitations: the invitee accepts (seats all or none, then the role) or declines; admins revoke", async () => {
    const { claire, lucas, sofia, james } = contoso.users;
    await admin().seats.setPool("sync", 5);
    const invited = await admin().invitations.create({
      userId: claire.id,
      role: "scheduler",
      seatKinds: ["sync"],
    });
    assert.equal(invited.state, "pending");
    assert.equal(invited.invitedByName, "Megan Bowen");
    const claireApi = client(claire.upn);
    assert.deepEqual(
      (await claireApi.invitations.mine()).invitations.map((i) => [i.invitationId, i.state]),
      [[invited.invitationId, "pending"]],
    );
    const stranger = await rejection(client(lucas.upn).invitations.accept(invited.invitationId));
    assert.equal(stranger.status, 404, "nobody answers someone else's invitation");

    const accepted = await claireApi.invitations.accept(invited.invitationId);
    assert.equal(accepted.state, "accepted");
    assert.equal(accepted.invitedByName, "Megan Bowen");
    assert.ok(accepted.respondedAt);
    const listed = (await admin().invitations.list()).invitations.find(
      (i) => i.invitationId === invited.invitationId,
    );
    assert.deepEqual(
      [listed?.state, listed?.invitedByName, listed?.displayName],
      ["accepted", "Megan Bowen", "Claire Dubois"],
    );
    const me = await claireApi.me();
    assert.equal(me.seats.sync?.state, "active");
    assert.ok(me.actor.roles.includes("scheduler"), `roles ${me.actor.roles}`);
    const again = await rejection(claireApi.invitations.accept(invited.invitationId));
    assert.equal(again.status, 409);
    assert.match(again.message, /already accepted/);

    const declined = await admin().invitations.create({ userId: lucas.id, seatKinds: ["sync"] });
    assert.equal((await client(lucas.upn).invitations.decline(declined.invitationId)).state, "declined");
    assert.equal((await client(lucas.upn).me()).seats.sync, null);

    const revoked = await admin().invitations.create({ userId: sofia.id, seatKinds: [] });
    assert.equal((await admin().invitations.revoke(revoked.invitationId)).state, "revoked");
    assert.equal((await rejection(client(sofia.upn).invitations.accept(revoked.invitationId))).status, 409);

    // A full pool: accepting fails with the reason and the invitation stays pending, nothing half-applied.
    const { pools } = await admin().seats.overview();
    const used = pools.find((p) => p.kind === "sync")!.used;
    await admin().seats.setPool("sync", used);
    const waiting = await admin().invitations.create({
      userId: james.id,
      role: "admin",
      seatKinds: ["sync"],
    });
    const full = await rejection(client(james.upn).invitations.accept(waiting.invitationId));
    assert.equal(full.code, "SEAT_POOL_EXHAUSTED");
    const jamesNow = await client(james.upn).me();
    assert.equal(jamesNow.seats.sync, null);
    assert.deepEqual(jamesNow.actor.roles, ["member"]);
    assert.equal((await client(james.upn).invitations.mine()).invitations[0]?.state, "pending");
    await admin().seats.setPool("sync", used + 1);
    assert.equal((await client(james.upn).invitations.accept(waiting.invitationId)).state, "accepted");

    const trail = await admin().audit.list();
    const acceptedEntry = trail.entries.find(
      (e) => e.action === "invitation.accepted" && e.targetId === claire.id,
    );
    assert.deepEqual(
      [acceptedEntry?.actorName, acceptedEntry?.targetName],
      ["Claire Dubois", "Claire Dubois"],
      "the log names the people",
    );
    const revokedEntry = trail.entries.find((e) => e.action === "invitation.revoked");
    assert.deepEqual([revokedEntry?.actorName, revokedEntry?.targetName], ["Megan Bowen", "Sofia Berg"]);
    for (const action of ["invitation.accepted", "invitation.declined", "invitation.revoked"]) {
      assert.ok(
        trail.entries.some((e) => e.action === action),
        `${action} audited`,
      );
    }
  });

  test("members and groups are for owners and admins; bad queries name the field", async () => {
    const ana = client(contoso.users.ana.upn);
    assert.equal((await rejection(ana.members.list())).status, 403);
    assert.equal((await rejection(ana.groups())).status, 403);
    const tooMany = await rejection(admin().members.list({ limit: 1000 }));
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.message, /limit/);
    const badRole = await rejection(
      admin().transport.request("/api/admin/members", {
        query: { role: "king" },
        schema: undefined as never,
      }),
    );
    assert.match(badRole.message, /role/);
  });

  test("groups: type-ahead over the imported Entra groups with member counts from Graph", async () => {
    const graph = stack.product.m365!.graph;
    const sales = (await admin().groups("sa")).groups;
    assert.deepEqual(
      sales.map((g) => g.groupId),
      [contoso.groups.sales.id],
    );
    let expected = 0;
    for await (const page of graph.pages<unknown>(contoso.id, `/groups/${contoso.groups.sales.id}/members`)) {
      expected += page.value.length;
    }
    assert.ok(expected > 0);
    assert.equal(sales[0]?.memberCount, expected);
    const all = (await admin().groups()).groups.map((g) => g.displayName);
    assert.deepEqual(all, ["Sales", "SDRs", "Support"]);
    const fabrikamGroups = (await client(fabrikam.admin.upn, fabrikam.id).groups()).groups;
    assert.ok(!fabrikamGroups.some((g) => g.groupId === contoso.groups.sales.id));
  });

  test("rooms: the tenant's places with capacity, filtered by text and size", async () => {
    const ana = client(contoso.users.ana.upn);
    const rooms = (await ana.rooms()).rooms;
    assert.deepEqual(
      rooms.map((r) => [r.email, r.capacity]),
      [
        ["aurora@contoso.com", 8],
        ["hudson@contoso.com", 12],
        ["ipanema@contoso.com", 6],
        ["montmartre@contoso.com", 10],
      ],
    );
    assert.deepEqual(
      (await ana.rooms({ minCapacity: 10 })).rooms.map((r) => r.email),
      ["hudson@contoso.com", "montmartre@contoso.com"],
    );
    assert.deepEqual(
      (await ana.rooms({ q: "new" })).rooms.map((r) => r.email),
      ["hudson@contoso.com"],
      "a word of the name: Hudson (New York)",
    );
    const fabrikamRooms = (await client(fabrikam.users.hana.upn, fabrikam.id).rooms()).rooms;
    assert.ok(fabrikamRooms.length > 0);
    assert.ok(!fabrikamRooms.some((r) => r.email.endsWith("@contoso.com")));
  });

  test("mailbox settings: the mailbox's zone in IANA form, working hours, and kept for the bot", async () => {
    const ana = await client(contoso.users.ana.upn).mailboxSettings();
    assert.equal(ana.timeZone, "America/Sao_Paulo");
    assert.equal(ana.mailboxTimeZone, "E. South America Standard Time");
    assert.deepEqual(ana.workingHours, {
      daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
      startTime: "09:00",
      endTime: "18:00",
      timeZone: "America/Sao_Paulo",
    });
    const erik = await client(contoso.users.erik.upn).mailboxSettings();
    assert.equal(erik.mailboxTimeZone, "W. Europe Standard Time");
    assert.equal(erik.timeZone, "Europe/Stockholm", "the person's country picks the zone's IANA name");
    const { db } = stack.product.database;
    const [stored] = await db
      .select({ timeZone: members.timeZone })
      .from(members)
      .where(and(eq(members.tenantId, contoso.id), eq(members.userId, contoso.users.ana.id)));
    assert.equal(stored?.timeZone, "America/Sao_Paulo");
  });

  test("a Graph failure reaches the caller with its cause and is not remembered", async () => {
    const fault = await stack.emulatorRequest("POST", "/_emulator/faults", {
      mailbox: contoso.users.claire.id,
      path: "mailboxSettings",
      status: 503,
      retryAfterSeconds: 0.01,
      count: 50,
    });
    assert.equal(fault.status, 201);
    const claire = client(contoso.users.claire.upn);
    const failed = await rejection(claire.mailboxSettings());
    assert.ok(failed.status >= 500, `status ${failed.status}`);
    assert.equal((await stack.emulatorRequest("DELETE", "/_emulator/faults")).status, 204);
    assert.equal((await claire.mailboxSettings()).timeZone, "Europe/Paris");
  });
});
