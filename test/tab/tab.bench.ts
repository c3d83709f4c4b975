/**
 * The Teams tab's first load against a bare Fluent UI v9 "hello" page (FluentProvider + one Button, built
 * with the same Vite and React in the same run), both served from 127.0.0.1 and loaded in headless
 * Chromium with a cold cache:
 * - first-load JS: gzip bytes of the scripts the HTML loads up front (entry + modulepreloads); lazy chunks
 *   (admin views, API client, the other themes) are not part of it. Goal: <= 150 KB.
 * - first render: from navigation start until the React root has content (the tab renders its shell while
 *   teams-js initializes; outside Teams it then says so).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { build } from "vite";
import { reportBench } from "../support/bench.ts";
import { launchChromium } from "../support/chromium.ts";
import { repoRoot } from "../support/database.ts";
import { buildFluentHello, serveStatic } from "../support/fluent-hello.ts";

const RUNS = 7;
const benchDir = path.join(repoRoot, ".data", "bench", "tab");

async function buildTab(): Promise<string> {
  const outDir = path.join(benchDir, "tab-dist");
  await build({
    configFile: path.join(repoRoot, "tab", "vite.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return outDir;
}

/** gzip bytes of the scripts an index.html loads before anything runs: its module entry and modulepreloads. */
function firstLoadGzip(dir: string): number {
  const html = readFileSync(path.join(dir, "index.html"), "utf8");
  const urls = [...html.matchAll(/(?:src|href)="\/tab\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return urls.reduce((sum, u) => sum + gzipSync(readFileSync(path.join(dir, u)), { level: 9 }).length, 0);
}

/** Milliseconds from navigation start until #root first has content, in the page's own clock. */
async function firstRender(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "commit" });
  const handle = await page.waitForFunction(
    () => ((document.getElementById("root")?.childElementCount ?? 0) > 0 ? performance.now() : false),
    undefined,
    { polling: "raf", timeout: 60_000 },
  );
  const ms = Number(await handle.jsonValue());
  await context.close();
  return ms;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const helloDir = await buildFluentHello(path.join(benchDir, "fluent-hello"), {
  theme: "teamsLightTheme",
  label: "Hello",
  base: "/tab/",
});
const tabDir = await buildTab();
reportBench({
  name: "tab first-load JS (gzip)",
  unit: "KB",
  ours: firstLoadGzip(tabDir) / 1024,
  baseline: firstLoadGzip(helloDir) / 1024,
  baselineName: "bare Fluent UI v9 hello page",
  higherIsBetter: false,
  goal: 150,
});

const browser = await launchChromium();
const hello = await serveStatic(helloDir, "/tab/");
const tab = await serveStatic(tabDir, "/tab/");
try {
  const ours: number[] = [];
  const baseline: number[] = [];
  await firstRender(browser, `${tab.url}/tab/`);
  await firstRender(browser, `${hello.url}/tab/`);
  for (let i = 0; i < RUNS; i++) {
    ours.push(await firstRender(browser, `${tab.url}/tab/?view=schedule`));
    baseline.push(await firstRender(browser, `${hello.url}/tab/`));
  }
  reportBench({
    name: "tab first render (headless Chromium, cold cache)",
    unit: "ms",
    ours: median(ours),
    baseline: median(baseline),
    baselineName: "bare Fluent UI v9 hello page",
    higherIsBetter: false,
    notes: `median of ${RUNS}`,
  });
} finally {
  await browser.close();
  hello.server.close();
  tab.server.close();
}
