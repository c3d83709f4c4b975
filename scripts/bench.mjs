#!/usr/bin/env node
/**
 * Runs every `*.bench.ts` under test/ (or the given paths), one at a time, and prints a summary: per
 * benchmark our figure, the baseline measured in the same run, and the ratio.
 *   npm run bench                 every benchmark
 *   npm run bench -- test/store   only those under a folder
 * QUORUM_BENCH_DATABASE_URL=postgres://... adds PostgreSQL figures where a benchmark supports them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const roots = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const files = [];
function collect(p) {
  const full = path.resolve(root, p);
  if (!existsSync(full)) {
    console.error(`no such path: ${p}`);
    process.exit(2);
  }
  if (statSync(full).isDirectory()) {
    for (const e of readdirSync(full).sort())
      if (e !== "node_modules" && !e.startsWith(".")) collect(path.join(full, e));
  } else if (full.endsWith(".bench.ts")) files.push(full);
}
for (const r of roots.length ? roots : ["test"]) collect(r);
if (files.length === 0) {
  console.error("no benchmarks found");
  process.exit(2);
}

const resultsFile = path.join(root, ".data", "bench", "results.jsonl");
mkdirSync(path.dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${path.relative(root, file)}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "--expose-gc", file], {
    cwd: root,
    stdio: "inherit",
  });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${path.relative(root, file)} failed with exit code ${r.status}`);
  }
}

const rows = existsSync(resultsFile)
  ? readFileSync(resultsFile, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
const f = (n) => (Math.abs(n) >= 1000 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(3));
console.log("\nSummary (ratio = ours / baseline, both measured in this run)");
for (const r of rows) {
  console.log(
    `  ${r.name.padEnd(58)} ${`${f(r.ours)} ${r.unit}`.padStart(18)}  vs ${r.baselineName}: ${`${f(r.baseline)} ${r.unit}`.padStart(16)}  ratio ${f(r.ratio)}x${
      r.goal === undefined ? "" : `  goal ${r.higherIsBetter ? ">=" : "<="} ${f(r.goal)}`
    }`,
  );
}
process.exit(failed ? 1 : 0);
