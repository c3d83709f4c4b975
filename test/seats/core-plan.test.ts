import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { EmailIndex } from "../../src/core/seats/email-match.ts";
import { parseE164 } from "../../src/core/seats/phone.ts";
import { planSeats, type SeatInput, type SeatInputRow } from "../../src/core/seats/plan.ts";
import { planRuleSeats } from "../../src/core/seats/plan-rules.ts";
import { planUndo } from "../../src/core/seats/plan-undo.ts";
import type { DirectoryUser, PoolState, SeatHolding } from "../../src/core/seats/types.ts";

let order = 0;
const user = (id: string, over: Partial<DirectoryUser> = {}): DirectoryUser => ({
  userId: id,
  displayName: id.toUpperCase(),
  mail: `${id}@contoso.com`,
  upn: `${id}@contoso.onmicrosoft.com`,
  proxyAddresses: [`SMTP:${id}@contoso.com`],
  accountEnabled: true,
  deleted: false,
  directoryOrder: order++,
  ...over,
});

const rows = (
  ...items: (Partial<Omit<SeatInputRow, "line">> & { email: string })[]
): AsyncIterable<SeatInput> =>
  (async function* () {
    let line = 2;
    for (const it of items)
      yield { line: line++, seatKinds: ["sync"], phoneNumber: null, displayName: null, ...it } as SeatInput;
  })();

const pools = (calling: number, sync: number, usedCalling = 0, usedSync = 0): PoolState[] => [
  { kind: "calling", total: calling, used: usedCalling },
  { kind: "sync", total: sync, used: usedSync },
];

const holding = (
  userId: string,
  kind: "calling" | "sync",
  phoneNumber: string | null = null,
): SeatHolding => ({
  userId,
  kind,
  phoneNumber,
  source: "manual",
  ruleId: null,
  state: "active",
});

describe("e-mail matching", () => {
  const ada = user("ada", {
    proxyAddresses: ["SMTP:ada@contoso.com", "smtp:Ada.Lovelace@Contoso.COM", "SIP:ada@x"],
  });
  const bob = user("bob", { mail: null, upn: "Bob@Contoso.com", proxyAddresses: [] });
  const twinA = user("twin1", { proxyAddresses: ["smtp:team@contoso.com"] });
  const twinB = user("twin2", { proxyAddresses: ["smtp:TEAM@contoso.com"] });
  const index = new EmailIndex([ada, bob, twinA, twinB]);

  test("matches mail, user principal name and smtp aliases, ignoring case", () => {
    assert.deepEqual(index.match("ADA@contoso.com"), { kind: "matched", user: ada, by: "mail" });
    assert.deepEqual(index.match(" ada.lovelace@contoso.com "), {
      kind: "matched",
      user: ada,
      by: "proxyAddress",
    });
    assert.deepEqual(index.match("bob@contoso.com"), { kind: "matched", user: bob, by: "userPrincipalName" });
    assert.deepEqual(index.match("ada@x"), { kind: "none" }, "SIP addresses are not e-mail");
  });

  test("an address shared by two users is ambiguous, never guessed", () => {
    const m = index.match("team@contoso.com");
    assert.equal(m.kind, "ambiguous");
    assert.deepEqual(m.kind === "ambiguous" ? m.users.map((u) => u.userId).sort() : [], ["twin1", "twin2"]);
  });
});

describe("E.164", () => {
  test("accepts international numbers, rejects short, local and lettered ones", () => {
    assert.equal(parseE164("+1 (425) 555-0100"), "+14255550100");
    assert.equal(parseE164("+4930123456"), "+4930123456");
    assert.equal(parseE164("+12"), null);
    assert.equal(parseE164("0301234567"), null);
    assert.equal(parseE164("+0301234567"), null);
    assert.equal(parseE164("+1425555010012345"), null);
    assert.equal(parseE164("+1425CALLME"), null);
  });
});

describe("CSV and roster plans", () => {
  const ada = user("ada", { proxyAddresses: ["SMTP:ada@contoso.com", "smtp:lovelace@contoso.com"] });
  const bob = user("bob");
  const cy = user("cy", { accountEnabled: false });
  const dee = user("dee", { mail: null });
  const eve = user("eve");
  const gone = user("gone", { deleted: true });
  const directory = new EmailIndex([ada, bob, cy, dee, eve, gone]);
  const numbers = new Map<string, string | null>([
    ["+14255550100", null],
    ["+14255550101", null],
    ["+14255550102", "eve"],
  ]);

  test("gives every line an action and a reason, and totals like a licence summary", async () => {
    const plan = await planSeats({
      source: "csv",
      directory,
      holdings: [holding("eve", "sync"), holding("bob", "sync")],
      pools: pools(5, 3, 0, 2),
      numbers,
      rows: rows(
        { email: "Lovelace@contoso.com" },
        { email: "cy@contoso.com" },
        { email: "dee@contoso.com" },
        { email: "ada@contoso.com" },
        { email: "nobody@contoso.com" },
        { email: "eve@contoso.com" },
        { email: "gone@contoso.com" },
        { email: "not-an-email" },
        { email: "eve@contoso.com", seatKinds: ["calling"], phoneNumber: "+12" },
        { email: "eve@contoso.com", seatKinds: ["pager"] },
      ),
    });
    const byLine = new Map(plan.rows.map((r) => [r.line, r]));
    assert.deepEqual(
      [...byLine.values()].map((r) => [r.line, r.action, r.reason]),
      [
        [2, "add", "matched by proxy address"],
        [3, "skip", "disabled"],
        [4, "skip", "no mailbox"],
        [5, "skip", "duplicate of line 2"],
        [6, "skip", "no directory user has this e-mail address"],
        [7, "keep", "already has a sync seat"],
        [8, "skip", "deleted in the directory"],
        [9, "error", 'invalid e-mail "not-an-email"'],
        [10, "error", 'invalid phone "+12" on line 10'],
        [11, "error", 'unknown seat kind "pager" on line 11 (allowed: calling, sync)'],
        [null, "remove", "not in the file"],
      ],
    );
    // The removal is no line of the file: it names the holder who is left out.
    const removal = plan.rows.find((r) => r.action === "remove");
    assert.deepEqual([removal?.userId, removal?.email, removal?.line], ["bob", "bob@contoso.com", null]);
    assert.ok(removal?.displayName, "the removal shows who is removed");
    assert.deepEqual(plan.summary.problemLines, [9, 10, 11]);
    const sync = plan.summary.kinds.find((k) => k.kind === "sync");
    assert.deepEqual(sync, {
      kind: "sync",
      licencesAvailable: 1,
      totalLicences: 3,
      newMatchingEmails: 1,
      usersToRemove: 1,
      totalUsersAfterSync: 2,
      kept: 1,
      waiting: 0,
    });
    assert.equal(plan.summary.errors, 3);
  });

  test("licences go in file order; the rest are skipped as pool exhausted, removals free licences first", async () => {
    const plan = await planSeats({
      source: "csv",
      directory,
      holdings: [holding("eve", "sync")],
      pools: pools(0, 1, 0, 1),
      numbers,
      rows: rows({ email: "ada@contoso.com" }, { email: "bob@contoso.com" }),
    });
    assert.deepEqual(
      plan.rows.map((r) => [r.userId, r.action, r.reason]),
      [
        ["ada", "add", "matched by mail"],
        ["bob", "skip", "pool exhausted (the sync pool has 1 licences)"],
        ["eve", "remove", "not in the file"],
      ],
    );
    assert.equal(plan.summary.kinds.find((k) => k.kind === "sync")?.waiting, 1);
  });

  test("calling seats use the number from the file or a free one from the pool, never a taken one", async () => {
    const plan = await planSeats({
      source: "csv",
      directory,
      holdings: [],
      pools: pools(5, 5),
      numbers,
      rows: rows(
        { email: "ada@contoso.com", seatKinds: ["calling"], phoneNumber: "+1 425 555 0101" },
        { email: "bob@contoso.com", seatKinds: ["calling"], phoneNumber: "+14255550102" },
        { email: "bob@contoso.com", seatKinds: ["calling"], phoneNumber: "+14255550199" },
        { email: "eve@contoso.com", seatKinds: ["calling"], phoneNumber: "+14255550101" },
        { email: "bob@contoso.com", seatKinds: ["calling", "sync"] },
      ),
    });
    assert.deepEqual(
      plan.rows.map((r) => [r.line, r.kind, r.action, r.phoneNumber]),
      [
        [2, "calling", "add", "+14255550101"],
        [3, "calling", "error", "+14255550102"],
        [4, "calling", "error", "+14255550199"],
        [5, "calling", "error", "+14255550101"],
        [6, "calling", "add", "+14255550100"],
        [6, "sync", "add", null],
      ],
    );
    assert.match(plan.rows[1]!.reason, /assigned to another user/);
    assert.match(plan.rows[2]!.reason, /not in the tenant's number pool/);
    assert.match(plan.rows[3]!.reason, /already used on line 2/);
  });

  test("an auto-match roster plans the kinds given and reports ambiguous aliases", async () => {
    const twins = new EmailIndex([
      ada,
      user("t1", { proxyAddresses: ["smtp:sales@contoso.com"] }),
      user("t2", { proxyAddresses: ["smtp:sales@contoso.com"] }),
    ]);
    const plan = await planSeats({
      source: "auto",
      kinds: ["sync"],
      directory: twins,
      holdings: [],
      pools: pools(0, 10),
      numbers: new Map(),
      rows: rows(
        { email: "LOVELACE@contoso.com", seatKinds: [] },
        { email: "sales@contoso.com", seatKinds: [] },
      ),
    });
    assert.deepEqual(
      plan.rows.map((r) => [r.action, r.reason]),
      [
        ["add", "matched by proxy address"],
        [
          "error",
          "ambiguous: the address belongs to 2 users (t1@contoso.onmicrosoft.com, t2@contoso.onmicrosoft.com)",
        ],
      ],
    );
  });
});

describe("group rules", () => {
  test("members get seats in directory order while licences last, the rest queue visibly", async () => {
    const a = user("a", { directoryOrder: 3 });
    const b = user("b", { directoryOrder: 1 });
    const c = user("c", { directoryOrder: 2 });
    const d = user("d", { directoryOrder: 4, accountEnabled: false });
    const plan = await planRuleSeats({
      rules: [{ ruleId: "r1", groupId: "g1", groupName: "Sales", kind: "sync", priority: 0 }],
      membersOf: async () => [a, b, c, d],
      holdings: [{ ...holding("old", "sync"), source: "rule", ruleId: "r1" }],
      pools: pools(0, 2, 0, 1),
      numbers: new Map(),
    });
    assert.deepEqual(
      plan.rows.map((r) => [r.userId, r.action, r.reason]),
      [
        ["b", "add", "member of Sales"],
        ["c", "add", "member of Sales"],
        ["a", "queue", "member of Sales; waiting for a licence (position 1 in the queue)"],
        ["d", "skip", "disabled"],
        ["old", "remove", "no longer in a mapped group"],
      ],
    );
    assert.equal(plan.summary.kinds.find((k) => k.kind === "sync")?.totalUsersAfterSync, 2);
  });
});

describe("undo", () => {
  test("the compensating plan removes what was added and restores what was removed", () => {
    const undo = planUndo(
      [
        {
          line: 2,
          email: "a@x.com",
          userId: "a",
          displayName: "A",
          kind: "calling",
          action: "add",
          reason: "",
          phoneNumber: "+14255550100",
        },
        {
          line: 3,
          email: null,
          userId: "b",
          displayName: null,
          kind: "calling",
          action: "remove",
          reason: "not in the file",
          phoneNumber: "+14255550101",
          previous: { phoneNumber: "+14255550101", source: "rule", ruleId: "r9" },
        },
        {
          line: 4,
          email: null,
          userId: "c",
          displayName: null,
          kind: "sync",
          action: "skip",
          reason: "disabled",
          phoneNumber: null,
        },
      ],
      { holdings: [holding("a", "calling", "+14255550100")], pools: pools(2, 0, 1, 0) },
    );
    assert.deepEqual(
      undo.rows.map((r) => [r.userId, r.action, r.phoneNumber, r.previous?.source]),
      [
        ["a", "remove", "+14255550100", "manual"],
        ["b", "add", "+14255550101", "rule"],
      ],
    );
  });
});
