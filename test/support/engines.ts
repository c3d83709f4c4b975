/**
 * One suite per implementation of a store port: in memory (when it has a twin), on PGlite, and on
 * PostgreSQL when QUORUM_TEST_DATABASE_URL is set. Each database engine opens one test database for its
 * suite and closes it afterwards.
 */
import { afterAll, beforeAll, describe } from "vitest";
import { openTestDatabase, type TestDatabase, type TestEngine, testEngines } from "./database.ts";

export type Engine = "memory" | TestEngine;

export function describeEngines(
  title: string,
  options: { memory: boolean },
  suite: (engine: Engine, database: () => TestDatabase | null) => void,
): void {
  const engines: Engine[] = [...(options.memory ? ["memory" as const] : []), ...testEngines()];
  for (const engine of engines) {
    describe(`${title} on ${engine}`, () => {
      let database: TestDatabase | null = null;
      beforeAll(async () => {
        if (engine !== "memory") database = await openTestDatabase(engine);
      });
      afterAll(async () => {
        await database?.close();
      });
      suite(engine, () => database);
    });
  }
}
