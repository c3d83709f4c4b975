#!/usr/bin/env node
/**
 * Runs the test suites with Vitest (vitest.config.ts: project `unit` and project `e2e`).
 *   npm test                      every test: unit, integration on 127.0.0.1, end-to-end in Chromium
 *   npm test -- test/store        only the files under the given folders or files
 *   npm test -- --no-e2e          everything but the Chromium end-to-end tests (*.e2e.test.ts)
 *   npm test -- --only-e2e        only the end-to-end tests
 *   npm test -- --coverage        also prints V8 coverage of src/, bot/, tab/ and addin/
 *   npm test -- --pinned-days     the date-sensitive suites once on each pinned day of test/support/clock.ts
 *                                 (a Monday, a Friday, a Sunday, a DST eve, New Year's Eve; with --no-e2e too)
 * QUORUM_TEST_NOW=<ISO instant or pinned day name> sets the "now" of the emulator, the service and the
 * browser in every test that depends on the date (default: the pinned Monday).
 * QUORUM_TEST_DATABASE_URL=postgres://... runs the database-backed tests on that PostgreSQL server.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ensureBuilt, ensureChromium, ensureDependencies } from "./ensure.mjs";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const noE2e = args.includes("--no-e2e");
const onlyE2e = args.includes("--only-e2e");
const pinnedDays = args.includes("--pinned-days");
/** Suites whose results depend on the date: the demo calendars are generated around the clock's week. */
const dateSensitive = [
  "test/availability",
  "test/booking/bookings-api.test.ts",
  "test/booking/booking-scenarios.test.ts",
  "test/bot/bot-scheduling.test.ts",
  "test/bot/tenant-state.test.ts",
  "test/bot/bot-chat.e2e.test.ts",
  "test/emulator/calendar.test.ts",
  "test/tab/schedule.e2e.test.ts",
  "test/tab/schedule-rooms.e2e.test.ts",
  "test/addin/outlook.e2e.test.ts",
];
const roots = args.filter((a) => !a.startsWith("--"));

function collect(p, out) {
  const full = path.resolve(root, p);
  if (!existsSync(full)) {
    console.error(`no such test path: ${p}`);
    process.exit(2);
  }
  if (statSync(full).isDirectory()) {
    for (const entry of readdirSync(full).sort()) {
      if (entry === "node_modules" || entry.startsWith(".")) continue;
      collect(path.join(full, entry), out);
    }
  } else if (full.endsWith(".test.ts") || full.endsWith(".test.tsx")) {
    out.push(full);
  }
}

const files = [];
for (const r of roots.length > 0 ? roots : pinnedDays ? dateSensitive : ["test"]) collect(r, files);
const selected = files.filter((f) => {
  const e2e = /\.e2e\.test\.tsx?$/.test(f);
  return noE2e ? !e2e : onlyE2e ? e2e : true;
});
if (selected.length === 0) {
  console.error("no test files selected");
  process.exit(2);
}

const wantsE2e = selected.some((f) => /\.e2e\.test\.tsx?$/.test(f));
ensureDependencies();
if (wantsE2e) ensureBuilt();
if (wantsE2e && !ensureChromium()) {
  // End-to-end tests never skip silently: in CI a missing browser fails the run.
  console.error(
    "Chromium is needed for the end-to-end tests: install Debian's package (apt-get install chromium), " +
      "or run `npm test -- --no-e2e`.",
  );
  process.exit(1);
}

const node = process.execPath;
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const coverage = args.includes("--coverage");
const projects = selected.some((f) => !/\.e2e\.test\.tsx?$/.test(f))
  ? selected.some((f) => /\.e2e\.test\.tsx?$/.test(f))
    ? ["unit", "e2e"]
    : ["unit"]
  : ["e2e"];
const runTests = (env) =>
  spawnSync(
    node,
    [
      vitest,
      "run",
      ...projects.flatMap((p) => ["--project", p]),
      ...(coverage ? ["--coverage"] : []),
      // Every file of the chosen projects when no path was named; else just the chosen files.
      ...(roots.length > 0 || pinnedDays ? selected.map((f) => path.relative(root, f)) : []),
    ],
    { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "test", ...env } },
  ).status ?? 1;

if (!pinnedDays) process.exit(runTests({}));

const listed = spawnSync(
  node,
  [
    "--import",
    "tsx",
    "--input-type=module",
    "-e",
    'const { PINNED_DAYS } = await import("./test/support/clock.ts"); console.log(JSON.stringify(PINNED_DAYS));',
  ],
  { cwd: root, encoding: "utf8" },
);
if (listed.status !== 0) {
  process.stderr.write(listed.stderr);
  process.exit(listed.status ?? 1);
}
const days = Object.entries(JSON.parse(listed.stdout));
const outcomes = [];
for (const [name, instant] of days) {
  console.log(`\n=== date-sensitive suites on the pinned day "${name}" (${instant})`);
  outcomes.push([name, instant, runTests({ QUORUM_TEST_NOW: name })]);
}
console.log("\npinned day        now                    result");
for (const [name, instant, status] of outcomes)
  console.log(`${name.padEnd(17)} ${instant.padEnd(22)} ${status === 0 ? "pass" : `FAIL (exit ${status})`}`);
process.exit(outcomes.some(([, , status]) => status !== 0) ? 1 : 0);
