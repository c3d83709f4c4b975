/**
 * The SyncStore on every implementation: its contract, then the whole sync scenario suite with the store
 * on the database (the other ports in memory), on PGlite and, when QUORUM_TEST_DATABASE_URL is set,
 * PostgreSQL. Every store a test asks for starts empty.
 */
import { MemoryLocalItems } from "../../src/core/sync/memory-local.ts";
import { MemoryRemoteItems } from "../../src/core/sync/memory-remote.ts";
import { MemorySyncAccess, MemorySyncStore } from "../../src/core/sync/memory-store.ts";
import { DrizzleSyncStore } from "../../src/store/sync.ts";
import type { TestDatabase } from "../support/database.ts";
import { describeEngines } from "../support/engines.ts";
import { rigOf, testClock } from "./rig.ts";
import { resilienceScenarios } from "./scenarios-resilience.ts";
import { twoWayScenarios } from "./scenarios-two-way.ts";
import { syncStoreContract } from "./store-contract.ts";

const SYNC_TABLES = [
  "sync_scopes",
  "sync_tenant_settings",
  "sync_mappings",
  "sync_tombstones",
  "sync_conflicts",
];

async function emptyStore(database: TestDatabase | null) {
  if (!database) throw new Error("the database is not open");
  await database.executeSql(`truncate ${SYNC_TABLES.join(", ")}`);
  return new DrizzleSyncStore(database.db);
}

describeEngines("sync store", { memory: true }, (engine, database) => {
  syncStoreContract(engine, async () =>
    engine === "memory" ? new MemorySyncStore() : emptyStore(database()),
  );
});

describeEngines("sync scenarios with the store", { memory: false }, (engine, database) => {
  const factory = async () => {
    const clock = testClock();
    return rigOf({
      clock,
      remote: new MemoryRemoteItems(clock),
      local: new MemoryLocalItems(clock),
      store: await emptyStore(database()),
      access: new MemorySyncAccess(),
    });
  };
  twoWayScenarios(engine, factory);
  resilienceScenarios(engine, factory);
});
