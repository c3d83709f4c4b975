import assert from "node:assert/strict";
import { describe, test } from "vitest";
import {
  MemoryDirectorySource,
  MemoryDirectoryStore,
  RecordingNotifier,
} from "../../src/core/directory/memory.ts";
import {
  type DirectoryStore,
  type DirectoryUserRecord,
  type SeatKeeper,
  syncDirectory,
} from "../../src/core/directory/sync.ts";
import { createDirectoryStore } from "../../src/store/directory.ts";
import { groupMembers, members, tenants } from "../../src/store/schema.ts";
import { openTestDatabase, testEngines } from "../support/database.ts";

interface StoreUnderTest {
  store: DirectoryStore;
  users(): Promise<Map<string, { displayName: string; deleted: boolean; enabled: boolean }>>;
  groupMemberIds(groupId: string): Promise<string[]>;
  link(): Promise<string | null>;
  close(): Promise<void>;
}

const implementations: { name: string; make(): Promise<StoreUnderTest> }[] = [
  {
    name: "memory",
    async make() {
      const store = new MemoryDirectoryStore();
      return {
        store,
        async users() {
          return new Map(
            [...store.users.values()].map((u) => [
              u.userId,
              { displayName: u.displayName, deleted: u.deleted, enabled: u.accountEnabled },
            ]),
          );
        },
        async groupMemberIds(groupId) {
          return [...(store.groups.get(groupId)?.memberIds ?? [])].sort();
        },
        link: async () => store.link,
        close: async () => undefined,
      };
    },
  },
  ...testEngines().map((engine) => ({
    name: engine,
    async make(): Promise<StoreUnderTest> {
      const database = await openTestDatabase(engine);
      await database.db.insert(tenants).values({ tenantId: "t", status: "consented" });
      const store = createDirectoryStore(database, { now: () => Date.parse("2026-11-21T10:00:00Z") });
      return {
        store,
        async users() {
          const rows = await database.db.select().from(members);
          return new Map(
            rows.map((m) => [
              m.userId,
              { displayName: m.displayName, deleted: m.deletedAt !== null, enabled: m.accountEnabled },
            ]),
          );
        },
        async groupMemberIds(groupId) {
          const rows = await database.db.select().from(groupMembers);
          return rows
            .filter((r) => r.groupId === groupId)
            .map((r) => r.userId)
            .sort();
        },
        link: () => store.deltaLink("t"),
        close: () => database.close(),
      };
    },
  })),
];

const person = (id: string, over: Partial<DirectoryUserRecord> = {}): DirectoryUserRecord => ({
  userId: id,
  displayName: id,
  mail: `${id}@contoso.com`,
  upn: `${id}@contoso.com`,
  proxyAddresses: [],
  accountEnabled: true,
  department: null,
  jobTitle: null,
  usageLocation: "SE",
  ...over,
});

/** Seats held per user; suspended ones come back on restore. */
class SeatBook implements SeatKeeper {
  readonly active = new Set<string>();
  readonly suspended = new Set<string>();
  async suspend(_t: string, userIds: readonly string[], _reason: string, permanent: boolean) {
    let n = 0;
    for (const id of userIds) {
      if (!this.active.delete(id)) continue;
      n++;
      if (!permanent) this.suspended.add(id);
    }
    return n;
  }
  async restore(_t: string, userIds: readonly string[]) {
    let restored = 0;
    for (const id of userIds) {
      if (!this.suspended.delete(id)) continue;
      this.active.add(id);
      restored++;
    }
    return { restored, waiting: 0 };
  }
}

for (const impl of implementations) {
  describe(`directory sync with the ${impl.name} store`, () => {
    const setup = async () => {
      const source = new MemoryDirectorySource(2);
      for (const id of ["a", "b", "c", "d", "e"]) source.put(person(id));
      source.groupList.push({ groupId: "g", displayName: "Sales", mail: null, memberIds: ["a", "b"] });
      const sut = await impl.make();
      const store = sut.store;
      const seats = new SeatBook();
      const notifier = new RecordingNotifier();
      const run = () => syncDirectory({ tenantId: "t", source, store, seats, notifier });
      return { source, sut, seats, notifier, run };
    };

    test("a first round pages to the end; replays carry only changes", async () => {
      const { source, sut, run } = await setup();
      const first = await run();
      assert.deepEqual([first.full, first.pages, first.users, first.groups], [true, 3, 5, 1]);
      try {
        assert.equal(await sut.link(), "delta:1");
        assert.equal((await sut.users()).size, 5);
        assert.deepEqual(await sut.groupMemberIds("g"), ["a", "b"]);
        source.put(person("b", { displayName: "Bea" }));
        const second = await run();
        assert.deepEqual([second.full, second.pages, second.users], [false, 1, 1]);
        assert.equal((await sut.users()).get("b")?.displayName, "Bea");
        const quiet = await run();
        assert.deepEqual([quiet.pages, quiet.users], [1, 0]);
      } finally {
        await sut.close();
      }
    });

    test("disabled and deleted users lose seats, admins are told, and restoring brings seats back", async () => {
      const { source, sut, seats, notifier, run } = await setup();
      try {
        await run();
        for (const id of ["a", "b", "c"]) seats.active.add(id);
        source.put(person("a", { accountEnabled: false }));
        source.remove("b", false);
        source.remove("c", true);
        const round = await run();
        assert.equal(round.seatsSuspended, 3);
        assert.deepEqual([...seats.suspended].sort(), ["a", "b"]);
        const users = await sut.users();
        assert.equal(users.has("c"), false);
        assert.equal(users.get("b")?.deleted, true);
        assert.equal(users.get("a")?.enabled, false);
        assert.equal(notifier.sent.length, 1);
        assert.equal(notifier.sent[0]?.to, "admins");
        assert.match(notifier.sent[0]!.notice.text, /3 seat\(s\) were taken/);

        source.put(person("a"));
        source.put(person("b"));
        const back = await run();
        assert.equal(back.seatsRestored, 2);
        assert.deepEqual([...seats.active].sort(), ["a", "b"]);
        assert.equal(notifier.sent.at(-1)?.notice.topic, "seats.restored");
        assert.equal((await sut.users()).get("b")?.deleted, false);
      } finally {
        await sut.close();
      }
    });

    test("an expired delta link restarts with a full round instead of failing", async () => {
      const { source, sut, run } = await setup();
      try {
        await run();
        source.expireLinks();
        source.put(person("f"));
        const round = await run();
        assert.equal(round.full, true);
        assert.equal(round.users, 6);
        assert.equal((await sut.users()).size, 6);
      } finally {
        await sut.close();
      }
    });

    test("a failing source fails the round and keeps the old link", async () => {
      const { sut, run, source } = await setup();
      try {
        await run();
        const link = await sut.link();
        source.userChanges = async function* () {
          yield { changes: [] };
          throw new Error("Graph answered 503");
        };
        await assert.rejects(run(), /503/);
        assert.equal(await sut.link(), link);
      } finally {
        await sut.close();
      }
    });
  });
}
