/** The pure parts of sync: content hashes, the three-way decision table, conflicts, chunks, the guard. */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { resolveConflict } from "../../src/core/sync/conflicts.ts";
import { absent, decide, type Pair, present, unseen } from "../../src/core/sync/diff.ts";
import { planChunks } from "../../src/core/sync/initial.ts";
import {
  describeSyncReason,
  type ItemFields,
  type ItemMapping,
  initialSyncState,
  mirrorFreshness,
  type SyncReason,
  snapshotOf,
} from "../../src/core/sync/model.ts";
import { tooManyDeletions } from "../../src/core/sync/plan.ts";
import type { LocalItem, RemoteItem } from "../../src/core/sync/ports.ts";
import { ALICE, at, event, NOW } from "./rig.ts";

const base = event();
const edited = event({ subject: "Edited" });

const mapping = (fields: ItemFields = base): ItemMapping => ({
  ...ALICE,
  id: "m-1",
  localId: "q-1",
  remoteId: "AAMk-1",
  transactionId: null,
  localVersion: "v1",
  remoteChangeKey: "ck1",
  remoteContainerId: null,
  parentId: null,
  snapshot: snapshotOf(fields),
  syncedAt: NOW,
  seenInPass: null,
  revision: 1,
});
const remote = (fields: ItemFields, changeKey = "ck2", lastModified = NOW): RemoteItem => ({
  id: "AAMk-1",
  changeKey,
  fields,
  lastModified,
  containerId: null,
  seriesMasterId: null,
  transactionId: null,
});
const local = (fields: ItemFields, version = "v2", modifiedAt = NOW): LocalItem => ({
  localId: "q-1",
  version,
  fields,
  modifiedAt,
  parentLocalId: null,
  remoteId: null,
  transactionId: null,
});
const pair = (p: Partial<Pair>): Pair => ({
  key: "m-1",
  mapping: mapping(),
  remote: unseen,
  local: unseen,
  ...p,
});
const action = (p: Partial<Pair>, direction: "two-way" | "to-microsoft" | "from-microsoft" = "two-way") =>
  decide(pair(p), { policy: "quorum-wins", direction }).action;

describe("content hashes", () => {
  test("the same content hashes the same whatever the attendee order or address case", () => {
    const a = event({
      attendees: [
        { email: "Carol@Contoso.com", type: "required", response: "none" },
        { email: "bob@contoso.com", type: "optional", response: "accepted" },
      ],
    });
    const b = event({
      attendees: [
        { email: "bob@contoso.com", type: "optional", response: "accepted" },
        { email: "carol@contoso.com", type: "required", response: "none" },
      ],
    });
    assert.equal(snapshotOf(a).hash, snapshotOf(b).hash);
    assert.notEqual(snapshotOf(a).hash, snapshotOf(event({ ...a, subject: "Other" })).hash);
  });
});

describe("three-way decisions", () => {
  test("one side changed: the change flows to the other", () => {
    assert.equal(action({ remote: present(remote(edited)) }), "pull-update");
    assert.equal(action({ local: present(local(edited)) }), "push-update");
  });

  test("a new version marker with the same content is only recorded", () => {
    assert.equal(action({ remote: present(remote(base)) }), "record");
    assert.equal(action({ remote: present(remote(edited, "ck1")) }), "none");
  });

  test("deletions flow; deleted on both sides is forgotten", () => {
    assert.equal(action({ remote: absent(NOW) }), "pull-delete");
    assert.equal(action({ local: absent(NOW) }), "push-delete");
    assert.equal(action({ remote: absent(NOW), local: absent(NOW) }), "forget");
  });

  test("a deletion against an edit goes to the policy", () => {
    assert.equal(action({ remote: absent(NOW), local: present(local(edited)) }), "push-create");
    assert.equal(action({ remote: present(remote(edited)), local: absent(NOW) }), "push-delete");
  });

  test("items without a mapping are created on the other side", () => {
    assert.equal(action({ mapping: null, remote: present(remote(base)) }), "pull-create");
    assert.equal(action({ mapping: null, local: present(local(base)) }), "push-create");
    assert.equal(
      action({ mapping: null, remote: present(remote(base)), local: present(local(base)) }),
      "record",
    );
    assert.equal(action({ mapping: null, remote: absent(NOW), local: present(local(base)) }), "pull-delete");
  });

  test("one-way directions acknowledge what they do not carry, and unlink deletions", () => {
    assert.equal(action({ local: present(local(edited)) }, "from-microsoft"), "acknowledge");
    assert.equal(action({ mapping: null, local: present(local(base)) }, "from-microsoft"), "none");
    assert.equal(action({ local: absent(NOW) }, "from-microsoft"), "unlink");
    assert.equal(action({ remote: present(remote(edited)) }, "to-microsoft"), "acknowledge");
    assert.equal(action({ remote: absent(NOW) }, "to-microsoft"), "unlink");
    assert.equal(
      action(
        { remote: present(remote(edited)), local: present(local(event({ subject: "Mine" }))) },
        "from-microsoft",
      ),
      "pull-update",
    );
  });
});

describe("conflicts", () => {
  const q = { side: "quorum" as const, snapshot: snapshotOf(edited), modifiedAt: at("2026-12-07T10:00:00Z") };
  const m = {
    side: "microsoft" as const,
    snapshot: snapshotOf(base),
    modifiedAt: at("2026-12-07T10:05:00Z"),
  };
  test("each policy picks its winner and names the loser", () => {
    assert.equal(resolveConflict("quorum-wins", "two-way", q, m).winner, "quorum");
    assert.equal(resolveConflict("microsoft-wins", "two-way", q, m).losing, q);
    assert.equal(resolveConflict("most-recent-wins", "two-way", q, m).winner, "microsoft");
    assert.equal(
      resolveConflict("most-recent-wins", "two-way", { ...q, modifiedAt: m.modifiedAt }, m).winner,
      "microsoft",
    );
    assert.equal(resolveConflict("microsoft-wins", "to-microsoft", q, m).policy, "direction");
  });
});

describe("full passes and the guard", () => {
  test("chunks cover the future first, then the past going back, without gaps", () => {
    const day = 24 * 60 * 60_000;
    const chunks = planChunks(NOW, { from: NOW - 30 * day, to: NOW + 180 * day }, 14);
    const future = chunks.filter((c) => c.part === "future");
    const past = chunks.filter((c) => c.part === "past");
    assert.deepEqual(chunks, [...future, ...past]);
    assert.equal(future[0]?.from, NOW);
    assert.equal(future.at(-1)?.to, NOW + 180 * day);
    assert.equal(past[0]?.to, NOW);
    assert.equal(past.at(-1)?.from, NOW - 30 * day);
    for (let i = 1; i < future.length; i++) assert.equal(future[i]!.from, future[i - 1]!.to);
    for (let i = 1; i < past.length; i++) assert.equal(past[i]!.to, past[i - 1]!.from);
    assert.deepEqual(planChunks(NOW, null, 14), [{ part: "all", from: null, to: null }]);
  });

  test("the guard trips on a large share or an emptied side, never below the minimum", () => {
    const limits = { share: 0.5, minimum: 5 };
    assert.equal(tooManyDeletions(4, 4, limits), false);
    assert.equal(tooManyDeletions(5, 5, limits), true);
    assert.equal(tooManyDeletions(6, 20, limits), false);
    assert.equal(tooManyDeletions(11, 20, limits), true);
  });
});

describe("freshness and reasons", () => {
  test("only a recent, healthy mirror is readable", () => {
    const active = { ...initialSyncState(ALICE), status: "active" as const, lastSuccessAt: NOW };
    assert.deepEqual(mirrorFreshness(active, NOW + 8_000), { kind: "fresh", readable: true, ageMs: 8_000 });
    assert.equal(mirrorFreshness(active, NOW + 2 * 60 * 60_000).kind, "stale");
    assert.equal(mirrorFreshness({ ...active, failingSince: NOW }, NOW).kind, "failing");
    assert.equal(mirrorFreshness({ ...active, status: "filling" }, NOW).readable, false);
    assert.equal(mirrorFreshness(initialSyncState(ALICE), NOW).kind, "off");
  });

  test("every reason reads as a sentence", () => {
    const reasons: SyncReason[] = [
      { code: "SEAT_REMOVED" },
      { code: "CONSENT_REVOKED" },
      { code: "MAILBOX_UNAVAILABLE", params: { graphCode: "MailboxNotEnabledForRESTAPI" } },
      { code: "MASS_DELETE", params: { side: "microsoft", deletions: 40, of: 42 } },
      { code: "THROTTLED", params: { retryAfterSeconds: 30 } },
      { code: "MICROSOFT_UNAVAILABLE", params: { status: 503, graphCode: "ServiceUnavailable" } },
      { code: "ROUND_FAILED", params: { message: "store timeout" } },
    ];
    for (const r of reasons) assert.match(describeSyncReason(r), /^[A-Z].+[.)]$/);
    assert.match(describeSyncReason(reasons[3]!), /Outlook suddenly lost 40 of 42 items/);
  });
});
