import assert from "node:assert/strict";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/index.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { appToken, control, graphClient, msalApp, raw } from "./support.ts";

const C = DEMO.contoso;
const F = DEMO.fabrikam;

describe("emulator: control API, seed and lifecycle", () => {
  let now = Date.parse("2026-11-24T10:00:00Z");
  let emu: Emulator;
  let graph: Client;
  beforeAll(async () => {
    emu = await startEmulator({ clock: { now: () => now } });
    await control(emu, "POST", `/tenants/${C.id}/consent`, {});
    const token = await appToken(emu, C.id);
    graph = graphClient(emu, async () => token);
  });
  afterAll(async () => {
    await emu.close();
  });

  test("describes itself: URLs and the two demo tenants, none consented at start", async () => {
    const fresh = await startEmulator();
    try {
      const d = await control<{
        graphBaseUrl: string;
        tenants: { id: string; name: string; consented: boolean; users: number; authority: string }[];
      }>(fresh, "GET", "");
      assert.equal(d.body.graphBaseUrl, fresh.graphBaseUrl);
      assert.deepEqual(
        d.body.tenants.map((t) => [t.name, t.consented]),
        [
          ["Contoso (demo)", false],
          ["Fabrikam (demo)", false],
        ],
      );
      assert.equal(d.body.tenants[0]?.users, 40);
      assert.equal(d.body.tenants[0]?.authority, `${fresh.authorityHost}/${C.id}`);
      assert.deepEqual(
        fresh.tenants.map((t) => t.adminUpn),
        [C.admin.upn, F.admin.upn],
      );
    } finally {
      await fresh.close();
    }
  });

  test("snapshot and restore bring data back; reset returns to the seed and closes consent", async () => {
    const snap = await control<{ snapshotId: string }>(emu, "POST", "/snapshots");
    assert.equal(snap.status, 201);
    const ev = await graph.api(`/users/${C.users.ana.upn}/events`).post({
      subject: "Temporary",
      start: { dateTime: "2026-11-25T10:00:00", timeZone: "UTC" },
      end: { dateTime: "2026-11-25T11:00:00", timeZone: "UTC" },
    });
    assert.equal((await graph.api(`/users/${C.users.ana.upn}/events/${ev.id}`).get()).subject, "Temporary");
    assert.equal((await control(emu, "POST", `/snapshots/${snap.body.snapshotId}/restore`)).status, 204);
    await assert.rejects(
      graph.api(`/users/${C.users.ana.upn}/events/${ev.id}`).get(),
      (e: { statusCode?: number }) => e.statusCode === 404,
    );
    assert.equal((await control(emu, "POST", "/snapshots/nope/restore")).status, 404);

    assert.equal((await control(emu, "POST", "/reset")).status, 204);
    const consent = await control<{ granted: boolean }>(emu, "GET", `/tenants/${C.id}/consent`);
    assert.equal(consent.body.granted, false);
    await control(emu, "POST", `/tenants/${C.id}/consent`, {});
    const token = await appToken(emu, C.id);
    graph = graphClient(emu, async () => token);
  });

  test("the recipe is deterministic per seed; well-known people keep their ids whatever the seed", async () => {
    const other = await startEmulator({ seed: "another-seed", clock: { now: () => now } });
    const same = await startEmulator({ clock: { now: () => now } });
    try {
      const list = async (e: Emulator) => {
        await control(e, "POST", `/tenants/${C.id}/consent`, {});
        const t = await appToken(e, C.id);
        const g = graphClient(e, async () => t);
        const users = (await g.api("/users").top(999).select("id,displayName").get()).value as {
          id: string;
          displayName: string;
        }[];
        const view = await g
          .api(`/users/${C.users.erik.id}/calendarView`)
          .query({ startDateTime: "2026-11-23T00:00:00Z", endDateTime: "2026-11-28T00:00:00Z", $top: "500" })
          .select("subject,start")
          .get();
        return {
          users,
          events: (view.value as { subject: string; start: { dateTime: string } }[]).map(
            (v) => `${v.start.dateTime} ${v.subject}`,
          ),
        };
      };
      const a = await list(emu);
      const b = await list(same);
      const c = await list(other);
      assert.deepEqual(b.users, a.users);
      assert.deepEqual(b.events, a.events);
      assert.notDeepEqual(
        c.users.map((u) => u.displayName),
        a.users.map((u) => u.displayName),
      );
      assert.ok(c.users.some((u) => u.id === C.users.erik.id));
      assert.ok(a.events.length > 5, "a lived-in calendar");
    } finally {
      await other.close();
      await same.close();
    }
  });

  test("the generator scales the recipe to 10,000 users", async () => {
    const big = await startEmulator({ usersPerTenant: 10_000 });
    try {
      await control(big, "POST", `/tenants/${C.id}/consent`, {});
      const t = await appToken(big, C.id);
      const g = graphClient(big, async () => t);
      const count = await g
        .api("/users")
        .header("ConsistencyLevel", "eventual")
        .query({ $count: "true" })
        .top(1)
        .get();
      assert.equal(count["@odata.count"], 10_000);
      const fab = await control<{ tenants: { users: number }[] }>(big, "GET", "");
      assert.equal(fab.body.tenants[1]?.users, 8, "Fabrikam stays small");
    } finally {
      await big.close();
    }
  });

  test("subscriptions expire: no notifications and 404 after expirationDateTime", async () => {
    const { createServer } = await import("node:http");
    const posts: string[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const token = url.searchParams.get("validationToken");
      req.resume();
      req.on("end", () => {
        if (token !== null) {
          res.writeHead(200, { "content-type": "text/plain" });
          res.end(token);
        } else {
          posts.push(url.pathname);
          res.writeHead(202);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const address = server.address() as { port: number };
      const sub = await graph.api("/subscriptions").post({
        changeType: "created",
        notificationUrl: `http://127.0.0.1:${address.port}/n`,
        resource: `/users/${C.users.claire.id}/events`,
        expirationDateTime: new Date(now + 3_600_000).toISOString(),
      });
      now += 2 * 3_600_000;
      // Tokens live an hour: take a fresh one at the new time.
      const token = await appToken(emu, C.id);
      graph = graphClient(emu, async () => token);
      await assert.rejects(
        graph.api(`/subscriptions/${sub.id}`).get(),
        (e: { statusCode?: number }) => e.statusCode === 404,
      );
      await control(emu, "POST", `/tenants/${C.id}/users/${C.users.claire.upn}/events`, {
        subject: "After expiry",
        start: { dateTime: "2026-11-27T10:00:00", timeZone: "UTC" },
        end: { dateTime: "2026-11-27T11:00:00", timeZone: "UTC" },
      });
      const listed = await control<{ value: { id: string; expired: boolean; deliveries: unknown[] }[] }>(
        emu,
        "GET",
        "/subscriptions",
      );
      const mine = listed.body.value.find((s) => s.id === sub.id);
      assert.equal(mine?.expired, true);
      assert.deepEqual(mine?.deliveries, []);
      assert.deepEqual(posts, []);
    } finally {
      server.close();
    }
  });

  test("app-only tokens cannot use /me; OBO for an unconsented tenant is refused with AADSTS65001", async () => {
    const token = await appToken(emu, C.id);
    const me = await raw(emu, "/v1.0/me", { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 400);
    const sso = await emu.signInToken(F.id, F.users.tom.upn);
    const fab = await msalApp(emu, F.id);
    await assert.rejects(
      fab.acquireTokenOnBehalfOf({ oboAssertion: sso, scopes: ["https://graph.microsoft.com/.default"] }),
      /AADSTS65001/,
    );
  });

  test("a partial grant: endpoints needing a permission that was not granted answer 403", async () => {
    const partial = await control(emu, "POST", `/tenants/${C.id}/consent`, {
      permissions: ["User.Read.All", "Calendars.ReadWrite"],
    });
    assert.equal(partial.status, 200);
    const token = await appToken(emu, C.id);
    const g = graphClient(emu, async () => token);
    assert.ok((await g.api(`/users/${C.users.ana.id}`).get()).id);
    await assert.rejects(
      g.api("/admin/teams/telephoneNumberManagement/numberAssignments").get(),
      (e: { statusCode?: number; code?: string }) =>
        e.statusCode === 403 && e.code === "Authorization_RequestDenied",
    );
    await assert.rejects(
      g.api(`/users/${C.users.ana.id}/mailboxSettings`).get(),
      (e: { statusCode?: number; code?: string }) => e.statusCode === 403 && e.code === "ErrorAccessDenied",
    );
    assert.equal(
      (await control(emu, "POST", `/tenants/${C.id}/consent`, { permissions: ["Mail.Send"] })).status,
      400,
    );
    await control(emu, "POST", `/tenants/${C.id}/consent`, {});
    const full = await appToken(emu, C.id);
    graph = graphClient(emu, async () => full);
    assert.ok((await graph.api(`/users/${C.users.ana.id}/mailboxSettings`).get()).timeZone);
  });

  test("control API validates its input", async () => {
    assert.equal((await control(emu, "POST", "/faults", { status: 418 })).status, 400);
    assert.equal((await control(emu, "POST", `/tenants/${C.id}/users`, { displayName: "x" })).status, 400);
    assert.equal(
      (await control(emu, "GET", "/tenants/00000000-0000-0000-0000-000000000000/consent")).status,
      404,
    );
    assert.equal(
      (await control(emu, "POST", "/subscriptions/none/lifecycle", { event: "missed" })).status,
      404,
    );
    assert.equal((await control(emu, "POST", "/dev/sso-token", {})).status, 400);
  });
});
