/**
 * The test runner: two projects, `unit` (pure tests and integration tests against real servers on
 * 127.0.0.1) and `e2e` (Chromium through playwright-core). `npm test` (scripts/test.mjs) chooses among them.
 * Each test file runs in its own process, two at a time (QUORUM_TEST_CONCURRENCY): many start the
 * emulator, the service and an embedded database of their own.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    pool: "forks",
    maxWorkers: Number(process.env.QUORUM_TEST_CONCURRENCY ?? 2),
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    env: { NODE_ENV: "test" },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/**/*.e2e.test.ts"] },
      },
      { extends: true, test: { name: "e2e", include: ["test/**/*.e2e.test.ts"] } },
    ],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts", "bot/**/*.ts", "tab/src/**/*.{ts,tsx}", "addin/**/*.{ts,tsx}"],
      reporter: ["text-summary"],
    },
  },
});
