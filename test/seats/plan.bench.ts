/**
 * Seat benchmarks.
 * 1. Plan preview of a 100,000-row CSV against a 100,000-user directory: streamed parse + validation,
 *    e-mail matching, licence allocation and the batched save of 100,000 plan rows (seconds, peak RSS).
 *    Baseline in the same run: a bare csv-parse of the same file.
 * 2. Directory import of 10,000 users from the emulator through `/users/delta` and groups into the
 *    database (requests, seconds). Baseline: a bare page-through of `/users` with the same $select.
 */
import diagnostics from "node:diagnostics_channel";
import { createReadStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parse } from "csv-parse";
import { planSeats } from "../../src/core/seats/plan.ts";
import { directoryUserFields } from "../../src/graph/directory.ts";
import { parseSeatCsv } from "../../src/server/http/seat-csv.ts";
import { members, tenants } from "../../src/store/schema.ts";
import { DrizzleSeatStore } from "../../src/store/seats/store.ts";
import { reportBench } from "../support/bench.ts";
import { testClock } from "../support/clock.ts";
import { openTestDatabase, repoRoot } from "../support/database.ts";
import { startStack } from "../support/stack.ts";

const USERS = 100_000;
const ROWS = 100_000;
const T = "bench-tenant";

/** Runs `fn` while sampling RSS; returns seconds and the peak RSS (MB) seen during the run. */
async function measured<T>(fn: () => Promise<T>): Promise<{ seconds: number; peakMb: number; result: T }> {
  globalThis.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { seconds: (performance.now() - t0) / 1000, peakMb: peak / 1048576, result };
  } finally {
    clearInterval(timer);
  }
}

async function planBench(): Promise<void> {
  const dir = path.join(repoRoot, ".data", "bench");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "seats-100k.csv");
  const lines = ["email,seat_kinds,phone_number,display_name"];
  for (let i = 0; i < ROWS; i++) {
    // Mixed addresses: primary mail, aliases (proxy addresses) and a few unknowns and bad rows.
    const email =
      i % 50 === 49
        ? `unknown${i}@contoso.com`
        : i % 3 === 0
          ? `alias${i}@contoso.com`
          : `User${i}@Contoso.com`;
    lines.push(`${email},sync,,"User ${i}"`);
  }
  await writeFile(file, `${lines.join("\r\n")}\r\n`);

  const database = await openTestDatabase("pglite");
  try {
    await database.db.insert(tenants).values({ tenantId: T, status: "consented" });
    for (let i = 0; i < USERS; i += 2000) {
      await database.db.insert(members).values(
        Array.from({ length: Math.min(2000, USERS - i) }, (_, k) => {
          const n = i + k;
          return {
            tenantId: T,
            userId: `u${n}`,
            upn: `user${n}@contoso.onmicrosoft.com`,
            mail: `user${n}@contoso.com`,
            displayName: `User ${n}`,
            proxyAddresses: [`SMTP:user${n}@contoso.com`, `smtp:alias${n}@contoso.com`],
            directoryOrder: n,
          };
        }),
      );
    }
    const seats = new DrizzleSeatStore(database, testClock());
    await seats.transaction(T, (tx) => tx.setPoolTotal("sync", 90_000));

    const baseline = await measured(async () => {
      let n = 0;
      for await (const _ of createReadStream(file).pipe(parse({ bom: true }))) n++;
      return n;
    });
    const phases: Record<string, number> = {};
    const phase = async <R>(name: string, fn: () => Promise<R>): Promise<R> => {
      const t0 = performance.now();
      const out = await fn();
      phases[name] = (performance.now() - t0) / 1000;
      return out;
    };
    const ours = await measured(async () => {
      const state = await phase("state", () => seats.seatState(T));
      const directory = await phase("directory index", () => seats.directoryIndex(T));
      const computed = await phase("parse+match+allocate", () =>
        planSeats({ source: "csv", rows: parseSeatCsv(createReadStream(file)), directory, ...state }),
      );
      const planId = await phase("save", () =>
        seats.transaction(T, (tx) =>
          tx.savePlan(computed, { baseVersion: state.version, createdBy: "bench" }),
        ),
      );
      const plan = (await seats.plan(T, planId, { limit: 1 }))!.plan;
      return { plan, rows: computed.rows.length };
    });
    const sync = ours.result.plan.summary.kinds.find((k) => k.kind === "sync");
    const split = Object.entries(phases)
      .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
      .join(", ");
    const notes = `${ours.result.rows} plan rows; ${sync?.newMatchingEmails} adds, ${sync?.waiting} over the pool; engine pglite; ${split}`;
    reportBench({
      name: "seats.plan 100k-row CSV vs 100k users (parse, match, allocate, save)",
      unit: "s",
      ours: ours.seconds,
      baseline: baseline.seconds,
      baselineName: "bare csv-parse of the same file",
      higherIsBetter: false,
      goal: 10,
      notes,
    });
    reportBench({
      name: "seats.plan 100k-row CSV peak RSS",
      unit: "MB",
      ours: ours.peakMb,
      baseline: baseline.peakMb,
      baselineName: "bare csv-parse of the same file",
      higherIsBetter: false,
      notes: "process RSS peak during the run (includes the PGlite engine)",
    });
  } finally {
    await database.close();
    await rm(file, { force: true });
  }
}

async function directoryBench(): Promise<void> {
  const stack = await startStack({ emulator: { usersPerTenant: 10_000 } });
  try {
    await stack.consent();
    const tenantId = stack.tenants[0]!.id;
    const admin = await stack.tokenFor(stack.tenants[0]!.adminUpn);
    const graph = stack.product.m365!.graph;
    // Every Graph request the process sends to the emulator, counted where undici creates it.
    let graphRequests = 0;
    const origin = new URL(stack.emulator.graphBaseUrl).origin;
    diagnostics.subscribe("undici:request:create", (message) => {
      const { request } = message as { request: { origin: string; path: string } };
      if (String(request.origin) === origin && request.path.startsWith("/v1.0/")) graphRequests++;
    });
    const requestsNow = async () => graphRequests;

    let r0 = await requestsNow();
    const baseline = await measured(async () => {
      let users = 0;
      for await (const page of graph.pages<unknown>(
        tenantId,
        `/users?$select=${directoryUserFields.join(",")}&$top=999`,
      ))
        users += page.value.length;
      return users;
    });
    const baselineRequests = (await requestsNow()) - r0;

    r0 = await requestsNow();
    const bareDelta = await measured(async () => {
      let users = 0;
      for await (const page of graph.pages<unknown>(
        tenantId,
        `/users/delta?$select=${directoryUserFields.join(",")}`,
      ))
        users += page.value.length;
      return users;
    });
    const bareDeltaRequests = (await requestsNow()) - r0;

    r0 = await requestsNow();
    const ours = await measured(async () => {
      const res = await stack.request<{ users: number; pages: number; groups: number }>(
        "POST",
        "/api/admin/directory/sync",
        { token: admin },
      );
      if (res.status !== 200) throw new Error(`directory sync failed: ${res.status} ${res.text}`);
      return res.body;
    });
    const ourRequests = (await requestsNow()) - r0;
    reportBench({
      name: "seats.directory import 10k users (delta + groups into the database)",
      unit: "s",
      ours: ours.seconds,
      baseline: baseline.seconds,
      baselineName: "bare page-through of /users ($top=999), no storage",
      higherIsBetter: false,
      notes: `${ours.result.users} users in ${ours.result.pages} delta pages, ${ours.result.groups} groups; ${ourRequests} requests vs ${baselineRequests} for the baseline (${baseline.result} users)`,
    });
    reportBench({
      name: "seats.directory import 10k users vs the same delta pages without storage",
      unit: "s",
      ours: ours.seconds,
      baseline: bareDelta.seconds,
      baselineName: `bare page-through of /users/delta (${bareDeltaRequests} requests, ${bareDelta.result} users)`,
      higherIsBetter: false,
      notes: `peak RSS ${ours.peakMb.toFixed(0)} MB vs ${bareDelta.peakMb.toFixed(0)} MB for the bare page-through`,
    });
    reportBench({
      name: "seats.directory import 10k users requests",
      unit: "requests",
      ours: ourRequests,
      baseline: baselineRequests,
      baselineName: "bare page-through of /users ($top=999)",
      higherIsBetter: false,
      notes: "Graph does not honour $top on /users/delta; the delta pages are server-sized",
    });
  } finally {
    await stack.stop();
  }
}

await planBench();
await directoryBench();
