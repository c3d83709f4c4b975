/**
 * The Teams tab's first load against a bare Fluent UI v9 "hello" page (FluentProvider + one Button, built
 * with the same Vite and React in the same run), both served from 127.0.0.1 and loaded in headless
 * Chromium with a cold cache:
 * - first-load JS: gzip bytes of the scripts the HTML loads up front (entry + modulepreloads); lazy chunks
 *   (admin views, API client, the other themes) are not part of it. Goal: <= 150 KB.
 * - first render: from navigation start until the React root has content (the tab renders its shell while
 *   teams-js initializes; outside Teams it then says so).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import type { Browser } from "playwright-core";
import { build } from "vite";
import { reportBench } from "../support/bench.ts";
import { repoRoot } from "../support/database.ts";
import { launchChromium } from "./support/browser.ts";

const RUNS = 7;
const benchDir = path.join(repoRoot, ".data", "bench", "tab");

async function buildHello(): Promise<string> {
  const root = path.join(benchDir, "fluent-hello");
  mkdirSync(root, { recursive: true });
  writeFileSync(
    path.join(root, "index.html"),
    '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Fluent hello</title></head><body><div id="root"></div><script type="module" src="/main.tsx"></script></body></html>',
  );
  writeFileSync(
    path.join(root, "main.tsx"),
    `import { Button, FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { createRoot } from "react-dom/client";
createRoot(document.getElementById("root")!).render(
  <FluentProvider theme={teamsLightTheme}><Button appearance="primary">Hello</Button></FluentProvider>,
);
`,
  );
  const outDir = path.join(root, "dist");
  await build({
    root,
    base: "/tab/",
    configFile: false,
    logLevel: "warn",
    plugins: [react()],
    build: { outDir, emptyOutDir: true, target: "es2022" },
  });
  return outDir;
}

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

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? "/").split("?")[0]!).replace(/^\/tab\/?/, "");
    const file = path.join(dir, rel === "" ? "index.html" : rel);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch (error) {
      res.writeHead(404).end(String(error));
      return;
    }
    const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".html") ? "text/html" : "text/css";
    res.writeHead(200, { "content-type": type }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
      });
    }),
  );
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

const [helloDir, tabDir] = [await buildHello(), await buildTab()];
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
const hello = await serve(helloDir);
const tab = await serve(tabDir);
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
