#!/usr/bin/env node
/**
 * Runs the test suites with Node's test runner (TypeScript through tsx).
 *   npm test                      every test: unit, integration on 127.0.0.1, end-to-end in Chromium
 *   npm test -- test/store        only the files under the given folders or files
 *   npm test -- --no-e2e          everything but the Chromium end-to-end tests (*.e2e.test.ts)
 *   npm test -- --only-e2e        only the end-to-end tests
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
for (const r of roots.length > 0 ? roots : ["test"]) collect(r, files);
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
const prep = spawnSync(node, ["--import", "tsx", path.join(root, "test/support/prepare.ts")], {
  cwd: root,
  stdio: "inherit",
});
if (prep.status !== 0) process.exit(prep.status ?? 1);

const concurrency = process.env.QUORUM_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  node,
  [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-timeout=300000",
    "--test-reporter=spec",
    ...selected.map((f) => path.relative(root, f)),
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "test" } },
);
process.exit(result.status ?? 1);
