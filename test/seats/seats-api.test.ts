/**
 * Seats end to end over HTTP: the service on 127.0.0.1 against the tenant emulator, on the test database.
 */
import assert from "node:assert/strict";
import { fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, test } from "vitest";
import {
  auditEntry,
  type DirectorySyncResponse,
  directorySyncResponse,
  invitation,
  joinRequest,
  type PlanResponse,
  planResponse,
  rule as ruleSchema,
  seatsOverview,
} from "../../src/api-contract/seats.ts";
import { type Stack, startStack } from "../support/stack.ts";
import { until } from "../support/until.ts";

const ANA = "ana.souza@contoso.com";
const ERIK = "erik.lindqvist@contoso.com";

describe("seats API against the emulator", () => {
  let stack: Stack;
  let admin: string;
  let contosoId: string;

  const api = async <T = unknown>(method: string, path: string, body?: unknown, token = admin) =>
    stack.request<T>(method, path, { token, ...(body !== undefined ? { body } : {}) });

  const upload = async (csv: string | Buffer, query = "") => {
    const res = await undiciFetch(`${stack.baseUrl}/api/admin/plans${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
      body: csv,
    });
    const text = await res.text();
    const parsed: unknown = JSON.parse(text);
    if (res.status === 201) planResponse.parse(parsed);
    return {
      status: res.status,
      body: parsed as PlanResponse & {
        error?: { code: string; message: string; details?: { line?: number; reason?: string } };
      },
    };
  };

  // Responses are read through the shared API contract, as the tab's typed client reads them.
  const seatsNow = async () => seatsOverview.parse((await api("GET", "/api/admin/seats")).body);

  beforeAll(async () => {
    stack = await startStack();
    const consent = await stack.consent();
    assert.equal(consent.status < 400, true, consent.text);
    contosoId = stack.tenants[0]!.id;
    admin = await stack.tokenFor(stack.tenants[0]!.adminUpn);
    const sync = await api<DirectorySyncResponse>("POST", "/api/admin/directory/sync");
    assert.equal(sync.status, 200, sync.text);
    directorySyncResponse.parse(sync.body);
    assert.equal(sync.body.full, true);
    assert.ok(sync.body.users >= 9, `imported ${sync.body.users} users`);
    assert.equal(sync.body.groups, 3);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test("the directory import fills each member's zone from their mailbox; the dev chat page sends it", async () => {
    const res = await stack.request<{ users: { upn: string; timeZone: string | null }[] }>(
      "GET",
      "/dev/bot/users",
    );
    assert.equal(res.status, 200, res.text);
    const zoneOf = (upn: string) => res.body.users.find((u) => u.upn === upn)?.timeZone;
    assert.equal(
      zoneOf(ERIK),
      "Europe/Stockholm",
      "not Europe/Berlin, the first zone of W. Europe Standard Time",
    );
    assert.equal(zoneOf(ANA), "America/Sao_Paulo");
    assert.equal(zoneOf("claire.dubois@contoso.onmicrosoft.com"), "Europe/Paris");
  });

  test("admin routes are for owners and admins only", async () => {
    const ana = await stack.tokenFor(ANA);
    for (const [method, path] of [
      ["GET", "/api/admin/seats"],
      ["POST", "/api/admin/plans"],
      ["POST", "/api/admin/directory/sync"],
      ["GET", "/api/admin/audit"],
      ["GET", "/api/admin/invitations"],
      ["GET", "/api/admin/rules"],
    ] as const) {
      const res = await api(method, path, method === "POST" ? { source: "rule" } : undefined, ana);
      assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
    }
    assert.equal((await stack.request("GET", "/api/admin/seats")).status, 401);
    // The template starts with a byte order mark, so Excel opens it as UTF-8 whatever the locale.
    const template = await undiciFetch(`${stack.baseUrl}/api/admin/seats/template.csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(template.status, 200);
    assert.deepEqual(
      Buffer.from(await template.arrayBuffer()),
      Buffer.from("\uFEFFemail,seat_kinds,phone_number,display_name\r\n", "utf8"),
    );
  });

  test("auto-match finds users by alias, reports misses, and commits into the pool", async () => {
    assert.equal((await api("PUT", "/api/admin/seats/pools/sync", { total: 4 })).status, 200);
    const res = await api<PlanResponse>("POST", "/api/admin/plans", {
      source: "auto",
      kinds: ["sync"],
      roster: [
        { email: "ANA@contoso.com" },
        { email: ERIK.toUpperCase() },
        { email: "former.employee@contoso.com" },
        { email: "nobody@contoso.com" },
        { email: "ana.souza@contoso.com" },
      ],
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(
      res.body.rows.map((r) => [r.line, r.action, r.reason]),
      [
        [1, "add", "matched by proxy address"],
        [2, "add", "matched by mail"],
        [3, "skip", "disabled"],
        [4, "skip", "no directory user has this e-mail address"],
        [5, "skip", "duplicate of line 1"],
      ],
    );
    const sync = res.body.plan.summary.kinds.find((k) => k.kind === "sync")!;
    assert.deepEqual(
      [
        sync.licencesAvailable,
        sync.totalLicences,
        sync.newMatchingEmails,
        sync.usersToRemove,
        sync.totalUsersAfterSync,
      ],
      [4, 4, 2, 0, 2],
    );
    const got = await api<PlanResponse>("GET", `/api/admin/plans/${res.body.plan.planId}?action=add`);
    assert.equal(got.body.totalRows, 2);
    const commit = await api<{ plan: { status: string } }>(
      "POST",
      `/api/admin/plans/${res.body.plan.planId}/commit`,
    );
    assert.equal(commit.status, 200, commit.text);
    assert.equal(commit.body.plan.status, "committed");
    const now = await seatsNow();
    assert.deepEqual(now.seats.map((s) => [s.kind, s.upn, s.source]).sort(), [
      ["sync", ANA, "auto"],
      ["sync", ERIK, "auto"],
    ]);
    assert.deepEqual(
      now.pools.find((p) => p.kind === "sync"),
      { kind: "sync", total: 4, used: 2, available: 2 },
    );
  });

  test("plans and seats stay inside their tenant; pool sizes stay inside the plan limits", async () => {
    const plan = await api<PlanResponse>("POST", "/api/admin/plans", { source: "rule" });
    assert.equal(plan.status, 201, plan.text);
    const fabrikam = stack.tenants[1]!;
    const consent = await stack.consent(fabrikam.id);
    assert.ok(consent.status < 400, consent.text);
    const other = await stack.tokenFor(fabrikam.adminUpn, fabrikam.id);
    const peek = await api("GET", `/api/admin/plans/${plan.body.plan.planId}`, undefined, other);
    assert.equal(peek.status, 404);
    const commit = await api("POST", `/api/admin/plans/${plan.body.plan.planId}/commit`, undefined, other);
    assert.equal(commit.status, 404);
    assert.deepEqual(
      seatsOverview.parse((await api("GET", "/api/admin/seats", undefined, other)).body).seats,
      [],
    );

    const tooMany = await api<{ error: { code: string; message: string } }>(
      "PUT",
      "/api/admin/seats/pools/calling",
      {
        total: 10_001,
      },
    );
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.error.message, /at most 10000 calling seats/);
  });

  test("malformed CSV files are refused with the line, and change nothing", async () => {
    const beforeSeats = await seatsNow();
    const cases: [string, string | Buffer, number, RegExp, string?][] = [
      [
        "latin-1",
        Buffer.concat([
          Buffer.from(`email,seat_kinds\n${ANA},sync\nzo`),
          Buffer.from([0xeb]),
          Buffer.from("@contoso.com,sync\n"),
        ]),
        3,
        /not UTF-8.*CSV UTF-8/,
        "CSV_NOT_UTF8",
      ],
      [
        "ANSI (Windows-1252) with semicolons, as Excel's plain CSV in fr",
        Buffer.concat([
          Buffer.from(
            `email;seat_kinds;phone_number;display_name\r\n${ANA};sync;;Ana Souza\r\n${ERIK};sync;;Chlo`,
          ),
          Buffer.from([0xe9]),
          Buffer.from("\r\n"),
        ]),
        3,
        /not UTF-8/,
        "CSV_NOT_UTF8",
      ],
      [
        "utf-16",
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("email,seat_kinds\n", "utf16le")]),
        1,
        /UTF-16.*CSV UTF-8/,
        "CSV_UTF16",
      ],
      [
        "utf-16 big-endian",
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("email\tseat_kinds\n", "utf16le").swap16()]),
        1,
        /UTF-16/,
        "CSV_UTF16",
      ],
      [
        "utf-16 without a byte order mark",
        Buffer.from("email\tseat_kinds\n", "utf16le"),
        1,
        /UTF-16/,
        "CSV_UTF16",
      ],
      ["no header", `${ANA},sync,,Ana\n`, 1, /header row is missing/, "CSV_NO_HEADER"],
      ["no email column", "name;seat_kinds\nAna;sync\n", 1, /no "email" column/, "CSV_NO_EMAIL_COLUMN"],
      [
        "extra column",
        `email,seat_kinds\n${ANA},sync\n${ERIK},sync,oops\n`,
        3,
        /different number of columns/,
      ],
      ["bad quote", `email,seat_kinds\n${ANA},sync\n"${ERIK}"x,sync\n`, 3, /quote/],
      ["unclosed quote", `email,seat_kinds\n${ANA},"sync\n`, 2, /never closed/],
      [
        "10 MB line",
        `email,seat_kinds,phone_number,display_name\n${ANA},sync,,${"x".repeat(10 * 1024 * 1024 + 10)}\n`,
        2,
        /longer than 64 KB/,
      ],
    ];
    for (const [name, body, line, pattern, reason] of cases) {
      const res = await upload(body);
      assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`);
      assert.equal(res.body.error?.code, "CSV_INVALID", name);
      assert.equal(res.body.error?.details?.line, line, `${name}: ${res.body.error?.message}`);
      assert.match(res.body.error?.message ?? "", pattern, name);
      // The reason is what the tab and the bot word in the admin's language.
      if (reason) assert.equal(res.body.error?.details?.reason, reason, name);
    }
    assert.deepEqual(await seatsNow(), beforeSeats);
  });

  test("a CSV plan shows every line; a stale plan is refused; undo restores", async () => {
    const bom = "\uFEFF";
    const csv = `${bom}email,seat_kinds,phone_number,display_name\r\nana@contoso.com,sync,,Ana\r\nclaire.dubois@contoso.com,sync,,\r\nclaire.dubois@contoso.com,sync,,\r\nbad-address,sync,,\r\n`;
    const first = await upload(csv);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual(
      first.body.rows.map((r) => [r.line, r.action, r.reason]),
      [
        [2, "keep", "already has a sync seat"],
        [3, "add", "matched by mail"],
        [4, "skip", "duplicate of line 3"],
        [5, "error", 'invalid e-mail "bad-address"'],
        [null, "remove", "not in the file"],
      ],
    );
    // The removal row is no line of the file: it names who loses the seat instead.
    const removed = first.body.rows.find((r) => r.action === "remove")!;
    assert.deepEqual([removed.email, removed.displayName], [ERIK, "Erik Lindqvist"]);
    assert.deepEqual(first.body.plan.summary.problemLines, [5]);
    const sync = first.body.plan.summary.kinds.find((k) => k.kind === "sync")!;
    assert.deepEqual([sync.newMatchingEmails, sync.usersToRemove, sync.totalUsersAfterSync], [1, 1, 2]);

    // A second plan is made and committed first: the first one is now stale.
    const second = await upload(`email,seat_kinds\n${ANA},sync\n${ERIK},sync\nsofia.berg@contoso.com,sync\n`);
    assert.equal(second.status, 201);
    assert.equal((await api("POST", `/api/admin/plans/${second.body.plan.planId}/commit`)).status, 200);
    const stale = await api<{ error: { code: string } }>(
      "POST",
      `/api/admin/plans/${first.body.plan.planId}/commit`,
    );
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, "PLAN_STALE");
    const afterSecond = (await seatsNow()).seats.map((s) => s.upn).sort();
    assert.equal(afterSecond.length, 3);

    const undo = await api<PlanResponse>("POST", `/api/admin/plans/${second.body.plan.planId}/undo`);
    assert.equal(undo.status, 200, undo.text);
    assert.equal(undo.body.plan.source, "undo");
    assert.deepEqual((await seatsNow()).seats.map((s) => s.upn).sort(), [ANA, ERIK]);
    const audit = await api<{ entries: { action: string }[] }>("GET", "/api/admin/audit?action=plan.");
    assert.ok(audit.body.entries.filter((e) => e.action === "plan.committed").length >= 3);
  });

  test("CSV files as Excel saves them in pt-BR and fr (`;`, byte order mark, CRLF) and tab-separated files preview like comma files", async () => {
    const semicolon = Buffer.from(
      [
        "\uFEFFemail;seat_kinds;phone_number;display_name",
        `${ANA};sync;;Ana Souza`,
        `${ERIK};sync;;Erik Lindqvist`,
        '"sofia.berg@contoso.com";"sync";"";"Berg; Sofia Åsa"',
        "",
      ].join("\r\n"),
      "utf8",
    );
    const tabbed = `\uFEFFemail\tseat_kinds\n${ANA}\tsync\n${ERIK}\tsync\nsofia.berg@contoso.com\tsync\n`;
    for (const [name, body] of [
      ["semicolons", semicolon],
      ["tabs", tabbed],
    ] as const) {
      const res = await upload(body);
      assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`);
      assert.deepEqual(
        res.body.rows.map((r) => [r.line, r.email, r.action, r.reason]),
        [
          [2, ANA, "keep", "already has a sync seat"],
          [3, ERIK, "keep", "already has a sync seat"],
          [4, "sofia.berg@contoso.com", "add", "matched by mail"],
        ],
        name,
      );
      assert.equal(res.body.plan.summary.errors, 0, name);
    }
  });

  test("a plan with problem rows commits only when the admin chooses to skip them; removals name who is removed", async () => {
    const before = (await seatsNow()).seats.map((s) => s.upn).sort();
    assert.deepEqual(before, [ANA, ERIK]);
    const plan = await upload(
      `email;seat_kinds\n${ANA};sync\nclaire.dubois@contoso.com;sync\nbad-address;sync\n`,
    );
    assert.equal(plan.status, 201, JSON.stringify(plan.body));
    assert.deepEqual(
      plan.body.rows.map((r) => [r.line, r.email, r.displayName, r.action]),
      [
        [2, ANA, "Ana Souza", "keep"],
        [3, "claire.dubois@contoso.com", "Claire Dubois", "add"],
        [4, "bad-address", null, "error"],
        [null, ERIK, "Erik Lindqvist", "remove"],
      ],
    );
    assert.deepEqual(plan.body.plan.summary.problemLines, [4]);
    const commitPath = `/api/admin/plans/${plan.body.plan.planId}/commit`;

    // Without the explicit choice the commit is refused, naming the lines it would skip.
    for (const body of [undefined, {}, { skipProblemRows: false }]) {
      const refused = await api<{
        error: { code: string; details: { lines: number[]; problems: number; changes: number } };
      }>("POST", commitPath, body);
      assert.equal(refused.status, 409, refused.text);
      assert.equal(refused.body.error.code, "PLAN_HAS_PROBLEMS");
      assert.deepEqual(refused.body.error.details, { problems: 1, lines: [4], changes: 2 });
    }
    assert.deepEqual((await seatsNow()).seats.map((s) => s.upn).sort(), before, "nothing changed");

    const committed = await api<{ plan: { status: string } }>("POST", commitPath, { skipProblemRows: true });
    assert.equal(committed.status, 200, committed.text);
    assert.equal(committed.body.plan.status, "committed");
    assert.deepEqual((await seatsNow()).seats.map((s) => s.mail).sort(), [ANA, "claire.dubois@contoso.com"]);

    const undo = await api<PlanResponse>("POST", `/api/admin/plans/${plan.body.plan.planId}/undo`);
    assert.equal(undo.status, 200, undo.text);
    assert.ok(
      undo.body.rows.some((r) =>
        /^undo of the removal of Erik Lindqvist of the plan .*: seat restored$/.test(r.reason),
      ),
      JSON.stringify(undo.body.rows.map((r) => r.reason)),
    );
    assert.deepEqual((await seatsNow()).seats.map((s) => s.upn).sort(), before);
  });

  test("concurrent requests racing for the last seat: one wins, the rest get SEAT_POOL_EXHAUSTED", async () => {
    const pool = (await seatsNow()).pools.find((p) => p.kind === "sync")!;
    assert.equal((await api("PUT", "/api/admin/seats/pools/sync", { total: pool.used + 1 })).status, 200);
    const candidates = [
      "claire.dubois@contoso.onmicrosoft.com",
      "sofia.berg@contoso.com",
      "james.carter@contoso.com",
      "lucas.oliveira@contoso.com",
    ];
    const ids: string[] = [];
    for (const upn of candidates) {
      const t = await stack.tokenFor(upn);
      ids.push(JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()).oid as string);
    }
    const results = await Promise.all(
      ids.map((userId) =>
        api<{ error?: { code: string; message: string } }>("POST", "/api/admin/seats/assign", {
          userId,
          kind: "sync",
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) {
      assert.equal(r.body.error?.code, "SEAT_POOL_EXHAUSTED");
      assert.match(
        r.body.error?.message ?? "",
        new RegExp(`sync seat pool: all ${pool.used + 1} are in use`),
      );
    }
  });

  test("join requests: users ask, admins are notified and decide with an audited reason", async () => {
    const userToken = await stack.tokenFor("sofia.berg@contoso.com");
    const created = await api<{ requestId: string; state: string }>(
      "POST",
      "/api/join-requests",
      { seatKinds: ["sync"], message: "please" },
      userToken,
    );
    assert.equal(created.status, 201, created.text);
    const mine = await api<{ requests: unknown[] }>("GET", "/api/join-requests", undefined, userToken);
    assert.equal(mine.body.requests.length, 1);
    assert.equal(
      (await api("POST", `/api/join-requests/${created.body.requestId}/deny`, { reason: "no" }, userToken))
        .status,
      403,
    );
    const denied = await api<{ state: string; reason: string }>(
      "POST",
      `/api/join-requests/${created.body.requestId}/deny`,
      { reason: "Pool is full this quarter" },
    );
    assert.equal(denied.status, 200, denied.text);
    assert.equal(denied.body.state, "denied");
    joinRequest.parse(denied.body);
    const audit = await api<{ entries: { action: string; reason: string | null }[] }>(
      "GET",
      "/api/admin/audit?action=join_request.denied",
    );
    assert.equal(audit.body.entries[0]?.reason, "Pool is full this quarter");
    for (const e of audit.body.entries) auditEntry.parse(e);
    const notices = await api<{ entries: { action: string; targetId: string }[] }>(
      "GET",
      "/api/admin/audit?action=notice.admins",
    );
    assert.ok(notices.body.entries.some((e) => e.targetId === "join_request"));
  });

  test("the user's own sync switch needs a sync seat", async () => {
    const ana = await stack.tokenFor(ANA);
    assert.deepEqual((await api("GET", "/api/me/sync", undefined, ana)).body, {
      hasSyncSeat: true,
      enabled: true,
    });
    assert.equal((await api("PUT", "/api/me/sync", { enabled: false }, ana)).status, 200);
    assert.deepEqual((await api("GET", "/api/me/sync", undefined, ana)).body, {
      hasSyncSeat: true,
      enabled: false,
    });
    const refused = await api<{ error: { code: string } }>("PUT", "/api/me/sync", { enabled: true });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "SEAT_REQUIRED");
  });

  test("a calling seat pushes the number to Teams and the emulator shows it assigned; failures show per user", async () => {
    const imported = await api<{ added: number; numbers: { number: string; state: string }[] }>(
      "POST",
      "/api/admin/seats/numbers",
      { importFromTeams: true },
    );
    assert.equal(imported.status, 200, imported.text);
    assert.ok(imported.body.added > 0, "unassigned Teams numbers are imported into the pool");
    // A number the phone system does not know: its push must fail, visibly, for that user only.
    const unknown = "+15555550199";
    assert.equal((await api("POST", "/api/admin/seats/numbers", { numbers: [unknown] })).status, 200);
    assert.equal((await api("PUT", "/api/admin/seats/pools/calling", { total: 2 })).status, 200);

    const ana = await stack.tokenFor(ANA);
    const anaId = JSON.parse(Buffer.from(ana.split(".")[1]!, "base64url").toString()).oid as string;
    const assigned = await api<{ phoneNumber: string; state: string; callLink: string }>(
      "POST",
      "/api/admin/seats/assign",
      { userId: anaId, kind: "calling" },
    );
    assert.equal(assigned.status, 201, assigned.text);
    assert.equal(assigned.body.state, "pending");
    assert.match(assigned.body.phoneNumber, /^\+[1-9]\d{6,14}$/);
    assert.equal(
      assigned.body.callLink,
      `https://teams.microsoft.com/l/call/0/0?users=4:${encodeURIComponent(assigned.body.phoneNumber)}`,
    );

    const claire = await stack.tokenFor("claire.dubois@contoso.onmicrosoft.com");
    const claireId = JSON.parse(Buffer.from(claire.split(".")[1]!, "base64url").toString()).oid as string;
    const failing = await api("POST", "/api/admin/seats/assign", {
      userId: claireId,
      kind: "calling",
      phoneNumber: unknown,
    });
    assert.equal(failing.status, 201, failing.text);

    const calling = async () => (await seatsNow()).seats.filter((s) => s.kind === "calling");
    await until(
      async () => {
        const seats = await calling();
        return seats.length === 2 && seats.every((s) => s.state !== "pending");
      },
      "both number pushes settle",
      30_000,
    );
    const seats = await calling();
    const anaSeat = seats.find((s) => s.userId === anaId)!;
    assert.equal(anaSeat.state, "active");
    const teams = await stack.emulatorRequest<{
      value: { telephoneNumber: string; assignmentTargetId: string | null }[];
    }>("GET", `/_emulator/tenants/${contosoId}/phone-numbers`);
    assert.equal(
      teams.body.value.find((n) => n.telephoneNumber === anaSeat.phoneNumber)?.assignmentTargetId,
      anaId,
      "the emulator shows the number assigned to the user",
    );
    const claireSeat = seats.find((s) => s.userId === claireId)!;
    assert.equal(claireSeat.state, "failed");
    assert.equal(claireSeat.lastErrorCode, "NumberNotFound");
    const numbers = (await seatsNow()).numbers;
    assert.equal(numbers.find((n) => n.number === anaSeat.phoneNumber)?.state, "assigned");
    assert.equal(numbers.find((n) => n.number === unknown)?.state, "failed");

    // Releasing the seat unassigns the number in Teams (unassignNumber with the documented body).
    const released = await api("POST", "/api/admin/seats/release", { userId: anaId, kind: "calling" });
    assert.equal(released.status, 200, released.text);
    const freedNumber = async () => (await seatsNow()).numbers.find((n) => n.number === anaSeat.phoneNumber);
    await until(
      async () => {
        const freed = await freedNumber();
        return !!freed && freed.state !== "unassigning" && freed.state !== "assigned";
      },
      "the released number settles",
      30_000,
    );
    const freed = await freedNumber();
    assert.equal(freed?.state, "free", `number after release: ${JSON.stringify(freed)}`);
    const after = await stack.emulatorRequest<{
      value: { telephoneNumber: string; assignmentTargetId: string | null }[];
    }>("GET", `/_emulator/tenants/${contosoId}/phone-numbers`);
    assert.equal(
      after.body.value.find((n) => n.telephoneNumber === anaSeat.phoneNumber)?.assignmentTargetId,
      null,
      "the emulator shows the number unassigned",
    );
  });

  test("a user disabled in the directory loses seats on the next sync round, and gets them back when enabled", async () => {
    const beforePool = (await seatsNow()).pools.find((p) => p.kind === "sync")!;
    const disabled = await stack.emulatorRequest("PATCH", `/_emulator/tenants/${contosoId}/users/${ERIK}`, {
      accountEnabled: false,
    });
    assert.equal(disabled.status, 200, disabled.text);
    const round = await api<DirectorySyncResponse>("POST", "/api/admin/directory/sync");
    assert.equal(round.status, 200, round.text);
    assert.equal(round.body.full, false);
    assert.ok(round.body.users < 5, `a replay carries only changes (got ${round.body.users})`);
    assert.equal(round.body.seatsSuspended, 1);
    const erikSeat = (await seatsNow()).seats.find((s) => s.upn === ERIK)!;
    assert.equal(erikSeat.state, "suspended");
    assert.equal((await seatsNow()).pools.find((p) => p.kind === "sync")!.used, beforePool.used - 1);
    const audit = await api<{ entries: { action: string; targetId: string }[] }>(
      "GET",
      "/api/admin/audit?action=seat.suspended",
    );
    assert.ok(audit.body.entries.some((e) => e.targetId === erikSeat.userId));

    assert.equal(
      (
        await stack.emulatorRequest("PATCH", `/_emulator/tenants/${contosoId}/users/${ERIK}`, {
          accountEnabled: true,
        })
      ).status,
      200,
    );
    const back = await api<DirectorySyncResponse>("POST", "/api/admin/directory/sync");
    assert.equal(back.body.seatsRestored, 1);
    assert.equal((await seatsNow()).seats.find((s) => s.upn === ERIK)!.state, "active");
  });

  test("group rules hand out seats in directory order while licences last, the rest queue visibly", async () => {
    const sales = "d3a4b5c6-2c7d-4e8f-a091-3c4d5e6f7001";
    const pool = (await seatsNow()).pools.find((p) => p.kind === "sync")!;
    assert.equal((await api("PUT", "/api/admin/seats/pools/sync", { total: pool.used + 2 })).status, 200);
    const rule = await api<{ ruleId: string }>("POST", "/api/admin/rules", { groupId: sales, kind: "sync" });
    assert.equal(rule.status, 201, rule.text);
    assert.deepEqual(
      ruleSchema.parse(rule.body),
      { ruleId: rule.body.ruleId, groupId: sales, groupName: "Sales", kind: "sync", priority: 0 },
      "the created rule, as the rules list shows it",
    );
    const plan = await api<PlanResponse>("POST", "/api/admin/plans", { source: "rule" });
    assert.equal(plan.status, 201, plan.text);
    const rows = plan.body.rows;
    assert.equal(rows.filter((r) => r.action === "add").length, 2);
    assert.ok(rows.some((r) => r.action === "keep" && r.email === ANA));
    assert.equal(new Set(rows.map((r) => r.userId)).size, rows.length, "one row per member");
    const queued = rows.filter((r) => r.action === "queue");
    assert.ok(queued.length > 0, "members beyond the licences wait in the queue");
    assert.match(queued[0]!.reason, /^member of Sales; waiting for a licence \(position 1 in the queue\)$/);
    const commit = await api("POST", `/api/admin/plans/${plan.body.plan.planId}/commit`);
    assert.equal(commit.status, 200, commit.text);
    const ruleSeats = (await seatsNow()).seats.filter((s) => s.source === "rule");
    assert.equal(ruleSeats.length, 2);

    // A licence frees up: the first queued member gets it without anyone planning again.
    const raised = await api<{ queueAdvanced: number }>("PUT", "/api/admin/seats/pools/sync", {
      total: pool.used + 3,
    });
    assert.equal(raised.status, 200, raised.text);
    assert.equal(raised.body.queueAdvanced, 1);
    const after = (await seatsNow()).seats.filter((s) => s.source === "rule");
    assert.equal(after.length, 3);
    assert.ok(
      after.some((s) => s.userId === queued[0]!.userId),
      "the head of the queue got the seat",
    );
    const audit = await api<{ entries: { action: string; actorUserId: string | null }[] }>(
      "GET",
      "/api/admin/audit?action=plan.committed&limit=1",
    );
    assert.equal(audit.body.entries[0]?.actorUserId, "quorum");
  });

  test("admins invite directory users; the invitation shows in the user's tab and the user is notified", async () => {
    const lucas = await stack.tokenFor("lucas.oliveira@contoso.com");
    const lucasId = JSON.parse(Buffer.from(lucas.split(".")[1]!, "base64url").toString()).oid as string;
    const invited = await api<{ invitationId: string; state: string; notifiedAt: string | null }>(
      "POST",
      "/api/admin/invitations",
      { userId: lucasId, seatKinds: ["sync"] },
    );
    assert.equal(invited.status, 201, invited.text);
    invitation.parse(invited.body);
    const mine = await api<{ invitations: { invitationId: string }[] }>(
      "GET",
      "/api/me/invitations",
      undefined,
      lucas,
    );
    assert.deepEqual(
      mine.body.invitations.map((i) => i.invitationId),
      [invited.body.invitationId],
    );
    const notices = await api<{ entries: { targetId: string }[] }>(
      "GET",
      "/api/admin/audit?action=notice.user",
    );
    assert.ok(notices.body.entries.some((e) => e.targetId === lucasId));
  });

  test("an expired directory delta link falls back to a full import; concurrent rounds run one after another", async () => {
    const expired = await stack.emulatorRequest("POST", `/_emulator/tenants/${contosoId}/delta/expire`);
    assert.equal(expired.status, 200, expired.text);
    const [first, second] = await Promise.all([
      api<DirectorySyncResponse>("POST", "/api/admin/directory/sync"),
      api<DirectorySyncResponse>("POST", "/api/admin/directory/sync"),
    ]);
    assert.equal(first.status, 200, first.text);
    assert.equal(second.status, 200, second.text);
    const rounds = [first.body, second.body].sort((a, b) => Number(b.full) - Number(a.full));
    assert.equal(rounds[0]!.full, true);
    assert.ok(rounds[0]!.users >= 9);
    assert.equal(rounds[1]!.full, false, "the second round replays the link the first one stored");
    assert.equal(rounds[1]!.users, 0);
  });

  test("a user deleted in the directory loses seats on the next round (soft delete keeps them suspended)", async () => {
    const anaSeats = (await seatsNow()).seats.filter((s) => s.upn === ANA);
    assert.ok(anaSeats.length >= 1);
    assert.equal(
      (await stack.emulatorRequest("DELETE", `/_emulator/tenants/${contosoId}/users/${ANA}`)).status,
      204,
    );
    const round = await api<DirectorySyncResponse>("POST", "/api/admin/directory/sync");
    assert.equal(round.body.removed, 1);
    assert.equal(round.body.seatsSuspended, anaSeats.length);
    assert.equal(round.body.queueAdvanced, 1, "the freed sync licence goes to the rule queue");
    assert.ok((await seatsNow()).seats.filter((s) => s.upn === ANA).every((s) => s.state === "suspended"));
  });
});
